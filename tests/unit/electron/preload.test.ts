import { describe, expect, it, vi } from 'vitest';
import type { IpcRendererEvent } from 'electron';
import { createBridge } from '../../../electron/preload/bridge';
import { createFileBridge } from '../../../electron/preload/files';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../../../shared/api/protocol';

type Listener = (event: IpcRendererEvent, message: unknown) => void;
type IpcLike = Parameters<typeof createBridge>[0];

/** A fake ipcRenderer that records what the bridge does with it. */
function fakeIpc() {
  const listeners = new Map<string, Set<Listener>>();
  const ipc = {
    invoke: vi.fn(async (_channel: string, request: unknown) => ({ ok: true, result: request })),
    on: vi.fn((channel: string, listener: Listener) => {
      const set = listeners.get(channel) ?? new Set();
      set.add(listener);
      listeners.set(channel, set);
      return ipc;
    }),
    removeListener: vi.fn((channel: string, listener: Listener) => {
      listeners.get(channel)?.delete(listener);
      return ipc;
    }),
    emit(channel: string, message: unknown) {
      for (const listener of listeners.get(channel) ?? [])
        listener({ sender: 'secret' } as unknown as IpcRendererEvent, message);
    },
    count: (channel: string) => listeners.get(channel)?.size ?? 0,
  };
  return Object.assign(ipc as unknown as IpcLike, { invoke: ipc.invoke, emit: ipc.emit, count: ipc.count });
}

describe('the preload bridge', () => {
  it('exposes exactly call and on, frozen', () => {
    const bridge = createBridge(fakeIpc());
    expect(Object.keys(bridge).sort()).toEqual(['call', 'on']);
    expect(Object.isFrozen(bridge)).toBe(true);
  });

  it('forwards a contract method over the one call channel', async () => {
    const ipc = fakeIpc();
    const envelope = await createBridge(ipc).call('environments.setActive', { id: 'x' });
    expect(ipc.invoke).toHaveBeenCalledWith(IPC_CALL_CHANNEL, {
      method: 'environments.setActive',
      params: { id: 'x' },
    });
    expect(envelope).toEqual({ ok: true, result: { method: 'environments.setActive', params: { id: 'x' } } });
  });

  it.each(['shell.openExternal', '__proto__', 'constructor', ''])(
    'answers %j with UNKNOWN_METHOD without touching IPC',
    async (method) => {
      const ipc = fakeIpc();
      await expect(createBridge(ipc).call(method, {})).resolves.toMatchObject({
        ok: false,
        error: { code: 'UNKNOWN_METHOD' },
      });
      expect(ipc.invoke).not.toHaveBeenCalled();
    },
  );

  it('delivers only the payload of the subscribed event, never the Electron event object', () => {
    const ipc = fakeIpc();
    const seen: unknown[] = [];
    createBridge(ipc).on('environments.changed', (...args: unknown[]) => seen.push(args));
    ipc.emit(IPC_EVENT_CHANNEL, { event: 'environments.changed', payload: { activeId: 'a' } });
    ipc.emit(IPC_EVENT_CHANNEL, { event: 'app.notice', payload: { message: 'other' } });
    ipc.emit(IPC_EVENT_CHANNEL, null);
    expect(seen).toEqual([[{ activeId: 'a' }]]);
  });

  it('returns an unsubscribe that removes its IPC listener', () => {
    const ipc = fakeIpc();
    const off = createBridge(ipc).on('app.notice', () => undefined);
    expect(ipc.count(IPC_EVENT_CHANNEL)).toBe(1);
    off();
    expect(ipc.count(IPC_EVENT_CHANNEL)).toBe(0);
  });

  it('refuses subscriptions to events outside the contract and non-function listeners', () => {
    const bridge = createBridge(fakeIpc());
    expect(() => bridge.on('ipc:anything', () => undefined)).toThrow(TypeError);
    expect(() => bridge.on('app.notice', 'not a function' as unknown as () => void)).toThrow(TypeError);
  });
});

describe('the preload file bridge (drag and drop)', () => {
  it('exposes exactly pathForFile, frozen, and gives the path of a dropped File only', () => {
    const webUtils = { getPathForFile: vi.fn(() => '/home/me/customers.csv') };
    const files = createFileBridge(webUtils);
    expect(Object.keys(files)).toEqual(['pathForFile']);
    expect(Object.isFrozen(files)).toBe(true);
    expect(files.pathForFile(new File(['a'], 'customers.csv'))).toBe('/home/me/customers.csv');
    expect(() => files.pathForFile({ name: 'x' } as unknown as File)).toThrow(TypeError);
    expect(webUtils.getPathForFile).toHaveBeenCalledTimes(1);
  });
});
