import type { Transport } from '../../shared/api/transport';
import type { Dispatcher } from './dispatcher';
import type { EventHub } from './eventHub';

/**
 * The transport for unit and contract tests and for the CLI. Params, results and event payloads
 * are structured-cloned, as Electron IPC does, so a non-serialisable result fails here too.
 */
export function createInProcessTransport(dispatcher: Dispatcher, hub: EventHub): Transport {
  return {
    async call(method, params) {
      return structuredClone(await dispatcher.call(method, structuredClone(params), { transport: 'in-process' }));
    },
    on(event, listener) {
      return hub.subscribe((name, payload) => {
        if (name === event) listener(structuredClone(payload));
      });
    },
  };
}
