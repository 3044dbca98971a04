/**
 * View state of the Sources area: which datasets are open, which one is shown, the parts of its
 * view that live outside the grid (facet values, the findings filter), the side panel, the find
 * bar, the last notice. Rows stay in the row store; this store only remembers how to ask for them.
 * The grid itself owns its sort and column filters and reports them here (setGridView), so that
 * bulk fixes touch exactly the rows the consultant sees.
 */
import { createStore } from 'zustand/vanilla';
import type { Client } from '../../../../shared/api/client';
import { ApiCallError } from '../../../../shared/api/client';
import type {
  ChangeResult,
  CopyResult,
  DatasetFilter,
  DatasetInfo,
  DatasetView,
  LoadProgress,
  PackageContents,
  ReadOptions,
  RecipeStepView,
  SavedRecipe,
  ValidationState,
} from '../../../../shared/api/domains/datasets';
import type { RuleCode } from '../../../../shared/domain/validation/types';

export type SidePanel = 'issues' | 'values' | 'recipe';

export interface IssueFilter {
  readonly rule?: RuleCode;
  readonly column?: number;
}

export interface Notice {
  readonly kind: 'done' | 'error' | 'info';
  readonly text: string;
  /** The notice reports a change of cells that Undo takes back. */
  readonly undoable?: boolean;
}

export interface SourcesState {
  readonly datasets: readonly DatasetInfo[];
  readonly activeId: string | null;
  /** Grid part of the view: sort and column text filters (the grid reports them). */
  readonly gridView: Pick<DatasetView, 'sort' | 'filters'>;
  /** Values ticked in the column values panel, per column. */
  readonly valueFilters: Readonly<Record<number, readonly string[]>>;
  readonly issueFilter: IssueFilter | null;
  /** Rows in the current view, as the store counted them. */
  readonly viewRows: number | null;
  /** Rows the view keeps though they no longer match it (fixed while shown), until it is refreshed. */
  readonly outdated: number;
  /** A tab with unsaved edits asked to close: the prompt that asks what to do with them. */
  readonly closing: string | null;
  readonly validation: ValidationState | null;
  readonly recipe: readonly RecipeStepView[];
  readonly savedRecipes: readonly SavedRecipe[];
  readonly panel: SidePanel | null;
  readonly findOpen: boolean;
  /** The column bulk fixes and the values panel work on. */
  readonly column: number;
  /** Bumped whenever rows changed: the grid reloads what it shows. */
  readonly refresh: number;
  /** Bumped whenever the view outside the grid changed: the grid starts over from the top. */
  readonly reset: number;
  readonly notice: Notice | null;
  /** The open panel (no dataset yet, or "open another"). */
  readonly opening: boolean;
  /** A data package was chosen: which of its entities to open. */
  readonly packageChoice: PackageContents | null;
  readonly busy: boolean;
  /** The datasets already open in the services are known (a reload, another window). */
  readonly listed: boolean;
  /** The folder the file chooser was in last, or the last file came from: "+ Open file" starts there. */
  readonly folder: string | null;
}

export interface SourcesActions {
  /** Opens a file; `validateAs`: the entity to check it against (else the best match, when clear). */
  open(path: string, options?: ReadOptions, validateAs?: string): Promise<void>;
  /** Shows a file's rows with one rule's findings (opening it if needed): a link from another screen. */
  showFindings(path: string, entity: string, rule: RuleCode): Promise<void>;
  reopen(options: ReadOptions): Promise<void>;
  show(id: string): Promise<void>;
  /** Closes a tab; with unsaved edits it asks first (`closing`), unless told what to do with them. */
  close(id: string, edits?: 'keep' | 'discard'): Promise<void>;
  /** Saves the edits of a tab asked to close, then closes it. */
  saveAndClose(id: string): Promise<void>;
  cancelClose(): void;
  setOpening(opening: boolean): void;
  setFolder(folder: string): void;
  /** Lists the entities of a data package (.zip or unpacked folder) to open one. */
  openPackage(path: string): Promise<void>;
  setGridView(view: Pick<DatasetView, 'sort' | 'filters'>): void;
  toggleValue(column: number, value: string): void;
  clearValues(column?: number): void;
  setIssueFilter(filter: IssueFilter | null): void;
  clearFilters(): void;
  setPanel(panel: SidePanel | null): void;
  setFindOpen(open: boolean): void;
  setColumn(column: number): void;
  setViewRows(rows: number, outdated?: number): void;
  /** Computes the view again: rows fixed while shown leave it if they no longer match. */
  refreshView(): Promise<void>;
  /** Pastes tab-separated text at a view position, into these columns (the grid's order). */
  paste(
    position: number,
    columns: readonly number[],
    text: string,
    fill?: { rows: number; columns: number },
  ): Promise<boolean>;
  /** A range of the view as tab-separated text, from the row store (whole cells). */
  copy(position: number, rows: number, columns: readonly number[]): Promise<CopyResult | null>;
  /** Says what went to the clipboard. */
  copied(rows: number, columns: number, neutralized: number): void;
  dismissNotice(): void;
  /** The view as the row store takes it: grid sort and filters, facet values, findings. */
  view(): DatasetView;
  edit(row: number, column: number, value: string): Promise<boolean>;
  undo(): Promise<void>;
  redo(): Promise<void>;
  /** Runs a bulk fix (a recipe step) and reports what it changed. */
  bulk(run: (id: string, view: DatasetView) => Promise<ChangeResult>): Promise<void>;
  validate(entity: string | null): Promise<void>;
  /** Writes the rows back to their source file (Ctrl+S). */
  save(): Promise<void>;
  /** Writes the rows to another file. */
  saveAs(path: string, overwrite?: boolean): Promise<void>;
  loadRecipe(): Promise<void>;
  saveRecipe(name: string): Promise<void>;
  applyRecipe(recipeId: string): Promise<void>;
  deleteRecipe(recipeId: string): Promise<void>;
  /** Wires the store to the services' events; returns the unsubscribe function. */
  listen(): () => void;
}

export type SourcesStore = ReturnType<typeof createSourcesStore>;

export function messageOf(error: unknown): string {
  if (error instanceof ApiCallError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** The value filters with one column's values replaced (none: the column's filter removed). */
function withValues(
  filters: Readonly<Record<number, readonly string[]>>,
  column: number,
  values: readonly string[],
): Record<number, readonly string[]> {
  const kept = Object.entries(filters).filter(([c]) => Number(c) !== column);
  return Object.fromEntries(values.length === 0 ? kept : [...kept, [String(column), values]]);
}

/** The folder a path is in (the services' paths: / or \\ separated). */
export function folderOf(path: string): string {
  const at = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return at <= 0 ? path.slice(0, at + 1) || path : path.slice(0, at);
}

const PROGRESS_EVERY_MS = 500;

const EMPTY_GRID_VIEW: Pick<DatasetView, 'sort' | 'filters'> = { sort: [], filters: [] };

export function createSourcesStore(client: Client) {
  return createStore<SourcesState & SourcesActions>()((set, get) => {
    const active = () => get().datasets.find((d) => d.id === get().activeId) ?? null;
    /** The last progress event per dataset: it can overtake the answer that introduces the dataset. */
    const progressOf = new Map<string, LoadProgress>();
    const shownAt = new Map<string, number>();
    const withProgress = (info: DatasetInfo): DatasetInfo => {
      const p = progressOf.get(info.id);
      if (!p || info.state !== 'loading' || p.rowCount < info.rowCount) return info;
      return { ...info, state: p.state, rowCount: p.rowCount, bytesRead: p.bytesRead, error: p.error };
    };
    const replace = (given: DatasetInfo) => {
      const info = withProgress(given);
      set((s) => ({
        datasets: s.datasets.some((d) => d.id === info.id)
          ? s.datasets.map((d) => (d.id === info.id ? info : d))
          : [...s.datasets, info],
      }));
    };
    const patch = (id: string, change: Partial<DatasetInfo>) =>
      set((s) => ({ datasets: s.datasets.map((d) => (d.id === id ? { ...d, ...change } : d)) }));
    const fail = (error: unknown) => set({ notice: { kind: 'error', text: messageOf(error) }, busy: false });
    const afterChange = (id: string, result: { undo: string | null; redo: string | null; version: number }) => {
      patch(id, { undo: result.undo, redo: result.redo, version: result.version, unsaved: true });
      set((s) => ({ refresh: s.refresh + 1 }));
    };
    const freshView = {
      gridView: EMPTY_GRID_VIEW,
      valueFilters: {},
      issueFilter: null,
      viewRows: null,
      outdated: 0,
      validation: null,
      recipe: [],
      findOpen: false,
      column: 0,
    } as const;

    return {
      datasets: [],
      activeId: null,
      ...freshView,
      savedRecipes: [],
      panel: null,
      refresh: 0,
      reset: 0,
      notice: null,
      opening: false,
      packageChoice: null,
      busy: false,
      listed: false,
      folder: null,
      closing: null,

      async open(path, options = {}, validateAs) {
        set({ busy: true, notice: null });
        try {
          if (/\.zip$/i.test(path) && options.entity === undefined) {
            await get().openPackage(path);
            return;
          }
          const info = await client.call('datasets.open', { path, options });
          replace(info);
          set((s) => ({
            folder: info.origin.kind === 'rows' ? s.folder : folderOf(info.origin.path),
            activeId: info.id,
            ...freshView,
            opening: false,
            packageChoice: null,
            busy: false,
            reset: s.reset + 1,
          }));
          if (info.error) set({ notice: { kind: 'error', text: info.error } });
          void get().loadRecipe();
          if (validateAs) await get().validate(validateAs);
          else void suggestEntity(info.id);
        } catch (error) {
          fail(error);
        }
      },

      async showFindings(path, entity, rule) {
        const open = get().datasets.find(
          (d) => d.origin.kind === 'file' && d.origin.path === path && d.state !== 'failed',
        );
        if (open) await get().show(open.id);
        else await get().open(path, {}, entity);
        const current = active();
        if (!current || (current.origin.kind === 'file' && current.origin.path !== path)) return;
        if (current.entity !== entity) await get().validate(entity);
        set((s) => ({ issueFilter: { rule }, panel: 'issues', reset: s.reset + 1 }));
      },

      async reopen(options) {
        const current = active();
        if (!current) return;
        set({ busy: true, notice: null });
        try {
          const info = await client.call('datasets.reopen', { id: current.id, options });
          replace(info);
          set((s) => ({ ...freshView, busy: false, reset: s.reset + 1, validation: null }));
          set({ notice: { kind: 'done', text: `Read ${info.name} again with the new settings.` } });
        } catch (error) {
          fail(error);
        }
      },

      async show(id) {
        try {
          const info = await client.call('datasets.get', { id });
          replace(info);
          // Another file's message ("2 cells changed") does not belong to this one.
          set((s) => ({ activeId: id, ...freshView, opening: false, notice: null, reset: s.reset + 1 }));
          const validation = await client.call('datasets.issues', { id });
          set({ validation: validation.state === 'none' ? null : validation });
          void get().loadRecipe();
        } catch (error) {
          fail(error);
        }
      },

      async close(id, edits) {
        const info = get().datasets.find((d) => d.id === id);
        if (info?.unsaved && edits === undefined) {
          set({ closing: id });
          return;
        }
        set({ closing: null });
        try {
          await client.call('datasets.close', { id, discard: edits === 'discard' });
        } catch (error) {
          fail(error);
        }
        set((s) => {
          const datasets = s.datasets.filter((d) => d.id !== id);
          const activeId = s.activeId === id ? (datasets.at(-1)?.id ?? null) : s.activeId;
          return { datasets, activeId, ...(s.activeId === id ? freshView : {}), reset: s.reset + 1 };
        });
        const next = get().activeId;
        if (next) await get().show(next);
      },

      async saveAndClose(id) {
        if (get().activeId !== id) await get().show(id);
        await get().save();
        if (get().datasets.find((d) => d.id === id)?.unsaved === false) await get().close(id, 'keep');
        else set({ closing: null });
      },

      cancelClose: () => set({ closing: null }),

      // The last message belongs to what was done before: an error about a path that did not open
      // must not greet the next visit of the picker, nor the grid of another file.
      setOpening: (opening) => set({ opening, packageChoice: null, notice: null }),
      setFolder: (folder) => set({ folder }),

      async openPackage(path) {
        set({ busy: true, notice: null });
        try {
          const packageChoice = await client.call('datasets.packageEntities', { path });
          set({ packageChoice, busy: false });
        } catch (error) {
          fail(error);
        }
      },

      setGridView(view) {
        set({ gridView: view });
      },

      toggleValue(column, value) {
        set((s) => {
          const current = s.valueFilters[column] ?? [];
          const next = current.includes(value) ? current.filter((v) => v !== value) : [...current, value];
          return { valueFilters: withValues(s.valueFilters, column, next), reset: s.reset + 1 };
        });
      },

      clearValues(column) {
        set((s) => {
          if (column === undefined) return { valueFilters: {}, reset: s.reset + 1 };
          return { valueFilters: withValues(s.valueFilters, column, []), reset: s.reset + 1 };
        });
      },

      setIssueFilter(filter) {
        set((s) => ({ issueFilter: filter, reset: s.reset + 1 }));
      },

      clearFilters() {
        set((s) => ({ valueFilters: {}, issueFilter: null, reset: s.reset + 1 }));
      },

      setPanel: (panel) => set({ panel }),
      setFindOpen: (findOpen) => set({ findOpen }),
      setColumn: (column) => set({ column }),
      setViewRows: (viewRows, outdated = 0) => set({ viewRows, outdated }),

      async refreshView() {
        const current = active();
        if (!current) return;
        try {
          await client.call('datasets.refreshView', { id: current.id });
          set((s) => ({ outdated: 0, reset: s.reset + 1 }));
        } catch (error) {
          fail(error);
        }
      },

      async paste(position, columns, text, fill) {
        const current = active();
        if (!current) return false;
        try {
          const result = await client.call('datasets.paste', {
            id: current.id,
            view: get().view(),
            position,
            columns: [...columns],
            text,
            ...(fill ? { fill } : {}),
          });
          afterChange(current.id, result);
          const refused = result.refused.reduce((n, r) => n + r.cells, 0);
          const changed = result.cells === result.pasted ? '' : ` (${count(result.cells, 'cell')} changed)`;
          const what =
            result.pasted === 0
              ? 'Nothing pasted.'
              : `Pasted ${count(result.pasted, 'cell')} in ${count(result.pastedRows, 'row')}${changed}.`;
          set({
            notice: {
              kind: refused > 0 ? 'error' : 'done',
              text:
                refused === 0
                  ? what
                  : `${what} ${count(refused, 'cell')} not pasted: ${result.refused.map((r) => r.message).join(' ')}`,
              undoable: result.cells > 0,
            },
          });
          return true;
        } catch (error) {
          fail(error);
          return false;
        }
      },

      async copy(position, rows, columns) {
        const current = active();
        if (!current) return null;
        try {
          return await client.call('datasets.copy', {
            id: current.id,
            view: get().view(),
            position,
            rows,
            columns: [...columns],
          });
        } catch (error) {
          fail(error);
          return null;
        }
      },

      copied(rows, columns, neutralized) {
        const guarded =
          neutralized > 0
            ? ` ${count(neutralized, 'cell')} starting with = + - or @ ${neutralized === 1 ? 'goes' : 'go'} to a spreadsheet with a leading ' so that it shows as text, never runs as a formula (a paste into the grid keeps the exact value).`
            : '';
        set({
          notice: {
            kind: 'info',
            text: `Copied ${count(rows * columns, 'cell')} (${count(rows, 'row')} × ${count(columns, 'column')}) as tab-separated text: paste into Excel or another grid.${guarded}`,
          },
        });
      },
      dismissNotice: () => set({ notice: null }),

      view() {
        const s = get();
        const values: DatasetFilter[] = Object.entries(s.valueFilters).map(([column, list]) => ({
          column: Number(column),
          op: 'in',
          values: [...list],
        }));
        return {
          sort: s.gridView.sort,
          filters: [...s.gridView.filters, ...values],
          issues: s.issueFilter ? { ...s.issueFilter } : null,
        };
      },

      async edit(row, column, value) {
        const current = active();
        if (!current) return false;
        try {
          const result = await client.call('datasets.edit', { id: current.id, edits: [{ row, column, value }] });
          afterChange(current.id, result);
          return true;
        } catch (error) {
          fail(error);
          return false;
        }
      },

      async undo() {
        const current = active();
        if (!current?.undo) return;
        try {
          const result = await client.call('datasets.undo', { id: current.id });
          afterChange(current.id, result);
          set({ notice: { kind: 'info', text: `${result.label}.` } });
          void get().loadRecipe();
        } catch (error) {
          fail(error);
        }
      },

      async redo() {
        const current = active();
        if (!current?.redo) return;
        try {
          const result = await client.call('datasets.redo', { id: current.id });
          afterChange(current.id, result);
          set({ notice: { kind: 'info', text: `${result.label}.` } });
          void get().loadRecipe();
        } catch (error) {
          fail(error);
        }
      },

      async bulk(run) {
        const current = active();
        if (!current) return;
        set({ busy: true, notice: null });
        try {
          const result = await run(current.id, get().view());
          afterChange(current.id, result);
          set({
            busy: false,
            notice:
              result.cells === 0
                ? { kind: 'info', text: `${result.label}: nothing to change.` }
                : {
                    kind: 'done',
                    text: `${result.label}: ${count(result.cells, 'cell')} changed in ${count(result.rows, 'row')}.`,
                  },
          });
          void get().loadRecipe();
        } catch (error) {
          fail(error);
        }
      },

      async validate(entity) {
        const current = active();
        if (!current) return;
        try {
          const validation = await client.call('datasets.validate', { id: current.id, entity });
          patch(current.id, { entity: validation.entity });
          set((s) => ({
            validation: entity === null ? null : validation,
            issueFilter: entity === null ? null : s.issueFilter,
            reset: s.reset + 1,
          }));
        } catch (error) {
          fail(error);
        }
      },

      async save() {
        const current = active();
        if (!current) return;
        set({ busy: true, notice: null });
        try {
          const saved = await client.call('datasets.save', { id: current.id });
          patch(current.id, { unsaved: false });
          // The edit marks go: what the grid shows is the file now.
          set((s) => ({
            busy: false,
            refresh: s.refresh + 1,
            notice: { kind: 'done', text: `Saved ${count(saved.rows, 'row')} to ${saved.path}.` },
          }));
        } catch (error) {
          fail(error);
        }
      },

      async saveAs(path, overwrite = false) {
        const current = active();
        if (!current) return;
        set({ busy: true, notice: null });
        try {
          const saved = await client.call('datasets.export', { id: current.id, path, overwrite });
          // A copy for a person: say which cells were kept from running as spreadsheet formulas.
          const guarded =
            saved.neutralized > 0
              ? ` ${count(saved.neutralized, 'cell')} starting with = + - or @ ${saved.neutralized === 1 ? 'was' : 'were'} written so that a spreadsheet shows ${saved.neutralized === 1 ? 'it' : 'them'} as text, never runs ${saved.neutralized === 1 ? 'it' : 'them'} as a formula.`
              : '';
          set({
            busy: false,
            notice: { kind: 'done', text: `Wrote ${count(saved.rows, 'row')} to ${saved.path}.${guarded}` },
          });
        } catch (error) {
          fail(error);
        }
      },

      async loadRecipe() {
        const current = active();
        if (!current) return;
        try {
          const [recipe, savedRecipes] = await Promise.all([
            client.call('datasets.recipe', { id: current.id }),
            client.call('datasets.recipes', {}),
          ]);
          set({ recipe, savedRecipes });
        } catch (error) {
          fail(error);
        }
      },

      async saveRecipe(name) {
        const current = active();
        if (!current) return;
        try {
          const savedRecipes = await client.call('datasets.saveRecipe', { id: current.id, name });
          set({
            savedRecipes,
            notice: { kind: 'done', text: `Saved the recipe "${name}": apply it to next cycle's extract.` },
          });
        } catch (error) {
          fail(error);
        }
      },

      async applyRecipe(recipeId) {
        const current = active();
        if (!current) return;
        set({ busy: true, notice: null });
        try {
          const result = await client.call('datasets.applyRecipe', { id: current.id, recipeId });
          afterChange(current.id, result);
          const skipped = result.steps.filter((s) => s.skipped !== null);
          const cells = result.steps.reduce((n, s) => n + s.cells, 0);
          set({
            busy: false,
            notice:
              skipped.length === 0
                ? {
                    kind: 'done',
                    text: `Applied ${count(result.steps.length, 'step')}: ${count(cells, 'cell')} changed.`,
                  }
                : {
                    kind: 'error',
                    text: `Applied ${result.steps.length - skipped.length} of ${count(result.steps.length, 'step')}; skipped: ${skipped.map((s) => s.skipped).join(' ')}`,
                  },
          });
          void get().loadRecipe();
        } catch (error) {
          fail(error);
        }
      },

      async deleteRecipe(recipeId) {
        try {
          set({ savedRecipes: await client.call('datasets.deleteRecipe', { recipeId }) });
        } catch (error) {
          fail(error);
        }
      },

      listen() {
        const offs = [
          client.on('datasets.progress', (progress: LoadProgress) => {
            progressOf.set(progress.id, progress);
            // While loading, the screen follows at 2 Hz: each update re-renders the area and makes
            // the grid measure itself again, which would slow the first rows down.
            const now = Date.now();
            if (progress.state === 'loading' && now - (shownAt.get(progress.id) ?? 0) < PROGRESS_EVERY_MS) return;
            shownAt.set(progress.id, now);
            patch(progress.id, {
              state: progress.state,
              rowCount: progress.rowCount,
              bytesRead: progress.bytesRead,
              error: progress.error,
            });
            if (progress.state !== 'loading' && progress.id === get().activeId) {
              void client.call('datasets.get', { id: progress.id }).then(replace, fail);
              set((s) => ({ refresh: s.refresh + 1 }));
            }
          }),
          client.on('datasets.changed', (change) => {
            patch(change.id, { undo: change.undo, redo: change.redo, version: change.version });
            if (change.reason === 'saved') patch(change.id, { unsaved: false });
            else if (change.reason !== 'columns') patch(change.id, { unsaved: true });
            if (change.reason === 'columns' && change.id === get().activeId) {
              void client.call('datasets.get', { id: change.id }).then((info) => {
                replace(info);
                set((s) => ({ refresh: s.refresh + 1 }));
              }, fail);
            }
            if (change.id === get().activeId && change.reason === 'edit' && change.cells === 0) {
              // Restored from the journal of the last session.
              set((s) => ({ refresh: s.refresh + 1, notice: { kind: 'info', text: `${change.label}.` } }));
              void get().loadRecipe();
            }
          }),
          client.on('datasets.validated', ({ id, validation }) => {
            if (id !== get().activeId) return;
            set((s) => ({ validation, refresh: s.refresh + 1 }));
          }),
          client.on('datasets.closed', ({ id }) => {
            if (get().datasets.some((d) => d.id === id)) {
              set((s) => ({ datasets: s.datasets.filter((d) => d.id !== id) }));
            }
          }),
        ];
        void client.call('datasets.list', {}).then(
          async (datasets) => {
            const last = datasets.at(-1);
            if (last && !get().activeId) {
              set({ datasets });
              await get().show(last.id);
            }
            set({ listed: true });
          },
          (error: unknown) => {
            set({ listed: true });
            fail(error);
          },
        );
        return () => offs.forEach((off) => off());
      },
    };

    /** Validates against the entity whose fields match most columns, when the match is clear. */
    async function suggestEntity(id: string): Promise<void> {
      try {
        const [best, second] = await client.call('datasets.entities', { id });
        if (!best || best.matchingColumns < 3 || (second && second.matchingColumns === best.matchingColumns)) return;
        if (get().activeId !== id) return;
        await get().validate(best.label);
      } catch (error) {
        fail(error);
      }
    }
  });
}
