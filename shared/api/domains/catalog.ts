import { z } from '../zod';
import type { FieldType } from '../../domain/catalog';
import { event, method } from '../define';

/** An entity as the wizard's entity chooser lists it. */
export interface CatalogEntitySummary {
  /** Entity label, e.g. "Customers V3" (what DMF and the manifest call it). */
  readonly label: string;
  /** AOT name, e.g. CustCustomerV3Entity. */
  readonly targetEntity: string;
  readonly area: string;
  readonly companySpecific: boolean;
  /** Staging field names of the key, without DATAAREAID. */
  readonly keys: readonly string[];
  readonly fieldCount: number;
  readonly mandatoryFields: readonly string[];
  /** Labels of the entities this one references (they load first). */
  readonly references: readonly string[];
}

export interface CatalogFieldInfo {
  readonly name: string;
  readonly publicName: string;
  readonly type: FieldType;
  readonly maxLength: number | null;
  readonly mandatory: boolean;
  readonly key: boolean;
}

export interface CatalogListing {
  /** "Built-in catalog" or the environment's name. */
  readonly origin: string;
  readonly environmentId: string | null;
  readonly entities: readonly CatalogEntitySummary[];
  readonly notes: readonly string[];
}

const environmentId = z.string().min(1).max(200).nullish();

export const catalogMethods = {
  'catalog.entities': method<CatalogListing>()(
    "The entities to choose from: the built-in catalog, or an environment's live metadata (environmentId).",
    z.object({ environmentId }).strict(),
  ),
  'catalog.fields': method<readonly CatalogFieldInfo[]>()(
    "An entity's staging fields in F&O's header order, with types, lengths and the mandatory ones.",
    z.object({ entity: z.string().min(1).max(200), environmentId }).strict(),
  ),
  'catalog.pullMetadata': method<MetadataSnapshotSummary>()(
    "Downloads an environment's metadata ($metadata, DataEntities, PublicEnumerations, Labels where served) and saves it as a snapshot used offline from then on.",
    z.object({ environmentId: z.string().min(1).max(200) }).strict(),
  ),
  'catalog.metadataSnapshots': method<{ readonly snapshots: readonly MetadataSnapshotSummary[] }>()(
    "An environment's saved metadata snapshots, newest first.",
    z.object({ environmentId: z.string().min(1).max(200) }).strict(),
  ),
  'catalog.pullReferences': method<ReferenceSnapshotSummary>()(
    'Reads the keys of referenced entities (customer groups, currencies…) in a legal entity of an environment and saves them as a reference snapshot, used offline to check references.',
    z
      .object({
        environmentId: z.string().min(1).max(200),
        company: z.string().min(1).max(8),
        entities: z.array(z.string().min(1).max(200)).max(500).optional(),
      })
      .strict(),
  ),
  'catalog.referenceSnapshots': method<{ readonly snapshots: readonly ReferenceSnapshotSummary[] }>()(
    "An environment's saved reference snapshots (of one legal entity, or all), newest first.",
    z.object({ environmentId: z.string().min(1).max(200), company: z.string().min(1).max(8).optional() }).strict(),
  ),
} as const;

export const catalogEvents = {
  'catalog.metadataProgress': event<MetadataPullProgress>('A metadata pull moved on (bytes read, parsing, saving).'),
  'catalog.referencesProgress': event<ReferencePullProgress>('A reference snapshot pull moved on (entity, keys read).'),
} as const;

/** One document of a metadata snapshot, as F&O sent it. */
export interface MetadataDocumentInfo {
  /** File in the snapshot folder ($metadata.xml, DataEntities.json…). */
  readonly file: string;
  /** What was asked of the environment (/data/$metadata, /Metadata/DataEntities…). */
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
}

/**
 * How the staging fields the workbench knows (upper case, what packages use: the built-in
 * catalog's, from F&O's exports) matched the environment's OData properties.
 */
export interface FieldMatching {
  /** Built-in entities the environment has. */
  readonly entitiesMatched: number;
  /** Built-in entities the environment lacks (or has not enabled for data management), by label. */
  readonly missingEntities: readonly string[];
  /** Staging fields that matched an OData property of their entity. */
  readonly fieldsMatched: number;
  /** Per entity, the staging fields no OData property matched (kept as built-in, unverified). */
  readonly unmatched: readonly { readonly entity: string; readonly fields: readonly string[] }[];
}

/** A saved metadata snapshot of an environment. */
export interface MetadataSnapshotInfo {
  readonly environmentId: string;
  readonly environmentName: string;
  readonly url: string | null;
  /** When it was pulled (ISO 8601). */
  readonly pulledAt: string;
  /** How findings name its rules: "USMF-UAT metadata of 2026-12-01". */
  readonly label: string;
  /** What the environment says of its version (null where it did not answer). */
  readonly version: { readonly application: string | null; readonly platform: string | null };
  readonly documents: readonly MetadataDocumentInfo[];
  /** SHA-256 over the documents' hashes: two pulls with the same hash got the same metadata. */
  readonly hash: string;
  readonly entities: number;
  readonly enums: number;
  readonly matching: FieldMatching;
  /** What the catalog builder skipped or guessed (the first 200). */
  readonly notes: readonly string[];
  readonly notesTotal: number;
}

export interface MetadataSnapshotSummary extends MetadataSnapshotInfo {
  /** The snapshot folder (also readable as `--metadata <folder>`). */
  readonly folder: string;
}

export interface MetadataPullProgress {
  readonly environmentId: string;
  readonly phase: 'download' | 'parse' | 'save' | 'done';
  /** The document being read, while downloading. */
  readonly document: string | null;
  readonly bytes: number;
  /** Bytes announced (Content-Length), when the environment said. */
  readonly total: number | null;
  readonly message: string;
}

/** A saved reference snapshot: the keys of referenced entities in one legal entity of an environment. */
export interface ReferenceSnapshotSummary {
  /** How findings name it: "USMF snapshot of USMF-UAT, 2026-12-01 10:00". */
  readonly label: string;
  readonly environmentId: string;
  readonly environmentName: string;
  /** The legal entity (dataAreaId) the company-specific keys were read in. */
  readonly company: string;
  readonly pulledAt: string;
  readonly file: string;
  readonly entities: readonly { readonly entity: string; readonly fields: readonly string[]; readonly keys: number }[];
}

export interface ReferencePullProgress {
  readonly environmentId: string;
  readonly company: string;
  /** The entity being read. */
  readonly entity: string;
  /** Entities read so far, of `total`. */
  readonly done: number;
  readonly total: number;
  /** Keys of `entity` read so far. */
  readonly keys: number;
}
