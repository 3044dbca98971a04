import { describe, expect, it } from 'vitest';
import { createClock } from '../../../emulator/clock';
import { THROTTLED_MESSAGES, USER_LIMITS, createThrottling } from '../../../emulator/fno/throttling';

const burst = (gate: ReturnType<typeof createThrottling>, n: number, key = 'user|app') => {
  const answers = [];
  for (let i = 0; i < n; i++) {
    const a = gate.admit(key);
    if (!a.throttled) a.done();
    answers.push(a.throttled);
  }
  return answers;
};

describe('service protection modes', () => {
  it('resource: throttles only a sustained overload, for everyone, until the load drops', () => {
    const clock = createClock({ start: 0, manual: true });
    const gate = createThrottling({ mode: 'resource', requestsPerSecond: 10, sustainSeconds: 3 }, clock);
    // Two seconds over capacity, then a third: not sustained long enough yet.
    for (let s = 0; s < 3; s++) {
      expect(burst(gate, 11).every((t) => t === null)).toBe(true);
      clock.advance(1000);
    }
    // Three whole seconds over capacity: the environment is overloaded, whoever asks.
    const throttled = gate.admit('someone|else');
    expect(throttled.throttled).toEqual({ message: THROTTLED_MESSAGES.resource, retryAfterSeconds: 5 });
    expect(THROTTLED_MESSAGES.resource).toBe(
      'This request could not be processed at this time due to system experiencing high resource utilization.',
    );
    // A quiet second ends it.
    clock.advance(1000);
    clock.advance(1000);
    expect(gate.admit('user|app').throttled).toBeNull();
    // A manual clock that never moves never sees a sustained overload.
    const still = createThrottling({ mode: 'resource' }, createClock({ manual: true }));
    expect(burst(still, 5000).every((t) => t === null)).toBe(true);
  });

  it('user: the documented limits and their messages', () => {
    expect(USER_LIMITS).toEqual({ windowSeconds: 300, requests: 6000, executionSeconds: 1200, concurrentRequests: 52 });
    const clock = createClock({ start: 0, manual: true });
    const gate = createThrottling({ mode: 'user' }, clock);
    expect(burst(gate, 6000).every((t) => t === null)).toBe(true);
    expect(gate.admit('user|app').throttled?.message).toBe(
      'Number of requests exceeded the limit of 6000 over the time window of 300 seconds.',
    );
  });

  it('user: counts each user and app in a sliding window, and limits concurrent requests', () => {
    const clock = createClock({ start: 0, manual: true });
    const gate = createThrottling({ mode: 'user', userRequests: 5, userConcurrentRequests: 2 }, clock);
    expect(burst(gate, 5).every((t) => t === null)).toBe(true);
    clock.advance(100_000);
    expect(gate.admit('user|app').throttled).toEqual({
      message: 'Number of requests exceeded the limit of 5 over the time window of 300 seconds.',
      retryAfterSeconds: 200,
    });
    // Another application of the same user has its own limit.
    const other = gate.admit('user|other');
    expect(other.throttled).toBeNull();
    clock.advance(200_000);
    expect(gate.admit('user|app').throttled).toBeNull();

    const concurrent = createThrottling({ mode: 'user', userConcurrentRequests: 2 }, clock);
    const a = concurrent.admit('k');
    const b = concurrent.admit('k');
    expect(concurrent.admit('k').throttled).toEqual({
      message: 'Number of concurrent requests exceeded the limit of 2.',
      retryAfterSeconds: 1,
    });
    if (!a.throttled) a.done();
    expect(concurrent.admit('k').throttled).toBeNull();
    if (!b.throttled) b.done();

    const slow = createThrottling({ mode: 'user', userExecutionSeconds: 0 }, clock);
    const first = slow.admit('k');
    if (!first.throttled) first.done();
    expect(slow.admit('k').throttled?.message).toBe(
      'Combined execution time of incoming requests exceeded the limit of 0 seconds over the time window of 300 seconds. Decrease the number of concurrent requests or reduce the duration of requests and try again later.',
    );
  });

  it('off: never throttles', () => {
    const gate = createThrottling({ mode: 'off' }, createClock({ manual: true }));
    expect(burst(gate, 10_000).every((t) => t === null)).toBe(true);
  });
});
