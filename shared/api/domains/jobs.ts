import { z } from '../zod';
import type { ApiError } from '../errors';
import { event, method } from '../define';

/** What a job does. */
export const JOB_KINDS = ['import', 'export', 'copy', 'enqueue', 'dequeue'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/**
 * Where a job is. `waiting`: queued behind another import or export of the same environment, or
 * (copy) waiting for the consultant to confirm the diff. The last four are final.
 */
export const JOB_STATES = [
  'queued',
  'running',
  'waiting',
  'succeeded',
  'partially-succeeded',
  'failed',
  'cancelled',
] as const;
export type JobState = (typeof JOB_STATES)[number];

/** F&O's DMFExecutionSummaryStatus names. */
export type ExecutionStatusName =
  'Unknown' | 'NotRun' | 'Executing' | 'Succeeded' | 'PartiallySucceeded' | 'Failed' | 'Canceled';

/** One entity of an execution, as `dmfw import --json` prints it. */
export interface EntityOutcome {
  /** Entity label, e.g. "Customers V3". */
  readonly label: string;
  readonly status: string;
  readonly stagingRecords: number;
  readonly targetRecords: number;
  readonly stagingErrors: number;
  readonly targetErrors: number;
}

/**
 * One failed row, mapped back to where it came from: the original source file and its 1-based
 * data row (the header is not a row). Execution errors that name no row have sourceRow null.
 */
export interface RowError {
  readonly entity: string;
  readonly sourceFile: string | null;
  readonly sourceRow: number | null;
  /** Staging field, when F&O names one. */
  readonly field: string | null;
  readonly message: string;
  /** source → staging, staging → target, or an execution message not tied to a row. */
  readonly stage: 'staging' | 'target' | 'execution';
}

/** New / changed / same counts of one entity in a configuration copy's diff. */
export interface CopyDiffEntity {
  readonly label: string;
  readonly new: number;
  readonly changed: number;
  readonly same: number;
  /** Keys of a few changed records with the fields that differ (for review; not every record). */
  readonly examples: readonly { readonly key: string; readonly fields: readonly string[] }[];
  /** The fields that differ in changed records, with how many records each (absent in older jobs). */
  readonly fields?: readonly { readonly field: string; readonly records: number }[];
  /** Records the import sent once the choices were applied (null before; absent in older jobs). */
  readonly sent?: number | null;
  /** After the import: records of the package that now match in the target (null before). */
  readonly verified: number | null;
}

/** One record of a copy's diff: its key, what happens to it, and the fields that differ. */
export interface CopyDiffRow {
  /** The key values, e.g. "10, USMF" (without the legal entity). */
  readonly key: string;
  /** What the record was in the target before the copy: no such record, different, or the same. */
  readonly status: 'new' | 'changed' | 'same';
  /**
   * Changed: the fields that differ (target = its value there, as a package writes it). New: the
   * fields the copy sets (target null). `kept`: the target's value is kept (a choice).
   */
  readonly changes: readonly {
    readonly field: string;
    readonly target: string | null;
    readonly copied: string;
    readonly kept?: boolean;
  }[];
  /** Whether the copy sends it, once the choices are made (null while under review). */
  readonly copied?: boolean | null;
  /** What the target held after the copy: matches, still differs, missing (null before, or not sent). */
  readonly after?: 'matches' | 'differs' | 'missing' | null;
}

/**
 * What a consultant chose to copy: records left out and fields whose target value is kept, per
 * entity label (keys as CopyDiffRow.key), and insert-only (never change an existing record).
 */
export interface CopyChoices {
  readonly insertOnly: boolean;
  readonly entities: Readonly<
    Record<string, { readonly skip: readonly string[]; readonly keepTarget: readonly string[] }>
  >;
}

/** `dmfw status --json`: an execution's status, per-entity counts and row errors. */
export interface ExecutionReport {
  readonly executionId: string;
  readonly status: ExecutionStatusName;
  readonly entities: readonly EntityOutcome[];
  /** The first errors (all when fewer than the limit asked for). */
  readonly errors: readonly RowError[];
  readonly errorCount: number;
  /** The workbench job that ran it, when it was this workbench. */
  readonly jobId: string | null;
}

export interface JobProgress {
  /** e.g. 'build', 'upload', 'processing', 'download'. */
  readonly phase: string;
  readonly loadedBytes?: number;
  readonly totalBytes?: number;
  readonly message?: string;
}

/** A step or state the job moved to, and when: the monitor's timeline. */
export interface JobTimelineEntry {
  readonly at: string;
  readonly step: string;
  readonly state: JobState;
}

/**
 * Who ran a job, recorded when it is created: the account F&O sees the calls come from, and the
 * person at the computer. Never a token: the account's user name only (MSAL's account `username`,
 * the UPN F&O shows as the user; for the Local emulator, its demo user).
 */
export interface RanBy {
  /**
   * The signed-in account's user name; null: no user account signed in (with client credentials
   * F&O acts as the user the app registration is mapped to in Microsoft Entra applications).
   */
  readonly account: string | null;
  /** The operating-system user of the computer that ran it. */
  readonly machineUser: string;
}

export interface JobSummary {
  readonly id: string;
  readonly kind: JobKind;
  readonly title: string;
  readonly environmentId: string;
  readonly environmentName: string;
  /** The target of a copy (the source is environmentId). */
  readonly targetEnvironmentId: string | null;
  readonly state: JobState;
  /** The step of the job's state machine it is in (or ended in). */
  readonly step: string;
  readonly executionId: string | null;
  readonly executionStatus: ExecutionStatusName | null;
  readonly dataProject: string | null;
  readonly company: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly finishedAt: string | null;
  readonly progress: JobProgress | null;
  readonly entities: readonly EntityOutcome[];
  /** Row-level errors found (read them with jobs.errors, a page at a time). */
  readonly errorCount: number;
  /** A file the job produced: the downloaded package, the failed-rows folder. */
  readonly output: string | null;
  readonly diff: readonly CopyDiffEntity[] | null;
  readonly messageId: string | null;
  readonly error: ApiError | null;
  /** Rows per entity label in the package the job built or sent (null before it is built, or for exports). */
  readonly rows: Readonly<Record<string, number>> | null;
  /** Every step and state change, oldest first (at most the last 100). */
  readonly timeline: readonly JobTimelineEntry[];
  /** The workbench project folder an import builds its package from (null: a ready package, or another kind). */
  readonly projectDir: string | null;
  /** Who ran it (null: a job recorded before the workbench kept it: "not recorded"). */
  readonly ranBy: RanBy | null;
}

/** Failed rows a re-import leaves out, and why: a later job already imported them, or may have. */
export interface ReimportLeftOut {
  /** imported: in the target since; importing: a job that has not ended sends them; sent: a job sent them and never learnt the outcome. */
  readonly reason: 'imported' | 'importing' | 'sent';
  /** The later job that decided it. */
  readonly jobId: string;
  readonly rows: number;
  /** One sentence for the consultant, naming the job and what to do. */
  readonly message: string;
}

/** What a re-import of a job's failed rows would send now, from each row's latest outcome. */
export interface ReimportPlan {
  readonly jobId: string;
  /** Failed rows of the job that name a source row. */
  readonly failedRows: number;
  /** Of those, the rows that still fail (or whose later attempt said nothing): what would be sent. */
  readonly toSend: number;
  readonly leftOut: readonly ReimportLeftOut[];
}

/** A job's failed rows of one entity and source file, open in the grid. */
export interface ErrorDataset {
  readonly datasetId: string;
  readonly entity: string;
  readonly sourceFile: string;
  /** The source file's own dataset, where the fixes go on re-import (null: the job's failed-rows file). */
  readonly sourceDatasetId: string | null;
  readonly rows: number;
  readonly errors: number;
}

export interface ErrorDatasets {
  readonly jobId: string;
  readonly datasets: readonly ErrorDataset[];
  /** Messages that name no source row (execution errors), for the job's error list. */
  readonly unplacedErrors: readonly string[];
}

const id = z.string().min(1).max(200);
const copyChoices = z
  .object({
    insertOnly: z.boolean().default(false),
    entities: z
      .record(
        z.string().min(1).max(200),
        z
          .object({
            skip: z.array(z.string().max(2000)).max(100_000).default([]),
            keepTarget: z.array(z.string().min(1).max(200)).max(1000).default([]),
          })
          .strict(),
      )
      .default({}),
  })
  .strict();
const path = z.string().min(1).max(4096);
const company = z.string().min(1).max(4);
const project = z.string().min(1).max(200);
/** Writing to a PROD environment: its name, typed by the consultant. */
const confirmProduction = z.string().min(1).max(200).optional();

export const jobMethods = {
  'jobs.list': method<readonly JobSummary[]>()('Every job this workbench knows, newest first.', z.object({}).strict()),
  'jobs.get': method<JobSummary>()('One job.', z.object({ jobId: id }).strict()),
  'jobs.startImport': method<JobSummary>()(
    'Import a data package (a .zip) or a workbench project folder into an environment. Returns at once; follow jobs.changed.',
    z
      .object({
        environmentId: id,
        source: path,
        /** Default: the project folder's binding; required for a package. */
        dataProject: project.optional(),
        company: company.optional(),
        /** false: stop at staging. */
        execute: z.boolean().default(true),
        /** Replace the data project's definition from the manifest. */
        overwrite: z.boolean().default(true),
        confirmProduction,
      })
      .strict(),
  ),
  'jobs.startExport': method<JobSummary>()(
    'Export a data project to a package file; incremental exports only what changed since the last one. With preview, ExportToPackagePreview: at most that many records per entity, to see what the export holds before running it.',
    z
      .object({
        environmentId: id,
        dataProject: project,
        company: company.optional(),
        /** Omitted: the package is saved in the job's folder (JobSummary.output says where). */
        outFile: path.optional(),
        incremental: z.boolean().default(false),
        /** Create or update the data project with these entity labels first. */
        entities: z.array(z.string().min(1).max(200)).max(500).optional(),
        /** Records per entity of an ExportToPackagePreview (omitted: the whole export). */
        preview: z.number().int().min(1).max(100_000).optional(),
      })
      .strict(),
  ),
  'jobs.startCopy': method<JobSummary>()(
    'Configuration copy: export entities from one environment or legal entity, diff them with the target, import them there and verify.',
    z
      .object({
        from: z.object({ environmentId: id, company: company.optional() }).strict(),
        to: z.object({ environmentId: id, company: company.optional() }).strict(),
        entities: z.array(z.string().min(1).max(200)).min(1).max(500),
        /** Stop after the diff until jobs.confirm (the UI's review step). */
        review: z.boolean().default(false),
        /** Send only records the target does not have: never change an existing one. */
        insertOnly: z.boolean().default(false),
        confirmProduction,
      })
      .strict(),
  ),
  'jobs.startEnqueue': method<JobSummary>()(
    'Recurring integrations: send a file or package to a recurring import job and follow its message status.',
    z
      .object({
        environmentId: id,
        activityId: z.string().min(1).max(100),
        file: path,
        /** Entity name for a single file; omitted for a data package. */
        entity: z.string().min(1).max(200).optional(),
        company: company.optional(),
        confirmProduction,
      })
      .strict(),
  ),
  'jobs.startDequeue': method<JobSummary>()(
    'Recurring integrations: take the next exported package of a recurring export job, save it and acknowledge it.',
    z.object({ environmentId: id, activityId: z.string().min(1).max(100), outDir: path }).strict(),
  ),
  'jobs.confirm': method<JobSummary>()(
    "Continue a copy that waits for its diff to be reviewed, with the consultant's choices: records left out, target values kept, insert only.",
    z.object({ jobId: id, confirmProduction, choices: copyChoices.optional() }).strict(),
  ),
  'jobs.exportDiff': method<{ readonly path: string; readonly rows: number }>()(
    "Write a configuration copy's diff to a file for a person (.csv or .xlsx): each record and field, the target's value before, the copied value, what was chosen and what the target held after. Cells that a spreadsheet would run as a formula are neutralised.",
    z
      .object({
        jobId: id,
        path: path.refine(
          (p) => /\.(csv|xlsx)$/i.test(p),
          'Save the diff as a .csv or an .xlsx file: end the name with one of them.',
        ),
      })
      .strict(),
  ),
  'jobs.cancel': method<JobSummary>()(
    'Stop following a job. An import F&O already started keeps running there; the job says so.',
    z.object({ jobId: id }).strict(),
  ),
  'jobs.errors': method<{ readonly total: number; readonly errors: readonly RowError[] }>()(
    'Row-level errors of a job, a page at a time.',
    z
      .object({
        jobId: id,
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(200),
      })
      .strict(),
  ),
  'jobs.reimportFailed': method<
    JobSummary & { readonly fixesApplied: number; readonly leftOut: readonly ReimportLeftOut[] }
  >()(
    'Re-import only the rows that failed, keeping their lineage: read again from the (fixed) project source files, or for a ready package from its failed-rows dataset (failed-rows/<entity>.csv in the job folder, fixed by the consultant). Fixes made in the grid to the opened errors are written back to the sources first. A row a later job imported (or is importing) is never sent again: it is left out, with the reason.',
    z.object({ jobId: id, confirmProduction }).strict(),
  ),
  'jobs.reimportPlan': method<ReimportPlan>()(
    "What a re-import of a job's failed rows would send now: the rows that still fail, and those left out because a later job imported them, is importing them, or sent them.",
    z.object({ jobId: id }).strict(),
  ),
  'jobs.diffRows': method<{ readonly total: number; readonly rows: readonly CopyDiffRow[] }>()(
    "A configuration copy's diff of one entity, record by record (compared with the target now), a page at a time.",
    z
      .object({
        jobId: id,
        entity: z.string().min(1).max(200),
        status: z.enum(['new', 'changed', 'same']).optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .strict(),
  ),
  'jobs.openErrors': method<ErrorDatasets>()(
    "Open a finished import's failed rows in the grid, with their messages: fix them there, then re-import them.",
    z.object({ jobId: id }).strict(),
  ),
  'jobs.errorLink': method<{ readonly jobId: string; readonly entity: string; readonly sourceFile: string } | null>()(
    'The job an open dataset holds the failed rows of (null: it is not an error dataset).',
    z.object({ datasetId: z.string().min(1).max(100) }).strict(),
  ),
  'jobs.resume': method<JobSummary>()(
    'Run again a job that failed or was interrupted, from the step it stopped in (an import is never sent twice).',
    z.object({ jobId: id }).strict(),
  ),
  'jobs.status': method<ExecutionReport>()(
    "Status, per-entity counts and row errors of an execution id in an environment (this workbench's jobs or any other).",
    z
      .object({
        environmentId: id,
        executionId: z.string().min(1).max(300),
        limit: z.number().int().min(0).max(100_000).default(1000),
      })
      .strict(),
  ),
  'jobs.saveErrors': method<{ readonly files: readonly string[]; readonly errorCount: number }>()(
    "Write an execution's errors to a folder: errors.csv (source file, row, field, message), F&O's error files and the failed rows.",
    z.object({ environmentId: id, executionId: z.string().min(1).max(300), outDir: path }).strict(),
  ),
} as const;

export const jobEvents = {
  'jobs.changed': event<JobSummary>('A job was created, moved to another step or state, or ended.'),
  'jobs.progress': event<{ readonly jobId: string; readonly progress: JobProgress }>(
    'Byte or step progress of a running job (at most a few per second).',
  ),
} as const;
