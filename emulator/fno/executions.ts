import type { EntityState, ExecutionMessage } from '../processing/importer';

/** DMFExecutionSummaryStatus names [DOC][CLIENT]. */
export type SummaryStatus =
  'Unknown' | 'NotRun' | 'Executing' | 'Succeeded' | 'PartiallySucceeded' | 'Failed' | 'Canceled';
export type Outcome = 'Succeeded' | 'PartiallySucceeded' | 'Failed';

export interface EntityExecution {
  readonly label: string;
  readonly targetEntity: string;
  readonly company: string;
  readonly stagingStatus: EntityState;
  readonly targetStatus: EntityState;
  readonly stagingRecords: number;
  readonly stagingErrorCount: number;
  readonly targetRecords: number;
  readonly targetCreated: number;
  readonly targetUpdated: number;
  readonly targetErrorCount: number;
  readonly keyFields: readonly string[];
  readonly startedAt: number;
  readonly completedAt: number;
}

export interface Execution {
  readonly id: string;
  readonly kind: 'import' | 'export';
  readonly project: string;
  readonly company: string;
  readonly createdAt: number;
  /** When the batch job picks it up (status leaves NotRun). */
  pickupAt: number;
  /** When it is done on the emulator clock; null while the emulator is still computing it. */
  finishAt: number | null;
  outcome: Outcome | null;
  canceled: boolean;
  /** Fault: stays Executing until released through the admin API. */
  stuck: boolean;
  messages: ExecutionMessage[];
  entities: EntityExecution[];
  /** Export: the package blob; import: the uploaded package blob. */
  packageBlob: string | null;
  /** Entity label → staging error file blob. */
  stagingErrorFiles: Record<string, string>;
  /** Entity label → target error keys (kept until a file is generated). */
  targetErrorKeys: Record<string, string[][]>;
  /** Entity label → generated error keys file and when it is ready. */
  targetErrorKeysFiles: Record<string, { blob: string; readyAt: number }>;
  /** Recurring message that started it. */
  messageId: string | null;
  log: string;
  /** When DeleteExecutionHistoryJob cleaned its history up (absent: never). */
  cleanedAt?: number;
}

/**
 * GetExecutionSummaryStatus. After DeleteExecutionHistoryJob the execution and entity history
 * that the status is worked out from are gone: Unknown, the status the enum has for an execution
 * it cannot tell about [INFER: F&O's answer after cleanup is undocumented; clients treat Unknown
 * as final, never as "keep polling"].
 */
export function summaryStatus(x: Execution, now: number): SummaryStatus {
  return x.cleanedAt === undefined ? progressStatus(x, now) : 'Unknown';
}

/** How far the job got, whether or not its history was cleaned up since (message status, DMF2025). */
export function progressStatus(x: Execution, now: number): Exclude<SummaryStatus, 'Unknown'> {
  if (x.canceled) return 'Canceled';
  if (now < x.pickupAt) return 'NotRun';
  if (x.stuck || x.outcome === null || x.finishAt === null || now < x.finishAt) return 'Executing';
  return x.outcome;
}

export const isActive = (x: Execution, now: number): boolean => {
  const s = progressStatus(x, now);
  return s === 'NotRun' || s === 'Executing';
};

/**
 * The outcome F&O reports: Failed when nothing was processed or every row failed,
 * PartiallySucceeded when some rows failed, else Succeeded [INFER: the rule for a job whose
 * every entity failed is not documented; DMF shows such jobs as failed].
 */
export function outcomeOf(entities: readonly EntityExecution[], fatal: boolean): Outcome {
  if (fatal) return 'Failed';
  const errors = entities.reduce((n, e) => n + e.stagingErrorCount + e.targetErrorCount, 0);
  if (errors === 0) return 'Succeeded';
  const good = entities.reduce((n, e) => n + (e.targetStatus === 'NotRun' ? e.stagingRecords : e.targetRecords), 0);
  return good > 0 ? 'PartiallySucceeded' : 'Failed';
}

/** How long things take on the emulator clock ("status latency"); zero at speed 'max'. */
export interface Latency {
  /** From the call to the batch job picking it up. */
  readonly pickupMs: number;
  readonly perEntityMs: number;
  /** Rows per emulator second. */
  readonly rowsPerSecond: number;
}

/** [INFER] plausible F&O batch timings: a few seconds to start, then a few thousand rows a second. */
export const REALISTIC_LATENCY: Latency = { pickupMs: 5000, perEntityMs: 2000, rowsPerSecond: 2000 };
export const NO_LATENCY: Latency = { pickupMs: 0, perEntityMs: 0, rowsPerSecond: Infinity };

export function durationMs(latency: Latency, entities: number, rows: number): number {
  return (
    entities * latency.perEntityMs +
    (Number.isFinite(latency.rowsPerSecond) ? (rows / latency.rowsPerSecond) * 1000 : 0)
  );
}

export class ExecutionRegistry {
  readonly #executions = new Map<string, Execution>();

  /** Execution ids are case-insensitive (they are F&O keys). */
  get(id: string): Execution | undefined {
    return this.#executions.get(id.toLowerCase());
  }

  add(x: Execution): void {
    this.#executions.set(x.id.toLowerCase(), x);
  }

  delete(id: string): boolean {
    return this.#executions.delete(id.toLowerCase());
  }

  list(): Execution[] {
    return [...this.#executions.values()];
  }

  /** A running import or export of this data project (DMF2025). */
  activeFor(project: string, now: number): Execution | undefined {
    return this.list().find((x) => x.project.toLowerCase() === project.toLowerCase() && isActive(x, now));
  }
}
