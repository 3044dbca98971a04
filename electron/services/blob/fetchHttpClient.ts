import type { HttpClient, PipelineRequest, PipelineResponse, TransferProgressEvent } from '@azure/core-rest-pipeline';
import { RestError, createHttpHeaders } from '@azure/core-rest-pipeline';
import { Readable } from 'node:stream';
import { finished } from 'node:stream';
import type { ReadableStream as NodeWebReadableStream } from 'node:stream/web';
import type { FetchLike, RequestBody } from '../net/fetch';
import { readReplyText } from '../net/replyBody';

/**
 * Replies read whole (not streamed to a file): XML such as a block list, at most 50,000 blocks of
 * about 100 bytes (Azure's limit), or an error.
 */
const MAX_STORAGE_REPLY_BYTES = 64 * 1024 * 1024;

/**
 * The Azure SDK's HttpClient sending through the injected FetchLike, so that blob transfers take
 * the same network path as every other call (Electron's net.fetch in the app: system proxy, PAC,
 * OS certificates). The SDK's pipeline policies (retry, error parsing, signing) stay the SDK's.
 */
export function fetchHttpClient(fetch: FetchLike): HttpClient {
  return {
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      if (request.formData || request.multipartBody) {
        // The storage client never sends forms; failing loudly beats dropping a body.
        throw new RestError('Form bodies are not supported by the fetch HTTP client.', { request });
      }
      const control = requestSignal(request);
      try {
        const body = await bodyOf(request);
        const response = await fetch(request.url, {
          method: request.method,
          headers: outgoingHeaders(request),
          body,
          signal: control.signal,
        });
        // fetch reports no upload progress: the whole body counts as sent once the answer comes.
        if (request.onUploadProgress && body !== undefined) request.onUploadProgress({ loadedBytes: sizeOf(body) });
        return await pipelineResponse(request, response, control);
      } catch (error) {
        control.dispose();
        throw sendError(error, request, control);
      }
    },
  };
}

interface RequestControl {
  readonly signal: AbortSignal;
  readonly timedOut: () => boolean;
  /** Stops listening to the caller's signal and the timer (after the body was read). */
  readonly dispose: () => void;
}

/** One signal for the caller's abort and the request timeout (0 = none, the SDK's default). */
function requestSignal(request: PipelineRequest): RequestControl {
  const controller = new AbortController();
  const caller = request.abortSignal;
  if (caller?.aborted) throw abortError();
  const abort = () => controller.abort();
  caller?.addEventListener('abort', abort);
  let timedOut = false;
  const timer =
    request.timeout > 0
      ? setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, request.timeout)
      : undefined;
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    dispose: () => {
      clearTimeout(timer);
      caller?.removeEventListener('abort', abort);
    },
  };
}

/** The SDK's headers minus Content-Length: fetch sets it from the bytes it sends. */
function outgoingHeaders(request: PipelineRequest): Headers {
  const headers = new Headers();
  for (const [name, value] of request.headers) {
    if (name.toLowerCase() !== 'content-length') headers.set(name, value);
  }
  return headers;
}

/**
 * The request body as something of known length. Azure refuses chunked Put Block, so a stream
 * (the SDK hands a stream factory for file uploads) is read into one buffer of its declared
 * Content-Length: at most one block in memory per request, as a Buffer body would be anyway.
 */
async function bodyOf(request: PipelineRequest): Promise<RequestBody | undefined> {
  const body = typeof request.body === 'function' ? request.body() : request.body;
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof Blob) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof FormData) return body;
  return readStream(body as AsyncIterable<Uint8Array | string>, request.headers.get('content-length'));
}

async function readStream(
  stream: AsyncIterable<Uint8Array | string>,
  declared: string | undefined,
): Promise<Uint8Array> {
  const expected = declared === undefined ? null : Number(declared);
  if (expected === null || !Number.isSafeInteger(expected) || expected < 0) {
    // Without a length the chunks are joined at the end (only small SDK bodies come this way).
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(Buffer.from(chunk));
    return Buffer.concat(chunks);
  }
  const buffer = Buffer.allocUnsafe(expected);
  let filled = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (filled + bytes.length > expected) throw lengthMismatch(`more than ${expected}`);
    buffer.set(bytes, filled);
    filled += bytes.length;
  }
  if (filled !== expected) throw lengthMismatch(String(filled));
  return buffer;
}

/** A RestError without a code: the retry policy does not send the same wrong body again. */
function lengthMismatch(actual: string): RestError {
  return new RestError(`The request body has ${actual} bytes, not its declared Content-Length.`);
}

function sizeOf(body: RequestBody): number {
  if (typeof body === 'string') return Buffer.byteLength(body);
  if (body instanceof Blob) return body.size;
  if (ArrayBuffer.isView(body)) return body.byteLength;
  return 0;
}

/**
 * Headers as they came, and the body as text unless the SDK asked to stream this status (a
 * download): error bodies are read so that the SDK's RestError carries the storage error code.
 */
async function pipelineResponse(
  request: PipelineRequest,
  response: Response,
  control: RequestControl,
): Promise<PipelineResponse> {
  const headers = createHttpHeaders();
  for (const [name, value] of response.headers) headers.set(name, value);
  const result: PipelineResponse = { request, status: response.status, headers };
  const streams = request.streamResponseStatusCodes;
  if (response.body && (streams?.has(Number.POSITIVE_INFINITY) || streams?.has(response.status))) {
    const body = Readable.fromWeb(withProgress(response.body, request.onDownloadProgress) as NodeWebReadableStream);
    // The caller's signal and the timeout keep applying until the stream is read or dropped.
    finished(body, () => control.dispose());
    result.readableStreamBody = body;
    return result;
  }
  result.bodyAsText = await readReplyText(response, 'Blob storage', MAX_STORAGE_REPLY_BYTES);
  control.dispose();
  request.onDownloadProgress?.({ loadedBytes: Buffer.byteLength(result.bodyAsText) });
  return result;
}

function withProgress(
  body: ReadableStream<Uint8Array>,
  onProgress: ((progress: TransferProgressEvent) => void) | undefined,
): ReadableStream<Uint8Array> {
  if (!onProgress) return body;
  let loadedBytes = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        loadedBytes += chunk.byteLength;
        controller.enqueue(chunk);
        onProgress({ loadedBytes });
      },
    }),
  );
}

/**
 * The caller's abort stays an AbortError (the SDK does not retry it); anything else becomes a
 * RestError with REQUEST_SEND_ERROR, which the storage retry policy retries (a reset connection).
 */
function sendError(error: unknown, request: PipelineRequest, control: RequestControl): unknown {
  if (error instanceof RestError) return error;
  if (request.abortSignal?.aborted) return abortError();
  if (control.timedOut())
    return new RestError(`The request timed out after ${request.timeout} ms.`, { code: 'TIMEOUT', request });
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  const message = error instanceof Error ? error.message : String(error);
  return new RestError(`Error sending request: ${message}${cause}`, { code: RestError.REQUEST_SEND_ERROR, request });
}

function abortError(): Error {
  const error = new Error('The operation was aborted.');
  error.name = 'AbortError';
  return error;
}
