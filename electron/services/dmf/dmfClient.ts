import { AppError } from '../../../shared/api/errors';
import type { RequestBody } from '../net/fetch';
import { readReplyText } from '../net/replyBody';
import type { DmfHttp } from './dmfHttp';
import type {
  AzureWriteUrl,
  DataJobStatusDetail,
  DequeuedMessage,
  EntityExecutionDetail,
  ExecutionError,
  ExecutionStatus,
  ExportToPackageRequest,
  ImportFromPackageRequest,
  MessageStatus,
} from './types';
import { EXECUTION_STATUSES, MESSAGE_STATUSES } from './types';

const ACTIONS = '/data/DataManagementDefinitionGroups/Microsoft.Dynamics.DataEntities.';
const ZERO_GUID = '00000000-0000-0000-0000-000000000000';
/** ImportFromPackage registers the execution synchronously and can take minutes on a busy AOS. */
const SUBMIT_TIMEOUT_MS = 5 * 60_000;
/** Bigger JSON answers than this are refused rather than parsed (GetExecutionErrors can be large). */
const MAX_JSON_BYTES = 256 * 1024 * 1024;
/** A message id or a dequeued message's JSON: a few hundred bytes. */
const MAX_SMALL_REPLY_BYTES = 1024 * 1024;

interface CallOptions {
  readonly signal?: AbortSignal;
}

/**
 * A typed client for the DMF package API (OData actions on DataManagementDefinitionGroups), the
 * recurring-integrations connector and the few OData reads the jobs need. Each quirk of
 * dmf-reference.md §0.4 and §3 is handled here so that nothing above sees it.
 */
export class DmfClient {
  readonly #http: DmfHttp;
  readonly #apiBase: string;

  constructor(http: DmfHttp, apiBase: string) {
    this.#http = http;
    this.#apiBase = apiBase.replace(/\/+$/, '');
  }

  get apiBase(): string {
    return this.#apiBase;
  }

  // ── Package API ────────────────────────────────────────────────────────────────────────────

  /** The value is a JSON string holding JSON: decoded twice. */
  async getAzureWriteUrl(uniqueFileName: string, options: CallOptions = {}): Promise<AzureWriteUrl> {
    const value = decodeJsonString(await this.#action('GetAzureWriteUrl', { uniqueFileName }, true, options));
    const record = value as { BlobId?: unknown; BlobUrl?: unknown } | null;
    if (!record || typeof record.BlobUrl !== 'string' || !/^https?:\/\//i.test(record.BlobUrl)) {
      throw remoteShape('GetAzureWriteUrl', 'a BlobUrl');
    }
    return { blobId: typeof record.BlobId === 'string' ? record.BlobId : '', blobUrl: record.BlobUrl };
  }

  /**
   * Not repeatable: after an unanswered call it throws AmbiguousCallError, and the caller asks
   * probeExecution whether the import started before sending it again.
   */
  async importFromPackage(
    request: ImportFromPackageRequest,
    options: CallOptions & { async?: boolean } = {},
  ): Promise<string> {
    const name = options.async ? 'ImportFromPackageAsync' : 'ImportFromPackage';
    return flatString(name, await this.#action(name, { ...request }, false, options, SUBMIT_TIMEOUT_MS));
  }

  async exportToPackage(
    request: ExportToPackageRequest,
    options: CallOptions & { async?: boolean; entityList?: readonly string[] } = {},
  ): Promise<string> {
    const name = options.async ? 'ExportToPackageAsync' : 'ExportToPackage';
    const body: Record<string, unknown> = { ...request };
    if (options.entityList?.length) body.entityList = options.entityList.join(',');
    const value = flatString(name, await this.#action(name, body, false, options, SUBMIT_TIMEOUT_MS));
    // Microsoft's Logic App loops while the answer is the zero GUID: the export was not queued.
    if (value === ZERO_GUID) {
      throw new AppError('REMOTE_FAILED', `${name} did not start an export (it answered the empty id). Try again.`);
    }
    return value;
  }

  /** `count` is the documented parameter; `exportPreviewCount` is what a metadata-derived client sends. Both are sent. */
  async exportToPackagePreview(
    request: ExportToPackageRequest,
    count: number,
    options: CallOptions = {},
  ): Promise<string> {
    const body = { ...request, count, exportPreviewCount: count };
    return flatString('ExportToPackagePreview', await this.#action('ExportToPackagePreview', body, false, options));
  }

  /** "" until the package exists: callers poll. */
  async getExportedPackageUrl(executionId: string, options: CallOptions = {}): Promise<string> {
    return flatString(
      'GetExportedPackageUrl',
      await this.#action('GetExportedPackageUrl', { executionId }, true, options),
    );
  }

  async getExecutionSummaryStatus(executionId: string, options: CallOptions = {}): Promise<ExecutionStatus> {
    const value = flatString(
      'GetExecutionSummaryStatus',
      await this.#action('GetExecutionSummaryStatus', { executionId }, true, options),
    );
    return (EXECUTION_STATUSES as readonly string[]).includes(value) ? (value as ExecutionStatus) : 'Unknown';
  }

  /**
   * Does F&O know this execution? null when it says it has no such id (an OData error "Execution
   * details were not found", or the status Unknown), which is how a job that lost the answer to
   * ImportFromPackage learns the import never started. [INFER] An execution that F&O registered
   * reports NotRun or later, never Unknown.
   */
  async probeExecution(executionId: string, options: CallOptions = {}): Promise<ExecutionStatus | null> {
    try {
      const status = await this.getExecutionSummaryStatus(executionId, options);
      return status === 'Unknown' ? null : status;
    } catch (error) {
      if (error instanceof AppError && isUnknownExecution(error)) return null;
      throw error;
    }
  }

  /** A JSON array inside a string ("[]" when there are none). */
  async getExecutionErrors(executionId: string, options: CallOptions = {}): Promise<ExecutionError[]> {
    const value = decodeJsonString(await this.#action('GetExecutionErrors', { executionId }, true, options));
    if (value === null || value === '') return [];
    if (!Array.isArray(value)) throw remoteShape('GetExecutionErrors', 'a list of errors');
    return value.map(toExecutionError);
  }

  /** "" when the entity had no staging errors. */
  async getImportStagingErrorFileUrl(
    executionId: string,
    entityName: string,
    options: CallOptions = {},
  ): Promise<string> {
    return flatString(
      'GetImportStagingErrorFileUrl',
      await this.#action('GetImportStagingErrorFileUrl', { executionId, entityName }, true, options),
    );
  }

  /** true: target errors exist and the keys file is being generated. */
  async generateImportTargetErrorKeysFile(
    executionId: string,
    entityName: string,
    options: CallOptions = {},
  ): Promise<boolean> {
    const value = await this.#action('GenerateImportTargetErrorKeysFile', { executionId, entityName }, true, options);
    return value === true || value === 'true' || value === 'True';
  }

  /** "" while the file is generated, or when there are no errors: poll after Generate. */
  async getImportTargetErrorKeysFileUrl(
    executionId: string,
    entityName: string,
    options: CallOptions = {},
  ): Promise<string> {
    return flatString(
      'GetImportTargetErrorKeysFileUrl',
      await this.#action('GetImportTargetErrorKeysFileUrl', { executionId, entityName }, true, options),
    );
  }

  async getMessageStatus(messageId: string, options: CallOptions = {}): Promise<MessageStatus> {
    const value = flatString('GetMessageStatus', await this.#action('GetMessageStatus', { messageId }, true, options));
    return (MESSAGE_STATUSES as readonly string[]).includes(value) ? (value as MessageStatus) : 'Unknown';
  }

  /** The parameter really is `_messageId`. null (the zero GUID) while the message is not processed. */
  async getExecutionIdByMessageId(messageId: string, options: CallOptions = {}): Promise<string | null> {
    const value = flatString(
      'GetExecutionIdByMessageId',
      await this.#action('GetExecutionIdByMessageId', { _messageId: messageId }, true, options),
    );
    return value === '' || value === ZERO_GUID ? null : value;
  }

  /** Takes entity labels. The answer's shape is undocumented, so it is returned as F&O gives it. */
  async getEntitySequence(labels: readonly string[], options: CallOptions = {}): Promise<unknown> {
    return decodeJsonString(
      await this.#action('GetEntitySequence', { listOfDataEntities: labels.join(',') }, true, options),
    );
  }

  async resetVersionToken(
    definitionGroupId: string,
    entityName: string,
    sourceName: string,
    options: CallOptions = {},
  ): Promise<void> {
    await this.#action('ResetVersionToken', { definitionGroupId, entityName, sourceName }, true, options);
  }

  async initializeDataManagement(options: CallOptions = {}): Promise<void> {
    await this.#action('InitializeDataManagement', {}, true, options, SUBMIT_TIMEOUT_MS);
  }

  async getExecutionSummaryPageUrl(executionId: string, options: CallOptions = {}): Promise<string> {
    return flatString(
      'GetExecutionSummaryPageUrl',
      await this.#action('GetExecutionSummaryPageUrl', { executionId }, true, options),
    );
  }

  async deleteExecutionHistoryJob(executionId: string, options: CallOptions = {}): Promise<void> {
    await this.#action('DeleteExecutionHistoryJob', { executionId }, true, options);
  }

  // ── Recurring integrations (connector) ────────────────────────────────────────────────────

  /**
   * Sends a file (entity given) or a package (no entity) to a recurring import job. Not
   * repeatable: a second send would be a second message. The answer is the message id as a
   * quoted JSON string.
   */
  async enqueue(
    activityId: string,
    body: () => RequestBody,
    options: CallOptions & { entity?: string; company?: string; externalId?: string; isPackage: boolean },
  ): Promise<string> {
    const query = new URLSearchParams();
    if (options.entity) query.set('entity', options.entity);
    if (options.company) query.set('company', options.company);
    const suffix = query.size ? `?${query.toString()}` : '';
    const headers: Record<string, string> = {
      'Content-Type': options.isPackage ? 'application/zip' : 'application/octet-stream',
    };
    if (options.externalId) headers['x-ms-dyn-externalidentifier'] = options.externalId;
    const response = await this.#http.send({
      method: 'POST',
      url: `${this.#apiBase}/api/connector/enqueue/${encodeActivity(activityId)}${suffix}`,
      body,
      headers,
      repeatable: false,
      label: 'Enqueue',
      signal: options.signal,
      timeoutMs: SUBMIT_TIMEOUT_MS,
    });
    const id = (await readReplyText(response, 'Enqueue', MAX_SMALL_REPLY_BYTES)).trim().replace(/^"+|"+$/g, '');
    if (!id) throw remoteShape('Enqueue', 'a message id');
    return id;
  }

  /** null on 204 (nothing queued) or an empty body. */
  async dequeue(activityId: string, options: CallOptions = {}): Promise<DequeuedMessage | null> {
    const response = await this.#http.send({
      method: 'GET',
      url: `${this.#apiBase}/api/connector/dequeue/${encodeActivity(activityId)}`,
      repeatable: true,
      label: 'Dequeue',
      signal: options.signal,
    });
    if (response.status === 204) return null;
    const raw = (await readReplyText(response, 'Dequeue', MAX_SMALL_REPLY_BYTES)).trim();
    if (!raw) return null;
    const json = parseJson('Dequeue', raw) as Record<string, unknown>;
    const location = typeof json.DownloadLocation === 'string' && json.DownloadLocation ? json.DownloadLocation : null;
    return {
      correlationId: String(json.CorrelationId ?? ''),
      popReceipt: String(json.PopReceipt ?? ''),
      downloadLocation: location === null ? null : this.repairDownloadLocation(location),
      // The odd capital L is F&O's.
      fileExists: json.IsDownLoadFileExist !== false,
      downloadError: typeof json.FileDownLoadErrorMessage === 'string' ? json.FileDownLoadErrorMessage : null,
      lastDequeued: typeof json.LastDequeueDateTime === 'string' ? json.LastDequeueDateTime : null,
      raw,
    };
  }

  /** The body is the dequeue answer, unchanged. */
  async ack(activityId: string, message: DequeuedMessage, options: CallOptions = {}): Promise<void> {
    const response = await this.#http.send({
      method: 'POST',
      url: `${this.#apiBase}/api/connector/ack/${encodeActivity(activityId)}`,
      body: message.raw,
      headers: { 'Content-Type': 'application/json' },
      repeatable: true,
      label: 'Ack',
      signal: options.signal,
    });
    await response.body?.cancel();
  }

  async jobStatus(activityId: string, messageId: string, options: CallOptions = {}): Promise<DataJobStatusDetail> {
    const response = await this.#http.send({
      method: 'GET',
      url: `${this.#apiBase}/api/connector/jobstatus/${encodeActivity(activityId)}?jobId=${encodeURIComponent(messageId)}`,
      repeatable: true,
      label: 'JobStatus',
      signal: options.signal,
    });
    return toJobStatus(await readJson('JobStatus', response));
  }

  /**
   * DownloadLocation comes back as http://…:80 behind F&O's load balancer, and names the AOS
   * host. Point it at the environment's own origin (scheme and port) when the host is the
   * environment's; otherwise only upgrade http to https.
   */
  repairDownloadLocation(location: string): string {
    const base = new URL(this.#apiBase);
    let url: URL;
    try {
      url = new URL(location);
    } catch {
      throw remoteShape('Dequeue', 'a valid DownloadLocation');
    }
    if (url.hostname.toLowerCase() === base.hostname.toLowerCase()) {
      url.protocol = base.protocol;
      url.port = base.port;
    } else if (url.protocol === 'http:') {
      url.protocol = 'https:';
      if (url.port === '80') url.port = '';
    }
    return url.href;
  }

  /** GET a dequeued message's file (an AOS URL: needs the bearer token). The body is unread. */
  async openDownload(location: string, options: CallOptions = {}): Promise<Response> {
    return this.#http.send({
      method: 'GET',
      url: location,
      repeatable: true,
      label: 'Download',
      signal: options.signal,
      timeoutMs: 30 * 60_000,
    });
  }

  // ── OData reads ───────────────────────────────────────────────────────────────────────────

  /**
   * GET a metadata document: `/data/$metadata`, or the metadata service's `/Metadata/DataEntities`,
   * `/Metadata/PublicEnumerations`, `/Metadata/Labels`. The response's body is unread.
   */
  async metadataDocument(path: string, options: CallOptions = {}): Promise<Response> {
    return this.#http.send({
      method: 'GET',
      url: `${this.#apiBase}${path}`,
      repeatable: true,
      label: `Read ${path}`,
      signal: options.signal,
      // A real $metadata is tens of MB: give it time.
      timeoutMs: 5 * 60_000,
    });
  }

  /**
   * The environment's application and platform versions, best effort (null where it does not
   * answer): the collection-bound actions GetApplicationVersion and GetPlatformBuildVersion of
   * DataManagementEntities, which return an Edm.String [CLIENT: mafzaal/d365fo-client
   * docs/VERSION_METHODS.md].
   */
  async versions(options: CallOptions = {}): Promise<{ application: string | null; platform: string | null }> {
    const ask = async (name: string): Promise<string | null> => {
      try {
        const response = await this.#http.send({
          method: 'POST',
          url: `${this.#apiBase}/data/DataManagementEntities/Microsoft.Dynamics.DataEntities.${name}`,
          body: '{}',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
          repeatable: true,
          label: name,
          signal: options.signal,
          timeoutMs: 30_000,
        });
        const value = ((await readJson(name, response)) as { value?: unknown } | null)?.value;
        return typeof value === 'string' && value.length <= 200 ? value : null;
      } catch (error) {
        if (options.signal?.aborted) throw error;
        return null;
      }
    };
    return { application: await ask('GetApplicationVersion'), platform: await ask('GetPlatformBuildVersion') };
  }

  /** Pages of an entity collection, following @odata.nextLink (F&O pages at 10,000 rows). */
  async *readCollection(
    collection: string,
    query: { filter?: string; select?: readonly string[]; crossCompany?: boolean; pageSize?: number },
    options: CallOptions = {},
  ): AsyncGenerator<Record<string, unknown>[]> {
    const params = new URLSearchParams();
    if (query.crossCompany) params.set('cross-company', 'true');
    if (query.filter) params.set('$filter', query.filter);
    if (query.select?.length) params.set('$select', query.select.join(','));
    if (query.pageSize) params.set('$top', String(query.pageSize));
    let url: string | null = `${this.#apiBase}/data/${encodeURIComponent(collection)}?${params.toString()}`;
    let skip = 0;
    while (url) {
      const response = await this.#http.send({
        method: 'GET',
        url,
        repeatable: true,
        label: `Read ${collection}`,
        signal: options.signal,
      });
      const json = (await readJson(`Read ${collection}`, response)) as { value?: unknown; '@odata.nextLink'?: unknown };
      const rows = Array.isArray(json.value) ? (json.value as Record<string, unknown>[]) : [];
      yield rows;
      if (typeof json['@odata.nextLink'] === 'string') url = json['@odata.nextLink'];
      else if (query.pageSize && rows.length === query.pageSize) {
        skip += rows.length;
        params.set('$skip', String(skip));
        url = `${this.#apiBase}/data/${encodeURIComponent(collection)}?${params.toString()}`;
      } else url = null;
    }
  }

  /** F&O's own count of an entity's records matching a filter (`/data/<set>/$count`, plain text). */
  async countCollection(
    collection: string,
    query: { filter?: string; crossCompany?: boolean },
    options: CallOptions = {},
  ): Promise<number> {
    const params = new URLSearchParams();
    if (query.crossCompany) params.set('cross-company', 'true');
    if (query.filter) params.set('$filter', query.filter);
    const label = `Count ${collection}`;
    const response = await this.#http.send({
      method: 'GET',
      url: `${this.#apiBase}/data/${encodeURIComponent(collection)}/$count?${params.toString()}`,
      repeatable: true,
      label,
      signal: options.signal,
    });
    // The body is a bare number: anything longer than 100 bytes is not a count.
    const text = (await readReplyText(response, label, 100)).trim();
    // The body is the bare number; some services put a BOM before it.
    const count = Number(text.replace(/^\uFEFF/, ''));
    if (!Number.isSafeInteger(count) || count < 0) throw remoteShape(label, 'a count');
    return count;
  }

  /** Whether a data project (DataManagementDefinitionGroups) of this name exists. */
  async dataProjectExists(name: string, options: CallOptions = {}): Promise<boolean> {
    const groups = await this.#collect('DataManagementDefinitionGroups', `Name eq ${odataString(name)}`, options);
    return groups.length > 0;
  }

  /**
   * Makes sure a data project exists with these entities (OData DataManagementDefinitionGroups
   * and DataManagementDefinitionGroupDetails): creates what is missing, and sets the default
   * refresh type of entities already in it. ExportToPackage exports an existing project only.
   */
  async ensureDataProject(
    name: string,
    operation: 'Import' | 'Export',
    entities: readonly { readonly label: string; readonly refreshType: 'FullPush' | 'IncrementalPush' }[],
    options: CallOptions = {},
  ): Promise<void> {
    const quoted = odataString(name);
    if (!(await this.dataProjectExists(name, options))) {
      await this.#odata('POST', '/data/DataManagementDefinitionGroups', 'Create data project', options, {
        Name: name,
        Description: name,
        OperationType: operation,
        GenerateDataPackage: 'Yes',
      });
    }
    const lines = await this.#collect(
      'DataManagementDefinitionGroupDetails',
      `DefinitionGroupId eq ${quoted}`,
      options,
    );
    for (const [i, entity] of entities.entries()) {
      const line = lines.find((l) => String(l.EntityName ?? '').toLowerCase() === entity.label.toLowerCase());
      if (!line) {
        await this.#odata(
          'POST',
          '/data/DataManagementDefinitionGroupDetails',
          `Add ${entity.label} to ${name}`,
          options,
          {
            DefinitionGroupId: name,
            EntityName: entity.label,
            SourceFormat: 'CSV-Unicode',
            DefaultRefreshType: entity.refreshType,
            ExecutionUnit: 1,
            LevelInExecutionUnit: 1,
            SequenceInLevel: i + 1,
          },
        );
      } else if (line.DefaultRefreshType !== entity.refreshType) {
        const key = `(DefinitionGroupId=${quoted},EntityName='${entity.label.replace(/'/g, "''")}')`;
        try {
          await this.#odata(
            'PATCH',
            `/data/DataManagementDefinitionGroupDetails${key}`,
            `Set the refresh type of ${entity.label}`,
            options,
            {
              DefaultRefreshType: entity.refreshType,
            },
          );
        } catch (error) {
          throw new AppError(
            'CONFLICT',
            `${entity.label} in data project ${name} is set to ${String(line.DefaultRefreshType)} and the environment refused to change it` +
              ` (${error instanceof Error ? error.message : String(error)}). Set its Default refresh type to ${entity.refreshType} in F&O.`,
          );
        }
      }
    }
  }

  /** Per-entity counts of an execution (DataManagementExecutionJobDetails). */
  async executionDetails(executionId: string, options: CallOptions = {}): Promise<EntityExecutionDetail[]> {
    const rows: EntityExecutionDetail[] = [];
    const filter = `JobId eq '${executionId.replace(/'/g, "''")}'`;
    for await (const page of this.readCollection('DataManagementExecutionJobDetails', { filter }, options)) {
      for (const row of page) rows.push(toEntityDetail(row));
    }
    return rows;
  }

  async #collect(collection: string, filter: string, options: CallOptions): Promise<Record<string, unknown>[]> {
    const rows: Record<string, unknown>[] = [];
    for await (const page of this.readCollection(collection, { filter }, options)) rows.push(...page);
    return rows;
  }

  /** An OData write. Creating what exists (409) and changing a value to itself are harmless: repeatable. */
  async #odata(
    method: 'POST' | 'PATCH',
    path: string,
    label: string,
    options: CallOptions,
    body: Record<string, unknown>,
  ): Promise<void> {
    const response = await this.#http.send({
      method,
      url: `${this.#apiBase}${path}`,
      body: JSON.stringify(body),
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      repeatable: true,
      label,
      signal: options.signal,
    });
    await response.body?.cancel();
  }

  async #action(
    name: string,
    body: Record<string, unknown>,
    repeatable: boolean,
    options: CallOptions,
    timeoutMs?: number,
  ): Promise<unknown> {
    const response = await this.#http.send({
      method: 'POST',
      url: `${this.#apiBase}${ACTIONS}${name}`,
      body: JSON.stringify(body),
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      repeatable,
      label: name,
      signal: options.signal,
      timeoutMs,
    });
    const json = await readJson(name, response);
    // Every action wraps its result: {"@odata.context": …, "value": …}. The context is ignored.
    if (typeof json !== 'object' || json === null || !('value' in json)) throw remoteShape(name, 'a value');
    return (json as { value: unknown }).value;
  }
}

/** True for F&O's "no such execution" answers. */
export function isUnknownExecution(error: AppError): boolean {
  return (
    (error.code === 'REMOTE_FAILED' || error.code === 'NOT_FOUND') &&
    /not (be )?found|does not exist|unknown execution/i.test(error.message)
  );
}

async function readJson(label: string, response: Response): Promise<unknown> {
  return parseJson(label, await readReplyText(response, label, MAX_JSON_BYTES));
}

function parseJson(label: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError(
      'REMOTE_FAILED',
      `${label} answered with something that is not JSON (${text.slice(0, 80).replace(/\s+/g, ' ')}…). Is the URL an F&O environment?`,
    );
  }
}

/** ExportToPackage and GetExportedPackageUrl are documented as {value:{value:…}}; really flat. Both are read. */
function flatString(label: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'object' && typeof (value as { value?: unknown }).value === 'string') {
    return (value as { value: string }).value;
  }
  throw remoteShape(label, 'a text value');
}

/** A value that is JSON inside a string (GetAzureWriteUrl, GetExecutionErrors). Already-decoded values pass. */
function decodeJsonString(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  if (trimmed === '') return '';
  try {
    return JSON.parse(trimmed);
  } catch {
    return value;
  }
}

function toExecutionError(item: unknown): ExecutionError {
  const raw = (typeof item === 'object' && item !== null ? item : { ErrorMessage: String(item) }) as Record<
    string,
    unknown
  >;
  const pick = (...names: string[]) => {
    for (const name of names) {
      const value = raw[name];
      if (value !== undefined && value !== null && String(value).trim() !== '') return String(value);
    }
    return null;
  };
  return {
    recordId: pick('RecordId', 'RecId', 'recordId'),
    field: pick('Field', 'FieldName', 'field'),
    message: (pick('ErrorMessage', 'Message', 'message') ?? '').replace(/\s+/g, ' ').trim(),
    raw,
  };
}

function num(value: unknown): number {
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : 0;
}

function str(value: unknown): string | null {
  return value === undefined || value === null ? null : String(value);
}

/**
 * DataManagementExecutionJobDetails has no error counts in F&O's $metadata (StagingRecordsToBeProcessedCount,
 * StagingRecordsCreatedCount, TargetRecordsCreatedCount/UpdatedCount): staging errors are the rows to process
 * that did not reach staging, target errors the staged rows that were neither created nor updated once the
 * target step has ended [INFER]. Explicit counts (other shapes, jobstatus) win.
 */
function toEntityDetail(row: Record<string, unknown>): EntityExecutionDetail {
  const toProcess = row.StagingRecordsToBeProcessedCount;
  const staged = row.StagingRecordsCreatedCount;
  const stagingRecords = num(row.StagingRecords ?? staged ?? toProcess ?? row.TotalRecords);
  const targetRecords = num(
    row.TargetRecords ?? num(row.TargetRecordsCreatedCount) + num(row.TargetRecordsUpdatedCount),
  );
  const targetStatus = str(row.TargetStatus);
  const targetEnded = targetStatus !== null && !['NotRun', 'Executing', 'None'].includes(targetStatus);
  return {
    entityName: String(row.EntityName ?? ''),
    company: str(row.Company ?? row.DataAreaId ?? row.dataAreaId),
    stagingRecords,
    stagingStatus: str(row.StagingStatus),
    stagingErrorCount: num(
      row.StagingErrorCount ??
        row.StagingErrorsCount ??
        (toProcess !== undefined && staged !== undefined ? Math.max(0, num(toProcess) - num(staged)) : 0),
    ),
    targetRecords,
    targetStatus,
    targetErrorCount: num(
      row.TargetErrorCount ??
        row.TargetErrorsCount ??
        (staged !== undefined && targetEnded ? Math.max(0, num(staged) - targetRecords) : 0),
    ),
    unit: optionalNum(row.ExecutionUnit),
    level: optionalNum(row.LevelInExecutionUnit),
    sequence: optionalNum(row.SequenceInLevel),
    stagingStartedAt: fnoTime(row.StagingStartDateTime),
    stagingEndedAt: fnoTime(row.StagingEndDateTime),
    targetStartedAt: fnoTime(row.TargetStartDateTime),
    targetEndedAt: fnoTime(row.TargetEndDateTime),
  };
}

function optionalNum(value: unknown): number | null {
  return value === undefined || value === null || !Number.isFinite(Number(value)) ? null : Number(value);
}

/** An Edm.DateTimeOffset as ISO, or null for F&O's empty date (1900-01-01) and for what does not parse. */
function fnoTime(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) && ms > Date.UTC(1900, 0, 2) ? new Date(ms).toISOString() : null;
}

function toJobStatus(json: unknown): DataJobStatusDetail {
  const root = (json ?? {}) as Record<string, unknown>;
  const status = (root.DataJobStatus ?? {}) as Record<string, unknown>;
  const details = Array.isArray(root.ExecutionDetail) ? (root.ExecutionDetail as Record<string, unknown>[]) : [];
  return {
    // Names or numbers (RIS's StringEnumConverter accepts both): numbers are mapped to names.
    dataJobState: dataJobStateName(status.DataJobState),
    executionId: str(status.ExecutionIdentifier),
    dataProject: str(status.DataProject),
    executionLog: str(root.ExecutionLog),
    entities: details.map(toEntityDetail),
  };
}

const DATA_JOB_STATES = [
  'Enqueued',
  'Dequeued',
  'Downloaded',
  'Acked',
  'InProcess',
  'Processed',
  'ProcessedWithErrors',
  'PostProcessError',
  'PreProcessError',
];

function dataJobStateName(value: unknown): string {
  if (typeof value === 'number') return DATA_JOB_STATES[value] ?? String(value);
  return value === undefined || value === null ? 'Unknown' : String(value);
}

function encodeActivity(activityId: string): string {
  // The activity id is a GUID, often with braces; sent URL-encoded (%7B…%7D).
  return encodeURIComponent(activityId.trim());
}

function remoteShape(label: string, expected: string): AppError {
  return new AppError(
    'REMOTE_FAILED',
    `${label} answered without ${expected}. The environment may run a version the workbench does not know; please report it.`,
  );
}

/** An OData string literal: single quotes, inner quotes doubled. */
function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
