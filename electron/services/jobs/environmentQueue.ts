import { cancelled } from '../dmf/retry';

/**
 * One queue per environment: ImportFromPackage and ExportToPackage are never in flight in
 * parallel against one environment (F&O says not to call ImportFromPackage from parallel threads,
 * and concurrent runs of a data project fail with DMF2025). A job holds its environment from
 * submitting until F&O reports a final status; others wait in the order they asked.
 */
export class EnvironmentQueue {
  readonly #holders = new Map<string, string>();
  readonly #waiting = new Map<string, { jobId: string; grant: () => void }[]>();

  /** Resolves when `jobId` holds `environmentId` (at once if it already does). */
  acquire(environmentId: string, jobId: string, signal?: AbortSignal): Promise<void> {
    const holder = this.#holders.get(environmentId);
    if (holder === undefined || holder === jobId) {
      this.#holders.set(environmentId, jobId);
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const queue = this.#waiting.get(environmentId) ?? [];
      const entry = {
        jobId,
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        const list = this.#waiting.get(environmentId) ?? [];
        this.#waiting.set(
          environmentId,
          list.filter((e) => e !== entry),
        );
        reject(cancelled(signal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      queue.push(entry);
      this.#waiting.set(environmentId, queue);
    });
  }

  /** Releases whatever environment the job holds, handing it to the next in line. */
  release(jobId: string): void {
    for (const [environmentId, holder] of this.#holders) {
      if (holder !== jobId) continue;
      const next = this.#waiting.get(environmentId)?.shift();
      if (next) {
        this.#holders.set(environmentId, next.jobId);
        next.grant();
      } else {
        this.#holders.delete(environmentId);
      }
    }
  }

  holder(environmentId: string): string | null {
    return this.#holders.get(environmentId) ?? null;
  }
}
