import { AppError } from '../../../shared/api/errors';
import type { Logger } from '../logging/logger';
import type { FetchLike, RequestBody } from '../net/fetch';
import type { RetryPolicy, Timing } from './retry';
import { DEFAULT_RETRY_POLICY, backoffDelay, cancelled, parseRetryAfter, realTiming } from './retry';
import { readReplyText } from '../net/replyBody';

/** Bearer tokens for one environment's scope. Implemented by the auth service. */
export interface TokenSource {
  /** `forceRefresh` after a 401: the cached token was refused (expired early, revoked). */
  accessToken(options: { forceRefresh: boolean; signal?: AbortSignal }): Promise<string>;
}

export interface HttpCall {
  readonly method: 'GET' | 'POST' | 'PATCH';
  readonly url: string;
  /** A string or bytes, or a factory (streams can be sent once only, so each attempt makes one). */
  readonly body?: string | Uint8Array | (() => RequestBody);
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * May the call be sent again when its outcome is unknown (503, a dropped connection, no answer
   * in time)? True for reads and idempotent actions. False for ImportFromPackage, ExportToPackage
   * and enqueue: those fail with AmbiguousCallError and the caller finds out what happened.
   */
  readonly repeatable: boolean;
  /** For messages and logs, e.g. 'ImportFromPackage'. */
  readonly label: string;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  /** Send without a bearer token (blob SAS URLs carry their own authorisation). */
  readonly anonymous?: boolean;
}

/**
 * A call that was sent but whose outcome is unknown: the server may or may not have acted on it.
 * Only thrown for calls that are not repeatable.
 */
export class AmbiguousCallError extends AppError {
  constructor(label: string, cause: string) {
    super(
      'REMOTE_FAILED',
      `${label} was sent but no answer came back (${cause}); it may or may not have been carried out.`,
      { ambiguous: true },
    );
  }
}

export function isAmbiguous(error: unknown): boolean {
  return error instanceof AmbiguousCallError;
}

/** Statuses that mean "try again later" rather than "this request is wrong". */
const TRANSIENT = new Set([502, 503, 504]);
const DEFAULT_TIMEOUT_MS = 100_000;

export interface DmfHttpOptions {
  readonly fetch: FetchLike;
  readonly tokens: TokenSource;
  readonly logger: Logger;
  /** Where the environment is, for messages ("at Contoso UAT"). */
  readonly environmentName: string;
  readonly retry?: RetryPolicy;
  readonly timing?: Timing;
  readonly timeoutMs?: number;
}

/**
 * The one place remote F&O calls are sent: bearer token (refreshed once on 401), per-call
 * timeout, cancellation, and retries with backoff and jitter on 429 (honouring Retry-After), on
 * 502/503/504 and on network errors, the last two only for repeatable calls.
 */
export class DmfHttp {
  readonly #options: DmfHttpOptions;
  readonly #retry: RetryPolicy;
  readonly #timing: Timing;

  constructor(options: DmfHttpOptions) {
    this.#options = options;
    this.#retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.#timing = options.timing ?? realTiming;
  }

  /** Resolves with a 2xx (or 204) response whose body is unread; anything else throws an AppError. */
  async send(call: HttpCall): Promise<Response> {
    const { logger } = this.#options;
    let forceRefresh = false;
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      if (call.signal?.aborted) throw cancelled(call.signal);
      const timeoutMs = call.timeoutMs ?? this.#options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
      let response: Response;
      try {
        const headers: Record<string, string> = { ...call.headers };
        if (!call.anonymous) {
          const token = await this.#options.tokens.accessToken({ forceRefresh, signal: call.signal });
          headers.Authorization = `Bearer ${token}`;
        }
        forceRefresh = false;
        const body = typeof call.body === 'function' ? call.body() : call.body;
        const init: RequestInit & { duplex?: 'half' } = { method: call.method, headers, body, signal };
        if (body !== undefined && typeof call.body === 'function') init.duplex = 'half';
        response = await this.#options.fetch(call.url, init);
      } catch (error) {
        if (call.signal?.aborted) throw cancelled(call.signal);
        if (error instanceof AppError) throw error;
        const cause = timeout.aborted ? `no answer within ${Math.round(timeoutMs / 1000)} s` : networkCause(error);
        if (!call.repeatable) throw new AmbiguousCallError(call.label, cause);
        if (attempt >= this.#retry.maxAttempts) {
          throw new AppError(
            timeout.aborted ? 'TIMEOUT' : 'REMOTE_FAILED',
            `${call.label} at ${this.#options.environmentName} failed ${attempt} times (${cause}). ` +
              'Check your network connection and that the environment is running, then try again.',
          );
        }
        const wait = backoffDelay(attempt, this.#retry, this.#timing.random);
        logger.warn(`${call.label}: ${cause}; attempt ${attempt + 1} in ${wait} ms`);
        await this.#timing.sleep(wait, call.signal);
        continue;
      }

      if (response.ok) return response;
      const status = response.status;
      if (status === 401 && !call.anonymous && !refreshed) {
        // An expired or revoked token: get a fresh one once, then give up.
        await discard(response);
        refreshed = true;
        forceRefresh = true;
        attempt--;
        logger.info(`${call.label}: token refused (401); refreshing it and sending again`);
        continue;
      }
      if (status === 429 || TRANSIENT.has(status)) {
        const retryAfter = parseRetryAfter(response.headers.get('retry-after'), this.#timing.now());
        const detail = await errorDetail(response);
        // 429 is refused before any work is done, so even ImportFromPackage may be sent again.
        if (status !== 429 && !call.repeatable) throw new AmbiguousCallError(call.label, `HTTP ${status}`);
        const tooLong = retryAfter !== null && retryAfter > this.#retry.maxRetryAfterMs;
        if (attempt >= this.#retry.maxAttempts || tooLong) {
          throw new AppError(
            status === 429 ? 'THROTTLED' : 'REMOTE_FAILED',
            status === 429
              ? `${this.#options.environmentName} is throttling requests (HTTP 429) and ${call.label} still failed after ${attempt} attempts. Wait a few minutes and try again.`
              : `${this.#options.environmentName} is unavailable (HTTP ${status}) and ${call.label} still failed after ${attempt} attempts${detail ? `: ${detail}` : ''}. Try again later.`,
            { status },
          );
        }
        const wait = retryAfter ?? backoffDelay(attempt, this.#retry, this.#timing.random);
        logger.warn(`${call.label}: HTTP ${status}; attempt ${attempt + 1} in ${wait} ms`);
        await this.#timing.sleep(wait, call.signal);
        continue;
      }
      throw await this.#failure(call, response);
    }
  }

  async #failure(call: HttpCall, response: Response): Promise<AppError> {
    const status = response.status;
    const detail = await errorDetail(response);
    const where = `${call.label} at ${this.#options.environmentName}`;
    // F&O's messages usually end with a full stop; ours follow, so drop theirs to avoid "..".
    const said = detail ? `: ${detail.replace(/\.+$/, '')}` : '';
    if (status === 401) {
      return new AppError('UNAUTHORIZED', `${where} was refused (HTTP 401)${said}. Sign in again.`, { status });
    }
    if (status === 403) {
      return new AppError(
        'FORBIDDEN',
        `${where} is not allowed for this account (HTTP 403)${said}. Ask an administrator for the data management roles, or sign in with another account.`,
        { status },
      );
    }
    if (status === 404) {
      return new AppError('NOT_FOUND', `${where} was not found (HTTP 404)${said}.`, { status });
    }
    return new AppError('REMOTE_FAILED', `${where} failed (HTTP ${status})${said}.`, { status });
  }
}

/** The recurring-integration endpoints answer errors as ASP.NET Web API does: `{"Message": "…"}`. */
function webApiMessage(body: unknown): string | null {
  const message = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).Message : undefined;
  return typeof message === 'string' && message.trim() ? message.trim() : null;
}

/**
 * The message of an F&O OData error envelope: innererror.message is the useful one ("Execution
 * details were not found for execution id: …"); "An error has occurred." is not. Some versions
 * use odata.error.message.value.
 */
export function odataErrorMessage(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const error = (body as Record<string, unknown>).error ?? (body as Record<string, unknown>)['odata.error'];
  if (typeof error !== 'object' || error === null) return null;
  const record = error as Record<string, unknown>;
  const inner = record.innererror as Record<string, unknown> | undefined;
  if (inner && typeof inner.message === 'string' && inner.message.trim()) return inner.message.trim();
  const message = record.message;
  if (typeof message === 'string') return message.trim() || null;
  if (typeof message === 'object' && message !== null) {
    const value = (message as Record<string, unknown>).value;
    if (typeof value === 'string') return value.trim() || null;
  }
  return null;
}

const MAX_ERROR_BODY = 64 * 1024;

async function errorDetail(response: Response): Promise<string | null> {
  let text: string;
  try {
    // Only the start of an error body is shown: a server sending more is not read on.
    text = await readReplyText(response, 'The error reply', MAX_ERROR_BODY, { truncate: true });
  } catch {
    return null;
  }
  if (!text.trim()) return null;
  try {
    const body: unknown = JSON.parse(text);
    return odataErrorMessage(body) ?? webApiMessage(body) ?? truncate(text);
  } catch {
    return truncate(text);
  }
}

function truncate(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat.slice(0, MAX_ERROR_BODY);
}

async function discard(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // Nothing to read.
  }
}

function networkCause(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (cause && typeof cause.code === 'string') return `network error ${cause.code}`;
  if (cause && typeof cause.message === 'string') return `network error: ${cause.message}`;
  return error instanceof Error ? `network error: ${error.message}` : 'network error';
}
