import { describe, expect, it } from 'vitest';
import { AmbiguousCallError, DmfHttp } from '../../../electron/services/dmf/dmfHttp';
import type { HttpCall } from '../../../electron/services/dmf/dmfHttp';
import { backoffDelay, parseRetryAfter } from '../../../electron/services/dmf/retry';
import type { Timing } from '../../../electron/services/dmf/retry';
import { createLogger } from '../../../electron/services/logging/logger';
import type { FetchLike } from '../../../electron/services/net/fetch';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJ4In0.c2lnbmF0dXJlLXNlY3JldA';

type Answer = Response | Error | 'hang';

/** A fetch that answers from a script and records what it was asked. */
function scriptedFetch(answers: Answer[]) {
  const requests: { url: string; init: RequestInit }[] = [];
  const fetch: FetchLike = async (input, init = {}) => {
    requests.push({ url: String(input), init });
    const next = answers.shift() ?? new Response('{"value":"ok"}', { status: 200 });
    if (next === 'hang') {
      return new Promise<Response>((_resolve, reject) => {
        init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'TimeoutError')));
      });
    }
    if (next instanceof Error) throw next;
    return next;
  };
  return { fetch, requests };
}

function fakeTiming(): Timing & { sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    sleeps,
    async sleep(ms, signal) {
      sleeps.push(ms);
      if (signal?.aborted) throw new Error('aborted');
    },
    random: () => 0.5,
    now: () => Date.parse('2026-11-20T10:00:00Z'),
  };
}

function setup(answers: Answer[], options: { timeoutMs?: number } = {}) {
  const { fetch, requests } = scriptedFetch(answers);
  const timing = fakeTiming();
  const logLines: string[] = [];
  const tokenRequests: boolean[] = [];
  const http = new DmfHttp({
    fetch,
    timing,
    logger: createLogger({ sink: (line) => logLines.push(line), level: 'debug' }),
    environmentName: 'Contoso UAT',
    tokens: {
      accessToken: async ({ forceRefresh }) => {
        tokenRequests.push(forceRefresh);
        return TOKEN;
      },
    },
    retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 60_000 },
    timeoutMs: options.timeoutMs,
  });
  return { http, requests, timing, logLines, tokenRequests };
}

const call = (repeatable: boolean, extra: Partial<HttpCall> = {}): HttpCall => ({
  method: 'POST',
  url: 'https://contoso.example.com/data/X',
  body: '{}',
  repeatable,
  label: 'ImportFromPackage',
  ...extra,
});

const status = (code: number, headers: Record<string, string> = {}, body = '') =>
  new Response(body || null, { status: code, headers });
const reset = () => Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });

describe('the DMF HTTP retry policy', () => {
  it('waits out Retry-After on 429 and sends again, even a call that is not repeatable', async () => {
    const { http, requests, timing } = setup([
      status(429, { 'retry-after': '7' }),
      status(429, { 'retry-after': '2' }),
    ]);
    const response = await http.send(call(false));
    expect(await response.json()).toEqual({ value: 'ok' });
    expect(requests).toHaveLength(3);
    expect(timing.sleeps).toEqual([7000, 2000]);
  });

  it('honours an HTTP-date Retry-After', () => {
    expect(parseRetryAfter('Fri, 20 Nov 2026 10:00:30 GMT', Date.parse('2026-11-20T10:00:00Z'))).toBe(30_000);
    expect(parseRetryAfter('soon', 0)).toBeNull();
    expect(parseRetryAfter(null, 0)).toBeNull();
  });

  it('backs off exponentially with jitter on 503 for repeatable calls', async () => {
    const { http, requests, timing } = setup([status(503), status(503), status(502)]);
    await http.send(call(true));
    expect(requests).toHaveLength(4);
    // random() = 0.5 → half of 100, 200, 400.
    expect(timing.sleeps).toEqual([50, 100, 200]);
  });

  it('caps the backoff and keeps it random below the cap', () => {
    const policy = { maxAttempts: 10, baseDelayMs: 500, maxDelayMs: 4000, maxRetryAfterMs: 0 };
    expect(backoffDelay(1, policy, () => 1)).toBe(500);
    expect(backoffDelay(3, policy, () => 1)).toBe(2000);
    expect(backoffDelay(9, policy, () => 1)).toBe(4000);
    expect(backoffDelay(9, policy, () => 0)).toBe(0);
  });

  it('does not repeat a non-repeatable call after a 503 or a reset: the outcome is unknown', async () => {
    for (const answer of [status(503), reset()]) {
      const { http, requests } = setup([answer]);
      const error = await http.send(call(false)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AmbiguousCallError);
      expect(error).toMatchObject({ code: 'REMOTE_FAILED', details: { ambiguous: true } });
      expect(requests).toHaveLength(1);
    }
  });

  it('repeats a repeatable call after connection resets', async () => {
    const { http, requests, logLines } = setup([reset(), reset()]);
    await http.send(call(true, { label: 'GetExecutionSummaryStatus' }));
    expect(requests).toHaveLength(3);
    expect(logLines.join('\n')).toContain('network error ECONNRESET');
  });

  it('gives up with THROTTLED after the last attempt, or at once when Retry-After is too long', async () => {
    const many = setup(Array.from({ length: 10 }, () => status(429, { 'retry-after': '1' })));
    await expect(many.http.send(call(true))).rejects.toMatchObject({ code: 'THROTTLED' });
    expect(many.requests).toHaveLength(4);
    const long = setup([status(429, { 'retry-after': '3600' })]);
    await expect(long.http.send(call(true))).rejects.toMatchObject({ code: 'THROTTLED' });
    expect(long.requests).toHaveLength(1);
  });

  it('refreshes the token once on 401, then reports UNAUTHORIZED', async () => {
    const once = setup([status(401)]);
    await once.http.send(call(false));
    expect(once.tokenRequests).toEqual([false, true]);
    const twice = setup([status(401), status(401)]);
    await expect(twice.http.send(call(true))).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(twice.requests).toHaveLength(2);
  });

  it('times out a call that does not answer, then retries it if repeatable', async () => {
    const repeatable = setup(['hang', 'hang', 'hang', 'hang'], { timeoutMs: 20 });
    await expect(repeatable.http.send(call(true))).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(repeatable.requests).toHaveLength(4);
    const once = setup(['hang'], { timeoutMs: 20 });
    await expect(once.http.send(call(false))).rejects.toBeInstanceOf(AmbiguousCallError);
  });

  it('stops at once when cancelled, without another request', async () => {
    const controller = new AbortController();
    const { http, requests } = setup(['hang']);
    const pending = http.send(call(true, { signal: controller.signal }));
    // Cancelled once the request is under way (not after a guessed delay).
    await expect.poll(() => requests.length, { timeout: 30_000 }).toBe(1);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(requests).toHaveLength(1);
    await expect(http.send(call(true, { signal: controller.signal }))).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(requests).toHaveLength(1);
  });

  it("reports the OData envelope's inner message and a 403 as FORBIDDEN", async () => {
    const envelope = JSON.stringify({
      error: {
        code: '',
        message: 'An error has occurred.',
        innererror: { message: 'Execution details were not found for execution id: X' },
      },
    });
    const failed = setup([status(500, { 'content-type': 'application/json' }, envelope)]);
    await expect(failed.http.send(call(true))).rejects.toMatchObject({
      code: 'REMOTE_FAILED',
      message: expect.stringContaining('Execution details were not found for execution id: X'),
    });
    const sentence = JSON.stringify({ error: { code: '', message: "Entity 'Customer group' is not a data entity." } });
    const once = setup([status(400, { 'content-type': 'application/json' }, sentence)]);
    const error = (await once.http.send(call(true)).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/Entity 'Customer group' is not a data entity\.$/);
    const webApi = setup([status(404, {}, JSON.stringify({ Message: "No recurring data job has the id 'x'." }))]);
    await expect(webApi.http.send(call(true))).rejects.toMatchObject({
      message: expect.stringMatching(/HTTP 404\): No recurring data job has the id 'x'\.$/),
    });
    const forbidden = setup([status(403)]);
    await expect(forbidden.http.send(call(true))).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('sends the bearer token but never writes it to the log or an error', async () => {
    const { http, requests, logLines } = setup([status(429, { 'retry-after': '1' }), reset(), status(500, {}, 'boom')]);
    const error = (await http.send(call(true)).catch((e: unknown) => e)) as Error;
    expect(new Headers(requests[0]!.init.headers).get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toContain(TOKEN.split('.')[2]);
    expect(JSON.stringify(error) + error.message).not.toContain(TOKEN.split('.')[2]);
  });
});
