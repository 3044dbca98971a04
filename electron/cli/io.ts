/** Where a command writes: results to stdout, progress and messages to stderr. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** True when stderr is a terminal (progress bars); false in pipes and CI (plain lines). */
  readonly interactive: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** Exit codes shared by every command. */
export const EXIT = Object.freeze({ ok: 0, findings: 1, usage: 2 });

/** A usage mistake or unreadable input: the message says what to type instead. Exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function processIo(): CliIo {
  quietOnClosedPipe(process.stdout);
  quietOnClosedPipe(process.stderr);
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    interactive: Boolean(process.stderr.isTTY) && !process.env.CI,
    env: process.env,
    cwd: process.cwd(),
  };
}

const quieted = new WeakSet<NodeJS.WriteStream>();

/**
 * `dmfw lint --json | head`: once the reader has gone, every write fails with EPIPE. The command
 * ends there, quietly, as Unix tools do, instead of dying on an unhandled 'error' with a stack
 * trace. Any other stream error still surfaces.
 */
function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  if (quieted.has(stream)) return;
  quieted.add(stream);
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(EXIT.ok);
  });
}

/** An emulator speed option: a positive factor, or "max" (no simulated latency). */
export function parseEmulatorSpeed(option: string, value: string | undefined): number | 'max' {
  const speed = value === undefined ? 1 : value === 'max' ? 'max' : Number(value);
  if (speed !== 'max' && !(speed > 0 && Number.isFinite(speed))) {
    throw new UsageError(`${option} must be a positive number or "max", not "${value}".`);
  }
  return speed;
}

/** A `--port` option: 0 (a free port) when not given. */
export function parsePort(value: string | undefined): number {
  const port = value === undefined ? 0 : Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port must be a whole number from 0 to 65535, not "${value}".`);
  }
  return port;
}

/**
 * Resolves when a long-running command (a server) should stop: Ctrl+C, SIGTERM, or with
 * `exitWithParent` the end of standard input, so a test runner that dies takes the server with it.
 */
export function untilStopped(exitWithParent: boolean): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (exitWithParent) process.stdin.on('end', stop).on('close', stop).resume();
  });
}
