import { AppError } from '../../../shared/api/errors';
import type { DmfClient } from '../dmf/dmfClient';
import { isAmbiguous } from '../dmf/dmfHttp';
import type { Timing } from '../dmf/retry';
import type { ExecutionStatus } from '../dmf/types';
import { FINAL_EXECUTION_STATUSES } from '../dmf/types';
import type { StepContext } from './jobRunner';

/** How a job waits for F&O. Tests shorten everything; the defaults suit a real environment. */
export interface PollPolicy {
  /** First wait between two status calls; it grows by `factor` up to `maxMs`. */
  readonly firstMs: number;
  readonly maxMs: number;
  readonly factor: number;
  /** Give up following an execution after this long (a job stuck in Executing). */
  readonly maxWaitMs: number;
  /**
   * After a submission whose answer was lost, wait this long before trusting "no such
   * execution": the request may still be on its way through F&O's front end.
   */
  readonly submitGraceMs: number;
  /** Submissions sent at most (each only after F&O said it never got the previous one). */
  readonly maxSubmissions: number;
}

export const DEFAULT_POLL_POLICY: PollPolicy = Object.freeze({
  firstMs: 2_000,
  maxMs: 30_000,
  factor: 1.5,
  maxWaitMs: 24 * 3600_000,
  submitGraceMs: 15_000,
  maxSubmissions: 3,
});

export interface ExecutionServices {
  readonly timing: Timing;
  readonly poll: PollPolicy;
}

/**
 * Sends ImportFromPackage or ExportToPackage for the job's own execution id exactly once, even
 * when the process dies between sending and saving the answer: `submitSentAt` is saved before
 * the call, and a job that finds it set asks GetExecutionSummaryStatus whether F&O knows the id
 * before it sends anything again.
 */
export async function submitOnce(
  context: StepContext<ExecutionServices>,
  dmf: DmfClient,
  executionId: string,
  send: () => Promise<string>,
): Promise<void> {
  const { job, signal } = context;
  const { timing, poll } = context.services;
  const known = async (): Promise<boolean> => (await dmf.probeExecution(executionId, { signal })) !== null;
  const graceThenKnown = async (sentAt: number): Promise<boolean> => {
    if (await known()) return true;
    const wait = sentAt + poll.submitGraceMs - timing.now();
    if (wait > 0) {
      await timing.sleep(wait, signal);
      return known();
    }
    return false;
  };

  const previous = job.data.submitSentAt;
  if (typeof previous === 'number' && (await graceThenKnown(previous))) return;
  for (let attempt = 1; attempt <= poll.maxSubmissions; attempt++) {
    const sentAt = timing.now();
    job.data.submitSentAt = sentAt;
    await context.save();
    try {
      const answered = await send();
      if (answered && answered !== executionId) {
        throw new AppError('REMOTE_FAILED', `F&O answered with execution id ${answered} instead of ${executionId}.`);
      }
      return;
    } catch (error) {
      if (isAmbiguous(error)) {
        if (await graceThenKnown(sentAt)) return;
        continue;
      }
      // A refusal such as "the execution id is already used" after a lost answer: ours got through.
      if (error instanceof AppError && error.code === 'REMOTE_FAILED' && (await known())) return;
      throw error;
    }
  }
  throw new AppError(
    'REMOTE_FAILED',
    `The environment did not confirm execution ${executionId} after ${poll.maxSubmissions} attempts. Check your connection and resume the job.`,
  );
}

/** Polls GetExecutionSummaryStatus with backoff until a final status; saves each change. */
export async function pollUntilFinal(
  context: StepContext<ExecutionServices>,
  dmf: DmfClient,
  executionId: string,
  /** Between two status calls while the execution runs: e.g. read the per-entity progress. */
  whileRunning?: () => Promise<void>,
): Promise<ExecutionStatus> {
  const { job, signal } = context;
  const { timing, poll } = context.services;
  const started = timing.now();
  let delay = poll.firstMs;
  let unknownInARow = 0;
  for (;;) {
    const status = await dmf.getExecutionSummaryStatus(executionId, { signal });
    if (status !== job.executionStatus) {
      job.executionStatus = status;
      await context.save();
    }
    context.progress({ phase: 'processing', message: status });
    if (FINAL_EXECUTION_STATUSES.has(status)) return status;
    unknownInARow = status === 'Unknown' ? unknownInARow + 1 : 0;
    if (unknownInARow >= 5) {
      throw new AppError(
        'REMOTE_FAILED',
        `F&O reports the status of execution ${executionId} as Unknown. Open it in Job history to see why.`,
      );
    }
    await whileRunning?.();
    if (timing.now() - started > poll.maxWaitMs) {
      throw new AppError(
        'TIMEOUT',
        `Execution ${executionId} is still ${status} after ${Math.round(poll.maxWaitMs / 60_000)} minutes. Check its batch job in F&O, then resume the job.`,
      );
    }
    await timing.sleep(delay, signal);
    delay = Math.min(poll.maxMs, Math.round(delay * poll.factor));
  }
}

/** Polls a URL-returning action until its value is non-empty (GetExportedPackageUrl, error keys). */
export async function pollForUrl(
  context: StepContext<ExecutionServices>,
  what: string,
  get: () => Promise<string>,
  limitMs = 10 * 60_000,
): Promise<string> {
  const { timing, poll } = context.services;
  const started = timing.now();
  let delay = poll.firstMs;
  for (;;) {
    const url = await get();
    if (url) return url;
    if (timing.now() - started > limitMs) {
      throw new AppError(
        'TIMEOUT',
        `${what} was not ready after ${Math.round(limitMs / 60_000)} minutes. Resume the job later.`,
      );
    }
    await timing.sleep(delay, context.signal);
    delay = Math.min(poll.maxMs, Math.round(delay * poll.factor));
  }
}

/** The job's execution id: made once, saved before anything is sent, unique and readable in F&O's Job history. */
export function executionIdFor(dataProject: string, jobId: string, now: Date): string {
  const project = dataProject.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 40) || 'DMFW';
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${project}-${stamp}-${jobId.slice(-8)}`;
}
