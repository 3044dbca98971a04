import { BUILT_IN_CATALOG } from '../../../shared/domain/catalog';
import type { CatalogIndex } from '../../../shared/domain/catalog';
import { indexLayers } from '../../../shared/domain/catalog/layers';
import type {
  MetadataPullProgress,
  MetadataSnapshotSummary,
  ReferencePullProgress,
  ReferenceSnapshotSummary,
} from '../../../shared/api/domains/catalog';
import type { ReferenceSnapshot } from '../../../shared/domain/validation';
import { AppError } from '../../../shared/api/errors';
import type { DmfClients } from '../dmf/dmfClients';
import type { EnvironmentService } from '../environments/environmentService';
import type { Logger } from '../logging/logger';
import { MetadataReadError } from './edmxReader';
import { pullMetadata } from './metadataPull';
import { MetadataSnapshots, loadSnapshotCatalog } from './metadataSnapshots';
import type { SavedMetadataSnapshot } from './metadataSnapshots';
import { ReferenceSnapshots, pullReferences } from './referenceSnapshots';

export interface LoadedCatalog {
  readonly index: CatalogIndex;
  /** "Built-in catalog" or the environment's name. */
  readonly origin: string;
  readonly environmentId: string | null;
  /** What the metadata reader wants the consultant to know (entities it could not read…). */
  readonly notes: readonly string[];
  /** The metadata snapshot the catalog was built from; null for the built-in catalog. */
  readonly snapshot: MetadataSnapshotSummary | null;
}

/**
 * The entity catalog to pick entities, map fields and validate with: the built-in one, or an
 * environment's layered catalog built from its latest saved metadata snapshot (metadataSnapshots.ts)
 * over the built-in one. An environment with no snapshot yet is pulled once (the first time it is
 * asked for); from then on its catalog works offline, and `pull` refreshes it on demand.
 */
export class CatalogService {
  readonly #dmf: DmfClients;
  readonly #environments: Pick<EnvironmentService, 'get'>;
  readonly #logger: Logger;
  readonly #builtIn: LoadedCatalog;
  readonly #snapshots: MetadataSnapshots;
  readonly #onProgress: (progress: MetadataPullProgress) => void;
  /** Per environment id: the catalog of its latest snapshot, by snapshot folder. */
  readonly #loaded = new Map<string, { folder: string; loading: Promise<LoadedCatalog> }>();
  readonly #pulls = new Map<string, Promise<MetadataSnapshotSummary>>();
  readonly #references: ReferenceSnapshots;
  readonly #onReferencesProgress: (progress: ReferencePullProgress) => void;

  constructor(options: {
    dmf: DmfClients;
    environments: Pick<EnvironmentService, 'get'>;
    logger: Logger;
    builtIn: CatalogIndex;
    /** `<dataDir>/metadata`. */
    snapshotsDir: string;
    /** `<dataDir>/references`. */
    referencesDir: string;
    onProgress?: (progress: MetadataPullProgress) => void;
    onReferencesProgress?: (progress: ReferencePullProgress) => void;
  }) {
    this.#references = new ReferenceSnapshots(options.referencesDir);
    this.#onReferencesProgress = options.onReferencesProgress ?? (() => {});
    this.#dmf = options.dmf;
    this.#environments = options.environments;
    this.#logger = options.logger;
    this.#snapshots = new MetadataSnapshots(options.snapshotsDir);
    this.#onProgress = options.onProgress ?? (() => {});
    this.#builtIn = {
      index: options.builtIn,
      origin: 'Built-in catalog',
      environmentId: null,
      notes: [],
      snapshot: null,
    };
  }

  builtIn(): LoadedCatalog {
    return this.#builtIn;
  }

  /** The built-in catalog (no environment), or the environment's, from its latest snapshot (pulled first if none). */
  async catalog(environmentId: string | null | undefined): Promise<LoadedCatalog> {
    if (!environmentId) return this.#builtIn;
    const id = this.#environments.get(environmentId).id;
    const saved = (await this.#snapshots.latest(id)) ?? (await this.#savedAfterPull(id));
    return this.#load(id, saved);
  }

  /** The environment's catalog when a snapshot is saved, else the built-in one: builds never wait for the network. */
  async cachedOrBuiltIn(environmentId: string | null | undefined): Promise<LoadedCatalog> {
    if (!environmentId) return this.#builtIn;
    let id: string;
    try {
      id = this.#environments.get(environmentId).id;
    } catch {
      return this.#builtIn;
    }
    const saved = await this.#snapshots.latest(id);
    if (!saved) return this.#builtIn;
    return this.#load(id, saved).catch(() => this.#builtIn);
  }

  /** Pulls the environment's metadata now (one pull per environment at a time). */
  async pull(environmentId: string): Promise<MetadataSnapshotSummary> {
    const env = this.#environments.get(environmentId);
    const running = this.#pulls.get(env.id);
    if (running) return running;
    const pulling = (async () => {
      const { dmf, profile } = await this.#dmf.open(env.id);
      const summary = await pullMetadata({
        dmf,
        environment: { id: env.id, name: profile.name, url: env.url },
        store: this.#snapshots,
        onProgress: this.#onProgress,
      });
      this.#logger.info(`Saved the metadata of ${profile.name}: ${summary.entities} entities (${summary.label})`);
      return summary;
    })();
    this.#pulls.set(env.id, pulling);
    try {
      return await pulling;
    } finally {
      this.#pulls.delete(env.id);
    }
  }

  /** The environment's saved snapshots, newest first. */
  async snapshots(environmentId: string): Promise<MetadataSnapshotSummary[]> {
    const env = this.#environments.get(environmentId);
    return (await this.#snapshots.list(env.id)).map(summaryOf);
  }

  /**
   * Reads the keys of referenced entities in a legal entity (all the catalog's referenced
   * entities, or `entities` by label) and saves them as a reference snapshot.
   */
  async pullReferences(
    environmentId: string,
    company: string,
    entities?: readonly string[],
  ): Promise<ReferenceSnapshotSummary> {
    const env = this.#environments.get(environmentId);
    const catalog = await this.cachedOrBuiltIn(env.id);
    const { dmf, profile } = await this.#dmf.open(env.id);
    const summary = await pullReferences({
      dmf,
      environment: { id: env.id, name: profile.name },
      company,
      catalog: catalog.index,
      ...(entities ? { entities } : {}),
      store: this.#references,
      onProgress: this.#onReferencesProgress,
    });
    this.#logger.info(`Saved ${summary.label}: ${summary.entities.length} entities`);
    return summary;
  }

  async referenceSnapshots(environmentId: string, company?: string): Promise<ReferenceSnapshotSummary[]> {
    return this.#references.list(this.#environments.get(environmentId).id, company);
  }

  /** The latest reference snapshot of the environment's legal entity, for validation; null when none was pulled. */
  async latestReferences(environmentId: string, company: string): Promise<ReferenceSnapshot | null> {
    const latest = await this.#references.latest(this.#environments.get(environmentId).id, company);
    return latest ? this.#references.load(latest) : null;
  }

  async #savedAfterPull(id: string): Promise<SavedMetadataSnapshot> {
    const pulled = await this.pull(id);
    return { folder: pulled.folder, info: pulled };
  }

  #load(id: string, saved: SavedMetadataSnapshot): Promise<LoadedCatalog> {
    const cached = this.#loaded.get(id);
    if (cached?.folder === saved.folder) return cached.loading;
    const loading = loadSnapshotCatalog(saved.folder).then(
      (built): LoadedCatalog => ({
        index: indexLayers({ metadata: built.catalog, builtIn: BUILT_IN_CATALOG }),
        origin: saved.info.environmentName,
        environmentId: id,
        notes: built.notes,
        snapshot: summaryOf(saved),
      }),
      (error: unknown) => {
        const message = error instanceof MetadataReadError || error instanceof Error ? error.message : String(error);
        throw new AppError(
          'REMOTE_FAILED',
          `The saved metadata of ${saved.info.environmentName} could not be read: ${message}. Pull it again, or use the built-in catalog.`,
        );
      },
    );
    this.#loaded.set(id, { folder: saved.folder, loading });
    loading.catch(() => this.#loaded.delete(id));
    return loading;
  }
}

function summaryOf(saved: SavedMetadataSnapshot): MetadataSnapshotSummary {
  return { ...saved.info, folder: saved.folder };
}
