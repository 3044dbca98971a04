import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../emulator';
import { environmentKey, fileEnvironmentLocks } from '../../../electron/services/jobs/environmentLock';
import { EnvironmentQueue } from '../../../electron/services/jobs/environmentQueue';
import { emulatorBench, writeFiles } from '../../support/emulatorWorkbench';

const KEY = 'https://uat.operations.dynamics.com';
const HOLDER = fileURLToPath(new URL('../../support/lockHolder.ts', import.meta.url));
let dir: string;
const children: ChildProcessWithoutNullStreams[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dmfw-locks-'));
});

afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

/** Another process trying UAT's lock in `dir`: resolves once it holds it (or found it busy). */
async function otherProcess(
  expected: 'held' | 'busy' = 'held',
  lockDir = dir,
  key = KEY,
): Promise<ChildProcessWithoutNullStreams> {
  const child = spawn(process.execPath, ['--import', 'tsx', HOLDER, lockDir, key]);
  children.push(child);
  const [line] = (await once(child.stdout, 'data')) as [Buffer];
  expect(line.toString()).toBe(`${expected}\n`);
  return child;
}

/** Times the queues of this test looked at the lock file. */
let looks = 0;

function queue(): EnvironmentQueue {
  const locks = fileEnvironmentLocks(dir, 'DMF Workbench');
  return new EnvironmentQueue({
    locks: {
      tryTake: (key, owner) => {
        looks++;
        return locks.tryTake(key, owner);
      },
      release: (key, jobId) => locks.release(key, jobId),
    },
    describe: () => ({ key: KEY, name: 'UAT' }),
    recheckMs: 50,
  });
}

describe('one import or export per environment across processes (lock file in the data dir)', () => {
  it('waits for another process to finish its import, saying which, then takes the environment', async () => {
    const child = await otherProcess();
    const waits: string[] = [];
    let granted = false;
    const acquired = queue()
      .acquire('env-1', 'job-1', { kind: 'import', onWait: (m) => void waits.push(m) })
      .then(() => (granted = true));
    await expect.poll(() => waits.length, { timeout: 30_000 }).toBe(1);
    expect(waits[0]).toBe(`Waiting for dmfw (pid ${child.pid} on ${hostname()}) to finish its import on UAT.`);
    // Not granted while the other process holds it, however often the queue looks again.
    const seen = looks;
    await expect.poll(() => looks, { timeout: 30_000 }).toBeGreaterThanOrEqual(seen + 3);
    expect(granted).toBe(false);
    child.stdin.write('release\n');
    await acquired;
    expect(waits).toHaveLength(1);
  });

  it('takes over the lock of a process that died holding it', async () => {
    const child = await otherProcess();
    child.kill('SIGKILL');
    await once(child, 'exit');
    const waits: string[] = [];
    await queue().acquire('env-1', 'job-1', { kind: 'import', onWait: (m) => void waits.push(m) });
    expect(waits).toEqual([]);
  });

  it('keeps other processes out while a job holds the environment, and lets them in when it ends', async () => {
    const here = queue();
    await here.acquire('env-1', 'job-1', { kind: 'export' });
    expect(await readdir(dir)).toHaveLength(1);
    await otherProcess('busy');
    here.release('job-1');
    await expect.poll(() => readdir(dir), { timeout: 30_000 }).toEqual([]);
    await otherProcess('held');
  });

  it('releases only the lock its own job holds', async () => {
    const child = await otherProcess('held');
    const locks = fileEnvironmentLocks(dir, 'DMF Workbench');
    await locks.release(KEY, 'child-job');
    await locks.release(KEY, 'job-1');
    expect(await readdir(dir)).toHaveLength(1);
    child.stdin.write('release\n');
    await expect.poll(() => readdir(dir), { timeout: 30_000 }).toEqual([]);
  });

  it('cancels a job waiting for another process', async () => {
    await otherProcess();
    const stop = new AbortController();
    const acquired = queue().acquire('env-1', 'job-1', {
      kind: 'import',
      signal: stop.signal,
      onWait: () => stop.abort(),
    });
    await expect(acquired).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('never takes over a lock from another host, and reads a half-written lock as held until it is old', async () => {
    const locks = fileEnvironmentLocks(dir, 'dmfw');
    const owner = { jobId: 'j', kind: 'import', environment: 'UAT' };
    await locks.tryTake(KEY, owner);
    const [file] = await readdir(dir);
    const path = join(dir, file!);
    await writeFile(
      path,
      JSON.stringify({
        pid: 1,
        host: 'another-host',
        startedAt: '',
        program: 'dmfw',
        jobId: 'k',
        kind: 'import',
        environment: 'UAT',
      }),
    );
    expect(await locks.tryTake(KEY, owner)).toMatchObject({ taken: false, holder: { host: 'another-host' } });
    await writeFile(path, '{"pid": 12');
    expect(await locks.tryTake(KEY, owner)).toEqual({ taken: false, holder: null });
    const old = new Date(Date.now() - 60_000);
    await utimes(path, old, old);
    expect(await locks.tryTake(KEY, owner)).toEqual({ taken: true });
  });
});

describe('an import job while another process imports into the same environment', () => {
  it('waits, showing who it waits for, and sends ImportFromPackage only once the other is done', async () => {
    const emulator = await startEmulator({ speed: 'max' });
    const bench = await emulatorBench(emulator);
    try {
      const project = join(dir, 'project');
      await writeFiles(project, {
        'groups.csv': 'CUSTOMERGROUPID,DESCRIPTION,PAYMENTTERMID\r\nCG01,Wholesale,Net30\r\n',
      });
      await bench.client.call('projects.create', { dir: project, name: 'Locked' });
      await bench.client.call('projects.update', {
        dir: project,
        entities: [{ label: 'Customer groups', sourceFile: 'groups.csv', enabled: true }],
      });
      // `dmfw import` in another process on the same data dir holds the environment.
      const child = await otherProcess('held', join(bench.test.home, 'locks'), environmentKey(emulator.baseUrl));
      emulator.calls.clear();
      const started = await bench.client.call('jobs.startImport', {
        environmentId: bench.env,
        source: project,
        dataProject: 'DMFW-Locked',
        company: 'USMF',
      });
      await expect
        .poll(async () => (await bench.client.call('jobs.get', { jobId: started.id })).progress?.message, {
          timeout: 20_000,
        })
        .toBe(`Waiting for dmfw (pid ${child.pid} on ${hostname()}) to finish its import on Emulator.`);
      expect((await bench.client.call('jobs.get', { jobId: started.id })).state).toBe('waiting');
      expect(emulator.calls.list({ operation: 'ImportFromPackage' })).toEqual([]);
      child.stdin.write('release\n');
      const job = await bench.finish(started);
      expect(job.error).toBeNull();
      expect(job.state).toBe('succeeded');
      expect(emulator.calls.list({ operation: 'ImportFromPackage' })).toHaveLength(1);
    } finally {
      await bench.dispose();
      await emulator.stop();
    }
  });
});
