import type { EmulatorClock } from '../clock';
import type { MessageLookup } from './dmfActions';
import type { ExecutionRegistry } from './executions';
import { progressStatus } from './executions';

/**
 * Recurring-integrations messages (IntegrationActivityMessageTable, dmf-reference.md §3.6): an
 * enqueued file or package waiting for its import, or an exported package waiting for dequeue.
 */
export interface ConnectorMessage {
  readonly id: string;
  readonly activityId: string;
  readonly direction: 'import' | 'export';
  readonly enqueuedAt: number;
  readonly company: string;
  /** Blob holding the file or package. */
  readonly blob: string;
  readonly externalId: string | null;
  /** File jobs: the entity the enqueued file is for. */
  readonly entity: string | null;
  executionId: string | null;
  /** Export side. */
  popReceipt: string | null;
  lastDequeuedAt: number | null;
  ackedAt: number | null;
  /** A failure before any processing (corrupt upload). */
  preProcessingError: string | null;
}

/** GetMessageStatus names [DOC]; the code's spelling of the last one is PostProcessingError. */
export type MessageStatus =
  | 'Enqueued'
  | 'Dequeued'
  | 'Acked'
  | 'Preprocessing'
  | 'Processing'
  | 'Processed'
  | 'PreProcessingError'
  | 'ProcessedWithErrors'
  | 'PostProcessingFailed';

export class MessageRegistry implements MessageLookup {
  readonly #messages = new Map<string, ConnectorMessage>();

  constructor(
    private readonly clock: EmulatorClock,
    private readonly executions: ExecutionRegistry,
  ) {}

  add(m: ConnectorMessage): void {
    this.#messages.set(normalizeId(m.id), m);
  }

  get(id: string): ConnectorMessage | undefined {
    return this.#messages.get(normalizeId(id));
  }

  list(): ConnectorMessage[] {
    return [...this.#messages.values()];
  }

  status(m: ConnectorMessage): MessageStatus {
    const x = m.executionId ? this.executions.get(m.executionId) : undefined;
    // A refused message shows its error once the batch has picked it up on the emulator clock.
    if (m.preProcessingError) return x && this.clock.now() < x.pickupAt ? 'Preprocessing' : 'PreProcessingError';
    if (m.direction === 'export')
      return m.ackedAt !== null ? 'Acked' : m.lastDequeuedAt !== null ? 'Dequeued' : 'Processed';
    if (!x) return 'Enqueued';
    // The message table keeps its status when the execution history is cleaned up [INFER].
    switch (progressStatus(x, this.clock.now())) {
      case 'NotRun':
        return 'Preprocessing';
      case 'Executing':
        return 'Processing';
      case 'Succeeded':
        return 'Processed';
      default:
        return 'ProcessedWithErrors';
    }
  }

  messageStatus(id: string): string | null {
    const m = this.get(id);
    return m ? this.status(m) : null;
  }

  executionIdOf(id: string): string | null {
    const m = this.get(id);
    return m ? (m.executionId ?? '') : null;
  }
}

/** Ids arrive with or without braces and URL-encoded braces (%7B…%7D) [DOC]; compare without them. */
export function normalizeId(id: string): string {
  return decodeURIComponent(id)
    .replace(/^\{|\}$/g, '')
    .toLowerCase();
}
