/**
 * Injected faults, set through startEmulator({faults}), the admin endpoint or `emulator.faults`.
 * Counted faults (bursts, resets, stuck jobs) are used up as they fire; rates stay until cleared.
 */
export type FaultScope = 'odata' | 'dmf' | 'connector' | 'any';

export interface HttpBurst {
  /** 429 (throttled) or 503 (service unavailable). */
  readonly status: 429 | 503;
  /** How many F&O requests in a row get it. */
  readonly count: number;
  /** Retry-After seconds (default 5). */
  readonly retryAfterSeconds?: number;
  /** Which requests (default: any F&O request). */
  readonly scope?: FaultScope;
}

export interface FaultSettings {
  readonly httpBurst?: HttpBurst;
  /** The next uploads to blob storage get their TCP connection reset. */
  readonly uploadResets?: { readonly count: number; readonly afterBytes?: number };
  /** Every SAS URL handed out so far expires now. */
  readonly expireSas?: boolean;
  /** Every access token issued so far expires now. */
  readonly expireTokens?: boolean;
  /** The next N import/export executions stay in Executing until released (admin). */
  readonly stuckExecutions?: number;
  /** Share (0..1) of rows that fail source → staging with an injected error. */
  readonly stagingFailureRate?: number;
  /** Share (0..1) of rows that fail staging → target with an injected error. */
  readonly targetFailureRate?: number;
}

export interface FaultState {
  burst: (HttpBurst & { remaining: number }) | null;
  stuckExecutions: number;
  stagingFailureRate: number;
  targetFailureRate: number;
}

export function emptyFaultState(): FaultState {
  return { burst: null, stuckExecutions: 0, stagingFailureRate: 0, targetFailureRate: 0 };
}

/** Validates an admin/API fault request; returns a message naming the bad field, or null. */
export function checkFaultSettings(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'The body must be a JSON object of faults.';
  const v = value as Record<string, unknown>;
  const known = [
    'httpBurst',
    'uploadResets',
    'expireSas',
    'expireTokens',
    'stuckExecutions',
    'stagingFailureRate',
    'targetFailureRate',
  ];
  const unknown = Object.keys(v).filter((k) => !known.includes(k));
  if (unknown.length) return `Unknown fault ${unknown.join(', ')}. Known faults: ${known.join(', ')}.`;
  const burst = v.httpBurst as Record<string, unknown> | undefined;
  if (burst !== undefined) {
    if (typeof burst !== 'object' || burst === null)
      return 'httpBurst must be an object {status, count, retryAfterSeconds?, scope?}.';
    if (burst.status !== 429 && burst.status !== 503) return 'httpBurst.status must be 429 or 503.';
    if (!isCount(burst.count)) return 'httpBurst.count must be a whole number ≥ 0.';
    if (burst.retryAfterSeconds !== undefined && !isCount(burst.retryAfterSeconds))
      return 'httpBurst.retryAfterSeconds must be a whole number ≥ 0.';
    if (burst.scope !== undefined && !['odata', 'dmf', 'connector', 'any'].includes(burst.scope as string)) {
      return 'httpBurst.scope must be odata, dmf, connector or any.';
    }
  }
  const resets = v.uploadResets as Record<string, unknown> | undefined;
  if (
    resets !== undefined &&
    (typeof resets !== 'object' ||
      resets === null ||
      !isCount(resets.count) ||
      (resets.afterBytes !== undefined && !isCount(resets.afterBytes)))
  ) {
    return 'uploadResets must be {count, afterBytes?} with whole numbers ≥ 0.';
  }
  for (const flag of ['expireSas', 'expireTokens'] as const) {
    if (v[flag] !== undefined && typeof v[flag] !== 'boolean') return `${flag} must be true or false.`;
  }
  if (v.stuckExecutions !== undefined && !isCount(v.stuckExecutions))
    return 'stuckExecutions must be a whole number ≥ 0.';
  for (const rate of ['stagingFailureRate', 'targetFailureRate'] as const) {
    const r = v[rate];
    if (r !== undefined && (typeof r !== 'number' || !(r >= 0 && r <= 1)))
      return `${rate} must be a number from 0 to 1.`;
  }
  return null;
}

const isCount = (n: unknown): boolean => typeof n === 'number' && Number.isInteger(n) && n >= 0;
