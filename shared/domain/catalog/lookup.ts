/**
 * Finding entities, fields and enum values in a catalog. Consultants type labels ("customers v3"),
 * manifests carry labels and target entities, OData speaks collection names: all of them resolve.
 */
import type { CatalogEntity, CatalogEnum, CatalogEnumValue, CatalogField, EntityCatalog, Provenance } from './types';

export interface CatalogIndex {
  readonly catalog: EntityCatalog;
  /** By label, alias, target (AOT) entity, public entity or collection name; case-insensitive. */
  findEntity(name: string): CatalogEntity | undefined;
  /** Like findEntity, but throws an UnknownEntityError that suggests close names. */
  requireEntity(name: string): CatalogEntity;
  findEnum(name: string): CatalogEnum | undefined;
  /** A field of an entity by staging name (case-insensitive). */
  findField(entity: CatalogEntity, name: string): CatalogField | undefined;
  /** Entities whose relations point at `targetEntity` (for "what depends on this"). */
  referencing(targetEntity: string): readonly CatalogEntity[];
  /** Where a fact of `entity` (a field, relation or enum; or the entity itself) comes from. */
  provenanceOf(entity: CatalogEntity | null, fact?: { readonly provenance?: Provenance }): Provenance;
}

/** A catalog that does not say where it comes from is taken as unverified, never as F&O's word. */
const UNVERIFIED = (origin: string): Provenance => ({ layer: 'built-in', label: `${origin} catalog, unverified` });

export class UnknownEntityError extends Error {
  constructor(
    readonly query: string,
    readonly suggestions: readonly string[],
    origin: string,
  ) {
    super(
      `"${query}" is not an entity of the ${origin} catalog.` +
        (suggestions.length > 0
          ? ` Did you mean ${suggestions.map((s) => `"${s}"`).join(', ')}?`
          : ' Run `dmfw catalog` to list the entity labels.'),
    );
    this.name = 'UnknownEntityError';
  }
}

const norm = (s: string) => s.trim().toLowerCase();

export function indexCatalog(catalog: EntityCatalog): CatalogIndex {
  const byName = new Map<string, CatalogEntity>();
  // Labels win over aliases, and aliases over other names, when two entities collide on one spelling.
  for (const pass of ['other', 'alias', 'label'] as const) {
    for (const e of catalog.entities) {
      const names =
        pass === 'label'
          ? [e.label]
          : pass === 'alias'
            ? (e.aliases ?? [])
            : [e.targetEntity, e.publicEntityName, e.publicCollectionName];
      for (const n of names) byName.set(norm(n), e);
    }
  }
  const enums = new Map(catalog.enums.map((e) => [norm(e.name), e]));
  const fieldMaps = new WeakMap<CatalogEntity, Map<string, CatalogField>>();
  const referencingMap = new Map<string, CatalogEntity[]>();
  for (const e of catalog.entities) {
    for (const r of e.relations) {
      const list = referencingMap.get(r.target) ?? [];
      if (!list.includes(e)) list.push(e);
      referencingMap.set(r.target, list);
    }
  }
  const index: CatalogIndex = {
    catalog,
    findEntity: (name) => byName.get(norm(name)),
    requireEntity(name) {
      const found = index.findEntity(name);
      if (found) return found;
      throw new UnknownEntityError(name, suggestEntityLabels(catalog, name), catalog.origin);
    },
    findEnum: (name) => enums.get(norm(name)),
    findField(entity, name) {
      let map = fieldMaps.get(entity);
      if (!map) {
        map = new Map(entity.fields.map((f) => [f.name.toLowerCase(), f]));
        fieldMaps.set(entity, map);
      }
      return map.get(norm(name));
    },
    referencing: (targetEntity) => referencingMap.get(targetEntity) ?? [],
    provenanceOf: (entity, fact) =>
      fact?.provenance ?? entity?.provenance ?? catalog.provenance ?? UNVERIFIED(catalog.origin),
  };
  return index;
}

/** Up to `limit` labels close to `query`: substring matches first, then by edit distance. */
export function suggestEntityLabels(catalog: EntityCatalog, query: string, limit = 3): string[] {
  const q = norm(query);
  if (q === '') return [];
  const scored = catalog.entities.map((e) => {
    const names = [e.label, ...(e.aliases ?? []), e.targetEntity, e.publicCollectionName].map(norm);
    const contains = names.some((n) => n.includes(q) || q.includes(n));
    const distance = Math.min(...names.map((n) => editDistance(q, n)));
    return { label: e.label, score: contains ? -1 : distance };
  });
  const threshold = Math.max(2, Math.floor(q.length / 3));
  return scored
    .filter((s) => s.score <= threshold)
    .sort((a, b) => a.score - b.score || a.label.localeCompare(b.label))
    .slice(0, limit)
    .map((s) => s.label);
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 8) return Math.abs(a.length - b.length);
  let prev = Int32Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = new Int32Array(b.length + 1);
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const substitution = (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, substitution);
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/**
 * The enum value a cell means, by symbol name or label, case-insensitive and trimmed, as DMF
 * accepts either (the "Use enum label" mapping option decides which one an export writes).
 */
export function matchEnumValue(enumDef: CatalogEnum, cell: string): CatalogEnumValue | undefined {
  const c = norm(cell);
  return enumDef.values.find((v) => v.name.toLowerCase() === c || v.label.toLowerCase() === c);
}
