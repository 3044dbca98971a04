import { copyFile, mkdir, readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type {
  CopyChoices,
  CopyDiffRow,
  ExecutionReport,
  JobSummary,
  ReimportLeftOut,
  ReimportPlan,
  RanBy,
  RowError,
} from '../../../shared/api/domains/jobs';
import type { CatalogIndex } from '../../../shared/domain/catalog';
import { AppError } from '../../../shared/api/errors';
import type { EnvironmentService } from '../environments/environmentService';
import { osUser } from '../projects/actor';
import { PROJECT_FILE } from '../projects/projectService';
import type { ProjectService } from '../projects/projectService';
import type { DmfClients } from '../dmf/dmfClients';
import { FINAL_EXECUTION_STATUSES } from '../dmf/types';
import type { JobRunner, NewJob } from './jobRunner';
import { PAUSE } from './jobRunner';
import type { JobRecord } from './jobStore';
import { FINAL_STATES } from './jobStore';
import { choicesFor, hasBefore, readAfter, readBefore, withChoices } from './kinds/copyDiff';
import type { CopyData, CopyParams } from './kinds/copyJob';
import { copyChoices, copyProjectName, diffRows } from './kinds/copyJob';
import type { ExportParams } from './kinds/exportJob';
import type { ImportData, ImportParams } from './kinds/importJob';
import { readLineage, readRowErrors } from './kinds/importJob';
import type { DequeueParams, EnqueueParams } from './kinds/recurringJobs';
import { FAILED_ROWS_DIR, outcomeOf } from './kinds/results';
import type { PackageEngine } from './packageEngine';
import { executionRowError } from './rowErrors';
import type { ImportMember, RowOutcome, RowRef } from './rowOutcomes';
import { coverageOf, failedRows, latestOutcomes, leftOutReasons, rowKey, sameFamily } from './rowOutcomes';
import type { JobServices } from './services';

/**
 * The jobs as the contract and the CLI see them: checks a request (environment, PROD
 * confirmation, source file), creates the job and hands it to the runner.
 */
export class JobService {
  readonly #runner: JobRunner<JobServices>;
  readonly #environments: EnvironmentService;
  readonly #projects: ProjectService;
  readonly #dmf: DmfClients;
  readonly #packages: PackageEngine;
  readonly #catalog: CatalogIndex;
  readonly #ranBy: (environmentId: string) => Promise<RanBy>;
  /** Re-imports are created one after the other (see reimportFailed). */
  #reimports: Promise<unknown> = Promise.resolve();

  constructor(options: {
    runner: JobRunner<JobServices>;
    environments: EnvironmentService;
    projects: ProjectService;
    dmf: DmfClients;
    packages: PackageEngine;
    catalog: CatalogIndex;
    /** Who runs a job in an environment (ranBy.ts); without it, the computer's user only. */
    ranBy?: (environmentId: string) => Promise<RanBy>;
  }) {
    this.#ranBy = options.ranBy ?? (async () => ({ account: null, machineUser: osUser() }));
    this.#catalog = options.catalog;
    this.#runner = options.runner;
    this.#environments = options.environments;
    this.#projects = options.projects;
    this.#dmf = options.dmf;
    this.#packages = options.packages;
  }

  get runner(): JobRunner<JobServices> {
    return this.#runner;
  }

  /**
   * Creates a job with who runs it: the account of the environment it writes to (a copy's
   * target), as F&O will see it, and the computer's user.
   */
  async #create(init: NewJob): Promise<JobSummary> {
    return this.#runner.create({ ...init, ranBy: await this.#ranBy(init.targetEnvironmentId ?? init.environmentId) });
  }

  async startImport(request: {
    environmentId: string;
    source: string;
    dataProject?: string;
    company?: string;
    execute: boolean;
    overwrite: boolean;
    confirmProduction?: string;
  }): Promise<JobSummary> {
    const env = this.#environments.get(request.environmentId);
    this.#environments.assertWritable(env.id, request.confirmProduction);
    const source = resolve(request.source);
    const sourceKind = await kindOf(source);
    let company = request.company;
    let dataProject = request.dataProject;
    if (sourceKind === 'project') {
      const { binding } = (await this.#projects.open(source)).document;
      company ??= binding.company;
      dataProject ??= binding.dataProject;
    }
    if (sourceKind === 'package') await this.#packages.describe(source);
    if (!dataProject) {
      throw new AppError(
        'INVALID_INPUT',
        'Name the data project to import into (--project), or bind the workbench project to one.',
      );
    }
    const params: ImportParams = {
      sourceKind,
      source,
      dataProject,
      company: (company ?? env.defaultCompany).toUpperCase(),
      execute: request.execute,
      overwrite: request.overwrite,
    };
    return this.#create({
      kind: 'import',
      title: `Import ${basename(source)} into ${env.name}`,
      environmentId: env.id,
      environmentName: env.name,
      dataProject: params.dataProject,
      company: params.company,
      firstStep: 'build',
      params: { ...params },
    });
  }

  async startExport(request: {
    environmentId: string;
    dataProject: string;
    company?: string;
    outFile?: string;
    incremental: boolean;
    entities?: readonly string[];
    preview?: number;
  }): Promise<JobSummary> {
    const env = this.#environments.get(request.environmentId);
    const params: ExportParams = {
      dataProject: request.dataProject,
      company: (request.company ?? env.defaultCompany).toUpperCase(),
      ...(request.outFile ? { outFile: resolve(request.outFile) } : {}),
      incremental: request.incremental,
      ...(request.entities?.length ? { entities: request.entities } : {}),
      ...(request.preview ? { preview: request.preview } : {}),
    };
    const what = params.preview
      ? `Preview (${params.preview} per entity)`
      : params.incremental
        ? 'Incremental export'
        : 'Export';
    return this.#create({
      kind: 'export',
      title: `${what} of ${params.dataProject} from ${env.name}`,
      environmentId: env.id,
      environmentName: env.name,
      dataProject: params.dataProject,
      company: params.company,
      firstStep: 'define',
      params: { ...params },
    });
  }

  async startCopy(request: {
    from: { environmentId: string; company?: string };
    to: { environmentId: string; company?: string };
    entities: readonly string[];
    review: boolean;
    insertOnly?: boolean;
    confirmProduction?: string;
  }): Promise<JobSummary> {
    const from = this.#environments.get(request.from.environmentId);
    const to = this.#environments.get(request.to.environmentId);
    this.#environments.assertWritable(to.id, request.confirmProduction);
    const params: CopyParams = {
      from: { environmentId: from.id, company: (request.from.company ?? from.defaultCompany).toUpperCase() },
      to: { environmentId: to.id, company: (request.to.company ?? to.defaultCompany).toUpperCase() },
      entities: request.entities,
      review: request.review,
      insertOnly: request.insertOnly ?? false,
    };
    if (from.id === to.id && params.from.company === params.to.company) {
      throw new AppError(
        'INVALID_INPUT',
        'The copy goes from and to the same environment and legal entity. Choose another target.',
      );
    }
    return this.#create({
      kind: 'copy',
      title: `Copy ${request.entities.length} entities from ${from.name}:${params.from.company} to ${to.name}:${params.to.company}`,
      environmentId: from.id,
      environmentName: from.name,
      targetEnvironmentId: to.id,
      dataProject: copyProjectName(request.entities),
      company: params.to.company,
      firstStep: 'define',
      params: { ...params },
    });
  }

  async startEnqueue(request: {
    environmentId: string;
    activityId: string;
    file: string;
    entity?: string;
    company?: string;
    confirmProduction?: string;
  }): Promise<JobSummary> {
    const env = this.#environments.get(request.environmentId);
    this.#environments.assertWritable(env.id, request.confirmProduction);
    const file = resolve(request.file);
    await mustBeFile(file);
    const params: EnqueueParams = {
      activityId: request.activityId,
      file,
      ...(request.entity ? { entity: request.entity } : {}),
      ...(request.company ? { company: request.company.toUpperCase() } : {}),
    };
    return this.#create({
      kind: 'enqueue',
      title: `Enqueue ${basename(file)} to ${env.name}`,
      environmentId: env.id,
      environmentName: env.name,
      company: params.company ?? null,
      firstStep: 'send',
      params: { ...params },
    });
  }

  async startDequeue(request: { environmentId: string; activityId: string; outDir: string }): Promise<JobSummary> {
    const env = this.#environments.get(request.environmentId);
    const params: DequeueParams = { activityId: request.activityId, outDir: resolve(request.outDir) };
    return this.#create({
      kind: 'dequeue',
      title: `Dequeue from ${env.name}`,
      environmentId: env.id,
      environmentName: env.name,
      firstStep: 'dequeue',
      params: { ...params },
    });
  }

  /** Continues a copy that paused after its diff, with the consultant's choices. */
  async confirm(jobId: string, confirmProduction?: string, choices?: CopyChoices): Promise<JobSummary> {
    const record = await this.#runner.record(jobId);
    if (record.kind !== 'copy' || record.step !== PAUSE) {
      throw new AppError('CONFLICT', `Job ${jobId} is not a copy waiting for its diff to be confirmed.`);
    }
    this.#environments.assertWritable(record.targetEnvironmentId ?? record.environmentId, confirmProduction);
    if (choices) (record.data as CopyData).choices = choices;
    return this.#runner.continueAt(jobId, 'select');
  }

  async errors(jobId: string, offset: number, limit: number): Promise<{ total: number; errors: RowError[] }> {
    await this.#runner.record(jobId);
    const all = await readRowErrors(this.#runner.dirOf(jobId));
    return { total: all.length, errors: all.slice(offset, offset + limit) };
  }

  /**
   * What a re-import of a job's failed rows sends now: each failed row's latest outcome decides.
   * A row a later job of the same source, environment and legal entity imported, is importing,
   * or sent without learning the outcome, is left out with the reason: it is never posted twice.
   */
  async reimportPlan(jobId: string): Promise<ReimportPlan> {
    const { plan } = await this.#planReimport(await this.#finishedImport(jobId));
    return plan;
  }

  /**
   * A new import of only the rows that still fail, read again from the project's (fixed) source
   * files, or from the failed-rows dataset of a ready package: same data project, company and
   * options; each row keeps its source file and row. One re-import is created at a time, so two
   * quick requests cannot both send the same rows.
   */
  reimportFailed(
    jobId: string,
    confirmProduction?: string,
  ): Promise<JobSummary & { readonly leftOut: readonly ReimportLeftOut[] }> {
    const next = this.#reimports.then(() => this.#reimportFailed(jobId, confirmProduction));
    this.#reimports = next.catch(() => undefined);
    return next;
  }

  async #reimportFailed(
    jobId: string,
    confirmProduction?: string,
  ): Promise<JobSummary & { readonly leftOut: readonly ReimportLeftOut[] }> {
    const record = await this.#finishedImport(jobId);
    const params = record.params as unknown as ImportParams;
    const env = this.#environments.get(record.environmentId);
    this.#environments.assertWritable(env.id, confirmProduction);
    const { plan, send, leftOut } = await this.#planReimport(record);
    if (plan.failedRows === 0) {
      throw new AppError(
        'CONFLICT',
        `Job ${jobId} has no failed rows that map to source rows; there is nothing to re-import.`,
      );
    }
    if (plan.toSend === 0) {
      throw new AppError(
        'CONFLICT',
        `Nothing left to re-import from job ${jobId}: ${plan.leftOut.map((l) => l.message).join(' ')}`,
      );
    }
    const common = {
      kind: 'import' as const,
      environmentId: env.id,
      environmentName: env.name,
      dataProject: params.dataProject,
      company: params.company,
      firstStep: 'build',
    };
    if (params.sourceKind !== 'project') {
      // A ready package cannot be read again from fixed sources: its failed rows are, in the
      // failed-rows dataset the consultant fixed, each row still naming its source.
      const origin = params.sourceKind === 'failed-rows' ? (params.basePackage ?? params.source) : params.source;
      const failedRows = join(this.#runner.dirOf(jobId), FAILED_ROWS_DIR);
      if ((await listFiles(failedRows)).length === 0) {
        throw new AppError('CONFLICT', `Job ${jobId} has no failed rows; there is nothing to re-import.`);
      }
      const basePackage = (record.data as { packagePath?: string }).packagePath ?? params.source;
      const job = await this.#create({
        ...common,
        title: `Re-import the fixed failed rows of ${basename(origin)} into ${env.name}`,
        params: {
          ...params,
          sourceKind: 'failed-rows',
          source: failedRows,
          basePackage,
          selection: undefined,
          leaveOut: selectionOf(leftOut),
          reimportOf: jobId,
        },
      });
      return { ...job, leftOut: plan.leftOut };
    }
    const job = await this.#create({
      ...common,
      title: `Re-import the failed rows of ${basename(params.source)} into ${env.name}`,
      params: { ...params, selection: selectionOf(send), leaveOut: undefined, reimportOf: jobId },
    });
    return { ...job, leftOut: plan.leftOut };
  }

  async #finishedImport(jobId: string): Promise<JobRecord> {
    const record = await this.#runner.record(jobId);
    if (record.kind !== 'import' || !FINAL_STATES.has(record.state)) {
      throw new AppError('CONFLICT', `Job ${jobId} is not a finished import.`);
    }
    return record;
  }

  async #planReimport(record: JobRecord): Promise<{ plan: ReimportPlan; send: RowRef[]; leftOut: RowRef[] }> {
    const failed = [...failedRows(await readRowErrors(this.#runner.dirOf(record.id))).values()].map((f) => f.ref);
    const later = (await this.importFamily(record)).filter((m) => isLater(m.record, record));
    const outcomes = latestOutcomes(later, failed);
    const send: RowRef[] = [];
    const leftOut: RowRef[] = [];
    for (const ref of failed) {
      const outcome = outcomes.get(rowKey(ref));
      if (!outcome || outcome.kind === 'failed') send.push(ref);
      else leftOut.push(ref);
    }
    return {
      plan: {
        jobId: record.id,
        failedRows: failed.length,
        toSend: send.length,
        leftOut: leftOutReasons(leftOut.map((ref) => outcomes.get(rowKey(ref)) as RowOutcome)),
      },
      send,
      leftOut,
    };
  }

  /**
   * Every import job of `record`'s family (same source, environment and legal entity; see
   * sameFamily), oldest first, with the rows each sends and the rows that failed.
   */
  async importFamily(record: JobRecord): Promise<ImportMember[]> {
    const all = await Promise.all((await this.#runner.list()).map((j) => this.#runner.record(j.id)));
    const members: ImportMember[] = [];
    for (const member of sameFamily(all, record)) {
      const { lineageFile } = member.data as ImportData;
      members.push({
        record: member,
        covers: coverageOf(member, lineageFile ? await readLineage(lineageFile) : null),
        errors: await readRowErrors(this.#runner.dirOf(member.id)),
      });
    }
    return members;
  }

  /**
   * A copy's diff of one entity, record by record, as it was before the copy (kept with the job),
   * with the choices it ran with and what the target held after. A copy from before the diff was
   * kept is compared with the target now.
   */
  async diffRows(request: {
    jobId: string;
    entity: string;
    status?: 'new' | 'changed' | 'same';
    offset: number;
    limit: number;
  }): Promise<{ total: number; rows: CopyDiffRow[] }> {
    const record = await this.#copyWithDiff(request.jobId);
    const rows: CopyDiffRow[] = [];
    let total = 0;
    for await (const row of this.#keptDiff(record, request.entity)) {
      if (request.status && row.status !== request.status) continue;
      if (total >= request.offset && rows.length < request.limit) rows.push(row);
      total++;
    }
    return { total, rows };
  }

  /**
   * The diff written for a person (.csv or .xlsx): a line per changed field of each record (one
   * line for a record without changes), with the target's value before, the copied value, what was
   * chosen and what the target held after.
   */
  async exportDiff(jobId: string, path: string): Promise<{ path: string; rows: number }> {
    const record = await this.#copyWithDiff(jobId);
    const out = resolve(path);
    const decided = record.step !== PAUSE;
    const yesNo = (value: boolean | null | undefined) =>
      value === null || value === undefined ? '' : value ? 'Yes' : 'No';
    const entities = (record.diff ?? []).map((d) => d.label);
    const lines = async function* (service: JobService) {
      for (const label of entities) {
        const batch: string[][] = [];
        for await (const row of service.#keptDiff(record, label)) {
          const after = row.after ? AFTER_WORDS[row.after] : '';
          const base = [label, row.key, STATUS_WORDS[row.status], decided ? yesNo(row.copied) : ''];
          if (row.changes.length === 0) batch.push([...base, '', '', '', '', after]);
          for (const c of row.changes) batch.push([...base, c.field, c.target ?? '', c.copied, yesNo(c.kept), after]);
          if (batch.length >= 1000) yield batch.splice(0);
        }
        if (batch.length) yield batch;
      }
    };
    const written = await this.#packages.writeForPerson(out, DIFF_COLUMNS, lines(this));
    return { path: out, rows: written.rows };
  }

  async #copyWithDiff(jobId: string): Promise<JobRecord> {
    const record = await this.#runner.record(jobId);
    if (record.kind !== 'copy' || !(record.data as CopyData).diffDone) {
      throw new AppError('CONFLICT', `Job ${jobId} is not a configuration copy with a diff yet.`);
    }
    return record;
  }

  /** An entity's records as kept with the copy, with its choices and the verification's findings. */
  async *#keptDiff(record: JobRecord, entity: string): AsyncGenerator<CopyDiffRow> {
    const dir = this.#runner.dirOf(record.id);
    const label = record.diff?.find((d) => d.label.toLowerCase() === entity.toLowerCase())?.label;
    if (!label) throw new AppError('NOT_FOUND', `The copy ${record.id} has no entity "${entity}".`);
    if (!(await hasBefore(dir, label))) {
      yield* this.#liveDiff(record, label);
      return;
    }
    const choices = copyChoices(record);
    const chosen = choicesFor(choices, label);
    const after = await readAfter(dir, label);
    const decided = record.step !== PAUSE;
    for await (const row of readBefore(dir, label)) yield withChoices(row, choices, chosen, after, decided);
  }

  /** A copy from before the diff was kept: its package compared with the target now. */
  async *#liveDiff(record: JobRecord, entity: string): AsyncGenerator<CopyDiffRow> {
    const packagePath = (record.data as CopyData).packagePath;
    if (!packagePath) throw new AppError('CONFLICT', `Job ${record.id} has no package to compare.`);
    const to = (record.params as unknown as CopyParams).to;
    const { dmf } = await this.#dmf.open(to.environmentId);
    const services = { packages: this.#packages, catalog: this.#catalog };
    yield* diffRows(services, dmf, packagePath, entity, to.company, new AbortController().signal);
  }

  /** An execution's status, counts and errors: from this workbench's job when it ran it, else from F&O. */
  async status(environmentId: string, executionId: string, limit: number): Promise<ExecutionReport> {
    const env = this.#environments.get(environmentId);
    const job = await this.#jobFor(env.id, executionId);
    const { dmf } = await this.#dmf.open(env.id);
    if (job) {
      let status = job.executionStatus ?? 'Unknown';
      // A job that is not running here (another process, or interrupted) may be behind F&O.
      if (!FINAL_EXECUTION_STATUSES.has(status as never)) status = await dmf.getExecutionSummaryStatus(executionId);
      const errors = await readRowErrors(this.#runner.dirOf(job.id));
      return {
        executionId,
        status,
        entities: job.entities,
        errors: errors.slice(0, limit),
        errorCount: errors.length,
        jobId: job.id,
      };
    }
    const known = await dmf.probeExecution(executionId);
    if (known === null) {
      throw new AppError(
        'NOT_FOUND',
        `${env.name} has no execution "${executionId}". Copy the execution id (Job ID) from the job history.`,
      );
    }
    const details = await dmf.executionDetails(executionId).catch(() => []);
    const messages = FINAL_EXECUTION_STATUSES.has(known) ? await dmf.getExecutionErrors(executionId) : [];
    const errors: RowError[] = messages.map(executionRowError);
    return {
      executionId,
      status: known,
      entities: details.map(outcomeOf),
      errors: errors.slice(0, limit),
      errorCount: errors.length,
      jobId: null,
    };
  }

  /** errors.csv plus F&O's error files and the failed-rows dataset, copied into `outDir`. */
  async saveErrors(
    environmentId: string,
    executionId: string,
    outDir: string,
  ): Promise<{ files: string[]; errorCount: number }> {
    const report = await this.status(environmentId, executionId, Number.MAX_SAFE_INTEGER);
    const out = resolve(outDir);
    await mkdir(out, { recursive: true });
    const files: string[] = [];
    const csv = join(out, 'errors.csv');
    await this.#packages.writeCsv(
      csv,
      ['ENTITY', 'SOURCEFILE', 'SOURCEROW', 'STAGE', 'FIELD', 'MESSAGE'],
      [
        report.errors.map((e) => [
          e.entity,
          e.sourceFile ?? '',
          e.sourceRow === null ? '' : String(e.sourceRow),
          e.stage,
          e.field ?? '',
          e.message,
        ]),
      ],
    );
    files.push(csv);
    if (report.jobId) {
      const dir = this.#runner.dirOf(report.jobId);
      for (const sub of ['errors', FAILED_ROWS_DIR]) {
        for (const name of await listFiles(join(dir, sub))) {
          const target = join(out, sub === 'errors' ? name : `failed-${name}`);
          await copyFile(join(dir, sub, name), target);
          files.push(target);
        }
      }
    }
    return { files, errorCount: report.errorCount };
  }

  async #jobFor(environmentId: string, executionId: string): Promise<JobRecord | null> {
    await this.#runner.load();
    const jobs = await this.#runner.list();
    const found = jobs.find(
      (j) =>
        j.executionId === executionId && (j.environmentId === environmentId || j.targetEnvironmentId === environmentId),
    );
    return found ? this.#runner.record(found.id) : null;
  }
}

const DIFF_COLUMNS = [
  'Entity',
  'Key',
  'Before the copy',
  'Copied',
  'Field',
  'Value in the target before',
  'Copied value',
  "Target's value kept",
  'After the copy',
];
const STATUS_WORDS = { new: 'New', changed: 'Changed', same: 'Same' } as const;
const AFTER_WORDS = { matches: 'Matches', differs: 'Still differs', missing: 'Missing' } as const;

async function kindOf(source: string): Promise<'package' | 'project'> {
  let info;
  try {
    info = await stat(source);
  } catch {
    throw new AppError(
      'INVALID_INPUT',
      `${source} does not exist. Give a data package (.zip) or a workbench project folder.`,
    );
  }
  if (info.isDirectory()) {
    try {
      await stat(join(source, PROJECT_FILE));
    } catch {
      throw new AppError(
        'INVALID_INPUT',
        `${source} is a folder without ${PROJECT_FILE}: it is not a workbench project. Create ${PROJECT_FILE} ` +
          `there (its entities and their source files; the README shows one), or build a package from the ` +
          `files with \`dmfw pack\` and import the .zip.`,
      );
    }
    return 'project';
  }
  return 'package';
}

async function mustBeFile(file: string): Promise<void> {
  const info = await stat(file).catch(() => null);
  if (info?.isFile()) return;
  throw new AppError(
    'INVALID_INPUT',
    info
      ? `${file} is a folder: give a data file or a data package (.zip).`
      : `${file} does not exist: check the path.`,
  );
}

/** Created later than `than` (ids break ties: two jobs created in the same millisecond). */
export function isLater(job: JobRecord, than: JobRecord): boolean {
  return job.createdAt > than.createdAt || (job.createdAt === than.createdAt && job.id > than.id);
}

/** Rows as an import's selection: entity label → source file → rows. */
function selectionOf(rows: readonly RowRef[]): Record<string, Record<string, number[]>> {
  const selection: Record<string, Record<string, number[]>> = {};
  for (const ref of rows) ((selection[ref.entity] ??= {})[ref.sourceFile] ??= []).push(ref.sourceRow);
  return selection;
}

async function listFiles(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}
