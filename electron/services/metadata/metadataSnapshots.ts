/**
 * Environment metadata snapshots: the documents an environment served ($metadata, DataEntities,
 * PublicEnumerations and, where served, Labels), saved per environment with their date and hashes,
 * so that its entity knowledge works offline from then on ("pull once, work on the plane").
 *
 *   <dataDir>/metadata/<environment>/<pulled at>/
 *     $metadata.xml  DataEntities.json  PublicEnumerations.json  [Labels.json]   as F&O sent them
 *     catalog.json    the compiled catalog (what validation loads, in well under a second)
 *     snapshot.json   the record: environment, date, version, each document's size and SHA-256
 *
 * A snapshot folder is also a metadata folder (`--metadata <folder>` reads it). The compiled form
 * is checked against its hash before use; when it is missing or damaged the catalog is built again
 * from the raw documents, which are the truth.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { MetadataSnapshotInfo } from '../../../shared/api/domains/catalog';
import type { EntityCatalog } from '../../../shared/domain/catalog';
import type { MetadataCatalogResult } from '../../../shared/domain/catalog/metadata/build';
import { writeFileAtomic } from '../fs/atomicWrite';
import { MetadataReadError, readEdmxCatalog } from './edmxReader';
import type { EdmxLimits } from './edmxReader';
import { METADATA_FILES, readJsonDocument } from './metadataFolder';

/** The name F&O's $metadata is saved under (the first name metadataFolder.ts looks for). */
export const EDMX_FILE = '$metadata.xml';
export const SNAPSHOT_FILE = 'snapshot.json';
export const COMPILED_FILE = 'catalog.json';
/** Bumped when the compiled form changes shape: an older one is rebuilt from the raw documents. */
export const COMPILED_FORMAT = 1;
/** Snapshots kept per environment (each holds a $metadata of tens of MB); older ones are removed. */
export const SNAPSHOTS_KEPT = 3;

export interface CompiledCatalog {
  readonly format: number;
  readonly catalog: EntityCatalog;
  readonly notes: readonly string[];
}

/** A saved snapshot: its record and where it lies. */
export interface SavedMetadataSnapshot {
  readonly folder: string;
  readonly info: MetadataSnapshotInfo;
}

/** How findings name a snapshot's rules: "USMF-UAT metadata of 2026-12-01". */
export function snapshotLabel(environmentName: string, pulledAt: string): string {
  return `${environmentName} metadata of ${pulledAt.slice(0, 10)}`;
}

/** A folder name for an environment id that is safe on every file system. */
export function environmentFolderName(environmentId: string): string {
  return /^[A-Za-z0-9_-]{1,80}$/.test(environmentId)
    ? environmentId
    : `env-${createHash('sha256').update(environmentId).digest('hex').slice(0, 24)}`;
}

/** A snapshot's folder name: its date, sortable ("2026-12-03T13-40-05-123Z"). */
export function snapshotFolderName(pulledAt: string): string {
  return pulledAt.replace(/[:.]/g, '-');
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export class MetadataSnapshots {
  constructor(readonly root: string) {}

  environmentDir(environmentId: string): string {
    return join(this.root, environmentFolderName(environmentId));
  }

  /** The environment's snapshots, newest first. A folder without a readable record is skipped. */
  async list(environmentId: string): Promise<SavedMetadataSnapshot[]> {
    const dir = this.environmentDir(environmentId);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return [];
    }
    const saved: SavedMetadataSnapshot[] = [];
    for (const name of names
      .filter((n) => !n.startsWith('.'))
      .sort()
      .reverse()) {
      const info = await readRecord(join(dir, name));
      if (info) saved.push({ folder: join(dir, name), info });
    }
    return saved;
  }

  async latest(environmentId: string): Promise<SavedMetadataSnapshot | null> {
    return (await this.list(environmentId))[0] ?? null;
  }

  /** Removes all but the newest SNAPSHOTS_KEPT snapshots of the environment. */
  async prune(environmentId: string): Promise<void> {
    for (const old of (await this.list(environmentId)).slice(SNAPSHOTS_KEPT)) {
      await rm(old.folder, { recursive: true, force: true });
    }
  }

  /** A temp folder for a pull, beside the snapshots (renamed into place once complete). */
  async temporaryFolder(environmentId: string): Promise<string> {
    const dir = this.environmentDir(environmentId);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const folder = join(dir, `.pull-${process.pid}-${Date.now().toString(36)}`);
    await mkdir(folder, { mode: 0o700 });
    return folder;
  }
}

async function readRecord(folder: string): Promise<MetadataSnapshotInfo | null> {
  try {
    const info = JSON.parse(await readFile(join(folder, SNAPSHOT_FILE), 'utf8')) as MetadataSnapshotInfo;
    return typeof info.pulledAt === 'string' && typeof info.environmentName === 'string' ? info : null;
  } catch {
    return null;
  }
}

/** Whether a folder holds a pulled snapshot (snapshot.json beside the documents). */
export async function isSnapshotFolder(folder: string): Promise<boolean> {
  return stat(join(folder, SNAPSHOT_FILE)).then(
    (s) => s.isFile(),
    () => false,
  );
}

/**
 * The catalog of a saved snapshot: the compiled form when its hash matches the record, else
 * built again from the raw documents (and the compiled form written anew).
 */
export async function loadSnapshotCatalog(
  folder: string,
  limits: EdmxLimits = {},
): Promise<MetadataCatalogResult & { readonly info: MetadataSnapshotInfo; readonly compiled: boolean }> {
  const info = await readRecord(folder);
  if (!info) throw new MetadataReadError(folder, `has no readable ${SNAPSHOT_FILE}: pull the metadata again.`);
  const compiled = await readCompiled(folder);
  if (compiled) return { catalog: compiled.catalog, notes: compiled.notes, info, compiled: true };
  const built = await buildFromDocuments(folder, info, limits);
  await writeCompiled(folder, built).catch(() => undefined);
  return { ...built, info, compiled: false };
}

async function readCompiled(folder: string): Promise<CompiledCatalog | null> {
  let bytes: Buffer;
  try {
    bytes = await readFile(join(folder, COMPILED_FILE));
  } catch {
    return null;
  }
  // The hash beside it tells a complete, unchanged compiled form from a damaged one.
  const recorded = await readFile(join(folder, `${COMPILED_FILE}.sha256`), 'utf8').catch(() => '');
  if (recorded.trim() !== sha256(bytes)) return null;
  try {
    const parsed = JSON.parse(bytes.toString('utf8')) as CompiledCatalog;
    return parsed.format === COMPILED_FORMAT && Array.isArray(parsed.catalog?.entities) ? parsed : null;
  } catch {
    return null;
  }
}

/** Writes the compiled form; returns its hash. */
export async function writeCompiled(folder: string, built: MetadataCatalogResult): Promise<string> {
  const compiled: CompiledCatalog = { format: COMPILED_FORMAT, catalog: built.catalog, notes: built.notes };
  const text = JSON.stringify(compiled);
  const hash = sha256(text);
  await writeFileAtomic(join(folder, COMPILED_FILE), text);
  await writeFileAtomic(join(folder, `${COMPILED_FILE}.sha256`), `${hash}\n`);
  return hash;
}

/** Builds the catalog from a snapshot's raw documents, checking each against its recorded hash. */
export async function buildFromDocuments(
  folder: string,
  info: Pick<MetadataSnapshotInfo, 'environmentName' | 'pulledAt' | 'documents'>,
  limits: EdmxLimits = {},
): Promise<MetadataCatalogResult> {
  for (const doc of info.documents) {
    const bytes = await readFile(join(folder, doc.file)).catch(() => null);
    if (!bytes) throw new MetadataReadError(join(folder, doc.file), 'is missing from the snapshot: pull it again.');
    if (sha256(bytes) !== doc.sha256)
      throw new MetadataReadError(
        join(folder, doc.file),
        'does not match the hash recorded when it was pulled (changed or damaged): pull the metadata again.',
      );
  }
  const has = (file: string) => info.documents.some((d) => d.file === file);
  const [dataEntities, publicEnumerations, labels] = await Promise.all([
    readJsonDocument(join(folder, METADATA_FILES.dataEntities)),
    readJsonDocument(join(folder, METADATA_FILES.publicEnumerations)),
    has(METADATA_FILES.labels) ? readJsonDocument(join(folder, METADATA_FILES.labels)) : Promise.resolve(undefined),
  ]);
  try {
    // No fallback: the snapshot holds what the environment said; the built-in catalog is a layer
    // below it at load time (layers.ts), marked as such.
    return await readEdmxCatalog(
      join(folder, EDMX_FILE),
      {
        origin: info.environmentName,
        dataEntities,
        publicEnumerations,
        ...(labels === undefined ? {} : { labels }),
        provenance: { layer: 'metadata', label: snapshotLabel(info.environmentName, info.pulledAt) },
      },
      limits,
    );
  } catch (error) {
    if (error instanceof MetadataReadError) throw error;
    throw new MetadataReadError(folder, (error as Error).message);
  }
}
