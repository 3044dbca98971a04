import type { ValueMapService } from '../../services/valueMaps/valueMapService';
import type { DomainHandlers } from '../dispatcher';

export function valueMapHandlers(valueMaps: ValueMapService): DomainHandlers<'values'> {
  return {
    'values.list': async ({ dir }) => valueMaps.list(dir),
    'values.get': async ({ dir, id }) => valueMaps.get(dir, id),
    'values.create': async ({ dir, entity, field, name, sourceColumn }) =>
      valueMaps.create(dir, {
        entity,
        field,
        ...(name ? { name } : {}),
        ...(sourceColumn ? { sourceColumn } : {}),
      }),
    'values.setRules': async ({ dir, id, set, remove }) => valueMaps.setRules(dir, id, set, remove),
    'values.delete': async ({ dir, id }) => ({ deleted: await valueMaps.delete(dir, id) }),
    'values.readTargets': async ({ dir, id, from, entity, values }) =>
      valueMaps.readTargets(dir, id, from, { ...(entity ? { entity } : {}), ...(values ? { values } : {}) }),
    'values.draft': async ({ dir, id, datasetId, column, limit }) => valueMaps.draft(dir, id, datasetId, column, limit),
    'values.apply': async ({ dir, id, datasetId, column }) => valueMaps.apply(dir, id, datasetId, column),
    'values.export': async ({ dir, id, path, datasetId, column, overwrite }) =>
      valueMaps.export(dir, id, path, {
        ...(datasetId ? { datasetId } : {}),
        ...(column ? { column } : {}),
        overwrite,
      }),
    'values.import': async ({ dir, id, path }) => valueMaps.import(dir, id, path),
  };
}
