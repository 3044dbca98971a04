/** Product dimensions and product details: colors, sizes, styles, configurations, their product-master values, translations, category assignments. */
import { INF, int, real, ref, text } from '../define';
import type { EntitySpec } from '../define';
import { cdmBacked, cdmListed } from './cdm';

const pim = 'Product information management' as const;
const PIM = 'SupplyChain/ProductInformationManagement';

/** A product dimension value entity (Colors, Sizes, Styles, Configurations): one id column. */
function dimensionValues(label: string, dimension: string, read: boolean): EntitySpec {
  const spec = {
    label,
    publicEntityName: `Product${dimension}`,
    publicCollectionName: `Product${dimension}s`,
    targetEntity: `EcoResProduct${dimension}Entity`,
    area: pim,
    companySpecific: false,
    keys: [`${dimension.toUpperCase()}ID`],
    fields: [text(`${dimension}Id`, 10, INF)],
    cdm: `${PIM}/EcoResProduct${dimension}Entity.md`,
  };
  return read ? cdmBacked(spec) : cdmListed(spec);
}

/** The values of one product dimension allowed for a product master. */
function masterValues(label: string, dimension: string, read: boolean): EntitySpec {
  const spec = {
    label,
    publicEntityName: `ProductMaster${dimension}`,
    publicCollectionName: `ProductMaster${dimension}s`,
    targetEntity: `EcoResProductMaster${dimension}Entity`,
    area: pim,
    companySpecific: false,
    keys: ['PRODUCTMASTERNUMBER', `PRODUCT${dimension.toUpperCase()}ID`],
    fields: [
      text('ProductMasterNumber', 20, INF),
      text(`Product${dimension}Id`, 10, INF),
      int('DisplaySequenceNumber', INF),
      real('ReplenishmentWeight', INF),
    ],
    relations: [ref(`PRODUCT${dimension.toUpperCase()}ID`, `EcoResProduct${dimension}Entity`, { inferred: true })],
    cdm: `${PIM}/EcoResProductMaster${dimension}Entity.md`,
  };
  return read ? cdmBacked(spec) : cdmListed(spec);
}

export const PRODUCT_VARIANTS: readonly EntitySpec[] = [
  dimensionValues('Colors', 'Color', true),
  dimensionValues('Sizes', 'Size', false),
  dimensionValues('Styles', 'Style', false),
  dimensionValues('Configurations', 'Configuration', false),
  masterValues('Product master colors', 'Color', true),
  masterValues('Product master sizes', 'Size', false),
  masterValues('Product master styles', 'Style', false),
  masterValues('Product master configurations', 'Configuration', false),
  cdmBacked({
    label: 'Product translations',
    publicEntityName: 'ProductTranslation',
    publicCollectionName: 'ProductTranslations',
    targetEntity: 'EcoResProductTranslationEntity',
    area: pim,
    companySpecific: false,
    keys: ['PRODUCTNUMBER', 'LANGUAGEID'],
    fields: [
      text('ProductNumber', 20, INF),
      text('LanguageId', 7, INF),
      text('Description', 1000, INF),
      text('ProductName', 60, INF),
    ],
    relations: [ref('PRODUCTNUMBER', 'EcoResProductV2Entity', { inferred: true })],
    cdm: `${PIM}/EcoResProductTranslationEntity.md`,
  }),
  cdmBacked({
    label: 'Product category assignments',
    publicEntityName: 'ProductCategoryAssignment',
    publicCollectionName: 'ProductCategoryAssignments',
    targetEntity: 'EcoResProductCategoryAssignmentEntity',
    area: pim,
    companySpecific: false,
    keys: ['PRODUCTNUMBER', 'PRODUCTCATEGORYHIERARCHYNAME', 'PRODUCTCATEGORYNAME'],
    fields: [
      text('ProductNumber', 20, INF),
      text('ProductCategoryHierarchyName', 128, INF),
      text('ProductCategoryName', 254, INF),
    ],
    relations: [
      ref('PRODUCTNUMBER', 'EcoResProductV2Entity', { inferred: true }),
      ref(['PRODUCTCATEGORYHIERARCHYNAME', 'PRODUCTCATEGORYNAME'], 'EcoResProductCategoryEntity', { inferred: true }),
    ],
    cdm: `${PIM}/EcoResProductCategoryAssignmentEntity.md`,
  }),
  cdmListed({
    label: 'Product lifecycle states',
    publicEntityName: 'ProductLifecycleState',
    publicCollectionName: 'ProductLifecycleStates',
    targetEntity: 'EcoResProductLifecycleStateEntity',
    area: pim,
    companySpecific: false,
    keys: ['PRODUCTLIFECYCLESTATEID'],
    fields: [text('ProductLifecycleStateId', 20, INF), text('Description', 60, INF)],
    cdm: `${PIM}/EcoResProductLifecycleStateEntity.md`,
  }),
  cdmListed({
    label: 'Product relation types',
    publicEntityName: 'ProductRelationType',
    publicCollectionName: 'ProductRelationTypes',
    targetEntity: 'EcoResProductRelationTypeEntity',
    area: pim,
    companySpecific: false,
    keys: ['PRODUCTRELATIONTYPENAME'],
    fields: [text('ProductRelationTypeName', 60, INF)],
    cdm: `${PIM}/EcoResProductRelationTypeEntity.md`,
  }),
];
