/**
 * Bytes per reply over the WebSocket bridge, checked before the memory is spent (issue 12): a page
 * asking many large replies at once, and not reading them, does not make the server serialise and
 * buffer them all. Replies wait unserialised behind 16 MB handed to the socket and go out in order.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { RawData } from 'ws';
import type { Dispatcher } from '../../../electron/rpc/dispatcher';
import { EventHub } from '../../../electron/rpc/eventHub';
import { startBrowserBridge } from '../../../electron/rpc/wsBridge';
import type { BrowserBridge } from '../../../electron/rpc/wsBridge';
import { silentLogger } from '../../../electron/services/logging/logger';
import { WS_PROTOCOL, WS_TOKEN_PREFIX } from '../../../shared/api/protocol';
import { rpcUrl, tokenOf } from '../../support/bridgeClient';

const MB = 1024 * 1024;
const CALLS = 80;

describe('the browser-mode bridge under a client that does not read', () => {
  let bridge: BrowserBridge | null = null;
  afterEach(async () => {
    await bridge?.close();
    bridge = null;
  });

  it('keeps at most about 16 MB of replies serialised, and sends every reply in order once read', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    // Every reply carries the same 1 MB string: what grows is only what the bridge serialises.
    const blob = 'z'.repeat(MB);
    let answered = 0;
    const dispatcher: Dispatcher = {
      call: async () => {
        answered++;
        return { ok: true, result: { blob } };
      },
    };
    bridge = await startBrowserBridge({ dispatcher, hub: new EventHub(), rendererRoot: null, logger: silentLogger });
    const socket = new WebSocket(rpcUrl(bridge), [WS_PROTOCOL, WS_TOKEN_PREFIX + tokenOf(bridge)], {
      origin: bridge.origin,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const ids: number[] = [];
    socket.on('message', (data: RawData) => ids.push((JSON.parse(data.toString()) as { id: number }).id));
    socket.pause();
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let id = 1; id <= CALLS; id++) socket.send(JSON.stringify({ id, method: 'app.info', params: {} }));
    await expect.poll(() => answered, { timeout: 30_000 }).toBe(CALLS);
    // Every reply is answered; the socket takes a few MB and the bridge stops handing it more.
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    const held = process.memoryUsage().heapUsed - before;
    expect(held).toBeLessThan(40 * MB);
    expect(ids).toEqual([]);
    socket.resume();
    await expect.poll(() => ids.length, { timeout: 30_000 }).toBe(CALLS);
    expect(ids).toEqual(Array.from({ length: CALLS }, (_, i) => i + 1));
    socket.terminate();
  });
});
