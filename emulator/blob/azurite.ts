import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** Azurite's published development account (the same in every Azurite). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface AzuriteOptions {
  /** Keep blobs in this folder; omitted: in memory. */
  readonly location?: string;
  /** Default: a free port. */
  readonly port?: number;
  /** Azurite's own output (one line at a time); default: dropped. */
  readonly log?: (line: string) => void;
}

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
  const child = fork(fileURLToPath(new URL('./azuriteChild.cjs', import.meta.url)), args, {
    env: { ...process.env, DMFW_AZURITE_MAIN: require.resolve('azurite/dist/src/blob/main.js') },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    execArgv: [],
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
    child.once('exit', (code) =>
      reject(new Error(`Azurite exited (code ${code}) before it listened: ${output.trim().slice(-500)}`)),
    );
    child.once('error', reject);
  });
  return {
    origin,
    blobEndpoint: `${origin}/${AZURITE_ACCOUNT}`,
    accountName: AZURITE_ACCOUNT,
    accountKey: AZURITE_KEY,
    stop: () => stopChild(child),
  };
}

/** Asks Azurite to close (it flushes a persistent store), then ends the child; kills it if it hangs. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const closed = new Promise<void>((resolve) => {
    const onData = (chunk: Buffer): void => {
      if (chunk.toString('utf8').includes('successfully closed')) resolve();
    };
    child.stdout?.on('data', onData);
  });
  child.send('shutdown');
  await Promise.race([closed, exited, delay(5000)]);
  if (child.connected) child.disconnect();
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());
