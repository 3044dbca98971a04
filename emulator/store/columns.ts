/**
 * Rows of text values stored column by column, for the emulator's staging and target tables.
 * A million Customers V3 rows held as 63-slot arrays cost about a kilobyte each; most of those
 * slots are empty and most filled ones repeat a handful of values (groups, currencies, terms).
 * So a column exists only once some row gives it a value (the rest read as ''), and each column
 * starts dictionary-encoded (two bytes a row) and turns into a plain array of strings once its
 * values prove mostly distinct (account numbers, names).
 */

/** Dictionary codes are 16-bit: a column with more distinct values is stored plain. */
const MAX_DICTIONARY = 0xffff;
/** A dictionary this big that holds more than half the column's rows is not paying off. */
const SPARSE_DICTIONARY = 1024;
/** V8 keeps strings of this length and longer as slices of the text they were cut from. */
const SLICE_MIN_LENGTH = 13;

/**
 * A copy of `text` that does not keep alive the parser chunk it was sliced from (a 64 KB chunk per
 * kept cell otherwise). The JSON round trip is lossless, lone surrogates included.
 */
export function detached(text: string): string {
  return text.length < SLICE_MIN_LENGTH ? text : (JSON.parse(JSON.stringify(text)) as string);
}

export function grown<T extends Uint16Array | Float64Array>(array: T, needed: number): T {
  if (needed <= array.length) return array;
  const next = new (array.constructor as new (length: number) => T)(Math.max(needed, array.length * 2, 64));
  next.set(array);
  return next;
}

class TextColumn {
  #codes: Uint16Array | null = new Uint16Array(64);
  #dictionary: string[] | null = [''];
  #codeOf: Map<string, number> | null = new Map([['', 0]]);
  #plain: string[] | null = null;
  /** Highest row set + 1. */
  #rows = 0;

  get(row: number): string {
    if (this.#plain) return this.#plain[row] ?? '';
    return (this.#dictionary as string[])[(this.#codes as Uint16Array)[row] ?? 0] ?? '';
  }

  set(row: number, value: string): void {
    if (row >= this.#rows) this.#rows = row + 1;
    if (this.#plain) {
      this.#plain[row] = detached(value);
      return;
    }
    const codeOf = this.#codeOf as Map<string, number>;
    const dictionary = this.#dictionary as string[];
    let code = codeOf.get(value);
    if (code === undefined) {
      if (
        dictionary.length >= MAX_DICTIONARY ||
        (dictionary.length >= SPARSE_DICTIONARY && dictionary.length * 2 > this.#rows)
      ) {
        this.#toPlain()[row] = detached(value);
        return;
      }
      code = dictionary.push(detached(value)) - 1;
      codeOf.set(dictionary[code] as string, code);
    }
    this.#codes = grown(this.#codes as Uint16Array, row + 1);
    this.#codes[row] = code;
  }

  /** Becomes a plain array of strings. */
  #toPlain(): string[] {
    const rows = this.#rows;
    const codes = this.#codes as Uint16Array;
    const dictionary = this.#dictionary as string[];
    const plain = new Array<string>(rows);
    for (let i = 0; i < rows; i++) plain[i] = dictionary[codes[i] ?? 0] ?? '';
    this.#plain = plain;
    this.#codes = null;
    this.#dictionary = null;
    this.#codeOf = null;
    return plain;
  }
}

/** Rows of `width` text fields, stored by column. */
export class TextColumns {
  #length = 0;
  readonly #columns: (TextColumn | undefined)[];

  constructor(readonly width: number) {
    this.#columns = new Array<TextColumn | undefined>(width).fill(undefined);
  }

  get length(): number {
    return this.#length;
  }

  value(row: number, field: number): string {
    return this.#columns[field]?.get(row) ?? '';
  }

  /**
   * Appends a row; returns its index. Only the `fields` listed are read from `values` (the others
   * are empty); all of them when omitted.
   */
  push(values: readonly string[], fields?: readonly number[]): number {
    const row = this.#length++;
    this.#put(row, values, fields, false);
    return row;
  }

  /** Replaces a row's values (fields not listed in `fields` become empty). */
  write(row: number, values: readonly string[], fields?: readonly number[]): void {
    this.#put(row, values, fields, true);
  }

  #put(row: number, values: readonly string[], fields: readonly number[] | undefined, clear: boolean): void {
    if (clear) {
      // Empty every existing column first: the listed fields are set again below.
      for (const column of this.#columns) if (column && column.get(row) !== '') column.set(row, '');
    }
    const count = fields ? fields.length : this.width;
    for (let k = 0; k < count; k++) {
      const f = fields ? (fields[k] as number) : k;
      const v = values[f] ?? '';
      let column = this.#columns[f];
      if (v === '' && !column) continue;
      if (!column) this.#columns[f] = column = new TextColumn();
      column.set(row, v);
    }
  }

  /** The row as a full-width array (a copy). */
  read(row: number, into: string[] = new Array<string>(this.width)): string[] {
    for (let f = 0; f < this.width; f++) into[f] = this.#columns[f]?.get(row) ?? '';
    return into;
  }

  /** Whether the row holds exactly `values` (missing entries count as empty). */
  same(row: number, values: readonly string[]): boolean {
    for (let f = 0; f < this.width; f++) if ((this.#columns[f]?.get(row) ?? '') !== (values[f] ?? '')) return false;
    return true;
  }
}
