/**
 * Edit marks: which cells differ from the file as it was read or last saved, so that the grid
 * can mark them (Excel users expect to see what they changed). Derived from the journal, never
 * kept beside it: a cell is marked when a command that separates the cells from the saved file
 * touched it (undoing back to the saved state clears the marks; undoing a saved edit marks its
 * cells). A cell changed and changed back by two commands stays marked: it was touched.
 * Commands the history forgot (beyond 10M cells, see journal.ts) no longer mark their cells.
 *
 * One bit per row for each edited column, rebuilt when the journal changes and a page asks.
 */
import type { Journal } from './journal';
import type { Table } from './table';

export class EditMarks {
  #at = -1;
  #byColumn = new Map<number, Uint8Array>();

  constructor(
    private readonly table: Table,
    private readonly journal: Journal,
  ) {}

  /** The edited columns of a row (load index), in column order; empty when none. */
  columnsOf(index: number): number[] {
    this.#refresh();
    const columns: number[] = [];
    for (const [column, bits] of this.#byColumn) {
      if (((bits[index >>> 3] ?? 0) >> (index & 7)) & 1) columns.push(column);
    }
    return columns.sort((a, b) => a - b);
  }

  /** Cells marked, for tests and summaries. */
  get count(): number {
    this.#refresh();
    let n = 0;
    for (const bits of this.#byColumn.values()) for (const byte of bits) for (let b = byte; b; b &= b - 1) n++;
    return n;
  }

  #refresh(): void {
    if (this.#at === this.journal.changes) return;
    this.#at = this.journal.changes;
    const size = (this.table.rowCount >>> 3) + 1;
    const byColumn = new Map<number, Uint8Array>();
    for (const command of this.journal.unsaved) {
      for (const change of command.changes) {
        let bits = byColumn.get(change.column);
        if (!bits) byColumn.set(change.column, (bits = new Uint8Array(size)));
        for (const index of change.rows) bits[index >>> 3] = (bits[index >>> 3] ?? 0) | (1 << (index & 7));
      }
    }
    this.#byColumn = byColumn;
  }
}
