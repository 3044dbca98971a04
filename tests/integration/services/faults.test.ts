import { adminFetch } from '../../support/emulatorHttp';
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../emulator';
import type { Emulator } from '../../../emulator';
import type { JobSummary } from '../../../shared/api/domains/jobs';
import { REPO_ROOT } from '../../support/paths';
import { emulatorBench, writeFiles } from '../../support/emulatorWorkbench';
import type { EmulatorBench } from '../../support/emulatorWorkbench';

const ROWS = 5000;
let emulator: Emulator;
let work: string;

/** A project of ROWS valid customer groups; random descriptions keep the zip at ~120 KB: several 16 KiB blocks. */
async function bigProject(dir: string, prefix: string): Promise<void> {
  const lines = Array.from(
    { length: ROWS },
    (_, i) => `${prefix}${String(i).padStart(5, '0')},${randomBytes(20).toString('hex')},Net30`,
  );
  await writeFiles(dir, { 'groups.csv': `CUSTOMERGROUPID,DESCRIPTION,PAYMENTTERMID\n${lines.join('\n')}\n` });
  await writeFiles(dir, {
    'dmfw-project.json': JSON.stringify({
      schemaVersion: 1,
      name: prefix,
      entities: [{ label: 'Customer groups', sourceFile: 'groups.csv' }],
    }),
  });
}

/** Lets the emulator finish the stuck execution of the job a CLI message names (`dmfw resume <job id>`). */
async function releaseJobOf(home: string, message: string): Promise<void> {
  const jobId = /dmfw resume (\S+) --wait/.exec(message)?.[1] ?? '';
  const { executionId } = JSON.parse(await readFile(join(home, 'jobs', jobId, 'job.json'), 'utf8')) as {
    executionId: string;
  };
  await adminFetch(emulator, `/executions/${encodeURIComponent(executionId)}/release`, { body: {} });
}

const calls = (operation: string) => emulator.calls.list({ operation }).map((c) => c.status);

beforeAll(async () => {
  emulator = await startEmulator({ speed: 'max' });
  work = await mkdtemp(join(tmpdir(), 'dmfw-faults-'));
});
afterEach(() => {
  emulator.clearFaults();
  emulator.calls.clear();
});
afterAll(async () => {
  await emulator?.stop();
  await rm(work, { recursive: true, force: true });
});

describe('import jobs under faults', () => {
  let bench: EmulatorBench;
  beforeAll(async () => {
    bench = await emulatorBench(emulator, { transfer: { blockSize: 16 * 1024, concurrency: 1 } });
  });
  afterAll(() => bench.dispose());

  async function importProject(
    prefix: string,
    during?: (job: JobSummary, progress?: { loadedBytes?: number; phase: string }) => void,
  ) {
    const dir = join(work, prefix);
    await bigProject(dir, prefix);
    const offChanged = bench.client.on('jobs.changed', (job) => during?.(job));
    const offProgress = bench.client.on('jobs.progress', ({ progress }) => during?.({} as JobSummary, progress));
    try {
      const started = await bench.client.call('jobs.startImport', {
        environmentId: bench.env,
        source: dir,
        dataProject: `DMFW-${prefix}`,
      });
      return await bench.finish(started);
    } finally {
      offChanged();
      offProgress();
    }
  }

  it('waits out 429 bursts (Retry-After) and completes', async () => {
    emulator.setFaults({ httpBurst: { status: 429, count: 3, retryAfterSeconds: 1, scope: 'dmf' } });
    const started = Date.now();
    const job = await importProject('T');
    expect(job).toMatchObject({ state: 'succeeded', executionStatus: 'Succeeded' });
    expect(emulator.calls.list().filter((c) => c.status === 429)).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
    expect(calls('ImportFromPackage')).toEqual([200]);
  });

  it('survives connection resets mid-upload', async () => {
    emulator.setFaults({ uploadResets: { count: 2, afterBytes: 8 * 1024 } });
    const job = await importProject('R');
    expect(job).toMatchObject({ state: 'succeeded', entities: [expect.objectContaining({ targetRecords: ROWS })] });
  });

  it('asks GetAzureWriteUrl again when the SAS expires mid-upload, and goes on', async () => {
    let expired = false;
    const seen: string[] = [];
    const job = await importProject('S', (_job, progress) => {
      if (progress) seen.push(`${progress.phase}:${progress.loadedBytes}`);
      if (!expired && progress?.phase === 'upload' && (progress.loadedBytes ?? 0) > 32 * 1024) {
        expired = true;
        emulator.setFaults({ expireSas: true });
      }
    });
    expect(expired, seen.join(' ')).toBe(true);
    expect(job).toMatchObject({ state: 'succeeded', entities: [expect.objectContaining({ targetRecords: ROWS })] });
    // First URL, the renewal after the refusal, and the URL handed to ImportFromPackage.
    expect(calls('GetAzureWriteUrl').length).toBeGreaterThanOrEqual(3);
  });

  it('refreshes an access token that expires mid-job without asking anyone', async () => {
    let expired = false;
    const job = await importProject('K', (j) => {
      if (!expired && j.step === 'poll') {
        expired = true;
        emulator.setFaults({ expireTokens: true });
      }
    });
    expect(expired).toBe(true);
    expect(job.state).toBe('succeeded');
    expect(emulator.calls.list().some((c) => c.status === 401)).toBe(true);
    expect(calls('ImportFromPackage')).toEqual([200]);
  });
});

describe('a CLI import killed mid-job', () => {
  it('resumes after a restart and F&O sees exactly one ImportFromPackage', async () => {
    const home = join(work, 'home');
    const bench = await emulatorBench(emulator, { home });
    await bench.test.workbench.close();
    const dir = join(work, 'killed');
    await bigProject(dir, 'X');
    emulator.setFaults({ stuckExecutions: 1 });
    const env = { ...process.env, DMFW_HOME: home, CI: '1' };
    const cli = join(REPO_ROOT, 'bin/dmfw.mjs');
    const child = spawn(
      process.execPath,
      [cli, 'import', dir, '--env', 'Emulator', '--project', 'DMFW-Killed', '--wait'],
      // Run from the project folder, as a consultant does (`dmfw import .`): no node_modules
      // there, so the row store worker must find tsx from the workbench's own folder.
      { env, cwd: dir, stdio: 'ignore' },
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Kill it once F&O has the import (it stays Executing: the emulator holds it).
    await expect.poll(() => calls('ImportFromPackage').length, { timeout: 30_000, interval: 50 }).toBe(1);
    child.kill('SIGKILL');
    expect(await exited).toBeNull();

    const [jobDir] = await readdir(join(home, 'jobs'));
    const record = JSON.parse(await readFile(join(home, 'jobs', jobDir!, 'job.json'), 'utf8')) as {
      executionId: string;
      state: string;
    };
    expect(record.state).not.toMatch(/succeeded|failed/);
    await adminFetch(emulator, `/executions/${encodeURIComponent(record.executionId)}/release`, { body: {} });

    const resumed = await promisify(execFile)(process.execPath, [cli, 'resume', '--wait'], { env });
    // The report of import --wait: the execution and its entities.
    expect(resumed.stdout).toContain(`Execution ${record.executionId}: Succeeded`);
    const status = await promisify(execFile)(
      process.execPath,
      [cli, 'status', record.executionId, '--env', 'Emulator', '--json'],
      { env },
    );
    expect(JSON.parse(status.stdout)).toMatchObject({
      executionId: record.executionId,
      status: 'Succeeded',
      entities: [
        { label: 'Customer groups', stagingRecords: ROWS, targetRecords: ROWS, stagingErrors: 0, targetErrors: 0 },
      ],
      errors: [],
    });
    expect(calls('ImportFromPackage')).toEqual([200]);
  }, 120_000);

  it('says how to resume when Ctrl+C stops a waiting import', async () => {
    const home = join(work, 'home');
    const dir = join(work, 'interrupted');
    await bigProject(dir, 'Y');
    emulator.setFaults({ stuckExecutions: 1 });
    const env = { ...process.env, DMFW_HOME: home, CI: '1' };
    const cli = join(REPO_ROOT, 'bin/dmfw.mjs');
    const args = [cli, 'import', dir, '--env', 'Emulator', '--project', 'DMFW-Interrupted', '--wait'];
    const child = spawn(process.execPath, args, { env, cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await expect.poll(() => calls('ImportFromPackage').length, { timeout: 30_000, interval: 50 }).toBe(1);
    await expect.poll(() => stderr, { timeout: 10_000, interval: 50 }).toContain('poll');
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toMatch(/\nStopped\. .+ goes on from where it was with: dmfw resume \d{8}-[0-9a-f]{8} --wait\n$/);

    await releaseJobOf(home, stderr);
    const resumed = await promisify(execFile)(process.execPath, [cli, 'resume', '--wait'], { env });
    expect(resumed.stdout).toMatch(/^Execution \S+: Succeeded$/m);
    expect(calls('ImportFromPackage')).toEqual([200]);
  }, 120_000);

  it('tells a consultant whose environment stops answering mid-poll to resume, not import again', async () => {
    const home = join(work, 'home');
    const dir = join(work, 'unanswered');
    await bigProject(dir, 'Z');
    emulator.setFaults({ stuckExecutions: 1 });
    const env = { ...process.env, DMFW_HOME: home, CI: '1' };
    const cli = join(REPO_ROOT, 'bin/dmfw.mjs');
    const args = [cli, 'import', dir, '--env', 'Emulator', '--project', 'DMFW-Unanswered', '--wait'];
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await expect.poll(() => calls('ImportFromPackage').length, { timeout: 30_000, interval: 50 }).toBe(1);
    emulator.setFaults({ httpBurst: { status: 503, count: 1000, scope: 'dmf' } });
    expect(await exited).toBe(1);
    expect(stderr).toMatch(
      /F&O has import \S+: do not import again\. Once Emulator answers, follow it with: dmfw resume \d{8}-[0-9a-f]{8} --wait\n$/,
    );
    emulator.clearFaults();
    await releaseJobOf(home, stderr);
  }, 120_000);
});
