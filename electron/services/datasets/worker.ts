/**
 * The row store's worker thread: one DatasetEngine answering the service's requests in order
 * (engineHost.ts carries them). Engine errors keep their code; anything else is reported as a bug.
 */
import { parentPort } from 'node:worker_threads';
import { AppError } from '../../../shared/api/errors';
import { createDatasetEngine } from './defaultEngine';
import type { WorkerMessage, WorkerRequest } from './engineHost';

const port = parentPort;
if (!port) throw new Error('worker.ts runs as a worker thread of the datasets service.');

const post = (message: WorkerMessage) => port.postMessage(message);
const engine = createDatasetEngine((event) => post({ type: 'event', event }));

port.on('message', (request: WorkerRequest) => {
  const method = engine[request.method] as (...args: unknown[]) => unknown;
  void (async () => {
    try {
      post({ type: 'result', id: request.id, result: await method.apply(engine, [...request.args]) });
    } catch (error) {
      post({
        type: 'error',
        id: request.id,
        error:
          error instanceof AppError
            ? { code: error.code, message: error.message, details: error.details }
            : { code: 'BUG', message: error instanceof Error ? (error.stack ?? error.message) : String(error) },
      });
    }
  })();
});
