/**
 * The row store engine: every open dataset of this thread, loading files through the readers,
 * answering page reads and running edits, bulk fixes, facets and validation. It runs in a worker
 * thread in the app (worker.ts), so that parsing a big file or sorting a million rows never
 * blocks the main process; tests run it in-process. Its methods take and return plain data.
 */
import type {
  ChangeResult,
  ClusterMethod,
  ClusterResult,
  CopyResult,
  DatasetColumn,
  DatasetInfo,
  DatasetOrigin,
  DatasetView,
  EntityChoice,
  Facet,
  FindRequest,
  FindResult,
  LoadProgress,
  LoadState,
  PasteResult,
  ReadOptions,
  RecipeApplyResult,
  RecipeStep,
  RecipeStepView,
  ReadProblem,
  RowPage,
  SourceDetection,
  DataFileKind,
  ValidationState,
} from '../../../shared/api/domains/datasets';
import { AppError } from '../../../shared/api/errors';
import type { CatalogIndex } from '../../../shared/domain/catalog';
import { describeStep } from '../../../shared/domain/datasets/recipes';
import { clusterByDistanceSteps, clusterByKeySteps } from '../../../shared/domain/valueMapping';
import type { ClusterSteps } from '../../../shared/domain/valueMapping';
import { Dataset } from './store/dataset';
import type { Change, JournalEntry } from './store/dataset';
import type { BulkOp } from './store/operations';
import { Table } from './store/table';
import type { TableColumn } from './store/table';
import { READ_PROBLEM_COLUMN, ReadProblemLog } from './readProblems';
import type { ValueCheck } from './store/validation';
import { kindForPath, writeDataset } from './writers';
import type { ReaderInfo } from './writers';

/** What the engine needs from a file reader (engine-io's RowReader fits). */
export interface SourceReader extends AsyncIterable<{ readonly rows: readonly (readonly string[])[] }> {
  readonly columns: readonly string[];
  readonly info: Readonly<Record<string, string | number | boolean>>;
  close(): Promise<void>;
}

export interface OpenedSource {
  readonly reader: SourceReader;
  readonly kind: DataFileKind;
  readonly totalBytes: number | null;
  /** The package entity whose data file this is (the path is the package's). */
  readonly entity?: string;
}

/**
 * Opens a file with its reader; `onBytes` reports bytes read. Rows the reader cannot read as F&O
 * would are told to `onProblem` and handed out anyway; other bad input throws AppError.
 */
export type ReaderFactory = (
  path: string,
  options: ReadOptions,
  onBytes: (bytes: number) => void,
  onProblem: (problem: ReadProblem) => void,
) => Promise<OpenedSource>;

export type EngineEvent =
  | { readonly type: 'progress'; readonly payload: LoadProgress }
  | { readonly type: 'validated'; readonly id: string; readonly validation: ValidationState };

export interface EngineOptions {
  readonly openReader: ReaderFactory;
  readonly catalog: CatalogIndex;
  readonly emit: (event: EngineEvent) => void;
  /** Progress events at most this often (ms). */
  readonly progressEveryMs?: number;
  /** Re-validation waits this long after the last edit (ms). */
  readonly revalidateAfterMs?: number;
}

interface Entry {
  readonly id: string;
  name: string;
  readonly origin: DatasetOrigin;
  detection: SourceDetection | null;
  dataset: Dataset;
  state: LoadState;
  error: string | null;
  bytesRead: number;
  totalBytes: number | null;
  restoredEdits: number;
  /** Stops the loading of this entry (close, reopen). */
  cancelled: boolean;
  /** Bumped by each clustering request: an older one still running stops. */
  clustering: number;
  reader: SourceReader | null;
  /** What the reader found (dialect, sheet, record element): writing back uses the same. */
  readerInfo: ReaderInfo | null;
  revalidate: ReturnType<typeof setTimeout> | null;
  /** The table version last written to the source file (or loaded from it). */
  savedVersion: number;
  /** Rows the reader could not read as F&O would. */
  readonly problems: ReadProblemLog;
  /** The opened source, to read what the reader learnt by the end (encoding seen past the first 64 KiB). */
  readonly opened: OpenedSource | null;
}

/** The columns and options of rows handed over by a service. */
export interface RowsSpec {
  readonly name: string;
  /** What handed them over, e.g. "Job 42: failed rows of Customers V3". */
  readonly source: string;
  readonly columns: readonly TableColumn[];
}

const FIRST_PAGE_ROWS = 1;
/** Distinct values clustered at most: beyond, the column holds keys, not codes with variants. */
const MAX_CLUSTER_DISTINCT = 1_000_000;

export class DatasetEngine {
  readonly #entries = new Map<string, Entry>();
  readonly #options: EngineOptions;

  constructor(options: EngineOptions) {
    this.#options = options;
  }

  #get(id: string): Entry {
    const entry = this.#entries.get(id);
    if (!entry)
      throw new AppError(
        'NOT_FOUND',
        `Dataset ${id} is not open (it was closed or the workbench restarted). Open the file again.`,
      );
    return entry;
  }

  info(id: string): DatasetInfo {
    const e = this.#get(id);
    const table = e.dataset.table;
    const columns: DatasetColumn[] = table.columns.map((c, index) => ({ index, name: c.name, readOnly: c.readOnly }));
    return {
      id: e.id,
      name: e.name,
      origin: e.origin,
      columns,
      detection: e.detection,
      state: e.state,
      error: e.error,
      rowCount: table.rowCount,
      bytesRead: e.bytesRead,
      totalBytes: e.totalBytes,
      version: table.version,
      undo: e.dataset.journal.undoLabel,
      redo: e.dataset.journal.redoLabel,
      entity: e.dataset.validation.entity,
      restoredEdits: e.restoredEdits,
      unsaved: table.version !== e.savedVersion,
      problems: e.problems.view(e.detection),
    };
  }

  list(): DatasetInfo[] {
    return [...this.#entries.keys()].map((id) => this.info(id));
  }

  /**
   * Opens a file and answers as soon as its first rows are in the store; the rest streams in the
   * background with progress events.
   */
  async openFile(id: string, path: string, options: ReadOptions, name: string): Promise<DatasetInfo> {
    if (this.#entries.has(id)) throw new AppError('CONFLICT', `Dataset ${id} is already open.`);
    const problems = new ReadProblemLog();
    const opened = await this.#options.openReader(
      path,
      options,
      (bytes) => {
        const entry = this.#entries.get(id);
        if (entry) entry.bytesRead = bytes;
      },
      (problem) => problems.add(problem),
    );
    const { reader } = opened;
    const table = new Table(reader.columns.map((column) => ({ name: column, readOnly: false })));
    const entry: Entry = {
      id,
      name,
      origin: opened.entity === undefined ? { kind: 'file', path } : { kind: 'package', path, entity: opened.entity },
      detection: detectionOf(opened, options),
      dataset: new Dataset(table, this.#options.catalog),
      state: 'loading',
      error: null,
      bytesRead: 0,
      totalBytes: opened.totalBytes,
      restoredEdits: 0,
      cancelled: false,
      clustering: 0,
      reader,
      readerInfo: reader.info,
      revalidate: null,
      savedVersion: 0,
      problems,
      opened,
    };
    this.#entries.set(id, entry);
    await this.#load(entry, reader);
    return this.info(id);
  }

  /** Streams the reader into the table; resolves once the first rows (or the end, or an error) are in. */
  #load(entry: Entry, reader: SourceReader): Promise<void> {
    return new Promise<void>((resolveFirst) => {
      let lastProgress = 0;
      const every = this.#options.progressEveryMs ?? 100;
      const progress = (force: boolean) => {
        const now = Date.now();
        if (!force && now - lastProgress < every) return;
        lastProgress = now;
        this.#options.emit({ type: 'progress', payload: this.#progress(entry) });
      };
      const pump = async () => {
        try {
          for await (const batch of reader) {
            if (entry.cancelled) return;
            entry.dataset.table.appendRows(batch.rows);
            if (entry.dataset.table.rowCount >= FIRST_PAGE_ROWS) resolveFirst();
            progress(false);
          }
          if (entry.cancelled) return;
          this.#endLoad(entry);
          entry.state = 'ready';
          if (entry.totalBytes !== null) entry.bytesRead = entry.totalBytes;
        } catch (error) {
          if (entry.cancelled) return;
          this.#endLoad(entry);
          entry.state = 'failed';
          entry.error = messageOf(error);
        } finally {
          resolveFirst();
        }
        progress(true);
        if (entry.state === 'ready' && entry.dataset.validation.entity !== null) this.#scheduleValidation(entry, 0);
      };
      void pump();
    });
  }

  /** What only the end of a file tells: its problem rows get their flags, the encoding its final reason. */
  #endLoad(entry: Entry): void {
    entry.reader = null;
    if (entry.opened) entry.detection = detectionOf(entry.opened, entry.detection?.overrides ?? {});
    entry.problems.flag(entry.dataset.table);
  }

  #progress(entry: Entry): LoadProgress {
    return {
      id: entry.id,
      state: entry.state,
      rowCount: entry.dataset.table.rowCount,
      bytesRead: entry.bytesRead,
      totalBytes: entry.totalBytes,
      error: entry.error,
      columns: entry.dataset.table.columnCount,
    };
  }

  /** Re-reads the file of a dataset with other options; edits are dropped. */
  async reopen(id: string, options: ReadOptions): Promise<DatasetInfo> {
    const entry = this.#get(id);
    const origin = entry.origin;
    if (origin.kind === 'rows') {
      throw new AppError('INVALID_INPUT', `${entry.name} was not opened from a file: there is nothing to read again.`);
    }
    const { path } = origin;
    const entity = entry.dataset.validation.entity;
    await this.close(id);
    const merged = {
      ...(entry.detection?.overrides ?? {}),
      ...(origin.kind === 'package' ? { entity: origin.entity } : {}),
      ...options,
    };
    const info = await this.openFile(id, path, merged, entry.name);
    if (entity !== null) this.validate(id, entity);
    return info;
  }

  /** Starts a dataset of rows handed over by a service; feed it with pushRows, then endRows. */
  openRows(id: string, spec: RowsSpec): DatasetInfo {
    if (this.#entries.has(id)) throw new AppError('CONFLICT', `Dataset ${id} is already open.`);
    if (spec.columns.length === 0) throw new AppError('INVALID_INPUT', `${spec.name} has no columns.`);
    this.#entries.set(id, {
      id,
      name: spec.name,
      origin: { kind: 'rows', source: spec.source },
      detection: null,
      dataset: new Dataset(new Table(spec.columns), this.#options.catalog),
      state: 'loading',
      error: null,
      bytesRead: 0,
      totalBytes: null,
      restoredEdits: 0,
      cancelled: false,
      clustering: 0,
      reader: null,
      readerInfo: null,
      revalidate: null,
      savedVersion: 0,
      problems: new ReadProblemLog(),
      opened: null,
    });
    return this.info(id);
  }

  pushRows(id: string, rows: readonly (readonly string[])[], ids?: readonly number[]): void {
    const entry = this.#get(id);
    if (entry.state !== 'loading')
      throw new AppError('CONFLICT', `${entry.name} is complete: no more rows can be added.`);
    if (ids) {
      const table = entry.dataset.table;
      for (const rowId of ids) {
        if (!Number.isSafeInteger(rowId) || rowId < 1 || rowId > 0xffffffff || table.indexOf(rowId) >= 0) {
          throw new AppError(
            'INVALID_INPUT',
            `Row id ${rowId} of ${entry.name} is not a new whole number from 1 to 4294967295.`,
          );
        }
      }
      if (new Set(ids).size !== ids.length) throw new AppError('INVALID_INPUT', `${entry.name} repeats a row id.`);
    }
    entry.dataset.table.appendRows(rows, ids);
    this.#options.emit({ type: 'progress', payload: this.#progress(entry) });
  }

  endRows(id: string): DatasetInfo {
    const entry = this.#get(id);
    entry.state = 'ready';
    this.#options.emit({ type: 'progress', payload: this.#progress(entry) });
    if (entry.dataset.validation.entity !== null) this.#scheduleValidation(entry, 0);
    return this.info(id);
  }

  async close(id: string): Promise<boolean> {
    const entry = this.#entries.get(id);
    if (!entry) return false;
    entry.cancelled = true;
    if (entry.revalidate) clearTimeout(entry.revalidate);
    entry.dataset.validation.setEntity(null);
    this.#entries.delete(id);
    await entry.reader?.close();
    return true;
  }

  async closeAll(): Promise<void> {
    for (const id of [...this.#entries.keys()]) await this.close(id);
  }

  /** A page of a view; `display`: for the grid (long cells cut, the page's size bounded). */
  rows(id: string, view: DatasetView, start: number, count: number, display = false): RowPage {
    const entry = this.#get(id);
    return entry.dataset.rows(view, start, count, entry.state !== 'loading', display);
  }

  position(id: string, view: DatasetView, row: number): number | null {
    return this.#get(id).dataset.position(view, row);
  }

  #changed(entry: Entry, change: Change): Change {
    if (change.changed && entry.dataset.validation.entity !== null && entry.state === 'ready') {
      this.#scheduleValidation(entry, this.#options.revalidateAfterMs ?? 150);
    }
    return change;
  }

  #editable(entry: Entry): void {
    if (entry.state === 'loading') {
      throw new AppError('CONFLICT', `${entry.name} is still loading: wait for the last rows, then make the change.`);
    }
  }

  edit(id: string, edits: readonly { row: number; column: number; value: string }[]): Change {
    const entry = this.#get(id);
    this.#editable(entry);
    return this.#changed(entry, entry.dataset.edit(edits));
  }

  undo(id: string): Change {
    const entry = this.#get(id);
    return this.#changed(entry, entry.dataset.undo());
  }

  redo(id: string): Change {
    const entry = this.#get(id);
    return this.#changed(entry, entry.dataset.redo());
  }

  paste(
    id: string,
    view: DatasetView,
    position: number,
    columns: readonly number[],
    text: string,
    fill?: { rows: number; columns: number },
  ): { change: Change; paste: Omit<PasteResult, keyof ChangeResult> } {
    const entry = this.#get(id);
    this.#editable(entry);
    const pasted = entry.dataset.paste(view, position, columns, text, fill);
    this.#changed(entry, pasted.change);
    return pasted;
  }

  copy(id: string, view: DatasetView, position: number, rows: number, columns: readonly number[]): CopyResult {
    return this.#get(id).dataset.copy(view, position, rows, columns);
  }

  /** Computes every view again: rows kept in place after a fix leave the views they no longer match. */
  refreshView(id: string): boolean {
    this.#get(id).dataset.views.clear();
    return true;
  }

  bulk(id: string, view: DatasetView, op: BulkOp): Change {
    const entry = this.#get(id);
    this.#editable(entry);
    return this.#changed(entry, entry.dataset.bulk(view, op));
  }

  /** Replays recipe steps in order; a step that cannot apply (a missing column) is skipped with the reason. */
  async applySteps(
    id: string,
    steps: readonly RecipeStep[],
  ): Promise<{ result: RecipeApplyResult; changes: Change[] }> {
    const entry = this.#get(id);
    this.#editable(entry);
    const changes: Change[] = [];
    const results: RecipeApplyResult['steps'][number][] = [];
    for (const step of steps) {
      try {
        if (step.where.issues) await this.#freshValidation(entry);
        const change = entry.dataset.replay(step);
        changes.push(change);
        results.push({ description: describeStep(step), cells: change.result.cells, skipped: null });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        results.push({ description: describeStep(step), cells: 0, skipped: error.message });
      }
    }
    const last = changes.at(-1);
    if (last) this.#changed(entry, last);
    const journal = entry.dataset.journal;
    return {
      result: {
        steps: results,
        version: entry.dataset.table.version,
        undo: journal.undoLabel,
        redo: journal.redoLabel,
      },
      changes,
    };
  }

  recipe(id: string): RecipeStepView[] {
    return this.#get(id).dataset.recipe();
  }

  recipeSteps(id: string): RecipeStep[] {
    return this.#get(id).dataset.recipeSteps;
  }

  find(id: string, request: FindRequest): FindResult {
    return this.#get(id).dataset.find(request);
  }

  facet(id: string, view: DatasetView, column: number, limit: number): Facet {
    return this.#get(id).dataset.facet(view, column, limit);
  }

  /**
   * Clusters of a column's distinct values over the whole view. The work yields every few
   * thousand values, so page reads and edits are answered while a million rows are clustered; a
   * newer request for the same dataset stops this one.
   */
  async clusters(
    id: string,
    view: DatasetView,
    column: number,
    options: { method: ClusterMethod; ngramSize: number; radius: number; limit: number },
  ): Promise<ClusterResult> {
    const entry = this.#get(id);
    const started = performance.now();
    const request = ++entry.clustering;
    const { counts, rows } = entry.dataset.valueCounts(view, column, MAX_CLUSTER_DISTINCT);
    if (counts.size >= MAX_CLUSTER_DISTINCT) {
      throw new AppError(
        'INVALID_INPUT',
        `${entry.dataset.table.columns[column]?.name ?? 'The column'} has more than ${MAX_CLUSTER_DISTINCT.toLocaleString('en-US')} distinct values (a key column?): filter the rows first, then cluster.`,
      );
    }
    const values = [...counts].map(([value, count]) => ({ value, count }));
    const steps: ClusterSteps =
      options.method === 'levenshtein'
        ? clusterByDistanceSteps(values, { radius: options.radius })
        : clusterByKeySteps(values, { method: options.method, ngramSize: options.ngramSize });
    for (;;) {
      const next = steps.next();
      if (next.done) {
        return {
          column,
          method: options.method,
          clusters: next.value.slice(0, options.limit),
          clusterCount: next.value.length,
          distinct: values.length,
          rows,
          elapsedMs: Math.round(performance.now() - started),
        };
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (entry.clustering !== request || this.#entries.get(id) !== entry) {
        throw new AppError('CONFLICT', 'A newer clustering of this dataset replaced this one.');
      }
    }
  }

  /** The project's value mapping tables over columns of this dataset: checked with the next validation. */
  setValueChecks(id: string, checks: readonly ValueCheck[]): void {
    const entry = this.#get(id);
    entry.dataset.validation.setValueChecks(checks);
    if (entry.dataset.validation.entity !== null && entry.state !== 'loading') this.#scheduleValidation(entry, 0);
  }

  /**
   * Replays a persisted journal (an earlier session's edits of the same file). Cell edits apply
   * only where the cell still holds the old value. Returns the number of entries applied.
   */
  async replayJournal(id: string, entries: readonly JournalEntry[]): Promise<number> {
    const entry = this.#get(id);
    this.#editable(entry);
    const dataset = entry.dataset;
    let applied = 0;
    for (const item of entries) {
      try {
        if (item.op === 'undo') dataset.undo();
        else if (item.op === 'redo') dataset.redo();
        else if (item.op === 'bulk') {
          if (item.step.where.issues) await this.#freshValidation(entry);
          dataset.replay(item.step);
        } else {
          const edits = item.edits.flatMap((e) => {
            const index = dataset.table.indexOf(e.row);
            const column = dataset.table.findColumn(e.column);
            if (index < 0 || column < 0 || dataset.table.get(index, column) !== e.before) return [];
            return [{ row: e.row, column, value: e.after }];
          });
          if (edits.length === 0) continue;
          dataset.edit(edits);
        }
        applied++;
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        // An entry that no longer applies (nothing to undo, a column gone) is skipped.
      }
    }
    entry.restoredEdits = applied;
    if (applied > 0)
      this.#changed(entry, {
        result: this.#changeResult(entry, 'Restore edits'),
        entry: { op: 'redo' },
        changed: true,
      });
    return applied;
  }

  #changeResult(entry: Entry, label: string): ChangeResult {
    const journal = entry.dataset.journal;
    return {
      version: entry.dataset.table.version,
      cells: 0,
      rows: 0,
      label,
      undo: journal.undoLabel,
      redo: journal.redoLabel,
    };
  }

  // ------------------------------------------------------------------------------ validation

  entities(id: string): EntityChoice[] {
    const table = this.#get(id).dataset.table;
    const names = new Set(table.columns.map((c) => c.name.trim().toLowerCase()));
    const catalog = this.#options.catalog;
    return catalog.catalog.entities
      .map((e) => ({
        label: e.label,
        targetEntity: e.targetEntity,
        matchingColumns: e.fields.filter(
          (f) => names.has(f.name.toLowerCase()) || names.has(f.publicName.toLowerCase()),
        ).length,
      }))
      .sort((a, b) => b.matchingColumns - a.matchingColumns || a.label.localeCompare(b.label));
  }

  validate(id: string, entity: string | null): ValidationState {
    const entry = this.#get(id);
    const validation = entry.dataset.validation;
    if (entity === null) {
      validation.setEntity(null);
      entry.dataset.views.clear();
      return validation.state;
    }
    const found = this.#options.catalog.findEntity(entity);
    if (!found) {
      try {
        this.#options.catalog.requireEntity(entity);
      } catch (error) {
        throw new AppError('NOT_FOUND', messageOf(error));
      }
    }
    validation.setEntity(found?.label ?? entity);
    // Other findings: views kept for the last entity's findings are no longer what was asked for.
    entry.dataset.views.clear();
    if (entry.state !== 'loading') this.#scheduleValidation(entry, 0);
    return { ...validation.state, entity: found?.label ?? entity, state: 'running' };
  }

  issues(id: string): ValidationState {
    return this.#get(id).dataset.validation.state;
  }

  /** Waits for findings that describe the current cells (steps that filter on findings need them). */
  async #freshValidation(entry: Entry): Promise<void> {
    const validation = entry.dataset.validation;
    if (validation.entity === null) return;
    while (validation.state.state !== 'ready' || validation.state.version !== entry.dataset.table.version) {
      if (entry.revalidate) {
        clearTimeout(entry.revalidate);
        entry.revalidate = null;
      }
      const state = await validation.run();
      if (state && this.#entries.get(entry.id) === entry) {
        this.#options.emit({ type: 'validated', id: entry.id, validation: state });
      }
    }
  }

  #scheduleValidation(entry: Entry, delay: number): void {
    if (entry.revalidate) clearTimeout(entry.revalidate);
    entry.revalidate = setTimeout(() => {
      entry.revalidate = null;
      void entry.dataset.validation.run().then(
        (state) => {
          // Views filtered by findings compute again (the findings' version changed), except
          // those the consultant just fixed rows in: the fixed rows stay until a refresh.
          if (state && this.#entries.get(entry.id) === entry) {
            this.#options.emit({ type: 'validated', id: entry.id, validation: state });
          }
        },
        (error: unknown) => {
          entry.error = `Validation stopped: ${messageOf(error)}`;
        },
      );
    }, delay);
  }

  /**
   * Rows by their row id (a job's failed rows, read from the source as it is now edited); ids
   * the dataset does not hold are left out.
   */
  rowsById(id: string, rowIds: readonly number[]): { ids: number[]; rows: string[][] } {
    const table = this.#get(id).dataset.table;
    const ids: number[] = [];
    const rows: string[][] = [];
    for (const rowId of rowIds) {
      const index = table.indexOf(rowId);
      if (index < 0) continue;
      ids.push(rowId);
      rows.push(table.row(index));
    }
    return { ids, rows };
  }

  /**
   * Adds (or fills again) a read-only column with a value per row id: a job's error messages shown
   * beside the source rows they belong to. Rows not named get an empty cell.
   */
  attachColumn(id: string, name: string, values: readonly { row: number; value: string }[]): DatasetInfo {
    const entry = this.#get(id);
    this.#editable(entry);
    const table = entry.dataset.table;
    const wasSaved = entry.savedVersion === table.version;
    let column = table.columns.findIndex((c) => c.name === name);
    if (column >= 0 && !table.columns[column]?.readOnly) {
      throw new AppError(
        'CONFLICT',
        `${entry.name} already has a data column named ${name}: give the attached column another name.`,
      );
    }
    if (column < 0) column = table.addColumn({ name, readOnly: true });
    const byIndex = new Map<number, string>();
    for (const { row, value } of values) {
      const index = table.indexOf(row);
      if (index < 0)
        throw new AppError(
          'NOT_FOUND',
          `${entry.name} has no row ${row}: the messages belong to another file or an older version of it.`,
        );
      byIndex.set(index, value);
    }
    const all = Uint32Array.from({ length: table.rowCount }, (_, i) => i);
    table.setCells(column, all, (i) => byIndex.get(i) ?? '');
    // Read-only columns are never written: attaching one leaves nothing to save.
    if (wasSaved) entry.savedVersion = table.version;
    entry.dataset.views.clear();
    return this.info(id);
  }

  /**
   * Writes the rows (load order, every fix in) to a file, atomically. Without `path`: back to the
   * source file in the dialect it was read in. Returns the rows written.
   */
  async exportTo(
    id: string,
    target: { path?: string; kind?: DataFileKind; neutralizeFormulas?: boolean },
  ): Promise<{ path: string; rows: number; neutralized: number }> {
    const entry = this.#get(id);
    if (entry.state === 'loading') {
      throw new AppError('CONFLICT', `${entry.name} is still loading: wait for the last rows, then save.`);
    }
    if (entry.problems.total > 0) {
      const n = entry.problems.total;
      throw new AppError(
        'CONFLICT',
        `${entry.name} has ${n} ${n === 1 ? 'row' : 'rows'} that could not be read as F&O would take ${n === 1 ? 'it' : 'them'} (see the ${READ_PROBLEM_COLUMN} column): writing ${n === 1 ? 'it' : 'them'} out would change ${n === 1 ? 'it' : 'them'} (missing values made empty, values beyond the header or bytes the encoding lacks dropped). Fix ${n === 1 ? 'that row' : 'those rows'} in the file, or read it again with the right delimiter or encoding.`,
      );
    }
    const origin = entry.origin;
    const sourceKind = entry.detection?.kind ?? 'csv';
    let path: string;
    let kind: DataFileKind;
    let info: ReaderInfo | null;
    if (target.path === undefined) {
      if (origin.kind !== 'file') {
        throw new AppError(
          'INVALID_INPUT',
          origin.kind === 'package'
            ? `${entry.name} is inside a data package: use Save as to write it to a file of its own.`
            : `${entry.name} has no source file: use Save as to write it to a file.`,
        );
      }
      if (entry.state === 'failed') {
        throw new AppError(
          'CONFLICT',
          `${entry.name} was not read to the end: saving it would drop the rows after the error. Fix the file, or use Save as.`,
        );
      }
      path = origin.path;
      kind = sourceKind;
      info = entry.readerInfo;
    } else {
      path = target.path;
      kind = target.kind ?? kindForPath(path, sourceKind);
      info = kind === sourceKind ? entry.readerInfo : null;
    }
    const table = entry.dataset.table;
    const version = table.version;
    const written = await writeDataset({
      path,
      kind,
      info,
      // Back to the source file: its data, exactly. A copy elsewhere: as the caller asked.
      neutralizeFormulas: target.path !== undefined && target.neutralizeFormulas === true,
      columns: table.columns,
      rows: function* () {
        for (let start = 0; start < table.rowCount; start += 2000) {
          const batch: string[][] = [];
          for (let i = start; i < Math.min(table.rowCount, start + 2000); i++) batch.push(table.row(i));
          yield batch;
        }
      },
    });
    if (target.path === undefined) {
      entry.savedVersion = version;
      entry.dataset.journal.markSaved();
    }
    return { path, ...written };
  }
}

function detectionOf(opened: OpenedSource, overrides: ReadOptions): SourceDetection {
  const info = opened.reader.info;
  const text = (key: string) => (typeof info[key] === 'string' ? (info[key] as string) : null);
  return {
    kind: opened.kind,
    encoding: text('encoding'),
    encodingReason: text('encodingReason'),
    delimiter: text('delimiter'),
    headerRow: typeof info.headerRow === 'boolean' ? info.headerRow : true,
    sheet: text('sheet'),
    overrides,
  };
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
