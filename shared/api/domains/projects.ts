import { z } from '../zod';
import type { CycleCounts } from '../../domain/jobs/cycles';
import type { RefreshType } from '../../domain/package/model';
import { event, method } from '../define';
import type { RanBy } from './jobs';

/**
 * A workbench project: a folder a consultant keeps in git. Its JSON files, one concern each so
 * that merges stay small:
 *
 *   dmfw-project.json   binding (environment, data project, legal entity), entities with their
 *                       source files, mappings and sequencing, options
 *   edits.json          the edits journal: every acknowledged change to source rows, in order
 *   recipes.json        recipe steps: named, replayable fixes
 *   runs/<time>-<job>.json   one file per run: package hash, settings, counts, duration, errors
 *   value-maps/<id>.json     value mapping tables (shared/api/domains/valueMaps.ts)
 *   reconciliations/<job>.json   a run read back from F&O (shared/api/domains/reconciliation.ts)
 *   reports/cycle-<N>.html|pdf   sign-off reports (shared/api/domains/reports.ts)
 *
 * Journal entries and recipe steps are generic on purpose: `op` names the operation and `payload`
 * carries its data, which the grid (the UI) defines. The service stores them in order, durably,
 * and never interprets them.
 */
export const PROJECT_SCHEMA_VERSION = 1;

export const REFRESH_TYPES = ['FullPush', 'IncrementalPush'] as const satisfies readonly RefreshType[];
/** F&O's change tracking options of an entity (dmf-reference.md §4.2). */
export const CHANGE_TRACKING = ['none', 'primary-table', 'entire-entity', 'custom-query'] as const;
export type ChangeTracking = (typeof CHANGE_TRACKING)[number];

export const mappingSchema = z
  .object({
    /** Column of the source file. */
    sourceColumn: z.string().min(1).max(200),
    /** Staging field (upper case), e.g. CUSTOMERACCOUNT. */
    stagingField: z.string().min(1).max(200),
  })
  .strict();

export const projectEntitySchema = z
  .object({
    /** Entity label, e.g. "Customers V3". */
    label: z.string().min(1).max(200),
    /** Source file, relative to the project folder (or absolute). */
    sourceFile: z.string().min(1).max(4096),
    /** Excel sheet to read; default: the first. */
    sheet: z.string().min(1).max(100).optional(),
    /** Column → staging field; omitted: columns map to staging fields of the same name. */
    mapping: z.array(mappingSchema).max(1000).optional(),
    /** Execution unit, level and sequence; omitted: auto-sequenced from relations. */
    sequence: z
      .object({ unit: z.number().int().min(1), level: z.number().int().min(1), sequence: z.number().int().min(1) })
      .strict()
      .optional(),
    enabled: z.boolean().default(true),
    /** Full push or incremental push: the manifest's DefaultRefreshType. Omitted: full push. */
    refreshType: z.enum(REFRESH_TYPES).optional(),
    /**
     * The change tracking the entity needs in the environment (Data entities > Change tracking).
     * Recorded for the team and checked before incremental pushes; DMF packages do not carry it.
     */
    changeTracking: z.enum(CHANGE_TRACKING).optional(),
    /** The manifest's processing options; omitted ones keep F&O's defaults (validations and logic on). */
    processing: z
      .object({
        runBusinessValidation: z.boolean(),
        runBusinessLogic: z.boolean(),
        failLevelOnError: z.boolean(),
        failExecutionUnitOnError: z.boolean(),
      })
      .partial()
      .strict()
      .optional(),
  })
  .strict();

export const projectOptionsSchema = z
  .object({
    /** Source data format of the built package's files. */
    packageFormat: z.enum(['CSV', 'CSV-Unicode', 'EXCEL', 'XML-Attribute', 'XML-Element']).default('CSV-Unicode'),
    /** ImportFromPackage execute: false stops at staging. */
    execute: z.boolean().default(true),
    /** ImportFromPackage overwrite (the data project's definition, not data). */
    overwrite: z.boolean().default(true),
  })
  .strict();

/** Where the project imports to. */
export const bindingSchema = z
  .object({
    /** Environment NAME (ids are per machine; names travel with the project in git). */
    environment: z.string().min(1).max(200).optional(),
    dataProject: z.string().min(1).max(200).optional(),
    company: z.string().min(1).max(4).optional(),
  })
  .strict();

export const projectDocumentSchema = z
  .object({
    schemaVersion: z.literal(PROJECT_SCHEMA_VERSION),
    name: z.string().min(1).max(200),
    binding: bindingSchema.default({}),
    entities: z.array(projectEntitySchema).max(500).default([]),
    options: projectOptionsSchema.default({ packageFormat: 'CSV-Unicode', execute: true, overwrite: true }),
  })
  .strict();

export type ProjectDocument = z.output<typeof projectDocumentSchema>;
export type ProjectEntity = z.output<typeof projectEntitySchema>;

export const editEntrySchema = z
  .object({
    /** Entity label the edit applies to. */
    entity: z.string().min(1).max(200),
    /** Source file (as in the project) the edited row belongs to. */
    sourceFile: z.string().min(1).max(4096),
    /** The grid's operation name, e.g. 'setCell', 'deleteRow'. */
    op: z.string().min(1).max(100),
    /** The operation's data (row, column, old and new value...), defined by the grid. */
    payload: z.unknown(),
  })
  .strict();

export type EditInput = z.output<typeof editEntrySchema>;

export interface EditEntry extends EditInput {
  /** 1, 2, 3…: the journal's order. An edit is acknowledged once its seq is returned. */
  readonly seq: number;
  readonly at: string;
}

export const recipeSchema = z
  .object({
    id: z.string().min(1).max(100),
    name: z.string().min(1).max(200),
    /** Entity label it applies to; omitted: any. */
    entity: z.string().min(1).max(200).optional(),
    steps: z.array(z.object({ op: z.string().min(1).max(100), payload: z.unknown() }).strict()).max(1000),
  })
  .strict();

export type Recipe = z.output<typeof recipeSchema>;

/** One entity of a run. The optional fields are absent in runs recorded before the cockpit. */
export interface RunEntity {
  readonly label: string;
  readonly stagingRecords: number;
  readonly targetRecords: number;
  readonly stagingErrors: number;
  readonly targetErrors: number;
  /** Rows of the package the run built for the entity. */
  readonly sourceRows?: number | null;
  /** The row errors by stage and rule (shared/domain/jobs/cycles.ts errorRule), most first. */
  readonly rules?: readonly { readonly stage: string; readonly rule: string; readonly count: number }[];
  /** The entity's distinct error fingerprints (run file only: projects.runs leaves them out). */
  readonly fingerprints?: readonly string[];
}

/** One entity's place and F&O's own times in the execution (DataManagementExecutionJobDetails). */
export interface RunScheduleEntry {
  readonly entity: string;
  readonly unit: number;
  readonly level: number;
  readonly sequence: number;
  readonly stagingStart: string | null;
  readonly stagingEnd: string | null;
  readonly targetStart: string | null;
  readonly targetEnd: string | null;
}

export interface RunRecord {
  readonly jobId: string;
  readonly kind: string;
  readonly environment: string;
  readonly executionId: string | null;
  readonly status: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationMs: number;
  readonly packageHash: string | null;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly entities: readonly RunEntity[];
  readonly errorCount: number;
  /** The first errors (the job keeps them all). */
  readonly errors: readonly { entity: string; sourceFile: string | null; sourceRow: number | null; message: string }[];
  /** Fingerprints of every distinct error (shared/domain/jobs/cycles.ts), kept in the run file only. */
  readonly fingerprints?: readonly string[];
  /** The execution's schedule with F&O's timings, when F&O reported them at the end of the run. */
  readonly schedule?: readonly RunScheduleEntry[] | null;
  /** Compared with the run before it (projects.runs fills it in): new, carried over, resolved errors. */
  readonly cycle?: CycleCounts | null;
  /** Who ran it, from its job (absent or null: a run recorded before the workbench kept it). */
  readonly ranBy?: RanBy | null;
}

export interface ProjectSummary {
  readonly dir: string;
  readonly document: ProjectDocument;
  readonly edits: number;
  readonly recipes: number;
  readonly runs: number;
}

const dir = z.string().min(1).max(4096);

export const projectMethods = {
  'projects.create': method<ProjectSummary>()(
    'Create a workbench project in a folder (it must not hold one yet).',
    z.object({ dir, name: z.string().min(1).max(200) }).strict(),
  ),
  'projects.open': method<ProjectSummary>()(
    'Open a workbench project folder (older schema versions are migrated on the next save).',
    z.object({ dir }).strict(),
  ),
  'projects.update': method<ProjectSummary>()(
    'Change the binding, entities or options; saved atomically before it answers.',
    z
      .object({
        dir,
        name: z.string().min(1).max(200).optional(),
        // Not the document's schema: its default would replace the binding on every update without one.
        binding: bindingSchema.optional(),
        entities: z.array(projectEntitySchema).max(500).optional(),
        options: projectOptionsSchema.optional(),
      })
      .strict(),
  ),
  'projects.appendEdits': method<{ readonly lastSeq: number }>()(
    'Append edits to the journal. They are on disk when this answers (acknowledged).',
    z.object({ dir, edits: z.array(editEntrySchema).min(1).max(10_000) }).strict(),
  ),
  'projects.edits': method<{ readonly total: number; readonly edits: readonly EditEntry[] }>()(
    'Journal entries after a sequence number, a page at a time.',
    z
      .object({
        dir,
        afterSeq: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(10_000).default(1000),
      })
      .strict(),
  ),
  'projects.saveRecipe': method<readonly Recipe[]>()(
    'Add or replace a recipe (by id).',
    z.object({ dir, recipe: recipeSchema }).strict(),
  ),
  'projects.deleteRecipe': method<readonly Recipe[]>()(
    'Remove a recipe.',
    z.object({ dir, id: z.string().min(1).max(100) }).strict(),
  ),
  'projects.recipes': method<readonly Recipe[]>()('The recipes of a project.', z.object({ dir }).strict()),
  'projects.runs': method<readonly RunRecord[]>()(
    'Run history, newest first, each run compared with the one before it (new, carried over and resolved errors).',
    z.object({ dir }).strict(),
  ),
} as const;

export const projectEvents = {
  'projects.changed': event<ProjectSummary>('A project was created, changed or got a new run.'),
} as const;
