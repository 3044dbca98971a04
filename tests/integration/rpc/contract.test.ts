import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiCallError, createClient } from '../../../shared/api/client';
import type { Client } from '../../../shared/api/client';
import type { Transport } from '../../../shared/api/transport';
import { LOCAL_EMULATOR_ID, LOCAL_EMULATOR_NAME } from '../../../shared/domain/environments';
import { createInProcessTransport } from '../../../electron/rpc/inProcessTransport';
import { startBrowserBridge } from '../../../electron/rpc/wsBridge';
import type { Workbench } from '../../../electron/composition';
import { silentLogger } from '../../../electron/services/logging/logger';
import { connectTransport } from '../../support/bridgeClient';
import { createTestWorkbench } from '../../support/workbench';
import type { TestWorkbench } from '../../support/workbench';

interface Connected {
  readonly transport: Transport;
  close(): Promise<void>;
}

/** The same suite runs over every transport that can run in Node. */
const TRANSPORTS: ReadonlyArray<readonly [string, (workbench: Workbench) => Promise<Connected>]> = [
  ['in-process', async (wb) => ({ transport: createInProcessTransport(wb.dispatcher, wb.hub), close: async () => {} })],
  [
    'websocket',
    async (wb) => {
      const bridge = await startBrowserBridge({
        dispatcher: wb.dispatcher,
        hub: wb.hub,
        rendererRoot: null,
        logger: silentLogger,
      });
      const transport = connectTransport(bridge);
      return {
        transport,
        async close() {
          transport.close();
          await bridge.close();
        },
      };
    },
  ],
];

describe.each(TRANSPORTS)('the contract over the %s transport', (_name, connect) => {
  let test: TestWorkbench;
  let connected: Connected;
  let client: Client;

  beforeAll(async () => {
    test = await createTestWorkbench();
    connected = await connect(test.workbench);
    client = createClient(connected.transport);
  });

  afterAll(async () => {
    await connected.close();
    await test.dispose();
  });

  it('app.info answers with the workbench name and mode', async () => {
    await expect(client.call('app.info', {})).resolves.toMatchObject({ name: 'DMF Workbench', mode: 'test' });
  });

  it('environments.list starts with the built-in Local emulator, active by default', async () => {
    const list = await client.call('environments.list', {});
    expect(list.activeId).toBe(LOCAL_EMULATOR_ID);
    expect(list.environments[0]).toMatchObject({
      id: LOCAL_EMULATOR_ID,
      name: LOCAL_EMULATOR_NAME,
      kind: 'emulator',
      builtIn: true,
      connection: 'not-started',
    });
  });

  it('rejects with a stable code when the service refuses (NOT_FOUND)', async () => {
    const error = await client.call('environments.setActive', { id: 'nope' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiCallError);
    expect(error).toMatchObject({ code: 'NOT_FOUND', method: 'environments.setActive' });
  });

  it('answers bad params with INVALID_PARAMS', async () => {
    const envelope = await connected.transport.call('environments.setActive', { id: 7 });
    expect(envelope).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS' } });
  });

  it('answers an unknown method with UNKNOWN_METHOD', async () => {
    const envelope = await connected.transport.call('shell.exec', { command: 'rm -rf /' });
    expect(envelope).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
  });

  it('pushes events to subscribers and stops after unsubscribe', async () => {
    const received: string[] = [];
    const unsubscribe = client.on('environments.changed', (list) => received.push(list.activeId));
    await client.call('environments.setActive', { id: LOCAL_EMULATOR_ID });
    await expect.poll(() => received, { timeout: 30_000 }).toEqual([LOCAL_EMULATOR_ID]);
    unsubscribe();
    await client.call('environments.setActive', { id: LOCAL_EMULATOR_ID });
    await client.call('app.info', {});
    expect(received).toEqual([LOCAL_EMULATOR_ID]);
  });

  it('answers 50 concurrent calls, each to its own caller', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, () => client.call('app.info', {})));
    expect(results).toHaveLength(50);
    expect(new Set(results.map((r) => r.version))).toEqual(new Set(['0.0.0-test']));
  });
});
