/**
 * Views: which rows of a table the grid shows, in which order. A view is a list of load indices
 * (or "all rows in load order", which needs no list), computed in the store from the view spec
 * and cached: the grid asks for page after page of the same view while the consultant scrolls.
 * A cached view stays valid while the row count and the cells of the columns it depends on are
 * unchanged.
 */
import { textFilterTest } from '../../../../shared/domain/datasets/cells';
import type { DatasetFilter, DatasetView } from '../../../../shared/api/domains/datasets';
import { sortRows } from './sort';
import type { Table } from './table';

/** The rows with findings, for the issues filter (from the validation index). */
export type IssueRows = (filter: { rule?: string; column?: number }) => ((index: number) => boolean) | null;

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
      throw new RangeError(`The view names column ${c}, but the dataset has ${table.columnCount}.`);
  }
}

/** Computes a view from scratch. `except`: index of a filter to leave out (a facet's own). */
export function computeView(table: Table, view: DatasetView, issueRows: IssueRows | null, except = -1): ResolvedView {
  checkColumns(table, view);
  const n = table.rowCount;
  const tests = view.filters.filter((_, i) => i !== except).map((f) => filterTest(table, f));
  if (view.issues) {
    const test = issueRows?.(view.issues) ?? null;
    // No validation yet: no row has findings.
    tests.push(test ?? (() => false));
  }
  let rows: Uint32Array | null = null;
  if (tests.length > 0) {
    const kept = new Uint32Array(n);
    let length = 0;
    outer: for (let i = 0; i < n; i++) {
      for (const test of tests) if (!test(i)) continue outer;
      kept[length++] = i;
    }
    rows = kept.slice(0, length);
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
  readonly resolved: ResolvedView;
  readonly rowCount: number;
  readonly columnVersions: readonly (readonly [number, number])[];
  readonly issuesVersion: number;
}

const CACHE_SIZE = 4;

export class ViewCache {
  #entries: CachedView[] = [];

  constructor(
    private readonly table: Table,
    private readonly issues: { readonly version: number; readonly rows: IssueRows | null },
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
    const resolved = computeView(this.table, view, this.issues.rows);
    const entry: CachedView = {
      key,
      resolved,
      rowCount: this.table.rowCount,
      columnVersions: columns.map((c) => [c, this.table.columnVersion(c)] as const),
      issuesVersion: view.issues ? this.issues.version : -1,
    };
    this.#entries = [entry, ...this.#entries.filter((e) => e.key !== key)].slice(0, CACHE_SIZE);
    return resolved;
  }

  clear(): void {
    this.#entries = [];
  }

  /**
   * Keeps every cached view as it is after a cell edit: the row the consultant just fixed stays
   * where it is, even if it no longer passes the filter, until the view itself changes.
   */
  keep(): void {
    this.#entries = this.#entries.map((e) =>
      e.rowCount === this.table.rowCount
        ? { ...e, columnVersions: e.columnVersions.map(([c]) => [c, this.table.columnVersion(c)] as const) }
        : e,
    );
  }

  #fresh(entry: CachedView): boolean {
    if (entry.rowCount !== this.table.rowCount) return false;
    if (entry.issuesVersion !== -1 && entry.issuesVersion !== this.issues.version) return false;
    return entry.columnVersions.every(([c, v]) => this.table.columnVersion(c) === v);
  }
}
