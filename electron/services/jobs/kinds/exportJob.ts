import { join } from 'node:path';
import { AppError } from '../../../../shared/api/errors';
import { downloadBlob } from '../../blob/download';
import { executionIdFor, pollForUrl, pollUntilFinal, submitOnce } from '../execution';
import { DONE } from '../jobRunner';
import type { JobKindSpec } from '../jobRunner';
import { learnAccount } from '../ranBy';
import type { JobContext, JobServices } from '../services';
import { required } from './importJob';

export interface ExportParams {
  readonly dataProject: string;
  readonly company: string;
  /** Where the package is saved; absent: in the job's own folder (PREVIEW_FILE or EXPORT_FILE). */
  readonly outFile?: string;
  readonly incremental: boolean;
  /** Create the data project with these entities when it does not exist. */
  readonly entities?: readonly string[];
  /** ExportToPackagePreview: at most this many records per entity (absent: the whole export). */
  readonly preview?: number;
}

/** The package of an export, or of a preview, saved in the job's folder when no file was named. */
export const EXPORT_FILE = 'package.zip';
export const PREVIEW_FILE = 'preview.zip';

/** Where an export job saves its package. */
export function exportFileOf(context: JobContext): string {
  const p = params(context);
  return p.outFile ?? join(context.dir, p.preview ? PREVIEW_FILE : EXPORT_FILE);
}

/**
 * Export: (define the data project) → ExportToPackage for the job's own execution id → poll →
 * GetExportedPackageUrl until it is non-empty → download to the file (size-checked) → open it.
 * The steps are exported with the environment and file as parameters: configuration copy runs
 * the same steps against its source environment.
 */
export interface ExportTarget {
  readonly environmentId: string;
  readonly dataProject: string;
  readonly company: string;
  readonly outFile: string;
  readonly incremental: boolean;
  readonly entities?: readonly string[];
  /** Records per entity of an ExportToPackagePreview (absent: ExportToPackage). */
  readonly preview?: number;
}

export function exportSteps(target: (context: JobContext) => ExportTarget, after: string) {
  const define = async (context: JobContext): Promise<string> => {
    const t = target(context);
    const { dmf, profile } = await context.services.dmf.open(t.environmentId);
    if (!t.entities?.length) {
      // ExportToPackage on a missing project fails with a bare server error; say how to create it.
      if (!(await dmf.dataProjectExists(t.dataProject, { signal: context.signal }))) {
        throw new AppError(
          'NOT_FOUND',
          `The data project "${t.dataProject}" does not exist in ${profile.name}. Name the entities to export ` +
            `so that it is created (dmfw export --entities "<label>,…"), or check the project's name.`,
        );
      }
    } else {
      await dmf.ensureDataProject(
        t.dataProject,
        'Export',
        t.entities.map((label) => ({ label, refreshType: t.incremental ? 'IncrementalPush' : 'FullPush' })),
        { signal: context.signal },
      );
    }
    return 'exportSubmit';
  };

  const exportSubmit = async (context: JobContext): Promise<string> => {
    const { job, signal, services } = context;
    const t = target(context);
    job.executionId ??= executionIdFor(t.dataProject, job.id, new Date(job.createdAt));
    await context.save();
    await context.holdEnvironment(t.environmentId);
    const { dmf } = await services.dmf.open(t.environmentId);
    const executionId = job.executionId;
    const request = {
      definitionGroupId: t.dataProject,
      packageName: executionId,
      executionId,
      reExecute: false,
      legalEntityId: t.company,
    };
    // A preview is the same export with a record limit per entity (dmf-reference.md §2). It
    // answers the execution id like ExportToPackage, and the same status/URL calls follow it.
    await submitOnce(context, dmf, executionId, () =>
      t.preview ? dmf.exportToPackagePreview(request, t.preview, { signal }) : dmf.exportToPackage(request, { signal }),
    );
    return 'exportPoll';
  };

  const exportPoll = async (context: JobContext): Promise<string> => {
    const { job, services, signal } = context;
    const t = target(context);
    const executionId = required(job.executionId, 'execution id');
    await context.holdEnvironment(t.environmentId);
    const { dmf } = await services.dmf.open(t.environmentId);
    const status = await pollUntilFinal(context, dmf, executionId);
    context.releaseEnvironment();
    if (status !== 'Succeeded' && status !== 'PartiallySucceeded') {
      const messages = await dmf.getExecutionErrors(executionId, { signal }).catch(() => []);
      const said = messages
        .slice(0, 3)
        .map((m) => m.message)
        .join(' | ');
      throw new AppError(
        'REMOTE_FAILED',
        `The export ${executionId} ended ${status} in F&O${said ? `: ${said}` : ''}.`,
      );
    }
    return 'exportDownload';
  };

  const exportDownload = async (context: JobContext): Promise<string> => {
    const { job, services, signal } = context;
    const t = target(context);
    const executionId = required(job.executionId, 'execution id');
    const { dmf } = await services.dmf.open(t.environmentId);
    // "" until the package exists; the SAS URL is never saved, it is asked for again on resume.
    const get = () => dmf.getExportedPackageUrl(executionId, { signal });
    const url = await pollForUrl(context, `The package of export ${executionId}`, get);
    await downloadBlob(async (renew) => (renew ? get() : url), {
      file: t.outFile,
      signal,
      fetch: services.transfer.fetch,
      onProgress: (p) => context.progress({ phase: 'download', loadedBytes: p.loadedBytes, totalBytes: p.totalBytes }),
    });
    return after;
  };

  return { define, exportSubmit, exportPoll, exportDownload };
}

function params(context: JobContext): ExportParams {
  return context.job.params as unknown as ExportParams;
}

/** Opens the downloaded package as a source: its entities and rows become the job's outcome. */
async function open(context: JobContext): Promise<string> {
  const { job, services } = context;
  const outFile = exportFileOf(context);
  const summary = await services.packages.describe(outFile);
  const entities = [];
  for (const entity of summary.entities) {
    const rows = await services.packages.openRows(outFile, entity.label);
    let count = 0;
    try {
      for await (const batch of rows) count += batch.rows.length;
    } finally {
      await rows.close();
    }
    entities.push({
      label: entity.label,
      status: 'Finished',
      stagingRecords: count,
      targetRecords: count,
      stagingErrors: 0,
      targetErrors: 0,
    });
  }
  job.entities = entities;
  job.output = outFile;
  await learnAccount(context);
  job.state = job.executionStatus === 'PartiallySucceeded' ? 'partially-succeeded' : 'succeeded';
  job.finishedAt = new Date().toISOString();
  return DONE;
}

export const exportJob: JobKindSpec<JobServices> = {
  steps: {
    ...exportSteps(
      (context) => ({ environmentId: context.job.environmentId, ...params(context), outFile: exportFileOf(context) }),
      'open',
    ),
    open,
  },
};
