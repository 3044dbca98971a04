import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * Azurite's development account name. Its key is not Azurite's published one but made per start
 * (AZURITE_ACCOUNTS): Azurite checks no Host header, so a web page reaching its port through DNS
 * rebinding must not be able to sign requests with a key everyone knows.
 */
export const AZURITE_ACCOUNT = 'devstoreaccount1';

export interface AzuriteOptions {
  /** Keep blobs in this folder; omitted: in memory. */
  readonly location?: string;
  /** Default: a free port. */
  readonly port?: number;
  /** Azurite's own output (one line at a time); default: dropped. */
  readonly log?: (line: string) => void;
  /** How the child process is started (default: Node's fork; the desktop app: utilityProcess). */
  readonly spawn?: AzuriteSpawner;
}

/** A started Azurite child process: as much of it as its lifecycle needs. */
export interface AzuriteProcess {
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
  /** Resolves with the exit code once the process has ended. */
  readonly exited: Promise<number | null>;
  /** Asks Azurite to close (it flushes a persistent store first). */
  requestShutdown(): void;
  kill(): void;
}

/**
 * Starts a CommonJS script in a child process. Node's `fork` by default; Electron's main process
 * cannot fork a Node child once the runAsNode fuse is off, so the desktop app passes one built on
 * `utilityProcess.fork` (electron/main/platform).
 */
export type AzuriteSpawner = (script: string, args: readonly string[], env: NodeJS.ProcessEnv) => AzuriteProcess;

/** The child's entry point. In the app's CommonJS bundle, build-electron copies it beside main.cjs. */
export const AZURITE_CHILD_SCRIPT = fileURLToPath(new URL('./azuriteChild.cjs', import.meta.url));

export const forkAzurite: AzuriteSpawner = (script, args, env) => {
  const child = fork(script, [...args], { env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'], execArgv: [] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    stdout: child.stdout,
    stderr: child.stderr,
    exited,
    requestShutdown() {
      if (child.connected) child.send('shutdown');
    },
    kill() {
      if (child.connected) child.disconnect();
      child.kill('SIGKILL');
    },
  };
};

export interface AzuriteHandle {
  /** http://127.0.0.1:<port> */
  readonly origin: string;
  /** http://127.0.0.1:<port>/devstoreaccount1 (the blob service endpoint). */
  readonly blobEndpoint: string;
  readonly accountName: string;
  readonly accountKey: string;
  stop(): Promise<void>;
}

const require = createRequire(import.meta.url);

/**
 * Starts Azurite's blob service on 127.0.0.1 in a child process and resolves once it listens.
 * `--skipApiVersionCheck` is required (storage-blob 12.34 sends an API version Azurite 3.37 does
 * not know); `--loose` ignores headers Azurite does not implement.
 */
export async function startAzurite(options: AzuriteOptions = {}): Promise<AzuriteHandle> {
  const args = [
    '--blobHost',
    '127.0.0.1',
    '--blobPort',
    String(options.port ?? 0),
    '--disableTelemetry',
    '--skipApiVersionCheck',
    '--loose',
  ];
  if (options.location) {
    await mkdir(options.location, { recursive: true });
    args.push('--location', options.location);
  } else {
    args.push('--inMemoryPersistence');
  }
  const accountKey = randomBytes(64).toString('base64');
  const child = (options.spawn ?? forkAzurite)(AZURITE_CHILD_SCRIPT, args, {
    ...process.env,
    AZURITE_ACCOUNTS: `${AZURITE_ACCOUNT}:${accountKey}`,
    DMFW_AZURITE_MAIN: require.resolve('azurite/dist/src/blob/main.js'),
  });
  const origin = await new Promise<string>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      output += text;
      for (const line of text.split('\n')) if (line.trim()) options.log?.(line.trim());
      const m = /successfully listens on (http:\/\/[\d.]+:\d+)/.exec(output);
      if (m?.[1]) resolve(m[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void child.exited.then((code) =>
      reject(new Error(`Azurite exited (code ${code}) before it listened: ${output.trim().slice(-500)}`)),
    );
  });
  return {
    origin,
    blobEndpoint: `${origin}/${AZURITE_ACCOUNT}`,
    accountName: AZURITE_ACCOUNT,
    accountKey,
    stop: () => stopChild(child),
  };
}

/** Asks Azurite to close (it flushes a persistent store), then ends the child; kills it if it hangs. */
async function stopChild(child: AzuriteProcess): Promise<void> {
  let ended = false;
  const exited = child.exited.then(() => {
    ended = true;
  });
  const closed = new Promise<void>((resolve) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString('utf8').includes('successfully closed')) resolve();
    });
  });
  child.requestShutdown();
  await Promise.race([closed, exited, delay(5000)]);
  // Closed (flushed) or hung: either way the process goes now.
  if (!ended) {
    child.kill();
    await exited;
  }
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());
