/**
 * Builders for catalog data modules. The built-in entities are written as short, readable
 * declarations; `defineEntity` derives staging names, puts fields in F&O's header order and
 * `assembleCatalog` checks every cross-reference once, so a typo fails the catalog test instead
 * of a consultant's import.
 */
import type {
  CatalogEntity,
  CatalogEnum,
  CatalogEnumValue,
  CatalogField,
  EntityArea,
  EntityCatalog,
  EntityRelation,
  FactSource,
  FieldType,
} from './types';

export interface FieldFlags {
  readonly mandatory?: boolean;
  readonly inferred?: boolean;
  /** Staging name when it is not the upper-cased public name (rare). */
  readonly staging?: string;
}

/** Shorthands for the flags the data modules use most. */
export const M: FieldFlags = Object.freeze({ mandatory: true });
export const INF: FieldFlags = Object.freeze({ inferred: true });
export const M_INF: FieldFlags = Object.freeze({ mandatory: true, inferred: true });

/** The staging name DMF derives from a data entity field: the name in upper case. */
export function stagingName(publicName: string): string {
  return publicName.toUpperCase();
}

function field(
  publicName: string,
  type: FieldType,
  flags: FieldFlags,
  extra: { maxLength?: number; enumType?: string; scale?: number },
): CatalogField {
  return {
    name: flags.staging ?? stagingName(publicName),
    publicName,
    type,
    mandatory: flags.mandatory ?? false,
    ...(extra.maxLength === undefined ? {} : { maxLength: extra.maxLength }),
    ...(extra.enumType === undefined ? {} : { enumType: extra.enumType }),
    ...(extra.scale === undefined ? {} : { scale: extra.scale }),
    ...(flags.inferred ? { inferred: true } : {}),
  };
}

export const text = (publicName: string, maxLength: number, flags: FieldFlags = {}) =>
  field(publicName, 'String', flags, { maxLength });
/** A memo (nvarchar(max)) string: no length limit. */
export const memo = (publicName: string, flags: FieldFlags = {}) => field(publicName, 'String', flags, {});
export const int = (publicName: string, flags: FieldFlags = {}) => field(publicName, 'Int', flags, {});
export const int64 = (publicName: string, flags: FieldFlags = {}) => field(publicName, 'Int64', flags, {});
/** A real; `scale` = decimals stored and exported when not DEFAULT_REAL_SCALE (rates, factors: 16). */
export const real = (publicName: string, flags: FieldFlags = {}, scale?: number) =>
  field(publicName, 'Real', flags, scale === undefined ? {} : { scale });
export const date = (publicName: string, flags: FieldFlags = {}) => field(publicName, 'Date', flags, {});
export const utcDateTime = (publicName: string, flags: FieldFlags = {}) => field(publicName, 'UtcDateTime', flags, {});
export const time = (publicName: string, flags: FieldFlags = {}) => field(publicName, 'Time', flags, {});
export const guid = (publicName: string, flags: FieldFlags = {}) => field(publicName, 'Guid', flags, {});
export const noYes = (publicName: string, flags: FieldFlags = {}) =>
  field(publicName, 'NoYes', flags, { enumType: 'NoYes' });
export const enumOf = (publicName: string, enumType: string, flags: FieldFlags = {}) =>
  field(publicName, 'Enum', flags, { enumType });

/** A relation before the catalog is assembled: `targetFields` defaults to the target's key. */
export interface RelationSpec {
  readonly fields: readonly string[];
  readonly target: string;
  readonly targetFields?: readonly string[];
  readonly inferred?: boolean;
}

export function ref(
  fields: string | readonly string[],
  target: string,
  options: { targetFields?: string | readonly string[]; inferred?: boolean } = {},
): RelationSpec {
  const list = (v: string | readonly string[]) => (typeof v === 'string' ? [v] : v);
  return {
    fields: list(fields),
    target,
    ...(options.targetFields === undefined ? {} : { targetFields: list(options.targetFields) }),
    ...(options.inferred ? { inferred: true } : {}),
  };
}

export interface EntitySpec {
  readonly label: string;
  readonly aliases?: readonly string[];
  readonly publicEntityName: string;
  readonly publicCollectionName: string;
  readonly targetEntity: string;
  readonly stagingTable?: string;
  readonly area: EntityArea;
  readonly companySpecific: boolean;
  readonly keys: readonly string[];
  readonly fields: readonly CatalogField[];
  readonly relations?: readonly RelationSpec[];
  readonly fieldCoverage: 'complete' | 'partial';
  readonly sources: readonly FactSource[];
}

/** F&O's header order: key fields in key order, then every other field by ordinal name. */
export function headerOrder<T extends { readonly name: string }>(fields: readonly T[], keys: readonly string[]): T[] {
  const keyRank = new Map(keys.map((k, i) => [k, i]));
  return [...fields].sort((a, b) => {
    const ka = keyRank.get(a.name);
    const kb = keyRank.get(b.name);
    if (ka !== undefined || kb !== undefined) return (ka ?? Infinity) - (kb ?? Infinity);
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
}

/** An entity spec with its fields in header order and key fields mandatory. */
export function defineEntity(spec: EntitySpec): EntitySpec {
  const keySet = new Set(spec.keys);
  const fields = headerOrder(
    spec.fields.map((f) => (keySet.has(f.name) && !f.mandatory ? { ...f, mandatory: true } : f)),
    spec.keys,
  );
  return { ...spec, fields };
}

export function defineEnum(
  name: string,
  values: ReadonlyArray<readonly [name: string, value: number, label?: string]>,
  sources: readonly FactSource[],
): CatalogEnum {
  const list: CatalogEnumValue[] = values.map(([n, v, l]) => ({ name: n, value: v, label: l ?? n }));
  return { name, values: list, sources };
}

/** Thrown when catalog data contradicts itself; a programming error in a data module. */
export class CatalogDefinitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CatalogDefinitionError';
  }
}

/**
 * Joins entity specs and enums into a catalog, resolving relation targets to their keys and
 * checking every name: duplicate labels or target entities, keys and relation fields that are
 * not fields, relations to unknown entities, enum types that are not defined.
 */
export function assembleCatalog(
  origin: string,
  specs: readonly EntitySpec[],
  enums: readonly CatalogEnum[],
): EntityCatalog {
  const problems: string[] = [];
  const byTarget = new Map<string, EntitySpec>();
  const labels = new Set<string>();
  for (const spec of specs) {
    if (byTarget.has(spec.targetEntity)) problems.push(`${spec.targetEntity} is defined twice`);
    byTarget.set(spec.targetEntity, spec);
    for (const name of [spec.label, ...(spec.aliases ?? [])]) {
      const label = name.toLowerCase();
      if (labels.has(label)) problems.push(`the label "${name}" is used twice`);
      labels.add(label);
    }
  }
  const enumNames = new Set(enums.map((e) => e.name));
  const entities: CatalogEntity[] = specs.map((spec) => {
    const names = new Set<string>();
    for (const f of spec.fields) {
      if (names.has(f.name)) problems.push(`${spec.targetEntity}.${f.name} is defined twice`);
      names.add(f.name);
      if (f.enumType !== undefined && !enumNames.has(f.enumType)) {
        problems.push(`${spec.targetEntity}.${f.name} uses the undefined enum ${f.enumType}`);
      }
    }
    for (const k of spec.keys) if (!names.has(k)) problems.push(`${spec.targetEntity} key ${k} is not a field`);
    if (spec.keys.length === 0) problems.push(`${spec.targetEntity} has no key`);
    const relations: EntityRelation[] = (spec.relations ?? []).map((r) => {
      const target = byTarget.get(r.target);
      for (const f of r.fields)
        if (!names.has(f)) problems.push(`${spec.targetEntity} relation field ${f} is not a field`);
      if (!target) {
        problems.push(`${spec.targetEntity} references the unknown entity ${r.target}`);
        return { fields: r.fields, target: r.target, targetFields: r.targetFields ?? [] };
      }
      const targetFields = r.targetFields ?? target.keys;
      const targetNames = new Set(target.fields.map((f) => f.name));
      for (const f of targetFields) {
        if (!targetNames.has(f)) problems.push(`${spec.targetEntity} → ${r.target}.${f} is not a field`);
      }
      if (targetFields.length !== r.fields.length) {
        problems.push(`${spec.targetEntity} → ${r.target}: ${r.fields.length} field(s) against ${targetFields.length}`);
      }
      return { fields: r.fields, target: r.target, targetFields, ...(r.inferred ? { inferred: true } : {}) };
    });
    return {
      label: spec.label,
      ...(spec.aliases === undefined || spec.aliases.length === 0 ? {} : { aliases: spec.aliases }),
      publicEntityName: spec.publicEntityName,
      publicCollectionName: spec.publicCollectionName,
      targetEntity: spec.targetEntity,
      ...(spec.stagingTable === undefined ? {} : { stagingTable: spec.stagingTable }),
      area: spec.area,
      companySpecific: spec.companySpecific,
      fields: spec.fields,
      keys: spec.keys,
      relations,
      fieldCoverage: spec.fieldCoverage,
      sources: spec.sources,
    };
  });
  if (problems.length > 0) {
    throw new CatalogDefinitionError(`The ${origin} entity catalog is inconsistent:\n- ${problems.join('\n- ')}`);
  }
  return { origin, entities, enums };
}
