import { isEventName } from './names';
import type { Envelope, WireCall, WireEvent, WireReply } from './protocol';
import { WS_PROTOCOL, WS_TOKEN_PREFIX } from './protocol';
import type { Transport, TransportState } from './transport';

/** The part of the WebSocket API this transport uses: the browser's and `ws`'s both fit. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

export type WebSocketFactory = (url: string, protocols: string[]) => WebSocketLike;

export interface WebSocketTransport extends Transport {
  readonly state: TransportState;
  onStateChange(listener: (state: TransportState) => void): () => void;
  close(): void;
}

const OPEN = 1;

/**
 * Client side of the loopback WebSocket bridge (browser mode). Calls made before the socket
 * opens are queued; when the connection drops, pending calls resolve with a TRANSPORT error.
 */
export function createWebSocketTransport(options: {
  url: string;
  token: string;
  createSocket: WebSocketFactory;
}): WebSocketTransport {
  const socket = options.createSocket(options.url, [WS_PROTOCOL, WS_TOKEN_PREFIX + options.token]);
  const pending = new Map<number, (envelope: Envelope<unknown>) => void>();
  const queue: string[] = [];
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const stateListeners = new Set<(state: TransportState) => void>();
  let state: TransportState = 'connecting';
  let nextId = 1;

  const setState = (next: TransportState) => {
    if (state === next) return;
    state = next;
    for (const listener of stateListeners) listener(next);
  };

  const lost = (): Envelope<unknown> => ({
    ok: false,
    error: {
      code: 'TRANSPORT',
      message:
        'The connection to the workbench service was lost. Restart it (npm run serve) and open the address it prints.',
    },
  });

  socket.addEventListener('open', () => {
    setState('connected');
    for (const frame of queue.splice(0)) socket.send(frame);
  });
  socket.addEventListener('close', () => {
    setState('disconnected');
    for (const resolve of pending.values()) resolve(lost());
    pending.clear();
    queue.length = 0;
  });
  socket.addEventListener('error', () => setState('disconnected'));
  socket.addEventListener('message', (message) => {
    if (typeof message.data !== 'string') return;
    let frame: Partial<WireReply & WireEvent>;
    try {
      frame = JSON.parse(message.data) as Partial<WireReply & WireEvent>;
    } catch {
      return;
    }
    if (typeof frame.id === 'number' && frame.envelope) {
      const resolve = pending.get(frame.id);
      pending.delete(frame.id);
      resolve?.(frame.envelope);
    } else if (isEventName(frame.event)) {
      for (const listener of listeners.get(frame.event) ?? []) listener(frame.payload);
    }
  });

  return {
    get state() {
      return state;
    },
    call(method, params) {
      if (state === 'disconnected') return Promise.resolve(lost());
      const id = nextId++;
      const frame = JSON.stringify({ id, method, params } satisfies WireCall);
      return new Promise((resolve) => {
        pending.set(id, resolve);
        if (socket.readyState === OPEN) socket.send(frame);
        else queue.push(frame);
      });
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => set.delete(listener);
    },
    onStateChange(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    close() {
      socket.close(1000, 'closed by client');
    },
  };
}
