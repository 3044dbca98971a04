import type { ExecutionStatusName, JobKind, JobState, JobSummary } from '../../api/domains/jobs';

export const FINAL_JOB_STATES: ReadonlySet<JobState> = new Set([
  'succeeded',
  'partially-succeeded',
  'failed',
  'cancelled',
]);

export const JOB_STATE_LABEL: Record<JobState, string> = {
  queued: 'Queued',
  running: 'Running',
  waiting: 'Waiting',
  succeeded: 'Succeeded',
  'partially-succeeded': 'Partially succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/**
 * F&O's execution statuses (DMFExecutionSummaryStatus, as GetExecutionSummaryStatus names them:
 * https://learn.microsoft.com/en-us/training/modules/data-package-api-finance-operations/3-status)
 * in the words F&O's job history shows a person: "Partially succeeded", not PartiallySucceeded.
 */
export const EXECUTION_STATUS_LABEL: Record<ExecutionStatusName, string> = {
  Unknown: 'Unknown',
  NotRun: 'Not run',
  Executing: 'Executing',
  Succeeded: 'Succeeded',
  PartiallySucceeded: 'Partially succeeded',
  Failed: 'Failed',
  Canceled: 'Canceled',
};

/** The words for an execution status F&O sent (a name this table lacks is shown as F&O wrote it). */
export function executionStatusLabel(status: string): string {
  return (EXECUTION_STATUS_LABEL as Record<string, string>)[status] ?? status;
}

/** The colour of an execution status: what a consultant reads before the words. */
export function executionStatusTone(status: string): 'ok' | 'warn' | 'danger' | 'accent' | 'plain' {
  switch (status) {
    case 'Succeeded':
      return 'ok';
    case 'PartiallySucceeded':
      return 'warn';
    case 'Failed':
    case 'Canceled':
      return 'danger';
    case 'Executing':
    case 'NotRun':
      return 'accent';
    default:
      return 'plain';
  }
}

export const JOB_KIND_LABEL: Record<JobKind, string> = {
  import: 'Import',
  export: 'Export',
  copy: 'Configuration copy',
  enqueue: 'Recurring import',
  dequeue: 'Recurring export',
};

export function isFinal(state: JobState): boolean {
  return FINAL_JOB_STATES.has(state);
}

export interface JobEndNotice {
  readonly jobId: string;
  readonly level: 'info' | 'warning' | 'error';
  readonly title: string;
  /** What happened and what to do next, in one or two sentences. */
  readonly body: string;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** The words of a finished job's notification (desktop notification and in-app toast alike). */
export function describeJobEnd(job: JobSummary): JobEndNotice {
  const records = job.entities.reduce((sum, e) => sum + e.targetRecords, 0);
  const title = `${JOB_KIND_LABEL[job.kind]} ${JOB_STATE_LABEL[job.state].toLowerCase()}`;
  switch (job.state) {
    case 'succeeded':
      return {
        jobId: job.id,
        level: 'info',
        title,
        body: `${job.title}: ${job.entities.length ? `${plural(records, 'record')} ${job.kind === 'export' || job.kind === 'dequeue' ? 'in the package' : 'in target'}. ` : ''}Done.`,
      };
    case 'partially-succeeded':
      return {
        jobId: job.id,
        level: 'warning',
        title,
        body: `${job.title}: ${plural(job.errorCount, 'row')} failed. Open the job to fix them in the grid and re-import only those rows.`,
      };
    case 'failed':
      return {
        jobId: job.id,
        level: 'error',
        title,
        body: `${job.title}: ${job.error?.message ?? 'the job stopped.'}`,
      };
    default:
      return { jobId: job.id, level: 'info', title, body: `${job.title} was cancelled.` };
  }
}

/**
 * Follows job changes and reports each job that reaches a final state here, once. A job first
 * seen already final (the list at start-up, a job ended in another session) is not reported.
 */
export function jobEndWatcher(onEnd: (job: JobSummary) => void): (job: JobSummary) => void {
  const running = new Set<string>();
  return (job) => {
    if (!isFinal(job.state)) {
      running.add(job.id);
      return;
    }
    if (running.delete(job.id)) onEnd(job);
  };
}
