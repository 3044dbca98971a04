import type { IpcRenderer, IpcRendererEvent } from 'electron';
import { isEventName, isMethod } from '../../shared/api/names';
import type { Envelope } from '../../shared/api/protocol';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../../shared/api/protocol';
import type { Transport } from '../../shared/api/transport';

/**
 * The one object the preload exposes to the renderer as `window.bridge`. It forwards calls for
 * contract methods and subscriptions to contract events, and nothing else: ipcRenderer itself
 * never crosses, and the Electron event object is stripped before a listener sees a payload.
 */
export function createBridge(ipc: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>): Transport {
  return Object.freeze({
    call(method: string, params: unknown): Promise<Envelope<unknown>> {
      if (!isMethod(method)) {
        return Promise.resolve({
          ok: false,
          error: { code: 'UNKNOWN_METHOD', message: `There is no method "${String(method).slice(0, 80)}".` },
        });
      }
      return ipc.invoke(IPC_CALL_CHANNEL, { method, params }) as Promise<Envelope<unknown>>;
    },
    on(event: string, listener: (payload: unknown) => void): () => void {
      if (!isEventName(event)) throw new TypeError(`There is no event "${String(event).slice(0, 80)}".`);
      if (typeof listener !== 'function') throw new TypeError('The listener must be a function.');
      const forward = (_event: IpcRendererEvent, message: unknown) => {
        const frame = message as { event?: unknown; payload?: unknown } | null;
        if (frame && frame.event === event) listener(frame.payload);
      };
      ipc.on(IPC_EVENT_CHANNEL, forward);
      return () => {
        ipc.removeListener(IPC_EVENT_CHANNEL, forward);
      };
    },
  });
}
