import { z } from '../zod';
import type { FieldType } from '../../domain/catalog';
import { method } from '../define';

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
} as const;
