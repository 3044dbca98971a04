import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../support/paths';

describe('dmfw emulator', () => {
  it('prints one JSON line when ready, serves it, and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, ['bin/dmfw.mjs', 'emulator', '--json', '--speed', 'max'], {
      cwd: REPO_ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).once('line', resolve);
        child.once('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      const ready = JSON.parse(line) as Record<string, unknown>;
      expect(Object.keys(ready)).toEqual([
        'baseUrl',
        'httpsUrl',
        'authority',
        'tokenUrl',
        'caFile',
        'tenantId',
        'clientId',
        'clientSecret',
        'clientCertificateFile',
        'clientCertificateThumbprint',
        'username',
        'password',
        'companies',
        'recurringJobs',
        'throttling',
        'adminUrl',
        'adminToken',
      ]);
      expect(ready.tokenUrl).toBe(`${String(ready.authority)}oauth2/v2.0/token`);
      expect(ready.companies).toEqual(['USMF', 'USRT', 'DEMF']);
      expect(ready.recurringJobs).toEqual([
        expect.objectContaining({ project: 'Customer master import', direction: 'import', dataSource: 'package' }),
        expect.objectContaining({ project: 'Customer group files', direction: 'import', dataSource: 'file' }),
        expect.objectContaining({ project: 'Customer groups export', direction: 'export' }),
      ]);
      // With --speed max an import job picks its messages up at once.
      expect((ready.recurringJobs as { recurrenceMinutes: number }[])[0]?.recurrenceMinutes).toBe(0);
      expect(ready.throttling).toBe('resource');
      expect((await fetch(String(ready.adminUrl))).status).toBe(401);
      const admin = await fetch(String(ready.adminUrl), {
        headers: { authorization: `Bearer ${String(ready.adminToken)}` },
      });
      expect(await admin.json()).toEqual(ready);
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      await expect(fetch(String(ready.adminUrl))).rejects.toThrow();
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('says in its text banner what each recurring import job takes and how often it runs', async () => {
    const child = spawn(
      process.execPath,
      ['bin/dmfw.mjs', 'emulator', '--speed', 'max', '--import-recurrence', '2', '--throttling', 'user'],
      { cwd: REPO_ROOT },
    );
    try {
      const lines: string[] = [];
      await new Promise<void>((resolve, reject) => {
        createInterface({ input: child.stdout }).on('line', (line) => {
          lines.push(line);
          if (line.startsWith('Press Ctrl+C')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      expect(lines.filter((l) => l.includes('recurring'))).toEqual([
        expect.stringMatching(
          /^ {2}recurring {6}import [0-9a-f-]{36} {2}\(Customer master import; takes data packages \(\.zip\); picked up every 2 min\)$/,
        ),
        expect.stringMatching(
          /^ {2}recurring {6}import [0-9a-f-]{36} {2}\(Customer group files; takes single data files \(Customer groups: CSV\): enqueue with --entity; picked up every 2 min\)$/,
        ),
        expect.stringMatching(
          /^ {2}recurring {6}export [0-9a-f-]{36} {2}\(Customer groups export; runs every 5 min\)$/,
        ),
      ]);
      expect(lines).toContain('  throttling     user');
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('refuses a bad --speed with the usage (exit 2)', async () => {
    const child = spawn(process.execPath, ['bin/dmfw.mjs', 'emulator', '--speed', 'fast'], { cwd: REPO_ROOT });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(2);
    expect(err).toContain('--speed must be a positive number or "max"');
  });

  it('refuses an unknown --throttling mode, and says in --help which F&O version each mode reflects', async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const child = spawn(process.execPath, ['bin/dmfw.mjs', 'emulator', ...args], { cwd: REPO_ROOT });
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.once('exit', (code) => resolve({ code, out, err }));
      });
    const bad = await run(['--throttling', 'fast']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--throttling must be one of resource, user, off, not "fast"');
    const help = await run(['--help']);
    expect(help.out).toMatch(/resource +\(default\) resource-based limits, F&O 10\.0\.19 and later/);
    expect(help.out).toMatch(/user +user-based limits, F&O 10\.0\.19 to 10\.0\.35/);
    expect(help.out).toContain('removed in 10.0.36');
  }, 60_000);
});
