/** The entity catalog's public API. See ARCHITECTURE.md "Entity catalog, validation, sequencing". */
export type * from './types';
export {
  BUILT_IN_PROVENANCE,
  DEFAULT_REAL_SCALE,
  FIELD_TYPES,
  ENTITY_AREAS,
  KNOWLEDGE_LAYERS,
  SOURCE_KINDS,
} from './types';
export { BUILT_IN_CATALOG } from './builtInCatalog';
export { indexCatalog, matchEnumValue, suggestEntityLabels, UnknownEntityError } from './lookup';
export type { CatalogIndex } from './lookup';
export { snapshotAge } from './age';
export { assembleCatalog, headerOrder, stagingName, CatalogDefinitionError } from './define';
