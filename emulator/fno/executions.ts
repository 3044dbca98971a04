import type { EntityState, ExecutionMessage } from '../processing/importer';
import type { StepTiming } from '../processing/schedule';

/** DMFExecutionSummaryStatus names [DOC][CLIENT]. */
export type SummaryStatus =
  'Unknown' | 'NotRun' | 'Executing' | 'Succeeded' | 'PartiallySucceeded' | 'Failed' | 'Canceled';
export type Outcome = 'Succeeded' | 'PartiallySucceeded' | 'Failed';

/** Record counts of an entity's staging and target steps. */
export interface EntityCounts {
  readonly stagingRecords: number;
  readonly stagingErrorCount: number;
  readonly targetRecords: number;
  readonly targetCreated: number;
  readonly targetUpdated: number;
  readonly targetErrorCount: number;
}

export interface EntityExecution extends EntityCounts {
  readonly label: string;
  readonly targetEntity: string;
  readonly company: string;
  readonly stagingStatus: EntityState;
  readonly targetStatus: EntityState;
  readonly keyFields: readonly string[];
  /** Placement in the job (absent in state saved by older emulators: 1.1.1). */
  readonly executionUnit?: number;
  readonly level?: number;
  readonly sequence?: number;
  /** Emulator-clock times: staging starts and ends, target starts (null: not run) and all done. */
  readonly startedAt: number;
  readonly stagingCompletedAt?: number;
  readonly targetStartedAt?: number | null;
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

/** One entity of an execution as it stands at a moment of the emulator clock. */
export interface EntityProgress extends EntityCounts {
  readonly entity: EntityExecution;
  /** Not started yet: NotRun; running: Executing; then the step's own status. */
  readonly stagingStatus: EntityState | 'Executing';
  /** Counts (EntityCounts) appear when their step has ended [INFER]. */
  readonly targetStatus: EntityState | 'Executing';
  /** Step times, null until the step has started (or ended). */
  readonly stagingStartedAt: number | null;
  readonly stagingCompletedAt: number | null;
  readonly targetStartedAt: number | null;
  readonly targetCompletedAt: number | null;
}

/**
 * An entity's progress at `now`: execution units run side by side on the emulator clock, so at one
 * moment an entity of unit 2 can be Executing while unit 1 is still on its first level.
 */
export function entityProgress(e: EntityExecution, now: number): EntityProgress {
  const stagingEnd = e.stagingCompletedAt ?? e.completedAt;
  const targetStart =
    e.targetStartedAt !== undefined ? e.targetStartedAt : e.targetStatus === 'NotRun' ? null : stagingEnd;
  const stagingDone = now >= stagingEnd;
  const targetDone = targetStart !== null && now >= e.completedAt;
  const status = (start: number | null, end: number, final: EntityState): EntityState | 'Executing' =>
    start === null ? final : now < start ? 'NotRun' : now < end ? 'Executing' : final;
  return {
    entity: e,
    stagingStatus: status(e.startedAt, stagingEnd, e.stagingStatus),
    targetStatus: status(targetStart, e.completedAt, e.targetStatus),
    stagingRecords: stagingDone ? e.stagingRecords : 0,
    stagingErrorCount: stagingDone ? e.stagingErrorCount : 0,
    targetRecords: targetDone ? e.targetRecords : 0,
    targetCreated: targetDone ? e.targetCreated : 0,
    targetUpdated: targetDone ? e.targetUpdated : 0,
    targetErrorCount: targetDone ? e.targetErrorCount : 0,
    stagingStartedAt: now >= e.startedAt ? e.startedAt : null,
    stagingCompletedAt: stagingDone ? stagingEnd : null,
    targetStartedAt: targetStart !== null && now >= targetStart ? targetStart : null,
    targetCompletedAt: targetDone ? e.completedAt : null,
  };
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

/**
 * Step times of an execution picked up at `startAt`: an entity's staging and its target step each
 * take half of the per-entity time and half of its rows' time [INFER].
 */
export function stepTiming(latency: Latency, startAt: number): StepTiming {
  const perRowMs = Number.isFinite(latency.rowsPerSecond) ? 1000 / latency.rowsPerSecond : 0;
  return { startAt, stepMs: (rows) => (latency.perEntityMs + rows * perRowMs) / 2 };
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
