/**
 * Builds the catalog model from a live environment's metadata: the OData $metadata (parsed into
 * an EdmxModel), /Metadata/DataEntities (which entities DMF can use, their AOT names and label
 * ids) and /Metadata/PublicEnumerations (enum values), plus optional label texts.
 *
 * Shapes [CLIENT: mafzaal/d365fo-client metadata_api.py]:
 *   DataEntities: { value: [{ Name, PublicEntityName, PublicCollectionName, LabelId,
 *                             DataServiceEnabled, DataManagementEnabled, EntityCategory, IsReadOnly }] }
 *   PublicEnumerations: { value: [{ Name, LabelId, Members: [{ Name, Value, LabelId, ConfigurationEnabled }] }] }
 *   Labels (/Metadata/Labels): { value: [{ Id, Language, Value }] }
 */
import { z } from '../../../api/zod';
import { headerOrder } from '../define';
import { indexCatalog } from '../lookup';
import type {
  CatalogEntity,
  CatalogEnum,
  CatalogField,
  EntityCatalog,
  EntityRelation,
  FactSource,
  FieldType,
  Provenance,
} from '../types';
import { DATA_ENTITIES_NAMESPACE, FNO_ANNOTATION_PREFIX } from './edmx';
import type { EdmxEntityType, EdmxModel, EdmxProperty } from './edmx';

const dataEntitySchema = z.object({
  Name: z.string().min(1).max(256),
  PublicEntityName: z.string().max(256).nullish(),
  PublicCollectionName: z.string().max(256).nullish(),
  LabelId: z.string().max(512).nullish(),
  DataServiceEnabled: z.boolean().nullish(),
  DataManagementEnabled: z.boolean().nullish(),
  EntityCategory: z.string().max(128).nullish(),
  IsReadOnly: z.boolean().nullish(),
});
const enumerationSchema = z.object({
  Name: z.string().min(1).max(256),
  LabelId: z.string().max(512).nullish(),
  Members: z
    .array(
      z.object({
        Name: z.string().min(1).max(256),
        Value: z.number().int(),
        LabelId: z.string().max(512).nullish(),
        ConfigurationEnabled: z.boolean().nullish(),
      }),
    )
    .max(10_000),
});
const labelSchema = z.object({
  Id: z.string().max(512),
  Language: z.string().max(32).nullish(),
  Value: z.string().max(4000),
});

/** Each document is `{ value: [...] }`; a bare array is accepted too. */
function collection<T extends z.ZodType>(item: T, max: number) {
  return z
    .preprocess((v) => (Array.isArray(v) ? { value: v } : v), z.object({ value: z.array(item).max(max) }))
    .transform((d) => d.value);
}
const dataEntitiesDocument = collection(dataEntitySchema, 100_000);
const enumerationsDocument = collection(enumerationSchema, 100_000);
const labelsDocument = collection(labelSchema, 1_000_000);

export interface MetadataDocuments {
  /** Where the documents came from (environment URL or folder): the catalog's origin. */
  readonly origin: string;
  readonly edmx: EdmxModel;
  /** Parsed JSON of /Metadata/DataEntities. */
  readonly dataEntities: unknown;
  /** Parsed JSON of /Metadata/PublicEnumerations. */
  readonly publicEnumerations: unknown;
  /** Parsed JSON of /Metadata/Labels (label id → text); without it, labels come from the built-in catalog. */
  readonly labels?: unknown;
  /** Catalog whose labels and areas fill in what the metadata lacks (usually the built-in one). */
  readonly fallback?: EntityCatalog;
  /** How findings name these documents: "USMF-UAT metadata of 2026-12-01" (default: "<origin> metadata"). */
  readonly provenance?: Provenance;
}

export class MetadataDocumentError extends Error {
  constructor(
    readonly document: string,
    message: string,
  ) {
    super(`${document}: ${message}`);
    this.name = 'MetadataDocumentError';
  }
}

export interface MetadataCatalogResult {
  readonly catalog: EntityCatalog;
  /** Things skipped or guessed, one sentence each (unknown property types, dangling relations). */
  readonly notes: readonly string[];
}

function parseDocument<T>(schema: z.ZodType<T>, value: unknown, document: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  throw new MetadataDocumentError(
    document,
    `is not shaped like F&O's document${where} (${issue?.message ?? 'invalid'}): download it again from the environment.`,
  );
}

/** Edm primitive → staging field type. Enum types are handled by name. */
const PRIMITIVES: Readonly<Record<string, FieldType>> = {
  'Edm.String': 'String',
  'Edm.Int32': 'Int',
  'Edm.Int16': 'Int',
  'Edm.Byte': 'Int',
  'Edm.Int64': 'Int64',
  'Edm.Decimal': 'Real',
  'Edm.Double': 'Real',
  'Edm.Single': 'Real',
  'Edm.Date': 'Date',
  'Edm.DateTimeOffset': 'UtcDateTime',
  'Edm.TimeOfDay': 'Time',
  'Edm.Guid': 'Guid',
  // [INFER] F&O exposes NoYes as an enum; a plain Edm.Boolean is the closest staging type.
  'Edm.Boolean': 'NoYes',
};

const isDataAreaId = (name: string) => name.toLowerCase() === 'dataareaid';
const simpleName = (qualified: string) => qualified.slice(qualified.lastIndexOf('.') + 1);

export function buildCatalogFromMetadata(docs: MetadataDocuments): MetadataCatalogResult {
  const dataEntities = parseDocument(dataEntitiesDocument, docs.dataEntities, 'DataEntities');
  const enumerations = parseDocument(enumerationsDocument, docs.publicEnumerations, 'PublicEnumerations');
  const labelList = docs.labels === undefined ? [] : parseDocument(labelsDocument, docs.labels, 'Labels');
  const labels = new Map<string, string>();
  for (const l of labelList) if (!labels.has(l.Id.toLowerCase())) labels.set(l.Id.toLowerCase(), l.Value);
  const fallback = docs.fallback ? indexCatalog(docs.fallback) : undefined;
  const notes: string[] = [];
  const source: FactSource = { kind: 'metadata', ref: docs.origin, covers: 'everything' };
  const provenance: Provenance = docs.provenance ?? { layer: 'metadata', label: `${docs.origin} metadata` };

  const enums = new Map<string, CatalogEnum>();
  for (const e of enumerations) {
    enums.set(e.Name, {
      name: e.Name,
      values: e.Members.map((m) => ({
        name: m.Name,
        value: m.Value,
        label: (m.LabelId ? labels.get(m.LabelId.toLowerCase()) : undefined) ?? m.Name,
      })),
      sources: [source],
    });
  }
  // Enum types only in $metadata still give names and values.
  for (const e of docs.edmx.enumTypes) {
    if (!enums.has(e.name)) {
      enums.set(e.name, { name: e.name, values: e.members.map((m) => ({ ...m, label: m.name })), sources: [source] });
    }
  }

  const typesByName = new Map(docs.edmx.entityTypes.map((t) => [`${t.namespace}.${t.name}`, t]));
  const typeOfPublicName = new Map(docs.edmx.entityTypes.map((t) => [t.name, t]));
  const usable = dataEntities.filter((d) => d.DataManagementEnabled !== false && d.PublicEntityName);
  const aotOfType = new Map<EdmxEntityType, string>();
  for (const d of usable) {
    const type = typeOfPublicName.get(d.PublicEntityName ?? '');
    if (type) aotOfType.set(type, d.Name);
  }

  const entities: CatalogEntity[] = [];
  const seen = new Set<string>();
  for (const d of usable) {
    const type = typeOfPublicName.get(d.PublicEntityName ?? '');
    if (!type) {
      notes.push(`${d.Name}: $metadata has no entity type ${d.PublicEntityName}; it is left out.`);
      continue;
    }
    if (seen.has(d.Name)) continue;
    seen.add(d.Name);
    const known = fallback?.findEntity(d.Name);
    const label = (d.LabelId ? labels.get(d.LabelId.toLowerCase()) : undefined) ?? known?.label ?? d.Name;
    const fields: CatalogField[] = [];
    for (const p of type.properties) {
      if (isDataAreaId(p.name)) continue;
      const field = fieldOf(p, type, enums);
      if (field) fields.push(field);
      else notes.push(`${d.Name}.${p.name}: the type ${p.type} has no staging equivalent; the field is left out.`);
    }
    const keys = type.keys.filter((k) => !isDataAreaId(k)).map((k) => k.toUpperCase());
    const keySet = new Set(keys);
    const relations: EntityRelation[] = [];
    for (const nav of type.navigationProperties) {
      if (nav.type.startsWith('Collection(')) continue; // children point back at us; we do not reference them
      const target = typesByName.get(nav.type);
      const targetAot = target && aotOfType.get(target);
      const pairs = nav.constraints.filter((c) => !isDataAreaId(c.property));
      if (!target || !targetAot || pairs.length === 0) continue;
      relations.push({
        fields: pairs.map((c) => c.property.toUpperCase()),
        target: targetAot,
        targetFields: pairs.map((c) => c.referencedProperty.toUpperCase()),
      });
    }
    entities.push({
      label,
      publicEntityName: type.name,
      publicCollectionName: d.PublicCollectionName ?? entitySetOf(docs.edmx, type) ?? `${type.name}s`,
      targetEntity: d.Name,
      ...(known?.stagingTable ? { stagingTable: known.stagingTable } : {}),
      area: known?.area ?? d.EntityCategory ?? 'Other',
      companySpecific: type.keys.some(isDataAreaId) || type.properties.some((p) => isDataAreaId(p.name)),
      fields: headerOrder(
        fields.map((f) => (keySet.has(f.name) ? withoutInference({ ...f, mandatory: true }) : f)),
        keys,
      ),
      keys,
      relations,
      fieldCoverage: 'complete',
      sources: [source],
    });
  }
  return { catalog: { origin: docs.origin, entities, enums: [...enums.values()], provenance }, notes };
}

/** A key field is mandatory because it is a key, whatever Nullable said. */
function withoutInference(f: CatalogField): CatalogField {
  if (!f.mandatoryInferred) return f;
  const { mandatoryInferred: _inferred, ...rest } = f;
  return rest;
}

function fieldOf(p: EdmxProperty, type: EdmxEntityType, enums: ReadonlyMap<string, CatalogEnum>): CatalogField | null {
  const base = { name: p.name.toUpperCase(), publicName: p.name };
  // [INFER] F&O marks mandatory entity fields with the IsRequired annotation; without it, a
  // non-nullable string that is not a key is read as mandatory too (numbers, dates and enums are
  // never null in F&O, so their Nullable="false" says nothing). That reading is ours, not F&O's:
  // it is marked `mandatoryInferred`, so its findings are warnings.
  const required = p.annotations.IsRequired?.toLowerCase() === 'true';
  const isKey = type.keys.includes(p.name);
  const primitive = PRIMITIVES[p.type];
  if (primitive === 'String') {
    const fromNullable = !required && !isKey && !p.nullable;
    return {
      ...base,
      type: 'String',
      mandatory: required || isKey || !p.nullable,
      ...(fromNullable ? { mandatoryInferred: true } : {}),
      ...(p.maxLength === undefined ? {} : { maxLength: p.maxLength }),
    };
  }
  if (primitive === 'NoYes') return { ...base, type: 'NoYes', enumType: 'NoYes', mandatory: required || isKey };
  if (primitive === 'Real')
    return {
      ...base,
      type: 'Real',
      mandatory: required || isKey,
      ...(p.scale === undefined ? {} : { scale: p.scale }),
    };
  if (primitive) return { ...base, type: primitive, mandatory: required || isKey };
  const enumName = simpleName(p.type);
  if (p.type.startsWith(`${DATA_ENTITIES_NAMESPACE}.`) || enums.has(enumName)) {
    return { ...base, type: enumName === 'NoYes' ? 'NoYes' : 'Enum', enumType: enumName, mandatory: required || isKey };
  }
  return null;
}

function entitySetOf(edmx: EdmxModel, type: EdmxEntityType): string | undefined {
  return edmx.entitySets.find((s) => s.entityType === `${type.namespace}.${type.name}`)?.name;
}

/** The annotation term F&O uses, without its vocabulary prefix. */
export function annotationTerm(term: string): string {
  return term.startsWith(FNO_ANNOTATION_PREFIX) ? term.slice(FNO_ANNOTATION_PREFIX.length) : term;
}
