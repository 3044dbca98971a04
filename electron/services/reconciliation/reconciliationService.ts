/**
 * Reconciliation of a finished import (contract `reconciliation.*`): the package the job sent is
 * read again (keys, chosen numeric fields, each row's source file and row from the job's
 * lineage), and every sent key is read back from F&O over OData, per entity and legal entity, in
 * batches of key filters; F&O's own $count over the same filters is kept beside what was read.
 * Retries on 429/503 honour Retry-After (DmfHttp). The report is kept in the job folder and, for
 * a project's run, in the project (reconciliations/<job>.json) for the cockpit and the sign-off
 * report.
 */
import { mkdir, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Publish } from '../../../shared/api/contract';
import type {
  ReconciledEntity,
  ReconciliationReport,
  ReconciliationStatus,
  ReconciliationSummary,
} from '../../../shared/api/domains/reconciliation';
import { AppError } from '../../../shared/api/errors';
import type { CatalogEntity, CatalogIndex } from '../../../shared/domain/catalog';
import { Reconciler, ReconciliationLimitError, keyBatches } from '../../../shared/domain/reconciliation';
import type { KeyProperty } from '../../../shared/domain/reconciliation';
import type { DmfClient } from '../dmf/dmfClient';
import type { DmfClients } from '../dmf/dmfClients';
import { writeFileAtomic } from '../fs/atomicWrite';
import type { JobRunner } from '../jobs/jobRunner';
import type { JobRecord } from '../jobs/jobStore';
import { FINAL_STATES } from '../jobs/jobStore';
import { readLineage } from '../jobs/kinds/importJob';
import type { ImportData, ImportParams } from '../jobs/kinds/importJob';
import type { Lineage } from '../jobs/lineage';
import { locate } from '../jobs/lineage';
import type { PackageEngine, PackageEntitySummary } from '../jobs/packageEngine';
import type { JobServices } from '../jobs/services';
import type { CatalogService } from '../metadata/liveCatalog';

export const RECONCILIATION_FILE = 'reconciliation.json';
/** The project's folder of reconciliations, one file per job (git-friendly, like runs/). */
export const RECONCILIATIONS_DIR = 'reconciliations';
/** Real-valued fields summed when the consultant chose none: amounts and limits, not every real. */
const DEFAULT_SUM_FIELDS = 10;
/** Missing and changed keys kept per entity (all are counted). */
const MAX_LISTED = 10_000;

export interface ReconciliationServiceOptions {
  readonly runner: JobRunner<JobServices>;
  readonly dmf: DmfClients;
  readonly packages: PackageEngine;
  readonly catalogs: CatalogService;
  readonly publish: Publish;
  /** Opens a file in the grid (the row store): the differences of an entity. */
  readonly datasets: { open(path: string, options: Record<string, never>): Promise<{ readonly id: string }> };
  /** Who reconciles: the account signed in to the environment, else the OS user. */
  readonly actor: (environmentId: string) => Promise<string>;
  readonly now?: () => Date;
}

/** One entity and legal entity being reconciled: the sent side, and what reading it back needs. */
interface Part {
  readonly company: string | null;
  readonly reconciler: Reconciler;
}

export class ReconciliationService {
  readonly #o: ReconciliationServiceOptions;

  constructor(options: ReconciliationServiceOptions) {
    this.#o = options;
  }

  async run(jobId: string, sums?: Readonly<Record<string, readonly string[]>>): Promise<ReconciliationReport> {
    const record = await this.#o.runner.record(jobId);
    const data = record.data as ImportData;
    if (record.kind !== 'import' || !FINAL_STATES.has(record.state) || !data.packagePath) {
      throw new AppError(
        'CONFLICT',
        `Job ${jobId} is not a finished import: reconcile an import once it has ended (its package is what is compared).`,
      );
    }
    const params = record.params as unknown as ImportParams;
    const packagePath = data.packagePath;
    const summary = await this.#o.packages.describe(packagePath);
    const lineage = data.lineageFile ? await readLineage(data.lineageFile).catch(() => null) : null;
    const catalog = (await this.#o.catalogs.cachedOrBuiltIn(record.environmentId)).index;
    const { dmf } = await this.#o.dmf.open(record.environmentId);
    const requests = { count: 0 };
    const entities: ReconciledEntity[] = [];
    for (const entity of summary.entities) {
      const wanted = sums ? pick(sums, entity.label) : undefined;
      entities.push(...(await this.#entity(dmf, catalog, record, packagePath, entity, lineage, wanted, requests)));
    }
    const report: ReconciliationReport = {
      jobId,
      projectDir: params.sourceKind === 'project' ? params.source : null,
      environmentId: record.environmentId,
      environmentName: record.environmentName,
      executionId: record.executionId,
      dataProject: record.dataProject,
      loadedAt: record.finishedAt,
      reconciledAt: (this.#o.now?.() ?? new Date()).toISOString(),
      by: await this.#o.actor(record.environmentId),
      status: overall(entities.map((e) => e.status)),
      entities,
      requests: requests.count,
    };
    await this.#save(report);
    this.#o.publish('reconciliation.changed', { ...summaryOf(report), projectDir: report.projectDir });
    return report;
  }

  async get(jobId: string): Promise<ReconciliationReport | null> {
    await this.#o.runner.record(jobId);
    return readReport(join(this.#o.runner.dirOf(jobId), RECONCILIATION_FILE));
  }

  /**
   * An entity's differences as a file in the job folder (reconciliation/<entity> differences.csv), opened in
   * the grid: one row per missing key and per changed field, with where the row came from.
   */
  async openDifferences(jobId: string, label: string): Promise<{ datasetId: string; path: string; rows: number }> {
    const report = await this.get(jobId);
    const parts = report?.entities.filter((e) => e.label.toLowerCase() === label.toLowerCase()) ?? [];
    if (!report || parts.length === 0) {
      throw new AppError(
        'NOT_FOUND',
        report
          ? `Job ${jobId}'s reconciliation has no entity "${label}".`
          : `Job ${jobId} is not reconciled yet: reconcile it first (dmfw reconcile ${jobId}).`,
      );
    }
    const keyFields = parts[0]?.keyFields ?? [];
    const columns = [
      ...keyFields,
      'Legal entity',
      'Difference',
      'Field',
      'Sent',
      'In F&O',
      'Source file',
      'Source row',
    ];
    const rows: string[][] = [];
    for (const part of parts) {
      const company = part.company ?? '';
      for (const m of part.missing) {
        rows.push([
          ...m.key,
          company,
          'missing',
          '',
          '',
          '',
          m.source?.file ?? '',
          m.source ? String(m.source.row) : '',
        ]);
      }
      for (const c of part.changed) {
        rows.push([
          ...c.key,
          company,
          'changed',
          c.field,
          c.sent,
          c.landed,
          c.source?.file ?? '',
          c.source ? String(c.source.row) : '',
        ]);
      }
    }
    const folder = join(this.#o.runner.dirOf(jobId), 'reconciliation');
    await mkdir(folder, { recursive: true });
    const path = join(folder, `${(parts[0]?.label ?? label).replace(/[^\w .-]+/g, '_')} differences.csv`);
    await this.#o.packages.writeCsv(path, columns, [rows]);
    const opened = await this.#o.datasets.open(path, {});
    return { datasetId: opened.id, path, rows: rows.length };
  }

  /** The project's reconciliations, newest first. */
  async list(dir: string): Promise<ReconciliationSummary[]> {
    const folder = join(dir, RECONCILIATIONS_DIR);
    const files = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
    const reports: ReconciliationReport[] = [];
    for (const file of files.filter((f) => f.endsWith('.json'))) {
      const report = await readReport(join(folder, file));
      if (report) reports.push(report);
    }
    return reports.sort((a, b) => b.reconciledAt.localeCompare(a.reconciledAt)).map(summaryOf);
  }

  async #save(report: ReconciliationReport): Promise<void> {
    const text = `${JSON.stringify(report, null, 2)}\n`;
    await writeFileAtomic(join(this.#o.runner.dirOf(report.jobId), RECONCILIATION_FILE), text);
    if (report.projectDir) {
      const folder = join(report.projectDir, RECONCILIATIONS_DIR);
      await mkdir(folder, { recursive: true });
      await writeFileAtomic(join(folder, `${fileSafe(report.jobId)}.json`), text);
    }
  }

  /** One package entity: a result per legal entity its rows went to. */
  async #entity(
    dmf: DmfClient,
    catalog: CatalogIndex,
    record: JobRecord,
    packagePath: string,
    entity: PackageEntitySummary,
    lineage: Lineage | null,
    wantedSums: readonly string[] | undefined,
    requests: { count: number },
  ): Promise<ReconciledEntity[]> {
    const known = catalog.findEntity(entity.targetEntity ?? entity.label) ?? catalog.findEntity(entity.label);
    const company = record.company ?? null;
    const notChecked = (
      problem: string,
      keyFields: readonly string[] = [],
      rows = 0,
      where: string | null = known?.companySpecific === false ? null : company,
    ): ReconciledEntity => ({
      label: entity.label,
      collection: known?.publicCollectionName ?? null,
      company: where,
      keyFields,
      status: 'not-checked',
      rows,
      sent: 0,
      repeatedKeys: 0,
      landed: 0,
      counted: null,
      missingCount: 0,
      missing: [],
      changedCount: 0,
      changed: [],
      sums: [],
      truncated: false,
      problem,
    });
    if (!known) {
      return [
        notChecked(
          `${entity.label} is not an entity the workbench knows in ${record.environmentName}: refresh the environment's metadata (Environments › Metadata) to reconcile it.`,
        ),
      ];
    }
    if (known.keys.length === 0) {
      return [notChecked(`${entity.label} has no entity key in the catalog: its records cannot be read back by key.`)];
    }
    const rows = await this.#o.packages.openRows(packagePath, entity.label);
    const columnOf = (field: string) => rows.columns.findIndex((c) => mappedField(entity, c) === field);
    const keyIdx = known.keys.map(columnOf);
    const missingKey = known.keys.filter((_, i) => (keyIdx[i] ?? -1) < 0);
    if (missingKey.length > 0) {
      await rows.close();
      return [
        notChecked(
          `The package's ${entity.label} has no column for its key field ${missingKey.join(', ')}: records cannot be read back by key.`,
          known.keys,
        ),
      ];
    }
    const sumFields = chooseSums(
      known,
      wantedSums,
      rows.columns.map((c) => mappedField(entity, c)),
    );
    const sumIdx = sumFields.map((f) => columnOf(f.name));
    const companyIdx = known.companySpecific ? columnOf('DATAAREAID') : -1;
    const parts = new Map<string, Part>();
    const partOf = (rowCompany: string | null): Part => {
      const key = rowCompany ?? '';
      let part = parts.get(key);
      if (!part) {
        part = {
          company: rowCompany,
          reconciler: new Reconciler({
            entity: entity.label,
            company: rowCompany,
            keyFields: known.keys,
            sumFields: sumFields.map((f) => ({ field: f.name, scale: f.scale })),
            maxListed: MAX_LISTED,
          }),
        };
        parts.set(key, part);
      }
      return part;
    };
    let rowCount = 0;
    try {
      for await (const batch of rows) {
        batch.rows.forEach((row, i) => {
          const packageRow = batch.firstRow + i;
          // The row's own legal entity, else the job's (DMF imports a row without one into it).
          const rowCompany = known.companySpecific
            ? (companyIdx >= 0 ? row[companyIdx]?.trim().toUpperCase() : '') || company?.toUpperCase() || null
            : null;
          const where = lineage ? locate(lineage, entity.label, packageRow) : null;
          partOf(rowCompany).reconciler.addSent(
            keyIdx.map((k) => row[k] ?? ''),
            sumIdx.map((k) => row[k] ?? ''),
            where
              ? { file: where.sourceFile, row: where.sourceRow }
              : { file: `${entity.dataFile} (package)`, row: packageRow },
          );
        });
        rowCount += batch.rows.length;
      }
    } catch (error) {
      if (error instanceof ReconciliationLimitError) return [notChecked(error.message, known.keys, rowCount)];
      throw error;
    } finally {
      await rows.close();
    }
    const properties: KeyProperty[] = known.keys.map((k) => {
      const field = known.fields.find((f) => f.name === k);
      return { name: field?.publicName ?? k, type: field?.type ?? 'String', enumType: field?.enumType };
    });
    const select = [
      ...(known.companySpecific ? ['dataAreaId'] : []),
      ...properties.map((p) => p.name),
      ...sumFields.map((f) => f.publicName),
    ];
    const results: ReconciledEntity[] = [];
    for (const part of parts.values()) {
      let counted: number | null = 0;
      try {
        const prefix = part.company ? `dataAreaId eq '${part.company.toLowerCase().replace(/'/g, "''")}'` : undefined;
        for (const batch of keyBatches(part.reconciler.sentKeys(), properties, { prefix })) {
          for await (const page of dmf.readCollection(known.publicCollectionName, {
            filter: batch.filter,
            select,
            crossCompany: true,
          })) {
            requests.count++;
            for (const landed of page) {
              part.reconciler.addLanded(
                properties.map((p) => String(landed[p.name] ?? '')),
                sumFields.map((f) => landed[f.publicName] as string | number | null | undefined),
              );
            }
          }
          if (counted !== null && batch.exactCount) {
            counted += await dmf.countCollection(known.publicCollectionName, {
              filter: batch.filter,
              crossCompany: true,
            });
            requests.count++;
          } else counted = null;
        }
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        results.push(
          notChecked(
            `${known.publicCollectionName} could not be read back from ${record.environmentName} (${why}). Run the reconciliation again once the environment answers.`,
            known.keys,
            rowCount,
            part.company,
          ),
        );
        continue;
      }
      const result = part.reconciler.result();
      const differs = result.missingCount > 0 || result.changedCount > 0;
      results.push({
        label: entity.label,
        collection: known.publicCollectionName,
        company: part.company,
        keyFields: known.keys,
        status: differs ? 'differences' : 'reconciled',
        rows: result.sent + result.repeatedKeys,
        sent: result.sent,
        repeatedKeys: result.repeatedKeys,
        landed: result.landed,
        counted,
        missingCount: result.missingCount,
        missing: result.missing.map((m) => ({ key: m.key, source: m.source })),
        changedCount: result.changedCount,
        changed: result.changed.map((c) => ({ ...c })),
        sums: result.sums,
        truncated: result.truncated,
        problem: null,
      });
    }
    return results;
  }
}

/** The staging field a package column feeds (the manifest's map, else the column's own name). */
function mappedField(entity: PackageEntitySummary, column: string): string {
  const mapped = entity.maps.find((m) => m.xmlField.toLowerCase() === column.toLowerCase());
  return (mapped?.entityField ?? column).toUpperCase();
}

/** The fields summed: those asked for (that the package carries), else its real-valued ones. */
function chooseSums(
  entity: CatalogEntity,
  wanted: readonly string[] | undefined,
  columns: readonly string[],
): { name: string; publicName: string; scale?: number }[] {
  const carried = new Set(columns);
  const fields = entity.fields.filter((f) => carried.has(f.name) && !entity.keys.includes(f.name));
  if (wanted) {
    const unknown = wanted.filter((w) => !fields.some((f) => f.name === w.toUpperCase()));
    if (unknown.length > 0) {
      throw new AppError(
        'INVALID_INPUT',
        `${entity.label}: the package carries no field ${unknown.join(', ')} to sum. Choose among ${fields
          .filter((f) => f.type === 'Real' || f.type === 'Int' || f.type === 'Int64')
          .map((f) => f.name)
          .join(', ')}.`,
      );
    }
    return fields.filter((f) => wanted.some((w) => w.toUpperCase() === f.name));
  }
  return fields.filter((f) => f.type === 'Real').slice(0, DEFAULT_SUM_FIELDS);
}

function pick<T>(record: Readonly<Record<string, T>>, label: string): T | undefined {
  const key = Object.keys(record).find((k) => k.toLowerCase() === label.toLowerCase());
  return key === undefined ? undefined : record[key];
}

function overall(statuses: readonly ReconciliationStatus[]): ReconciliationStatus {
  if (statuses.includes('differences')) return 'differences';
  if (statuses.length === 0 || statuses.includes('not-checked')) return 'not-checked';
  return 'reconciled';
}

export function summaryOf(report: ReconciliationReport): ReconciliationSummary {
  return {
    jobId: report.jobId,
    reconciledAt: report.reconciledAt,
    by: report.by,
    status: report.status,
    entities: report.entities.map((e) => ({
      label: e.label,
      company: e.company,
      status: e.status,
      sent: e.sent,
      landed: e.landed,
      missingCount: e.missingCount,
      changedCount: e.changedCount,
    })),
  };
}

const fileSafe = (name: string) => name.replace(/[^\w.-]+/g, '_');

async function readReport(file: string): Promise<ReconciliationReport | null> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as ReconciliationReport;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new AppError(
      'INVALID_INPUT',
      `${file} is not a reconciliation the workbench can read (${error instanceof Error ? error.message : String(error)}): reconcile the job again.`,
    );
  }
}
