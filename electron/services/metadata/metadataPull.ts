/**
 * Pulls an environment's metadata into a snapshot (metadataSnapshots.ts): every document is
 * streamed to disk while it is hashed (a real $metadata is 30 MB or more: never held whole), then
 * $metadata is parsed streaming from the file, the catalog built and compiled, the staging fields
 * the workbench knows matched to the OData properties, and the folder renamed into place.
 */
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { createHash } from 'node:crypto';
import type {
  FieldMatching,
  MetadataDocumentInfo,
  MetadataPullProgress,
  MetadataSnapshotSummary,
} from '../../../shared/api/domains/catalog';
import type { MetadataSnapshotInfo } from '../../../shared/api/domains/catalog';
import { AppError } from '../../../shared/api/errors';
import { BUILT_IN_CATALOG, indexCatalog } from '../../../shared/domain/catalog';
import type { EntityCatalog } from '../../../shared/domain/catalog';
import { writeFileAtomic } from '../fs/atomicWrite';
import type { DmfClient } from '../dmf/dmfClient';
import { readReplyText } from '../net/replyBody';
import { MetadataReadError } from './edmxReader';
import type { EdmxLimits } from './edmxReader';
import { METADATA_FILES } from './metadataFolder';
import {
  EDMX_FILE,
  SNAPSHOT_FILE,
  buildFromDocuments,
  sha256,
  snapshotFolderName,
  snapshotLabel,
  writeCompiled,
} from './metadataSnapshots';
import type { MetadataSnapshots } from './metadataSnapshots';

/** $metadata may be large; the JSON documents are refused past this many bytes. */
const MAX_EDMX_BYTES = 512 * 2 ** 20;
const MAX_JSON_BYTES = 256 * 2 ** 20;
/** Pages of a metadata-service document followed at most (nextLink), so a loop cannot run forever. */
const MAX_PAGES = 1000;
const NOTES_KEPT = 200;

export interface PullEnvironment {
  readonly id: string;
  readonly name: string;
  readonly url: string | null;
}

export interface PullOptions {
  readonly dmf: Pick<DmfClient, 'metadataDocument' | 'versions'>;
  readonly environment: PullEnvironment;
  readonly store: MetadataSnapshots;
  readonly onProgress?: (progress: MetadataPullProgress) => void;
  readonly signal?: AbortSignal;
  readonly now?: () => Date;
  readonly limits?: EdmxLimits;
  /** The staging fields to match against the OData properties (default: the built-in catalog). */
  readonly known?: EntityCatalog;
}

export async function pullMetadata(options: PullOptions): Promise<MetadataSnapshotSummary> {
  const { dmf, environment, store } = options;
  const pulledAt = (options.now ?? (() => new Date()))().toISOString();
  const progress = (p: Omit<MetadataPullProgress, 'environmentId'>) =>
    options.onProgress?.({ environmentId: environment.id, ...p });
  const temp = await store.temporaryFolder(environment.id);
  try {
    const documents: MetadataDocumentInfo[] = [];
    documents.push(await download(dmf, '/data/$metadata', join(temp, EDMX_FILE), options, progress));
    for (const [path, file] of [
      ['/Metadata/DataEntities', METADATA_FILES.dataEntities],
      ['/Metadata/PublicEnumerations', METADATA_FILES.publicEnumerations],
    ] as const) {
      documents.push(await downloadJson(dmf, path, join(temp, file), environment.name, options, progress));
    }
    const notes: string[] = [];
    // Labels are served by few environments as a whole collection: without them, labels come
    // from F&O's packages and the built-in catalog.
    try {
      documents.push(
        await downloadJson(
          dmf,
          '/Metadata/Labels',
          join(temp, METADATA_FILES.labels),
          environment.name,
          options,
          progress,
        ),
      );
    } catch (error) {
      if (options.signal?.aborted) throw error;
      notes.push(
        `${environment.name} did not serve /Metadata/Labels (${(error as Error).message}); entity labels come from F&O's packages and the built-in catalog.`,
      );
    }
    const version = await dmf.versions(options.signal ? { signal: options.signal } : {});

    progress({
      phase: 'parse',
      document: null,
      bytes: 0,
      total: null,
      message: `Reading the metadata of ${environment.name}…`,
    });
    const built = await buildFromDocuments(
      temp,
      { environmentName: environment.name, pulledAt, documents },
      options.limits,
    );
    progress({ phase: 'save', document: null, bytes: 0, total: null, message: 'Saving the snapshot…' });
    await writeCompiled(temp, built);
    const allNotes = [...notes, ...built.notes];
    const info: MetadataSnapshotInfo = {
      environmentId: environment.id,
      environmentName: environment.name,
      url: environment.url,
      pulledAt,
      label: snapshotLabel(environment.name, pulledAt),
      version,
      documents,
      hash: sha256(documents.map((d) => `${d.file}:${d.sha256}`).join('\n')),
      entities: built.catalog.entities.length,
      enums: built.catalog.enums.length,
      matching: matchStagingFields(built.catalog, options.known ?? BUILT_IN_CATALOG),
      notes: allNotes.slice(0, NOTES_KEPT),
      notesTotal: allNotes.length,
    };
    await writeFileAtomic(join(temp, SNAPSHOT_FILE), `${JSON.stringify(info, null, 2)}\n`);
    const folder = join(store.environmentDir(environment.id), snapshotFolderName(pulledAt));
    await rename(temp, folder);
    await store.prune(environment.id);
    progress({
      phase: 'done',
      document: null,
      bytes: 0,
      total: null,
      message: `${info.entities.toLocaleString('en-US')} entities saved as ${info.label}.`,
    });
    return { ...info, folder };
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    if (error instanceof MetadataReadError) {
      throw new AppError(
        'REMOTE_FAILED',
        `The metadata of ${environment.name} could not be read: ${error.message}. The earlier snapshot (if any) is kept.`,
      );
    }
    throw error;
  }
}

type Progress = (p: Omit<MetadataPullProgress, 'environmentId'>) => void;

/** Streams a document to `file`, hashing and counting as it goes. */
async function download(
  dmf: PullOptions['dmf'],
  path: string,
  file: string,
  options: PullOptions,
  progress: Progress,
): Promise<MetadataDocumentInfo> {
  const response = await dmf.metadataDocument(path, options.signal ? { signal: options.signal } : {});
  const announced = Number(response.headers.get('content-length') ?? '') || null;
  if (announced !== null && announced > MAX_EDMX_BYTES) {
    await response.body?.cancel();
    throw tooLarge(options.environment.name, path, MAX_EDMX_BYTES);
  }
  const hash = createHash('sha256');
  const out = createWriteStream(file, { mode: 0o600 });
  let bytes = 0;
  try {
    for await (const chunk of (response.body ?? []) as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      if (bytes > MAX_EDMX_BYTES) throw tooLarge(options.environment.name, path, MAX_EDMX_BYTES);
      hash.update(chunk);
      if (!out.write(chunk)) await once(out, 'drain');
      progress({ phase: 'download', document: path, bytes, total: announced, message: `Downloading ${path}` });
    }
    out.end();
    await once(out, 'close');
  } catch (error) {
    out.destroy();
    await response.body?.cancel().catch(() => undefined);
    throw error;
  }
  return { file: fileName(file), path, bytes, sha256: hash.digest('hex') };
}

/**
 * A metadata-service document, following @odata.nextLink where the environment pages it, saved
 * as one `{ value: [...] }` document.
 */
async function downloadJson(
  dmf: PullOptions['dmf'],
  path: string,
  file: string,
  environmentName: string,
  options: PullOptions,
  progress: Progress,
): Promise<MetadataDocumentInfo> {
  const values: unknown[] = [];
  let next: string | null = path;
  let bytes = 0;
  let single: string | null = null;
  for (let page = 0; next !== null; page++) {
    if (page >= MAX_PAGES)
      throw new AppError(
        'REMOTE_FAILED',
        `${environmentName} paged ${path} more than ${MAX_PAGES} times; it was not read.`,
      );
    const response = await dmf.metadataDocument(next, options.signal ? { signal: options.signal } : {});
    // Streamed and cut off at what is left of the document's limit (a chunked page has no Content-Length).
    const text = await readReplyText(response, `${environmentName} ${path}`, MAX_JSON_BYTES - bytes);
    bytes += Buffer.byteLength(text);
    progress({ phase: 'download', document: path, bytes, total: null, message: `Downloading ${path}` });
    let json: { value?: unknown; '@odata.nextLink'?: unknown };
    try {
      json = JSON.parse(text.replace(/^\uFEFF/, '')) as typeof json;
    } catch {
      throw new AppError('REMOTE_FAILED', `${environmentName} answered ${path} with something that is not JSON.`);
    }
    const link = json['@odata.nextLink'];
    if (page === 0 && typeof link !== 'string') single = text;
    if (Array.isArray(json.value)) values.push(...(json.value as unknown[]));
    next = typeof link === 'string' ? relativeTo(link, path) : null;
  }
  // One page: saved byte for byte as F&O sent it. Paged: the pages' values as one document.
  const content = single ?? JSON.stringify({ value: values });
  await writeFileAtomic(file, content, { mode: 0o600 });
  return { file: fileName(file), path, bytes: Buffer.byteLength(content), sha256: sha256(content) };
}

/** A nextLink is absolute; the client asks by path under its API base. */
function relativeTo(link: string, path: string): string {
  try {
    const url = new URL(link);
    const at = url.pathname.indexOf(path.slice(0, path.indexOf('/', 1) + 1) || path);
    return at >= 0 ? `${url.pathname.slice(at)}${url.search}` : `${path}${url.search}`;
  } catch {
    return link.startsWith('/') ? link : `${path}${link.startsWith('?') ? link : `?${link}`}`;
  }
}

function fileName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function tooLarge(environmentName: string, path: string, max: number): AppError {
  return new AppError(
    'REMOTE_FAILED',
    `${environmentName} sent ${path} larger than ${Math.round(max / 2 ** 20)} MB; it was not saved.`,
  );
}

/**
 * Matches the staging fields the workbench knows (upper case, as packages name them) to the
 * environment's OData properties (build.ts names a property's staging field by upper-casing it),
 * and says which did not match: F&O keeps some staging fields out of OData, and a name the
 * built-in catalog got wrong shows here.
 */
export function matchStagingFields(environment: EntityCatalog, known: EntityCatalog): FieldMatching {
  const env = indexCatalog(environment);
  const missingEntities: string[] = [];
  const unmatched: { entity: string; fields: string[] }[] = [];
  let entitiesMatched = 0;
  let fieldsMatched = 0;
  for (const k of known.entities) {
    const e = env.findEntity(k.targetEntity);
    if (!e) {
      missingEntities.push(k.label);
      continue;
    }
    entitiesMatched++;
    const properties = new Set(e.fields.map((f) => f.name));
    const missing: string[] = [];
    for (const f of k.fields) {
      if (properties.has(f.name)) fieldsMatched++;
      else missing.push(f.name);
    }
    if (missing.length > 0) unmatched.push({ entity: e.label === e.targetEntity ? k.label : e.label, fields: missing });
  }
  return { entitiesMatched, missingEntities, fieldsMatched, unmatched };
}
