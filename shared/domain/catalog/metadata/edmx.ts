/**
 * The parts of an OData v4 CSDL ($metadata) document the catalog needs, as plain data. The XML is
 * parsed in electron/services/metadata (saxes, DTDs refused); this model is what it produces and
 * what renderMetadataDocuments writes.
 */
export interface EdmxProperty {
  readonly name: string;
  /** Edm.String, Edm.Int32, …, or a qualified enum type (Microsoft.Dynamics.DataEntities.NoYes). */
  readonly type: string;
  /** The Nullable facet; absent means nullable. */
  readonly nullable: boolean;
  readonly maxLength?: number;
  /** The Scale facet of an Edm.Decimal (decimals kept). */
  readonly scale?: number;
  /** Microsoft.Dynamics.OData.Core.V1 annotations F&O writes on properties, by term suffix (IsRequired, LabelId…). */
  readonly annotations: Readonly<Record<string, string>>;
}

export interface EdmxNavigationProperty {
  readonly name: string;
  /** Qualified entity type, or Collection(qualified type). */
  readonly type: string;
  readonly constraints: readonly { readonly property: string; readonly referencedProperty: string }[];
}

export interface EdmxEntityType {
  readonly namespace: string;
  readonly name: string;
  readonly keys: readonly string[];
  readonly properties: readonly EdmxProperty[];
  readonly navigationProperties: readonly EdmxNavigationProperty[];
  readonly annotations: Readonly<Record<string, string>>;
}

export interface EdmxEnumType {
  readonly namespace: string;
  readonly name: string;
  readonly members: readonly { readonly name: string; readonly value: number }[];
}

export interface EdmxModel {
  readonly entityTypes: readonly EdmxEntityType[];
  readonly enumTypes: readonly EdmxEnumType[];
  readonly entitySets: readonly { readonly name: string; readonly entityType: string }[];
}

/** F&O's namespace for data entities and their enums. */
export const DATA_ENTITIES_NAMESPACE = 'Microsoft.Dynamics.DataEntities';
/** F&O's annotation vocabulary. */
export const FNO_ANNOTATION_PREFIX = 'Microsoft.Dynamics.OData.Core.V1.';
