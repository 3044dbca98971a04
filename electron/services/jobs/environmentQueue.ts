import { setTimeout as sleep } from 'node:timers/promises';
import { cancelled } from '../dmf/retry';
import type { EnvironmentLocks } from './environmentLock';
import { describeHolder } from './environmentLock';

export interface EnvironmentQueueOptions {
  /** Locks shared with other processes on the data dir (the app and `dmfw`); none: this process only. */
  readonly locks?: EnvironmentLocks;
  /**
   * The F&O instance behind an environment id (its URL, so that two entries for one instance share
   * a queue, and another process's entry matches ours) and its name for messages.
   */
  readonly describe?: (environmentId: string) => { readonly key: string; readonly name: string };
  /** How often a job waiting for another process looks at the lock again. */
  readonly recheckMs?: number;
}

export interface AcquireOptions {
  readonly signal?: AbortSignal;
  /** What the job does there (import, export…), for another process's message. */
  readonly kind: string;
  /** Told (again when it changes) why the job waits for another process. */
  readonly onWait?: (message: string) => Promise<void> | void;
}

/**
 * One queue per environment: ImportFromPackage and ExportToPackage are never in flight in
 * parallel against one environment (F&O says not to call ImportFromPackage from parallel threads,
 * and concurrent runs of a data project fail with DMF2025). A job holds its environment from
 * submitting until F&O reports a final status; others wait in the order they asked. Across
 * processes the holder also takes the environment's lock file; a job whose environment another
 * process holds waits, looking again every few seconds (no order among processes).
 */
export class EnvironmentQueue {
  readonly #holders = new Map<string, string>();
  readonly #waiting = new Map<string, { jobId: string; grant: () => void }[]>();
  /** The lock files each job holds (keys), and releases still under way (by key). */
  readonly #fileLocks = new Map<string, Set<string>>();
  readonly #releasing = new Map<string, Promise<void>>();
  readonly #options: EnvironmentQueueOptions;

  constructor(options: EnvironmentQueueOptions = {}) {
    this.#options = options;
  }

  /** Resolves when `jobId` holds `environmentId` (at once if it already does). */
  async acquire(environmentId: string, jobId: string, options: AcquireOptions): Promise<void> {
    const { key, name } = this.#describe(environmentId);
    await this.#acquireHere(key, jobId, options.signal);
    const locks = this.#options.locks;
    if (!locks || this.#fileLocks.get(jobId)?.has(key)) return;
    let told = '';
    for (;;) {
      await this.#releasing.get(key);
      const attempt = await locks.tryTake(key, { jobId, kind: options.kind, environment: name });
      if (attempt.taken) {
        this.#fileLocks.set(jobId, (this.#fileLocks.get(jobId) ?? new Set()).add(key));
        return;
      }
      const message = `Waiting for ${describeHolder(attempt.holder)} to finish its ${attempt.holder?.kind ?? 'job'} on ${name}.`;
      if (message !== told) {
        told = message;
        await options.onWait?.(message);
      }
      try {
        await sleep(this.#options.recheckMs ?? 2000, undefined, { signal: options.signal });
      } catch {
        throw cancelled(options.signal);
      }
    }
  }

  /** Releases whatever environment the job holds, handing it to the next in line. */
  release(jobId: string): void {
    const locks = this.#options.locks;
    for (const fileKey of this.#fileLocks.get(jobId) ?? []) {
      // A lock left behind by a failed delete is this process's own: stale to the next job here,
      // and to other processes once this one ends.
      const done = (locks?.release(fileKey, jobId) ?? Promise.resolve()).catch(() => undefined);
      this.#releasing.set(fileKey, done);
      void done.then(() => {
        if (this.#releasing.get(fileKey) === done) this.#releasing.delete(fileKey);
      });
    }
    this.#fileLocks.delete(jobId);
    for (const [key, holder] of this.#holders) {
      if (holder !== jobId) continue;
      const next = this.#waiting.get(key)?.shift();
      if (next) {
        this.#holders.set(key, next.jobId);
        next.grant();
      } else {
        this.#holders.delete(key);
      }
    }
  }

  holder(environmentId: string): string | null {
    return this.#holders.get(this.#describe(environmentId).key) ?? null;
  }

  #describe(environmentId: string): { key: string; name: string } {
    try {
      return this.#options.describe?.(environmentId) ?? { key: environmentId, name: environmentId };
    } catch {
      // Removed meanwhile: its id still names its queue.
      return { key: environmentId, name: environmentId };
    }
  }

  #acquireHere(key: string, jobId: string, signal: AbortSignal | undefined): Promise<void> {
    const holder = this.#holders.get(key);
    if (holder === undefined || holder === jobId) {
      this.#holders.set(key, jobId);
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const queue = this.#waiting.get(key) ?? [];
      const entry = {
        jobId,
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        const list = this.#waiting.get(key) ?? [];
        this.#waiting.set(
          key,
          list.filter((e) => e !== entry),
        );
        reject(cancelled(signal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      queue.push(entry);
      this.#waiting.set(key, queue);
    });
  }
}
