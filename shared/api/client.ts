import type { EventName, Method, ParamsOf, PayloadOf, ResultOf } from './contract';
import type { ApiError, ErrorCode } from './errors';
import type { Envelope } from './protocol';
import type { Transport } from './transport';

/** Thrown by `client.call` when the envelope says the call failed. Carries the stable code. */
export class ApiCallError extends Error implements ApiError {
  readonly code: ErrorCode;
  readonly details?: unknown;
  readonly method: string;

  constructor(method: string, error: ApiError) {
    super(error.message);
    this.name = 'ApiCallError';
    this.method = method;
    this.code = error.code;
    if (error.details !== undefined) this.details = error.details;
  }
}

export interface Client {
  /** Calls a method; resolves with its result or rejects with an ApiCallError. */
  call<M extends Method>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>>;
  /** Calls a method and returns the raw envelope (never rejects). */
  request<M extends Method>(method: M, params: ParamsOf<M>): Promise<Envelope<ResultOf<M>>>;
  on<E extends EventName>(event: E, listener: (payload: PayloadOf<E>) => void): () => void;
}

/** The typed client over any transport: in-process, Electron IPC or the WebSocket bridge. */
export function createClient(transport: Transport): Client {
  const request = async <M extends Method>(method: M, params: ParamsOf<M>): Promise<Envelope<ResultOf<M>>> => {
    try {
      return (await transport.call(method, params)) as Envelope<ResultOf<M>>;
    } catch (error) {
      // Transports resolve with envelopes; a rejection means the transport itself broke.
      const message = error instanceof Error ? error.message : String(error);
      return { ok: false, error: { code: 'TRANSPORT', message } };
    }
  };
  return {
    request,
    async call(method, params) {
      const envelope = await request(method, params);
      if (envelope.ok) return envelope.result;
      throw new ApiCallError(method, envelope.error);
    },
    on(event, listener) {
      return transport.on(event, (payload) => listener(payload as PayloadOf<typeof event>));
    },
  };
}
