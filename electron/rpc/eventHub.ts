import type { EventName, PayloadOf } from '../../shared/api/contract';

export type EventListener = (event: EventName, payload: unknown) => void;

/** Services publish contract events here; every transport forwards them to its clients. */
export class EventHub {
  readonly #listeners = new Set<EventListener>();

  publish<E extends EventName>(event: E, payload: PayloadOf<E>): void {
    for (const listener of this.#listeners) {
      try {
        listener(event, payload);
      } catch {
        // One broken subscriber (a closed socket) must not stop the others.
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
