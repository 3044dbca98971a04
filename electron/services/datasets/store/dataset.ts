/**
 * One dataset in the row store: its table, views, edits journal, recipe and validation. Every
 * method works on load indices internally and speaks row ids and column indices outward.
 */
import type {
  ChangeResult,
  CopyResult,
  DatasetRow,
  DatasetView,
  Facet,
  FindRequest,
  FindResult,
  PasteRefusal,
  PasteResult,
  RecipeStep,
  RecipeStepView,
  RowPage,
} from '../../../../shared/api/domains/datasets';
import {
  MAX_CLIPBOARD_CELLS,
  MAX_CLIPBOARD_CHARS,
  MAX_PAGE_BYTES,
  MAX_SHOWN_CELL_CHARS,
} from '../../../../shared/api/domains/datasets';
import { jsonStringBytes } from '../../../../shared/api/jsonSize';
import { formatTsv, parseTsv } from '../../../../shared/domain/datasets/tsv';
import { findTest, isBlank } from '../../../../shared/domain/datasets/cells';
import { describeStep } from '../../../../shared/domain/datasets/recipes';
import { AppError } from '../../../../shared/api/errors';
import type { CatalogIndex } from '../../../../shared/domain/catalog';
import { ChangeBuilder, Journal } from './journal';
import type { Command } from './journal';
import { EditMarks } from './marks';
import { fromStep, planBulk } from './operations';
import type { BulkOp } from './operations';
import type { Table } from './table';
import { DatasetValidation } from './validation';
import { ViewCache, computeView, indexAt } from './views';
import type { ResolvedView } from './views';

/** How a change is written to the persistent journal (columns by name, rows by id). */
export type JournalEntry =
  | {
      readonly op: 'cells';
      readonly edits: readonly { row: number; column: string; before: string; after: string }[];
    }
  | { readonly op: 'bulk'; readonly step: RecipeStep }
  | { readonly op: 'undo' }
  | { readonly op: 'redo' };

export interface Change {
  readonly result: ChangeResult;
  readonly entry: JournalEntry;
  /** Whether the change touched cells (an edit that changed nothing is not journaled). */
  readonly changed: boolean;
}

/** Facets stop counting beyond this many distinct values (OpenRefine stops at 2,000 choices). */
const MAX_FACET_DISTINCT = 100_000;

export class Dataset {
  readonly journal: Journal;
  readonly views: ViewCache;
  readonly validation: DatasetValidation;
  readonly marks: EditMarks;
  /** Bulk steps in effect, in order, with the command that applied them. */
  #recipe: { command: Command; cells: number }[] = [];

  constructor(
    readonly table: Table,
    catalog: CatalogIndex,
  ) {
    this.journal = new Journal(table);
    this.marks = new EditMarks(table, this.journal);
    this.validation = new DatasetValidation(table, catalog);
    const validation = this.validation;
    this.views = new ViewCache(table, {
      get version() {
        return validation.version;
      },
      rows: (filter) => validation.rowTest(filter),
      order: (filter) => validation.rowOrder(filter),
    });
  }

  resolve(view: DatasetView): ResolvedView {
    return this.views.resolve(view);
  }

  /**
   * A page of the view. `display`: for the grid, over a transport: cells longer than
   * MAX_SHOWN_CELL_CHARS are cut (and listed in `clipped`), and the page stops before its cells
   * pass MAX_PAGE_BYTES on the wire (at least one row), so that a reply stays small whatever the
   * file holds: each row is measured before it joins the page. Services read whole cells.
   */
  rows(view: DatasetView, start: number, count: number, complete: boolean, display = false): RowPage {
    const resolved = this.resolve(view);
    const end = Math.min(resolved.length, start + count);
    const rows: DatasetRow[] = [];
    let bytes = 0;
    for (let p = start; p < end; p++) {
      const index = indexAt(resolved, p);
      const issues = this.validation.issuesOf(index);
      const cells = this.table.row(index);
      let clipped: { column: number; length: number }[] | undefined;
      if (display) {
        let rowBytes = 0;
        for (let c = 0; c < cells.length; c++) {
          const length = (cells[c] as string).length;
          if (length > MAX_SHOWN_CELL_CHARS) {
            (clipped ??= []).push({ column: c, length });
            cells[c] = (cells[c] as string).slice(0, MAX_SHOWN_CELL_CHARS);
          }
          rowBytes += jsonStringBytes(cells[c] as string) + 1;
        }
        if (rows.length > 0 && bytes + rowBytes > MAX_PAGE_BYTES) break;
        bytes += rowBytes;
      }
      const edited = this.marks.columnsOf(index);
      rows.push({
        id: this.table.rowId(index),
        cells,
        ...(clipped ? { clipped } : {}),
        ...(issues ? { issues } : {}),
        ...(edited.length > 0 ? { edited } : {}),
      });
    }
    return {
      total: resolved.length,
      start,
      rows,
      complete,
      version: this.table.version,
      outdated: this.views.outdated(view),
    };
  }

  /** The view position of a row id, or null when the view leaves it out. */
  position(view: DatasetView, rowId: number): number | null {
    const index = this.table.indexOf(rowId);
    if (index < 0) return null;
    const resolved = this.resolve(view);
    if (!resolved.rows) return index;
    const at = resolved.rows.indexOf(index);
    return at < 0 ? null : at;
  }

  #result(command: Command | null, label: string): ChangeResult {
    return {
      version: this.table.version,
      cells: command?.cells ?? 0,
      rows: command?.rows ?? 0,
      label,
      undo: this.journal.undoLabel,
      redo: this.journal.redoLabel,
    };
  }

  edit(edits: readonly { row: number; column: number; value: string }[]): Change {
    const changes = new ChangeBuilder(this.table);
    const journaled: { row: number; column: string; before: string; after: string }[] = [];
    for (const edit of edits) {
      const index = this.table.indexOf(edit.row);
      if (index < 0) throw new AppError('NOT_FOUND', `There is no row ${edit.row} in this dataset: reload the grid.`);
      const column = this.table.columns[edit.column];
      if (!column) throw new AppError('INVALID_PARAMS', `There is no column ${edit.column} in this dataset.`);
      if (column.readOnly) {
        throw new AppError(
          'INVALID_INPUT',
          `${column.name} is read-only (it came with the rows): edit the data columns.`,
        );
      }
      const before = this.table.get(index, edit.column);
      if (before.length > MAX_SHOWN_CELL_CHARS && before !== edit.value) {
        // The grid shows such a cell cut short: an edit of what it shows would drop the rest.
        throw new AppError(
          'INVALID_INPUT',
          `${column.name} of row ${edit.row} holds ${before.length.toLocaleString('en-US')} characters, more than the grid shows (${MAX_SHOWN_CELL_CHARS.toLocaleString('en-US')}): change it in the file, or with a bulk fix (replace, set value).`,
        );
      }
      if (before !== edit.value) journaled.push({ row: edit.row, column: column.name, before, after: edit.value });
      changes.set(index, edit.column, edit.value);
    }
    const first = edits[0];
    const label =
      edits.length === 1 && first
        ? `Edit ${this.table.columns[first.column]?.name ?? ''} of row ${first.row}`
        : `Edit ${edits.length} cells`;
    return this.#applyCells(changes, label, journaled);
  }

  #applyCells(
    changes: ChangeBuilder,
    label: string,
    journaled: { row: number; column: string; before: string; after: string }[],
  ): Change {
    const command = changes.build(label, null);
    if (command.cells === 0)
      return { result: this.#result(null, label), entry: { op: 'cells', edits: [] }, changed: false };
    this.journal.apply(command);
    this.views.keep(rowsOf(command));
    return { result: this.#result(command, label), entry: { op: 'cells', edits: journaled }, changed: true };
  }

  /**
   * Pastes tab-separated text into the view: the range's first cell at view `position` and
   * `columns[0]`, its next columns into the next of `columns` (the grid's order). One journaled
   * cell edit, undoable as one step. The grid adds no rows or columns: cells beyond the view's
   * last row or the last column, in read-only columns, or over a cell the grid shows cut, are
   * refused and counted by reason (the rest is pasted). `fill`: a selected range the clipboard is
   * repeated over, as Excel does when it fits a whole number of times.
   */
  paste(
    view: DatasetView,
    position: number,
    columns: readonly number[],
    text: string,
    fill?: { rows: number; columns: number },
  ): { change: Change; paste: Omit<PasteResult, keyof ChangeResult> } {
    for (const c of columns)
      if (c >= this.table.columnCount) throw new AppError('INVALID_PARAMS', `There is no column ${c}.`);
    let block = parseTsv(text);
    if (block.length === 0) throw new AppError('INVALID_INPUT', 'The clipboard holds no cells: copy a range first.');
    const width = Math.max(...block.map((r) => r.length));
    if (
      fill &&
      fill.rows % block.length === 0 &&
      fill.columns % width === 0 &&
      (fill.rows > block.length || fill.columns > width)
    ) {
      const source = block;
      block = Array.from({ length: fill.rows }, (_, r) =>
        Array.from({ length: fill.columns }, (_, c) => source[r % source.length]?.[c % width] ?? ''),
      );
    }
    const cells = block.reduce((n, r) => n + r.length, 0);
    if (cells > MAX_CLIPBOARD_CELLS) {
      throw new AppError(
        'INVALID_INPUT',
        `The clipboard holds ${cells.toLocaleString('en-US')} cells, more than one paste takes (${MAX_CLIPBOARD_CELLS.toLocaleString('en-US')}): paste the range in parts, or change the file and open it again.`,
      );
    }
    const resolved = this.resolve(view);
    const refused = new Map<PasteRefusal, { cells: number; first: string }>();
    const refuse = (reason: PasteRefusal, n: number, where: string) => {
      const seen = refused.get(reason);
      if (seen) seen.cells += n;
      else refused.set(reason, { cells: n, first: where });
    };
    const changes = new ChangeBuilder(this.table);
    const journaled: { row: number; column: string; before: string; after: string }[] = [];
    let pasted = 0;
    let pastedRows = 0;
    let chars = 0;
    block.forEach((values, r) => {
      const at = position + r;
      if (at >= resolved.length) {
        refuse('beyond-rows', values.length, `row ${r + 1} of the clipboard`);
        return;
      }
      const index = indexAt(resolved, at);
      const rowId = this.table.rowId(index);
      let wrote = false;
      values.forEach((value, k) => {
        const c = columns[k];
        if (c === undefined) {
          refuse('beyond-columns', 1, `row ${rowId}`);
          return;
        }
        const column = this.table.columns[c];
        if (!column || column.readOnly) {
          refuse('read-only', 1, `${column?.name ?? c} of row ${rowId}`);
          return;
        }
        const before = this.table.get(index, c);
        if (before.length > MAX_SHOWN_CELL_CHARS && before !== value) {
          refuse('clipped', 1, `${column.name} of row ${rowId}`);
          return;
        }
        pasted++;
        wrote = true;
        if (before === value) return;
        chars += before.length + value.length;
        journaled.push({ row: rowId, column: column.name, before, after: value });
        changes.set(index, c, value);
      });
      if (wrote) pastedRows++;
    });
    if (chars > MAX_CLIPBOARD_CHARS) {
      throw new AppError(
        'INVALID_INPUT',
        'This paste replaces more text than one undoable step keeps: paste the range in parts.',
      );
    }
    const label = `Paste ${block.length} × ${width} cells`;
    return {
      change: this.#applyCells(changes, label, journaled),
      paste: {
        pasted,
        pastedRows,
        refused: [...refused].map(([reason, { cells: n, first }]) => ({
          reason,
          cells: n,
          message: refusalMessage(reason, n, first),
        })),
      },
    };
  }

  /** A range of the view as tab-separated text: whole cells, as services read them. */
  copy(view: DatasetView, position: number, rows: number, columns: readonly number[]): CopyResult {
    for (const c of columns)
      if (c >= this.table.columnCount) throw new AppError('INVALID_PARAMS', `There is no column ${c}.`);
    const resolved = this.resolve(view);
    const end = Math.min(resolved.length, position + rows);
    const cells = Math.max(0, end - position) * columns.length;
    if (cells > MAX_CLIPBOARD_CELLS) {
      throw new AppError(
        'INVALID_INPUT',
        `The range holds ${cells.toLocaleString('en-US')} cells, more than one copy takes (${MAX_CLIPBOARD_CELLS.toLocaleString('en-US')}): copy fewer rows, or use Save as to write the rows to a file.`,
      );
    }
    const range: string[][] = [];
    let chars = 0;
    for (let p = position; p < end; p++) {
      const index = indexAt(resolved, p);
      const row = columns.map((c) => this.table.get(index, c));
      for (const v of row) chars += v.length + 1;
      if (chars > MAX_CLIPBOARD_CHARS) {
        throw new AppError(
          'INVALID_INPUT',
          'The range holds more text than the clipboard takes from the grid: copy fewer rows, or use Save as to write them to a file.',
        );
      }
      range.push(row);
    }
    const exact = formatTsv(range);
    const forSpreadsheet = formatTsv(range, true);
    return {
      text: exact.text,
      spreadsheetText: forSpreadsheet.text,
      rows: range.length,
      cells: range.length * columns.length,
      neutralized: forSpreadsheet.neutralized,
    };
  }

  bulk(view: DatasetView, op: BulkOp): Change {
    const command = planBulk(this.table, this.resolve(view), view, op);
    return this.#applyBulk(command);
  }

  #applyBulk(command: Command): Change {
    const step = command.step as RecipeStep;
    if (command.cells > 0) {
      this.journal.apply(command);
      this.#recipe.push({ command, cells: command.cells });
    }
    return { result: this.#result(command, command.label), entry: { op: 'bulk', step }, changed: command.cells > 0 };
  }

  /** Replays one recipe step on this dataset (its columns and filters found by name). */
  replay(step: RecipeStep): Change {
    const what = `The step "${describeStep(step)}"`;
    if (step.where.issues && this.validation.entity === null) {
      throw new AppError(
        'INVALID_INPUT',
        `${what} works on rows with validation findings: choose the entity to validate against first.`,
      );
    }
    const { op, view } = fromStep(this.table, step, what);
    // Run the view from scratch: a replay must not depend on what the grid last showed.
    const resolved = computeView(this.table, view, (f) => this.validation.rowTest(f));
    return this.#applyBulk({ ...planBulk(this.table, resolved, view, op), step });
  }

  undo(): Change {
    const command = this.journal.undo();
    if (!command) throw new AppError('CONFLICT', 'There is nothing to undo.');
    if (command.step) this.#recipe = this.#recipe.filter((r) => r.command !== command);
    if (!command.step) this.views.keep(rowsOf(command));
    return { result: this.#result(command, `Undo ${command.label}`), entry: { op: 'undo' }, changed: true };
  }

  redo(): Change {
    const command = this.journal.redo();
    if (!command) throw new AppError('CONFLICT', 'There is nothing to redo.');
    if (command.step) this.#recipe.push({ command, cells: command.cells });
    if (!command.step) this.views.keep(rowsOf(command));
    return { result: this.#result(command, `Redo ${command.label}`), entry: { op: 'redo' }, changed: true };
  }

  recipe(): RecipeStepView[] {
    return this.#recipe.map(({ command, cells }) => ({
      step: command.step as RecipeStep,
      description: command.label,
      cells,
    }));
  }

  get recipeSteps(): RecipeStep[] {
    return this.#recipe.map((r) => r.command.step as RecipeStep);
  }

  find({ view, query, columns, from, backwards, count }: FindRequest): FindResult {
    const resolved = this.resolve(view);
    const test = findTest(query);
    const searched =
      columns.length > 0 ? [...new Set(columns)].sort((a, b) => a - b) : this.table.columns.map((_, i) => i);
    for (const c of searched)
      if (c >= this.table.columnCount) throw new AppError('INVALID_PARAMS', `There is no column ${c}.`);
    const n = resolved.length;
    let matches: number | null = null;
    if (count) {
      matches = 0;
      for (let p = 0; p < n; p++) {
        const index = indexAt(resolved, p);
        for (const c of searched) if (test(this.table.get(index, c))) matches++;
      }
    }
    const width = searched.length;
    const total = n * width;
    if (total === 0) return { match: null, wrapped: false, count: matches };
    // Cells in reading order are numbered q = position × width + i; start just after (before) `from`.
    let q0: number;
    if (!from || from.position < 0 || from.position >= n) q0 = backwards ? total : -1;
    else {
      const before = searched.filter((c) => (backwards ? c < from.column : c <= from.column)).length;
      q0 = from.position * width + before - (backwards ? 0 : 1);
    }
    const step = backwards ? -1 : 1;
    for (let k = 1; k <= total; k++) {
      const raw = q0 + step * k;
      const q = ((raw % total) + total) % total;
      const position = Math.floor(q / width);
      const column = searched[q % width] as number;
      const index = indexAt(resolved, position);
      if (test(this.table.get(index, column))) {
        return {
          match: { position, row: this.table.rowId(index), column },
          wrapped: raw < 0 || raw >= total,
          count: matches,
        };
      }
    }
    return { match: null, wrapped: false, count: matches };
  }

  facet(view: DatasetView, column: number, limit: number): Facet {
    const { counts, rows, blank, truncated } = this.valueCounts(view, column, MAX_FACET_DISTINCT);
    const values = [...counts]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, limit)
      .map(([value, count]) => ({ value, count }));
    return { column, values, distinct: counts.size, rows, blank, truncated };
  }

  /**
   * A column's distinct values and their counts over the view without the column's own facet
   * filter, counting at most `maxDistinct` distinct values (the rest are counted as rows only).
   */
  valueCounts(
    view: DatasetView,
    column: number,
    maxDistinct: number,
  ): { counts: Map<string, number>; rows: number; blank: number; truncated: boolean } {
    if (column >= this.table.columnCount) throw new AppError('INVALID_PARAMS', `There is no column ${column}.`);
    // The facet's own filter (the values ticked in it) must not hide the other values.
    const own = view.filters.findIndex((f) => f.column === column && f.op === 'in');
    const resolved =
      own >= 0
        ? computeView(this.table, { ...view, sort: [] }, (f) => this.validation.rowTest(f), own)
        : this.resolve({ ...view, sort: [] });
    const cells = this.table.column(column);
    const counts = new Map<string, number>();
    let blank = 0;
    let truncated = false;
    for (let p = 0; p < resolved.length; p++) {
      const value = cells.get(indexAt(resolved, p));
      if (isBlank(value)) blank++;
      const n = counts.get(value);
      if (n !== undefined) counts.set(value, n + 1);
      else if (counts.size < maxDistinct) counts.set(value, 1);
      else truncated = true;
    }
    return { counts, rows: resolved.length, blank, truncated };
  }
}

/** The load indices a command touched. */
function rowsOf(command: Command): Set<number> {
  const rows = new Set<number>();
  for (const change of command.changes) for (const index of change.rows) rows.add(index);
  return rows;
}

function refusalMessage(reason: PasteRefusal, n: number, first: string): string {
  const cells = `${n.toLocaleString('en-US')} ${n === 1 ? 'cell' : 'cells'}`;
  switch (reason) {
    case 'beyond-rows':
      return `${cells} below the last row shown, from ${first}, not pasted: the grid adds no rows (paste from a row higher up, or clear the filters to show more rows).`;
    case 'beyond-columns':
      return `${cells} right of the last column, from ${first}, not pasted: the file has no more columns.`;
    case 'read-only':
      return `${cells} in read-only columns, from ${first}, not pasted: they came with the rows.`;
    case 'clipped':
      return `${cells} over values longer than the grid shows, from ${first}, not pasted: change them in the file or with a bulk fix.`;
  }
}
