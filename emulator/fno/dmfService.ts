import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmulatorCatalog } from '../store/learntEntities';
import { learnEntity, learntLogLine } from '../store/learntEntities';
import type { DmfBlobStore } from '../blob/blobStore';
import type { EmulatorClock } from '../clock';
import type { FaultState } from '../faults';
import { runImport } from '../processing/importer';
import type { EntityImportResult } from '../processing/importer';
import { runUnits } from '../processing/schedule';
import { exportRowFormatter } from '../processing/values';
import type { EntityDataToWrite, OpenedPackage, PackageEntityInfo, PackageIo } from '../processing/packageIo';
import { isLegalEntity, unknownLegalEntityMessage } from '../store/legalEntities';
import type { RecordStore, StoredRecord } from '../store/records';
import { ActionFailure } from './actions';
import { ExecutionRegistry, isActive, outcomeOf, stepTiming } from './executions';
import type { EntityExecution, Execution, Latency } from './executions';
import { ProjectRegistry, newProjectEntity } from './projects';
import type { DataProject, ProjectEntity } from './projects';

export interface DmfServiceDeps {
  readonly clock: EmulatorClock;
  readonly blobs: DmfBlobStore;
  /** The built-in entities and those learnt from packages (learnt on import). */
  readonly catalog: EmulatorCatalog;
  readonly store: RecordStore;
  readonly faults: FaultState;
  readonly latency: Latency;
  readonly io: PackageIo;
  /** Scratch folder for downloaded and generated files. */
  readonly workDir: string;
  /** Called after every change worth persisting. */
  readonly changed: () => void;
  readonly log: (line: string) => void;
}

export interface ImportRequest {
  /** The URL the package was uploaded to (ImportFromPackage). */
  readonly packageUrl: string;
  /** Or the blob itself (recurring enqueue). */
  readonly blob?: string;
  /** The blob is one data file of this project entity, not a package (recurring file jobs). */
  readonly fileEntity?: string;
  readonly definitionGroupId: string;
  readonly executionId: string;
  readonly execute: boolean;
  readonly overwrite: boolean;
  readonly legalEntityId: string;
  readonly messageId?: string;
  /** A recurring import job's message: what the job takes, and where a preprocessing error goes. */
  readonly recurringJob?: {
    readonly name: string;
    readonly dataSource: 'package' | 'file';
    /** The message could not be taken (not what the job takes, unreadable): PreProcessingError. */
    readonly preprocessingFailed: (message: string) => void;
  };
}

export interface ExportRequest {
  readonly definitionGroupId: string;
  readonly packageName: string;
  readonly executionId: string;
  readonly reExecute: boolean;
  readonly legalEntityId: string;
  /** ExportToPackagePreview: at most this many records per entity (0 = all). */
  readonly previewCount?: number;
}

type StepTimes = Pick<EntityExecution, 'startedAt' | 'stagingCompletedAt' | 'targetStartedAt' | 'completedAt'>;

/** A zip file's first bytes (local file header). */
const ZIP_SIGNATURE = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** Rows per batch an export hands the package writer. */
const EXPORT_BATCH = 10_000;

/** The DMF side of the emulator: data projects, executions and their processing. */
export class DmfService {
  readonly projects = new ProjectRegistry();
  readonly executions = new ExecutionRegistry();
  /** Execution id (lower case) → its processing, until it settles. */
  readonly #running = new Map<string, Promise<void>>();

  constructor(private readonly deps: DmfServiceDeps) {}

  /** Fails with DMF2025 when the project already has an import or export running [DOC]. */
  private checkNotRunning(project: string): void {
    const active = this.executions.activeFor(project, this.deps.clock.now());
    if (active) {
      // [INFER] wording: the docs name the code and the cause, not the message text.
      throw new ActionFailure(
        `DMF2025: The data project '${project}' is already being processed by execution '${active.id}'. ` +
          'Concurrent imports or exports of the same data project are not supported unless Enhanced parallel package import is enabled.',
      );
    }
  }

  private newExecution(
    kind: 'import' | 'export',
    project: string,
    id: string,
    company: string,
    messageId: string | null,
  ): Execution {
    const now = this.deps.clock.now();
    const stuck = this.deps.faults.stuckExecutions > 0;
    if (stuck) this.deps.faults.stuckExecutions -= 1;
    const x: Execution = {
      id,
      kind,
      project,
      company: company.toUpperCase(),
      createdAt: now,
      pickupAt: now + this.deps.latency.pickupMs,
      finishAt: null,
      outcome: null,
      canceled: false,
      stuck,
      messages: [],
      entities: [],
      packageBlob: null,
      stagingErrorFiles: {},
      targetErrorKeys: {},
      targetErrorKeysFiles: {},
      messageId,
      log: '',
    };
    this.executions.add(x);
    return x;
  }

  /** An id like F&O's UI job ids: project name and time, plus a suffix that keeps them unique [INFER]. */
  private generatedId(project: string): string {
    const t = new Date(this.deps.clock.now()).toISOString().replace('T', ' ').slice(0, 19);
    return `${project}-${t}-${randomUUID().slice(0, 8)}`;
  }

  /** The legal entity of a call: the given one when the environment has it, else 400; empty = USMF. */
  private companyOf(legalEntityId: string): string {
    const company = legalEntityId.trim() || 'USMF';
    if (!isLegalEntity(this.deps.store, company))
      throw new ActionFailure(unknownLegalEntityMessage(this.deps.store, company, 'legalEntityId'), 400);
    return company.toUpperCase();
  }

  startImport(request: ImportRequest): Execution {
    if (!request.definitionGroupId) throw new ActionFailure('The data project (definitionGroupId) must be given.');
    const company = this.companyOf(request.legalEntityId);
    this.checkNotRunning(request.definitionGroupId);
    const id = request.executionId || this.generatedId(request.definitionGroupId);
    const used = this.executions.get(id);
    if (used && used.cleanedAt === undefined) {
      // [INFER] F&O refuses to reuse an execution id for a new import (unless its history was cleaned up).
      throw new ActionFailure(
        `The execution id '${id}' is already used by another job. Pass a new execution id, or an empty one to get a generated id.`,
      );
    }
    const x = this.newExecution('import', request.definitionGroupId, id, company, request.messageId ?? null);
    this.deps.changed();
    this.track(x, this.processImport(x, request));
    return x;
  }

  startExport(request: ExportRequest): Execution {
    const company = this.companyOf(request.legalEntityId);
    const project = this.projects.get(request.definitionGroupId);
    if (!project) {
      throw new ActionFailure(
        `The data project '${request.definitionGroupId}' does not exist. Create it first (ExportToPackage exports an existing data project).`,
      );
    }
    this.checkNotRunning(project.name);
    const id = request.executionId || `ExportPackage-${randomUUID()}`;
    const existing = this.executions.get(id);
    if (existing && existing.cleanedAt === undefined && !request.reExecute) {
      throw new ActionFailure(
        `The execution id '${id}' was already used. Pass reExecute=true to run it again, or a new execution id.`,
      );
    }
    if (existing) this.executions.delete(id);
    const x = this.newExecution('export', project.name, id, company, null);
    this.deps.changed();
    this.track(x, this.processExport(x, project, request));
    return x;
  }

  private track(x: Execution, work: Promise<void>): void {
    const key = x.id.toLowerCase();
    const settled = work.catch((error: unknown) => this.fail(x, error)).finally(() => this.#running.delete(key));
    this.#running.set(key, settled);
  }

  /** Resolves once the emulator has computed the execution (its status may still wait on the clock). */
  async settled(x: Execution): Promise<void> {
    await this.#running.get(x.id.toLowerCase());
  }

  private fail(x: Execution, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    x.messages.push({ RecordId: '', Field: '', ErrorMessage: message, entity: '' });
    x.log += `${message}\n`;
    x.outcome = 'Failed';
    x.finishAt = Math.max(this.deps.clock.now(), x.pickupAt);
    this.deps.changed();
  }

  private async processImport(x: Execution, request: ImportRequest): Promise<void> {
    const { blobs, io, workDir } = this.deps;
    const blob = request.blob ?? blobs.blobNameOf(request.packageUrl);
    if (!blob || !(await blobs.exists(blob))) {
      throw new Error(
        `The package could not be downloaded from '${request.packageUrl.split('?')[0]}': upload it to the URL GetAzureWriteUrl returned, then pass that URL as packageUrl.`,
      );
    }
    x.packageBlob = blob;
    const path = join(workDir, `${randomUUID()}.zip`);
    let pkg: OpenedPackage | null = null;
    try {
      await blobs.downloadToFile(blob, path);
      pkg = await this.openUpload(path, request);
      const opened = pkg;
      await this.learnUnknownEntities(x, opened, request.definitionGroupId);
      const project = this.projectFromPackage(request.definitionGroupId, opened, request.overwrite);
      if (project.truncateEntityData && request.execute) {
        // "Truncate records in the entities prior to import" (project option, off by default) [DOC].
        for (const info of opened.entities) {
          const entity = this.deps.catalog.findEntity(info.targetEntity ?? info.entityName);
          if (entity) this.deps.store.table(entity).clear(x.company);
        }
      }
      const inputs = opened.entities.map((info) => {
        // The project's settings win when the project was kept (overwrite=false) [INFER].
        const own = project.entities.find(
          (e) => sameEntity(e, info.entityName) || (info.targetEntity !== null && sameEntity(e, info.targetEntity)),
        );
        return {
          name: info.targetEntity ?? info.entityName,
          executionUnit: own?.executionUnit ?? info.executionUnit,
          level: own?.level ?? info.level,
          sequence: own?.sequence ?? info.sequence,
          failLevelOnError: own?.failLevelOnError ?? info.failLevelOnError,
          failExecutionUnitOnError: own?.failExecutionUnitOnError ?? info.failExecutionUnitOnError,
          maps: info.maps,
          info,
          open: () => opened.openRows(info),
        };
      });
      const result = await runImport(
        inputs,
        {
          executionId: x.id,
          company: x.company,
          execute: request.execute,
          stagingFailureRate: this.deps.faults.stagingFailureRate,
          targetFailureRate: this.deps.faults.targetFailureRate,
        },
        this.deps.catalog,
        this.deps.store,
        stepTiming(this.deps.latency, x.pickupAt),
      );
      x.messages = result.messages;
      if (result.fatal) throw new Error(result.fatal);
      for (const [i, r] of result.entities.entries()) {
        const info =
          inputs.find((input) => this.deps.catalog.findEntity(input.name) === r.entity)?.info ?? inputs[i]?.info;
        if (r.stagingErrorRows.rows.length > 0 && info) {
          const name = `${x.id}-${fileSafe(r.label)}-StagingErrors${io.extensionOf(info.sourceFormat)}`;
          const file = join(workDir, `${randomUUID()}${io.extensionOf(info.sourceFormat)}`);
          await io.writeDataFile(
            file,
            info.sourceFormat,
            r.label,
            r.stagingErrorRows.columns,
            r.stagingErrorRows.rows,
            r.stagingErrorRows.info,
          );
          try {
            await blobs.upload(name, createReadStream(file));
          } finally {
            await rm(file, { force: true });
          }
          x.stagingErrorFiles[r.label] = name;
        }
        if (r.targetErrorKeys.length > 0) x.targetErrorKeys[r.label] = r.targetErrorKeys;
      }
      x.entities = result.entities.map(entitySummary);
      this.finish(x, false, result.endsAt);
    } finally {
      await pkg?.close().catch(() => undefined);
      await rm(path, { force: true });
    }
  }

  /**
   * An entity the environment does not know is learnt from the package (manifest map, else the
   * data file's header), so the package imports as into an environment that has it; the job log
   * says so (issue #10 item 6).
   */
  private async learnUnknownEntities(x: Execution, pkg: OpenedPackage, project: string): Promise<void> {
    const { catalog } = this.deps;
    const learnt = [];
    for (const info of pkg.entities) {
      if (catalog.findEntity(info.targetEntity ?? info.entityName) || catalog.findEntity(info.entityName)) continue;
      let header: readonly string[] = [];
      if (!info.maps) {
        // Opening reads only the header; the rows are read again by the import.
        const rows = await pkg.openRows(info).catch(() => null);
        header = rows?.columns ?? [];
      }
      const entity = learnEntity(info, header, pkg.definitionGroupName ?? project, this.deps.clock.now());
      if (entity.fields.length === 0) continue; // nothing to learn: the import says the entity is unknown
      learnt.push(entity);
    }
    if (learnt.length === 0) return;
    catalog.add(learnt);
    for (const entity of learnt) {
      x.log += `${learntLogLine(entity)}\n`;
      this.deps.log(`emulator: ${x.id}: ${learntLogLine(entity)}`);
    }
    this.deps.changed();
  }

  /**
   * The upload as the import reads it: a package (ImportFromPackage, package jobs) or one data file
   * (file jobs). A recurring message the job cannot take ends in PreProcessingError with the
   * reason, before any entity is processed [DOC: the status means "failed in the preprocessing
   * stage"; the wording is ours, INFER].
   */
  private async openUpload(path: string, request: ImportRequest): Promise<OpenedPackage> {
    const job = request.recurringJob;
    try {
      if (request.fileEntity) return await this.singleFilePackage(path, request.definitionGroupId, request.fileEntity);
      try {
        return await this.deps.io.openPackage(path);
      } catch (error) {
        if (!job) throw error;
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(
          `The message is not a data package the recurring data job '${job.name}' can take (${reason}). ` +
            'A package job takes a zip with Manifest.xml, PackageHeader.xml and the data files; send a single data file to a file job with ?entity=<entity name>.',
          { cause: error },
        );
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      job?.preprocessingFailed(message);
      throw error;
    }
  }

  /** A recurring file job's upload: one data file for one entity of the job's data project. */
  private async singleFilePackage(path: string, projectName: string, entityName: string): Promise<OpenedPackage> {
    const project = this.projects.get(projectName);
    const pe = project?.entities.find((e) => sameEntity(e, entityName));
    if (!pe)
      throw new Error(
        `Entity '${entityName}' is not in data project '${projectName}'. Pass the entity name as it is in the recurring job's project.`,
      );
    await this.refuseBundledPackage(path, pe);
    const info: PackageEntityInfo = {
      entityName: pe.entityName,
      targetEntity: pe.targetEntity,
      sourceFormat: pe.sourceFormat,
      inputFilePath: path,
      executionUnit: pe.executionUnit,
      level: pe.level,
      sequence: pe.sequence,
      failLevelOnError: pe.failLevelOnError,
      failExecutionUnitOnError: pe.failExecutionUnitOnError,
      refreshType: pe.defaultRefreshType,
      maps: pe.maps,
    };
    return {
      definitionGroupName: projectName,
      entities: [info],
      openRows: () => this.deps.io.openDataFile(path, pe.sourceFormat, pe.entityName),
      close: async () => undefined,
    };
  }

  /**
   * A file job takes files in the format its project gives the entity [DOC]: a zip is a data
   * package, unless the format is Excel (an .xlsx is a zip too, without Manifest.xml).
   */
  private async refuseBundledPackage(path: string, pe: ProjectEntity): Promise<void> {
    const head = Buffer.alloc(4);
    const file = await open(path, 'r');
    try {
      await file.read(head, 0, 4, 0);
    } finally {
      await file.close();
    }
    if (!head.equals(ZIP_SIGNATURE)) return;
    const excel = /^excel/i.test(pe.sourceFormat);
    if (excel) {
      const pkg = await this.deps.io.openPackage(path).catch(() => null);
      if (!pkg) return;
      await pkg.close().catch(() => undefined);
    }
    throw new Error(
      `The message is a data package (a zip${excel ? ' with Manifest.xml' : ''}), but this recurring data job takes single ${pe.sourceFormat} files of '${pe.entityName}'. ` +
        'Send the data file itself, or enqueue the package to a recurring job whose data source is Data package.',
    );
  }

  /** Done computing: final when the emulator clock reaches the end of its last execution unit. */
  private finish(x: Execution, fatal: boolean, endsAt: number): void {
    x.outcome = outcomeOf(x.entities, fatal);
    x.finishAt = Math.max(this.deps.clock.now(), endsAt);
    this.deps.changed();
  }

  /** ImportFromPackage creates the project from the manifest, or replaces it when overwrite=true [DOC]. */
  private projectFromPackage(name: string, pkg: OpenedPackage, overwrite: boolean): DataProject {
    const existing = this.projects.get(name);
    if (existing && !overwrite) return existing;
    const project: DataProject = {
      name: existing?.name ?? name,
      description: existing?.description ?? name,
      operationType: 'Import',
      generateDataPackage: true,
      truncateEntityData: false,
      entities: pkg.entities.map((e) =>
        newProjectEntity(
          this.deps.catalog.findEntity(e.targetEntity ?? e.entityName)?.label ?? e.entityName,
          e.targetEntity ?? this.deps.catalog.findEntity(e.entityName)?.targetEntity ?? e.entityName,
          {
            sourceFormat: e.sourceFormat,
            executionUnit: e.executionUnit,
            level: e.level,
            sequence: e.sequence,
            failLevelOnError: e.failLevelOnError,
            failExecutionUnitOnError: e.failExecutionUnitOnError,
            defaultRefreshType: e.refreshType,
            maps: e.maps ? e.maps.map((m) => ({ ...m })) : null,
          },
        ),
      ),
      watermarks: existing?.watermarks ?? {},
    };
    this.projects.put(project);
    return project;
  }

  private async processExport(x: Execution, project: DataProject, request: ExportRequest): Promise<void> {
    const { catalog, store, io, blobs, workDir } = this.deps;
    const limit = request.previewCount && request.previewCount > 0 ? request.previewCount : Infinity;
    const version = store.version;
    const entities: EntityDataToWrite[] = [];
    const summaries: ((times: StepTimes) => EntityExecution)[] = [];
    const rowCounts: { rows: number }[] = [];
    const ordered = [...project.entities]
      .filter((e) => !e.disable)
      .sort((a, b) => a.executionUnit - b.executionUnit || a.level - b.level || a.sequence - b.sequence);
    for (const pe of ordered) {
      const entity = catalog.findEntity(pe.targetEntity) ?? catalog.findEntity(pe.entityName);
      if (!entity)
        throw new Error(
          `Entity '${pe.entityName}' of data project '${project.name}' is not a data entity of this environment.`,
        );
      const table = store.table(entity);
      const company = table.companyOf(x.company);
      const mark = `${entity.targetEntity}|${company}`;
      // Incremental push exports what changed since this project's last export; the first run is a full push [INFER][DOC].
      const since = pe.defaultRefreshType === 'IncrementalPush' ? (project.watermarks[mark] ?? 0) : 0;
      const exported = { rows: 0 };
      if (pe.defaultRefreshType === 'IncrementalPush' && !request.previewCount) project.watermarks[mark] = version;
      entities.push({
        entityName: entity.label,
        targetEntity: entity.targetEntity,
        sourceFormat: pe.sourceFormat,
        executionUnit: pe.executionUnit,
        level: pe.level,
        sequence: pe.sequence,
        refreshType: pe.defaultRefreshType,
        columns: entity.fields.map((f) => f.name),
        // Streamed in batches while the file is written: a big table is never copied whole.
        rows: exportBatches(
          table.records(x.company),
          since,
          limit,
          exportRowFormatter(entity.fields, catalog),
          exported,
        ),
      });
      summaries.push((times) => {
        return {
          label: entity.label,
          targetEntity: entity.targetEntity,
          company,
          stagingStatus: 'Finished',
          targetStatus: 'Finished',
          stagingRecords: exported.rows,
          stagingErrorCount: 0,
          targetRecords: exported.rows,
          targetCreated: 0,
          targetUpdated: 0,
          targetErrorCount: 0,
          keyFields: entity.keys,
          executionUnit: pe.executionUnit,
          level: pe.level,
          sequence: pe.sequence,
          ...times,
        };
      });
      rowCounts.push(exported);
    }
    const file = join(workDir, `${randomUUID()}.zip`);
    try {
      await io.writePackage(file, project.name, entities);
      const name = `${request.packageName || x.id}${/\.zip$/i.test(request.packageName) ? '' : '.zip'}`;
      await blobs.upload(`${x.id}/${name}`, createReadStream(file));
      x.packageBlob = `${x.id}/${name}`;
    } finally {
      await rm(file, { force: true });
    }
    // Units side by side, as an import: reading into staging, then writing the file [INFER].
    const timing = stepTiming(this.deps.latency, x.pickupAt);
    const times: StepTimes[] = [];
    const endsAt = await runUnits(
      ordered.map((pe, i) => ({ unit: pe.executionUnit, i })),
      (step) => step.unit,
      x.pickupAt,
      async ({ i }, at) => {
        const stagingCompletedAt = at + timing.stepMs(rowCounts[i]?.rows ?? 0);
        const completedAt = stagingCompletedAt + timing.stepMs(rowCounts[i]?.rows ?? 0);
        times[i] = { startedAt: at, stagingCompletedAt, targetStartedAt: stagingCompletedAt, completedAt };
        return completedAt;
      },
    );
    x.entities = summaries.map((summary, i) => summary(times[i] as StepTimes));
    this.finish(x, false, endsAt);
  }

  /**
   * DeleteExecutionHistoryJob: job history cleanup for one execution (dmf-reference §4.10): its
   * errors, staging and target error records and entity history go; GetExecutionErrors answers
   * "[]" afterwards and the id may be used again. The execution row stays as a tombstone so that
   * the message that started it keeps its status. False for a job still running [INFER: the
   * cleanup job skips executions in progress].
   */
  deleteHistory(x: Execution): boolean {
    if (isActive(x, this.deps.clock.now())) return false;
    if (x.cleanedAt !== undefined) return true;
    Object.assign(x, {
      messages: [],
      entities: [],
      stagingErrorFiles: {},
      targetErrorKeys: {},
      targetErrorKeysFiles: {},
      log: '',
      cleanedAt: this.deps.clock.now(),
    });
    this.deps.changed();
    return true;
  }

  /** The execution, or the OData error F&O gives for an unknown id [ISSUE RIS #71]. */
  require(id: string): Execution {
    const x = id ? this.executions.get(id) : undefined;
    if (!x) throw new ActionFailure(`Execution details were not found for execution id: ${id}`);
    return x;
  }

  /** Entity of an execution by label or AOT name [INFER: RIS passes the label; both work]. */
  entityOf(x: Execution, entityName: string): EntityExecution | undefined {
    const n = entityName.trim().toLowerCase();
    return x.entities.find((e) => e.label.toLowerCase() === n || e.targetEntity.toLowerCase() === n);
  }

  /** Starts writing the error keys file; false when the entity has no target errors [DOC]. */
  async generateTargetErrorKeys(x: Execution, entityName: string): Promise<boolean> {
    const entity = this.entityOf(x, entityName);
    const keys = entity ? x.targetErrorKeys[entity.label] : undefined;
    if (!entity || !keys?.length) return false;
    if (x.targetErrorKeysFiles[entity.label]) return true;
    const file = join(this.deps.workDir, `${randomUUID()}.csv`);
    const name = `${x.id}-${fileSafe(entity.label)}-ErrorKeys.csv`;
    const catalogEntity = this.deps.catalog.findEntity(entity.targetEntity);
    const keyFields = entity.keyFields.flatMap((k) => catalogEntity?.fields.find((f) => f.name === k) ?? []);
    const format =
      keyFields.length === entity.keyFields.length ? exportRowFormatter(keyFields, this.deps.catalog) : null;
    try {
      // [INFER] layout: CSV with the entity's key fields as header, one row per failed record,
      // the values written as an export writes them.
      await this.deps.io.writeDataFile(file, 'CSV', entity.label, entity.keyFields, format ? keys.map(format) : keys);
      await this.deps.blobs.upload(name, createReadStream(file));
    } finally {
      await rm(file, { force: true });
    }
    x.targetErrorKeysFiles[entity.label] = { blob: name, readyAt: this.deps.clock.now() + this.deps.latency.pickupMs };
    this.deps.changed();
    return true;
  }
}

function entitySummary(r: EntityImportResult): EntityExecution {
  return {
    label: r.label,
    targetEntity: r.entity.targetEntity,
    company: r.company,
    stagingStatus: r.stagingStatus,
    targetStatus: r.targetStatus,
    stagingRecords: r.stagingRecords,
    stagingErrorCount: r.stagingErrorCount,
    targetRecords: r.targetCreated + r.targetUpdated,
    targetCreated: r.targetCreated,
    targetUpdated: r.targetUpdated,
    targetErrorCount: r.targetErrorCount,
    keyFields: r.entity.keys,
    executionUnit: r.executionUnit,
    level: r.level,
    sequence: r.sequence,
    startedAt: r.startedAt,
    stagingCompletedAt: r.stagingCompletedAt,
    targetStartedAt: r.targetStartedAt,
    completedAt: r.completedAt,
  };
}

const sameEntity = (e: ProjectEntity, name: string): boolean =>
  e.entityName.toLowerCase() === name.toLowerCase() || e.targetEntity.toLowerCase() === name.toLowerCase();

/** File names drop the characters Windows refuses, as F&O does for data files (§1.4). */
const fileSafe = (label: string): string => label.replace(/[\\/:*?"<>|]/g, '');

/** Rows changed since `since`, at most `limit`, as F&O writes them, in batches; counts them. */
function* exportBatches(
  records: Iterable<StoredRecord>,
  since: number,
  limit: number,
  format: (values: readonly string[]) => string[],
  exported: { rows: number },
): Generator<string[][]> {
  let batch: string[][] = [];
  for (const r of records) {
    if (exported.rows >= limit) break;
    if (r.version <= since) continue;
    batch.push(format(r.values));
    exported.rows += 1;
    if (batch.length === EXPORT_BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
