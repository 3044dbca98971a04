/**
 * Views: which rows of a table the grid shows, in which order. A view is a list of load indices
 * (or "all rows in load order", which needs no list), computed in the store from the view spec
 * and cached: the grid asks for page after page of the same view while the consultant scrolls.
 * A cached view stays valid while the row count and the cells of the columns it depends on are
 * unchanged.
 */
import { AppError } from '../../../../shared/api/errors';
import { textFilterTest } from '../../../../shared/domain/datasets/cells';
import type { DatasetFilter, DatasetView } from '../../../../shared/api/domains/datasets';
import { sortRows } from './sort';
import type { Table } from './table';

/** The rows with findings, for the issues filter (from the validation index). */
export type IssueRows = (filter: { rule?: string; column?: number }) => ((index: number) => boolean) | null;

/**
 * The order of the rows an issues filter shows when the view has no sort of its own: a group per
 * row (rows of a duplicate set share the first row's load index), null for load order.
 */
export type IssueOrder = (filter: { rule?: string; column?: number }) => ((index: number) => number) | null;

export interface ResolvedView {
  /** Load indices in view order; null: every row in load order. */
  readonly rows: Uint32Array | null;
  readonly length: number;
}

/** A row test for one filter. */
export function filterTest(table: Table, filter: DatasetFilter): (index: number) => boolean {
  const column = table.column(filter.column);
  if (filter.op === 'in') {
    const values = new Set(filter.values);
    return (index) => values.has(column.get(index));
  }
  const test = textFilterTest(filter.op, filter.value);
  return (index) => test(column.get(index));
}

function checkColumns(table: Table, view: DatasetView): void {
  const columns = [...view.sort.map((s) => s.column), ...view.filters.map((f) => f.column)];
  for (const c of columns) {
    if (c >= table.columnCount)
      throw new AppError(
        'INVALID_PARAMS',
        `The view sorts or filters column ${c}, but the dataset has ${table.columnCount} (0 to ${table.columnCount - 1}). Reload the view.`,
      );
  }
}

/** Computes a view from scratch. `except`: index of a filter to leave out (a facet's own). */
export function computeView(
  table: Table,
  view: DatasetView,
  issueRows: IssueRows | null,
  except = -1,
  issueOrder: IssueOrder | null = null,
): ResolvedView {
  checkColumns(table, view);
  const n = table.rowCount;
  const tests = viewTests(table, view, issueRows, except);
  let rows: Uint32Array | null = null;
  if (tests.length > 0) {
    const kept = new Uint32Array(n);
    let length = 0;
    outer: for (let i = 0; i < n; i++) {
      for (const test of tests) if (!test(i)) continue outer;
      kept[length++] = i;
    }
    rows = kept.slice(0, length);
    const group = view.issues && view.sort.length === 0 ? issueOrder?.(view.issues) : null;
    // The rows of a duplicate set one after the other, the first of them (in file order) first.
    if (group) rows = Uint32Array.from([...rows].sort((a, b) => group(a) - group(b) || a - b));
  }
  if (view.sort.length > 0) {
    let order = rows ?? identityRows(n);
    for (let k = view.sort.length - 1; k >= 0; k--) {
      const key = view.sort[k];
      if (key) order = sortRows(table.column(key.column), order, key.desc);
    }
    rows = order;
  }
  return { rows, length: rows ? rows.length : n };
}

/** The row tests of a view's filters and findings filter (`except`: a filter left out). */
function viewTests(table: Table, view: DatasetView, issueRows: IssueRows | null, except = -1) {
  const tests = view.filters.filter((_, i) => i !== except).map((f) => filterTest(table, f));
  if (view.issues) {
    const test = issueRows?.(view.issues) ?? null;
    // No validation yet: no row has findings.
    tests.push(test ?? (() => false));
  }
  return tests;
}

/** Whether a view holds a row: a scan for a few rows, a membership map for many. */
function shownTest(resolved: ResolvedView, asked: number): (index: number) => boolean {
  const rows = resolved.rows;
  if (rows === null) return (index) => index < resolved.length;
  if (asked <= 16) return (index) => rows.includes(index);
  let size = 0;
  for (const index of rows) if (index >= size) size = index + 1;
  const member = new Uint8Array(size);
  for (const index of rows) member[index] = 1;
  return (index) => member[index] === 1;
}

export function identityRows(n: number): Uint32Array {
  const rows = new Uint32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  return rows;
}

/** The load index at a view position. */
export function indexAt(view: ResolvedView, position: number): number {
  return view.rows ? (view.rows[position] as number) : position;
}

interface CachedView {
  readonly key: string;
  readonly view: DatasetView;
  readonly resolved: ResolvedView;
  readonly rowCount: number;
  readonly columnVersions: readonly (readonly [number, number])[];
  readonly issuesVersion: number;
  /**
   * Rows (load indices) edited while the view was shown: the view keeps them where they are, as
   * it was computed, even when they no longer pass its filters, until it is refreshed. Null: not
   * kept (a view is computed again when its columns or the findings change).
   */
  readonly kept: ReadonlySet<number> | null;
}

const CACHE_SIZE = 4;

export class ViewCache {
  #entries: CachedView[] = [];

  constructor(
    private readonly table: Table,
    private readonly issues: {
      readonly version: number;
      readonly rows: IssueRows | null;
      readonly order?: IssueOrder;
    },
  ) {}

  resolve(view: DatasetView): ResolvedView {
    if (view.sort.length === 0 && view.filters.length === 0 && !view.issues) {
      return { rows: null, length: this.table.rowCount };
    }
    const key = JSON.stringify(view);
    const hit = this.#entries.find((e) => e.key === key);
    if (hit && this.#fresh(hit)) {
      this.#entries = [hit, ...this.#entries.filter((e) => e !== hit)];
      return hit.resolved;
    }
    const columns = [...new Set([...view.sort.map((s) => s.column), ...view.filters.map((f) => f.column)])];
    const resolved = computeView(this.table, view, this.issues.rows, -1, this.issues.order ?? null);
    const entry: CachedView = {
      key,
      view,
      resolved,
      rowCount: this.table.rowCount,
      columnVersions: columns.map((c) => [c, this.table.columnVersion(c)] as const),
      issuesVersion: view.issues ? this.issues.version : -1,
      kept: null,
    };
    this.#entries = [entry, ...this.#entries.filter((e) => e.key !== key)].slice(0, CACHE_SIZE);
    return resolved;
  }

  /** Forgets every view: the next page computes its view again (a refresh, new findings, other rows). */
  clear(): void {
    this.#entries = [];
  }

  /**
   * Keeps every cached view as it is after a cell edit of these rows (load indices): the row the
   * consultant just fixed stays where it is, even if it no longer passes the filter (or no longer
   * has the finding the view shows), until the view is refreshed or changes.
   */
  keep(indices: Iterable<number> = []): void {
    const edited = [...indices];
    this.#entries = this.#entries.map((e) =>
      e.rowCount === this.table.rowCount
        ? {
            ...e,
            columnVersions: e.columnVersions.map(([c]) => [c, this.table.columnVersion(c)] as const),
            kept: new Set([...(e.kept ?? []), ...edited]),
          }
        : e,
    );
  }

  /**
   * Rows a view shows that no longer pass its filters (or findings filter): rows fixed while it was
   * shown. The grid says so, with a way to refresh the view.
   */
  outdated(view: DatasetView): number {
    const entry = this.#entries.find((e) => e.key === JSON.stringify(view));
    if (!entry?.kept || entry.kept.size === 0 || !this.#fresh(entry)) return 0;
    const tests = viewTests(this.table, entry.view, this.issues.rows);
    if (tests.length === 0) return 0;
    const shown = shownTest(entry.resolved, entry.kept.size);
    let n = 0;
    for (const index of entry.kept) if (shown(index) && !tests.every((t) => t(index))) n++;
    return n;
  }

  #fresh(entry: CachedView): boolean {
    if (entry.rowCount !== this.table.rowCount) return false;
    // A kept view keeps its rows through new findings too: a fixed row stays until refreshed.
    if (entry.kept === null && entry.issuesVersion !== -1 && entry.issuesVersion !== this.issues.version) return false;
    return entry.columnVersions.every(([c, v]) => this.table.columnVersion(c) === v);
  }
}
