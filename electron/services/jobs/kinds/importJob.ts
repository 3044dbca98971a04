import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { RowError } from '../../../../shared/api/domains/jobs';
import { AppError } from '../../../../shared/api/errors';
import type { RunScheduleEntry } from '../../../../shared/api/domains/projects';
import { fingerprints, rulesOf } from '../../../../shared/domain/jobs/cycles';
import { uploadBlockBlob } from '../../blob/blockUpload';
import type { DmfClient } from '../../dmf/dmfClient';
import { executionIdFor, pollUntilFinal, submitOnce } from '../execution';
import { DONE } from '../jobRunner';
import type { JobKindSpec } from '../jobRunner';
import type { Lineage } from '../lineage';
import type { RowSelection } from '../packageEngine';
import { learnAccount } from '../ranBy';
import type { JobContext, JobServices } from '../services';
import { ROW_ERRORS_FILE, collectResults, outcomeOf, settle } from './results';

/** What an import job was asked to do. */
export interface ImportParams {
  /**
   * `failed-rows`: a re-import of a package's failed rows, from the failed-rows dataset the
   * consultant fixed (`source`), built on the manifest of `basePackage`.
   */
  readonly sourceKind: 'package' | 'project' | 'failed-rows';
  /** Absolute path of the package zip, the project folder or the failed-rows folder. */
  readonly source: string;
  readonly basePackage?: string;
  readonly dataProject: string;
  readonly company: string;
  readonly execute: boolean;
  readonly overwrite: boolean;
  /** Re-import of failed rows: label → source file → 1-based source rows. */
  readonly selection?: Readonly<Record<string, Readonly<Record<string, readonly number[]>>>>;
  /** Re-import of a package's failed rows: rows of the failed-rows dataset a later job imported (same shape). */
  readonly leaveOut?: Readonly<Record<string, Readonly<Record<string, readonly number[]>>>>;
  readonly reimportOf?: string;
}

/** What the steps learned, persisted with the job. */
export interface ImportData {
  packagePath?: string;
  packageHash?: string;
  packageBytes?: number;
  /** Lineage of a package built from a project (a ready package is its own source). */
  lineageFile?: string;
  rows?: Record<string, number>;
  uploadName?: string;
  staged?: number[];
  uploaded?: boolean;
  submitSentAt?: number;
  startedAt?: number;
}

/** Where an import goes and how: the import job's own parameters, or a copy's target. */
export interface ImportPlan {
  readonly environmentId: string;
  readonly dataProject: string;
  readonly company: string;
  readonly execute: boolean;
  readonly overwrite: boolean;
}

/**
 * Upload → ImportFromPackage (once per execution id) → poll: the steps an import and a
 * configuration copy share. `after` is the step that reads the results.
 */
export function importSteps(plan: (context: JobContext) => ImportPlan, after: string) {
  return {
    upload: (context: JobContext) => upload(context, plan(context)),
    submit: (context: JobContext) => submit(context, plan(context)),
    poll: async (context: JobContext) => {
      await poll(context, plan(context));
      return after;
    },
  };
}

const ownPlan = (context: JobContext): ImportPlan => {
  const p = importParams(context);
  return { environmentId: context.job.environmentId, ...p };
};

export const importJob: JobKindSpec<JobServices> = {
  steps: { build, ...importSteps(ownPlan, 'results'), results },
};

export function importParams(context: JobContext): ImportParams {
  return context.job.params as unknown as ImportParams;
}

function data(context: JobContext): ImportData {
  return context.job.data as ImportData;
}

async function build(context: JobContext): Promise<string> {
  const { job, dir, services } = context;
  const params = importParams(context);
  const state = data(context);
  state.startedAt ??= Date.now();
  await mkdir(dir, { recursive: true });
  context.progress({
    phase: 'build',
    message: params.sourceKind === 'project' ? 'Building the package' : 'Reading the package',
  });
  if (params.sourceKind === 'project') {
    const project = await services.projects.open(params.source);
    const packagePath = join(dir, 'package.zip');
    const built = await services.packages.buildFromProject(params.source, project.document, packagePath, {
      selection: params.selection ? toSelection(params.selection) : undefined,
      dataProject: params.dataProject,
    });
    const lineageFile = join(dir, 'lineage.json');
    await writeFile(lineageFile, JSON.stringify(built.lineage));
    state.packagePath = packagePath;
    state.lineageFile = lineageFile;
    state.rows = { ...built.rows };
  } else if (params.sourceKind === 'failed-rows') {
    const packagePath = join(dir, 'package.zip');
    const built = await services.packages.buildFromFailedRows(
      required(params.basePackage, 'package'),
      params.source,
      packagePath,
      params.leaveOut ? { leaveOut: toSelection(params.leaveOut) } : {},
    );
    const lineageFile = join(dir, 'lineage.json');
    await writeFile(lineageFile, JSON.stringify(built.lineage));
    state.packagePath = packagePath;
    state.lineageFile = lineageFile;
    state.rows = { ...built.rows };
  } else {
    await services.packages.describe(params.source);
    state.packagePath = params.source;
  }
  const { hash, bytes } = await hashFile(state.packagePath);
  state.packageHash = hash;
  state.packageBytes = bytes;
  job.executionId ??= executionIdFor(params.dataProject, job.id, new Date(job.createdAt));
  await context.save();
  return 'upload';
}

async function upload(context: JobContext, plan: ImportPlan): Promise<string> {
  const { job, signal, services } = context;
  const state = data(context);
  if (state.uploaded) return 'submit';
  const packagePath = required(state.packagePath, 'package');
  // The blob name stays the job's, so a renewed SAS (same name) points at the staged blocks.
  state.uploadName ??= `dmfw-${job.id}.zip`;
  const name = state.uploadName;
  const { dmf } = await services.dmf.open(plan.environmentId);
  const staged = new Set(state.staged ?? []);
  const outcome = await uploadBlockBlob({
    file: packagePath,
    uploadKey: `${job.id}:${state.packageHash ?? ''}`,
    writeUrl: async () => (await dmf.getAzureWriteUrl(name, { signal })).blobUrl,
    stagedBlocks: staged,
    onBlockStaged: async (index) => {
      staged.add(index);
      state.staged = [...staged].sort((a, b) => a - b);
      await context.save();
    },
    onProgress: (p) => context.progress({ phase: 'upload', loadedBytes: p.loadedBytes, totalBytes: p.totalBytes }),
    signal,
    logger: services.logger,
    ...services.transfer,
  });
  services.logger.info(
    `Job ${job.id}: uploaded ${outcome.totalBytes} bytes in ${outcome.blockCount} blocks (${outcome.blocksSkipped} already there)`,
  );
  state.uploaded = true;
  state.staged = undefined;
  await context.save();
  return 'submit';
}

async function submit(context: JobContext, plan: ImportPlan): Promise<string> {
  const { job, signal, services } = context;
  const state = data(context);
  const executionId = required(job.executionId, 'execution id');
  await context.holdEnvironment(plan.environmentId);
  context.progress({ phase: 'submit', message: `ImportFromPackage ${executionId}` });
  const { dmf } = await services.dmf.open(plan.environmentId);
  const name = required(state.uploadName, 'uploaded package');
  await submitOnce(context, dmf, executionId, async () => {
    // F&O reads the package from the blob it handed out; the URL is asked again (the SAS may have expired).
    const { blobUrl } = await dmf.getAzureWriteUrl(name, { signal });
    return dmf.importFromPackage(
      {
        packageUrl: blobUrl,
        definitionGroupId: plan.dataProject,
        executionId,
        execute: plan.execute,
        overwrite: plan.overwrite,
        legalEntityId: plan.company,
      },
      { signal },
    );
  });
  return 'poll';
}

async function poll(context: JobContext, plan: ImportPlan): Promise<void> {
  const { job, services } = context;
  const executionId = required(job.executionId, 'execution id');
  await context.holdEnvironment(plan.environmentId);
  const { dmf } = await services.dmf.open(plan.environmentId);
  await pollUntilFinal(context, dmf, executionId, () => followEntities(context, dmf, executionId));
  context.releaseEnvironment();
}

/**
 * The entities' counts while F&O processes them (DataManagementExecutionJobDetails), for the
 * monitor's bars. Best effort: an environment that does not answer it only shows the status.
 */
async function followEntities(context: JobContext, dmf: DmfClient, executionId: string): Promise<void> {
  const details = await dmf.executionDetails(executionId, { signal: context.signal }).catch(() => null);
  if (!details || details.length === 0) return;
  const entities = details.map(outcomeOf);
  if (JSON.stringify(entities) === JSON.stringify(context.job.entities)) return;
  context.job.entities = entities;
  await context.save();
}

async function results(context: JobContext): Promise<string> {
  const params = importParams(context);
  const state = data(context);
  const packagePath = required(state.packagePath, 'package');
  const lineage = state.lineageFile ? await readLineage(state.lineageFile) : null;
  const errors = await collectResults(context, {
    environmentId: context.job.environmentId,
    packagePath,
    lineage,
    // A ready package is its own source: its rows are reported as rows of its data files.
    packageLabel: basename(packagePath),
    rows: state.rows ?? null,
    execute: params.execute,
  });
  await recordRun(context, errors);
  settle(context, errors);
  return DONE;
}

async function recordRun(context: JobContext, rowErrors: readonly RowError[]): Promise<void> {
  const { job, services } = context;
  const params = importParams(context);
  await learnAccount(context);
  if (params.sourceKind !== 'project') return;
  const state = data(context);
  const finishedAt = new Date();
  const startedAt = new Date(state.startedAt ?? Date.parse(job.createdAt));
  const errors = rowErrors.slice(0, 20);
  const schedule = await scheduleOf(context);
  await services.projects.addRun(params.source, {
    jobId: job.id,
    kind: params.reimportOf ? 'reimport-failed' : 'import',
    environment: job.environmentName,
    executionId: job.executionId,
    status: job.executionStatus ?? 'Unknown',
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    packageHash: state.packageHash ?? null,
    settings: {
      dataProject: params.dataProject,
      company: params.company,
      execute: params.execute,
      overwrite: params.overwrite,
    },
    entities: job.entities.map((e) => {
      const own = rowErrors.filter((r) => r.entity === e.label);
      return {
        label: e.label,
        stagingRecords: e.stagingRecords,
        targetRecords: e.targetRecords,
        stagingErrors: e.stagingErrors,
        targetErrors: e.targetErrors,
        sourceRows: state.rows?.[e.label] ?? null,
        rules: rulesOf(own),
        fingerprints: fingerprints(own),
      };
    }),
    schedule,
    ranBy: job.ranBy ?? null,
    errorCount: job.errorCount,
    fingerprints: fingerprints(rowErrors),
    errors: errors.map((e) => ({
      entity: e.entity,
      sourceFile: e.sourceFile,
      sourceRow: e.sourceRow,
      message: e.message,
    })),
  });
}

/**
 * The execution's schedule as F&O ran it: each entity's unit, level, sequence and step times from
 * DataManagementExecutionJobDetails, read once the execution ended (the cockpit's Gantt). Best
 * effort: null when the environment does not answer or gives no times.
 */
async function scheduleOf(context: JobContext): Promise<RunScheduleEntry[] | null> {
  const executionId = context.job.executionId;
  if (!executionId) return null;
  const { dmf } = await context.services.dmf.open(context.job.environmentId);
  const details = await dmf.executionDetails(executionId, { signal: context.signal }).catch(() => null);
  if (!details?.some((d) => d.stagingStartedAt)) return null;
  return details.map((d) => ({
    entity: d.entityName,
    unit: d.unit ?? 1,
    level: d.level ?? 1,
    sequence: d.sequence ?? 1,
    stagingStart: d.stagingStartedAt ?? null,
    stagingEnd: d.stagingEndedAt ?? null,
    targetStart: d.targetStartedAt ?? null,
    targetEnd: d.targetEndedAt ?? null,
  }));
}

export async function readLineage(file: string): Promise<Lineage> {
  return JSON.parse(await readFile(file, 'utf8')) as Lineage;
}

/** The first `limit` row errors a job saved (all when limit is omitted). */
export async function readRowErrors(dir: string, limit?: number): Promise<RowError[]> {
  try {
    const all = JSON.parse(await readFile(join(dir, ROW_ERRORS_FILE), 'utf8')) as RowError[];
    return limit === undefined ? all : all.slice(0, limit);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

function toSelection(selection: NonNullable<ImportParams['selection']>): Map<string, RowSelection> {
  return new Map(
    Object.entries(selection).map(([label, files]) => [
      label,
      new Map(Object.entries(files).map(([file, rows]) => [file, new Set(rows)])),
    ]),
  );
}

async function hashFile(path: string): Promise<{ hash: string; bytes: number }> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return { hash: `sha256:${hash.digest('hex')}`, bytes: (await stat(path)).size };
}

export function required<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) {
    throw new AppError('INTERNAL', `The job lost its ${what}; start it again.`);
  }
  return value;
}
