import type { IncomingMessage, ServerResponse } from 'node:http';
import { Transform } from 'node:stream';
import type { DmfBlobStore } from '../blob/blobStore';
import { BodyTooLargeError, parseJsonObject, readBody, sendJson } from '../http/http';
import { ConnectorFailure } from './recurring';
import type { RecurringService } from './recurring';

/**
 * The recurring-integrations (connector) API, dmf-reference.md §3:
 *   POST /api/connector/enqueue/{activityId}?entity=&company=   → 200 "<message id>" (a JSON string literal)
 *   GET  /api/connector/dequeue/{activityId}                     → 204, or 200 {CorrelationId, PopReceipt, DownloadLocation, …}
 *   POST /api/connector/ack/{activityId}   (body = the dequeue JSON)
 *   GET  /api/connector/jobstatus/{activityId}?jobId=<message id>  → DataJobStatusDetail
 *   GET  /api/connector/download/{activityId}?correlation-id=…    (DownloadLocation; needs the token)
 */
export interface ConnectorContext {
  readonly recurring: RecurringService;
  readonly blobs: DmfBlobStore;
  readonly baseUrl: string;
  /** Production quirk: DownloadLocation comes back as http://<host>:80/… behind the load balancer [DOC][CLIENT]. */
  readonly downloadLocationHttp80: boolean;
  /** Largest enqueued file or package. */
  readonly maxEnqueueBytes: number;
}

/** [INFER] ASP.NET Web API's default error body; the connector's own error shape is undocumented. */
const webApiError = (res: ServerResponse, status: number, message: string): void =>
  sendJson(res, status, { Message: message });

export async function handleConnector(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  url: URL,
  ctx: ConnectorContext,
): Promise<number> {
  const m = /^\/api\/connector\/(enqueue|dequeue|ack|jobstatus|download)\/([^/]+)$/.exec(path);
  const method = req.method ?? 'GET';
  if (!m?.[1] || !m[2]) {
    webApiError(res, 404, `No HTTP resource was found that matches the request URI '${url.pathname}'.`);
    return 404;
  }
  const [, verb, activityId] = m;
  const expected = verb === 'enqueue' || verb === 'ack' ? 'POST' : 'GET';
  if (method !== expected) {
    webApiError(res, 405, `The requested resource does not support http method '${method}'.`);
    return 405;
  }
  try {
    switch (verb) {
      case 'enqueue': {
        const header = req.headers['x-ms-dyn-externalidentifier'];
        const id = await ctx.recurring.enqueue(
          activityId,
          req.pipe(limit(ctx.maxEnqueueBytes)),
          { entity: url.searchParams.get('entity'), company: url.searchParams.get('company') },
          typeof header === 'string' ? header : null,
        );
        // The message id as a JSON string literal, quotes included: clients strip them [CLIENT].
        const body = JSON.stringify(id);
        res.writeHead(200, {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(body),
        });
        res.end(body);
        return 200;
      }
      case 'dequeue': {
        const found = ctx.recurring.dequeue(activityId);
        if (!found) {
          res.writeHead(204).end();
          return 204;
        }
        const { message, previousDequeue } = found;
        let location = `${ctx.baseUrl}/api/connector/download/${message.activityId}?correlation-id=${message.id}`;
        if (ctx.downloadLocationHttp80) location = location.replace(/^https?:\/\/([^/:]+)(:\d+)?/, 'http://$1:80');
        sendJson(res, 200, {
          CorrelationId: message.id,
          PopReceipt: message.popReceipt,
          DownloadLocation: location,
          IsDownLoadFileExist: true,
          FileDownLoadErrorMessage: null,
          LastDequeueDateTime: previousDequeue === null ? null : new Date(previousDequeue).toISOString(),
        });
        return 200;
      }
      case 'ack': {
        const raw = await readBody(req, 64 * 1024);
        const body = parseJsonObject(raw);
        if (!body) {
          webApiError(res, 400, 'The ack body must be the JSON object dequeue returned.');
          return 400;
        }
        ctx.recurring.ack(activityId, body);
        res.writeHead(200, { 'content-length': 0 }).end();
        return 200;
      }
      case 'jobstatus': {
        // `jobId`, which one client sends as `jobid` [CLIENT].
        const jobId = url.searchParams.get('jobId') ?? url.searchParams.get('jobid');
        if (!jobId) {
          webApiError(res, 400, 'Pass the message id as ?jobId=<message id>.');
          return 400;
        }
        sendJson(res, 200, ctx.recurring.jobStatus(activityId, jobId));
        return 200;
      }
      default: {
        const blob = ctx.recurring.downloadBlob(activityId, url.searchParams.get('correlation-id') ?? '');
        const data = await ctx.blobs.download(blob);
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': data.length });
        res.end(data);
        return 200;
      }
    }
  } catch (error) {
    if (error instanceof ConnectorFailure) {
      webApiError(res, error.status, error.message);
      return error.status;
    }
    if (error instanceof BodyTooLargeError || (error as { code?: string }).code === 'EMULATOR_TOO_LARGE') {
      req.resume();
      webApiError(res, 413, `The upload is larger than the ${ctx.maxEnqueueBytes} bytes this environment accepts.`);
      return 413;
    }
    throw error;
  }
}

/** Passes bytes through and fails the stream past `max` bytes. */
function limit(max: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > max) callback(Object.assign(new Error('too large'), { code: 'EMULATOR_TOO_LARGE' }));
      else callback(null, chunk);
    },
  });
}
