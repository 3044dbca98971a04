import { randomUUID } from 'node:crypto';
import type { Publish } from '../../../shared/api/contract';
import type { JobKind, JobProgress, JobSummary, RanBy } from '../../../shared/api/domains/jobs';
import { AppError } from '../../../shared/api/errors';
import type { ApiError } from '../../../shared/api/errors';
import type { Logger } from '../logging/logger';
import type { EnvironmentLocks } from './environmentLock';
import { describeHolder } from './environmentLock';
import type { EnvironmentQueue } from './environmentQueue';
import { FINAL_STATES, JOB_SCHEMA_VERSION } from './jobStore';
import type { JobRecord, JobStore } from './jobStore';

/** A step returns the name of the next step, DONE when the job is over, or PAUSE to wait for jobs.confirm. */
export const DONE = 'done';
export const PAUSE = 'pause';

export interface StepContext<S> {
  readonly job: JobRecord;
  /** The job's own folder (its package, downloads, error files). */
  readonly dir: string;
  readonly signal: AbortSignal;
  readonly services: S;
  /** Persists the record as it is now (after the step changed job.data or other fields). */
  save(): Promise<void>;
  progress(progress: JobProgress | null): void;
  /** Waits for, then holds, an environment's queue until releaseEnvironment() or the job's end. */
  holdEnvironment(environmentId: string): Promise<void>;
  releaseEnvironment(): void;
}

export type Step<S> = (context: StepContext<S>) => Promise<string>;

export interface JobKindSpec<S> {
  readonly steps: Readonly<Record<string, Step<S>>>;
}

export interface NewJob {
  readonly kind: JobKind;
  readonly title: string;
  readonly environmentId: string;
  readonly environmentName: string;
  readonly targetEnvironmentId?: string | null;
  readonly dataProject?: string | null;
  readonly company?: string | null;
  readonly firstStep: string;
  readonly params: Record<string, unknown>;
  /** Who runs it (JobService records it on every job it creates). */
  readonly ranBy?: RanBy;
}

const PROGRESS_INTERVAL_MS = 250;
const CLOSING = 'The workbench is closing.';

/**
 * Runs jobs as persisted state machines: the record is saved after every step, so a job that
 * was running when the app closed or crashed continues from the step it was in. Steps are written
 * to be safe to run again from their start (see each kind for how: an import asks F&O whether its
 * execution id exists before it sends ImportFromPackage again).
 */
export class JobRunner<S> {
  readonly #store: JobStore;
  readonly #queue: EnvironmentQueue;
  readonly #publish: Publish;
  readonly #logger: Logger;
  readonly #kinds: Readonly<Record<JobKind, JobKindSpec<S>>>;
  readonly #services: S;
  readonly #records = new Map<string, JobRecord>();
  readonly #running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  readonly #progress = new Map<string, { value: JobProgress; sentAt: number }>();
  readonly #waiters = new Map<string, (() => void)[]>();
  readonly #jobLocks: EnvironmentLocks | undefined;
  #loaded: Promise<void> | null = null;

  constructor(options: {
    store: JobStore;
    queue: EnvironmentQueue;
    /**
     * Locks shared with other processes on the data dir: a job runs in one process at a time
     * (two once uploaded one package and both called ImportFromPackage). None: this process only.
     */
    jobLocks?: EnvironmentLocks;
    publish: Publish;
    logger: Logger;
    kinds: Readonly<Record<JobKind, JobKindSpec<S>>>;
    services: S;
  }) {
    this.#store = options.store;
    this.#queue = options.queue;
    this.#jobLocks = options.jobLocks;
    this.#publish = options.publish;
    this.#logger = options.logger;
    this.#kinds = options.kinds;
    this.#services = options.services;
  }

  /** Loads the persisted jobs (once). */
  load(): Promise<void> {
    this.#loaded ??= (async () => {
      for (const record of await this.#store.list())
        if (!this.#records.has(record.id)) this.#records.set(record.id, record);
    })().catch((error: unknown) => {
      // A failed load (the jobs folder unreadable for a moment) is tried again by the next call,
      // instead of every job command failing until the workbench restarts.
      this.#loaded = null;
      throw error;
    });
    return this.#loaded;
  }

  /**
   * Continues every job that was interrupted (the app was closed or crashed). Jobs that had
   * already sent their import or export go first: they hold their environment in F&O already.
   */
  async resumeInterrupted(): Promise<JobSummary[]> {
    await this.load();
    const interrupted = [...this.#records.values()].filter(
      (r) => !FINAL_STATES.has(r.state) && !(r.state === 'waiting' && r.step === PAUSE) && !this.#running.has(r.id),
    );
    const submitted = (r: JobRecord) => (r.executionId !== null && r.data.submitSentAt !== undefined ? 0 : 1);
    interrupted.sort((a, b) => submitted(a) - submitted(b) || a.createdAt.localeCompare(b.createdAt));
    const resumed: JobRecord[] = [];
    for (const record of interrupted) {
      const holder = await this.#takeJobLock(record);
      if (holder !== true) {
        this.#logger.info(`Not resuming job ${record.id} (${record.title}): ${describeHolder(holder)} is running it.`);
        continue;
      }
      this.#logger.info(`Resuming job ${record.id} (${record.title}) at step ${record.step}`);
      this.#start(record);
      resumed.push(record);
    }
    return resumed.map((r) => this.summary(r));
  }

  async create(init: NewJob): Promise<JobSummary> {
    await this.load();
    const now = new Date().toISOString();
    const record: JobRecord = {
      schemaVersion: JOB_SCHEMA_VERSION,
      id: `${now.slice(0, 10).replace(/-/g, '')}-${randomUUID().slice(0, 8)}`,
      kind: init.kind,
      title: init.title,
      environmentId: init.environmentId,
      environmentName: init.environmentName,
      targetEnvironmentId: init.targetEnvironmentId ?? null,
      state: 'queued',
      step: init.firstStep,
      createdAt: now,
      updatedAt: now,
      finishedAt: null,
      executionId: null,
      executionStatus: null,
      dataProject: init.dataProject ?? null,
      company: init.company ?? null,
      entities: [],
      errorCount: 0,
      output: null,
      diff: null,
      messageId: null,
      error: null,
      params: init.params,
      data: {},
      ...(init.ranBy ? { ranBy: init.ranBy } : {}),
    };
    this.#records.set(record.id, record);
    await this.#save(record);
    await this.#requireJobLock(record);
    this.#start(record);
    return this.summary(record);
  }

  async list(): Promise<JobSummary[]> {
    await this.load();
    return [...this.#records.values()]
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .map((r) => this.summary(r));
  }

  async record(id: string): Promise<JobRecord> {
    await this.load();
    const record = this.#records.get(id);
    if (!record)
      throw new AppError('NOT_FOUND', `There is no job "${id}". List the jobs with \`dmfw jobs\` or in Jobs.`);
    return record;
  }

  async get(id: string): Promise<JobSummary> {
    return this.summary(await this.record(id));
  }

  /** Resolves when the job is over, or paused for review. */
  async wait(id: string): Promise<JobSummary> {
    const record = await this.record(id);
    if (!this.#running.has(id)) return this.summary(record);
    await new Promise<void>((resolve) => this.#waiters.set(id, [...(this.#waiters.get(id) ?? []), resolve]));
    return this.summary(record);
  }

  /** Runs again a job that failed or was interrupted, from the step it stopped in. */
  async resume(id: string): Promise<JobSummary> {
    const record = await this.record(id);
    if (this.#running.has(id)) return this.summary(record);
    if (record.state === 'succeeded' || record.state === 'partially-succeeded' || record.state === 'cancelled') {
      throw new AppError('CONFLICT', `Job ${id} is ${record.state}; there is nothing to resume.`);
    }
    if (record.state === 'waiting' && record.step === PAUSE) {
      throw new AppError('CONFLICT', `Job ${id} waits for its diff to be confirmed (jobs.confirm).`);
    }
    await this.#requireJobLock(record);
    record.error = null;
    this.#start(record);
    return this.summary(record);
  }

  /** Continues a job paused for review at `nextStep`. */
  async continueAt(id: string, nextStep: string): Promise<JobSummary> {
    const record = await this.record(id);
    if (!(record.state === 'waiting' && record.step === PAUSE)) {
      throw new AppError('CONFLICT', `Job ${id} is not waiting for a confirmation (it is ${record.state}).`);
    }
    await this.#requireJobLock(record);
    record.step = nextStep;
    record.state = 'queued';
    await this.#save(record);
    this.#start(record);
    return this.summary(record);
  }

  async cancel(id: string): Promise<JobSummary> {
    const record = await this.record(id);
    const running = this.#running.get(id);
    if (running) {
      running.controller.abort(new AppError('CANCELLED', 'The job was cancelled.'));
      await running.done;
    } else if (!FINAL_STATES.has(record.state)) {
      await this.#requireJobLock(record);
      try {
        this.#finish(record, 'cancelled', cancelledError(record));
        await this.#save(record);
      } finally {
        await this.#releaseJobLock(record.id);
      }
    }
    return this.summary(record);
  }

  /** Takes the job's lock for this process: true, or the process (maybe unknown) that holds it. */
  async #takeJobLock(record: JobRecord): Promise<true | LockHolderOrNull> {
    if (!this.#jobLocks) return true;
    const attempt = await this.#jobLocks.tryTake(jobLockKey(record.id), {
      jobId: record.id,
      kind: record.kind,
      environment: record.environmentName,
    });
    return attempt.taken ? true : attempt.holder;
  }

  /** Takes the job's lock, or refuses: another process is running the job. */
  async #requireJobLock(record: JobRecord): Promise<void> {
    const holder = await this.#takeJobLock(record);
    if (holder === true) return;
    throw new AppError(
      'CONFLICT',
      `Job ${record.id} is being run by ${describeHolder(holder)}. Follow it there, or wait until it ends (\`dmfw jobs\` shows it).`,
      holder ? { holder } : undefined,
    );
  }

  async #releaseJobLock(id: string): Promise<void> {
    await this.#jobLocks
      ?.release(jobLockKey(id), id)
      .catch((error: unknown) =>
        this.#logger.warn(`The lock of job ${id} could not be removed`, error instanceof Error ? error.message : error),
      );
  }

  /** Stops following running jobs (the app is closing); they resume from their step next time. */
  async stop(): Promise<void> {
    const running = [...this.#running.values()];
    for (const { controller } of running) controller.abort(new AppError('CANCELLED', CLOSING));
    await Promise.all(running.map((r) => r.done));
  }

  summary(record: JobRecord): JobSummary {
    return {
      id: record.id,
      kind: record.kind,
      title: record.title,
      environmentId: record.environmentId,
      environmentName: record.environmentName,
      targetEnvironmentId: record.targetEnvironmentId,
      state: record.state,
      step: record.step,
      executionId: record.executionId,
      executionStatus: record.executionStatus,
      dataProject: record.dataProject,
      company: record.company,
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
      finishedAt: record.finishedAt,
      progress: FINAL_STATES.has(record.state) ? null : (this.#progress.get(record.id)?.value ?? null),
      entities: record.entities,
      errorCount: record.errorCount,
      output: record.output,
      diff: record.diff,
      messageId: record.messageId,
      error: record.error,
      rows: packageRows(record.data),
      timeline: record.timeline ?? [],
      projectDir:
        record.kind === 'import' && record.params.sourceKind === 'project' ? String(record.params.source) : null,
      ranBy: record.ranBy ?? null,
    };
  }

  dirOf(id: string): string {
    return this.#store.dirOf(id);
  }

  #start(record: JobRecord): void {
    if (this.#running.has(record.id)) return;
    const controller = new AbortController();
    const done = this.#run(record, controller).finally(async () => {
      await this.#releaseJobLock(record.id);
      this.#queue.release(record.id);
      this.#running.delete(record.id);
      for (const wake of this.#waiters.get(record.id) ?? []) wake();
      this.#waiters.delete(record.id);
    });
    this.#running.set(record.id, { controller, done });
  }

  async #run(record: JobRecord, controller: AbortController): Promise<void> {
    const spec = this.#kinds[record.kind];
    const context: StepContext<S> = {
      job: record,
      dir: this.#store.dirOf(record.id),
      signal: controller.signal,
      services: this.#services,
      save: () => this.#save(record),
      progress: (progress) => this.#report(record, progress),
      holdEnvironment: async (environmentId) => {
        if (this.#queue.holder(environmentId) !== record.id && this.#queue.holder(environmentId) !== null) {
          record.state = 'waiting';
          await this.#save(record);
        }
        await this.#queue.acquire(environmentId, record.id, {
          signal: controller.signal,
          kind: record.kind,
          // Another process (the app, `dmfw`) holds the environment: say which, in the job's progress.
          onWait: async (message) => {
            this.#report(record, { phase: 'waiting', message });
            record.state = 'waiting';
            await this.#save(record);
          },
        });
        if (record.state !== 'running') {
          this.#report(record, null);
          record.state = 'running';
          await this.#save(record);
        }
      },
      releaseEnvironment: () => this.#queue.release(record.id),
    };
    try {
      record.state = 'running';
      await this.#save(record);
      while (record.step !== DONE) {
        const step = spec.steps[record.step];
        if (!step) throw new AppError('INTERNAL', `Job ${record.id} is at an unknown step "${record.step}".`);
        const next = await step(context);
        if (next === PAUSE) {
          record.step = PAUSE;
          record.state = 'waiting';
          this.#progress.delete(record.id);
          await this.#save(record);
          return;
        }
        record.step = next;
        if (next === DONE && !FINAL_STATES.has(record.state)) this.#finish(record, 'succeeded', null);
        await this.#save(record);
      }
    } catch (error) {
      const closing =
        controller.signal.aborted && (controller.signal.reason as AppError | undefined)?.message === CLOSING;
      if (closing) {
        // Not a cancellation by the user: the job resumes from this step next time.
        record.state = 'queued';
        await this.#save(record).catch(() => undefined);
        return;
      }
      if (controller.signal.aborted) this.#finish(record, 'cancelled', cancelledError(record));
      else {
        const apiError = toApiError(error);
        if (apiError.code === 'INTERNAL') this.#logger.error(`Job ${record.id} failed at step ${record.step}`, error);
        // Info, not warn: the job's own error reports it to whoever follows the job (the CLI prints
        // it once; at warn it printed twice there, the first time as a timestamped log line).
        else this.#logger.info(`Job ${record.id} failed at step ${record.step}: ${apiError.message}`);
        this.#finish(record, 'failed', apiError);
      }
      await this.#save(record).catch((e: unknown) => this.#logger.error(`Job ${record.id} could not be saved`, e));
    }
  }

  #finish(record: JobRecord, state: 'succeeded' | 'failed' | 'cancelled', error: ApiError | null): void {
    record.state = state;
    record.error = error;
    record.finishedAt = new Date().toISOString();
    this.#progress.delete(record.id);
  }

  async #save(record: JobRecord): Promise<void> {
    record.updatedAt = new Date().toISOString();
    const timeline = (record.timeline ??= []);
    const last = timeline[timeline.length - 1];
    if (!last || last.step !== record.step || last.state !== record.state) {
      timeline.push({ at: record.updatedAt, step: record.step, state: record.state });
      if (timeline.length > TIMELINE_LIMIT) timeline.splice(0, timeline.length - TIMELINE_LIMIT);
    }
    await this.#store.save(record);
    this.#publish('jobs.changed', this.summary(record));
  }

  #report(record: JobRecord, progress: JobProgress | null): void {
    if (progress === null) {
      this.#progress.delete(record.id);
      return;
    }
    const now = Date.now();
    const last = this.#progress.get(record.id);
    const finished = progress.totalBytes !== undefined && progress.loadedBytes === progress.totalBytes;
    this.#progress.set(record.id, { value: progress, sentAt: last?.sentAt ?? 0 });
    if (last && last.value.phase === progress.phase && !finished && now - last.sentAt < PROGRESS_INTERVAL_MS) return;
    this.#progress.set(record.id, { value: progress, sentAt: now });
    this.#publish('jobs.progress', { jobId: record.id, progress });
  }
}

type LockHolderOrNull = Parameters<typeof describeHolder>[0];

/** The lock file key of a job (the environment locks' keys are URLs: no clash). */
function jobLockKey(id: string): string {
  return `job:${id}`;
}

/** Timeline entries kept per job: a job that polls for a day must not grow its file without bound. */
const TIMELINE_LIMIT = 100;

/** The package's rows per entity, when the job's steps recorded them (imports and copies). */
function packageRows(data: Record<string, unknown>): Readonly<Record<string, number>> | null {
  const rows = data.rows;
  if (typeof rows !== 'object' || rows === null) return null;
  return Object.fromEntries(
    Object.entries(rows).filter((entry): entry is [string, number] => typeof entry[1] === 'number'),
  );
}

function cancelledError(record: JobRecord): ApiError {
  const running =
    record.executionId &&
    record.executionStatus !== null &&
    !['Succeeded', 'PartiallySucceeded', 'Failed', 'Canceled'].includes(record.executionStatus);
  return {
    code: 'CANCELLED',
    message: running
      ? `The job was cancelled. F&O may still be running execution ${record.executionId}: check it with \`dmfw status ${record.executionId}\`.`
      : 'The job was cancelled.',
  };
}

function toApiError(error: unknown): ApiError {
  if (error instanceof AppError) return error.toJSON();
  return {
    code: 'INTERNAL',
    message: 'The job failed unexpectedly. The details are in the workbench log; please report them.',
  };
}
