/**
 * The edits journal of one dataset: every change as a command holding the old and new values of
 * the cells it touched, keyed by row (load index, which maps 1:1 to the stable row id). Undo writes
 * the old values back, redo the new ones, so both work whatever the view's sort and filter.
 *
 * Values are kept packed (one string per column change plus offsets), and the undo history is
 * bounded by the number of cells it holds: the oldest commands are forgotten first (their
 * recipe steps stay in the recipe).
 */
import type { RecipeStep } from '../../../../shared/api/domains/datasets';
import type { Table } from './table';

/** Strings packed into one: a million old values cost their characters plus 4 bytes each. */
export class PackedStrings {
  readonly #text: string;
  readonly #offsets: Uint32Array;

  constructor(values: readonly string[]) {
    this.#offsets = new Uint32Array(values.length + 1);
    let at = 0;
    values.forEach((v, i) => {
      this.#offsets[i] = at;
      at += v.length;
    });
    this.#offsets[values.length] = at;
    this.#text = values.join('');
  }

  get length(): number {
    return this.#offsets.length - 1;
  }

  get(i: number): string {
    return this.#text.slice(this.#offsets[i], this.#offsets[i + 1]);
  }
}

export interface ColumnChange {
  readonly column: number;
  /** Load indices. */
  readonly rows: Uint32Array;
  readonly before: PackedStrings;
  readonly after: PackedStrings;
}

export interface Command {
  readonly label: string;
  readonly changes: readonly ColumnChange[];
  /** The replayable step of a bulk operation; null for cell edits. */
  readonly step: RecipeStep | null;
  readonly cells: number;
  readonly rows: number;
}

/** Collects the cells an operation changes, column by column, skipping cells that stay the same. */
export class ChangeBuilder {
  readonly #columns = new Map<number, { rows: number[]; before: string[]; after: string[] }>();

  constructor(private readonly table: Table) {}

  set(index: number, column: number, value: string): void {
    const before = this.table.get(index, column);
    if (before === value) return;
    let change = this.#columns.get(column);
    if (!change) this.#columns.set(column, (change = { rows: [], before: [], after: [] }));
    change.rows.push(index);
    change.before.push(before);
    change.after.push(value);
  }

  build(label: string, step: RecipeStep | null): Command {
    const changes: ColumnChange[] = [];
    const rows = new Set<number>();
    let cells = 0;
    for (const [column, change] of this.#columns) {
      changes.push({
        column,
        rows: Uint32Array.from(change.rows),
        before: new PackedStrings(change.before),
        after: new PackedStrings(change.after),
      });
      cells += change.rows.length;
      for (const r of change.rows) rows.add(r);
    }
    return { label, changes, step, cells, rows: rows.size };
  }
}

/** Cells of undo history kept at most (old and new values): about 100–300 MB at worst. */
const MAX_HISTORY_CELLS = 10_000_000;

export class Journal {
  #done: Command[] = [];
  #undone: Command[] = [];
  /** The commands in effect when the file was last saved (none: the file as it was read). */
  #saved = new Set<Command>();
  /** Bumped on every change of the commands in effect (edit marks compare it). */
  #changes = 0;

  constructor(private readonly table: Table) {}

  get undoLabel(): string | null {
    return this.#done.at(-1)?.label ?? null;
  }

  get redoLabel(): string | null {
    return this.#undone.at(-1)?.label ?? null;
  }

  /** Applies a new command and records it (forgets what was undone). */
  apply(command: Command): void {
    write(this.table, command, 'after');
    this.#done.push(command);
    this.#undone = [];
    this.#changes++;
    this.#bound();
  }

  undo(): Command | null {
    const command = this.#done.pop();
    if (!command) return null;
    write(this.table, command, 'before');
    this.#undone.push(command);
    this.#changes++;
    return command;
  }

  redo(): Command | null {
    const command = this.#undone.pop();
    if (!command) return null;
    write(this.table, command, 'after');
    this.#done.push(command);
    this.#changes++;
    return command;
  }

  /** The rows were written to their file: what is in effect now is what the file holds. */
  markSaved(): void {
    this.#saved = new Set(this.#done);
    this.#changes++;
  }

  get changes(): number {
    return this.#changes;
  }

  /**
   * The commands that make the cells differ from the file as read or last saved: those in effect
   * that were not at the save, and those in effect at the save that were undone since.
   */
  get unsaved(): Command[] {
    const done = new Set(this.#done);
    return [...this.#done.filter((c) => !this.#saved.has(c)), ...[...this.#saved].filter((c) => !done.has(c))];
  }

  /** Commands in effect, oldest first. */
  get done(): readonly Command[] {
    return this.#done;
  }

  #bound(): void {
    let cells = 0;
    for (const c of this.#done) cells += c.cells;
    while (cells > MAX_HISTORY_CELLS && this.#done.length > 1) {
      const dropped = this.#done.shift();
      cells -= dropped?.cells ?? 0;
      // Forgotten, not undone: it stays in effect, saved or not.
      if (dropped && this.#saved.has(dropped)) this.#saved.delete(dropped);
    }
  }
}

function write(table: Table, command: Command, side: 'before' | 'after'): void {
  for (const change of command.changes) {
    const values = change[side];
    table.setCells(change.column, change.rows, (i) => values.get(i));
  }
}
