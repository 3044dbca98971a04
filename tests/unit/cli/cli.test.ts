import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli/main';
import type { CliIo } from '../../../electron/cli/io';
import { REAL_PACKAGE } from '../../support/paths';

function captureIo(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    interactive: false,
    env: {},
    cwd: process.cwd(),
  };
}

describe('the dmfw command line', () => {
  it('prints help listing its commands with exit code 0', async () => {
    const io = captureIo();
    expect(await main(['--help'], io)).toBe(0);
    expect(io.out.join('')).toMatch(/Usage: dmfw <command>/);
    expect(io.out.join('')).toMatch(/\bserve\b/);
    // The first call imports every command: seconds on a loaded 2-core machine.
  }, 60_000);

  it('exits 2 for an unknown command: one line, and where the commands are', async () => {
    const io = captureIo();
    expect(await main(['frobnicate'], io)).toBe(2);
    expect(io.err.join('')).toBe('dmfw: unknown command "frobnicate".\nRun `dmfw --help` for the commands.\n');
  });

  it('exits 2 for an unknown option: one line, and where the options are, not the whole usage', async () => {
    const io = captureIo();
    expect(await main(['serve', '--bogus'], io)).toBe(2);
    expect(io.err.join('')).toBe(
      "dmfw serve: Unknown option '--bogus': it is not an option of this command.\n" +
        'Run `dmfw serve --help` for its options.\n',
    );
  });

  it('a usage mistake of any command is one line and the way to its help', async () => {
    for (const argv of [['import'], ['validate', 'a.csv', 'b.csv'], ['export', '--env', 'X'], ['copy']]) {
      const io = captureIo();
      expect(await main(argv, io)).toBe(2);
      const lines = io.err.join('').split('\n').filter(Boolean);
      expect(lines).toHaveLength(2);
      expect(lines[1]).toBe(`Run \`dmfw ${argv[0]} --help\` for its options.`);
    }
  });

  it('ends quietly when the reader of its output has gone (dmfw lint --json | head)', async () => {
    // `true` exits before reading: every write of the command fails with EPIPE.
    const { stdout } = await promisify(execFile)(
      'bash',
      [
        '-c',
        'e=$(mktemp); node bin/dmfw.mjs lint --json "$1" 2>"$e" | true; echo "exit ${PIPESTATUS[0]}"; cat "$e"; rm -f "$e"',
        '_',
        REAL_PACKAGE,
      ],
      { timeout: 60_000 },
    );
    expect(stdout).toBe('exit 0\n');
  }, 90_000);

  it('exits 2 for a port that is not a number', async () => {
    const io = captureIo();
    expect(await main(['serve', '--port', 'eighty'], io)).toBe(2);
    expect(io.err.join('')).toContain('--port must be a whole number');
  });

  it('runs as `npx dmfw --help` from the bin script, with no build step', async () => {
    const { stdout } = await promisify(execFile)('node', ['bin/dmfw.mjs', '--help']);
    expect(stdout).toContain('Usage: dmfw <command>');
    // A child process compiling the CLI through tsx: the default 5 s is too short on a loaded 2-core machine.
  }, 60_000);
});
