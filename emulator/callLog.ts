/** One F&O request as the emulator saw it, for tests that assert "called exactly once". */
export interface CallRecord {
  /** Emulator time (ms since epoch). */
  readonly time: number;
  readonly method: string;
  /** Path without the query string, e.g. /data/DataManagementDefinitionGroups/Microsoft.Dynamics.DataEntities.ImportFromPackage */
  readonly path: string;
  /** The DMF action name, or connector operation (enqueue, dequeue, ack, jobstatus), or the OData collection. */
  readonly operation: string;
  readonly status: number;
  /** The parsed JSON body of an action (never a token). */
  readonly body?: unknown;
}

export interface CallFilter {
  readonly operation?: string;
  readonly method?: string;
}

const MAX_CALLS = 100_000;

export class CallLog {
  #calls: CallRecord[] = [];

  add(record: CallRecord): void {
    this.#calls.push(record);
    if (this.#calls.length > MAX_CALLS) this.#calls.splice(0, this.#calls.length - MAX_CALLS);
  }

  list(filter: CallFilter = {}): CallRecord[] {
    return this.#calls.filter(
      (c) =>
        (filter.operation === undefined || c.operation.toLowerCase() === filter.operation.toLowerCase()) &&
        (filter.method === undefined || c.method === filter.method.toUpperCase()),
    );
  }

  clear(): void {
    this.#calls = [];
  }
}
