/**
 * The cells of one column, packed. Cells arrive as separate JS strings (tens of bytes of object
 * header each, and often slices that pin the parser's whole decoded chunk); kept like that, 1M
 * rows × 18 columns cost about 1 GB. Here every CHUNK consecutive cells are joined into one flat
 * string with their offsets (Uint16 when the chunk's text fits), so a cell costs its characters
 * (1 byte each for Latin-1 text, V8's one-byte strings) plus 2–4 bytes. Measured on a 155 MB,
 * 1M × 18 CSV: 149 MB of heap. A cell read is one `slice`.
 *
 * Cells are changed by rebuilding their chunk (about 50 µs): no overlay to consult on reads, and a
 * bulk change rebuilds each touched chunk once.
 */
export const CHUNK_BITS = 10;
export const CHUNK = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK - 1;

export class TextColumn {
  #texts: string[] = [];
  #offsets: (Uint16Array | Uint32Array)[] = [];
  /** Cells after the last full chunk, not yet packed. */
  #tail: string[] = [];
  #length = 0;
  #chars = 0;

  get length(): number {
    return this.#length;
  }

  /** Approximate bytes held (characters as one byte each, plus offsets). */
  get bytes(): number {
    return this.#chars + this.#length * 3;
  }

  append(value: string): void {
    this.#tail.push(value);
    this.#length++;
    if (this.#tail.length === CHUNK) {
      this.#pack(this.#tail);
      this.#tail = [];
    }
  }

  /** Appends `count` empty cells (a column added after rows were loaded). */
  appendEmpty(count: number): void {
    for (let i = 0; i < count; i++) this.append('');
  }

  get(row: number): string {
    const chunk = row >>> CHUNK_BITS;
    if (chunk < this.#texts.length) {
      const offsets = this.#offsets[chunk] as Uint16Array | Uint32Array;
      const k = row & CHUNK_MASK;
      return (this.#texts[chunk] as string).slice(offsets[k], offsets[k + 1]);
    }
    return this.#tail[row & CHUNK_MASK] ?? '';
  }

  /** Sets cells; `rows` need not be sorted. Each touched chunk is rebuilt once. */
  setMany(rows: ArrayLike<number>, values: (i: number) => string): void {
    const byChunk = new Map<number, number[]>();
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as number;
      if (row < 0 || row >= this.#length)
        throw new RangeError(`Row ${row} is outside the column (${this.#length} rows).`);
      const chunk = row >>> CHUNK_BITS;
      let list = byChunk.get(chunk);
      if (!list) byChunk.set(chunk, (list = []));
      list.push(i);
    }
    for (const [chunk, positions] of byChunk) {
      if (chunk >= this.#texts.length) {
        for (const i of positions) this.#tail[(rows[i] as number) & CHUNK_MASK] = values(i);
        continue;
      }
      const cells = this.#unpack(chunk);
      for (const i of positions) cells[(rows[i] as number) & CHUNK_MASK] = values(i);
      this.#chars -= (this.#texts[chunk] as string).length;
      this.#store(chunk, cells);
    }
  }

  set(row: number, value: string): void {
    this.setMany([row], () => value);
  }

  #unpack(chunk: number): string[] {
    const text = this.#texts[chunk] as string;
    const offsets = this.#offsets[chunk] as Uint16Array | Uint32Array;
    const cells = new Array<string>(CHUNK);
    for (let k = 0; k < CHUNK; k++) cells[k] = text.slice(offsets[k], offsets[k + 1]);
    return cells;
  }

  #pack(cells: readonly string[]): void {
    this.#store(this.#texts.length, cells);
  }

  #store(chunk: number, cells: readonly string[]): void {
    let total = 0;
    for (const cell of cells) total += cell.length;
    const offsets = total < 0xffff ? new Uint16Array(cells.length + 1) : new Uint32Array(cells.length + 1);
    let at = 0;
    for (let k = 0; k < cells.length; k++) {
      offsets[k] = at;
      at += (cells[k] as string).length;
    }
    offsets[cells.length] = at;
    // join() gives a flat string: the cells' own strings (and the parser chunks they slice) can go.
    this.#texts[chunk] = cells.join('');
    this.#offsets[chunk] = offsets;
    this.#chars += total;
  }
}
