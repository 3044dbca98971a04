/**
 * The layered catalog: entity knowledge from F&O wherever it can come from, strongest first.
 *
 *   1. an environment's metadata snapshot ($metadata, DataEntities, PublicEnumerations): F&O's
 *      own word on fields, types, lengths, keys, enums and navigation properties;
 *   2. what F&O's own packages taught (learnt.ts): labels exactly as F&O writes them, the staging
 *      fields of its maps, columns it exports but does not import, and the shapes of its values;
 *   3. the built-in catalog: the workbench's own, unverified.
 *
 * Every entity, field, relation and enum keeps the provenance of the layer it came from, so that
 * validation can grade each finding by its rule's source (validation/grading.ts). What F&O's own
 * data contradicts in a weaker layer is taken back here, with a note: a type its export does not
 * fit, a length it exceeds, a key or mandatory field its map does not have, an enum value it
 * writes that the enum lacks. A learnt entity gets no type: only fields and labels.
 */
import { checkerFor } from '../validation/cells';
import { headerOrder } from './define';
import { indexCatalog } from './lookup';
import type { CatalogIndex } from './lookup';
import { learntProvenance, mergeLearntFields } from './learnt';
import type { LearntEntity, LearntField, LearntKnowledge } from './learnt';
import { BUILT_IN_PROVENANCE } from './types';
import type {
  CatalogEntity,
  CatalogEnum,
  CatalogEnumValue,
  CatalogField,
  EntityCatalog,
  EntityRelation,
  Provenance,
} from './types';

export interface CatalogLayers {
  /** An environment's metadata, built without a fallback (buildCatalogFromMetadata). */
  readonly metadata?: EntityCatalog;
  readonly learnt?: LearntKnowledge;
  readonly builtIn?: EntityCatalog;
}

export interface LayeredCatalog {
  readonly catalog: EntityCatalog;
  /** The layers in force, strongest first, as findings name them. */
  readonly layers: readonly Provenance[];
  /** What F&O's packages contradicted or added, one sentence each. */
  readonly notes: readonly string[];
}

/** The area of entities known only from F&O's packages. */
export const LEARNT_AREA = 'Learnt from packages';

const lower = (s: string) => s.toLowerCase();

export function layerCatalog(layers: CatalogLayers): LayeredCatalog {
  const notes: string[] = [];
  const used: Provenance[] = [];
  const metadata = layers.metadata;
  const builtIn = layers.builtIn;
  const metadataProvenance = metadata ? (metadata.provenance ?? { layer: 'metadata', label: metadata.origin }) : null;
  const builtInProvenance = builtIn?.provenance ?? BUILT_IN_PROVENANCE;
  if (metadataProvenance) used.push(metadataProvenance);

  // 1 + 3: metadata entities, with the built-in catalog's labels, aliases and relations where it
  // knows the entity too; built-in entities the environment lacks stay, marked as built-in.
  const entities = new Map<string, CatalogEntity>();
  const enums = new Map<string, CatalogEnum>();
  for (const e of metadata?.enums ?? []) enums.set(e.name, e);
  for (const e of builtIn?.enums ?? [])
    if (!enums.has(e.name)) enums.set(e.name, metadata ? { ...e, provenance: builtInProvenance } : e);
  for (const e of metadata?.entities ?? []) entities.set(lower(e.targetEntity), e);
  // The environment's metadata says which entities exist: a built-in entity it lacks is left out.
  let missing = 0;
  for (const b of builtIn?.entities ?? []) {
    const key = lower(b.targetEntity);
    const m = entities.get(key);
    if (m) entities.set(key, withBuiltIn(m, b, builtInProvenance));
    else if (metadata) missing++;
    else entities.set(key, b);
  }
  if (metadata && missing > 0) {
    notes.push(
      `${missing} built-in ${missing === 1 ? 'entity is' : 'entities are'} not in the ${metadataProvenance?.label ?? 'metadata'} (or not enabled for data management there); left out.`,
    );
  }
  if (builtIn) used.push(builtInProvenance);

  // 2: what F&O's packages taught, newest first.
  const learnt = mergeLearnt(layers.learnt);
  if (learnt.length > 0) {
    const byName = indexCatalog({ origin: 'layers', entities: [...entities.values()], enums: [] });
    const taught = new Set<string>();
    for (const { entity: l, provenance } of learnt) {
      const base = (l.targetEntity ? byName.findEntity(l.targetEntity) : undefined) ?? byName.findEntity(l.label);
      const key = lower(base?.targetEntity ?? l.targetEntity ?? l.label);
      const current = entities.get(key) ?? base;
      entities.set(
        key,
        current
          ? teach(current, current.provenance ?? metadataProvenance ?? builtInProvenance, l, provenance, enums, notes)
          : learntEntity(l, provenance, notes),
      );
      if (!taught.has(provenance.label)) {
        taught.add(provenance.label);
        used.splice(metadataProvenance ? 1 : 0, 0, provenance);
      }
    }
  }

  const catalog: EntityCatalog = {
    origin: metadata?.origin ?? builtIn?.origin ?? 'learnt',
    entities: [...entities.values()],
    enums: [...enums.values()],
    // Entities keep their own provenance where it differs from this default.
    provenance: metadataProvenance ?? builtInProvenance,
  };
  return { catalog, layers: used, notes };
}

/** The layered catalog, indexed. */
export function indexLayers(layers: CatalogLayers): CatalogIndex & { readonly layered: LayeredCatalog } {
  const layered = layerCatalog(layers);
  return Object.assign(indexCatalog(layered.catalog), { layered });
}

/** The knowledge an index holds, strongest first. */
export function knowledgeOf(index: CatalogIndex): readonly Provenance[] {
  const layered = (index as Partial<{ layered: LayeredCatalog }>).layered;
  return layered ? layered.layers : [index.provenanceOf(null)];
}

/** A metadata entity with what only the built-in catalog knows: other labels, extra fields, relations. */
function withBuiltIn(m: CatalogEntity, b: CatalogEntity, provenance: Provenance): CatalogEntity {
  // Without /Metadata/Labels an entity's label is its AOT name: the built-in label reads better.
  const label = lower(m.label) === lower(m.targetEntity) ? b.label : m.label;
  const aliases = unique(
    [...(m.aliases ?? []), b.label, ...(b.aliases ?? [])].filter((a) => lower(a) !== lower(label)),
  );
  const known = new Set(m.fields.map((f) => f.name));
  // Staging fields F&O's OData does not expose keep the built-in catalog's word, unverified.
  const extra = b.fields.filter((f) => !known.has(f.name)).map((f) => ({ ...f, provenance }));
  const covered = new Set(m.relations.map((r) => r.fields.join('|')));
  const relations = [
    ...m.relations,
    ...b.relations.filter((r) => !covered.has(r.fields.join('|'))).map((r) => ({ ...r, provenance })),
  ];
  return {
    ...m,
    label,
    ...(aliases.length > 0 ? { aliases } : {}),
    ...(m.stagingTable === undefined && b.stagingTable !== undefined ? { stagingTable: b.stagingTable } : {}),
    // The built-in areas (General ledger, …) group better than F&O's EntityCategory (Master, …).
    area: b.area,
    fields: extra.length > 0 ? headerOrder([...m.fields, ...extra], m.keys) : m.fields,
    relations,
  };
}

interface Taught {
  readonly entity: LearntEntity;
  readonly provenance: Provenance;
}

/** One record per entity over every package, newest first, fields merged. */
function mergeLearnt(knowledge: LearntKnowledge | undefined): Taught[] {
  const merged = new Map<string, Taught>();
  for (const pkg of knowledge?.packages ?? []) {
    const provenance = learntProvenance(pkg);
    for (const e of pkg.entities) {
      const key = lower(e.targetEntity ?? e.label);
      const newer = merged.get(key);
      if (!newer) {
        merged.set(key, { entity: e, provenance });
        continue;
      }
      const fields = new Map(newer.entity.fields.map((f) => [f.name, f]));
      for (const f of e.fields) {
        const mine = fields.get(f.name);
        fields.set(f.name, mine ? mergeLearntFields(mine, f) : f);
      }
      merged.set(key, {
        entity: {
          ...newer.entity,
          targetEntity: newer.entity.targetEntity ?? e.targetEntity,
          fields: [...fields.values()],
        },
        provenance: newer.provenance,
      });
    }
  }
  return [...merged.values()];
}

const isDataAreaId = (name: string) => name === 'DATAAREAID';

/** An entity no other layer knows: its fields and label, no types, no key. */
function learntEntity(l: LearntEntity, provenance: Provenance, notes: string[]): CatalogEntity {
  const mapped = l.fields.filter((f) => f.mapped && !isDataAreaId(f.name));
  const name = l.targetEntity ?? l.label.replace(/[^\p{L}\p{N}_]/gu, '');
  notes.push(
    `${l.label}: known only from ${provenance.label.replace(/^learnt from /, '')}, by its ${mapped.length} fields; no type, length or key is checked.`,
  );
  return {
    label: l.label,
    publicEntityName: name,
    publicCollectionName: name,
    targetEntity: name,
    area: LEARNT_AREA,
    companySpecific: l.fields.some((f) => isDataAreaId(f.name)),
    fields: mapped.map((f) => untypedField(f, provenance)),
    keys: [],
    relations: [],
    fieldCoverage: 'partial',
    sources: [{ kind: 'real-export', ref: provenance.label, covers: 'label, target entity, staging field names' }],
    ...exportedOnlyOf(l),
    provenance,
  };
}

function untypedField(f: LearntField, provenance: Provenance): CatalogField {
  return { name: f.name, publicName: f.name, type: 'String', mandatory: false, provenance };
}

function exportedOnlyOf(l: LearntEntity): { exportedOnly?: readonly string[] } {
  const outside = l.fields.filter((f) => !f.mapped && !isDataAreaId(f.name)).map((f) => f.name);
  return outside.length > 0 ? { exportedOnly: outside } : {};
}

/** A known entity, corrected and widened by what F&O's package showed. */
function teach(
  e: CatalogEntity,
  /** Where `e` itself comes from. */
  from: Provenance,
  l: LearntEntity,
  provenance: Provenance,
  enums: Map<string, CatalogEnum>,
  notes: string[],
): CatalogEntity {
  const where = provenance.label.replace(/^learnt from /, '');
  const observed = new Map(l.fields.map((f) => [f.name, f]));
  const mappedNames = new Set(l.fields.filter((f) => f.mapped).map((f) => f.name));
  const hasMap = mappedNames.size > 0;
  let keys = e.keys;
  const missingKeys = keys.filter((k) => !mappedNames.has(k));
  if (hasMap && missingKeys.length > 0) {
    notes.push(
      `${l.label}: the key ${missingKeys.join(', ')} is not in F&O's own map in ${where}; keys are not checked for it.`,
    );
    keys = [];
  }

  const changed = new Set<string>();

  const fields: CatalogField[] = e.fields.map((f) => {
    let field = f;
    const o = observed.get(f.name);
    if (hasMap && f.mandatory && !mappedNames.has(f.name) && !keys.includes(f.name)) {
      notes.push(`${l.label}.${f.name}: not in F&O's own map in ${where}, so not mandatory.`);
      field = { ...field, mandatory: false, provenance };
    }
    if (o) field = contradicted(field, o, keys, l, provenance, enums, notes, where);
    if (field !== f && field.type !== f.type) changed.add(f.name);
    return field;
  });
  const known = new Set(e.fields.map((f) => f.name));
  const added = l.fields.filter((f) => f.mapped && !known.has(f.name) && !isDataAreaId(f.name));
  for (const f of added) fields.push(untypedField(f, provenance));
  if (added.length > 0) {
    notes.push(
      `${l.label}: ${added.map((f) => f.name).join(', ')} ${added.length === 1 ? 'is' : 'are'} in F&O's own map in ${where} but not in the ${from.label} catalog; known by name only.`,
    );
  }

  const relations: EntityRelation[] = e.relations.filter((r) => {
    const broken = r.fields.find((f) => changed.has(f) || onlyYesNo(observed.get(f)));
    if (broken)
      notes.push(`${l.label}.${broken}: F&O's export in ${where} holds no reference there; it is not checked.`);
    return !broken;
  });

  const label = l.label;
  const aliases = unique([...(e.aliases ?? []), e.label].filter((a) => lower(a) !== lower(label)));
  const outside = exportedOnlyOf(l).exportedOnly ?? [];
  const exportedOnly = unique([...(e.exportedOnly ?? []), ...outside]);
  return {
    ...e,
    label,
    ...(aliases.length > 0 ? { aliases } : {}),
    fields: headerOrder(fields, keys),
    keys,
    relations,
    // A built-in list that misses fields F&O maps was not complete; a metadata list stays whole.
    fieldCoverage: added.length > 0 && from.layer !== 'metadata' ? 'partial' : e.fieldCoverage,
    ...(exportedOnly.length > 0 ? { exportedOnly } : {}),
    ...(l.targetEntity === null || e.targetEntity ? {} : { targetEntity: l.targetEntity }),
  };
}

function onlyYesNo(o: LearntField | undefined): boolean {
  if (!o) return false;
  const yesNo = o.shapes.noYes ?? 0;
  const others = (o.shapes.integer ?? 0) + (o.shapes.real ?? 0) + (o.shapes.dateTime ?? 0) + (o.shapes.text ?? 0);
  return yesNo > 0 && others === 0;
}

/** The field with each rule F&O's own values break taken back (or, for an enum, the enum widened). */
function contradicted(
  f: CatalogField,
  o: LearntField,
  keys: readonly string[],
  l: LearntEntity,
  provenance: Provenance,
  enums: Map<string, CatalogEnum>,
  notes: string[],
  where: string,
): CatalogField {
  let field = f;
  const name = `${l.label}.${f.name}`;
  if (field.mandatory && (o.shapes.empty ?? 0) > 0 && !keys.includes(f.name)) {
    notes.push(`${name}: F&O's export in ${where} leaves it empty, so it is not mandatory.`);
    field = { ...field, mandatory: false, provenance };
  }
  if (field.type === 'String' && field.maxLength !== undefined && o.maxLength > field.maxLength) {
    notes.push(
      `${name}: F&O's export in ${where} has values of ${o.maxLength} characters; the limit of ${field.maxLength} is not checked.`,
    );
    const { maxLength: _dropped, ...rest } = field;
    field = { ...rest, provenance };
  }
  if (field.type === 'Enum' && field.enumType !== undefined) {
    const enumDef = enums.get(field.enumType);
    if (enumDef) {
      const check = checkerFor(field, enumDef, {});
      const unknown = o.samples.filter((s) => check(s)?.severity === 'error');
      if (unknown.length > 0) {
        notes.push(
          `${enumDef.name}: F&O's export in ${where} writes ${unknown.map((u) => `"${u}"`).join(', ')} (${name}); taken as values.`,
        );
        const values: CatalogEnumValue[] = [
          ...enumDef.values,
          ...unknown.map((u) => ({ name: u, value: -1, label: u })),
        ];
        enums.set(enumDef.name, { ...enumDef, values, provenance });
      }
    }
    return field;
  }
  const enumDef = field.enumType === undefined ? undefined : enums.get(field.enumType);
  const check = checkerFor(field, enumDef, {});
  const failing = o.samples.find((s) => check(s)?.severity === 'error');
  if (failing === undefined) return field;
  const reals = (o.shapes.integer ?? 0) + (o.shapes.real ?? 0);
  const nonEmpty = reals + (o.shapes.noYes ?? 0) + (o.shapes.dateTime ?? 0) + (o.shapes.text ?? 0);
  const widened = (field.type === 'Int' || field.type === 'Int64') && reals === nonEmpty ? 'Real' : 'String';
  notes.push(
    `${name}: F&O's export in ${where} writes "${failing}", which is not ${describeType(field)}; it is read as ${widened === 'Real' ? 'a decimal number' : 'text'}.`,
  );
  const { enumType: _enum, maxLength: _length, scale: _scale, ...rest } = field;
  return { ...rest, type: widened, provenance };
}

function describeType(f: CatalogField): string {
  switch (f.type) {
    case 'Int':
    case 'Int64':
      return 'a whole number';
    case 'Real':
      return 'a decimal number';
    case 'NoYes':
      return 'Yes or No';
    case 'Date':
    case 'UtcDateTime':
      return 'a date';
    case 'Time':
      return 'a time of day';
    case 'Guid':
      return 'a GUID';
    default:
      return `a ${f.type}`;
  }
}

function unique(values: readonly string[]): string[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const k = lower(v);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
