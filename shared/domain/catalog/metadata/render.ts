/**
 * The other direction: the metadata documents an F&O environment would serve for a catalog. The
 * emulator serves these for /data/$metadata, /Metadata/DataEntities, /Metadata/PublicEnumerations
 * and /Metadata/Labels, and the parser's tests read them back (catalog → documents → catalog).
 *
 * Shapes follow F&O: namespace Microsoft.Dynamics.DataEntities, entity container "Resources",
 * dataAreaId first in the key of company-specific entities, F&O's annotation vocabulary for
 * labels and required fields, enum members as EnumType. [INFER: F&O's exact facet choices, e.g.
 * whether TimeOfDay fields are Edm.Int32; we write Edm.TimeOfDay so the round trip is exact.]
 */
import { DMF_EXECUTION_SUMMARY_STATUS, PACKAGE_API_ACTIONS } from '../../dmf/packageApiActions';
import { DEFAULT_REAL_SCALE } from '../types';
import type { CatalogEntity, CatalogField, EntityCatalog, FieldType } from '../types';
import { DATA_ENTITIES_NAMESPACE, FNO_ANNOTATION_PREFIX } from './edmx';

export interface RenderedMetadata {
  /** /data/$metadata (CSDL XML, UTF-8). */
  readonly edmx: string;
  /** /Metadata/DataEntities */
  readonly dataEntities: { readonly '@odata.context': string; readonly value: readonly object[] };
  /** /Metadata/PublicEntities: each OData entity with its properties and navigation properties. */
  readonly publicEntities: { readonly '@odata.context': string; readonly value: readonly object[] };
  /** /Metadata/PublicEnumerations */
  readonly publicEnumerations: { readonly '@odata.context': string; readonly value: readonly object[] };
  /** /Metadata/Labels, en-us texts of every label id used above. */
  readonly labels: { readonly '@odata.context': string; readonly value: readonly object[] };
}

const EDM_TYPES: Readonly<Record<Exclude<FieldType, 'Enum' | 'NoYes'>, string>> = {
  String: 'Edm.String',
  Int: 'Edm.Int32',
  Int64: 'Edm.Int64',
  Real: 'Edm.Decimal',
  Date: 'Edm.Date',
  UtcDateTime: 'Edm.DateTimeOffset',
  Time: 'Edm.TimeOfDay',
  Guid: 'Edm.Guid',
};

export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[c]};`);
}

const attr = (name: string, value: string) => ` ${name}="${escapeXml(value)}"`;
const annotation = (term: string, kind: 'String' | 'Bool', value: string) =>
  `<Annotation${attr('Term', FNO_ANNOTATION_PREFIX + term)}${attr(kind, value)}/>`;

export function renderMetadataDocuments(catalog: EntityCatalog, serviceRoot = 'https://localhost'): RenderedMetadata {
  const labels: { Id: string; Language: string; Value: string }[] = [];
  const labelId = (text: string) => {
    const id = `@DMFW${labels.length + 1}`;
    labels.push({ Id: id, Language: 'en-us', Value: text });
    return id;
  };
  const byTarget = new Map(catalog.entities.map((e) => [e.targetEntity, e]));
  const ns = DATA_ENTITIES_NAMESPACE;

  const dataEntities = catalog.entities.map((e) => ({
    Name: e.targetEntity,
    PublicEntityName: e.publicEntityName,
    PublicCollectionName: e.publicCollectionName,
    LabelId: labelId(e.label),
    DataServiceEnabled: true,
    DataManagementEnabled: true,
    EntityCategory: 'Master',
    IsReadOnly: false,
  }));
  const enumerations = catalog.enums.map((e) => ({
    Name: e.name,
    LabelId: null,
    Members: e.values.map((v) => ({
      Name: v.name,
      Value: v.value,
      LabelId: v.label === v.name ? null : labelId(v.label),
      ConfigurationEnabled: true,
    })),
  }));

  const xml: string[] = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">',
    '<edmx:DataServices>',
    `<Schema${attr('Namespace', ns)} xmlns="http://docs.oasis-open.org/odata/ns/edm">`,
  ];
  catalog.entities.forEach((e, i) => xml.push(entityTypeXml(e, byTarget, dataEntities[i]?.LabelId ?? '')));
  xml.push(...DMF_ENTITY_TYPES.map(dmfEntityTypeXml));
  const enums: { name: string; members: readonly { name: string; value: number }[] }[] = catalog.enums.map((e) => ({
    name: e.name,
    members: e.values,
  }));
  // Every enum a property names is declared, also those the catalog keeps implicit.
  for (const extra of DMF_ENUMS) if (!enums.some((e) => e.name === extra.name)) enums.push(extra);
  for (const e of enums) {
    xml.push(`<EnumType${attr('Name', e.name)}>`);
    for (const v of e.members) xml.push(`<Member${attr('Name', v.name)}${attr('Value', String(v.value))}/>`);
    xml.push('</EnumType>');
  }
  xml.push(...PACKAGE_API_ACTIONS.map(actionXml));
  xml.push('<EntityContainer Name="Resources">');
  for (const e of catalog.entities) {
    xml.push(`<EntitySet${attr('Name', e.publicCollectionName)}${attr('EntityType', `${ns}.${e.publicEntityName}`)}/>`);
  }
  for (const t of DMF_ENTITY_TYPES)
    xml.push(`<EntitySet${attr('Name', t.set)}${attr('EntityType', `${ns}.${t.name}`)}/>`);
  xml.push('</EntityContainer>', '</Schema>', '</edmx:DataServices>', '</edmx:Edmx>', '');

  const context = (what: string) => `${serviceRoot}/Metadata/$metadata#${what}`;
  return {
    edmx: xml.join('\n'),
    dataEntities: { '@odata.context': context('DataEntities'), value: dataEntities },
    publicEntities: {
      '@odata.context': context('PublicEntities'),
      value: catalog.entities.map((e, i) => publicEntityJson(e, byTarget, dataEntities[i]?.LabelId ?? null)),
    },
    publicEnumerations: { '@odata.context': context('PublicEnumerations'), value: enumerations },
    labels: { '@odata.context': context('Labels'), value: labels },
  };
}

function propertyXml(f: CatalogField): string {
  const type =
    f.type === 'Enum' || f.type === 'NoYes' ? `${DATA_ENTITIES_NAMESPACE}.${f.enumType ?? 'NoYes'}` : EDM_TYPES[f.type];
  // F&O's reals, integers, dates and enums are never null; strings are, unless mandatory.
  const nullable = f.type === 'String' && !f.mandatory;
  const facets =
    (nullable ? '' : ' Nullable="false"') +
    (f.maxLength === undefined ? '' : attr('MaxLength', String(f.maxLength))) +
    (f.type === 'Real' ? ` Precision="32" Scale="${f.scale ?? DEFAULT_REAL_SCALE}"` : '');
  const open = `<Property${attr('Name', f.publicName)}${attr('Type', type)}${facets}`;
  return f.mandatory ? `${open}>${annotation('IsRequired', 'Bool', 'true')}</Property>` : `${open}/>`;
}

function entityTypeXml(e: CatalogEntity, byTarget: ReadonlyMap<string, CatalogEntity>, labelId: string): string {
  const publicOf = (entity: CatalogEntity, staging: string) =>
    entity.fields.find((f) => f.name === staging)?.publicName ?? staging;
  const keys = [...(e.companySpecific ? ['dataAreaId'] : []), ...e.keys.map((k) => publicOf(e, k))];
  const out = [`<EntityType${attr('Name', e.publicEntityName)}>`, '<Key>'];
  for (const k of keys) out.push(`<PropertyRef${attr('Name', k)}/>`);
  out.push('</Key>');
  if (e.companySpecific) out.push('<Property Name="dataAreaId" Type="Edm.String" Nullable="false" MaxLength="4"/>');
  for (const f of e.fields) out.push(propertyXml(f));
  const names = new Set<string>();
  for (const r of e.relations) {
    const target = byTarget.get(r.target);
    if (!target) continue;
    let name = target.publicEntityName;
    if (names.has(name) || e.fields.some((f) => f.publicName === name))
      name = `${name}_${publicOf(e, r.fields[0] ?? '')}`;
    names.add(name);
    out.push(
      `<NavigationProperty${attr('Name', name)}${attr('Type', `${DATA_ENTITIES_NAMESPACE}.${target.publicEntityName}`)}>`,
    );
    if (e.companySpecific && target.companySpecific) {
      out.push('<ReferentialConstraint Property="dataAreaId" ReferencedProperty="dataAreaId"/>');
    }
    r.fields.forEach((f, i) => {
      const referenced = publicOf(target, r.targetFields[i] ?? '');
      out.push(`<ReferentialConstraint${attr('Property', publicOf(e, f))}${attr('ReferencedProperty', referenced)}/>`);
    });
    out.push('</NavigationProperty>');
  }
  out.push(annotation('LabelId', 'String', labelId), '</EntityType>');
  return out.join('\n');
}

/**
 * The data management entities F&O's $metadata has beside the data entities: the data project
 * (DataManagementDefinitionGroup, which the package API's actions are bound to), its entity lines
 * and the execution job details, with the property names real payloads show [CLIENT:
 * EnvironmentDataLoader endpoints.md]. [INFER] facets and enum values (not published).
 */
interface DmfEntityType {
  readonly name: string;
  readonly set: string;
  readonly keys: readonly string[];
  readonly properties: readonly (readonly [name: string, type: string])[];
}

const NS = DATA_ENTITIES_NAMESPACE;
const DMF_ENTITY_TYPES: readonly DmfEntityType[] = [
  {
    name: 'DataManagementDefinitionGroup',
    set: 'DataManagementDefinitionGroups',
    keys: ['Name'],
    properties: [
      ['Name', 'Edm.String'],
      ['Description', 'Edm.String'],
      ['OperationType', `${NS}.DMFOperationType`],
      ['ProjectCategory', `${NS}.DMFProjectCategory`],
      ['GenerateDataPackage', `${NS}.NoYes`],
      ['TruncateEntityData', `${NS}.NoYes`],
    ],
  },
  {
    name: 'DataManagementDefinitionGroupDetail',
    set: 'DataManagementDefinitionGroupDetails',
    keys: ['DefinitionGroupId', 'EntityName'],
    properties: [
      ['DefinitionGroupId', 'Edm.String'],
      ['EntityName', 'Edm.String'],
      ['ExecutionUnit', 'Edm.Int32'],
      ['LevelInExecutionUnit', 'Edm.Int32'],
      ['SequenceInLevel', 'Edm.Int32'],
      ['SourceFormat', 'Edm.String'],
      ['DefaultRefreshType', `${NS}.DMFRefreshType`],
      ['Disable', `${NS}.NoYes`],
      ['FailLevelOnError', `${NS}.NoYes`],
      ['FailExecutionUnitOnError', `${NS}.NoYes`],
      ['RunBusinessLogic', `${NS}.NoYes`],
      ['RunBusinessValidation', `${NS}.NoYes`],
      ['SkipStaging', `${NS}.NoYes`],
    ],
  },
  {
    name: 'DataManagementExecutionJobDetail',
    set: 'DataManagementExecutionJobDetails',
    keys: ['JobId', 'EntityName'],
    properties: [
      ['DefinitionGroupId', 'Edm.String'],
      ['JobId', 'Edm.String'],
      ['EntityName', 'Edm.String'],
      ['ExecutionUnit', 'Edm.Int32'],
      ['LevelInExecutionUnit', 'Edm.Int32'],
      ['SequenceInLevel', 'Edm.Int32'],
      ['StagingStatus', `${NS}.DMFBatchJobStatus`],
      ['TargetStatus', `${NS}.DMFBatchJobStatus`],
      ['StagingRecordsToBeProcessedCount', 'Edm.Int64'],
      ['StagingRecordsCreatedCount', 'Edm.Int64'],
      ['TargetRecordsCreatedCount', 'Edm.Int64'],
      ['TargetRecordsUpdatedCount', 'Edm.Int64'],
      ['StagingStartDateTime', 'Edm.DateTimeOffset'],
      ['StagingEndDateTime', 'Edm.DateTimeOffset'],
      ['TargetStartDateTime', 'Edm.DateTimeOffset'],
      ['TargetEndDateTime', 'Edm.DateTimeOffset'],
    ],
  },
];

const members = (names: readonly string[]) => names.map((name, value) => ({ name, value }));
const DMF_ENUMS: readonly { name: string; members: readonly { name: string; value: number }[] }[] = [
  { name: 'DMFExecutionSummaryStatus', members: members(DMF_EXECUTION_SUMMARY_STATUS) },
  { name: 'NoYes', members: members(['No', 'Yes']) },
  { name: 'DMFOperationType', members: members(['Import', 'Export']) },
  { name: 'DMFProjectCategory', members: members(['Project', 'Configuration', 'Integration']) },
  { name: 'DMFRefreshType', members: members(['FullPush', 'IncrementalPush']) },
  { name: 'DMFBatchJobStatus', members: members(['NotRun', 'Executing', 'Finished', 'Error', 'None', 'Aborted']) },
];

function dmfEntityTypeXml(t: DmfEntityType): string {
  const out = [`<EntityType${attr('Name', t.name)}>`, '<Key>'];
  for (const k of t.keys) out.push(`<PropertyRef${attr('Name', k)}/>`);
  out.push('</Key>');
  for (const [name, type] of t.properties) {
    const required = t.keys.includes(name) || !type.startsWith('Edm.String');
    out.push(`<Property${attr('Name', name)}${attr('Type', type)}${required ? ' Nullable="false"' : ''}/>`);
  }
  out.push('</EntityType>');
  return out.join('\n');
}

/** A package API action, bound to the collection of data projects as F&O declares it. */
function actionXml(a: (typeof PACKAGE_API_ACTIONS)[number]): string {
  const out = [
    `<Action${attr('Name', a.name)} IsBound="true">`,
    `<Parameter Name="bindingParameter"${attr('Type', `Collection(${NS}.DataManagementDefinitionGroup)`)}/>`,
  ];
  for (const p of a.parameters)
    out.push(`<Parameter${attr('Name', p.name)}${attr('Type', p.type)}${p.nullable ? '' : ' Nullable="false"'}/>`);
  if (a.returns)
    out.push(`<ReturnType${attr('Type', a.returns)}${a.returns.startsWith('Collection') ? '' : ' Nullable="false"'}/>`);
  out.push('</Action>');
  return out.join('\n');
}

/**
 * A /Metadata/PublicEntities record. [CLIENT: d365fo.integrations Get-D365ODataPublicEntity and
 * d365bap.tools Get-FscmOdataEntity read Name, EntitySetName, IsReadOnly, ConfigurationEnabled,
 * Properties and NavigationProperties] [INFER: the members of a property and of a navigation].
 */
function publicEntityJson(
  e: CatalogEntity,
  byTarget: ReadonlyMap<string, CatalogEntity>,
  labelId: string | null,
): Record<string, unknown> {
  const keys = new Set(e.keys);
  const properties = [
    ...(e.companySpecific
      ? [
          {
            Name: 'dataAreaId',
            TypeName: 'Edm.String',
            DataType: 'String',
            LabelId: null,
            IsKey: true,
            IsMandatory: true,
            AllowEdit: false,
            AllowEditOnCreate: true,
          },
        ]
      : []),
    ...e.fields.map((f) => ({
      Name: f.publicName,
      TypeName:
        f.type === 'Enum' || f.type === 'NoYes'
          ? `${DATA_ENTITIES_NAMESPACE}.${f.enumType ?? 'NoYes'}`
          : EDM_TYPES[f.type],
      DataType: f.type === 'NoYes' ? 'Enum' : f.type,
      LabelId: null,
      IsKey: keys.has(f.name),
      IsMandatory: f.mandatory || keys.has(f.name),
      AllowEdit: !keys.has(f.name),
      AllowEditOnCreate: true,
    })),
  ].map((p) => ({ ...p, ConfigurationEnabled: true, IsDimension: false }));
  const publicOf = (entity: CatalogEntity, staging: string) =>
    entity.fields.find((f) => f.name === staging)?.publicName ?? staging;
  const navigation = e.relations.flatMap((r) => {
    const target = byTarget.get(r.target);
    if (!target) return [];
    return [
      {
        Name: target.publicEntityName,
        RelatedEntity: target.publicEntityName,
        RelatedRelationName: null,
        Cardinality: 'ZeroOne',
        Constraints: r.fields.map((f, i) => ({
          '@odata.type': '#Microsoft.Dynamics.Metadata.ReferentialConstraint',
          Property: publicOf(e, f),
          RelatedProperty: publicOf(target, r.targetFields[i] ?? ''),
        })),
      },
    ];
  });
  return {
    Name: e.publicEntityName,
    EntitySetName: e.publicCollectionName,
    LabelId: labelId,
    IsReadOnly: false,
    ConfigurationEnabled: true,
    Properties: properties,
    NavigationProperties: navigation,
    PropertyGroups: [],
  };
}
