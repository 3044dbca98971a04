import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli/main';
import type { CliIo } from '../../../electron/cli/io';

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

  it('exits 2 with help for an unknown command', async () => {
    const io = captureIo();
    expect(await main(['frobnicate'], io)).toBe(2);
    expect(io.err.join('')).toContain('unknown command "frobnicate"');
  });

  it('exits 2 with the usage for an unknown option', async () => {
    const io = captureIo();
    expect(await main(['serve', '--bogus'], io)).toBe(2);
    expect(io.err.join('')).toContain(
      "dmfw serve: Unknown option '--bogus': it is not an option of this command (see below).\n\nUsage: dmfw serve",
    );
    expect(io.err.join('')).not.toContain('positional argument');
  });

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
