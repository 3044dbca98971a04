import { WebSocket } from 'ws';
import type { BrowserBridge } from '../../electron/rpc/wsBridge';
import { RPC_PATH } from '../../electron/rpc/wsBridge';
import { WS_PROTOCOL, WS_TOKEN_PREFIX } from '../../shared/api/protocol';
import type { WebSocketTransport } from '../../shared/api/wsClient';
import { createWebSocketTransport } from '../../shared/api/wsClient';

export function tokenOf(bridge: BrowserBridge): string {
  return new URL(bridge.url).hash.replace('#tkn=', '');
}

export function rpcUrl(bridge: BrowserBridge): string {
  return `ws://127.0.0.1:${bridge.port}${RPC_PATH}`;
}

/** The renderer's own WebSocket transport, driven by Node's `ws` as a browser would. */
export function connectTransport(bridge: BrowserBridge): WebSocketTransport {
  return createWebSocketTransport({
    url: rpcUrl(bridge),
    token: tokenOf(bridge),
    createSocket: (url, protocols) => new WebSocket(url, protocols, { origin: bridge.origin }),
  });
}

/** Opens a raw socket with chosen headers; resolves with the HTTP status of a refusal, or 101. */
export function tryUpgrade(
  bridge: BrowserBridge,
  options: { token?: string | null; origin?: string; host?: string; path?: string },
): Promise<{ status: number; socket?: WebSocket }> {
  const token = options.token === undefined ? tokenOf(bridge) : options.token;
  const protocols = token === null ? [WS_PROTOCOL] : [WS_PROTOCOL, WS_TOKEN_PREFIX + token];
  const url = `ws://127.0.0.1:${bridge.port}${options.path ?? RPC_PATH}`;
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, protocols, {
      origin: options.origin ?? bridge.origin,
      headers: options.host ? { host: options.host } : {},
    });
    socket.on('open', () => resolve({ status: 101, socket }));
    socket.on('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      res.resume();
    });
    socket.on('error', (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}
