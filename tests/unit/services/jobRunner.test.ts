import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobSummary } from '../../../shared/api/domains/jobs';
import { AppError } from '../../../shared/api/errors';
import { EnvironmentQueue } from '../../../electron/services/jobs/environmentQueue';
import { DONE, JobRunner, PAUSE } from '../../../electron/services/jobs/jobRunner';
import type { JobKindSpec, StepContext } from '../../../electron/services/jobs/jobRunner';
import { JobStore } from '../../../electron/services/jobs/jobStore';
import { silentLogger } from '../../../electron/services/logging/logger';

/** A kind whose steps are scripted by the test. */
interface Gate {
  readonly promise: Promise<void>;
  resolve(): void;
}

interface Script {
  log: string[];
  gates: Map<string, Gate>;
}

/** A promise the test opens by name (Node 20 has no Promise.withResolvers). */
function gate(script: Script, name: string): Promise<void> {
  let g = script.gates.get(name);
  if (!g) {
    let resolve = () => {};
    const promise = new Promise<void>((r) => (resolve = r));
    g = { promise, resolve: () => resolve() };
    script.gates.set(name, g);
  }
  return g.promise;
}

function kind(script: Script): JobKindSpec<Script> {
  const step = (name: string, next: string) => async (context: StepContext<Script>) => {
    script.log.push(`${context.job.id.slice(-4)}:${name}`);
    context.job.data[name] = true;
    if (context.job.params.holdAt === name) await context.holdEnvironment(context.job.environmentId);
    if (context.job.params.gateAt === name)
      await Promise.race([gate(script, `${context.job.id}:${name}`), aborted(context.signal)]);
    if (context.job.params.failAt === name) throw new AppError('REMOTE_FAILED', `failed at ${name}`);
    if (context.job.params.pauseAt === name) return PAUSE;
    return next;
  };
  return { steps: { one: step('one', 'two'), two: step('two', 'three'), three: step('three', DONE) } };
}

function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
}

// Each poll has 60 s on a loaded machine; the test's own budget is longer, so a poll that runs out says so.
describe('the job runner', { timeout: 90_000 }, () => {
  let dir: string;
  let script: Script;
  let events: JobSummary[];
  // One queue per test: a job a failed test leaves holding an environment must not fail the next.
  let queue: EnvironmentQueue;

  const runner = () =>
    new JobRunner<Script>({
      store: new JobStore(dir, silentLogger),
      queue,
      publish: (event, payload) => {
        if (event === 'jobs.changed') events.push(payload as JobSummary);
      },
      logger: silentLogger,
      kinds: {
        import: kind(script),
        export: kind(script),
        copy: kind(script),
        enqueue: kind(script),
        dequeue: kind(script),
      },
      services: script,
    });

  const create = (r: JobRunner<Script>, params: Record<string, unknown> = {}, env = 'env-a') =>
    r.create({ kind: 'import', title: 't', environmentId: env, environmentName: env, firstStep: 'one', params });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dmfw-jobs-'));
    script = { log: [], gates: new Map() };
    events = [];
    queue = new EnvironmentQueue();
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('runs the steps in order and saves the record after every step', async () => {
    const r = runner();
    const job = await create(r);
    const done = await r.wait(job.id);
    expect(done).toMatchObject({ state: 'succeeded', step: 'done' });
    expect(script.log.map((l) => l.split(':')[1])).toEqual(['one', 'two', 'three']);
    const steps = events.filter((e) => e.id === job.id).map((e) => e.step);
    expect(steps).toEqual(expect.arrayContaining(['one', 'two', 'three', 'done']));
    const saved = JSON.parse(await readFile(join(dir, job.id, 'job.json'), 'utf8'));
    expect(saved).toMatchObject({ state: 'succeeded', step: 'done', data: { one: true, two: true, three: true } });
  });

  it('keeps a timeline of every step and state change, persisted with the job', async () => {
    const r = runner();
    const job = await create(r, { failAt: 'three' });
    const done = await r.wait(job.id);
    expect(done.timeline.map((t) => `${t.step}/${t.state}`)).toEqual([
      'one/queued',
      'one/running',
      'two/running',
      'three/running',
      'three/failed',
    ]);
    expect(done.timeline.every((t, i, all) => i === 0 || t.at >= all[i - 1]!.at)).toBe(true);
    // A new runner on the same folder (the app restarted) reads the same timeline back.
    expect((await runner().get(job.id)).timeline).toEqual(done.timeline);
  });

  it('keeps who ran a job with its record; a record saved before it existed reads as not recorded', async () => {
    const r = runner();
    const ranBy = { account: 'anna@contoso.com', machineUser: 'anna' };
    const job = await r.create({
      kind: 'export',
      title: 't',
      environmentId: 'env-a',
      environmentName: 'env-a',
      firstStep: 'one',
      params: {},
      ranBy,
    });
    expect(job.ranBy).toEqual(ranBy);
    await r.wait(job.id);
    expect(JSON.parse(await readFile(join(dir, job.id, 'job.json'), 'utf8')).ranBy).toEqual(ranBy);
    // A record without it (as every job saved before it existed), read by a new runner: null, never a guess.
    const old = await create(r);
    await r.wait(old.id);
    expect(JSON.parse(await readFile(join(dir, old.id, 'job.json'), 'utf8'))).not.toHaveProperty('ranBy');
    const again = runner();
    expect((await again.get(old.id)).ranBy).toBeNull();
    expect((await again.get(job.id)).ranBy).toEqual(ranBy);
  });

  it('resumes an interrupted job at the step it was in, after a restart', async () => {
    const first = runner();
    const job = await create(first, { gateAt: 'two' });
    await expect.poll(() => script.log.length, { timeout: 60_000 }).toBe(2);
    // The app closes while step two runs: the job stays resumable.
    await first.stop();
    expect((await first.get(job.id)).state).toBe('queued');
    script.log.length = 0;
    const second = runner();
    const resumed = await second.resumeInterrupted();
    expect(resumed.map((j) => j.id)).toEqual([job.id]);
    gate(script, `${job.id}:two`);
    script.gates.get(`${job.id}:two`)?.resolve();
    const done = await second.wait(job.id);
    expect(done.state).toBe('succeeded');
    expect(script.log.map((l) => l.split(':')[1])).toEqual(['two', 'three']);
  });

  it('never lets two jobs hold one environment, and lets other environments run', async () => {
    const r = runner();
    const a = await create(r, { holdAt: 'one', gateAt: 'two' });
    // Jobs start asynchronously: b is created once a holds the environment, or b could take it first.
    await expect.poll(() => queue.holder('env-a'), { timeout: 60_000 }).toBe(a.id);
    const b = await create(r, { holdAt: 'one' });
    const c = await create(r, { holdAt: 'one' }, 'env-b');
    await expect.poll(async () => (await r.get(c.id)).state, { timeout: 60_000 }).toBe('succeeded');
    await expect.poll(async () => (await r.get(b.id)).state, { timeout: 60_000 }).toBe('waiting');
    expect(queue.holder('env-a')).toBe(a.id);
    await expect.poll(() => script.gates.has(`${a.id}:two`), { timeout: 60_000 }).toBe(true);
    script.gates.get(`${a.id}:two`)?.resolve();
    await r.wait(a.id);
    expect((await r.wait(b.id)).state).toBe('succeeded');
    expect(queue.holder('env-a')).toBeNull();
  });

  it('fails a job with the step error and resumes it from that step on request', async () => {
    const r = runner();
    const job = await create(r, { failAt: 'two' });
    const failed = await r.wait(job.id);
    expect(failed).toMatchObject({
      state: 'failed',
      step: 'two',
      error: { code: 'REMOTE_FAILED', message: 'failed at two' },
    });
    const record = await r.record(job.id);
    (record.params as Record<string, unknown>).failAt = undefined;
    await r.resume(job.id);
    expect((await r.wait(job.id)).state).toBe('succeeded');
  });

  it('cancels a running job, releasing its environment', async () => {
    const r = runner();
    const job = await create(r, { holdAt: 'one', gateAt: 'two' });
    await expect.poll(() => queue.holder('env-a'), { timeout: 60_000 }).toBe(job.id);
    const cancelled = await r.cancel(job.id);
    expect(cancelled).toMatchObject({ state: 'cancelled', error: { code: 'CANCELLED' } });
    expect(queue.holder('env-a')).toBeNull();
    await expect(r.resume(job.id)).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('pauses for review and continues where told', async () => {
    const r = runner();
    const job = await create(r, { pauseAt: 'one' });
    const paused = await r.wait(job.id);
    expect(paused).toMatchObject({ state: 'waiting', step: PAUSE });
    // A restart does not continue a paused job by itself.
    expect(await runner().resumeInterrupted()).toEqual([]);
    await r.continueAt(job.id, 'three');
    expect((await r.wait(job.id)).state).toBe('succeeded');
    expect(script.log.map((l) => l.split(':')[1])).toEqual(['one', 'three']);
  });
});
