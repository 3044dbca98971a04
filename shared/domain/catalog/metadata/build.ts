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
import type { EdmxEntityType, EdmxEnumType, EdmxModel, EdmxProperty } from './edmx';

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
  const builder = new MetadataCatalogBuilder(docs);
  for (const e of docs.edmx.enumTypes) builder.enumType(e);
  for (const t of docs.edmx.entityTypes) builder.entityType(t);
  for (const s of docs.edmx.entitySets) builder.entitySet(s);
  return builder.finish();
}

/** What the builder needs before $metadata: the JSON documents (small beside it). */
export type MetadataJsonDocuments = Omit<MetadataDocuments, 'edmx'>;

/**
 * Builds the catalog while $metadata is read: each entity type is turned into its catalog entity
 * as soon as the parser has it, so a 30 MB+ $metadata never exists whole in memory (only the
 * catalog does). The JSON documents come first: they say which types are data entities, their
 * AOT names and labels. Feed `enumType`, `entityType` and `entitySet` in any order, then `finish`.
 */
export class MetadataCatalogBuilder {
  readonly #docs: MetadataJsonDocuments;
  readonly #labels = new Map<string, string>();
  readonly #fallback: ReturnType<typeof indexCatalog> | undefined;
  readonly #notes: string[] = [];
  readonly #source: FactSource;
  readonly #provenance: Provenance;
  readonly #enums = new Map<string, CatalogEnum>();
  /** DataEntities records DMF can use, by their OData entity type name. */
  readonly #usable = new Map<string, z.infer<typeof dataEntitySchema>[]>();
  /** AOT name by OData entity type name, for the targets of navigation properties. */
  readonly #aotOfType = new Map<string, string>();
  readonly #entities: CatalogEntity[] = [];
  readonly #seen = new Set<string>();
  readonly #typesSeen = new Set<string>();
  readonly #entitySets = new Map<string, string>();
  /** Staging field names, one string each however many entities share them. */
  readonly #upperNames = new Map<string, string>();
  readonly #upper = (name: string): string => {
    let upper = this.#upperNames.get(name);
    if (upper === undefined) {
      upper = name.toUpperCase();
      this.#upperNames.set(name, upper);
    }
    return upper;
  };

  constructor(docs: MetadataJsonDocuments) {
    this.#docs = docs;
    const dataEntities = parseDocument(dataEntitiesDocument, docs.dataEntities, 'DataEntities');
    const enumerations = parseDocument(enumerationsDocument, docs.publicEnumerations, 'PublicEnumerations');
    const labelList = docs.labels === undefined ? [] : parseDocument(labelsDocument, docs.labels, 'Labels');
    for (const l of labelList) if (!this.#labels.has(l.Id.toLowerCase())) this.#labels.set(l.Id.toLowerCase(), l.Value);
    this.#fallback = docs.fallback ? indexCatalog(docs.fallback) : undefined;
    this.#source = { kind: 'metadata', ref: docs.origin, covers: 'everything' };
    this.#provenance = docs.provenance ?? { layer: 'metadata', label: `${docs.origin} metadata` };
    for (const e of enumerations) {
      this.#enums.set(e.Name, {
        name: e.Name,
        values: e.Members.map((m) => ({
          name: m.Name,
          value: m.Value,
          label: (m.LabelId ? this.#labels.get(m.LabelId.toLowerCase()) : undefined) ?? m.Name,
        })),
        sources: [this.#source],
      });
    }
    for (const d of dataEntities) {
      if (d.DataManagementEnabled === false || !d.PublicEntityName) continue;
      const list = this.#usable.get(d.PublicEntityName) ?? [];
      list.push(d);
      this.#usable.set(d.PublicEntityName, list);
      if (!this.#aotOfType.has(d.PublicEntityName)) this.#aotOfType.set(d.PublicEntityName, d.Name);
    }
  }

  /** Enum types only in $metadata still give names and values. */
  enumType(e: EdmxEnumType): void {
    if (!this.#enums.has(e.name)) {
      this.#enums.set(e.name, {
        name: e.name,
        values: e.members.map((m) => ({ ...m, label: m.name })),
        sources: [this.#source],
      });
    }
  }

  entitySet(s: { readonly name: string; readonly entityType: string }): void {
    if (!this.#entitySets.has(s.entityType)) this.#entitySets.set(s.entityType, s.name);
  }

  entityType(type: EdmxEntityType): void {
    this.#typesSeen.add(type.name);
    for (const d of this.#usable.get(type.name) ?? []) {
      if (this.#seen.has(d.Name)) continue;
      this.#seen.add(d.Name);
      this.#entities.push(this.#entityOf(d, type));
    }
  }

  #entityOf(d: z.infer<typeof dataEntitySchema>, type: EdmxEntityType): CatalogEntity {
    const known = this.#fallback?.findEntity(d.Name);
    const label = (d.LabelId ? this.#labels.get(d.LabelId.toLowerCase()) : undefined) ?? known?.label ?? d.Name;
    const fields: CatalogField[] = [];
    for (const p of type.properties) {
      if (isDataAreaId(p.name)) continue;
      const field = fieldOf(p, type, this.#enums, this.#upper);
      if (field) fields.push(field);
      else
        this.#notes.push(`${d.Name}.${p.name}: the type ${p.type} has no staging equivalent; the field is left out.`);
    }
    const keys = type.keys.filter((k) => !isDataAreaId(k)).map((k) => k.toUpperCase());
    const keySet = new Set(keys);
    const relations: EntityRelation[] = [];
    for (const nav of type.navigationProperties) {
      if (nav.type.startsWith('Collection(')) continue; // children point back at us; we do not reference them
      const targetAot = this.#aotOfType.get(simpleName(nav.type));
      const pairs = nav.constraints.filter((c) => !isDataAreaId(c.property));
      if (!targetAot || pairs.length === 0) continue;
      relations.push({
        fields: pairs.map((c) => c.property.toUpperCase()),
        target: targetAot,
        targetFields: pairs.map((c) => c.referencedProperty.toUpperCase()),
      });
    }
    return {
      label,
      publicEntityName: type.name,
      // Resolved in finish() when DataEntities does not say (the entity sets come last).
      publicCollectionName: d.PublicCollectionName ?? '',
      targetEntity: d.Name,
      ...(known?.stagingTable ? { stagingTable: known.stagingTable } : {}),
      area: known?.area ?? d.EntityCategory ?? 'Other',
      companySpecific: type.keys.some(isDataAreaId) || type.properties.some((p) => isDataAreaId(p.name)),
      fields: headerOrder(
        fields.map((f) =>
          keySet.has(f.name) && (!f.mandatory || f.mandatoryInferred) ? withoutInference({ ...f, mandatory: true }) : f,
        ),
        keys,
      ),
      keys,
      relations,
      fieldCoverage: 'complete',
      sources: [this.#source],
    };
  }

  finish(): MetadataCatalogResult {
    for (const [typeName, list] of this.#usable) {
      if (this.#typesSeen.has(typeName)) continue;
      for (const d of list) this.#notes.push(`${d.Name}: $metadata has no entity type ${typeName}; it is left out.`);
    }
    const built = new Set(this.#entities.map((e) => e.targetEntity));
    const entities = this.#entities.map((e) => {
      // A navigation property to a type $metadata does not have is no reference to check.
      const relations = e.relations.filter((r) => built.has(r.target));
      const collection =
        e.publicCollectionName ||
        this.#entitySets.get(`${DATA_ENTITIES_NAMESPACE}.${e.publicEntityName}`) ||
        [...this.#entitySets].find(([type]) => simpleName(type) === e.publicEntityName)?.[1] ||
        `${e.publicEntityName}s`;
      return relations.length === e.relations.length && collection === e.publicCollectionName
        ? e
        : { ...e, relations, publicCollectionName: collection };
    });
    return {
      catalog: { origin: this.#docs.origin, entities, enums: [...this.#enums.values()], provenance: this.#provenance },
      notes: this.#notes,
    };
  }
}

/** A key field is mandatory because it is a key, whatever Nullable said. */
function withoutInference(f: CatalogField): CatalogField {
  if (!f.mandatoryInferred) return f;
  const { mandatoryInferred: _inferred, ...rest } = f;
  return rest;
}

type MutableField = { -readonly [K in keyof CatalogField]: CatalogField[K] };

function fieldOf(
  p: EdmxProperty,
  type: EdmxEntityType,
  enums: ReadonlyMap<string, CatalogEnum>,
  upper: (name: string) => string,
): CatalogField | null {
  // [INFER] F&O marks mandatory entity fields with the IsRequired annotation; without it, a
  // non-nullable string that is not a key is read as mandatory too (numbers, dates and enums are
  // never null in F&O, so their Nullable="false" says nothing). That reading is ours, not F&O's:
  // it is marked `mandatoryInferred`, so its findings are warnings.
  const required = p.annotations.IsRequired?.toLowerCase() === 'true';
  const isKey = type.keys.includes(p.name);
  const primitive = PRIMITIVES[p.type];
  const enumName = primitive ? undefined : simpleName(p.type);
  if (!primitive && !(p.type.startsWith(`${DATA_ENTITIES_NAMESPACE}.`) || enums.has(enumName ?? ''))) return null;
  const fieldType: FieldType = primitive ?? (enumName === 'NoYes' ? 'NoYes' : 'Enum');
  // Fields are built as one literal, then optional facts added in one order: hundreds of
  // thousands of them share a few hidden classes (object spreads gave each its own: 3× the memory).
  const field: MutableField = {
    name: upper(p.name),
    publicName: p.name,
    type: fieldType,
    mandatory: required || isKey || (fieldType === 'String' && !p.nullable),
  };
  if (fieldType === 'String') {
    if (!required && !isKey && !p.nullable) field.mandatoryInferred = true;
    if (p.maxLength !== undefined) field.maxLength = p.maxLength;
  } else if (fieldType === 'Real') {
    if (p.scale !== undefined) field.scale = p.scale;
  } else if (fieldType === 'NoYes') field.enumType = primitive ? 'NoYes' : (enumName ?? 'NoYes');
  else if (fieldType === 'Enum') field.enumType = enumName ?? '';
  return field;
}

/** The annotation term F&O uses, without its vocabulary prefix. */
export function annotationTerm(term: string): string {
  return term.startsWith(FNO_ANNOTATION_PREFIX) ? term.slice(FNO_ANNOTATION_PREFIX.length) : term;
}
