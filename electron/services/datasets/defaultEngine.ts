/** The engine as the app runs it: the built-in entity catalog and the package engine's readers. */
import { BUILT_IN_CATALOG, indexCatalog } from '../../../shared/domain/catalog';
import { DatasetEngine } from './engine';
import type { EngineOptions, ReaderFactory } from './engine';
import { openSourceFile } from './readers';

export function createDatasetEngine(emit: EngineOptions['emit'], openReader?: ReaderFactory): DatasetEngine {
  return new DatasetEngine({ openReader: openReader ?? openSourceFile, catalog: indexCatalog(BUILT_IN_CATALOG), emit });
}
