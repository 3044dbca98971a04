/**
 * Datasets: source rows held by the row store (electron/services/datasets), shown in the grid a
 * page at a time. A dataset is opened from a file, from an entity of a data package, or from rows
 * a service hands over (a job's failed rows, with read-only columns such as "Error"). Columns are
 * addressed by index in calls, by name in recipe steps (which replay on next cycle's extract,
 * whose column order may differ). Rows are addressed by their stable row id: the 1-based data row
 * of the source, which sorting, filtering and editing never change.
 */
import { z } from '../zod';
import { RULE_CODES } from '../../domain/validation/types';
import type { RuleCode, Severity } from '../../domain/validation/types';
import type { Provenance } from '../../domain/catalog/types';
import { TEXT_FILTER_OPS, TRANSFORMS } from '../../domain/datasets/cells';
import type { FindQuery, Transform } from '../../domain/datasets/cells';
import { KEY_COLLISION_METHODS } from '../../domain/valueMapping/cluster';
import type { ValueCluster } from '../../domain/valueMapping/cluster';
import { event, method } from '../define';
import { MAX_STORED_TARGETS, MAX_VALUE_RULES, valueRuleSchema } from './valueMaps';

const datasetId = z.string().min(1).max(100);
const columnIndex = z.number().int().min(0).max(4095);
const columnName = z.string().max(400);
const cellText = z.string().max(32_767);
const path = z.string().min(1).max(4096);

// ---------------------------------------------------------------------------------- views

export const textFilterSchema = z
  .object({ column: columnIndex, op: z.enum(TEXT_FILTER_OPS), value: z.string().max(1000).default('') })
  .strict();
/** Facet filter: the cell is exactly one of the values. */
export const valuesFilterSchema = z
  .object({ column: columnIndex, op: z.literal('in'), values: z.array(cellText).max(2000) })
  .strict();
export const filterSchema = z.union([textFilterSchema, valuesFilterSchema]);
export type DatasetFilter = z.output<typeof filterSchema>;

/** Rows with validation findings (any, of one rule, in one column, or both). column -1: findings about the whole row. */
export const issueFilterSchema = z
  .object({ rule: z.enum(RULE_CODES).optional(), column: z.number().int().min(-1).max(4095).optional() })
  .strict();

export const sortKeySchema = z.object({ column: columnIndex, desc: z.boolean().default(false) }).strict();

/** What the grid shows: which rows (filters, findings) in which order. The store computes and caches it. */
export const viewSchema = z
  .object({
    sort: z.array(sortKeySchema).max(4).default([]),
    filters: z.array(filterSchema).max(64).default([]),
    issues: issueFilterSchema.nullable().default(null),
  })
  .strict();
export type DatasetView = z.output<typeof viewSchema>;
export type DatasetViewInput = z.input<typeof viewSchema>;

export const findQuerySchema = z
  .object({
    text: z.string().max(1000),
    matchCase: z.boolean().default(false),
    wholeCell: z.boolean().default(false),
  })
  .strict();

// ---------------------------------------------------------------------------------- recipes

const recipeFilterSchema = z.union([
  z.object({ column: columnName, op: z.enum(TEXT_FILTER_OPS), value: z.string().max(1000).default('') }).strict(),
  z.object({ column: columnName, op: z.literal('in'), values: z.array(cellText).max(2000) }).strict(),
]);

/** Which rows a recipe step touches, by column NAME so that it replays on another extract. */
export const recipeWhereSchema = z
  .object({
    filters: z.array(recipeFilterSchema).max(64).default([]),
    issues: z
      .object({ rule: z.enum(RULE_CODES).optional(), column: columnName.optional() })
      .strict()
      .nullable()
      .default(null),
  })
  .strict();

const recipeSortSchema = z.array(z.object({ column: columnName, desc: z.boolean().default(false) }).strict()).max(4);

/**
 * One replayable bulk fix. Single-cell edits are not recipe steps (they belong to one extract's
 * rows); every bulk operation is.
 */
export const recipeStepSchema = z.discriminatedUnion('op', [
  z
    .object({
      op: z.literal('replace'),
      /** Columns searched; empty: every editable column. */
      columns: z.array(columnName).max(4096).default([]),
      find: findQuerySchema,
      replacement: cellText,
      where: recipeWhereSchema.default({ filters: [], issues: null }),
    })
    .strict(),
  z
    .object({
      op: z.literal('fillDown'),
      column: columnName,
      /** The order the rows were in: fill down follows it. */
      sort: recipeSortSchema.default([]),
      where: recipeWhereSchema.default({ filters: [], issues: null }),
    })
    .strict(),
  z
    .object({
      op: z.literal('setValue'),
      column: columnName,
      value: cellText,
      where: recipeWhereSchema.default({ filters: [], issues: null }),
    })
    .strict(),
  z
    .object({
      op: z.literal('transform'),
      columns: z.array(columnName).min(1).max(4096),
      transform: z.enum(TRANSFORMS),
      where: recipeWhereSchema.default({ filters: [], issues: null }),
    })
    .strict(),
  z
    .object({
      op: z.literal('mapValues'),
      column: columnName,
      /** The project's value mapping table (value-maps/<table>.json): a saved recipe replays it as the table is then. */
      table: z.string().min(1).max(100),
      /** The table's name, for the recipe list. */
      name: z.string().min(1).max(200),
      /** The rules applied: the edits journal replays exactly these. */
      rules: z.array(valueRuleSchema).max(MAX_VALUE_RULES),
      /** The field's valid F&O values, which patterns and the catch-all leave alone. */
      targets: z.array(z.string().max(1000)).max(MAX_STORED_TARGETS).default([]),
      where: recipeWhereSchema.default({ filters: [], issues: null }),
    })
    .strict(),
]);
export type RecipeStep = z.output<typeof recipeStepSchema>;
export type RecipeStepInput = z.input<typeof recipeStepSchema>;

export const savedRecipeSchema = z
  .object({
    id: z.string().min(1).max(100),
    name: z.string().min(1).max(200),
    /** Entity label it was made for; informative. */
    entity: z.string().min(1).max(200).optional(),
    steps: z.array(recipeStepSchema).max(1000),
  })
  .strict();
export type SavedRecipe = z.output<typeof savedRecipeSchema>;

// ---------------------------------------------------------------------------------- results

export const DATA_FILE_KINDS = ['csv', 'xlsx', 'xml-attribute', 'xml-element'] as const;
export type DataFileKind = (typeof DATA_FILE_KINDS)[number];

/** How to read a file: every field overrides what the reader would detect. */
export const readOptionsSchema = z
  .object({
    kind: z.enum(DATA_FILE_KINDS).optional(),
    encoding: z.string().min(1).max(40).optional(),
    delimiter: z.enum([',', ';', '\t', '|', ':']).optional(),
    headerRow: z.boolean().optional(),
    sheet: z.string().min(1).max(100).optional(),
    /** In a data package (.zip or unpacked folder): the entity whose data file to open. */
    entity: z.string().min(1).max(200).optional(),
  })
  .strict();
export type ReadOptions = z.output<typeof readOptionsSchema>;

/** What the reader found out about the file; each can be changed by re-opening with an override. */
export interface SourceDetection {
  readonly kind: DataFileKind;
  readonly encoding: string | null;
  /** Why that encoding: BOM, valid UTF-8, override... */
  readonly encodingReason: string | null;
  readonly delimiter: string | null;
  readonly headerRow: boolean;
  readonly sheet: string | null;
  /** The overrides in force. */
  readonly overrides: ReadOptions;
}

export type DatasetOrigin =
  | { readonly kind: 'file'; readonly path: string }
  /** An entity's data file inside a data package. */
  | { readonly kind: 'package'; readonly path: string; readonly entity: string }
  /** Rows handed over by a service: a job's failed rows, an export... */
  | { readonly kind: 'rows'; readonly source: string };

/**
 * A row the reader could not read as F&O would take it: the wrong number of values (F&O skips
 * such rows, DMF2050), an unclosed or misplaced text qualifier, bytes the encoding does not have.
 * The file opens anyway; such rows are flagged in a read-only "Read problem" column.
 */
export interface ReadProblem {
  readonly kind: 'columns' | 'qualifier' | 'encoding';
  /** The row id (data row) it flags. */
  readonly row: number;
  /** The line of the file (the sheet row for xlsx). */
  readonly line: number;
  /** What is wrong and how to fix it. */
  readonly message: string;
}

export interface ReadProblems {
  /** Rows with a problem. */
  readonly total: number;
  readonly byKind: Readonly<Record<ReadProblem['kind'], number>>;
  /** The first problems in file order (at most 500). */
  readonly first: readonly ReadProblem[];
  /** The read-only column that flags the rows ("is not blank" shows them), or null while loading. */
  readonly column: number | null;
  /** An encoding that may read the file without bad bytes (offered, never applied by itself). */
  readonly suggestedEncoding: string | null;
}

export interface DatasetColumn {
  readonly index: number;
  readonly name: string;
  readonly readOnly: boolean;
}

export type LoadState = 'loading' | 'ready' | 'failed';

export interface DatasetInfo {
  readonly id: string;
  /** File name or the name the service gave. */
  readonly name: string;
  readonly origin: DatasetOrigin;
  readonly columns: readonly DatasetColumn[];
  readonly detection: SourceDetection | null;
  readonly state: LoadState;
  /** Why loading failed, and what to do. */
  readonly error: string | null;
  /** Rows loaded so far (all of them once ready). */
  readonly rowCount: number;
  readonly bytesRead: number;
  readonly totalBytes: number | null;
  readonly version: number;
  readonly undo: string | null;
  readonly redo: string | null;
  /** The entity the rows are validated against. */
  readonly entity: string | null;
  /** Edits restored from an earlier session on open. */
  readonly restoredEdits: number;
  /** Cells changed since the file was read or last saved. */
  readonly unsaved: boolean;
  /** Rows that could not be read as F&O would (null: none). Saving is refused while there are any. */
  readonly problems: ReadProblems | null;
}

export interface CellIssue {
  readonly column: number;
  readonly rule: RuleCode;
  readonly severity: Severity;
  readonly message: string;
  /** Where the rule came from: "USMF-UAT metadata of 2026-12-01", "built-in, unverified"… */
  readonly source: string;
}

export interface DatasetRow {
  readonly id: number;
  /** In a page for the grid, a cell longer than MAX_SHOWN_CELL_CHARS is cut to it (see `clipped`). */
  readonly cells: readonly string[];
  /** Cells cut for the grid, with their whole length: shown, never edited whole (an edit of one is refused). */
  readonly clipped?: readonly { readonly column: number; readonly length: number }[];
  /** Validation findings of this row (column -1: about the whole row); absent when none. */
  readonly issues?: readonly CellIssue[];
  /** Columns whose cells differ from the file as read or last saved (edited, pasted, fixed); absent when none. */
  readonly edited?: readonly number[];
}

/** The most a paste or a copy carries: ranges beyond it are pasted (or copied) in parts. */
export const MAX_CLIPBOARD_CELLS = 200_000;
export const MAX_CLIPBOARD_CHARS = 8 * 1024 * 1024;

/** The most of one cell a page for the grid carries: an Excel cell holds 32,767 characters. */
export const MAX_SHOWN_CELL_CHARS = 32_767;
/**
 * The bytes of JSON (UTF-8, escapes included) the cells of a page for the grid take at most, as
 * large as a frame the bridge accepts: a page of long cells has fewer rows than asked. Measured
 * before the page is built (shared/api/jsonSize.ts), so a page costs the server a few MB whatever
 * the file holds.
 */
export const MAX_PAGE_BYTES = 4 * 1024 * 1024;

export interface RowPage {
  /** Rows in the view (filtered count). */
  readonly total: number;
  /** Position of the first row; `rows` may be fewer than asked when its cells are long (MAX_PAGE_BYTES). */
  readonly start: number;
  readonly rows: readonly DatasetRow[];
  /** Whether every row of the source is loaded (otherwise `total` will grow). */
  readonly complete: boolean;
  readonly version: number;
  /**
   * Rows the view keeps though they no longer pass its filters (or no longer have the findings it
   * shows): rows fixed while shown stay in place until the view is refreshed (datasets.refreshView).
   */
  readonly outdated: number;
}

/** Why cells of a paste were not written. */
export type PasteRefusal = 'beyond-rows' | 'beyond-columns' | 'read-only' | 'clipped';

export interface PasteResult extends ChangeResult {
  /** Cells of the clipboard written into the view (changed, or already holding the value). */
  readonly pasted: number;
  /** Rows of the view the paste wrote into. */
  readonly pastedRows: number;
  /** Cells not written, by reason: none is ever dropped silently. */
  readonly refused: readonly { readonly reason: PasteRefusal; readonly cells: number; readonly message: string }[];
}

export interface CopyResult {
  /** The range as tab-separated text, every value exact (the grid's own paste reads it). */
  readonly text: string;
  /** The same for a spreadsheet: cells it would run as formulas start with ' (see `neutralized`). */
  readonly spreadsheetText: string;
  readonly rows: number;
  readonly cells: number;
  readonly neutralized: number;
}

export interface ChangeResult {
  readonly version: number;
  /** Cells whose value changed. */
  readonly cells: number;
  /** Rows touched. */
  readonly rows: number;
  /** What the journal calls it ("Trim ADDRESSCITY"). */
  readonly label: string;
  readonly undo: string | null;
  readonly redo: string | null;
}

/** What `datasets.find` looks for in a dataset, and from where: the same from the contract to the row store. */
export interface FindRequest {
  readonly view: DatasetView;
  readonly query: FindQuery;
  /** Columns searched; empty: all. */
  readonly columns: readonly number[];
  /** The cell to start after (before, backwards); none: from the start (end). */
  readonly from: { readonly position: number; readonly column: number } | undefined;
  readonly backwards: boolean;
  /** Count every matching cell of the view too. */
  readonly count: boolean;
}

export interface FindResult {
  /** Position in the view, row id and column of the match; null when there is none. */
  readonly match: { readonly position: number; readonly row: number; readonly column: number } | null;
  /** The search went past the end and started over. */
  readonly wrapped: boolean;
  /** Matching cells in the view (only when asked for). */
  readonly count: number | null;
}

export interface FacetValue {
  readonly value: string;
  readonly count: number;
}

export interface Facet {
  readonly column: number;
  /** Values by count (most first), at most `limit`. */
  readonly values: readonly FacetValue[];
  /** Distinct values in the rows looked at (a lower bound when truncated). */
  readonly distinct: number;
  /** Rows looked at: the view without this column's own facet filter. */
  readonly rows: number;
  readonly blank: number;
  /** Too many distinct values to count them all (a key column): use a text filter instead. */
  readonly truncated: boolean;
}

/** Clustering methods of the Values panel: OpenRefine's key collision keys, and nearest neighbour by edit distance. */
export const CLUSTER_METHODS = [...KEY_COLLISION_METHODS, 'levenshtein'] as const;
export type ClusterMethod = (typeof CLUSTER_METHODS)[number];

export interface ClusterResult {
  readonly column: number;
  readonly method: ClusterMethod;
  /** Biggest first, at most `limit`. */
  readonly clusters: readonly ValueCluster[];
  /** Clusters found (more than listed when cut at the limit). */
  readonly clusterCount: number;
  /** Distinct values clustered, over the rows of the view. */
  readonly distinct: number;
  readonly rows: number;
  /** Time the row store spent, counting included. */
  readonly elapsedMs: number;
}

export interface RecipeStepView {
  readonly step: RecipeStep;
  readonly description: string;
  /** Cells it changed when it was applied here. */
  readonly cells: number;
}

export interface RecipeApplyResult {
  readonly steps: readonly { readonly description: string; readonly cells: number; readonly skipped: string | null }[];
  readonly version: number;
  readonly undo: string | null;
  readonly redo: string | null;
}

export interface IssueCount {
  readonly rule: RuleCode;
  readonly severity: Severity;
  readonly count: number;
  /** Where the rule's findings came from (one rule can have several: metadata for one field, built-in for another). */
  readonly sources: readonly string[];
}

export interface ValidationState {
  readonly entity: string | null;
  readonly state: 'none' | 'running' | 'ready';
  readonly errors: number;
  readonly warnings: number;
  /** Rows with at least one finding. */
  readonly rows: number;
  readonly byRule: readonly IssueCount[];
  /** Findings per column (-1: the whole row). */
  readonly byColumn: readonly { readonly column: number; readonly count: number }[];
  readonly byRuleAndColumn: readonly { readonly rule: RuleCode; readonly column: number; readonly count: number }[];
  /** Findings about the file, not a row: unknown columns, unmapped keys... */
  readonly fileFindings: readonly {
    readonly rule: RuleCode;
    readonly severity: Severity;
    readonly column: string;
    readonly message: string;
    readonly source: string;
  }[];
  /** Some findings were counted but not kept (a million empty cells): fix the big ones first. */
  readonly truncated: boolean;
  /** Referenced entities nothing could answer for (not in the package, no reference snapshot). */
  readonly uncheckedReferences: readonly string[];
  /** Referenced entities that were checked, and against what ("this file", a file of the package, a snapshot). */
  readonly checkedReferences: readonly { readonly entity: string; readonly against: readonly string[] }[];
  /** The knowledge the rules came from, strongest first ("USMF-UAT metadata of 2026-12-01", "built-in, unverified"). */
  readonly knowledge: readonly Provenance[];
  /** The dataset version the findings describe. */
  readonly version: number;
}

export interface EntityChoice {
  readonly label: string;
  readonly targetEntity: string;
  /** Columns of the dataset that are fields of this entity. */
  readonly matchingColumns: number;
}

export interface PackageContents {
  readonly path: string;
  readonly entities: readonly {
    /** Entity label as the manifest names it. */
    readonly entity: string;
    /** Its data file in the package, or null when the manifest names a file the package lacks. */
    readonly file: string | null;
    readonly size: number | null;
    readonly sourceFormat: string | null;
  }[];
}

export interface FolderEntry {
  readonly name: string;
  readonly kind: 'folder' | 'file';
  readonly size: number | null;
  readonly modified: string | null;
}

export interface FolderListing {
  readonly dir: string;
  readonly parent: string | null;
  readonly home: string;
  /** Folders files were opened from lately, newest first. */
  readonly recent: readonly string[];
  /** Sub-folders and files the grid can open (CSV, TSV, TXT, XLSX, XML), hidden ones left out. */
  readonly entries: readonly FolderEntry[];
  readonly truncated: boolean;
}

export interface LoadProgress {
  readonly id: string;
  readonly state: LoadState;
  readonly rowCount: number;
  readonly bytesRead: number;
  readonly totalBytes: number | null;
  readonly error: string | null;
  /** Columns can change while loading (ragged rows kept in an extra column). */
  readonly columns: number;
}

export interface DatasetChange extends ChangeResult {
  readonly id: string;
  /** 'columns': a column was attached (read the dataset's info again); 'saved': written to its file. */
  readonly reason: 'edit' | 'bulk' | 'undo' | 'redo' | 'recipe' | 'columns' | 'saved';
}

export type { Transform };

// ---------------------------------------------------------------------------------- methods

const pageCount = z.number().int().min(1).max(1000);

export const datasetMethods = {
  'datasets.open': method<DatasetInfo>()(
    'Open a CSV, TSV, XLSX or XML file as a dataset. Answers once the first rows are readable; the rest streams in (datasets.progress).',
    z
      .object({
        path,
        options: readOptionsSchema.default({}),
        /** A workbench project folder: the edits are journaled in its edits.json. */
        project: path.optional(),
      })
      .strict(),
  ),
  'datasets.packageEntities': method<PackageContents>()(
    'The entities of a data package (.zip or unpacked folder) and their data files, to open one as a dataset.',
    z.object({ path }).strict(),
  ),
  'datasets.reopen': method<DatasetInfo>()(
    'Read the same file again with other read options (encoding, delimiter, header row, sheet). Edits made so far are dropped.',
    z.object({ id: datasetId, options: readOptionsSchema }).strict(),
  ),
  'datasets.list': method<readonly DatasetInfo[]>()('The open datasets.', z.object({}).strict()),
  'datasets.get': method<DatasetInfo>()('One open dataset.', z.object({ id: datasetId }).strict()),
  'datasets.close': method<{ readonly closed: boolean }>()(
    'Close a dataset and free its rows. Unsaved edits stay in the edits journal (restored when the file is opened again) unless `discard`.',
    z.object({ id: datasetId, discard: z.boolean().default(false) }).strict(),
  ),
  'datasets.rows': method<RowPage>()(
    'A page of rows of a view (sorted and filtered by the store).',
    z
      .object({ id: datasetId, view: viewSchema.prefault({}), start: z.number().int().min(0), count: pageCount })
      .strict(),
  ),
  'datasets.position': method<{ readonly position: number | null }>()(
    'Where a row (by id) is in a view: for "go to row"; null when the view does not show it.',
    z.object({ id: datasetId, view: viewSchema.prefault({}), row: z.number().int().min(0) }).strict(),
  ),
  'datasets.edit': method<ChangeResult>()(
    'Change cells (by row id and column index); one undoable step.',
    z
      .object({
        id: datasetId,
        edits: z
          .array(z.object({ row: z.number().int().min(0), column: columnIndex, value: cellText }).strict())
          .min(1)
          .max(10_000),
      })
      .strict(),
  ),
  'datasets.paste': method<PasteResult>()(
    'Paste tab-separated text (a range copied from Excel or the grid) into the view from a cell, one undoable step. Cells that cannot be written (beyond the last row or column, read-only, cut for the grid) are refused and counted.',
    z
      .object({
        id: datasetId,
        view: viewSchema.prefault({}),
        /** The view position of the range's first row. */
        position: z.number().int().min(0),
        /** The columns the range's columns go to, in the grid's order, the first one the focused cell's. */
        columns: z.array(columnIndex).min(1).max(4096),
        text: z.string().max(MAX_CLIPBOARD_CHARS),
        /** A selected range to fill (Excel's rule): the clipboard repeated, when it fits a whole number of times. */
        fill: z
          .object({
            rows: z.number().int().min(1).max(MAX_CLIPBOARD_CELLS),
            columns: z.number().int().min(1).max(4096),
          })
          .strict()
          .optional(),
      })
      .strict(),
  ),
  'datasets.copy': method<CopyResult>()(
    'A range of the view as tab-separated text for the clipboard (whole cells, as Excel reads them).',
    z
      .object({
        id: datasetId,
        view: viewSchema.prefault({}),
        position: z.number().int().min(0),
        rows: z.number().int().min(1).max(MAX_CLIPBOARD_CELLS),
        columns: z.array(columnIndex).min(1).max(4096),
      })
      .strict(),
  ),
  'datasets.refreshView': method<{ readonly refreshed: boolean }>()(
    'Compute the views again: rows fixed while shown, which a view keeps in place, leave it if they no longer match.',
    z.object({ id: datasetId }).strict(),
  ),
  'datasets.undo': method<ChangeResult>()('Undo the last change.', z.object({ id: datasetId }).strict()),
  'datasets.redo': method<ChangeResult>()('Redo the last undone change.', z.object({ id: datasetId }).strict()),
  'datasets.find': method<FindResult>()(
    'The next (or previous) cell of the view that matches, after a position.',
    z
      .object({
        id: datasetId,
        view: viewSchema.prefault({}),
        query: findQuerySchema,
        /** Columns searched; empty: all. */
        columns: z.array(columnIndex).max(4096).default([]),
        from: z
          .object({ position: z.number().int().min(-1), column: z.number().int().min(-1) })
          .strict()
          .optional(),
        backwards: z.boolean().default(false),
        count: z.boolean().default(false),
      })
      .strict(),
  ),
  'datasets.replace': method<ChangeResult>()(
    'Replace every match in the rows of the view (a recipe step).',
    z
      .object({
        id: datasetId,
        view: viewSchema.prefault({}),
        query: findQuerySchema,
        replacement: cellText,
        columns: z.array(columnIndex).max(4096).default([]),
      })
      .strict(),
  ),
  'datasets.fillDown': method<ChangeResult>()(
    'Fill blank cells of a column with the value above, in view order (a recipe step).',
    z.object({ id: datasetId, view: viewSchema.prefault({}), column: columnIndex }).strict(),
  ),
  'datasets.setValue': method<ChangeResult>()(
    'Set one value in a column on every row of the view (a recipe step).',
    z.object({ id: datasetId, view: viewSchema.prefault({}), column: columnIndex, value: cellText }).strict(),
  ),
  'datasets.transform': method<ChangeResult>()(
    'Trim or change the case of columns on every row of the view (a recipe step).',
    z
      .object({
        id: datasetId,
        view: viewSchema.prefault({}),
        columns: z.array(columnIndex).min(1).max(4096),
        transform: z.enum(TRANSFORMS),
      })
      .strict(),
  ),
  'datasets.facet': method<Facet>()(
    "A column's distinct values with their counts, over the view without the column's own facet filter.",
    z
      .object({
        id: datasetId,
        view: viewSchema.prefault({}),
        column: columnIndex,
        limit: z.number().int().min(1).max(1000).default(200),
      })
      .strict(),
  ),
  'datasets.clusters': method<ClusterResult>()(
    "Clusters of a column's distinct values over the whole view (key collision or nearest neighbour), computed in the row store; merge one with datasets.setValue on its values.",
    z
      .object({
        id: datasetId,
        view: viewSchema.prefault({}),
        column: columnIndex,
        method: z.enum(CLUSTER_METHODS),
        /** n of the n-gram fingerprint. */
        ngramSize: z.number().int().min(1).max(6).default(2),
        /** Largest edit distance within a nearest-neighbour cluster. */
        radius: z.number().int().min(1).max(3).default(1),
        limit: z.number().int().min(1).max(1000).default(200),
      })
      .strict(),
  ),
  'datasets.recipe': method<readonly RecipeStepView[]>()(
    'The bulk fixes in effect on this dataset, in order: the recipe to replay on the next extract.',
    z.object({ id: datasetId }).strict(),
  ),
  'datasets.applyRecipe': method<RecipeApplyResult>()(
    'Replay recipe steps (saved, or from another dataset) on this dataset; each step is undoable.',
    z
      .object({
        id: datasetId,
        steps: z.array(recipeStepSchema).max(1000).optional(),
        recipeId: z.string().min(1).max(100).optional(),
        fromDataset: datasetId.optional(),
        /** Where the saved recipe lives: a workbench project folder (default: the workbench's own). */
        project: path.optional(),
      })
      .strict(),
  ),
  'datasets.saveRecipe': method<readonly SavedRecipe[]>()(
    "Save this dataset's recipe under a name, to replay it on the next cycle's extract.",
    z.object({ id: datasetId, name: z.string().trim().min(1).max(200), project: path.optional() }).strict(),
  ),
  'datasets.recipes': method<readonly SavedRecipe[]>()(
    "The saved recipes (the workbench's own, or a project's).",
    z.object({ project: path.optional() }).strict(),
  ),
  'datasets.deleteRecipe': method<readonly SavedRecipe[]>()(
    'Forget a saved recipe.',
    z.object({ recipeId: z.string().min(1).max(100), project: path.optional() }).strict(),
  ),
  'datasets.entities': method<readonly EntityChoice[]>()(
    'Entities of the catalog, those whose fields match most columns of the dataset first.',
    z.object({ id: datasetId }).strict(),
  ),
  'datasets.validate': method<ValidationState>()(
    'Validate the rows against an entity (null: stop validating). Findings update as edits land (datasets.validated).',
    z.object({ id: datasetId, entity: z.string().min(1).max(200).nullable() }).strict(),
  ),
  'datasets.issues': method<ValidationState>()(
    'Validation findings counted per rule and per column.',
    z.object({ id: datasetId }).strict(),
  ),
  'datasets.attachColumn': method<DatasetInfo>()(
    "Show a read-only column beside the rows, a value per row id: a job's error messages on the source rows they belong to.",
    z
      .object({
        id: datasetId,
        name: z.string().trim().min(1).max(200),
        values: z.array(z.object({ row: z.number().int().min(1), value: cellText }).strict()).max(100_000),
      })
      .strict(),
  ),
  'datasets.save': method<{ readonly path: string; readonly rows: number; readonly neutralized: number }>()(
    'Write the rows, with every fix, back to their source file in the dialect it was read in (atomically).',
    z.object({ id: datasetId }).strict(),
  ),
  'datasets.export': method<{ readonly path: string; readonly rows: number; readonly neutralized: number }>()(
    "Write the rows, with every fix, to another file: .csv/.tsv/.txt (UTF-8 with BOM unless the source was CSV), .xlsx or .xml. A copy for a person: cells a spreadsheet would run as formulas (= + - @) are neutralised (CSV: a leading ', counted in `neutralized`; xlsx: the value exact, styled as text) unless `exact`.",
    z
      .object({
        id: datasetId,
        path,
        kind: z.enum(DATA_FILE_KINDS).optional(),
        /** Replace the file if it exists. */
        overwrite: z.boolean().default(false),
        /** Keep every value exactly (a file that becomes a source for F&O): no formula neutralising. */
        exact: z.boolean().default(false),
      })
      .strict(),
  ),
  'datasets.browse': method<FolderListing>()(
    'List a folder for the file chooser of browser mode (home folder when none given).',
    z.object({ dir: path.optional() }).strict(),
  ),
  'datasets.pickFile': method<{ readonly path: string | null }>()(
    'Choose a file with the native dialog (desktop app); null when cancelled.',
    z.object({}).strict(),
  ),
} as const;

export const datasetEvents = {
  'datasets.progress': event<LoadProgress>('Rows of a dataset were loaded (or loading ended).'),
  'datasets.changed': event<DatasetChange>('Cells of a dataset changed (edit, bulk fix, undo, redo, recipe).'),
  'datasets.validated': event<{ readonly id: string; readonly validation: ValidationState }>(
    "A dataset's validation findings were recomputed.",
  ),
  'datasets.closed': event<{ readonly id: string }>('A dataset was closed.'),
} as const;

export type { RuleCode, Severity };
