/**
 * The rows of one dataset, column-wise (TextColumn), with stable row ids.
 *
 * A row's id never changes, whatever the sort or filter: it is the 1-based data row of the source
 * file (the header is not a data row), or the id a service handed over with the row (a job's
 * failed rows keep their source row numbers). Edits, the journal and validation findings are keyed
 * by it. Internally rows are addressed by their load index (0-based, never reused).
 */
import { TextColumn } from './column';

export interface TableColumn {
  readonly name: string;
  /** Columns a service added (a job's "Error" message): shown, never edited. */
  readonly readOnly: boolean;
}

export class Table {
  readonly #columns: TableColumn[];
  readonly #cells: TextColumn[];
  #rowCount = 0;
  /** Explicit row ids, or null while ids are implicit (index + 1). */
  #ids: Uint32Array | null = null;
  #idIndex: Map<number, number> | null = null;
  /** Bumped by every change of a column's cells: views and caches compare it. */
  readonly #columnVersions: number[];
  #version = 0;

  constructor(columns: readonly TableColumn[]) {
    this.#columns = [...columns];
    this.#cells = columns.map(() => new TextColumn());
    this.#columnVersions = columns.map(() => 0);
  }

  get columns(): readonly TableColumn[] {
    return this.#columns;
  }

  get columnCount(): number {
    return this.#columns.length;
  }

  get rowCount(): number {
    return this.#rowCount;
  }

  /** Bumped by every cell change (not by appends: rowCount tells those). */
  get version(): number {
    return this.#version;
  }

  columnVersion(column: number): number {
    return this.#columnVersions[column] ?? 0;
  }

  /** Approximate bytes held by the cells. */
  get bytes(): number {
    let total = this.#ids ? this.#ids.byteLength : 0;
    for (const column of this.#cells) total += column.bytes;
    return total;
  }

  /** Adds a column at the end (every existing row gets an empty cell). Returns its index. */
  addColumn(column: TableColumn): number {
    const cells = new TextColumn();
    cells.appendEmpty(this.#rowCount);
    this.#columns.push(column);
    this.#cells.push(cells);
    this.#columnVersions.push(0);
    return this.#columns.length - 1;
  }

  /**
   * Appends rows (short rows are padded with empty cells; cells beyond the columns are ignored:
   * the reader decides what to do with ragged rows). `ids`: one id per row, or none for index + 1.
   */
  appendRows(rows: readonly (readonly string[])[], ids?: readonly number[]): void {
    if (ids && ids.length !== rows.length) throw new RangeError('appendRows: one id per row.');
    if (ids && !this.#ids) {
      this.#ids = new Uint32Array(Math.max(1024, this.#rowCount + rows.length));
      for (let i = 0; i < this.#rowCount; i++) this.#ids[i] = i + 1;
    }
    const width = this.#columns.length;
    for (let c = 0; c < width; c++) {
      const column = this.#cells[c] as TextColumn;
      for (const row of rows) column.append(row[c] ?? '');
    }
    if (this.#ids) {
      if (this.#ids.length < this.#rowCount + rows.length) {
        const grown = new Uint32Array(Math.max(this.#ids.length * 2, this.#rowCount + rows.length));
        grown.set(this.#ids);
        this.#ids = grown;
      }
      for (let i = 0; i < rows.length; i++)
        this.#ids[this.#rowCount + i] = ids ? (ids[i] as number) : this.#rowCount + i + 1;
      this.#idIndex = null;
    }
    this.#rowCount += rows.length;
  }

  /** The stable id of the row at load index `index`. */
  rowId(index: number): number {
    return this.#ids ? (this.#ids[index] as number) : index + 1;
  }

  /** The load index of a row id, or -1. */
  indexOf(rowId: number): number {
    if (!this.#ids) return Number.isInteger(rowId) && rowId >= 1 && rowId <= this.#rowCount ? rowId - 1 : -1;
    if (!this.#idIndex) {
      this.#idIndex = new Map();
      for (let i = 0; i < this.#rowCount; i++) this.#idIndex.set(this.#ids[i] as number, i);
    }
    return this.#idIndex.get(rowId) ?? -1;
  }

  get(index: number, column: number): string {
    return (this.#cells[column] as TextColumn).get(index);
  }

  /** The cells of one row. */
  row(index: number): string[] {
    const out = new Array<string>(this.#columns.length);
    for (let c = 0; c < out.length; c++) out[c] = (this.#cells[c] as TextColumn).get(index);
    return out;
  }

  /** Column accessor for hot loops (filters, sorts, facets). */
  column(column: number): TextColumn {
    const cells = this.#cells[column];
    if (!cells) throw new RangeError(`There is no column ${column}.`);
    return cells;
  }

  /** Writes cells of one column (load indices) and bumps the versions. */
  setCells(column: number, indices: ArrayLike<number>, values: (i: number) => string): void {
    if (indices.length === 0) return;
    this.column(column).setMany(indices, values);
    this.#columnVersions[column] = (this.#columnVersions[column] ?? 0) + 1;
    this.#version++;
  }

  /** A column index by name (exact first, then case-insensitive), or -1. */
  findColumn(name: string): number {
    const exact = this.#columns.findIndex((c) => c.name === name);
    if (exact >= 0) return exact;
    const lower = name.toLowerCase();
    return this.#columns.findIndex((c) => c.name.toLowerCase() === lower);
  }
}
