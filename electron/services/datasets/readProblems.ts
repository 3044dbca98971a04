/**
 * The rows of a file the reader could not read as F&O would take them (wrong number of values,
 * a broken text qualifier, bytes the encoding does not have), collected while the file loads. The
 * file opens anyway, every such row flagged in a read-only "Read problem" column, so that the
 * consultant sees every problem at once instead of the first one, and nothing is silently
 * dropped or converted: saving is refused while there are any (engine.ts).
 */
import type { ReadProblem, ReadProblems, SourceDetection } from '../../../shared/api/domains/datasets';
import type { Table } from './store/table';

/** Problems kept word for word for the list; all are counted. */
const LISTED = 500;
/**
 * Rows flagged in the column at most: a file read with the wrong delimiter has a problem on every
 * row, and a note per row of a million-row file is memory for nothing. Past this, they are counted.
 */
const FLAGGED = 100_000;

export const READ_PROBLEM_COLUMN = 'Read problem';

export class ReadProblemLog {
  #total = 0;
  readonly #byKind: Record<ReadProblem['kind'], number> = { columns: 0, qualifier: 0, encoding: 0 };
  readonly #first: ReadProblem[] = [];
  readonly #notes = new Map<number, string>();
  #column: number | null = null;

  get total(): number {
    return this.#total;
  }

  add(problem: ReadProblem): void {
    this.#total++;
    this.#byKind[problem.kind]++;
    if (this.#first.length < LISTED) {
      this.#first.push({ kind: problem.kind, row: problem.row, line: problem.line, message: problem.message });
    }
    const before = this.#notes.get(problem.row);
    if (before !== undefined) this.#notes.set(problem.row, `${before} Also: ${problem.message}`);
    else if (this.#notes.size < FLAGGED) this.#notes.set(problem.row, problem.message);
  }

  /** Adds the read-only column with a note on each flagged row (once loading ended). */
  flag(table: Table): void {
    if (this.#total === 0 || this.#column !== null) return;
    const names = new Set(table.columns.map((c) => c.name));
    let name = READ_PROBLEM_COLUMN;
    for (let n = 2; names.has(name); n++) name = `${READ_PROBLEM_COLUMN} ${n}`;
    const column = table.addColumn({ name, readOnly: true });
    const flagged: [index: number, note: string][] = [];
    for (const [row, note] of this.#notes) {
      const index = table.indexOf(row);
      if (index >= 0) flagged.push([index, note]);
    }
    table.setCells(
      column,
      flagged.map(([index]) => index),
      (i) => flagged[i]?.[1] ?? '',
    );
    this.#column = column;
  }

  view(detection: SourceDetection | null): ReadProblems | null {
    if (this.#total === 0) return null;
    return {
      total: this.#total,
      byKind: { ...this.#byKind },
      first: this.#first,
      column: this.#column,
      suggestedEncoding: suggestEncoding(detection, this.#byKind.encoding),
    };
  }
}

/**
 * Bytes invalid in UTF-8 in a file read as UTF-8: most legacy extracts that are not UTF-8 are
 * Windows-1252 [INFER: the code page of Western Windows installations, as DMF's own CSV format].
 */
function suggestEncoding(detection: SourceDetection | null, encodingProblems: number): string | null {
  if (!detection || encodingProblems === 0) return null;
  return detection.encoding === 'utf-8' ? 'windows-1252' : null;
}
