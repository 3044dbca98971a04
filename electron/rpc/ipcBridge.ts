import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { Envelope } from '../../shared/api/protocol';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, WS_MAX_MESSAGE_BYTES } from '../../shared/api/protocol';
import type { Dispatcher } from './dispatcher';
import type { EventHub } from './eventHub';
import { megabytes, replyExceeds } from './replySize';

/** The subset of WebContents this module needs; the real one comes from electron/main. */
export interface IpcTarget {
  readonly ipc: Pick<IpcMain, 'handle' | 'removeHandler'>;
  send: WebContents['send'];
  isDestroyed(): boolean;
}

/**
 * Main side of the Electron IPC transport. The handler is registered on one window's
 * `webContents.ipc` (not the global ipcMain), and each call must also come from a frame showing
 * our own bundle (`isTrustedFrameUrl`), so a navigated or injected frame gets FORBIDDEN.
 */
export function serveIpc(options: {
  target: IpcTarget;
  dispatcher: Dispatcher;
  hub: EventHub;
  isTrustedFrameUrl: (url: string) => boolean;
  /** An event that could not be sent to the window (its payload cannot be cloned). */
  onSendError?: (event: string, error: unknown) => void;
}): () => void {
  const { target, dispatcher, hub, isTrustedFrameUrl, onSendError } = options;
  target.ipc.handle(
    IPC_CALL_CHANNEL,
    async (event: IpcMainInvokeEvent, request: unknown): Promise<Envelope<unknown>> => {
      const frameUrl = event.senderFrame?.url;
      if (!frameUrl || !isTrustedFrameUrl(frameUrl)) {
        return {
          ok: false,
          error: { code: 'FORBIDDEN', message: 'Calls are only accepted from the workbench window.' },
        };
      }
      if (typeof request !== 'object' || request === null) {
        return { ok: false, error: { code: 'INVALID_REQUEST', message: 'The call is not an object.' } };
      }
      // The same bound as a WebSocket frame: a call's size is checked before the handler's schema
      // walks it (IPC itself clones any size the renderer sends).
      if (replyExceeds(request, WS_MAX_MESSAGE_BYTES)) {
        const message = `The call is larger than the ${megabytes(WS_MAX_MESSAGE_BYTES)} one call may carry.`;
        return { ok: false, error: { code: 'INVALID_REQUEST', message } };
      }
      const { method, params } = request as { method?: unknown; params?: unknown };
      return dispatcher.call(method, params, { transport: 'ipc' });
    },
  );
  const unsubscribe = hub.subscribe((event, payload) => {
    if (target.isDestroyed()) return;
    try {
      target.send(IPC_EVENT_CHANNEL, { event, payload });
    } catch (error) {
      // A payload that cannot be cloned must not throw into the service that published it.
      onSendError?.(event, error);
    }
  });
  return () => {
    unsubscribe();
    target.ipc.removeHandler(IPC_CALL_CHANNEL);
  };
}
