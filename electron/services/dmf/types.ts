/** The DMF package API's and the connector API's shapes, as dmf-reference.md §2–§3 records them. */

/** GetExecutionSummaryStatus answers (DMFExecutionSummaryStatus). */
export const EXECUTION_STATUSES = [
  'Unknown',
  'NotRun',
  'Executing',
  'Succeeded',
  'PartiallySucceeded',
  'Failed',
  'Canceled',
] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

/** States after which an execution's status no longer changes. */
export const FINAL_EXECUTION_STATUSES: ReadonlySet<ExecutionStatus> = new Set([
  'Succeeded',
  'PartiallySucceeded',
  'Failed',
  'Canceled',
]);

export interface AzureWriteUrl {
  /** e.g. {6B5B...}: F&O's id of the blob. */
  readonly blobId: string;
  /** The SAS URL to PUT the package to (write-only, short-lived). */
  readonly blobUrl: string;
}

export interface ImportFromPackageRequest {
  readonly packageUrl: string;
  /** The data project (definition group) NAME. */
  readonly definitionGroupId: string;
  /** Ours, deterministic per job: it is how a resumed job learns whether the import started. */
  readonly executionId: string;
  /** true: staging then target; false: stop at staging. */
  readonly execute: boolean;
  /** Replace the data project's definition from the manifest (not the data). */
  readonly overwrite: boolean;
  readonly legalEntityId: string;
}

export interface ExportToPackageRequest {
  readonly definitionGroupId: string;
  readonly packageName: string;
  readonly executionId: string;
  readonly reExecute: boolean;
  readonly legalEntityId: string;
}

/** One element of GetExecutionErrors (third-party observed shape; extra fields are kept). */
export interface ExecutionError {
  readonly recordId: string | null;
  readonly field: string | null;
  readonly message: string;
  readonly raw: Readonly<Record<string, unknown>>;
}

/** GetMessageStatus answers. Both spellings of the post-processing failure exist (§3.5). */
export const MESSAGE_STATUSES = [
  'Enqueued',
  'Dequeued',
  'Downloaded',
  'Acked',
  'Preprocessing',
  'Processing',
  'Processed',
  'PreProcessingError',
  'ProcessedWithErrors',
  'PostProcessingFailed',
  'PostProcessingError',
] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number] | 'Unknown';

/** Message states after which nothing more happens: Processed and every *Error / *Failed. */
export function isFinalMessageStatus(status: MessageStatus): boolean {
  return status === 'Processed' || /Error|Failed/.test(status);
}

/** A dequeued recurring-export message. `raw` is echoed back unchanged to acknowledge it. */
export interface DequeuedMessage {
  readonly correlationId: string;
  readonly popReceipt: string;
  /** Already repaired (https, no :80) and pointed at the environment's own address. */
  readonly downloadLocation: string | null;
  readonly fileExists: boolean;
  readonly downloadError: string | null;
  readonly lastDequeued: string | null;
  readonly raw: string;
}

export interface EntityExecutionDetail {
  readonly entityName: string;
  readonly company: string | null;
  readonly stagingRecords: number;
  readonly stagingStatus: string | null;
  readonly stagingErrorCount: number;
  readonly targetRecords: number;
  readonly targetStatus: string | null;
  readonly targetErrorCount: number;
  /** Where F&O ran it (DataManagementExecutionJobDetails; null when the answer does not say). */
  readonly unit?: number | null;
  readonly level?: number | null;
  readonly sequence?: number | null;
  /** F&O's own step times (ISO); null when unrun (F&O writes 1900-01-01) or not given. */
  readonly stagingStartedAt?: string | null;
  readonly stagingEndedAt?: string | null;
  readonly targetStartedAt?: string | null;
  readonly targetEndedAt?: string | null;
}

/** The connector's jobstatus answer (DataJobStatusDetail). */
export interface DataJobStatusDetail {
  readonly dataJobState: string;
  readonly executionId: string | null;
  readonly dataProject: string | null;
  readonly executionLog: string | null;
  readonly entities: readonly EntityExecutionDetail[];
}
