/**
 * Where the row store engine runs. In the app: a worker thread, so that parsing a big file,
 * sorting a million rows or validating them never blocks the main process (which carries every
 * other call, job timers and, in Electron, the window). In tests: in-process. Both look the same
 * to the service: every engine method, made async.
 */
import { Worker } from 'node:worker_threads';
import { AppError, isErrorCode } from '../../../shared/api/errors';
import type { DatasetEngine, EngineEvent, EngineOptions } from './engine';

export const ENGINE_METHODS = [
  'openFile',
  'reopen',
  'openRows',
  'pushRows',
  'endRows',
  'info',
  'list',
  'close',
  'closeAll',
  'rows',
  'position',
  'rowsById',
  'edit',
  'paste',
  'copy',
  'refreshView',
  'undo',
  'redo',
  'bulk',
  'applySteps',
  'recipe',
  'recipeSteps',
  'find',
  'facet',
  'clusters',
  'setValueChecks',
  'replayJournal',
  'entities',
  'validate',
  'issues',
  'exportTo',
  'attachColumn',
] as const satisfies readonly (keyof DatasetEngine)[];

type EngineMethod = (typeof ENGINE_METHODS)[number];

export type EngineClient = {
  readonly [K in EngineMethod]: DatasetEngine[K] extends (...args: infer A) => infer R
    ? (...args: A) => Promise<Awaited<R>>
    : never;
} & {
  /** Stops the engine (the worker exits); open datasets are gone. */
  dispose(): Promise<void>;
};

export function inProcessEngine(
  create: (emit: EngineOptions['emit']) => DatasetEngine,
  onEvent: (event: EngineEvent) => void,
): EngineClient {
  const engine = create(onEvent);
  const client: Record<string, unknown> = {};
  for (const name of ENGINE_METHODS) {
    const method = engine[name] as (...args: unknown[]) => unknown;
    client[name] = async (...args: unknown[]) => method.apply(engine, args);
  }
  client.dispose = () => engine.closeAll();
  return client as EngineClient;
}

/** How to start the worker: a bundled .cjs in the app, the TypeScript source through tsx elsewhere. */
export interface WorkerSpec {
  /** The worker module: file URL or absolute path. */
  readonly entry: string | URL;
  /** Load the entry through tsx (a .ts source). */
  readonly typescript: boolean;
}

/** Messages between the service and the worker. */
export type WorkerRequest = { readonly id: number; readonly method: EngineMethod; readonly args: readonly unknown[] };
export type WorkerMessage =
  | { readonly type: 'result'; readonly id: number; readonly result: unknown }
  | {
      readonly type: 'error';
      readonly id: number;
      readonly error: { code: string; message: string; details?: unknown };
    }
  | { readonly type: 'event'; readonly event: EngineEvent };

export function workerEngine(
  spec: WorkerSpec,
  onEvent: (event: EngineEvent) => void,
  onCrash: (error: Error) => void,
): EngineClient {
  const entry = spec.entry instanceof URL ? spec.entry.href : spec.entry;
  const worker = spec.typescript
    ? new Worker(new URL('./tsxWorker.mjs', import.meta.url), { workerData: { entry } })
    : new Worker(spec.entry);
  // An idle engine must not keep a finished process (the CLI, a stopped browser-mode server)
  // alive: the worker counts only while a call waits for its answer.
  worker.unref();
  let nextId = 1;
  let failure: Error | null = null;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>();
  const failAll = (error: Error) => {
    failure = error;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  worker.on('message', (message: WorkerMessage) => {
    if (message.type === 'event') {
      onEvent(message.event);
      return;
    }
    const waiting = pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id);
    if (message.type === 'result') waiting.resolve(message.result);
    else {
      const { code, message: text, details } = message.error;
      waiting.reject(isErrorCode(code) ? new AppError(code, text, details) : new Error(text));
    }
  });
  worker.on('error', (error) => {
    onCrash(error);
    failAll(
      new AppError(
        'INTERNAL',
        'The row store stopped unexpectedly; open the files again. The details are in the workbench log.',
      ),
    );
  });
  worker.on('exit', () => failAll(new AppError('INTERNAL', 'The row store has stopped; open the files again.')));

  const call = (method: EngineMethod, args: unknown[]): Promise<unknown> => {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      if (pending.size === 1) worker.ref();
      const request: WorkerRequest = { id, method, args };
      worker.postMessage(request);
    }).finally(() => {
      if (pending.size === 0) worker.unref();
    });
  };
  const client: Record<string, unknown> = {};
  for (const name of ENGINE_METHODS) client[name] = (...args: unknown[]) => call(name, args);
  client.dispose = async () => {
    if (!failure) await call('closeAll', []).catch(() => undefined);
    failure = new AppError('INTERNAL', 'The row store has stopped.');
    await worker.terminate();
  };
  return client as EngineClient;
}
