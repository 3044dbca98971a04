import { createClient } from '../../../shared/api/client';
import type { Client } from '../../../shared/api/client';
import type { Transport, TransportState } from '../../../shared/api/transport';
import { createWebSocketTransport } from '../../../shared/api/wsClient';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in browser mode. */
    readonly bridge?: Transport;
  }
}

export interface Connection {
  readonly client: Client;
  readonly state: TransportState;
  onStateChange(listener: (state: TransportState) => void): () => void;
}

const TOKEN_KEY = 'dmfw.session-token';

/**
 * Picks the transport by itself: the preload's `window.bridge` in the desktop app, otherwise the
 * loopback WebSocket bridge, authenticated with the token from the address fragment. The fragment
 * is removed from the address bar at once; the tab keeps the token for reloads only.
 */
export function connect(): Connection {
  if (window.bridge) {
    return { client: createClient(window.bridge), state: 'connected', onStateChange: () => () => undefined };
  }
  const fromHash = new URLSearchParams(window.location.hash.slice(1)).get('tkn');
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash);
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  const token = fromHash ?? sessionStorage.getItem(TOKEN_KEY) ?? '';
  const transport = createWebSocketTransport({
    url: `ws://${window.location.host}/rpc`,
    token,
    createSocket: (url, protocols) => new WebSocket(url, protocols),
  });
  return {
    client: createClient(transport),
    get state() {
      return transport.state;
    },
    onStateChange: (listener) => transport.onStateChange(listener),
  };
}

/** The CSP nonce the server put in the page, for libraries that inject <style> (ag-grid). */
export function styleNonce(): string | undefined {
  return document.querySelector<HTMLMetaElement>('meta[name="dmfw-style-nonce"]')?.content || undefined;
}
