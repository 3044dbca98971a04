import type { ValueMapService } from '../../services/valueMaps/valueMapService';
import type { DomainHandlers } from '../dispatcher';

export function valueMapHandlers(valueMaps: ValueMapService): DomainHandlers<'valueMaps'> {
  return {
    'valueMaps.list': async ({ dir }) => valueMaps.list(dir),
    'valueMaps.get': async ({ dir, id }) => valueMaps.get(dir, id),
    'valueMaps.create': async ({ dir, entity, field, name, sourceColumn }) =>
      valueMaps.create(dir, {
        entity,
        field,
        ...(name ? { name } : {}),
        ...(sourceColumn ? { sourceColumn } : {}),
      }),
    'valueMaps.setRules': async ({ dir, id, set, remove }) => valueMaps.setRules(dir, id, set, remove),
    'valueMaps.delete': async ({ dir, id }) => ({ deleted: await valueMaps.delete(dir, id) }),
    'valueMaps.readTargets': async ({ dir, id, from, entity, values }) =>
      valueMaps.readTargets(dir, id, from, { ...(entity ? { entity } : {}), ...(values ? { values } : {}) }),
    'valueMaps.draft': async ({ dir, id, datasetId, column, limit }) =>
      valueMaps.draft(dir, id, datasetId, column, limit),
    'valueMaps.apply': async ({ dir, id, datasetId, column }) => valueMaps.apply(dir, id, datasetId, column),
    'valueMaps.export': async ({ dir, id, path, datasetId, column, overwrite }) =>
      valueMaps.export(dir, id, path, {
        ...(datasetId ? { datasetId } : {}),
        ...(column ? { column } : {}),
        overwrite,
      }),
    'valueMaps.import': async ({ dir, id, path }) => valueMaps.import(dir, id, path),
  };
}
