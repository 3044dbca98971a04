import { contract, isMethod } from '../../shared/api/contract';
import type { Method, ResultOf, ValidParamsOf } from '../../shared/api/contract';
import { AppError } from '../../shared/api/errors';
import type { ApiError, ErrorCode } from '../../shared/api/errors';
import type { Envelope } from '../../shared/api/protocol';
import type { Logger } from '../services/logging/logger';
import { MAX_REPLY_BYTES, megabytes, replyExceeds } from './replySize';

export type TransportKind = 'in-process' | 'ipc' | 'websocket';

export interface CallContext {
  readonly transport: TransportKind;
}

export type Handler<M extends Method> = (params: ValidParamsOf<M>, ctx: CallContext) => Promise<ResultOf<M>>;

/** Every method of the contract, implemented. A missing method is a compile error. */
export type Handlers = { readonly [M in Method]: Handler<M> };

/** The handlers of one domain ('environments' → every 'environments.*' method). */
export type DomainHandlers<D extends string> = { readonly [M in Extract<Method, `${D}.${string}`>]: Handler<M> };

export interface Dispatcher {
  /** Never throws: every outcome is an envelope. */
  call(method: unknown, params: unknown, ctx: CallContext): Promise<Envelope<unknown>>;
}

function failure(code: ErrorCode, message: string, details?: unknown): Envelope<never> {
  const error: ApiError = details === undefined ? { code, message } : { code, message, details };
  return { ok: false, error };
}

function describe(value: unknown): string {
  const text = typeof value === 'string' ? value : typeof value;
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

/**
 * The single entry point behind every transport: checks the method against the allow-list,
 * validates params against the contract schema (the renderer is untrusted), runs the handler and
 * wraps the outcome. Unexpected exceptions are logged and reported as INTERNAL without internals.
 */
export function createDispatcher(handlers: Handlers, logger: Logger): Dispatcher {
  return {
    async call(method, params, ctx) {
      if (!isMethod(method)) {
        return failure('UNKNOWN_METHOD', `There is no method "${describe(method)}".`);
      }
      const parsed = contract[method].params.safeParse(params ?? {});
      if (!parsed.success) {
        const issues = parsed.error.issues.map((issue) => ({
          path: issue.path.map(String).join('.'),
          message: issue.message,
        }));
        const first = issues[0];
        const where = first && first.path ? ` (${first.path}: ${first.message})` : first ? ` (${first.message})` : '';
        return failure('INVALID_PARAMS', `The parameters of ${method} are not valid${where}.`, { issues });
      }
      const handler = handlers[method] as (params: unknown, ctx: CallContext) => Promise<unknown>;
      try {
        const result = await handler(parsed.data, ctx);
        if (replyExceeds(result)) {
          // Measured before a transport serialises it: too big a reply throws there, or takes the process down.
          return failure(
            'INVALID_REQUEST',
            `The answer to ${method} is larger than the ${megabytes(MAX_REPLY_BYTES)} one reply may carry: ask for less at a time.`,
          );
        }
        return { ok: true, result };
      } catch (error) {
        if (error instanceof AppError) return { ok: false, error: error.toJSON() };
        logger.error(`Unexpected error in ${method}`, error);
        return failure(
          'INTERNAL',
          `${method} failed unexpectedly. The details are in the workbench log; please report them.`,
        );
      }
    },
  };
}
