import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CatalogEntity, CatalogIndex } from '../../shared/domain/catalog';
import type { EmulatorClock } from '../clock';
import { renderMetadataDocuments } from '../../shared/domain/catalog/metadata/render';
import type { RenderedMetadata } from '../../shared/domain/catalog/metadata/render';
import { BodyTooLargeError, parseJsonObject, readBody, sendJson, sendText } from '../http/http';
import { odataValue } from '../processing/values';
import type { RecordStore } from '../store/records';
import type { DmfService } from './dmfService';
import { entityProgress } from './executions';
import type { EntityProgress, Execution } from './executions';
import { odataError } from './odataError';
import { QueryError, matches, parseReadQuery } from './odataQuery';
import { newProjectEntity } from './projects';
import type { DataProject, ProjectEntity, RefreshType } from './projects';

/**
 * The OData surface: service document, $metadata (EDMX built from the catalog), the metadata
 * service (/Metadata/DataEntities, /Metadata/PublicEnumerations), entity reads with query options
 * and cross-company, and the data project entities (DataManagementDefinitionGroups, …Details).
 * Service protection applies here only (DMF actions are exempt [3P]).
 */
export interface ODataContext {
  readonly baseUrl: string;
  readonly catalog: CatalogIndex;
  readonly store: RecordStore;
  readonly dmf: DmfService;
  readonly clock: EmulatorClock;
  /** The user's default legal entity: reads without cross-company see only it. */
  readonly defaultCompany: string;
  /** A data project changed (persist it). */
  readonly changed: () => void;
}

const NS = 'Microsoft.Dynamics.DataEntities';
/** F&O's server-driven page size. */
const PAGE_SIZE = 10_000;
/** Service protection: 6,000 requests per user per 5-minute window [DOC: service protection API limits]. */
export const SERVICE_PROTECTION = { requests: 6000, windowMs: 5 * 60_000 };

const notFound = (res: ServerResponse, baseUrl: string, path: string): number => {
  odataError(res, 404, `No HTTP resource was found that matches the request URI '${baseUrl}${path}'.`, {
    message: 'No HTTP resource was found that matches the request URI.',
  });
  return 404;
};

export class ServiceProtection {
  readonly #windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly clock: EmulatorClock) {}

  /** Seconds to wait, or 0 when the caller may go on. */
  take(caller: string): number {
    const now = this.clock.now();
    let w = this.#windows.get(caller);
    if (!w || now - w.start >= SERVICE_PROTECTION.windowMs) this.#windows.set(caller, (w = { start: now, count: 0 }));
    w.count += 1;
    return w.count > SERVICE_PROTECTION.requests
      ? Math.max(1, Math.ceil((w.start + SERVICE_PROTECTION.windowMs - now) / 1000))
      : 0;
  }
}

export async function handleOData(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  url: URL,
  ctx: ODataContext,
): Promise<number> {
  const method = req.method ?? 'GET';
  try {
    const metadata = Object.hasOwn(METADATA_DOCUMENTS, path)
      ? METADATA_DOCUMENTS[path as keyof typeof METADATA_DOCUMENTS]
      : undefined;
    if (metadata && method === 'GET') {
      sendJson(res, 200, documents(ctx)[metadata]);
      return 200;
    }
    if ((path === '/data' || path === '/data/') && method === 'GET') {
      return sendValue(
        res,
        ctx,
        '',
        [
          ...collections(ctx.catalog),
          'DataManagementDefinitionGroups',
          'DataManagementDefinitionGroupDetails',
          'DataManagementExecutionJobDetails',
        ].map((name) => ({ name, kind: 'EntitySet', url: name })),
      );
    }
    if (path === '/data/$metadata' && method === 'GET') {
      sendText(res, 200, documents(ctx).edmx, 'application/xml; charset=utf-8');
      return 200;
    }
    const m = /^\/data\/(\w+)(?:\((.*)\))?(\/\$count)?$/.exec(path);
    if (!m?.[1]) return notFound(res, ctx.baseUrl, path);
    const [, set, key, countOnly] = m;
    if (set === 'DataManagementDefinitionGroups' || set === 'DataManagementDefinitionGroupDetails') {
      return await projectsApi(req, res, set, key, url, ctx);
    }
    if (set === 'DataManagementExecutionJobDetails' && key === undefined && !countOnly)
      return executionJobDetails(req, res, set, url, ctx);
    const entity = ctx.catalog.catalog.entities.find((e) => e.publicCollectionName === set);
    if (!entity) return notFound(res, ctx.baseUrl, path);
    if (method !== 'GET') {
      odataError(res, 405, `The emulator serves ${set} read-only: import data through the DMF package API.`, {
        message: 'Method not allowed.',
      });
      return 405;
    }
    return readEntity(res, entity, key ?? null, Boolean(countOnly), url, ctx);
  } catch (error) {
    if (error instanceof QueryError) {
      odataError(res, 400, error.message, { message: error.message });
      return 400;
    }
    if (error instanceof BodyTooLargeError) {
      odataError(res, 413, error.message, { message: 'Request Entity Too Large' });
      return 413;
    }
    throw error;
  }
}

function sendValue(
  res: ServerResponse,
  ctx: ODataContext,
  context: string,
  value: unknown[],
  extra: Record<string, unknown> = {},
): number {
  sendJson(res, 200, {
    '@odata.context': `${ctx.baseUrl}/data/$metadata${context ? `#${context}` : ''}`,
    ...extra,
    value,
  });
  return 200;
}

const collections = (catalog: CatalogIndex): string[] => catalog.catalog.entities.map((e) => e.publicCollectionName);

/** The metadata service's documents by path. */
const METADATA_DOCUMENTS = {
  '/Metadata/DataEntities': 'dataEntities',
  '/Metadata/PublicEnumerations': 'publicEnumerations',
  '/Metadata/Labels': 'labels',
} as const;

/** $metadata and the metadata service, rendered once per catalog by the catalog's own renderer. */
const rendered = new WeakMap<CatalogIndex, RenderedMetadata>();
function documents(ctx: ODataContext): RenderedMetadata {
  let docs = rendered.get(ctx.catalog);
  if (!docs) rendered.set(ctx.catalog, (docs = renderMetadataDocuments(ctx.catalog.catalog, ctx.baseUrl)));
  return docs;
}

function toJson(
  entity: CatalogEntity,
  values: readonly string[],
  company: string,
  version: number,
): Record<string, unknown> {
  const record: Record<string, unknown> = { '@odata.etag': `W/"${Buffer.from(String(version)).toString('base64')}"` };
  if (entity.companySpecific) record.dataAreaId = company.toLowerCase();
  entity.fields.forEach((f, i) => {
    record[f.publicName] = odataValue(f, values[i] ?? '');
  });
  return record;
}

function readEntity(
  res: ServerResponse,
  entity: CatalogEntity,
  key: string | null,
  countOnly: boolean,
  url: URL,
  ctx: ODataContext,
): number {
  const query = parseReadQuery(url.searchParams);
  const table = ctx.store.table(entity);
  const companies = entity.companySpecific ? (query.crossCompany ? table.companies() : [ctx.defaultCompany]) : [''];
  let records: Record<string, unknown>[] = [];
  for (const company of companies)
    for (const r of table.records(company)) records.push(toJson(entity, r.values, company, r.version));
  if (key !== null) {
    const wanted = parseKey(key);
    records = records.filter((r) =>
      Object.entries(wanted).every(([k, v]) => String(r[k] ?? '').toLowerCase() === v.toLowerCase()),
    );
    if (records.length === 0) {
      odataError(res, 404, `No ${entity.publicEntityName} matches the key (${key}).`, { message: 'Not Found' });
      return 404;
    }
  }
  if (query.filter) {
    const filter = query.filter;
    records = records.filter((r) => matches(filter, r));
  }
  if (countOnly) {
    sendText(res, 200, String(records.length));
    return 200;
  }
  const total = records.length;
  const take = Math.min(query.top ?? PAGE_SIZE, PAGE_SIZE);
  let page = records.slice(query.skip, query.skip + take);
  if (query.select) {
    const properties = new Set(['dataAreaId', ...entity.fields.map((f) => f.publicName)]);
    page = selectProperties(page, query.select, properties, entity.publicEntityName);
  }
  if (key !== null) {
    sendJson(res, 200, {
      '@odata.context': `${ctx.baseUrl}/data/$metadata#${entity.publicCollectionName}/$entity`,
      ...page[0],
    });
    return 200;
  }
  const extra: Record<string, unknown> = query.count ? { '@odata.count': total } : {};
  const end = query.skip + page.length;
  const wantedEnd = query.top === null ? total : Math.min(total, query.skip + query.top);
  if (end < wantedEnd) {
    const next = new URL(url.toString());
    next.searchParams.set('$skip', String(end));
    if (query.top !== null) next.searchParams.set('$top', String(query.top - page.length));
    extra['@odata.nextLink'] = next.toString();
  }
  return sendValue(res, ctx, entity.publicCollectionName, page, extra);
}

/** $select: only the chosen properties (and the etag); a property the type lacks is a 400. */
function selectProperties(
  records: Record<string, unknown>[],
  select: readonly string[],
  properties: ReadonlySet<string>,
  typeName: string,
): Record<string, unknown>[] {
  const unknown = select.find((s) => !properties.has(s));
  if (unknown)
    throw new QueryError(
      `The query specified in the URI is not valid. Could not find a property named '${unknown}' on type '${NS}.${typeName}'.`,
    );
  return records.map((r) =>
    Object.fromEntries(Object.entries(r).filter(([k]) => k === '@odata.etag' || select.includes(k))),
  );
}

/** F&O's empty date and time. */
const NO_DATE_TIME = '1900-01-01T00:00:00Z';
const dateTime = (ms: number | null): string =>
  ms === null ? NO_DATE_TIME : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * A DataManagementExecutionJobDetails record [CLIENT: property names from an F&O $metadata-derived
 * client]: one entity of one execution, as far as the emulator clock has got. Statuses are
 * DmfBatchJobStatus names (NotRun, Executing, Finished, Error) [INFER: the enum's values are not
 * published; these are the ones seen].
 */
function jobDetailJson(x: Execution, p: EntityProgress): Record<string, unknown> {
  const e = p.entity;
  return {
    DefinitionGroupId: x.project,
    JobId: x.id,
    EntityName: e.label,
    ExecutionUnit: e.executionUnit ?? 1,
    LevelInExecutionUnit: e.level ?? 1,
    SequenceInLevel: e.sequence ?? 1,
    StagingStatus: p.stagingStatus,
    TargetStatus: p.targetStatus,
    StagingRecordsToBeProcessedCount: p.stagingRecords + p.stagingErrorCount,
    StagingRecordsCreatedCount: p.stagingRecords,
    TargetRecordsCreatedCount: p.targetCreated,
    TargetRecordsUpdatedCount: p.targetUpdated,
    StagingStartDateTime: dateTime(p.stagingStartedAt),
    StagingEndDateTime: dateTime(p.stagingCompletedAt),
    TargetStartDateTime: dateTime(p.targetStartedAt),
    TargetEndDateTime: dateTime(p.targetCompletedAt),
  };
}

const JOB_DETAIL_PROPERTIES = new Set([
  'DefinitionGroupId',
  'JobId',
  'EntityName',
  'ExecutionUnit',
  'LevelInExecutionUnit',
  'SequenceInLevel',
  'StagingStatus',
  'TargetStatus',
  'StagingRecordsToBeProcessedCount',
  'StagingRecordsCreatedCount',
  'TargetRecordsCreatedCount',
  'TargetRecordsUpdatedCount',
  'StagingStartDateTime',
  'StagingEndDateTime',
  'TargetStartDateTime',
  'TargetEndDateTime',
]);

/** DataManagementExecutionJobDetails (read-only): every entity of every execution picked up so far. */
function executionJobDetails(
  req: IncomingMessage,
  res: ServerResponse,
  set: string,
  url: URL,
  ctx: ODataContext,
): number {
  if ((req.method ?? 'GET') !== 'GET') {
    odataError(res, 405, `${set} is read-only: it reports the executions of data projects.`, {
      message: 'Method not allowed.',
    });
    return 405;
  }
  const query = parseReadQuery(url.searchParams);
  const now = ctx.clock.now();
  let records = ctx.dmf.executions
    .list()
    .filter((x) => now >= x.pickupAt)
    .flatMap((x) => x.entities.map((e) => jobDetailJson(x, entityProgress(e, now))));
  if (query.filter) {
    const filter = query.filter;
    records = records.filter((r) => matches(filter, r));
  }
  records = records.slice(query.skip, query.top === null ? undefined : query.skip + query.top);
  if (query.select) records = selectProperties(records, query.select, JOB_DETAIL_PROPERTIES, set);
  return sendValue(res, ctx, set, records);
}

/** `'X'`, `Name='X'` or `A='X',B='Y'` → field → value. */
function parseKey(key: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of key.matchAll(/(?:(\w+)=)?'((?:[^']|'')*)'/g)) out[m[1] ?? ''] = (m[2] ?? '').replace(/''/g, "'");
  if (Object.keys(out).length === 0)
    throw new QueryError(`The query specified in the URI is not valid. Bad key (${key}).`);
  return out;
}

const yesNo = (b: boolean): string => (b ? 'Yes' : 'No');
const isYes = (v: unknown, fallback: boolean): boolean => (v === undefined ? fallback : v === 'Yes' || v === true);

function groupJson(p: DataProject): Record<string, unknown> {
  return {
    Name: p.name,
    Description: p.description,
    OperationType: p.operationType,
    ProjectCategory: 'Project',
    GenerateDataPackage: yesNo(p.generateDataPackage),
    TruncateEntityData: yesNo(p.truncateEntityData),
  };
}

function detailJson(p: DataProject, e: ProjectEntity): Record<string, unknown> {
  return {
    DefinitionGroupId: p.name,
    EntityName: e.entityName,
    ExecutionUnit: e.executionUnit,
    LevelInExecutionUnit: e.level,
    SequenceInLevel: e.sequence,
    SourceFormat: e.sourceFormat,
    DefaultRefreshType: e.defaultRefreshType,
    Disable: yesNo(e.disable),
    FailLevelOnError: yesNo(e.failLevelOnError),
    FailExecutionUnitOnError: yesNo(e.failExecutionUnitOnError),
    RunBusinessLogic: yesNo(e.runBusinessLogic),
    RunBusinessValidation: yesNo(e.runBusinessValidation),
    SkipStaging: yesNo(e.skipStaging),
  };
}

async function projectsApi(
  req: IncomingMessage,
  res: ServerResponse,
  set: string,
  key: string | undefined,
  url: URL,
  ctx: ODataContext,
): Promise<number> {
  const method = req.method ?? 'GET';
  const { dmf } = ctx;
  const bad = (message: string, status = 400): number => {
    odataError(res, status, message, { message });
    return status;
  };
  const body = async (): Promise<Record<string, unknown> | null> => parseJsonObject(await readBody(req, 1024 * 1024));
  if (set === 'DataManagementDefinitionGroups') {
    const name = key === undefined ? null : (parseKey(key).Name ?? parseKey(key)[''] ?? '');
    const project = name === null ? undefined : dmf.projects.get(name);
    if (method === 'GET') {
      if (name === null) {
        const query = parseReadQuery(url.searchParams);
        const all = dmf.projects
          .list()
          .map(groupJson)
          .filter((g) => !query.filter || matches(query.filter, g));
        return sendValue(res, ctx, set, all);
      }
      if (!project) return bad(`The data project '${name}' does not exist.`, 404);
      sendJson(res, 200, { '@odata.context': `${ctx.baseUrl}/data/$metadata#${set}/$entity`, ...groupJson(project) });
      return 200;
    }
    if (method === 'POST' && name === null) {
      const b = await body();
      if (!b || typeof b.Name !== 'string' || !b.Name.trim()) return bad('The body must be a JSON object with a Name.');
      if (dmf.projects.get(b.Name)) return bad(`A data project named '${b.Name}' already exists.`, 409);
      const operation = b.OperationType === 'Export' ? 'Export' : 'Import';
      const created: DataProject = {
        name: b.Name.trim(),
        description: typeof b.Description === 'string' ? b.Description : '',
        operationType: operation,
        generateDataPackage: isYes(b.GenerateDataPackage, true),
        truncateEntityData: isYes(b.TruncateEntityData, false),
        entities: [],
        watermarks: {},
      };
      dmf.projects.put(created);
      ctx.changed();
      sendJson(res, 201, { '@odata.context': `${ctx.baseUrl}/data/$metadata#${set}/$entity`, ...groupJson(created) });
      return 201;
    }
    if (method === 'PATCH' && project) {
      const b = await body();
      if (!b) return bad('The body must be a JSON object.');
      if (typeof b.Description === 'string') project.description = b.Description;
      if (b.OperationType === 'Import' || b.OperationType === 'Export') project.operationType = b.OperationType;
      project.truncateEntityData = isYes(b.TruncateEntityData, project.truncateEntityData);
      ctx.changed();
      res.writeHead(204).end();
      return 204;
    }
    if (method === 'DELETE' && project) {
      dmf.projects.delete(project.name);
      ctx.changed();
      res.writeHead(204).end();
      return 204;
    }
    return name !== null && !project
      ? bad(`The data project '${name}' does not exist.`, 404)
      : bad(`${method} is not supported on ${set}.`, 405);
  }
  // DataManagementDefinitionGroupDetails
  if (method === 'GET') {
    const query = parseReadQuery(url.searchParams);
    const all = dmf.projects
      .list()
      .flatMap((p) => p.entities.map((e) => detailJson(p, e)))
      .filter((d) => !query.filter || matches(query.filter, d));
    return sendValue(res, ctx, set, all);
  }
  if (method === 'POST' && key === undefined) {
    const b = await body();
    if (!b || typeof b.DefinitionGroupId !== 'string' || typeof b.EntityName !== 'string')
      return bad('The body must be a JSON object with DefinitionGroupId and EntityName.');
    const project = dmf.projects.get(b.DefinitionGroupId);
    if (!project) return bad(`The data project '${b.DefinitionGroupId}' does not exist.`);
    const entity = ctx.catalog.findEntity(b.EntityName);
    if (!entity) return bad(`Entity '${b.EntityName}' is not a data entity of this environment.`);
    if (project.entities.some((e) => e.targetEntity === entity.targetEntity))
      return bad(`Entity '${entity.label}' is already in data project '${project.name}'.`, 409);
    const num = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isInteger(v) ? v : fallback);
    const line = newProjectEntity(entity.label, entity.targetEntity, {
      sourceFormat: typeof b.SourceFormat === 'string' && b.SourceFormat ? b.SourceFormat : 'CSV-Unicode',
      executionUnit: num(b.ExecutionUnit, 1),
      level: num(b.LevelInExecutionUnit, 1),
      sequence: num(b.SequenceInLevel, project.entities.length + 1),
      defaultRefreshType: (b.DefaultRefreshType === 'IncrementalPush' ? 'IncrementalPush' : 'FullPush') as RefreshType,
      failLevelOnError: isYes(b.FailLevelOnError, false),
      failExecutionUnitOnError: isYes(b.FailExecutionUnitOnError, false),
      disable: isYes(b.Disable, false),
    });
    project.entities.push(line);
    ctx.changed();
    sendJson(res, 201, {
      '@odata.context': `${ctx.baseUrl}/data/$metadata#${set}/$entity`,
      ...detailJson(project, line),
    });
    return 201;
  }
  return bad(`${method} is not supported on ${set}.`, 405);
}
