import type { CliIo } from '../../electron/cli/io';

/** A CliIo that records what a command prints; `cwd` is where relative paths resolve. */
export function recordingIo(
  cwd: string,
  env: Record<string, string> = {},
): CliIo & { out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    interactive: false,
    env,
    cwd,
    out: () => out.join(''),
    err: () => err.join(''),
  };
}
