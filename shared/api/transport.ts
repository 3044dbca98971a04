import type { Envelope } from './protocol';

/**
 * What every transport offers the client, and exactly what the Electron preload exposes as
 * `window.bridge`: one call function and one subscription function. Nothing else crosses.
 */
export interface Transport {
  call(method: string, params: unknown): Promise<Envelope<unknown>>;
  /** Subscribe to one pushed event; returns the unsubscribe function. */
  on(event: string, listener: (payload: unknown) => void): () => void;
}

/** Transports that hold a connection report its state (the status bar shows it). */
export type TransportState = 'connecting' | 'connected' | 'disconnected';
