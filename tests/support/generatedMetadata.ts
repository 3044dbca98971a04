/**
 * A generated, realistic environment's metadata: `count` data entities shaped like F&O's (a key
 * of one to three fields, company-specific for most, 80 to 210 properties of F&O's types with
 * string lengths of its EDTs, mandatory fields with IsRequired, enums by name, navigation
 * properties to other entities), rendered as an environment serves them. About 35 MB of
 * $metadata for 3,000 entities, as a real one is. Deterministic: the same bytes on every run.
 */
import { BUILT_IN_CATALOG } from '../../shared/domain/catalog';
import type { CatalogEntity, CatalogEnum, CatalogField, EntityCatalog } from '../../shared/domain/catalog';
import { renderMetadataDocuments } from '../../shared/domain/catalog/metadata/render';
import type { RenderedMetadata } from '../../shared/domain/catalog/metadata/render';
import { seededRandom } from './random';

const WORDS = [
  'Account',
  'Address',
  'Amount',
  'Batch',
  'Category',
  'Code',
  'Company',
  'Contact',
  'Cost',
  'Currency',
  'Customer',
  'Date',
  'Default',
  'Delivery',
  'Description',
  'Dimension',
  'Discount',
  'Group',
  'Invoice',
  'Item',
  'Journal',
  'Language',
  'Ledger',
  'Line',
  'Location',
  'Method',
  'Name',
  'Number',
  'Order',
  'Party',
  'Payment',
  'Price',
  'Project',
  'Purchase',
  'Quantity',
  'Reason',
  'Sales',
  'Site',
  'Status',
  'Tax',
  'Terms',
  'Text',
  'Type',
  'Unit',
  'Vendor',
  'Warehouse',
  'Worker',
  'Zone',
];
const LENGTHS = [4, 10, 20, 30, 60, 100, 255];
const ENUMS: CatalogEnum[] = Array.from({ length: 200 }, (_, i) => ({
  name: `GeneratedEnum${i}`,
  values: Array.from({ length: 2 + (i % 9) }, (_, v) => ({ name: `Value${v}`, value: v, label: `Value ${v}` })),
  sources: [{ kind: 'inferred', ref: 'generated', covers: 'everything' }],
}));

export function generatedCatalog(count: number, seed = 10): EntityCatalog {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  // The built-in entities come first, so that matching staging fields to OData properties finds them.
  const builtIn = BUILT_IN_CATALOG.entities.slice(0, Math.min(count, BUILT_IN_CATALOG.entities.length));
  const entities: CatalogEntity[] = [...builtIn];
  for (let i = entities.length; i < count; i++) {
    const base = `${pick(WORDS)}${pick(WORDS)}${i}`;
    const used = new Set<string>();
    const fields: CatalogField[] = [];
    const width = 80 + Math.floor(random() * 130);
    while (fields.length < width) {
      const publicName = `${pick(WORDS)}${pick(WORDS)}${random() < 0.3 ? pick(WORDS) : ''}`;
      if (used.has(publicName.toUpperCase())) continue;
      used.add(publicName.toUpperCase());
      const r = random();
      const field: CatalogField =
        r < 0.55
          ? {
              name: publicName.toUpperCase(),
              publicName,
              type: 'String',
              maxLength: pick(LENGTHS),
              mandatory: random() < 0.08,
            }
          : r < 0.7
            ? { name: publicName.toUpperCase(), publicName, type: 'Real', mandatory: false }
            : r < 0.8
              ? { name: publicName.toUpperCase(), publicName, type: 'NoYes', enumType: 'NoYes', mandatory: false }
              : r < 0.9
                ? {
                    name: publicName.toUpperCase(),
                    publicName,
                    type: 'Enum',
                    enumType: pick(ENUMS).name,
                    mandatory: false,
                  }
                : r < 0.95
                  ? { name: publicName.toUpperCase(), publicName, type: 'Date', mandatory: false }
                  : { name: publicName.toUpperCase(), publicName, type: 'Int', mandatory: false };
      fields.push(field);
    }
    const keyCount = 1 + Math.floor(random() * 3);
    const keys = fields
      .filter((f) => f.type === 'String')
      .slice(0, keyCount)
      .map((f) => f.name);
    const relations = Array.from({ length: Math.floor(random() * 5) }, () => {
      const target = entities[Math.floor(random() * entities.length)]!;
      const from = fields.find((f) => f.type === 'String' && !keys.includes(f.name) && random() < 0.2);
      return from && target.keys.length === 1
        ? [{ fields: [from.name], target: target.targetEntity, targetFields: [target.keys[0]!] }]
        : [];
    }).flat();
    entities.push({
      label: `${base.replace(/\d+$/, '')} ${i}`,
      publicEntityName: base,
      publicCollectionName: `${base}s`,
      targetEntity: `${base}Entity`,
      area: 'Generated',
      companySpecific: random() < 0.8,
      fields: fields.map((f) => (keys.includes(f.name) ? { ...f, mandatory: true } : f)),
      keys,
      relations,
      fieldCoverage: 'complete',
      sources: [{ kind: 'inferred', ref: 'generated', covers: 'everything' }],
    });
  }
  return { origin: 'generated', entities, enums: [...BUILT_IN_CATALOG.enums, ...ENUMS] };
}

/** The documents an environment with `count` generated entities serves. */
export function generatedMetadata(count: number, seed = 10): RenderedMetadata {
  return renderMetadataDocuments(generatedCatalog(count, seed), 'https://generated.operations.dynamics.com');
}
