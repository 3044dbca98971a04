import { resolve } from 'node:path';
import { indexCatalog } from '../../../shared/domain/catalog';
import type { CatalogIndex } from '../../../shared/domain/catalog';
import { MetadataReadError } from '../../services/metadata/edmxReader';
import { readMetadataFolder } from '../../services/metadata/metadataFolder';
import { UsageError } from '../io';

/** The catalog built from a folder of saved metadata documents; unreadable input is a usage error (exit 2). */
export async function loadCatalog(folder: string, cwd: string): Promise<CatalogIndex> {
  try {
    return indexCatalog((await readMetadataFolder(resolve(cwd, folder))).catalog);
  } catch (error) {
    if (error instanceof MetadataReadError) throw new UsageError(error.message);
    throw error;
  }
}
