import { resolve } from 'node:path';
import { BUILT_IN_CATALOG, indexCatalog } from '../../../shared/domain/catalog';
import type { CatalogIndex } from '../../../shared/domain/catalog';
import { indexLayers } from '../../../shared/domain/catalog/layers';
import { UsageError } from '../io';

/** The catalog built from a folder of saved metadata documents; unreadable input is a usage error (exit 2). */
export async function loadCatalog(folder: string, cwd: string): Promise<CatalogIndex> {
  // Loaded on demand: the metadata readers cost every dmfw command about 0.2 s of startup otherwise.
  const [{ MetadataReadError }, { readMetadataFolder }] = await Promise.all([
    import('../../services/metadata/edmxReader'),
    import('../../services/metadata/metadataFolder'),
  ]);
  try {
    // The environment's metadata first; the built-in catalog fills in what it lacks, unverified.
    return indexLayers({
      metadata: (await readMetadataFolder(resolve(cwd, folder))).catalog,
      builtIn: BUILT_IN_CATALOG,
    });
  } catch (error) {
    if (error instanceof MetadataReadError) throw new UsageError(error.message);
    throw error;
  }
}

/** The catalog a command uses: an environment's saved metadata when `--metadata` is given, else the built-in one. */
export async function catalogFor(metadataFolder: string | undefined, cwd: string): Promise<CatalogIndex> {
  return metadataFolder === undefined ? indexCatalog(BUILT_IN_CATALOG) : loadCatalog(metadataFolder, cwd);
}
