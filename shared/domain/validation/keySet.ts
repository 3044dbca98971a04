/**
 * A set of entity keys with the data row that first used each, in bounded memory.
 *
 * Keys are normalised as DMF's staging unique index compares them: trimmed and case-insensitive
 * (SQL Server's default case-insensitive collation; trailing spaces never count there, and DMF
 * trims the values it stages [INFER for leading spaces]). Only a 64-bit hash of each key is kept,
 * in typed arrays: 12 bytes a key at most 50 % load, so 1M keys take about 24 MB and 10M about
 * 240 MB instead of several hundred MB of strings. The price is a false "duplicate" with a
 * probability of about n²/2⁶⁵ (3·10⁻⁸ for a million keys); each finding names the earlier row, so
 * a consultant can always check it.
 */

/** The normalised form of one key value. */
export function normalizeKeyPart(value: string): string {
  return value.trim().toLowerCase();
}

/** Multi-field keys join their normalised parts with a unit separator, which no cell contains in practice. */
export const KEY_SEPARATOR = '\u001f';
const KEY_SEPARATOR_CODE = 0x1f;

// The hash's two 32-bit lanes while a key is fed in, one UTF-16 code unit at a time.
let lane1 = 0;
let lane2 = 0;

function start(): void {
  lane1 = 0xdeadbeef;
  lane2 = 0x41c6ce57;
}

function feed(ch: number): void {
  lane1 = Math.imul(lane1 ^ ch, 2654435761);
  lane2 = Math.imul(lane2 ^ ch, 1597334677);
}

/** cyrb53's mixing, kept at 64 bits. */
function finish(out: Int32Array): void {
  let h1 = lane1;
  let h2 = lane2;
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  // (0, 0) marks an empty slot.
  out[0] = h1;
  out[1] = h1 === 0 && h2 === 0 ? 1 : h2;
}

function feedText(text: string): void {
  for (let i = 0; i < text.length; i++) feed(text.charCodeAt(i));
}

/** Two independent 32-bit lanes over the UTF-16 code units of a normalised key. */
function hash(key: string, out: Int32Array): void {
  start();
  feedText(key);
  finish(out);
}

/** The characters String.prototype.trim removes that are ASCII: tab, LF, VT, FF, CR, space. */
function isAsciiSpace(ch: number): boolean {
  return ch === 32 || (ch >= 9 && ch <= 13);
}

/**
 * The hash of the key at `columns` of `cells` (parts normalised, joined by KEY_SEPARATOR)
 * without building it: each part is trimmed and lower-cased as it is fed (ASCII; a part with
 * other characters goes through normalizeKeyPart). Validation does this once per row, so the
 * strings it saves count. False when a part is empty (such a row has no key).
 */
function hashCells(cells: readonly string[], columns: readonly number[], out: Int32Array): boolean {
  start();
  for (let k = 0; k < columns.length; k++) {
    if (k > 0) feed(KEY_SEPARATOR_CODE);
    const part = cells[columns[k] ?? 0] ?? '';
    let from = 0;
    let to = part.length;
    while (from < to && isAsciiSpace(part.charCodeAt(from))) from++;
    while (to > from && isAsciiSpace(part.charCodeAt(to - 1))) to--;
    if (from === to) return false;
    const saved1 = lane1;
    const saved2 = lane2;
    let ascii = true;
    for (let i = from; i < to; i++) {
      const ch = part.charCodeAt(i);
      if (ch >= 0x80) {
        ascii = false;
        break;
      }
      feed(ch >= 65 && ch <= 90 ? ch + 32 : ch);
    }
    if (!ascii) {
      lane1 = saved1;
      lane2 = saved2;
      const normal = normalizeKeyPart(part);
      if (normal === '') return false;
      feedText(normal);
    }
  }
  finish(out);
  return true;
}

export const DEFAULT_MAX_KEYS = 10_000_000;

/** Int32s per slot: lane 1, lane 2, row. */
const SLOT = 3;

export class KeySet {
  /**
   * Open addressing, one slot per three Int32s: the hash's two lanes and the row (0: empty). One
   * array, so a probe touches one cache line (separate lane and row arrays cost two misses a key;
   * measured on 1M keys: about 40 % of the set's time).
   */
  private table: Int32Array;
  private mask: number;
  private count = 0;
  private readonly scratch = new Int32Array(2);
  /** addRows' hashes, two lanes a row. */
  private batch = new Int32Array(0);

  /** `maxKeys` bounds memory: past it `add` answers FULL and the set stops growing. */
  constructor(
    readonly maxKeys = DEFAULT_MAX_KEYS,
    initialCapacity = 1024,
  ) {
    let capacity = 16;
    while (capacity < initialCapacity * 2) capacity *= 2;
    this.table = new Int32Array(capacity * SLOT);
    this.mask = capacity - 1;
  }

  static readonly FULL = -1;

  get size(): number {
    return this.count;
  }

  /** Adds a normalised key. Returns 0 when it is new, the earlier row when it is a repeat, FULL when full. */
  add(key: string, row: number): number {
    hash(key, this.scratch);
    return this.insert(row);
  }

  /** `addRows`' answer for a row whose key has an empty part. */
  static readonly NO_KEY = -2;

  /**
   * Adds the key of each row in order (its parts at `columns`, normalised and joined by
   * KEY_SEPARATOR, as `add` takes it); `answers[r]` is what `add` answers for `rows[r]`, or NO_KEY
   * when a part is empty (such a row has no key). Every key is hashed first, then all are inserted in a tight loop, where the cache
   * misses of consecutive keys overlap: one miss after another, between a row's cell checks,
   * was most of the set's time.
   */
  addRows(
    rows: readonly (readonly string[])[],
    columns: readonly number[],
    rowNumbers: number | readonly number[],
    answers: Int32Array,
  ): void {
    const n = rows.length;
    if (this.batch.length < n * 2) this.batch = new Int32Array(n * 2);
    const batch = this.batch;
    for (let r = 0; r < n; r++) {
      if (!hashCells(rows[r] ?? [], columns, this.scratch)) {
        answers[r] = KeySet.NO_KEY;
        continue;
      }
      answers[r] = 0;
      batch[r * 2] = this.scratch[0] ?? 0;
      batch[r * 2 + 1] = this.scratch[1] ?? 0;
    }
    for (let r = 0; r < n; r++) {
      if (answers[r] === KeySet.NO_KEY) continue;
      const row = typeof rowNumbers === 'number' ? rowNumbers + r : (rowNumbers[r] ?? 0);
      answers[r] = this.insertHash(batch[r * 2] ?? 0, batch[r * 2 + 1] ?? 0, row);
    }
  }

  /** Inserts the hash in `scratch`. */
  private insert(row: number): number {
    return this.insertHash(this.scratch[0] ?? 0, this.scratch[1] ?? 0, row);
  }

  private insertHash(h1: number, h2: number, row: number): number {
    const at = this.find(h1, h2) * SLOT;
    const existing = this.table[at + 2] ?? 0;
    if (existing !== 0) return existing;
    if (this.count >= this.maxKeys) return KeySet.FULL;
    this.table[at] = h1;
    this.table[at + 1] = h2;
    // Row numbers are 1-based, so 0 means "no row"; a key added without a row is stored as row 1 << 30.
    this.table[at + 2] = row > 0 ? row : 1 << 30;
    if (++this.count * 2 > this.mask + 1) this.grow();
    return 0;
  }

  has(key: string): boolean {
    hash(key, this.scratch);
    return (this.table[this.find(this.scratch[0] ?? 0, this.scratch[1] ?? 0) * SLOT + 2] ?? 0) !== 0;
  }

  /** Linear probing: the slot holding (h1, h2), or the empty slot where it would go. */
  private find(h1: number, h2: number): number {
    const table = this.table;
    let slot = (h1 ^ (h2 >>> 7)) & this.mask;
    for (;;) {
      const at = slot * SLOT;
      if (table[at + 2] === 0) return slot;
      if (table[at] === h1 && table[at + 1] === h2) return slot;
      slot = (slot + 1) & this.mask;
    }
  }

  private grow(): void {
    const old = this.table;
    const capacity = (this.mask + 1) * 2;
    this.table = new Int32Array(capacity * SLOT);
    this.mask = capacity - 1;
    for (let at = 0; at < old.length; at += SLOT) {
      const row = old[at + 2] ?? 0;
      if (row === 0) continue;
      const h1 = old[at] ?? 0;
      const h2 = old[at + 1] ?? 0;
      const to = this.find(h1, h2) * SLOT;
      this.table[to] = h1;
      this.table[to + 1] = h2;
      this.table[to + 2] = row;
    }
  }
}
