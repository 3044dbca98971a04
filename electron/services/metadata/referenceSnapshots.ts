/**
 * Reference snapshots (issue 10 item 5): the keys of the entities a package refers to (customer
 * groups, currencies, payment terms…) as an environment's legal entity holds them, read over
 * OData once and kept with their date, so that references are checked before upload, offline:
 * a Customers V3 row whose customer group is neither in the package nor in the snapshot is
 * flagged, and the finding says which snapshot it was checked against.
 *
 *   <dataDir>/references/<environment>/<legal entity>/<pulled at>.json
 *
 * Reads are paged (F&O's @odata.nextLink, or $top/$skip when a page size is given), `$select`
 * the key fields only, `cross-company=true` with a dataAreaId filter for company-specific
 * entities (the signed-in user's default company does not matter) and for shared ones (which
 * belong to no company), and 429/503 answers wait as Retry-After says (DmfHttp).
 */
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReferencePullProgress, ReferenceSnapshotSummary } from '../../../shared/api/domains/catalog';
import { AppError } from '../../../shared/api/errors';
import type { CatalogEntity, CatalogIndex } from '../../../shared/domain/catalog';
import type { ReferenceSnapshot } from '../../../shared/domain/validation';
import type { DmfClient } from '../dmf/dmfClient';
import { writeFileAtomic } from '../fs/atomicWrite';
import { environmentFolderName, snapshotFolderName } from './metadataSnapshots';

/** Keys read per entity at most: a reference snapshot is for checking, not for copying an environment. */
export const MAX_KEYS_PER_ENTITY = 2_000_000;
/** Snapshots kept per environment and legal entity. */
export const REFERENCE_SNAPSHOTS_KEPT = 3;

export interface SavedReferenceEntity {
  /** The entity label. */
  readonly entity: string;
  readonly targetEntity: string;
  /** Staging field names of the columns of `rows`. */
  readonly fields: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** A saved snapshot: ReferenceSnapshot (what validation reads) plus where and when. */
export interface SavedReferenceSnapshot extends ReferenceSnapshot {
  readonly format: 1;
  readonly label: string;
  readonly environmentId: string;
  readonly environmentName: string;
  readonly company: string;
  readonly pulledAt: string;
  readonly entities: readonly SavedReferenceEntity[];
}

/** How findings name it: "USMF snapshot of USMF-UAT, 2026-12-01 10:00". */
export function referenceLabel(company: string, environmentName: string, pulledAt: string): string {
  return `${company.toUpperCase()} snapshot of ${environmentName}, ${pulledAt.slice(0, 10)} ${pulledAt.slice(11, 16)}`;
}

/**
 * The entities worth a snapshot: those `from` refers to (their relations' targets). Without
 * `from`, the targets of every relation of the catalog's entities.
 */
export function referencedEntities(catalog: CatalogIndex, from?: readonly string[]): CatalogEntity[] {
  const sources = from ? from.map((l) => catalog.requireEntity(l)) : catalog.catalog.entities;
  const targets = new Map<string, CatalogEntity>();
  for (const e of sources) {
    for (const r of e.relations) {
      const target = catalog.findEntity(r.target);
      if (target && target.keys.length > 0) targets.set(target.targetEntity, target);
    }
  }
  return [...targets.values()].sort((a, b) => a.label.localeCompare(b.label));
}

export class ReferenceSnapshots {
  constructor(readonly root: string) {}

  dir(environmentId: string, company: string): string {
    return join(this.root, environmentFolderName(environmentId), company.toUpperCase().replace(/[^A-Z0-9_-]/g, '_'));
  }

  /** Snapshots of the environment (one legal entity, or all), newest first. */
  async list(environmentId: string, company?: string): Promise<ReferenceSnapshotSummary[]> {
    const companies = company
      ? [this.dir(environmentId, company)]
      : await readdir(join(this.root, environmentFolderName(environmentId))).then(
          (names) => names.map((n) => join(this.root, environmentFolderName(environmentId), n)),
          () => [],
        );
    const found: ReferenceSnapshotSummary[] = [];
    for (const dir of companies) {
      const names = await readdir(dir).catch(() => [] as string[]);
      for (const name of names.filter((n) => n.endsWith('.summary.json'))) {
        try {
          found.push(JSON.parse(await readFile(join(dir, name), 'utf8')) as ReferenceSnapshotSummary);
        } catch {
          // A summary being written, or damaged: its snapshot is not offered.
        }
      }
    }
    return found.sort((a, b) => b.pulledAt.localeCompare(a.pulledAt));
  }

  async latest(environmentId: string, company: string): Promise<ReferenceSnapshotSummary | null> {
    return (await this.list(environmentId, company))[0] ?? null;
  }

  /** The snapshot itself (keys and all), for validation. */
  async load(summary: ReferenceSnapshotSummary): Promise<SavedReferenceSnapshot> {
    let text: string;
    try {
      text = await readFile(summary.file, 'utf8');
    } catch {
      throw new AppError('NOT_FOUND', `The reference snapshot ${summary.label} is gone: pull it again.`);
    }
    try {
      const snapshot = JSON.parse(text) as SavedReferenceSnapshot;
      if (snapshot.format !== 1 || !Array.isArray(snapshot.entities)) throw new Error('shape');
      return snapshot;
    } catch {
      throw new AppError('INVALID_INPUT', `The reference snapshot ${summary.label} is damaged: pull it again.`);
    }
  }

  async save(snapshot: SavedReferenceSnapshot): Promise<ReferenceSnapshotSummary> {
    const dir = this.dir(snapshot.environmentId, snapshot.company);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const base = join(dir, snapshotFolderName(snapshot.pulledAt));
    const summary: ReferenceSnapshotSummary = {
      label: snapshot.label,
      environmentId: snapshot.environmentId,
      environmentName: snapshot.environmentName,
      company: snapshot.company,
      pulledAt: snapshot.pulledAt,
      file: `${base}.json`,
      entities: snapshot.entities.map((e) => ({ entity: e.entity, fields: e.fields, keys: e.rows.length })),
    };
    await writeFileAtomic(summary.file, JSON.stringify(snapshot), { mode: 0o600 });
    // The summary last: a snapshot is offered only once it is whole.
    await writeFileAtomic(`${base}.summary.json`, `${JSON.stringify(summary, null, 2)}\n`, { mode: 0o600 });
    for (const old of (await this.list(snapshot.environmentId, snapshot.company)).slice(REFERENCE_SNAPSHOTS_KEPT)) {
      await rm(old.file, { force: true });
      await rm(old.file.replace(/\.json$/, '.summary.json'), { force: true });
    }
    return summary;
  }
}

export interface ReferencePullOptions {
  readonly dmf: Pick<DmfClient, 'readCollection'>;
  readonly environment: { readonly id: string; readonly name: string };
  readonly company: string;
  readonly catalog: CatalogIndex;
  /** Labels of the entities to read (default: every entity the catalog's entities refer to). */
  readonly entities?: readonly string[];
  readonly store: ReferenceSnapshots;
  readonly onProgress?: (progress: ReferencePullProgress) => void;
  readonly signal?: AbortSignal;
  readonly now?: () => Date;
  /** Rows per page ($top/$skip); default: F&O's own paging (@odata.nextLink). */
  readonly pageSize?: number;
}

export async function pullReferences(options: ReferencePullOptions): Promise<ReferenceSnapshotSummary> {
  const { catalog, company, environment } = options;
  const pulledAt = (options.now ?? (() => new Date()))().toISOString();
  const wanted = options.entities?.length
    ? options.entities.map((l) => catalog.requireEntity(l)).filter((e) => e.keys.length > 0)
    : referencedEntities(catalog);
  if (wanted.length === 0) {
    throw new AppError('INVALID_INPUT', 'None of these entities has a key to check references against.');
  }
  const entities: SavedReferenceEntity[] = [];
  for (const [index, entity] of wanted.entries()) {
    // The key, and any other fields the catalog's relations point at.
    const fields = [...entity.keys];
    for (const from of catalog.referencing(entity.targetEntity))
      for (const r of from.relations)
        if (r.target === entity.targetEntity) for (const f of r.targetFields) if (!fields.includes(f)) fields.push(f);
    const publicNames = fields.map((f) => catalog.findField(entity, f)?.publicName ?? f);
    const rows: string[][] = [];
    const progress = (keys: number) =>
      options.onProgress?.({
        environmentId: environment.id,
        company,
        entity: entity.label,
        done: index,
        total: wanted.length,
        keys,
      });
    progress(0);
    const query = {
      select: publicNames,
      crossCompany: true,
      ...(entity.companySpecific ? { filter: `dataAreaId eq '${company.toLowerCase().replace(/'/g, "''")}'` } : {}),
      ...(options.pageSize ? { pageSize: options.pageSize } : {}),
    };
    for await (const page of options.dmf.readCollection(
      entity.publicCollectionName,
      query,
      options.signal ? { signal: options.signal } : {},
    )) {
      for (const record of page) rows.push(publicNames.map((p) => textOf(record[p])));
      if (rows.length > MAX_KEYS_PER_ENTITY) {
        throw new AppError(
          'INVALID_INPUT',
          `${entity.label} has more than ${MAX_KEYS_PER_ENTITY.toLocaleString('en-US')} records in ${environment.name}: too many for a reference snapshot. Leave it out with --entities.`,
        );
      }
      progress(rows.length);
    }
    entities.push({ entity: entity.label, targetEntity: entity.targetEntity, fields, rows });
  }
  const snapshot: SavedReferenceSnapshot = {
    format: 1,
    label: referenceLabel(company, environment.name, pulledAt),
    environmentId: environment.id,
    environmentName: environment.name,
    company: company.toUpperCase(),
    pulledAt,
    entities,
  };
  return options.store.save(snapshot);
}

/** An OData value as the text a data file holds (strings as they are, enums by name, numbers as written). */
function textOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
