import { join, resolve } from 'node:path';
import { BUILT_IN_CATALOG, indexCatalog } from '../../../shared/domain/catalog';
import type { CatalogIndex } from '../../../shared/domain/catalog';
import { indexLayers } from '../../../shared/domain/catalog/layers';
import { workbenchHome } from '../context';
import type { CliIo } from '../io';
import { UsageError } from '../io';
import type { ReferenceSnapshot } from '../../../shared/domain/validation';

/** The options of every command that reads entity knowledge: `--metadata <folder>` or `--env <environment>`. */
export interface CatalogChoice {
  readonly metadata?: string | undefined;
  readonly env?: string | undefined;
}

/** The catalog built from a folder of saved metadata documents; unreadable input is a usage error (exit 2). */
export async function loadCatalog(folder: string, cwd: string): Promise<CatalogIndex> {
  // Loaded on demand: the metadata readers cost every dmfw command about 0.2 s of startup otherwise.
  const [{ MetadataReadError }, { readMetadataFolder }, snapshots] = await Promise.all([
    import('../../services/metadata/edmxReader'),
    import('../../services/metadata/metadataFolder'),
    import('../../services/metadata/metadataSnapshots'),
  ]);
  const path = resolve(cwd, folder);
  try {
    // A pulled snapshot has its compiled form beside the documents; a plain folder is parsed.
    const metadata = (await snapshots.isSnapshotFolder(path))
      ? (await snapshots.loadSnapshotCatalog(path)).catalog
      : (await readMetadataFolder(path)).catalog;
    // The environment's metadata first; the built-in catalog fills in what it lacks, unverified.
    return indexLayers({ metadata, builtIn: BUILT_IN_CATALOG });
  } catch (error) {
    if (error instanceof MetadataReadError) throw new UsageError(error.message);
    throw error;
  }
}

/** The environment a `--env` names (by name or id), read from the workbench's settings without connecting. */
export async function environmentNamed(
  name: string,
  io: CliIo,
): Promise<{ readonly id: string; readonly name: string; readonly defaultCompany: string; readonly home: string }> {
  const [{ openJsonFileSettingsStore }, { EnvironmentService }, { createLogger }, { AppError }] = await Promise.all([
    import('../../services/settings/jsonFileSettingsStore'),
    import('../../services/environments/environmentService'),
    import('../../services/logging/logger'),
    import('../../../shared/api/errors'),
  ]);
  const home = workbenchHome(io.env);
  const logger = createLogger({ sink: (line) => io.stderr(`${line}\n`), level: 'warn', scope: 'cli' });
  const settings = await openJsonFileSettingsStore(join(home, 'settings.json'), logger);
  try {
    const env = new EnvironmentService(settings, () => {}).get(name);
    return { id: env.id, name: env.name, defaultCompany: env.defaultCompany, home };
  } catch (error) {
    if (error instanceof AppError) throw new UsageError(error.message);
    throw error;
  }
}

/** The latest metadata snapshot folder of an environment; none is a usage error saying how to make one. */
export async function latestMetadataFolder(env: string, io: CliIo): Promise<string> {
  const { id, name, home } = await environmentNamed(env, io);
  const { MetadataSnapshots } = await import('../../services/metadata/metadataSnapshots');
  const latest = await new MetadataSnapshots(join(home, 'metadata')).latest(id);
  if (!latest) {
    throw new UsageError(
      `There is no metadata snapshot of ${name} yet: run \`dmfw metadata pull --env "${name}"\` once.`,
    );
  }
  return latest.folder;
}

/**
 * The catalog a command uses: an environment's saved metadata (`--metadata <folder>`, or the
 * latest snapshot of `--env <environment>`) layered over the built-in catalog, else the built-in one.
 */
export async function catalogFor(choice: CatalogChoice, io: CliIo): Promise<CatalogIndex> {
  if (choice.metadata !== undefined && choice.env !== undefined) {
    throw new UsageError('Give --metadata <folder> or --env <environment>, not both.');
  }
  if (choice.env !== undefined) return loadCatalog(await latestMetadataFolder(choice.env, io), io.cwd);
  return choice.metadata === undefined ? indexCatalog(BUILT_IN_CATALOG) : loadCatalog(choice.metadata, io.cwd);
}

/**
 * The latest reference snapshot of an environment's legal entity (`--company`, default the
 * environment's own), read offline; null when none was pulled (references to entities outside
 * the package are then not checked, and validate/lint say so).
 */
export async function latestReferenceSnapshot(
  env: string,
  company: string | undefined,
  io: CliIo,
): Promise<ReferenceSnapshot | null> {
  const { id, defaultCompany, home } = await environmentNamed(env, io);
  const { ReferenceSnapshots } = await import('../../services/metadata/referenceSnapshots');
  const store = new ReferenceSnapshots(join(home, 'references'));
  const latest = await store.latest(id, company ?? defaultCompany);
  return latest ? store.load(latest) : null;
}
