/**
 * The datasets service: the main-process face of the row store. It owns dataset ids, starts the
 * engine (a worker thread in the app), turns engine events into contract events, journals every
 * change before it answers, restores an earlier session's edits of an unchanged file, and keeps
 * saved recipes. Other services open datasets through `openRows` (a job's failed rows).
 */
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';
import type { Publish } from '../../../shared/api/contract';
import type {
  ChangeResult,
  ClusterMethod,
  ClusterResult,
  CopyResult,
  DataFileKind,
  DatasetChange,
  DatasetInfo,
  DatasetView,
  Facet,
  FindRequest,
  FindResult,
  FolderListing,
  PackageContents,
  PasteResult,
  ReadOptions,
  RecipeApplyResult,
  RecipeStep,
  RecipeStepView,
  RowPage,
  SavedRecipe,
  EntityChoice,
  ValidationState,
} from '../../../shared/api/domains/datasets';
import { AppError } from '../../../shared/api/errors';
import type { Logger } from '../logging/logger';
import { InputFileError } from '../sources/inputError';
import type { RowBatch, RowReader } from '../sources/rows';
import type { EngineEvent, RowsSpec } from './engine';
import type { EngineClient } from './engineHost';
import { listFolder, resolveUserPath } from './fileBrowser';
import { isPackage, packageContents } from './readers';
import { projectJournal, projectRecipes } from './persistence';
import type { JournalPort, ProjectStore, RecentFolders, RecipePort, SourceKey } from './persistence';
import type { Change } from './store/dataset';
import type { BulkOp } from './store/operations';
import type { ValueCheck } from './store/validation';

/** A project's value mapping tables (electron/services/valueMaps), as the grid uses them. */
export interface ValueMapPort {
  /** The tables over columns of rows validated against `entity` in a project. */
  checks(project: string, entity: string, columns: readonly string[]): Promise<ValueCheck[]>;
  /** Recipe steps with each mapValues step's rules as the project's table holds them now. */
  refresh(project: string, steps: readonly RecipeStep[]): Promise<RecipeStep[]>;
}

/** The native "Open file" dialog of the desktop app. */
export type FileDialog = () => Promise<string | null>;

export interface DatasetServiceOptions {
  /** Starts the engine; called once, on first use. */
  readonly startEngine: (onEvent: (event: EngineEvent) => void) => EngineClient;
  readonly publish: Publish;
  readonly journal: JournalPort;
  readonly recipes: RecipePort;
  readonly recent: RecentFolders;
  readonly logger: Logger;
  readonly fileDialog?: FileDialog | null;
  readonly home?: string;
  /** Workbench projects: a dataset opened for a project journals there, and its recipes live there. */
  readonly projects?: ProjectStore;
}

interface Tracked {
  /** The file as it was opened, for the journal; null for rows handed over. */
  key: SourceKey | null;
  /** Where its edits are journaled: the project's edits.json, or the workbench's own folder. */
  readonly journal: JournalPort;
  /** An earlier session's edits, replayed once loading ends. */
  restore: Promise<void> | null;
  /**
   * The workbench project whose value tables check and replay on these rows (absolute folder): the
   * one the dataset was opened for, or the one the consultant mapped values with in the Values panel.
   */
  project: string | null;
}

export class DatasetService {
  readonly #options: DatasetServiceOptions;
  #engine: EngineClient | null = null;
  readonly #tracked = new Map<string, Tracked>();
  #sequence = 0;
  #valueMaps: ValueMapPort | null = null;

  constructor(options: DatasetServiceOptions) {
    this.#options = options;
  }

  /** Wires the value mapping tables in (they read datasets too, so they are built after this service). */
  useValueMaps(port: ValueMapPort): void {
    this.#valueMaps = port;
  }

  /** The engine, started on first use (a worker costs its start-up time only when the grid is used). */
  get engine(): EngineClient {
    this.#engine ??= this.#options.startEngine((event) => this.#onEvent(event));
    return this.#engine;
  }

  /**
   * Starts the engine ahead of use (browser mode and the desktop app call it at start-up): a
   * worker thread takes a few hundred milliseconds to start, which would otherwise delay the
   * first rows of the first file.
   */
  warmUp(): void {
    this.engine.list().catch((error: unknown) => this.#options.logger.warn('The row store did not start', error));
  }

  #newId(): string {
    this.#sequence++;
    return `ds${this.#sequence}-${randomUUID().slice(0, 8)}`;
  }

  #onEvent(event: EngineEvent): void {
    if (event.type === 'validated') {
      this.#options.publish('datasets.validated', { id: event.id, validation: event.validation });
      return;
    }
    const progress = event.payload;
    this.#options.publish('datasets.progress', progress);
    if (progress.state === 'ready') {
      const tracked = this.#tracked.get(progress.id);
      if (tracked?.key && !tracked.restore) tracked.restore = this.#restore(progress.id, tracked.key);
    }
  }

  /** Replays the journal of an unchanged file: yesterday's fixes are there when it is opened again. */
  async #restore(id: string, key: SourceKey): Promise<void> {
    try {
      const tracked = this.#tracked.get(id);
      const { entries, damaged } = await (tracked?.journal ?? this.#options.journal).load(key);
      if (entries.length === 0 && damaged === 0) return;
      const applied = entries.length === 0 ? 0 : await this.engine.replayJournal(id, entries);
      if (applied > 0 || damaged > 0) {
        const info = await this.engine.info(id);
        const lost =
          damaged > 0
            ? ` (${damaged} damaged journal ${damaged === 1 ? 'line was' : 'lines were'} skipped: see the log)`
            : '';
        this.#publishChange(id, 'edit', {
          version: info.version,
          cells: 0,
          rows: 0,
          label: `Restored ${applied} ${applied === 1 ? 'edit' : 'edits'} from the last session${lost}`,
          undo: info.undo,
          redo: info.redo,
        });
      }
    } catch (error) {
      this.#options.logger.error(`Restoring the edits of ${key.path} failed`, error);
    }
  }

  /** The project port for a project folder, or a clear error when projects are not available. */
  #projects(): ProjectStore {
    const projects = this.#options.projects;
    if (!projects)
      throw new AppError(
        'INVALID_INPUT',
        'Workbench projects are not available here: open the file without a project.',
      );
    return projects;
  }

  #recipes(project: string | undefined): RecipePort {
    return project === undefined ? this.#options.recipes : projectRecipes(this.#projects(), resolve(project));
  }

  async open(path: string, options: ReadOptions, project?: string): Promise<DatasetInfo> {
    const file = resolveUserPath(path, this.#options.home);
    const stats = await sourceKey(file, options.entity !== undefined || (await isPackage(file)));
    // An entity of a package journals apart from the package's other entities.
    const key = options.entity === undefined ? stats : { ...stats, path: `${file} › ${options.entity}` };
    const id = this.#newId();
    let journal = this.#options.journal;
    if (project !== undefined) {
      const dir = resolve(project);
      // Fails with NOT_FOUND (and what to do) when the folder holds no project.
      await this.#projects().edits(dir, 0, 1);
      // As the project names its source files: relative to the project folder when inside it.
      const named = (k: SourceKey) => {
        const inside = relative(dir, k.path);
        return inside.startsWith('..') || isAbsolute(inside) ? k.path : inside.split('\\').join('/');
      };
      journal = projectJournal(this.#projects(), dir, options.entity ?? basename(file), named);
    }
    this.#tracked.set(id, { key, journal, restore: null, project: project === undefined ? null : resolve(project) });
    try {
      const name = options.entity === undefined ? basename(file) : `${options.entity} (${basename(file)})`;
      const info = await this.engine.openFile(id, file, options, name);
      // Not awaited: remembering the folder (a flushed write) must not delay the first rows.
      void this.#options.recent
        .add(dirname(file))
        .catch((error: unknown) => this.#options.logger.warn('Could not remember the folder', error));
      return info;
    } catch (error) {
      this.#tracked.delete(id);
      throw error;
    }
  }

  async packageEntities(path: string): Promise<PackageContents> {
    const file = resolveUserPath(path, this.#options.home);
    if (!(await isPackage(file))) {
      throw new AppError(
        'INVALID_INPUT',
        `${file} is not a data package: open a .zip or a folder holding Manifest.xml.`,
      );
    }
    return packageContents(file);
  }

  async reopen(id: string, options: ReadOptions): Promise<DatasetInfo> {
    const tracked = this.#tracked.get(id);
    if (tracked?.key) {
      await tracked.restore;
      await tracked.journal.reset(tracked.key);
      const info = await this.engine.info(id);
      const path = info.origin.kind === 'rows' ? tracked.key.path : info.origin.path;
      const stats = await sourceKey(path, info.origin.kind === 'package');
      tracked.key = { ...stats, path: tracked.key.path };
      tracked.restore = null;
    }
    return this.engine.reopen(id, options);
  }

  /**
   * Opens rows a service hands over (a job's failed rows with their messages) as a dataset the
   * grid shows like a file. `ids`: the rows' source row numbers, so fixes map back to the file.
   */
  async openRows(
    spec: RowsSpec,
    batches:
      | AsyncIterable<{ readonly rows: readonly (readonly string[])[]; readonly ids?: readonly number[] }>
      | Iterable<{ readonly rows: readonly (readonly string[])[]; readonly ids?: readonly number[] }>,
  ): Promise<DatasetInfo> {
    const id = this.#newId();
    this.#tracked.set(id, { key: null, journal: this.#options.journal, restore: null, project: null });
    await this.engine.openRows(id, spec);
    try {
      for await (const batch of batches) await this.engine.pushRows(id, batch.rows, batch.ids);
      return await this.engine.endRows(id);
    } catch (error) {
      await this.close(id);
      throw error;
    }
  }

  list(): Promise<DatasetInfo[]> {
    return this.engine.list();
  }

  get(id: string): Promise<DatasetInfo> {
    return this.engine.info(id);
  }

  /** Closes a dataset; `discard`: its unsaved edits are forgotten (its journal starts afresh from the file). */
  async close(id: string, discard = false): Promise<boolean> {
    const tracked = this.#tracked.get(id);
    if (discard && tracked?.key) {
      await tracked.restore;
      await tracked.journal.reset(tracked.key);
    }
    this.#tracked.delete(id);
    const closed = await this.engine.close(id);
    if (closed) this.#options.publish('datasets.closed', { id });
    return closed;
  }

  /** A page of a view, whole cells (services). */
  rows(id: string, view: DatasetView, start: number, count: number): Promise<RowPage> {
    return this.engine.rows(id, view, start, count);
  }

  /** A page of a view for the grid: long cells cut, the page bounded in size (it crosses a transport). */
  page(id: string, view: DatasetView, start: number, count: number): Promise<RowPage> {
    return this.engine.rows(id, view, start, count, true);
  }

  async position(id: string, view: DatasetView, row: number): Promise<{ position: number | null }> {
    return { position: await this.engine.position(id, view, row) };
  }

  /** Rows by row id (the source rows a job's errors name); ids the dataset lacks are left out. */
  rowsById(id: string, rowIds: readonly number[]): Promise<{ ids: number[]; rows: string[][] }> {
    return this.engine.rowsById(id, rowIds);
  }

  /** The newest open dataset of a file, once its rows are all in and its earlier edits replayed. */
  async openedFile(path: string): Promise<DatasetInfo | null> {
    const file = resolveUserPath(path, this.#options.home);
    const found = (await this.list())
      .filter((d) => d.origin.kind === 'file' && d.origin.path === file && d.state !== 'failed')
      .at(-1);
    return found ? this.#settled(found.id) : null;
  }

  /**
   * A source file's rows as the consultant sees them in the grid: its open dataset (edits and
   * read options applied), or, when it is not open but an earlier session edited it, the file
   * opened (its journal replayed) and closed again after reading. Null when the grid holds
   * nothing for the file: the file itself is the truth, and is better streamed.
   */
  async editedRows(path: string): Promise<RowReader | null> {
    const file = resolveUserPath(path, this.#options.home);
    let info = await this.openedFile(file);
    let openedHere = false;
    if (!info) {
      const { entries: edits } = await this.#options.journal
        .load(await sourceKey(file))
        .catch(() => ({ entries: [], damaged: 0 }));
      if (edits.length === 0) return null;
      info = await this.#settled((await this.open(file, {})).id);
      openedHere = true;
    }
    if (info.state === 'failed') {
      if (openedHere) await this.close(info.id);
      return null;
    }
    if (info.problems) {
      // Its flagged rows are shown padded or cut: a package built from them would not be the file.
      if (openedHere) await this.close(info.id);
      const first = info.problems.first[0];
      throw new InputFileError(
        { file: basename(file), ...(first ? { line: first.line } : {}) },
        `${first?.message ?? 'a row cannot be read as F&O would take it.'} (${info.problems.total} ${info.problems.total === 1 ? 'row has' : 'rows have'} such problems; the grid flags them in its Read problem column.) Fix them in the file before building the package.`,
      );
    }
    return datasetReader(this, info, openedHere);
  }

  /** Waits for a dataset to finish loading and for its earlier session's edits to be replayed. */
  async #settled(id: string): Promise<DatasetInfo> {
    let info = await this.engine.info(id);
    while (info.state === 'loading') {
      await new Promise((resolve) => setTimeout(resolve, 25));
      info = await this.engine.info(id);
    }
    await this.#tracked.get(id)?.restore;
    return this.engine.info(id);
  }

  #publishChange(id: string, reason: DatasetChange['reason'], result: ChangeResult): void {
    this.#options.publish('datasets.changed', { ...result, id, reason });
  }

  /** Journals a change (on disk before the call answers), then tells every window. */
  async #record(id: string, change: Change, reason: DatasetChange['reason']): Promise<ChangeResult> {
    if (change.changed) {
      const tracked = this.#tracked.get(id);
      if (tracked?.key) {
        await tracked.restore;
        await tracked.journal.append(tracked.key, [change.entry]);
      }
      this.#publishChange(id, reason, change.result);
    }
    return change.result;
  }

  async edit(id: string, edits: readonly { row: number; column: number; value: string }[]): Promise<ChangeResult> {
    await this.#restored(id);
    return this.#record(id, await this.engine.edit(id, edits), 'edit');
  }

  /** Pastes a clipboard range into a view (one journaled, undoable edit) and says what it wrote and refused. */
  async paste(
    id: string,
    view: DatasetView,
    position: number,
    columns: readonly number[],
    text: string,
    fill?: { rows: number; columns: number },
  ): Promise<PasteResult> {
    await this.#restored(id);
    const { change, paste } = await this.engine.paste(id, view, position, columns, text, fill);
    return { ...(await this.#record(id, change, 'edit')), ...paste };
  }

  copy(id: string, view: DatasetView, position: number, rows: number, columns: readonly number[]): Promise<CopyResult> {
    return this.engine.copy(id, view, position, rows, columns);
  }

  refreshView(id: string): Promise<boolean> {
    return this.engine.refreshView(id);
  }

  async undo(id: string): Promise<ChangeResult> {
    await this.#restored(id);
    return this.#record(id, await this.engine.undo(id), 'undo');
  }

  async redo(id: string): Promise<ChangeResult> {
    await this.#restored(id);
    return this.#record(id, await this.engine.redo(id), 'redo');
  }

  async bulk(id: string, view: DatasetView, op: BulkOp): Promise<ChangeResult> {
    await this.#restored(id);
    return this.#record(id, await this.engine.bulk(id, view, op), 'bulk');
  }

  async #restored(id: string): Promise<void> {
    await this.#tracked.get(id)?.restore;
  }

  find(id: string, request: FindRequest): Promise<FindResult> {
    return this.engine.find(id, request);
  }

  facet(id: string, view: DatasetView, column: number, limit: number): Promise<Facet> {
    return this.engine.facet(id, view, column, limit);
  }

  clusters(
    id: string,
    view: DatasetView,
    column: number,
    options: { method: ClusterMethod; ngramSize: number; radius: number; limit: number },
  ): Promise<ClusterResult> {
    return this.engine.clusters(id, view, column, options);
  }

  /**
   * The project whose value tables apply to a dataset from now on (the Values panel maps a file
   * opened outside a project); its findings are checked again. The edits journal stays where it is.
   */
  async useProject(id: string, project: string): Promise<void> {
    const tracked = this.#tracked.get(id);
    const dir = resolve(project);
    if (!tracked || tracked.project === dir) return;
    tracked.project = dir;
    const info = await this.engine.info(id);
    if (info.entity) {
      await this.#checkValues(id, dir, info);
    }
  }

  /**
   * Checks the columns of every open dataset of a project against its value tables again (a
   * table changed). Datasets not validated against an entity have nothing to check.
   */
  async refreshValueChecks(project: string): Promise<void> {
    const dir = resolve(project);
    for (const [id, tracked] of this.#tracked) {
      if (tracked.project !== dir) continue;
      const info = await this.engine.info(id).catch(() => null);
      if (info?.entity) await this.#checkValues(id, dir, info);
    }
  }

  async #checkValues(id: string, project: string, info: DatasetInfo): Promise<void> {
    const port = this.#valueMaps;
    if (!port || !info.entity) return;
    const checks = await port.checks(
      project,
      info.entity,
      info.columns.filter((c) => !c.readOnly).map((c) => c.name),
    );
    await this.engine.setValueChecks(id, checks);
  }

  recipe(id: string): Promise<RecipeStepView[]> {
    return this.engine.recipe(id);
  }

  async applyRecipe(
    id: string,
    source: { steps?: readonly RecipeStep[]; recipeId?: string; fromDataset?: string; project?: string },
  ): Promise<RecipeApplyResult> {
    await this.#restored(id);
    let steps: readonly RecipeStep[];
    if (source.steps) steps = source.steps;
    else if (source.recipeId) {
      const recipe = (await this.#recipes(source.project).list()).find((r) => r.id === source.recipeId);
      if (!recipe)
        throw new AppError(
          'NOT_FOUND',
          `There is no saved recipe "${source.recipeId}": it may have been deleted. Pick another one.`,
        );
      steps = recipe.steps;
    } else if (source.fromDataset) steps = await this.engine.recipeSteps(source.fromDataset);
    else
      throw new AppError('INVALID_PARAMS', 'Say which recipe to apply: steps, a saved recipe id, or another dataset.');
    // A replayed recipe maps values with the project's tables as they are now, not as they were when it was saved.
    const project = this.#tracked.get(id)?.project ?? (source.project === undefined ? null : resolve(source.project));
    if (!source.steps && project && this.#valueMaps) steps = await this.#valueMaps.refresh(project, steps);
    const { result, changes } = await this.engine.applySteps(id, steps);
    const tracked = this.#tracked.get(id);
    const journaled = changes.filter((c) => c.changed);
    if (tracked?.key && journaled.length > 0)
      await tracked.journal.append(
        tracked.key,
        journaled.map((c) => c.entry),
      );
    const last = journaled.at(-1);
    if (last) {
      this.#publishChange(id, 'recipe', {
        ...last.result,
        cells: journaled.reduce((n, c) => n + c.result.cells, 0),
        label: `Apply ${journaled.length} recipe ${journaled.length === 1 ? 'step' : 'steps'}`,
      });
    }
    return result;
  }

  async saveRecipe(id: string, name: string, project?: string): Promise<SavedRecipe[]> {
    const steps = await this.engine.recipeSteps(id);
    if (steps.length === 0) {
      throw new AppError(
        'INVALID_INPUT',
        'This dataset has no bulk fixes yet: a recipe is made of replace, fill down, set value and trim/case steps.',
      );
    }
    const info = await this.engine.info(id);
    const recipe: SavedRecipe = {
      id: randomUUID(),
      name,
      ...(info.entity ? { entity: info.entity } : {}),
      steps,
    };
    return this.#recipes(project).save(recipe);
  }

  savedRecipes(project?: string): Promise<SavedRecipe[]> {
    return this.#recipes(project).list();
  }

  async deleteRecipe(recipeId: string, project?: string): Promise<SavedRecipe[]> {
    const port = this.#recipes(project);
    const recipes = await port.list();
    if (!recipes.some((r) => r.id === recipeId)) throw new AppError('NOT_FOUND', 'That recipe was already deleted.');
    return port.remove(recipeId);
  }

  entities(id: string): Promise<EntityChoice[]> {
    return this.engine.entities(id);
  }

  async validate(id: string, entity: string | null): Promise<ValidationState> {
    const project = this.#tracked.get(id)?.project ?? null;
    if (entity !== null && project) {
      // The project's value tables are checked with the entity's other rules.
      await this.#checkValues(id, project, { ...(await this.engine.info(id)), entity });
    }
    return this.engine.validate(id, entity);
  }

  issues(id: string): Promise<ValidationState> {
    return this.engine.issues(id);
  }

  /**
   * Shows a read-only column of values per row id beside the rows (a job's error messages on the
   * source file's rows: fix them in the grid, save, re-import the failed rows).
   */
  async attachColumn(
    id: string,
    name: string,
    values: readonly { row: number; value: string }[],
  ): Promise<DatasetInfo> {
    await this.#restored(id);
    const info = await this.engine.attachColumn(id, name, values);
    this.#publishChange(id, 'columns', {
      version: info.version,
      cells: values.length,
      rows: values.length,
      label: `Show ${name}`,
      undo: info.undo,
      redo: info.redo,
    });
    return info;
  }

  /** Writes the rows back to their source file; the journal starts afresh from the saved file. */
  async save(id: string): Promise<{ path: string; rows: number; neutralized: number }> {
    await this.#restored(id);
    const written = await this.engine.exportTo(id, {});
    const tracked = this.#tracked.get(id);
    if (tracked?.key) {
      // The edits are in the file now: the old journal no longer describes it.
      await tracked.journal.reset(tracked.key);
      tracked.key = { ...(await sourceKey(written.path)), path: tracked.key.path };
    }
    const info = await this.engine.info(id);
    this.#publishChange(id, 'saved', {
      version: info.version,
      cells: 0,
      rows: written.rows,
      label: `Saved ${written.path}`,
      undo: info.undo,
      redo: info.redo,
    });
    return written;
  }

  /**
   * Writes a copy for a person: formula-looking cells neutralised (shared/domain/dialects/formulas.ts)
   * unless `exact` (a file that becomes a source for F&O). Saving back to the source is always exact.
   */
  async export(
    id: string,
    path: string,
    kind: DataFileKind | undefined,
    overwrite: boolean,
    exact = false,
  ): Promise<{ path: string; rows: number; neutralized: number }> {
    const file = resolveUserPath(path, this.#options.home);
    const info = await this.engine.info(id);
    if (info.origin.kind === 'file' && resolve(info.origin.path) === file) return this.save(id);
    if (!overwrite && (await exists(file))) {
      throw new AppError('CONFLICT', `${file} already exists: choose another name, or confirm to replace it.`);
    }
    return this.engine.exportTo(id, { path: file, ...(kind ? { kind } : {}), neutralizeFormulas: !exact });
  }

  async browse(dir: string | undefined): Promise<FolderListing> {
    return listFolder(dir, await this.#options.recent.list(), this.#options.home);
  }

  async pickFile(): Promise<{ path: string | null }> {
    const dialog = this.#options.fileDialog;
    if (!dialog) {
      throw new AppError(
        'FORBIDDEN',
        'There is no native file dialog in browser mode: choose the file in the list, or type its full path.',
      );
    }
    return { path: await dialog() };
  }

  async dispose(): Promise<void> {
    const engine = this.#engine;
    this.#engine = null;
    this.#tracked.clear();
    await engine?.dispose();
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

const READ_PAGE = 2000;
const LOAD_ORDER: DatasetView = { sort: [], filters: [], issues: null };

/**
 * A dataset read like a file: pages in load order, as RowBatches of consecutive row ids (the
 * source's data rows), so lineage and error mapping work as they do for the file.
 */
function datasetReader(service: DatasetService, info: DatasetInfo, closeAfter: boolean): RowReader {
  let rowCount = 0;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    if (closeAfter) await service.close(info.id);
  };
  return {
    location: { file: info.name },
    columns: info.columns.map((c) => c.name),
    info: { dataset: info.id, edited: info.undo !== null || info.restoredEdits > 0 },
    get rowCount() {
      return rowCount;
    },
    close,
    async *[Symbol.asyncIterator]() {
      try {
        for (let start = 0; ; start += READ_PAGE) {
          const page = await service.rows(info.id, LOAD_ORDER, start, READ_PAGE);
          let batch: { rows: string[][]; firstRow: number; lines: number[] } | null = null;
          for (const row of page.rows) {
            if (batch && row.id !== batch.firstRow + batch.rows.length) {
              yield batch satisfies RowBatch;
              batch = null;
            }
            batch ??= { rows: [], firstRow: row.id, lines: [] };
            batch.rows.push([...row.cells]);
            batch.lines.push(row.id);
            rowCount++;
          }
          if (batch) yield batch satisfies RowBatch;
          if (start + READ_PAGE >= page.total) break;
        }
      } finally {
        await close();
      }
    },
  };
}

async function sourceKey(path: string, folderAllowed = false): Promise<SourceKey> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new AppError(
      code === 'ENOENT' ? 'NOT_FOUND' : 'FORBIDDEN',
      code === 'ENOENT'
        ? `There is no file ${path}: check the path, or choose the file in the list.`
        : `${path} cannot be read (${code ?? 'error'}): check its permissions or close the program that locks it.`,
    );
  }
  if (!info.isFile() && !(folderAllowed && info.isDirectory())) {
    throw new AppError(
      'INVALID_INPUT',
      `${path} is a folder: choose a file in it (or a data package folder holding Manifest.xml).`,
    );
  }
  return { path, size: info.size, mtimeMs: info.mtimeMs };
}
