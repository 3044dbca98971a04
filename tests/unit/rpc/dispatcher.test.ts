import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/api/errors';
import { METHODS } from '../../../shared/api/contract';
import type { Handlers } from '../../../electron/rpc/dispatcher';
import { createDispatcher } from '../../../electron/rpc/dispatcher';
import { createLogger } from '../../../electron/services/logging/logger';

const ctx = { transport: 'in-process' } as const;

function setup(overrides: Partial<Handlers> = {}) {
  const logLines: string[] = [];
  const logger = createLogger({ sink: (line) => logLines.push(line) });
  // Methods this suite does not call still need a handler (the type demands every method).
  const unused = Object.fromEntries(
    METHODS.map((name) => [name, async () => Promise.reject(new Error(`${name} is not used by this test`))]),
  ) as unknown as Handlers;
  const handlers: Handlers = {
    ...unused,
    'app.info': async () => ({ name: 'n', version: '1', mode: 'test', platform: 'linux', runtime: 'node' }),
    'environments.list': async () => ({ environments: [], activeId: 'x' }),
    'environments.setActive': async ({ id }) => ({ environments: [], activeId: id }),
    ...overrides,
  };
  return { dispatcher: createDispatcher(handlers, logger), logLines };
}

describe('dispatcher', () => {
  it('returns the result of a valid call in an ok envelope', async () => {
    const { dispatcher } = setup();
    await expect(dispatcher.call('environments.setActive', { id: 'abc' }, ctx)).resolves.toEqual({
      ok: true,
      result: { environments: [], activeId: 'abc' },
    });
  });

  it.each([['no.such'], ['__proto__'], ['toString'], ['constructor'], [''], [42], [null], [{ method: 'app.info' }]])(
    'refuses the unknown method %j with UNKNOWN_METHOD',
    async (method) => {
      const { dispatcher } = setup();
      const envelope = await dispatcher.call(method, {}, ctx);
      expect(envelope).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    },
  );

  it.each([
    ['a wrong type', { id: 42 }],
    ['a missing field', {}],
    ['an unknown extra field', { id: 'a', extra: true }],
    ['an empty string', { id: '' }],
    ['not an object', 'id'],
    ['an array', ['a']],
  ])('refuses params with %s with INVALID_PARAMS and lists the issues', async (_label, params) => {
    const { dispatcher } = setup();
    const envelope = await dispatcher.call('environments.setActive', params, ctx);
    expect(envelope.ok).toBe(false);
    if (envelope.ok) return;
    expect(envelope.error.code).toBe('INVALID_PARAMS');
    expect(envelope.error.message).toContain('environments.setActive');
    expect((envelope.error.details as { issues: unknown[] }).issues.length).toBeGreaterThan(0);
  });

  it('treats absent params as an empty object for methods without params', async () => {
    const { dispatcher } = setup();
    await expect(dispatcher.call('app.info', undefined, ctx)).resolves.toMatchObject({ ok: true });
  });

  it('passes an AppError through with its code, message and details', async () => {
    const { dispatcher } = setup({
      'environments.setActive': async () => {
        throw new AppError('NOT_FOUND', 'No such environment. Choose one from the list.', { id: 'zz' });
      },
    });
    await expect(dispatcher.call('environments.setActive', { id: 'zz' }, ctx)).resolves.toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'No such environment. Choose one from the list.', details: { id: 'zz' } },
    });
  });

  it('turns an unexpected exception into INTERNAL without leaking its message, and logs it', async () => {
    const { dispatcher, logLines } = setup({
      'app.info': async () => {
        throw new Error('secret internals at /home/user/file.ts:12');
      },
    });
    const envelope = await dispatcher.call('app.info', {}, ctx);
    expect(envelope).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(envelope)).not.toContain('secret internals');
    expect(logLines.join('\n')).toContain('secret internals');
  });

  it('never throws, even when a handler throws a non-Error', async () => {
    const { dispatcher } = setup({
      'app.info': async () => {
        throw 'a string';
      },
    });
    await expect(dispatcher.call('app.info', {}, ctx)).resolves.toMatchObject({
      ok: false,
      error: { code: 'INTERNAL' },
    });
  });

  it('has an allow-list naming every method in domain.action form', () => {
    expect(METHODS.length).toBeGreaterThan(0);
    for (const method of METHODS) expect(method).toMatch(/^[a-z]+\.[a-zA-Z]+$/);
  });
});
