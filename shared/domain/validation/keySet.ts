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

/** Two independent 32-bit lanes over the UTF-16 code units (cyrb53's mixing, kept at 64 bits). */
function hash(key: string, out: Int32Array): void {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < key.length; i++) {
    const ch = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  // (0, 0) marks an empty slot.
  out[0] = h1;
  out[1] = h1 === 0 && h2 === 0 ? 1 : h2;
}

export const DEFAULT_MAX_KEYS = 10_000_000;

export class KeySet {
  private lanes: Int32Array;
  private rows: Int32Array;
  private mask: number;
  private count = 0;
  private readonly scratch = new Int32Array(2);

  /** `maxKeys` bounds memory: past it `add` answers FULL and the set stops growing. */
  constructor(
    readonly maxKeys = DEFAULT_MAX_KEYS,
    initialCapacity = 1024,
  ) {
    let capacity = 16;
    while (capacity < initialCapacity * 2) capacity *= 2;
    this.lanes = new Int32Array(capacity * 2);
    this.rows = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

  static readonly FULL = -1;

  get size(): number {
    return this.count;
  }

  /** Adds a normalised key. Returns 0 when it is new, the earlier row when it is a repeat, FULL when full. */
  add(key: string, row: number): number {
    hash(key, this.scratch);
    const slot = this.find(this.scratch[0] ?? 0, this.scratch[1] ?? 0);
    const existing = this.rows[slot] ?? 0;
    if (existing !== 0) return existing;
    if (this.count >= this.maxKeys) return KeySet.FULL;
    this.lanes[slot * 2] = this.scratch[0] ?? 0;
    this.lanes[slot * 2 + 1] = this.scratch[1] ?? 0;
    // Row numbers are 1-based, so 0 means "no row"; a key added without a row is stored as row 1 << 30.
    this.rows[slot] = row > 0 ? row : 1 << 30;
    if (++this.count * 2 > this.rows.length) this.grow();
    return 0;
  }

  has(key: string): boolean {
    hash(key, this.scratch);
    return (this.rows[this.find(this.scratch[0] ?? 0, this.scratch[1] ?? 0)] ?? 0) !== 0;
  }

  /** Linear probing: the slot holding (h1, h2), or the empty slot where it would go. */
  private find(h1: number, h2: number): number {
    let slot = (h1 ^ (h2 >>> 7)) & this.mask;
    for (;;) {
      if (this.rows[slot] === 0) return slot;
      if (this.lanes[slot * 2] === h1 && this.lanes[slot * 2 + 1] === h2) return slot;
      slot = (slot + 1) & this.mask;
    }
  }

  private grow(): void {
    const oldLanes = this.lanes;
    const oldRows = this.rows;
    const capacity = oldRows.length * 2;
    this.lanes = new Int32Array(capacity * 2);
    this.rows = new Int32Array(capacity);
    this.mask = capacity - 1;
    for (let i = 0; i < oldRows.length; i++) {
      const row = oldRows[i] ?? 0;
      if (row === 0) continue;
      const h1 = oldLanes[i * 2] ?? 0;
      const h2 = oldLanes[i * 2 + 1] ?? 0;
      const slot = this.find(h1, h2);
      this.lanes[slot * 2] = h1;
      this.lanes[slot * 2 + 1] = h2;
      this.rows[slot] = row;
    }
  }
}
