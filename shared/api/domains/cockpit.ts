import { z } from '../zod';
import { method } from '../define';
import type { RanBy } from './jobs';
import type { RunScheduleEntry } from './projects';
import type { ReconciliationStatus, ReconciliationSummary } from './reconciliation';

/**
 * The migration cockpit: one project across its cycles (every run in runs/<time>-<job>.json),
 * per entity and per run, with readiness and the run schedule as F&O timed it.
 */

/** One rule's errors of an entity in a run: F&O's message with its values taken out. */
export interface CockpitRule {
  readonly stage: 'staging' | 'target' | 'execution';
  /** F&O's message with quoted values and numbers replaced by "…" (the rule, not the row). */
  readonly rule: string;
  readonly count: number;
}

/** One entity in one run. Counts a run recorded before the cockpit existed are null. */
export interface CockpitEntityRun {
  readonly label: string;
  /** Rows of the package the run built for it (null: an older run that did not record it). */
  readonly sourceRows: number | null;
  /** Rows F&O took into staging. */
  readonly staged: number;
  /** Records F&O created or updated in the target. */
  readonly loaded: number;
  readonly stagingErrors: number;
  readonly targetErrors: number;
  /** Errors by stage and rule, most first (null: not recorded). */
  readonly rules: readonly CockpitRule[] | null;
  /** Distinct errors compared with the entity's previous run (null: nothing to compare with). */
  readonly new: number | null;
  readonly carriedOver: number | null;
  readonly resolved: number | null;
}

/** One entity's place and F&O's own times in an execution (from the run file). */
export type ScheduleEntry = RunScheduleEntry;

/** One run of the project: a cycle, or a re-import of failed rows within one. */
export interface CockpitRun {
  /** 1, 2, 3… in time order: the label on the charts ("#3"). */
  readonly number: number;
  readonly jobId: string;
  readonly kind: 'import' | 'reimport-failed' | string;
  readonly environment: string;
  readonly company: string | null;
  readonly executionId: string | null;
  /** F&O's execution status name. */
  readonly status: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly packageHash: string | null;
  /** Who ran it (null: a run recorded before the workbench kept it, "not recorded"). */
  readonly ranBy: RanBy | null;
  readonly entities: readonly CockpitEntityRun[];
  /** Errors still open after this run, over every entity (an entity's latest run up to this one). */
  readonly openErrors: number;
  /** The run schedule, when the run recorded F&O's timings (null: an older run, or F&O did not answer). */
  readonly schedule: readonly ScheduleEntry[] | null;
  readonly reconciliation: ReconciliationSummary | null;
}

/** Where an entity stands now: the readiness matrix's row. */
export interface EntityReadiness {
  readonly label: string;
  /** Loaded: its latest run loaded every row; partly: some; not-loaded: none, or never run. */
  readonly loaded: 'loaded' | 'partly' | 'not-loaded';
  /** Of its latest run. */
  readonly loadedRows: number;
  readonly sourceRows: number | null;
  readonly openErrors: number;
  /**
   * Of its latest run (shared/api/domains/reconciliation.ts): reconciled, differences, or
   * not-checked (F&O could not be read back); not-reconciled: no reconciliation of that run.
   */
  readonly reconciled: ReconciliationStatus | 'not-reconciled';
  /** The run the answers come from (null: never run). */
  readonly lastRun: number | null;
}

export interface CockpitView {
  readonly dir: string;
  readonly name: string;
  /** Oldest first. */
  readonly runs: readonly CockpitRun[];
  /** The project's entities (enabled ones), then any entity only runs name, in that order. */
  readonly entities: readonly string[];
  readonly readiness: readonly EntityReadiness[];
  /** Whether this workbench can reconcile runs yet (false: every entity is "not reconciled"). */
  readonly reconciliationAvailable: boolean;
}

export const cockpitMethods = {
  'cockpit.project': method<CockpitView>()(
    "A project's migration cockpit: every run (cycle) with its counts per entity, errors by stage and rule, new / carried over / resolved, open errors, the run schedule with F&O's timings, and each entity's readiness.",
    z.object({ dir: z.string().min(1).max(4096) }).strict(),
  ),
} as const;
