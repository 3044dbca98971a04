import type { ApiError } from './errors';

/** What every call returns, over every transport. Handlers never throw across a transport. */
export type Envelope<T> = { ok: true; result: T } | { ok: false; error: ApiError };

/** WebSocket wire format (browser mode). The IPC transport carries the same envelopes. */
export interface WireCall {
  readonly id: number;
  readonly method: string;
  readonly params?: unknown;
}

export interface WireReply {
  readonly id: number;
  readonly envelope: Envelope<unknown>;
}

export interface WireEvent {
  readonly event: string;
  readonly payload: unknown;
}

/** The WebSocket subprotocol that carries this wire format. */
export const WS_PROTOCOL = 'dmfw.rpc.v1';
/**
 * The session token travels as a second subprotocol entry, `dmfw.token.<token>`: browsers cannot
 * set headers on a WebSocket, and this keeps it out of URLs and therefore out of logs.
 */
export const WS_TOKEN_PREFIX = 'dmfw.token.';
/** Largest accepted WebSocket message: calls are small; bulk data never crosses the bridge. */
export const WS_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/** The Electron IPC channel names. */
export const IPC_CALL_CHANNEL = 'dmfw:call';
export const IPC_EVENT_CHANNEL = 'dmfw:event';
