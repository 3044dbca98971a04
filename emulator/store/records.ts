import type { CatalogEntity, CatalogIndex } from '../../shared/domain/catalog';
import { TextColumns, detached, grown } from './columns';

/**
 * Target records: what F&O's tables hold after staging → target, per entity and legal entity.
 * Values are canonical text (see processing/values.ts) in the catalog's field order, stored column
 * by column (store/columns.ts). Every change takes a new version from one counter: change tracking
 * compares versions, like F&O's SQL change tracking compares its change version.
 */
export interface StoredRecord {
  readonly values: string[];
  readonly version: number;
}

export type UpsertResult = 'created' | 'updated' | 'unchanged';

/** Company of a shared (not company-specific) entity's records. */
export const SHARED = '';

const SEP = '\u0001';

/** One legal entity's records of one entity. */
class CompanyRows {
  readonly columns: TextColumns;
  versions = new Float64Array(64);
  /** Key (see keyOf) → row. */
  readonly rowOf = new Map<string, number>();
  /** Rows deleted (OData DELETE): the column store only appends, so they are skipped. */
  readonly deleted = new Set<number>();

  constructor(width: number) {
    this.columns = new TextColumns(width);
  }
}

export class EntityTable {
  readonly fieldIndex: ReadonlyMap<string, number>;
  readonly keyIndex: readonly number[];
  readonly #companies = new Map<string, CompanyRows>();
  readonly #nextVersion: () => number;
  /** Secondary lookups for relations that do not target the key, built on first use. */
  readonly #secondary = new Map<string, Set<string>>();

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

  #rows(company: string): CompanyRows | undefined {
    return this.#companies.get(this.companyOf(company));
  }

  /** Legal entities that have records of this entity ('' for a shared entity). */
  companies(): string[] {
    return [...this.#companies]
      .filter(([, rows]) => rows.columns.length > rows.deleted.size)
      .map(([company]) => company);
  }

  size(company: string): number {
    const rows = this.#rows(company);
    return rows ? rows.columns.length - rows.deleted.size : 0;
  }

  /** The records of a legal entity, oldest first (each a fresh copy). */
  *records(company: string): IterableIterator<StoredRecord> {
    const rows = this.#rows(company);
    if (!rows) return;
    const count = rows.columns.length;
    for (let row = 0; row < count; row++)
      if (!rows.deleted.has(row)) yield { values: rows.columns.read(row), version: rows.versions[row] ?? 0 };
  }

  /** The record with this key (key fields in key order), if any. */
  find(company: string, keyValues: readonly string[]): StoredRecord | undefined {
    const rows = this.#rows(company);
    const row = rows?.rowOf.get(keyValues.map((v) => v.toLowerCase()).join(SEP));
    return rows && row !== undefined ? { values: rows.columns.read(row), version: rows.versions[row] ?? 0 } : undefined;
  }

  hasKey(company: string, keyValues: readonly string[]): boolean {
    return this.#rows(company)?.rowOf.has(keyValues.map((v) => v.toLowerCase()).join(SEP)) ?? false;
  }

  /** Whether some record has these values in these fields (relations to non-key fields). */
  hasValues(company: string, fields: readonly string[], values: readonly string[]): boolean {
    if (fields.length === this.keyIndex.length && fields.every((f, i) => this.entity.keys[i] === f))
      return this.hasKey(company, values);
    const name = `${this.companyOf(company)}|${fields.join(',')}`;
    let index = this.#secondary.get(name);
    if (!index) {
      index = new Set();
      const idx = fields.map((f) => this.fieldIndex.get(f) ?? -1);
      const rows = this.#rows(company);
      for (let row = 0; rows && row < rows.columns.length; row++)
        if (!rows.deleted.has(row)) index.add(idx.map((i) => rows.columns.value(row, i).toLowerCase()).join(SEP));
      this.#secondary.set(name, index);
    }
    return index.has(values.map((v) => v.toLowerCase()).join(SEP));
  }

  /**
   * Inserts or replaces the record with the key of `values` (full width). `fields` optionally
   * lists the only fields that can be non-empty, which makes inserting cheaper.
   */
  upsert(company: string, values: readonly string[], fields?: readonly number[]): UpsertResult {
    return this.#put(company, values, fields, null);
  }

  /** Puts a saved record back as it was, with its own version. */
  restore(company: string, values: readonly string[], version: number): void {
    this.#put(company, values, undefined, version);
  }

  #put(
    company: string,
    values: readonly string[],
    fields: readonly number[] | undefined,
    version: number | null,
  ): UpsertResult {
    const c = this.companyOf(company);
    let rows = this.#companies.get(c);
    if (!rows) this.#companies.set(c, (rows = new CompanyRows(this.entity.fields.length)));
    // An entity without a known key (learnt from a package) only ever inserts.
    const keyless = this.keyIndex.length === 0;
    const key = keyless ? '' : this.keyOf(values);
    const existing = keyless ? undefined : rows.rowOf.get(key);
    if (existing !== undefined && rows.columns.same(existing, values)) return 'unchanged';
    if (this.#secondary.size) this.#secondary.clear();
    let row = existing;
    if (row === undefined) {
      row = rows.columns.push(values, fields);
      if (!keyless) rows.rowOf.set(detached(key), row);
    } else {
      rows.columns.write(row, values, fields);
    }
    rows.versions = grown(rows.versions, row + 1);
    rows.versions[row] = version ?? this.#nextVersion();
    return existing === undefined ? 'created' : 'updated';
  }

  /** Deletes the record with this key; false when there is none. */
  delete(company: string, keyValues: readonly string[]): boolean {
    const rows = this.#rows(company);
    const key = keyValues.map((v) => v.toLowerCase()).join(SEP);
    const row = rows?.rowOf.get(key);
    if (!rows || row === undefined) return false;
    rows.rowOf.delete(key);
    rows.deleted.add(row);
    this.#secondary.clear();
    this.#nextVersion();
    return true;
  }

  clear(company: string): void {
    this.#companies.delete(this.companyOf(company));
    this.#secondary.clear();
  }
}

export interface RecordStoreSnapshot {
  readonly version: number;
  /** targetEntity → company → [version, ...values][] (trailing empty values left out) */
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
      for (const c of t.companies()) {
        byCompany[c] = [...t.records(c)].map((r) => {
          let end = r.values.length;
          while (end > 0 && r.values[end - 1] === '') end--;
          return [r.version, ...r.values.slice(0, end)];
        });
      }
      tables[name] = byCompany;
    }
    return { version: this.#version, tables };
  }

  restore(snapshot: RecordStoreSnapshot): void {
    for (const [name, byCompany] of Object.entries(snapshot.tables)) {
      const t = this.tableByName(name);
      if (!t) continue;
      for (const [company, rows] of Object.entries(byCompany))
        for (const [version, ...values] of rows) t.restore(company, values.map(String), Number(version));
    }
    this.#version = snapshot.version;
  }
}
