import { BUILT_IN_CATALOG, indexCatalog } from '../../../shared/domain/catalog';
import type { CatalogIndex } from '../../../shared/domain/catalog';
import { buildCatalogFromMetadata } from '../../../shared/domain/catalog/metadata/build';
import { AppError } from '../../../shared/api/errors';
import type { DmfClients } from '../dmf/dmfClients';
import type { Logger } from '../logging/logger';
import { MetadataReadError, parseEdmx } from './edmxReader';

/** Live metadata is read again after this long (entity extensions get deployed during a project). */
const TTL_MS = 30 * 60_000;
const MAX_JSON_BYTES = 256 * 2 ** 20;

export interface LoadedCatalog {
  readonly index: CatalogIndex;
  /** "Built-in catalog" or the environment's name. */
  readonly origin: string;
  readonly environmentId: string | null;
  /** What the metadata reader wants the consultant to know (entities it could not read…). */
  readonly notes: readonly string[];
}

/**
 * The entity catalog to pick entities and map fields from: the built-in one, or the one an
 * environment serves ($metadata, /Metadata/DataEntities, /Metadata/PublicEnumerations, Labels),
 * with the built-in catalog as the fallback for what the live documents leave out.
 */
export class CatalogService {
  readonly #dmf: DmfClients;
  readonly #logger: Logger;
  readonly #builtIn: LoadedCatalog;
  readonly #live = new Map<string, { at: number; loading: Promise<LoadedCatalog> }>();

  constructor(options: { dmf: DmfClients; logger: Logger; builtIn: CatalogIndex }) {
    this.#dmf = options.dmf;
    this.#logger = options.logger;
    this.#builtIn = { index: options.builtIn, origin: 'Built-in catalog', environmentId: null, notes: [] };
  }

  builtIn(): LoadedCatalog {
    return this.#builtIn;
  }

  /** The built-in catalog (no environment), or the environment's live one (read once per half hour). */
  async catalog(environmentId: string | null | undefined): Promise<LoadedCatalog> {
    if (!environmentId) return this.#builtIn;
    const cached = this.#live.get(environmentId);
    if (cached && Date.now() - cached.at < TTL_MS) return cached.loading;
    const loading = this.#read(environmentId);
    this.#live.set(environmentId, { at: Date.now(), loading });
    loading.catch(() => this.#live.delete(environmentId));
    return loading;
  }

  /** The live catalog when one was read lately, else the built-in one: builds never wait for the network. */
  async cachedOrBuiltIn(environmentId: string | null | undefined): Promise<LoadedCatalog> {
    const cached = environmentId ? this.#live.get(environmentId) : undefined;
    if (!cached) return this.#builtIn;
    return cached.loading.catch(() => this.#builtIn);
  }

  async #read(environmentId: string): Promise<LoadedCatalog> {
    const { dmf, profile } = await this.#dmf.open(environmentId);
    const json = async (path: string): Promise<unknown> => {
      const response = await dmf.metadataDocument(path);
      const length = Number(response.headers.get('content-length') ?? 0);
      if (length > MAX_JSON_BYTES) {
        await response.body?.cancel();
        throw new AppError('REMOTE_FAILED', `${profile.name} sent ${path} larger than 256 MB; it was not read.`);
      }
      return response.json() as Promise<unknown>;
    };
    const edmxResponse = await dmf.metadataDocument('/data/$metadata');
    const edmx = await parseEdmx(textChunks(edmxResponse), `${profile.name} $metadata`);
    const [dataEntities, publicEnumerations, labels] = await Promise.all([
      json('/Metadata/DataEntities'),
      json('/Metadata/PublicEnumerations'),
      json('/Metadata/Labels').catch(() => undefined),
    ]);
    try {
      const built = buildCatalogFromMetadata({
        origin: profile.name,
        edmx,
        dataEntities,
        publicEnumerations,
        ...(labels === undefined ? {} : { labels }),
        fallback: BUILT_IN_CATALOG,
      });
      this.#logger.info(`Read the entity catalog of ${profile.name}: ${built.catalog.entities.length} entities`);
      return {
        index: indexCatalog(built.catalog),
        origin: profile.name,
        environmentId,
        notes: built.notes,
      };
    } catch (error) {
      const message = error instanceof MetadataReadError || error instanceof Error ? error.message : String(error);
      throw new AppError(
        'REMOTE_FAILED',
        `The metadata of ${profile.name} could not be turned into an entity catalog: ${message}. Use the built-in catalog instead.`,
      );
    }
  }
}

async function* textChunks(response: Response): AsyncGenerator<string> {
  if (!response.body) return;
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    yield decoder.decode(chunk, { stream: true });
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}
