import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EntityOutcome, RowError } from '../../../../shared/api/domains/jobs';
import { downloadBlob } from '../../blob/download';
import type { DmfClient } from '../../dmf/dmfClient';
import type { EntityExecutionDetail, ExecutionError } from '../../dmf/types';
import { pollForUrl } from '../execution';
import type { Lineage } from '../lineage';
import { LineageBuilder, locate } from '../lineage';
import type { PackageEntitySummary, PackageSummary } from '../packageEngine';
import { mapErrors } from '../rowErrors';
import type { EntityErrorFiles, MappedErrors } from '../rowErrors';
import type { JobContext } from '../services';
import { fileSafe } from '../fileNames';

export const ROW_ERRORS_FILE = 'row-errors.json';
export const FAILED_ROWS_DIR = 'failed-rows';
/** Extra columns of the failed-rows dataset (the entity's own columns come first). */
export const FAILED_ROW_COLUMNS = ['_SOURCEFILE', '_SOURCEROW', '_ERRORS'] as const;

interface ErrorFiles {
  staging?: string | null;
  keys?: string | null;
}

interface ResultsData {
  messagesFile?: string;
  errorFiles?: Record<string, ErrorFiles>;
}

/**
 * After an import (or a recurring message's import) ended: per-entity counts, and on
 * PartiallySucceeded or Failed every error answer F&O gives (GetExecutionErrors, the staging
 * error file per entity, the target error keys file per entity), mapped to source rows, saved as
 * row-errors.json and as a failed-rows dataset (one CSV per entity, the failed rows with their
 * source file, row and messages). Downloads already made are not made again on resume.
 */
export async function collectResults(
  context: JobContext,
  options: {
    /** Where the import ran (a copy's target). */
    readonly environmentId: string;
    readonly packagePath: string;
    readonly lineage: Lineage | null;
    /** Name a ready package's rows are reported under (`<package>/<data file>`). */
    readonly packageLabel: string;
    readonly rows: Readonly<Record<string, number>> | null;
    readonly execute: boolean;
  },
): Promise<RowError[]> {
  const { job, dir, services, signal } = context;
  const executionId = job.executionId as string;
  const status = job.executionStatus;
  const state = job.data as ResultsData;
  const { dmf } = await services.dmf.open(options.environmentId);
  const summary = await services.packages.describe(options.packagePath);
  const lineage = options.lineage ?? ownLineage(summary, options.packageLabel);
  context.progress({ phase: 'results', message: 'Reading the results' });

  let mapped: MappedErrors | null = null;
  if (status === 'PartiallySucceeded' || status === 'Failed') {
    const messages = await executionErrors(context, dmf, executionId, state);
    const errorsDir = join(dir, 'errors');
    await mkdir(errorsDir, { recursive: true });
    state.errorFiles ??= {};
    for (const entity of summary.entities) {
      const files = (state.errorFiles[entity.label] ??= {});
      const safe = fileSafe(entity.label);
      if (files.staging === undefined) {
        const url = await dmf.getImportStagingErrorFileUrl(executionId, entity.label, { signal });
        files.staging = url ? join(errorsDir, `${safe}-staging${extension(entity)}`) : null;
        if (url && files.staging) {
          await downloadBlob(
            async (renew) => (renew ? dmf.getImportStagingErrorFileUrl(executionId, entity.label, { signal }) : url),
            { file: files.staging, signal, fetch: services.transfer.fetch },
          );
        }
        await context.save();
      }
      if (files.keys === undefined && options.execute) {
        const exists = await dmf.generateImportTargetErrorKeysFile(executionId, entity.label, { signal });
        if (exists) {
          const get = () => dmf.getImportTargetErrorKeysFileUrl(executionId, entity.label, { signal });
          const url = await pollForUrl(context, `The target error keys of ${entity.label}`, get);
          files.keys = join(errorsDir, `${safe}-target-keys.csv`);
          await downloadBlob(async (renew) => (renew ? get() : url), {
            file: files.keys,
            signal,
            fetch: services.transfer.fetch,
          });
        } else {
          files.keys = null;
        }
        await context.save();
      }
    }
    const inputs: EntityErrorFiles[] = summary.entities.map((entity) => {
      const files = state.errorFiles?.[entity.label] ?? {};
      const byColumn = new Map(entity.maps.map((m) => [m.xmlField.toLowerCase(), m.entityField]));
      return {
        label: entity.label,
        keyFields: entity.keyFields,
        stagingFieldOf: (column) => byColumn.get(column.toLowerCase()) ?? column,
        openPackageRows: () => services.packages.openRows(options.packagePath, entity.label),
        openStagingErrors: files.staging
          ? () => services.packages.openDataFile(files.staging as string, entity.sourceFormat)
          : null,
        openTargetErrorKeys: files.keys ? () => services.packages.openDataFile(files.keys as string, 'CSV') : null,
      };
    });
    mapped = await mapErrors(inputs, messages, lineage);
    await writeFile(join(dir, ROW_ERRORS_FILE), JSON.stringify(mapped.rowErrors));
    await writeFailedRows(context, options.packagePath, mapped, lineage);
  }

  const details = await dmf.executionDetails(executionId, { signal }).catch(() => null);
  job.entities = await outcomes(context, summary, details, mapped, options);
  job.errorCount = mapped?.rowErrors.length ?? 0;
  job.output = mapped && mapped.rowErrors.length > 0 ? join(dir, FAILED_ROWS_DIR) : job.output;
  await context.save();
  return mapped?.rowErrors ?? [];
}

/**
 * The job's final state from F&O's status. Called by the step that ends the job, so that nothing
 * sees the job over before its last write (the project's run record) is done.
 */
export function settle(context: JobContext, errors: readonly RowError[]): void {
  const { job } = context;
  const first = errors
    .slice(0, 3)
    .map((e) => e.message)
    .join(' | ');
  switch (job.executionStatus) {
    case 'Succeeded':
      job.state = 'succeeded';
      break;
    case 'PartiallySucceeded':
      job.state = 'partially-succeeded';
      break;
    default:
      job.state = 'failed';
      job.error = {
        code: 'REMOTE_FAILED',
        message: `F&O reports execution ${job.executionId} as ${job.executionStatus}${first ? `: ${first}` : ''}. See the errors (dmfw errors ${job.executionId}).`,
      };
  }
  job.finishedAt = new Date().toISOString();
}

async function executionErrors(
  context: JobContext,
  dmf: DmfClient,
  executionId: string,
  state: ResultsData,
): Promise<ExecutionError[]> {
  if (state.messagesFile) return JSON.parse(await readFile(state.messagesFile, 'utf8')) as ExecutionError[];
  const messages = await dmf.getExecutionErrors(executionId, { signal: context.signal });
  await mkdir(context.dir, { recursive: true });
  state.messagesFile = join(context.dir, 'execution-errors.json');
  await writeFile(state.messagesFile, JSON.stringify(messages));
  await context.save();
  return messages;
}

/** One entity's counts as F&O's execution details give them. */
export function outcomeOf(detail: EntityExecutionDetail): EntityOutcome {
  return {
    label: detail.entityName,
    status: detail.targetStatus ?? detail.stagingStatus ?? 'Unknown',
    stagingRecords: detail.stagingRecords,
    targetRecords: detail.targetRecords,
    stagingErrors: detail.stagingErrorCount,
    targetErrors: detail.targetErrorCount,
  };
}

async function outcomes(
  context: JobContext,
  summary: PackageSummary,
  details: readonly EntityExecutionDetail[] | null,
  mapped: MappedErrors | null,
  options: {
    readonly packagePath: string;
    readonly rows: Readonly<Record<string, number>> | null;
    readonly execute: boolean;
  },
): Promise<EntityOutcome[]> {
  const list: EntityOutcome[] = [];
  for (const entity of summary.entities) {
    const detail = details?.find((d) => sameName(d.entityName, entity));
    if (detail) {
      list.push({ ...outcomeOf(detail), label: entity.label });
      continue;
    }
    // [INFER] No per-entity details from the environment: counted from the package and the error files.
    const errors = mapped?.entities.find((e) => e.label === entity.label);
    const total = options.rows?.[entity.label] ?? (await countRows(context, options.packagePath, entity.label));
    const stagingErrors = errors?.stagingErrors ?? 0;
    const targetErrors = errors?.targetErrors ?? 0;
    const stagingRecords = Math.max(0, total - stagingErrors);
    list.push({
      label: entity.label,
      status:
        stagingErrors + targetErrors > 0
          ? 'Error'
          : context.job.executionStatus === 'Succeeded'
            ? 'Finished'
            : 'Unknown',
      stagingRecords,
      targetRecords: options.execute ? Math.max(0, stagingRecords - targetErrors) : 0,
      stagingErrors,
      targetErrors,
    });
  }
  return list;
}

async function countRows(context: JobContext, packagePath: string, label: string): Promise<number> {
  const rows = await context.services.packages.openRows(packagePath, label);
  let count = 0;
  try {
    for await (const batch of rows) count += batch.rows.length;
  } finally {
    await rows.close();
  }
  return count;
}

/** One CSV per entity with failures: the package columns, then source file, source row and messages. */
async function writeFailedRows(
  context: JobContext,
  packagePath: string,
  mapped: MappedErrors,
  lineage: Lineage,
): Promise<void> {
  const { services, dir } = context;
  const out = join(dir, FAILED_ROWS_DIR);
  await mkdir(out, { recursive: true });
  for (const entity of mapped.entities) {
    if (entity.failed.length === 0) continue;
    const failed = new Map(entity.failed.map((f) => [f.packageRow, f]));
    const rows = await services.packages.openRows(packagePath, entity.label);
    const columns = [...rows.columns, ...FAILED_ROW_COLUMNS];
    const picked = async function* () {
      try {
        for await (const batch of rows) {
          const chosen: string[][] = [];
          batch.rows.forEach((row, i) => {
            const failure = failed.get(batch.firstRow + i);
            if (!failure) return;
            const where = locate(lineage, entity.label, batch.firstRow + i);
            const messages = failure.messages.map((m) => (m.field ? `${m.field}: ${m.message}` : m.message));
            chosen.push([
              ...row,
              where?.sourceFile ?? '',
              where ? String(where.sourceRow) : '',
              messages.join(' | ') ||
                (failure.stage === 'staging' ? 'Failed source to staging' : 'Failed staging to target'),
            ]);
          });
          if (chosen.length) yield chosen;
        }
      } finally {
        await rows.close();
      }
    };
    await services.packages.writeCsv(join(out, `${fileSafe(entity.label)}.csv`), columns, picked());
  }
}

/** A ready package is its own source: each entity's rows are rows of its data file. */
function ownLineage(summary: PackageSummary, packageLabel: string): Lineage {
  const builder = new LineageBuilder();
  for (const entity of summary.entities) {
    const e = builder.entity(entity.label, entity.dataFile);
    e.add(`${packageLabel}/${entity.dataFile}`, 1, Number.MAX_SAFE_INTEGER - 1);
    e.end();
  }
  return builder.build();
}

function sameName(name: string, entity: PackageEntitySummary): boolean {
  const n = name.trim().toLowerCase();
  return n === entity.label.toLowerCase() || (entity.targetEntity !== null && n === entity.targetEntity.toLowerCase());
}

function extension(entity: PackageEntitySummary): string {
  const dot = entity.dataFile.lastIndexOf('.');
  return dot > 0 ? entity.dataFile.slice(dot) : '.csv';
}
