/**
 * The entity catalog: what the workbench knows about F&O data entities without a connection
 * (built-in) or learnt from a live environment's metadata. Pure, serialisable data: the renderer,
 * the services, the CLI and the emulator all read the same model.
 */

/**
 * Staging field types, in F&O's own words (the types DMF's EntityFieldConversion knows, plus the
 * two enum flavours). `NoYes` is an enum whose type is NoYes; it has its own type because DMF and
 * consultants treat it as a boolean.
 */
export const FIELD_TYPES = [
  'String',
  'Int',
  'Int64',
  'Real',
  'Date',
  'UtcDateTime',
  'Time',
  'Guid',
  'Enum',
  'NoYes',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Where a fact came from. Every entity records its sources so a reader can check them. */
export const SOURCE_KINDS = [
  /** A Microsoft Learn page (entity or dual-write mapping reference, data-entity docs). */
  'learn',
  /** A manifest or data file that F&O itself exported (dmf-reference.md §6). */
  'real-export',
  /** A live environment's OData $metadata, /Metadata/DataEntities or /Metadata/PublicEnumerations. */
  'metadata',
  /** Public client code that talks to real F&O. */
  'client',
  /** Our own inference (EDT sizes, enum values, relations): a default the user may correct. */
  'inferred',
] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/**
 * The layers entity knowledge comes in, strongest first: an environment's own metadata, what
 * F&O's own packages showed, and the workbench's built-in catalog. Only the first is F&O speaking
 * about its rules; a rule known only from the others is at most a warning (validation/grading.ts).
 */
export const KNOWLEDGE_LAYERS = ['metadata', 'learnt', 'built-in'] as const;
export type KnowledgeLayer = (typeof KNOWLEDGE_LAYERS)[number];

/** Where a catalog fact was read, in the words a finding uses for it. */
export interface Provenance {
  readonly layer: KnowledgeLayer;
  /** "USMF-UAT metadata of 2026-12-01", "built-in, unverified", "learnt from System setup.zip of 2026-11-30". */
  readonly label: string;
}

/** The built-in catalog's provenance: nothing in it was read from a live environment. */
export const BUILT_IN_PROVENANCE: Provenance = Object.freeze({ layer: 'built-in', label: 'built-in, unverified' });

export interface FactSource {
  readonly kind: SourceKind;
  /** A URL, a repository path with commit, or for `inferred` the reasoning. */
  readonly ref: string;
  /** What this source establishes, e.g. "staging field names" or "key". */
  readonly covers: string;
}

export interface CatalogField {
  /** Staging field name, upper case: the manifest's EntityField and the data file's header cell. */
  readonly name: string;
  /** Data entity field / OData property name (CustomerAccount, dataAreaId). */
  readonly publicName: string;
  readonly type: FieldType;
  /** Maximum length for String fields (nvarchar size); absent for other types and memo fields. */
  readonly maxLength?: number;
  /**
   * Real fields: the decimals F&O stores (SQL numeric(32, scale)) and writes in exported files.
   * Absent: DEFAULT_REAL_SCALE.
   */
  readonly scale?: number;
  /** The entity field is Mandatory: an import row without it fails in staging-to-target. */
  readonly mandatory: boolean;
  /** For Enum and NoYes: the enum's name in `EntityCatalog.enums`. */
  readonly enumType?: string;
  /** True where a type, length or flag is our inference rather than read from a source. */
  readonly inferred?: boolean;
  /**
   * Mandatory was inferred inside its layer (a live $metadata's Nullable="false" on a string
   * without F&O's IsRequired annotation): the mandatory rule is then at most a warning.
   */
  readonly mandatoryInferred?: boolean;
  /** Where the field's type, length and mandatory flag come from; absent: the entity's. */
  readonly provenance?: Provenance;
}

/**
 * A reference from this entity's field(s) to another entity's key: the value of `fields` must
 * exist as `targetFields` of `target`. Used by validation (same package / reference snapshot) and
 * by sequencing (the target loads first).
 */
export interface EntityRelation {
  /** This entity's staging fields, in the order of `targetFields`. */
  readonly fields: readonly string[];
  /** The referenced entity's target (AOT) entity name, e.g. CustCustomerGroupEntity. */
  readonly target: string;
  /** The referenced entity's staging fields, usually its key. */
  readonly targetFields: readonly string[];
  readonly inferred?: boolean;
  /** Where the relation comes from; absent: the entity's. */
  readonly provenance?: Provenance;
}

/**
 * Functional areas of the built-in catalog, for grouping in the UI and `dmfw catalog`. Entities
 * learnt from live metadata that the built-in catalog lacks carry F&O's EntityCategory instead.
 */
export const ENTITY_AREAS = [
  'System setup',
  'Global address book',
  'General ledger',
  'Accounts receivable',
  'Accounts payable',
  'Tax',
  'Product information management',
  'Inventory management',
  'Human resources',
] as const;
export type EntityArea = (typeof ENTITY_AREAS)[number];

export interface CatalogEntity {
  /** The entity label as DMF shows it and the manifest's EntityName holds ("Customers V3"). */
  readonly label: string;
  /**
   * Other labels the entity is known by (older catalog labels, plural/singular variants other tools
   * use): they resolve to the entity, but F&O's own `label` is what the workbench writes.
   */
  readonly aliases?: readonly string[];
  /** OData entity type name (CustomerV3). */
  readonly publicEntityName: string;
  /** OData entity set name (CustomersV3). */
  readonly publicCollectionName: string;
  /** AOT data entity name: the manifest's TargetEntity (CustCustomerV3Entity). */
  readonly targetEntity: string;
  /** The staging table DMF fills (CustCustomerV3Staging), when known. */
  readonly stagingTable?: string;
  /** One of ENTITY_AREAS for built-in entities; F&O's EntityCategory (Master, Reference…) otherwise. */
  readonly area: EntityArea | string;
  /** Company-specific entities carry DATAAREAID in staging and dataAreaId in their OData key. */
  readonly companySpecific: boolean;
  /** Staging fields in F&O's header order: key fields in key order, then the rest alphabetically. */
  readonly fields: readonly CatalogField[];
  /** Entity key (staging field names, key order), without DATAAREAID. */
  readonly keys: readonly string[];
  readonly relations: readonly EntityRelation[];
  /**
   * `complete` when `fields` is every staging field; `partial` when it is the commonly mapped
   * subset. Validation only calls a column unknown when the list is complete.
   */
  readonly fieldCoverage: 'complete' | 'partial';
  readonly sources: readonly FactSource[];
  /**
   * Staging fields F&O writes in its exports but leaves out of its own mapping (read-only or
   * computed fields, e.g. Exchange rates ENDDATE): exported, never imported, so never mapped.
   */
  readonly exportedOnly?: readonly string[];
  /** Where the entity's label, keys and field list come from; absent: the catalog's. */
  readonly provenance?: Provenance;
}

/**
 * [INFER] Amounts, prices and quantities, most of F&O's reals, are numeric(32,6) in its database
 * (Learn: "Extending number of decimals…": at most six decimals "due to database constraints"), and
 * exports write six decimals for them (`.000000`, dmf-reference.md §1.5). Rates and conversion
 * factors keep 16 (`1.3357400000000000`) and say so with their own `scale`.
 */
export const DEFAULT_REAL_SCALE = 6;

export interface CatalogEnumValue {
  /** Symbol name, as OData writes it (Yes, Invoice). */
  readonly name: string;
  /** The number behind the symbol; -1 when only its name is known (seen in an F&O export). */
  readonly value: number;
  /** English label as DMF exports it with "Use enum label" (Yes, Invoice). */
  readonly label: string;
}

export interface CatalogEnum {
  readonly name: string;
  readonly values: readonly CatalogEnumValue[];
  readonly sources: readonly FactSource[];
  /** Where the values come from; absent: the catalog's. */
  readonly provenance?: Provenance;
}

export interface EntityCatalog {
  /** `built-in`, or the environment the metadata came from. */
  readonly origin: string;
  readonly entities: readonly CatalogEntity[];
  readonly enums: readonly CatalogEnum[];
  /**
   * The default provenance of everything in the catalog. Absent: unverified, like the built-in
   * catalog (a catalog that does not say where it comes from is not taken for F&O's word).
   */
  readonly provenance?: Provenance;
}
