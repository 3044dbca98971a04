import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import type { EntityOutcome } from '../../../../shared/api/domains/jobs';
import { AppError } from '../../../../shared/api/errors';
import { saveResponse } from '../../blob/download';
import type { RequestBody } from '../../net/fetch';
import type { DequeuedMessage, MessageStatus } from '../../dmf/types';
import { isFinalMessageStatus } from '../../dmf/types';
import { DONE } from '../jobRunner';
import type { JobKindSpec } from '../jobRunner';
import type { JobContext, JobServices } from '../services';
import { fileSafe } from '../fileNames';

export interface EnqueueParams {
  readonly activityId: string;
  readonly file: string;
  /** Entity name for a single data file; absent for a data package. */
  readonly entity?: string;
  readonly company?: string;
}

interface EnqueueData {
  sentAt?: number;
  messageStatus?: MessageStatus;
}

export interface DequeueParams {
  readonly activityId: string;
  readonly outDir: string;
}

interface DequeueData {
  message?: DequeuedMessage;
  nothing?: boolean;
}

const enqueueParams = (context: JobContext) => context.job.params as unknown as EnqueueParams;
const dequeueParams = (context: JobContext) => context.job.params as unknown as DequeueParams;

/**
 * Enqueue is not repeatable (a second send is a second message) and F&O cannot be asked whether
 * a lost send arrived: after a crash mid-send the job stops and says so.
 */
async function send(context: JobContext): Promise<string> {
  const { job, services, signal } = context;
  const p = enqueueParams(context);
  const state = job.data as EnqueueData;
  if (state.sentAt !== undefined) {
    throw new AppError(
      'CONFLICT',
      `The workbench stopped while it was sending ${basename(p.file)}; it may or may not have been enqueued. ` +
        "Check the recurring job's message history in F&O before you send it again.",
    );
  }
  const size = (await stat(p.file)).size;
  state.sentAt = Date.now();
  await context.save();
  context.progress({ phase: 'upload', loadedBytes: 0, totalBytes: size });
  const { dmf } = await services.dmf.open(job.environmentId);
  job.messageId = await dmf.enqueue(
    p.activityId,
    () => Readable.toWeb(createReadStream(p.file)) as unknown as RequestBody,
    { entity: p.entity, company: p.company, externalId: basename(p.file), isPackage: !p.entity, signal },
  );
  context.progress({ phase: 'upload', loadedBytes: size, totalBytes: size });
  await context.save();
  return 'follow';
}

/** GetMessageStatus until the message is processed (or failed), then its execution. */
async function follow(context: JobContext): Promise<string> {
  const { job, services, signal } = context;
  const { timing, poll } = services;
  const state = job.data as EnqueueData;
  const messageId = job.messageId as string;
  const { dmf } = await services.dmf.open(job.environmentId);
  let delay = poll.firstMs;
  const started = timing.now();
  for (;;) {
    const status = await dmf.getMessageStatus(messageId, { signal });
    if (status !== state.messageStatus) {
      state.messageStatus = status;
      await context.save();
    }
    context.progress({ phase: 'processing', message: status });
    if (isFinalMessageStatus(status)) break;
    if (timing.now() - started > poll.maxWaitMs) {
      throw new AppError(
        'TIMEOUT',
        `Message ${messageId} is still ${status}. Check the recurring job's batch in F&O, then resume the job.`,
      );
    }
    await timing.sleep(delay, signal);
    delay = Math.min(poll.maxMs, Math.round(delay * poll.factor));
  }
  job.executionId = await dmf.getExecutionIdByMessageId(messageId, { signal });
  await context.save();
  return 'outcome';
}

async function outcome(context: JobContext): Promise<string> {
  const { job, services, signal } = context;
  const p = enqueueParams(context);
  const state = job.data as EnqueueData;
  const { dmf } = await services.dmf.open(job.environmentId);
  const detail = await dmf.jobStatus(p.activityId, job.messageId as string, { signal }).catch(() => null);
  if (detail) {
    job.entities = detail.entities.map((e): EntityOutcome => ({
      label: e.entityName,
      status: e.targetStatus ?? e.stagingStatus ?? 'Unknown',
      stagingRecords: e.stagingRecords,
      targetRecords: e.targetRecords,
      stagingErrors: e.stagingErrorCount,
      targetErrors: e.targetErrorCount,
    }));
  }
  if (job.executionId) {
    job.executionStatus = await dmf.getExecutionSummaryStatus(job.executionId, { signal });
    const messages = await dmf.getExecutionErrors(job.executionId, { signal });
    job.errorCount = messages.length;
    if (messages.length)
      job.error = {
        code: 'REMOTE_FAILED',
        message: messages
          .slice(0, 3)
          .map((m) => m.message)
          .join(' | '),
      };
  }
  const status = state.messageStatus ?? 'Unknown';
  // The execution's status is the precise one; the message's only says "with errors".
  const execution = job.executionStatus;
  job.state =
    execution === 'Succeeded' || (execution === null && status === 'Processed')
      ? 'succeeded'
      : execution === 'PartiallySucceeded' || (execution === null && status === 'ProcessedWithErrors')
        ? 'partially-succeeded'
        : 'failed';
  if (job.state === 'failed') {
    job.error ??= { code: 'REMOTE_FAILED', message: `Message ${job.messageId} ended ${status} in F&O.` };
  }
  job.finishedAt = new Date().toISOString();
  return DONE;
}

async function take(context: JobContext): Promise<string> {
  const { job, services, signal } = context;
  const state = job.data as DequeueData;
  if (state.message) return 'download';
  const { dmf } = await services.dmf.open(job.environmentId);
  const message = await dmf.dequeue(dequeueParams(context).activityId, { signal });
  if (!message) {
    // 204: nothing is queued. Not an error.
    state.nothing = true;
    job.state = 'succeeded';
    job.finishedAt = new Date().toISOString();
    return DONE;
  }
  state.message = message;
  job.messageId = message.correlationId;
  await context.save();
  return 'download';
}

async function download(context: JobContext): Promise<string> {
  const { job, services, signal } = context;
  const p = dequeueParams(context);
  const message = (job.data as DequeueData).message as DequeuedMessage;
  if (!message.fileExists || !message.downloadLocation) {
    throw new AppError(
      'REMOTE_FAILED',
      `The dequeued message ${message.correlationId} has no file${message.downloadError ? `: ${message.downloadError}` : ''}. Acknowledge it in F&O or dequeue again.`,
    );
  }
  const { dmf } = await services.dmf.open(job.environmentId);
  const response = await dmf.openDownload(message.downloadLocation, { signal });
  const file = join(p.outDir, `${fileSafe(message.correlationId)}.zip`);
  await saveResponse(response, {
    file,
    signal,
    onProgress: (progress) => context.progress({ phase: 'download', ...progress }),
  });
  job.output = file;
  await context.save();
  return 'ack';
}

/** The ack's body is the dequeue answer unchanged; acking twice is harmless. */
async function ack(context: JobContext): Promise<string> {
  const { job, services, signal } = context;
  const message = (job.data as DequeueData).message as DequeuedMessage;
  const { dmf } = await services.dmf.open(job.environmentId);
  await dmf.ack(dequeueParams(context).activityId, message, { signal });
  job.state = 'succeeded';
  job.finishedAt = new Date().toISOString();
  return DONE;
}

export const enqueueJob: JobKindSpec<JobServices> = { steps: { send, follow, outcome } };
export const dequeueJob: JobKindSpec<JobServices> = { steps: { dequeue: take, download, ack } };
