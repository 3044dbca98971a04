import type { z } from 'zod';

/**
 * One method of the contract: a zod schema for its params (the renderer is untrusted, so the
 * dispatcher validates every call against it) and, at the type level only, its result.
 */
export interface MethodDef<P extends z.ZodType = z.ZodType, R = unknown> {
  readonly summary: string;
  readonly params: P;
  /** Phantom: carries the result type; never set at runtime. */
  readonly __result?: R;
}

/** `method<Result>()(summary, paramsSchema)`: the result type is given, the params inferred. */
export function method<R>() {
  return <P extends z.ZodType>(summary: string, params: P): MethodDef<P, R> => ({ summary, params });
}

/** An event pushed from services to every connected renderer. Phantom payload type. */
export interface EventDef<T = unknown> {
  readonly summary: string;
  readonly __payload?: T;
}

export function event<T>(summary: string): EventDef<T> {
  return { summary };
}
