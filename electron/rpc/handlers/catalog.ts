import type { CatalogEntitySummary, CatalogFieldInfo } from '../../../shared/api/domains/catalog';
import { AppError } from '../../../shared/api/errors';
import type { CatalogEntity, CatalogIndex } from '../../../shared/domain/catalog';
import type { CatalogService } from '../../services/metadata/liveCatalog';
import type { DomainHandlers } from '../dispatcher';

export function catalogHandlers(catalogs: CatalogService): DomainHandlers<'catalog'> {
  return {
    'catalog.entities': async ({ environmentId }) => {
      const loaded = await catalogs.catalog(environmentId);
      return {
        origin: loaded.origin,
        environmentId: loaded.environmentId,
        entities: loaded.index.catalog.entities.map((e) => summaryOf(e, loaded.index)),
        notes: loaded.notes,
      };
    },
    'catalog.fields': async ({ entity, environmentId }) => {
      const found = (await catalogs.catalog(environmentId)).index.findEntity(entity);
      if (!found) {
        throw new AppError('NOT_FOUND', `"${entity}" is not an entity of this catalog. Pick one from the list.`);
      }
      return found.fields.map((f): CatalogFieldInfo => ({
        name: f.name,
        publicName: f.publicName,
        type: f.type,
        maxLength: f.maxLength ?? null,
        mandatory: f.mandatory,
        key: found.keys.includes(f.name),
      }));
    },
    'catalog.pullMetadata': async ({ environmentId }) => catalogs.pull(environmentId),
    'catalog.metadataSnapshots': async ({ environmentId }) => ({ snapshots: await catalogs.snapshots(environmentId) }),
    'catalog.pullReferences': async ({ environmentId, company, entities }) =>
      catalogs.pullReferences(environmentId, company, entities),
    'catalog.referenceSnapshots': async ({ environmentId, company }) => ({
      snapshots: await catalogs.referenceSnapshots(environmentId, company),
    }),
  };
}

export function summaryOf(entity: CatalogEntity, index: CatalogIndex): CatalogEntitySummary {
  const references = new Set<string>();
  for (const relation of entity.relations) {
    const target = index.findEntity(relation.target);
    if (target && target.label !== entity.label) references.add(target.label);
  }
  return {
    label: entity.label,
    targetEntity: entity.targetEntity,
    area: entity.area,
    companySpecific: entity.companySpecific,
    keys: entity.keys,
    fieldCount: entity.fields.length,
    mandatoryFields: entity.fields.filter((f) => f.mandatory).map((f) => f.name),
    references: [...references].sort(),
  };
}
