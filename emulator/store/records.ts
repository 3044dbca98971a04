import type { CatalogEntity, CatalogIndex } from '../../shared/domain/catalog';

/**
 * Target records: what F&O's tables hold after staging → target, per entity and legal entity.
 * Values are canonical text (see processing/values.ts) in the catalog's field order. Every change
 * takes a new version from one counter: change tracking compares versions, like F&O's SQL change
 * tracking compares its change version.
 */
export interface StoredRecord {
  values: string[];
  version: number;
}

export type UpsertResult = 'created' | 'updated' | 'unchanged';

/** Company of a shared (not company-specific) entity's records. */
export const SHARED = '';

const SEP = '\u0001';

export class EntityTable {
  readonly fieldIndex: ReadonlyMap<string, number>;
  readonly keyIndex: readonly number[];
  readonly #companies = new Map<string, Map<string, StoredRecord>>();
  readonly #nextVersion: () => number;
  /** Secondary lookups for relations that do not target the key, built on first use. */
  readonly #secondary = new Map<string, Map<string, Set<string>>>();

  constructor(
    readonly entity: CatalogEntity,
    nextVersion: () => number,
  ) {
    this.fieldIndex = new Map(entity.fields.map((f, i) => [f.name, i]));
    this.keyIndex = entity.keys.map((k) => {
      const i = this.fieldIndex.get(k);
      if (i === undefined) throw new Error(`Catalog entity ${entity.targetEntity}: key ${k} is not a field.`);
      return i;
    });
    this.#nextVersion = nextVersion;
  }

  companyOf(company: string): string {
    return this.entity.companySpecific ? company.toUpperCase() : SHARED;
  }

  /** SQL Server's default collation is case-insensitive, so keys are too. */
  keyOf(values: readonly string[]): string {
    let key = '';
    for (let i = 0; i < this.keyIndex.length; i++)
      key += (i ? SEP : '') + (values[this.keyIndex[i] ?? -1] ?? '').toLowerCase();
    return key;
  }

  rows(company: string): Map<string, StoredRecord> {
    const c = this.companyOf(company);
    let rows = this.#companies.get(c);
    if (!rows) this.#companies.set(c, (rows = new Map()));
    return rows;
  }

  companies(): string[] {
    return [...this.#companies.keys()];
  }

  hasKey(company: string, keyValues: readonly string[]): boolean {
    return this.rows(company).has(keyValues.map((v) => v.toLowerCase()).join(SEP));
  }

  /** Whether some record has these values in these fields (relations to non-key fields). */
  hasValues(company: string, fields: readonly string[], values: readonly string[]): boolean {
    if (fields.length === this.keyIndex.length && fields.every((f, i) => this.entity.keys[i] === f))
      return this.hasKey(company, values);
    const name = `${this.companyOf(company)}|${fields.join(',')}`;
    let index = this.#secondary.get(name);
    if (!index) {
      index = new Map();
      const idx = fields.map((f) => this.fieldIndex.get(f) ?? -1);
      for (const [key, r] of this.rows(company)) {
        const v = idx.map((i) => (r.values[i] ?? '').toLowerCase()).join(SEP);
        const set = index.get(v) ?? new Set<string>();
        set.add(key);
        index.set(v, set);
      }
      this.#secondary.set(name, index);
    }
    return (index.get(values.map((v) => v.toLowerCase()).join(SEP))?.size ?? 0) > 0;
  }

  upsert(company: string, values: string[]): UpsertResult {
    const rows = this.rows(company);
    const key = this.keyOf(values);
    const existing = rows.get(key);
    if (existing && existing.values.length === values.length && existing.values.every((v, i) => v === values[i]))
      return 'unchanged';
    if (this.#secondary.size) this.#secondary.clear();
    rows.set(key, { values, version: this.#nextVersion() });
    return existing ? 'updated' : 'created';
  }

  clear(company: string): void {
    this.#companies.delete(this.companyOf(company));
    this.#secondary.clear();
  }
}

export interface RecordStoreSnapshot {
  readonly version: number;
  /** targetEntity → company → [version, ...values][] */
  readonly tables: Record<string, Record<string, (string | number)[][]>>;
}

export class RecordStore {
  #version = 0;
  readonly #tables = new Map<string, EntityTable>();

  constructor(readonly catalog: CatalogIndex) {}

  /** The current change version (the highest version any record has). */
  get version(): number {
    return this.#version;
  }

  table(entity: CatalogEntity): EntityTable {
    let t = this.#tables.get(entity.targetEntity);
    if (!t) {
      t = new EntityTable(entity, () => ++this.#version);
      this.#tables.set(entity.targetEntity, t);
    }
    return t;
  }

  /** The table of a target entity name, or undefined when the catalog does not know it. */
  tableByName(name: string): EntityTable | undefined {
    const entity = this.catalog.findEntity(name);
    return entity ? this.table(entity) : undefined;
  }

  snapshot(): RecordStoreSnapshot {
    const tables: RecordStoreSnapshot['tables'] = {};
    for (const [name, t] of this.#tables) {
      const byCompany: Record<string, (string | number)[][]> = {};
      for (const c of t.companies()) byCompany[c] = [...t.rows(c).values()].map((r) => [r.version, ...r.values]);
      tables[name] = byCompany;
    }
    return { version: this.#version, tables };
  }

  restore(snapshot: RecordStoreSnapshot): void {
    this.#version = snapshot.version;
    for (const [name, byCompany] of Object.entries(snapshot.tables)) {
      const t = this.tableByName(name);
      if (!t) continue;
      for (const [company, rows] of Object.entries(byCompany)) {
        const map = t.rows(company);
        for (const [version, ...values] of rows) {
          const record: StoredRecord = { values: values.map(String), version: Number(version) };
          map.set(t.keyOf(record.values), record);
        }
      }
    }
  }
}
