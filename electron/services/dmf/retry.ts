import { AppError } from '../../../shared/api/errors';

/**
 * When and how long to wait before repeating a remote call. Exponential backoff with full
 * jitter (a random wait between 0 and the exponential cap) spreads clients that failed together;
 * a server's Retry-After wins over the computed wait, up to a ceiling.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A Retry-After longer than this is not waited out: the call fails as THROTTLED. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 5 * 60_000,
});

/** Clock and randomness as ports, so the policy is tested without waiting. */
export interface Timing {
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  random(): number;
  now(): number;
}

export const realTiming: Timing = {
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(cancelled(signal));
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(cancelled(signal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
  random: Math.random,
  now: Date.now,
};

/** The wait before attempt `attempt + 1` (attempt counts from 1): full jitter under a capped exponential. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(random() * cap);
}

/** `Retry-After: 7` or `Retry-After: Wed, 21 Oct 2026 07:28:00 GMT` → milliseconds, or null. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** The AppError for a cancelled operation (the user's abort, not a timeout). */
export function cancelled(signal?: AbortSignal): AppError {
  const reason: unknown = signal?.reason;
  if (reason instanceof AppError) return reason;
  return new AppError('CANCELLED', 'The operation was cancelled.');
}
