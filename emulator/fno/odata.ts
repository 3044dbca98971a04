import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CatalogEntity, CatalogIndex, EntityCatalog } from '../../shared/domain/catalog';
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
import { QueryError, filterFields, matches, parseReadQuery, sortRecords } from './odataQuery';
import type { ReadQuery } from './odataQuery';
import { writeEntity } from './odataWrite';
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

export const NS = 'Microsoft.Dynamics.DataEntities';
/** F&O's server-driven page size. */
const PAGE_SIZE = 10_000;

const notFound = (res: ServerResponse, baseUrl: string, path: string): number => {
  odataError(res, 404, `No HTTP resource was found that matches the request URI '${baseUrl}${path}'.`, {
    message: 'No HTTP resource was found that matches the request URI.',
  });
  return 404;
};

export async function handleOData(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  url: URL,
  ctx: ODataContext,
): Promise<number> {
  const method = req.method ?? 'GET';
  try {
    const service = /^\/Metadata\/(\w+)(?:\((.*)\))?$/.exec(path);
    if (service?.[1] && Object.hasOwn(METADATA_DOCUMENTS, service[1])) {
      if (method !== 'GET') return methodNotAllowed(res, `/Metadata/${service[1]}`);
      return metadataService(res, service[1] as keyof typeof METADATA_DOCUMENTS, service[2] ?? null, url, ctx);
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
    if (method === 'GET') return readEntity(res, entity, key ?? null, Boolean(countOnly), url, ctx);
    if (countOnly) return methodNotAllowed(res, path);
    return await writeEntity(req, res, entity, key ?? null, ctx);
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

/** The metadata service's documents (/Metadata/<name>) and the key of their records. */
const METADATA_DOCUMENTS = {
  DataEntities: { document: 'dataEntities', key: 'Name' },
  PublicEntities: { document: 'publicEntities', key: 'Name' },
  PublicEnumerations: { document: 'publicEnumerations', key: 'Name' },
  Labels: { document: 'labels', key: 'Id' },
} as const;

const methodNotAllowed = (res: ServerResponse, path: string): number => {
  odataError(res, 405, `The requested resource ${path} does not support this HTTP method.`, {
    message: 'The requested resource does not support http method.',
  });
  return 405;
};

/** /Metadata/<document>, with $filter, $select, $orderby, $top, $skip, $count and key access. */
function metadataService(
  res: ServerResponse,
  name: keyof typeof METADATA_DOCUMENTS,
  key: string | null,
  url: URL,
  ctx: ODataContext,
): number {
  const { document, key: keyName } = METADATA_DOCUMENTS[name];
  const all = documents(ctx)[document].value as Record<string, unknown>[];
  const context = `${ctx.baseUrl}/Metadata/$metadata#${name}`;
  if (key !== null) {
    const wanted = parseKey(key);
    const value = wanted[keyName] ?? wanted[''] ?? '';
    const found = all.find((r) => String(r[keyName]).toLowerCase() === value.toLowerCase());
    if (!found) {
      odataError(res, 404, `No ${name} record has the key ${keyName}='${value}'.`, { message: 'Not Found' });
      return 404;
    }
    sendJson(res, 200, { '@odata.context': `${context}/$entity`, ...found });
    return 200;
  }
  const query = parseReadQuery(url.searchParams);
  const properties = new Set(all.flatMap((r) => Object.keys(r)));
  return sendPage(res, context, all, query, url, properties, name);
}

/** One page of records by $filter, $orderby, $skip, $top, $select and $count, with nextLink. */
function sendPage(
  res: ServerResponse,
  context: string,
  source: Record<string, unknown>[],
  query: ReadQuery,
  url: URL,
  properties: ReadonlySet<string>,
  typeName: string,
  countOnly = false,
): number {
  for (const field of [...(query.filter ? filterFields(query.filter) : []), ...query.orderBy.map((o) => o.field)])
    if (!properties.has(field)) throw unknownProperty(field, typeName);
  const filter = query.filter;
  const records = filter ? source.filter((r) => matches(filter, r)) : [...source];
  sortRecords(records, query.orderBy);
  if (countOnly) {
    sendText(res, 200, String(records.length));
    return 200;
  }
  const total = records.length;
  const take = Math.min(query.top ?? PAGE_SIZE, PAGE_SIZE);
  let page = records.slice(query.skip, query.skip + take);
  if (query.select) page = selectProperties(page, query.select, properties, typeName);
  const extra: Record<string, unknown> = query.count ? { '@odata.count': total } : {};
  const end = query.skip + page.length;
  const wantedEnd = query.top === null ? total : Math.min(total, query.skip + query.top);
  if (end < wantedEnd) {
    const next = new URL(url.toString());
    next.searchParams.set('$skip', String(end));
    if (query.top !== null) next.searchParams.set('$top', String(query.top - page.length));
    extra['@odata.nextLink'] = next.toString();
  }
  sendJson(res, 200, { '@odata.context': context, ...extra, value: page });
  return 200;
}

const unknownProperty = (name: string, typeName: string): QueryError =>
  new QueryError(
    `The query specified in the URI is not valid. Could not find a property named '${name}' on type '${NS}.${typeName}'.`,
  );

/**
 * $metadata and the metadata service, rendered once per catalog by the catalog's own renderer
 * (again after the emulator learnt an entity: the catalog is then a new object).
 */
const rendered = new WeakMap<EntityCatalog, RenderedMetadata>();
function documents(ctx: ODataContext): RenderedMetadata {
  const catalog = ctx.catalog.catalog;
  let docs = rendered.get(catalog);
  if (!docs) rendered.set(catalog, (docs = renderMetadataDocuments(catalog, ctx.baseUrl)));
  return docs;
}

export function toJson(
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
  const properties = propertiesOf(entity);
  if (key !== null) {
    const { company, values } = entityKey(entity, key, ctx);
    const found = table.find(company, values);
    if (!found) {
      odataError(res, 404, `No ${entity.publicEntityName} matches the key (${key}).`, { message: 'Not Found' });
      return 404;
    }
    let record = toJson(entity, found.values, company, found.version);
    if (query.select) record = selectProperties([record], query.select, properties, entity.publicEntityName)[0] ?? {};
    sendJson(res, 200, {
      '@odata.context': `${ctx.baseUrl}/data/$metadata#${entity.publicCollectionName}/$entity`,
      ...record,
    });
    return 200;
  }
  const companies = entity.companySpecific ? (query.crossCompany ? table.companies() : [ctx.defaultCompany]) : [''];
  const records: Record<string, unknown>[] = [];
  for (const company of companies)
    for (const r of table.records(company)) records.push(toJson(entity, r.values, company, r.version));
  const context = `${ctx.baseUrl}/data/$metadata#${entity.publicCollectionName}`;
  return sendPage(res, context, records, query, url, properties, entity.publicEntityName, countOnly);
}

export const propertiesOf = (entity: CatalogEntity): Set<string> =>
  new Set([...(entity.companySpecific ? ['dataAreaId'] : []), ...entity.fields.map((f) => f.publicName)]);

/**
 * A key in the URL: every key property named (dataAreaId first for company-specific entities), or
 * a single unnamed value for a one-field key. [INFER] dataAreaId in the key reads that company
 * without cross-company. Anything else is ODataLib's key-count error.
 */
export function entityKey(
  entity: CatalogEntity,
  key: string,
  ctx: ODataContext,
): { company: string; values: string[] } {
  const given = parseKey(key);
  const keyProperties = entity.keys.map((k) => entity.fields.find((f) => f.name === k)?.publicName ?? k);
  const wanted = [...(entity.companySpecific ? ['dataAreaId'] : []), ...keyProperties];
  const names = Object.keys(given);
  const single = names.length === 1 && names[0] === '' && keyProperties.length === 1;
  if (!single && (names.length !== wanted.length || !wanted.every((w) => Object.hasOwn(given, w)))) {
    throw new QueryError(
      `The number of keys specified in the URI does not match number of key properties for the resource '${NS}.${entity.publicEntityName}'. Name them all: (${wanted.map((w) => `${w}='…'`).join(',')}).`,
    );
  }
  const company = entity.companySpecific ? (single ? ctx.defaultCompany : (given.dataAreaId ?? '')) : '';
  return { company, values: single ? [given[''] ?? ''] : keyProperties.map((k) => given[k] ?? '') };
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
export function parseKey(key: string): Record<string, string> {
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
