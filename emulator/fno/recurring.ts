import { randomBytes, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { DmfBlobStore } from '../blob/blobStore';
import { isLegalEntity, unknownLegalEntityMessage } from '../store/legalEntities';
import type { RecordStore } from '../store/records';
import type { EmulatorClock } from '../clock';
import { normalizeId } from './connector';
import type { ConnectorMessage, MessageRegistry } from './connector';
import type { DmfService } from './dmfService';
import type { Execution, Latency } from './executions';
import { entityProgress, progressStatus } from './executions';

/** A recurring data job (Data management > Recurring data jobs), as the admin API creates it. */
export interface RecurringJob {
  /** The job's ID (a GUID): the activity id in the connector URLs [DOC]. Lower case, no braces. */
  readonly activityId: string;
  readonly name: string;
  readonly project: string;
  readonly direction: 'import' | 'export';
  /** Default legal entity (enqueue's `company` overrides it for imports). */
  readonly company: string;
  /** Import jobs take whole packages or single data files [DOC]. */
  readonly dataSource: 'package' | 'file';
  /**
   * The processing recurrence ("Set processing recurrence" [DOC]): minutes between the job's batch
   * runs on the emulator clock. An import run picks up the messages enqueued before it; an export
   * run makes a package. 0 (imports only): every message is picked up at once.
   */
  readonly intervalMinutes: number;
  /** Emulator time the job was created: its batch runs at createdAt + k × intervalMinutes. */
  readonly createdAt: number;
  /** Export jobs: no package, no message when the export found no records [DOC]. */
  readonly preventUploadWhenZeroRecords: boolean;
}

export interface RecurringJobSpec {
  readonly name: string;
  readonly project: string;
  readonly direction: 'import' | 'export';
  readonly company?: string;
  readonly dataSource?: 'package' | 'file';
  readonly intervalMinutes?: number;
  readonly preventUploadWhenZeroRecords?: boolean;
  readonly activityId?: string;
  readonly createdAt?: number;
}

/** Un-acked export messages can be dequeued again after 30 minutes [DOC]. */
export const REDELIVERY_MS = 30 * 60_000;

export class ConnectorFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface RecurringDeps {
  readonly clock: EmulatorClock;
  readonly store: RecordStore;
  readonly blobs: DmfBlobStore;
  readonly dmf: DmfService;
  readonly messages: MessageRegistry;
  readonly latency: Latency;
  /** The processing recurrence of import jobs added without one (minutes; 0 = at once). */
  readonly importIntervalMinutes: number;
  readonly changed: () => void;
  readonly log: (line: string) => void;
}

/** Recurring integrations: enqueue/process for import jobs, scheduled exports + dequeue/ack. */
export class RecurringService {
  readonly #jobs = new Map<string, RecurringJob>();
  readonly #timers = new Map<string, () => void>();
  /** Import messages waiting for their job's next batch run, per activity, oldest first. */
  readonly #queues = new Map<string, ConnectorMessage[]>();
  /** Import jobs whose next batch run is scheduled (one at a time). */
  readonly #runScheduled = new Set<string>();

  constructor(private readonly deps: RecurringDeps) {}

  jobs(): RecurringJob[] {
    return [...this.#jobs.values()];
  }

  job(activityId: string): RecurringJob | undefined {
    return this.#jobs.get(normalizeId(activityId));
  }

  addJob(spec: RecurringJobSpec): RecurringJob {
    if (!spec.name || !spec.project)
      throw new ConnectorFailure(400, 'A recurring job needs a name and a data project.');
    if (spec.direction !== 'import' && spec.direction !== 'export')
      throw new ConnectorFailure(400, "direction must be 'import' or 'export'.");
    if (spec.direction === 'export' && !this.deps.dmf.projects.get(spec.project)) {
      throw new ConnectorFailure(
        400,
        `The data project '${spec.project}' does not exist: create the export project first.`,
      );
    }
    if (spec.company && !isLegalEntity(this.deps.store, spec.company))
      throw new ConnectorFailure(400, unknownLegalEntityMessage(this.deps.store, spec.company, 'company'));
    if (spec.dataSource !== undefined && spec.dataSource !== 'package' && spec.dataSource !== 'file')
      throw new ConnectorFailure(400, "dataSource must be 'package' or 'file'.");
    const interval = spec.intervalMinutes ?? (spec.direction === 'import' ? this.deps.importIntervalMinutes : 5);
    const least = spec.direction === 'import' ? 0 : Number.MIN_VALUE;
    if (!(typeof interval === 'number' && interval >= least && Number.isFinite(interval)))
      throw new ConnectorFailure(
        400,
        `intervalMinutes must be a ${spec.direction === 'import' ? 'non-negative' : 'positive'} number of minutes.`,
      );
    const job: RecurringJob = {
      activityId: normalizeId(spec.activityId ?? randomUUID()),
      name: spec.name,
      project: spec.project,
      direction: spec.direction,
      company: (spec.company ?? 'USMF').toUpperCase(),
      dataSource: spec.dataSource ?? 'package',
      intervalMinutes: interval,
      preventUploadWhenZeroRecords: spec.preventUploadWhenZeroRecords ?? false,
      createdAt: spec.createdAt ?? this.deps.clock.now(),
    };
    this.#jobs.set(job.activityId, job);
    if (job.direction === 'export') this.scheduleExport(job);
    else this.requeue(job);
    this.deps.changed();
    return job;
  }

  /** A restored job's messages that no batch run picked up yet wait for its next run. */
  private requeue(job: RecurringJob): void {
    const waiting = this.deps.messages
      .list()
      .filter(
        (m) =>
          m.activityId === job.activityId &&
          m.direction === 'import' &&
          m.executionId === null &&
          m.preProcessingError === null,
      )
      .sort((a, b) => a.enqueuedAt - b.enqueuedAt);
    if (waiting.length === 0) return;
    this.#queues.set(job.activityId, waiting);
    this.scheduleRun(job);
  }

  /**
   * The next batch run of an import job: the first multiple of its recurrence after now (0: at
   * once, after the batch's pickup latency). [DOC] recurring jobs run in batch on their processing
   * recurrence; [INFER] runs are aligned on the job's creation.
   */
  private scheduleRun(job: RecurringJob): void {
    if (this.#runScheduled.has(job.activityId)) return;
    this.#runScheduled.add(job.activityId);
    const now = this.deps.clock.now();
    const period = job.intervalMinutes * 60_000;
    const at =
      period > 0
        ? job.createdAt + (Math.floor(Math.max(0, now - job.createdAt) / period) + 1) * period
        : now + this.deps.latency.pickupMs;
    this.#timers.set(
      `run:${job.activityId}`,
      this.deps.clock.at(at, () => {
        this.#runScheduled.delete(job.activityId);
        this.pump(job, at);
      }),
    );
  }

  private requireJob(activityId: string, direction: 'import' | 'export'): RecurringJob {
    const job = this.job(activityId);
    // [INFER] F&O's answer for an unknown or wrong-direction activity id is not documented.
    if (!job) throw new ConnectorFailure(404, `No recurring data job has the activity id '${activityId}'.`);
    if (job.direction !== direction) {
      throw new ConnectorFailure(
        400,
        `The recurring data job '${job.name}' is an ${job.direction} job: use ${job.direction === 'import' ? 'enqueue' : 'dequeue'}.`,
      );
    }
    return job;
  }

  /** Stores the upload and queues its import; returns the message id. */
  async enqueue(
    activityId: string,
    body: Readable,
    query: { entity: string | null; company: string | null },
    externalId: string | null,
  ): Promise<string> {
    const job = this.requireJob(activityId, 'import');
    if (job.dataSource === 'file' && !query.entity) {
      throw new ConnectorFailure(
        400,
        `The recurring data job '${job.name}' takes data files: name the entity with ?entity=<entity name>.`,
      );
    }
    // [INFER] refused at once like the package API's legalEntityId (400), in the connector's error shape.
    if (query.company && !isLegalEntity(this.deps.store, query.company))
      throw new ConnectorFailure(400, unknownLegalEntityMessage(this.deps.store, query.company, 'company'));
    const id = randomUUID();
    const blob = `connector/${job.activityId}/${id}`;
    await this.deps.blobs.upload(blob, body);
    const message: ConnectorMessage = {
      id,
      activityId: job.activityId,
      direction: 'import',
      enqueuedAt: this.deps.clock.now(),
      company: (query.company || job.company).toUpperCase(),
      blob,
      externalId,
      executionId: null,
      popReceipt: null,
      lastDequeuedAt: null,
      ackedAt: null,
      preProcessingError: null,
      entity: job.dataSource === 'file' ? query.entity : null,
    };
    this.deps.messages.add(message);
    const queue = this.#queues.get(job.activityId) ?? [];
    queue.push(message);
    this.#queues.set(job.activityId, queue);
    this.scheduleRun(job);
    this.deps.changed();
    return id;
  }

  /**
   * A batch run: starts the messages enqueued before `runAt` one after another (each when the
   * job's data project is free: DMF2025), in the order they came. Later messages wait for the
   * next run.
   */
  private pump(job: RecurringJob, runAt: number): void {
    const queue = this.#queues.get(job.activityId);
    const next = queue?.[0];
    if (!queue || !next) return;
    if (next.enqueuedAt > runAt) {
      this.scheduleRun(job);
      return;
    }
    if (this.deps.dmf.executions.activeFor(job.project, this.deps.clock.now())) {
      this.deps.clock.after(Math.max(this.deps.latency.pickupMs, 1000), () => this.pump(job, runAt));
      return;
    }
    queue.shift();
    const entity = next.entity;
    try {
      const x = this.deps.dmf.startImport({
        packageUrl: '',
        blob: next.blob,
        ...(entity ? { fileEntity: entity } : {}),
        definitionGroupId: job.project,
        executionId: '',
        execute: true,
        overwrite: false,
        legalEntityId: next.company,
        messageId: next.id,
        recurringJob: {
          name: job.name,
          dataSource: job.dataSource,
          preprocessingFailed: (message) => {
            next.preProcessingError = message;
            this.deps.changed();
          },
        },
      });
      next.executionId = x.id;
      void this.deps.dmf
        .settled(x)
        .then(() => this.deps.clock.at(x.finishAt ?? this.deps.clock.now(), () => this.pump(job, runAt)));
    } catch (error) {
      next.preProcessingError = error instanceof Error ? error.message : String(error);
      this.pump(job, runAt);
    }
    this.deps.changed();
  }

  private scheduleExport(job: RecurringJob): void {
    const run = (): void => {
      this.#timers.set(job.activityId, this.deps.clock.after(job.intervalMinutes * 60_000, run));
      void this.runExport(job).catch((error: unknown) =>
        this.deps.log(`emulator: recurring export ${job.name}: ${String(error)}`),
      );
    };
    this.#timers.set(job.activityId, this.deps.clock.after(job.intervalMinutes * 60_000, run));
  }

  private async runExport(job: RecurringJob): Promise<void> {
    const { dmf, clock } = this.deps;
    if (dmf.executions.activeFor(job.project, clock.now())) return; // the previous run is still going
    const x = dmf.startExport({
      definitionGroupId: job.project,
      packageName: `${job.name}-${randomUUID().slice(0, 8)}`,
      executionId: '',
      reExecute: false,
      legalEntityId: job.company,
    });
    await dmf.settled(x);
    if (!x.packageBlob || x.outcome === 'Failed') return;
    if (job.preventUploadWhenZeroRecords && x.entities.every((e) => e.stagingRecords === 0)) return;
    clock.at(x.finishAt ?? clock.now(), () => {
      this.deps.messages.add({
        id: randomUUID(),
        activityId: job.activityId,
        direction: 'export',
        enqueuedAt: clock.now(),
        company: job.company,
        blob: x.packageBlob ?? '',
        externalId: null,
        entity: null,
        executionId: x.id,
        popReceipt: null,
        lastDequeuedAt: null,
        ackedAt: null,
        preProcessingError: null,
      });
      this.deps.changed();
    });
  }

  /** The oldest deliverable export message, marked dequeued; null when none (→ 204). */
  dequeue(activityId: string): { message: ConnectorMessage; previousDequeue: number | null } | null {
    const job = this.requireJob(activityId, 'export');
    const now = this.deps.clock.now();
    const message = this.deps.messages
      .list()
      .filter((m) => m.activityId === job.activityId && m.direction === 'export' && m.ackedAt === null)
      .filter((m) => m.lastDequeuedAt === null || now - m.lastDequeuedAt >= REDELIVERY_MS)
      .sort((a, b) => a.enqueuedAt - b.enqueuedAt)[0];
    if (!message) return null;
    const previousDequeue = message.lastDequeuedAt;
    message.lastDequeuedAt = now;
    message.popReceipt = randomBytes(24).toString('base64');
    this.deps.changed();
    return { message, previousDequeue };
  }

  /** Acknowledges a dequeued message: the body is the dequeue JSON [DOC]. */
  ack(activityId: string, body: Record<string, unknown>): void {
    const job = this.requireJob(activityId, 'export');
    const id = typeof body.CorrelationId === 'string' ? body.CorrelationId : '';
    const message = id ? this.deps.messages.get(id) : undefined;
    if (!message || message.activityId !== job.activityId)
      throw new ConnectorFailure(
        400,
        `No dequeued message has the CorrelationId '${id}'. Post the dequeue response unchanged.`,
      );
    if (message.ackedAt !== null) return;
    // [INFER] an out-of-date pop receipt (the message was redelivered since) is refused.
    if (body.PopReceipt !== message.popReceipt)
      throw new ConnectorFailure(
        400,
        'The PopReceipt does not match the latest dequeue of this message. Ack with the body of the latest dequeue.',
      );
    message.ackedAt = this.deps.clock.now();
    this.deps.changed();
  }

  /** The blob of a dequeued export message (DownloadLocation). */
  downloadBlob(activityId: string, correlationId: string): string {
    const job = this.requireJob(activityId, 'export');
    const message = this.deps.messages.get(correlationId);
    if (!message || message.activityId !== job.activityId || message.lastDequeuedAt === null) {
      throw new ConnectorFailure(404, `No dequeued message has the correlation id '${correlationId}'.`);
    }
    return message.blob;
  }

  /** DataJobStatusDetail for jobstatus [CLIENT: RIS contracts]. */
  jobStatus(activityId: string, messageId: string): Record<string, unknown> {
    const job = this.job(activityId);
    if (!job) throw new ConnectorFailure(404, `No recurring data job has the activity id '${activityId}'.`);
    const message = this.deps.messages.get(messageId);
    if (!message || message.activityId !== job.activityId)
      throw new ConnectorFailure(404, `No message '${messageId}' was enqueued to this job.`);
    const x = message.executionId ? this.deps.dmf.executions.get(message.executionId) : undefined;
    const now = this.deps.clock.now();
    return {
      DataJobStatus: {
        DataProject: job.project,
        DataJobIdentifier: message.id,
        ExternalIdentifier: message.externalId,
        ExecutionIdentifier: x?.id ?? null,
        DataJobStartedDateTime: x ? iso(x.pickupAt) : null,
        DataJobCompletedDateTime: x?.finishAt != null && x.outcome && now >= x.finishAt ? iso(x.finishAt) : null,
        DataJobState: this.dataJobState(message, x),
      },
      ExecutionLog: (x && now < x.pickupAt ? null : message.preProcessingError) ?? x?.log ?? '',
      // Entity by entity as far as the emulator clock has got: units run side by side.
      ExecutionDetail: (x && now >= x.pickupAt ? x.entities : []).map((e) => {
        const p = entityProgress(e, now);
        return {
          EntityName: e.label,
          Company: e.company,
          StagingRecords: p.stagingRecords,
          StagingStatus: p.stagingStatus,
          StagingErrorCount: p.stagingErrorCount,
          TargetRecords: p.targetRecords,
          TargetStatus: p.targetStatus,
          TargetErrorCount: p.targetErrorCount,
          ExecutionStartedDateTime: p.stagingStartedAt === null ? null : iso(p.stagingStartedAt),
          ExecutionCompletedDateTime: now >= e.completedAt ? iso(e.completedAt) : null,
        };
      }),
    };
  }

  /** DataJobState names (names, not numbers [INFER]: RIS accepts both). */
  private dataJobState(message: ConnectorMessage, x: Execution | undefined): string {
    if (message.preProcessingError) return x && this.deps.clock.now() < x.pickupAt ? 'InProcess' : 'PreProcessError';
    if (message.direction === 'export')
      return message.ackedAt !== null ? 'Acked' : message.lastDequeuedAt !== null ? 'Dequeued' : 'Processed';
    if (!x) return 'Enqueued';
    const status = progressStatus(x, this.deps.clock.now());
    if (status === 'NotRun' || status === 'Executing') return 'InProcess';
    return status === 'Succeeded' ? 'Processed' : 'ProcessedWithErrors';
  }

  close(): void {
    for (const cancel of this.#timers.values()) cancel();
  }
}

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
