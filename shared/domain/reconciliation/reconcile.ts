/**
 * Reconciliation after a load: what landed in F&O against what was sent, per entity and legal
 * entity. The sent side is the package's rows (keys, chosen numeric columns, where each row came
 * from); the landed side is what OData reads back for those keys. The result answers the client's
 * question "did what we sent arrive?": counts, every missing key with its source rows, every key
 * whose amount changed, and the sums of the chosen columns on both sides.
 *
 * Keys compare trimmed and case-insensitive, as F&O's unique indexes compare them. A key sent twice
 * counts once (F&O keeps the last row: the later row's values are what should have landed).
 */
import { decimalUnits, formatUnits } from './decimal';

export interface SumField {
  /** Staging field (package column), e.g. CREDITLIMIT. */
  readonly field: string;
  /** Decimals compared (default 6: numeric(32,6), F&O's amounts). */
  readonly scale?: number;
}

export interface SourceRef {
  readonly file: string;
  /** 1-based data row of the source file. */
  readonly row: number;
}

export interface ReconcileSpec {
  readonly entity: string;
  /** Legal entity the load went to; null for a shared entity. */
  readonly company: string | null;
  readonly keyFields: readonly string[];
  readonly sumFields: readonly SumField[];
  /** Keys held at most (default 5,000,000): beyond it, reconciliation stops with a clear error. */
  readonly maxKeys?: number;
  /** Missing and changed keys listed at most (all are counted). Default 10,000. */
  readonly maxListed?: number;
}

export interface MissingKey {
  readonly key: readonly string[];
  readonly source: SourceRef | null;
}

export interface ChangedValue {
  readonly key: readonly string[];
  readonly field: string;
  readonly sent: string;
  /** What F&O holds; '' when the record holds no value. */
  readonly landed: string;
  readonly source: SourceRef | null;
}

export interface FieldSum {
  readonly field: string;
  /** Sum over every sent key. */
  readonly sent: string;
  /** Sum over the landed records of those keys. */
  readonly landed: string;
  /** landed − sent. */
  readonly difference: string;
}

export interface ReconciliationResult {
  readonly entity: string;
  readonly company: string | null;
  /** Distinct keys sent. */
  readonly sent: number;
  /** Rows sent with a key already sent before (F&O keeps the last). */
  readonly repeatedKeys: number;
  /** Sent keys F&O holds. */
  readonly landed: number;
  readonly missingCount: number;
  readonly missing: readonly MissingKey[];
  readonly changedCount: number;
  readonly changed: readonly ChangedValue[];
  readonly sums: readonly FieldSum[];
  /** True when lists were cut at maxListed. */
  readonly truncated: boolean;
}

export class ReconciliationLimitError extends Error {
  constructor(entity: string, limit: number) {
    super(
      `${entity}: more than ${limit.toLocaleString('en-US')} keys were sent; reconcile the load in parts (one legal entity or one file at a time).`,
    );
    this.name = 'ReconciliationLimitError';
  }
}

interface SentEntry {
  readonly key: readonly string[];
  sums: (bigint | null)[];
  source: SourceRef | null;
  landed: boolean;
}

const KEY_SEPARATOR = '\u0001';
const keyText = (key: readonly string[]) => key.map((k) => k.trim().toLowerCase()).join(KEY_SEPARATOR);

export class Reconciler {
  readonly #spec: ReconcileSpec;
  readonly #scales: readonly number[];
  readonly #sent = new Map<string, SentEntry>();
  readonly #landedSums: bigint[];
  readonly #changed: ChangedValue[] = [];
  #changedCount = 0;
  #repeated = 0;
  #landed = 0;

  constructor(spec: ReconcileSpec) {
    this.#spec = spec;
    this.#scales = spec.sumFields.map((f) => f.scale ?? 6);
    this.#landedSums = spec.sumFields.map(() => 0n);
  }

  /** Keys sent so far, for reading them back in batches. */
  sentKeys(): IterableIterator<readonly string[]> {
    const entries = this.#sent.values();
    return (function* () {
      for (const e of entries) yield e.key;
    })();
  }

  /** One package row: its key cells and its sum-field cells, in the spec's order. */
  addSent(key: readonly string[], sums: readonly string[], source: SourceRef | null = null): void {
    const text = keyText(key);
    const units = sums.map((s, i) => decimalUnits(s, this.#scales[i] ?? 6));
    const earlier = this.#sent.get(text);
    if (earlier) {
      this.#repeated++;
      earlier.sums = units;
      earlier.source = source;
      return;
    }
    const limit = this.#spec.maxKeys ?? 5_000_000;
    if (this.#sent.size >= limit) throw new ReconciliationLimitError(this.#spec.entity, limit);
    this.#sent.set(text, { key: [...key], sums: units, source, landed: false });
  }

  /** One record read back from F&O. Records for keys that were not sent are ignored. */
  addLanded(key: readonly string[], sums: readonly (string | number | null | undefined)[]): void {
    const entry = this.#sent.get(keyText(key));
    if (!entry || entry.landed) return;
    entry.landed = true;
    this.#landed++;
    this.#spec.sumFields.forEach((f, i) => {
      const scale = this.#scales[i] ?? 6;
      const landed = decimalUnits(sums[i], scale);
      const sent = entry.sums[i] ?? null;
      if (landed !== null) this.#landedSums[i] = (this.#landedSums[i] ?? 0n) + landed;
      if ((sent ?? 0n) !== (landed ?? 0n)) {
        this.#changedCount++;
        if (this.#changed.length < this.#maxListed()) {
          this.#changed.push({
            key: entry.key,
            field: f.field,
            sent: sent === null ? '' : formatUnits(sent, scale),
            landed: landed === null ? '' : formatUnits(landed, scale),
            source: entry.source,
          });
        }
      }
    });
  }

  result(): ReconciliationResult {
    const missing: MissingKey[] = [];
    let missingCount = 0;
    const sentSums = this.#spec.sumFields.map(() => 0n);
    for (const entry of this.#sent.values()) {
      entry.sums.forEach((u, i) => {
        if (u !== null) sentSums[i] = (sentSums[i] ?? 0n) + u;
      });
      if (entry.landed) continue;
      missingCount++;
      if (missing.length < this.#maxListed()) missing.push({ key: entry.key, source: entry.source });
    }
    const sums = this.#spec.sumFields.map((f, i) => {
      const scale = this.#scales[i] ?? 6;
      const sent = sentSums[i] ?? 0n;
      const landed = this.#landedSums[i] ?? 0n;
      return {
        field: f.field,
        sent: formatUnits(sent, scale),
        landed: formatUnits(landed, scale),
        difference: formatUnits(landed - sent, scale),
      };
    });
    return {
      entity: this.#spec.entity,
      company: this.#spec.company,
      sent: this.#sent.size,
      repeatedKeys: this.#repeated,
      landed: this.#landed,
      missingCount,
      missing,
      changedCount: this.#changedCount,
      changed: this.#changed,
      sums,
      truncated: missingCount > missing.length || this.#changedCount > this.#changed.length,
    };
  }

  #maxListed(): number {
    return this.#spec.maxListed ?? 10_000;
  }
}
