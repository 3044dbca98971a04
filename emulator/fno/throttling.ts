import type { EmulatorClock } from '../clock';

/**
 * Service protection API limits on F&O's OData (Learn: "Service protection API limits", 2026-01;
 * the DMF package API and recurring integrations are exempt [DOC], so only OData is throttled).
 *
 * - `resource`: F&O 10.0.19 and later, the only kind current F&O applies. F&O throttles while the
 *   aggregate use of its web servers' CPU and memory is over a threshold. [INFER] The emulator has
 *   no such resources to measure; it models the load as OData requests per second of emulator
 *   time, environment-wide: when every one of the last `sustainSeconds` whole seconds had more
 *   than `requestsPerSecond` requests (throttled ones included: they are demand too), requests
 *   are answered 429 with Retry-After until the load drops. Throttling priorities are not modelled.
 * - `user`: the user-based limits of F&O 10.0.19 to 10.0.35 (an optional feature since March
 *   2023, removed in 10.0.36): per user and application, in a sliding 300-second window, 6,000
 *   requests and 1,200 seconds of combined execution time, and 52 concurrent requests.
 * - `off`: no limits (an on-premises or development environment [DOC]).
 */
export type ThrottlingMode = 'resource' | 'user' | 'off';
export const THROTTLING_MODES: readonly ThrottlingMode[] = ['resource', 'user', 'off'];

export interface ThrottlingSettings {
  readonly mode: ThrottlingMode;
  /** resource: requests per second of emulator time the environment takes without strain. */
  readonly requestsPerSecond?: number;
  /** resource: how many whole seconds in a row the load must be over it. */
  readonly sustainSeconds?: number;
  /** resource: the Retry-After of a throttled request [INFER: F&O's value depends on its load]. */
  readonly retryAfterSeconds?: number;
  /** user: the documented limits, for tests that reach them with fewer requests. */
  readonly userRequests?: number;
  readonly userExecutionSeconds?: number;
  readonly userConcurrentRequests?: number;
}

export const RESOURCE_DEFAULTS = { requestsPerSecond: 200, sustainSeconds: 5, retryAfterSeconds: 5 };
export const USER_LIMITS = { windowSeconds: 300, requests: 6000, executionSeconds: 1200, concurrentRequests: 52 };

/** The 429 messages, word for word as the Learn article quotes them. */
export const THROTTLED_MESSAGES = {
  resource: 'This request could not be processed at this time due to system experiencing high resource utilization.',
  requests: (limit: number, window: number) =>
    `Number of requests exceeded the limit of ${limit} over the time window of ${window} seconds.`,
  executionTime: (limit: number, window: number) =>
    `Combined execution time of incoming requests exceeded the limit of ${limit} seconds over the time window of ${window} seconds. Decrease the number of concurrent requests or reduce the duration of requests and try again later.`,
  concurrent: (limit: number) => `Number of concurrent requests exceeded the limit of ${limit}.`,
};

export interface Throttled {
  readonly message: string;
  readonly retryAfterSeconds: number;
}

/** An admitted request: call `done()` when it has been answered. */
export interface Admission {
  readonly throttled: null;
  done(): void;
}

export interface ThrottlingGate {
  readonly mode: ThrottlingMode;
  /** `key` is the throttling key: the user's (or app's) object id and the client id. */
  admit(key: string): Admission | { readonly throttled: Throttled };
}

const ADMITTED_NOTHING: Admission = { throttled: null, done: () => undefined };

export function createThrottling(settings: ThrottlingSettings, clock: EmulatorClock): ThrottlingGate {
  switch (settings.mode) {
    case 'off':
      return { mode: 'off', admit: () => ADMITTED_NOTHING };
    case 'user':
      return userLimits(settings, clock);
    case 'resource':
      return resourceLimits(settings, clock);
    default:
      throw new RangeError(`Throttling mode must be one of ${THROTTLING_MODES.join(', ')}.`);
  }
}

function resourceLimits(settings: ThrottlingSettings, clock: EmulatorClock): ThrottlingGate {
  const capacity = settings.requestsPerSecond ?? RESOURCE_DEFAULTS.requestsPerSecond;
  const sustain = settings.sustainSeconds ?? RESOURCE_DEFAULTS.sustainSeconds;
  const retryAfterSeconds = settings.retryAfterSeconds ?? RESOURCE_DEFAULTS.retryAfterSeconds;
  // Requests per whole second of emulator time, the last `sustain` seconds and the current one.
  const perSecond = new Map<number, number>();
  return {
    mode: 'resource',
    admit() {
      const second = Math.floor(clock.now() / 1000);
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
      for (const s of perSecond.keys()) if (s < second - sustain) perSecond.delete(s);
      let overloaded = true;
      for (let s = second - sustain; s < second && overloaded; s++) overloaded = (perSecond.get(s) ?? 0) > capacity;
      return overloaded ? { throttled: { message: THROTTLED_MESSAGES.resource, retryAfterSeconds } } : ADMITTED_NOTHING;
    },
  };
}

interface UserWindow {
  /** Emulator times of the admitted requests in the window, oldest first (from `head`). */
  readonly times: number[];
  head: number;
  /** Finished requests: [end time, wall seconds taken], oldest first (from `doneHead`). */
  readonly durations: [number, number][];
  doneHead: number;
  executionSeconds: number;
  inFlight: number;
}

function userLimits(settings: ThrottlingSettings, clock: EmulatorClock): ThrottlingGate {
  const window = USER_LIMITS.windowSeconds;
  const windowMs = window * 1000;
  const maxRequests = settings.userRequests ?? USER_LIMITS.requests;
  const maxSeconds = settings.userExecutionSeconds ?? USER_LIMITS.executionSeconds;
  const maxConcurrent = settings.userConcurrentRequests ?? USER_LIMITS.concurrentRequests;
  const users = new Map<string, UserWindow>();
  const wait = (since: number, now: number) => Math.max(1, Math.ceil((since + windowMs - now) / 1000));

  return {
    mode: 'user',
    admit(key) {
      const now = clock.now();
      let u = users.get(key);
      if (!u)
        users.set(key, (u = { times: [], head: 0, durations: [], doneHead: 0, executionSeconds: 0, inFlight: 0 }));
      prune(u, now - windowMs);
      if (u.times.length - u.head >= maxRequests)
        return {
          throttled: {
            message: THROTTLED_MESSAGES.requests(maxRequests, window),
            retryAfterSeconds: wait(u.times[u.head] ?? now, now),
          },
        };
      if (u.executionSeconds >= maxSeconds)
        return {
          throttled: {
            message: THROTTLED_MESSAGES.executionTime(maxSeconds, window),
            retryAfterSeconds: wait(u.durations[u.doneHead]?.[0] ?? now, now),
          },
        };
      // [INFER] a second is enough for one of the concurrent requests to end.
      if (u.inFlight >= maxConcurrent)
        return { throttled: { message: THROTTLED_MESSAGES.concurrent(maxConcurrent), retryAfterSeconds: 1 } };
      u.times.push(now);
      u.inFlight += 1;
      const started = performance.now();
      const user = u;
      let finished = false;
      return {
        throttled: null,
        done() {
          if (finished) return;
          finished = true;
          user.inFlight -= 1;
          const seconds = (performance.now() - started) / 1000;
          user.durations.push([clock.now(), seconds]);
          user.executionSeconds += seconds;
        },
      };
    },
  };
}

/** Drops what fell out of the sliding window; compacts the arrays once half of them is spent. */
function prune(u: UserWindow, since: number): void {
  while (u.head < u.times.length && (u.times[u.head] ?? 0) <= since) u.head++;
  while (u.doneHead < u.durations.length && (u.durations[u.doneHead]?.[0] ?? 0) <= since) {
    u.executionSeconds -= u.durations[u.doneHead]?.[1] ?? 0;
    u.doneHead++;
  }
  if (u.head > 1024 && u.head * 2 > u.times.length) {
    u.times.splice(0, u.head);
    u.head = 0;
  }
  if (u.doneHead > 1024 && u.doneHead * 2 > u.durations.length) {
    u.durations.splice(0, u.doneHead);
    u.doneHead = 0;
  }
}
