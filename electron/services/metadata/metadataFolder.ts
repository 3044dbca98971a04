/**
 * A folder of metadata documents saved from an environment (or written by the emulator):
 * $metadata.xml, DataEntities.json, PublicEnumerations.json and optionally Labels.json. Used by
 * `dmfw catalog --metadata` and `dmfw validate --metadata`, and by tests.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BUILT_IN_CATALOG } from '../../../shared/domain/catalog';
import type { MetadataCatalogResult } from '../../../shared/domain/catalog/metadata/build';
import { MetadataReadError, readEdmxCatalog } from './edmxReader';
import type { EdmxLimits } from './edmxReader';

export const METADATA_FILES = Object.freeze({
  edmx: ['$metadata.xml', 'metadata.xml'],
  dataEntities: 'DataEntities.json',
  publicEnumerations: 'PublicEnumerations.json',
  labels: 'Labels.json',
});

const MAX_JSON_BYTES = 256 * 2 ** 20;

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

/** Reads and parses one JSON document with a size limit; errors name the file. */
export async function readJsonDocument(path: string, maxBytes = MAX_JSON_BYTES): Promise<unknown> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    throw new MetadataReadError(path, 'does not exist.');
  }
  if (size > maxBytes)
    throw new MetadataReadError(path, `is larger than ${Math.round(maxBytes / 2 ** 20)} MB; refusing to read it.`);
  const text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new MetadataReadError(
      path,
      `is not valid JSON (${(error as Error).message}): save the response body as it came.`,
    );
  }
}

export async function readMetadataFolder(folder: string, limits: EdmxLimits = {}): Promise<MetadataCatalogResult> {
  let edmxPath: string | undefined;
  for (const name of METADATA_FILES.edmx) {
    if (await exists(join(folder, name))) {
      edmxPath = join(folder, name);
      break;
    }
  }
  if (!edmxPath) {
    throw new MetadataReadError(folder, `has no $metadata.xml: save <environment>/data/$metadata there.`);
  }
  const labelsPath = join(folder, METADATA_FILES.labels);
  const [dataEntities, publicEnumerations, labels] = await Promise.all([
    readJsonDocument(join(folder, METADATA_FILES.dataEntities)),
    readJsonDocument(join(folder, METADATA_FILES.publicEnumerations)),
    (await exists(labelsPath)) ? readJsonDocument(labelsPath) : Promise.resolve(undefined),
  ]);
  try {
    return await readEdmxCatalog(
      edmxPath,
      {
        origin: folder,
        dataEntities,
        publicEnumerations,
        ...(labels === undefined ? {} : { labels }),
        fallback: BUILT_IN_CATALOG,
        provenance: { layer: 'metadata', label: `metadata saved in ${folder}` },
      },
      limits,
    );
  } catch (error) {
    if (error instanceof MetadataReadError) throw error;
    throw new MetadataReadError(folder, (error as Error).message);
  }
}
