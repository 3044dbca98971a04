import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CatalogEntity, CatalogField } from '../../shared/domain/catalog';
import { BodyTooLargeError, parseJsonObject, readBody, sendJson } from '../http/http';
import { IIS_MAX_CONTENT_LENGTH, iisTooLarge } from '../http/iis';
import { convertValue } from '../processing/values';
import { isLegalEntity, unknownLegalEntityMessage } from '../store/legalEntities';
import type { EntityTable } from '../store/records';
import type { ODataContext } from './odata';
import { NS, entityKey, propertiesOf, toJson } from './odata';
import { odataError } from './odataError';

/**
 * POST, PATCH (and PUT) and DELETE on a data entity's collection, as F&O's OData answers them
 * [DOC: odata.md "create, update and delete"]: ODataLib refuses a property the type does not have
 * or a value of the wrong JSON type (400); F&O's write then runs the entity's validations:
 * mandatory fields, references to other entities, duplicate keys, and answers with the infolog
 * ("Write failed for table row of type …") [INFER: status 400 and the exact wording of these
 * infolog lines; the messages are AX's own labels]. Created → 201 with the record; updated or
 * deleted → 204.
 */
type Values = string[];

class WriteFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly outer = 'An error has occurred.',
  ) {
    super(message);
  }
}

const jsonKind = (f: CatalogField): 'string' | 'number' =>
  f.type === 'Int' || f.type === 'Int64' || f.type === 'Real' ? 'number' : 'string';

const edmOf = (f: CatalogField): string =>
  f.type === 'Enum' || f.type === 'NoYes'
    ? `${NS}.${f.enumType ?? 'NoYes'}`
    : ({
        String: 'Edm.String',
        Int: 'Edm.Int32',
        Int64: 'Edm.Int64',
        Real: 'Edm.Decimal',
        Date: 'Edm.Date',
        UtcDateTime: 'Edm.DateTimeOffset',
        Time: 'Edm.TimeOfDay',
        Guid: 'Edm.Guid',
      }[f.type] ?? 'Edm.String');

export async function writeEntity(
  req: IncomingMessage,
  res: ServerResponse,
  entity: CatalogEntity,
  key: string | null,
  ctx: ODataContext,
): Promise<number> {
  const method = req.method ?? 'GET';
  const table = ctx.store.table(entity);
  try {
    if (method === 'POST' && key === null) return await create(req, res, entity, table, ctx);
    if ((method === 'PATCH' || method === 'PUT' || method === 'DELETE') && key !== null) {
      const { company, values: keyValues } = entityKey(entity, key, ctx);
      const existing = table.find(company, keyValues);
      if (!existing)
        throw new WriteFailure(404, `No ${entity.publicEntityName} matches the key (${key}).`, 'Not Found');
      if (method === 'DELETE') {
        table.delete(company, keyValues);
        ctx.changed();
        res.writeHead(204).end();
        return 204;
      }
      const body = await jsonBody(req, res);
      if (body === null) return res.statusCode;
      const values = [...existing.values];
      applyBody(entity, body, values, { update: true }, ctx);
      // The key is the record's identity: changing it is a new record (delete, then create).
      for (const i of table.keyIndex)
        if ((values[i] ?? '').toLowerCase() !== (existing.values[i] ?? '').toLowerCase())
          throw new WriteFailure(
            400,
            `The key field ${entity.fields[i]?.publicName ?? ''} of ${entity.label} cannot be changed.`,
          );
      validate(entity, values, company, ctx);
      table.upsert(company, values);
      ctx.changed();
      res.writeHead(204).end();
      return 204;
    }
    throw new WriteFailure(
      405,
      key === null
        ? `${method} needs a key: ${entity.publicCollectionName}(<key>).`
        : `${method} is not supported on one ${entity.publicEntityName}: POST to the collection to create one.`,
      'The requested resource does not support http method.',
    );
  } catch (error) {
    if (!(error instanceof WriteFailure)) throw error;
    odataError(res, error.status, error.message, { message: error.outer });
    return error.status;
  }
}

async function jsonBody(req: IncomingMessage, res: ServerResponse): Promise<Record<string, unknown> | null> {
  let raw: Buffer;
  try {
    raw = await readBody(req, IIS_MAX_CONTENT_LENGTH);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    iisTooLarge(req, res);
    return null;
  }
  const body = parseJsonObject(raw);
  if (!body)
    throw new WriteFailure(
      400,
      "The request body must be a JSON object of the entity's properties.",
      'The input was not valid.',
    );
  return body;
}

async function create(
  req: IncomingMessage,
  res: ServerResponse,
  entity: CatalogEntity,
  table: EntityTable,
  ctx: ODataContext,
): Promise<number> {
  const body = await jsonBody(req, res);
  if (body === null) return res.statusCode;
  const values: Values = entity.fields.map(() => '');
  applyBody(entity, body, values, { update: false }, ctx);
  const company = entity.companySpecific
    ? typeof body.dataAreaId === 'string' && body.dataAreaId
      ? body.dataAreaId.toUpperCase()
      : ctx.defaultCompany
    : '';
  if (entity.companySpecific && !isLegalEntity(ctx.store, company))
    throw new WriteFailure(400, unknownLegalEntityMessage(ctx.store, company, 'dataAreaId'));
  const keyValues = table.keyIndex.map((i) => values[i] ?? '');
  if (table.hasKey(company, keyValues)) {
    throw new WriteFailure(
      400,
      `Write failed for table row of type '${entity.targetEntity}'. Infolog: Error: Cannot create a record in ${entity.label} (${entity.targetEntity}). ${entity.keys
        .map((k, i) => `${k}: ${keyValues[i] ?? ''}`)
        .join(', ')}. The record already exists.`,
    );
  }
  validate(entity, values, company, ctx);
  table.upsert(company, values);
  ctx.changed();
  const record = toJson(entity, values, company, table.find(company, keyValues)?.version ?? 0);
  const location = `${ctx.baseUrl}/data/${entity.publicCollectionName}(${[
    ...(entity.companySpecific ? [`dataAreaId='${company.toLowerCase()}'`] : []),
    ...entity.keys.map(
      (k, i) =>
        `${entity.fields.find((f) => f.name === k)?.publicName ?? k}='${(keyValues[i] ?? '').replace(/'/g, "''")}'`,
    ),
  ].join(',')})`;
  sendJson(
    res,
    201,
    { '@odata.context': `${ctx.baseUrl}/data/$metadata#${entity.publicCollectionName}/$entity`, ...record },
    { location },
  );
  return 201;
}

/** ODataLib's reading of the body: known properties of the right JSON type, converted as DMF would. */
function applyBody(
  entity: CatalogEntity,
  body: Readonly<Record<string, unknown>>,
  values: Values,
  options: { update: boolean },
  ctx: ODataContext,
): void {
  const properties = propertiesOf(entity);
  for (const [name, value] of Object.entries(body)) {
    if (name.includes('@')) continue;
    if (!properties.has(name))
      throw new WriteFailure(
        400,
        `The property '${name}' does not exist on type '${NS}.${entity.publicEntityName}'. Make sure to only use property names that are defined by the type.`,
        'The input was not valid.',
      );
    if (name === 'dataAreaId') {
      if (options.update) throw new WriteFailure(400, 'dataAreaId cannot be changed: it is part of the key.');
      if (typeof value !== 'string') throw wrongType('Edm.String');
      continue;
    }
    const index = entity.fields.findIndex((f) => f.publicName === name);
    const field = entity.fields[index] as CatalogField;
    if (value === null) {
      if (jsonKind(field) === 'string' && field.type === 'String') {
        values[index] = '';
        continue;
      }
      throw new WriteFailure(
        400,
        `A null value was found for the property named '${name}', which has the expected type '${edmOf(field)}[Nullable=False]'. The expected type '${edmOf(field)}[Nullable=False]' does not allow null values.`,
        'The input was not valid.',
      );
    }
    if (typeof value !== jsonKind(field)) throw wrongType(edmOf(field));
    const converted = convertValue(
      field,
      String(value),
      field.enumType ? ctx.catalog.findEnum(field.enumType) : undefined,
    );
    if (!converted.ok) throw new WriteFailure(400, converted.message, 'The input was not valid.');
    values[index] = converted.value;
  }
}

const wrongType = (edm: string): WriteFailure =>
  new WriteFailure(
    400,
    `Cannot convert a primitive value to the expected type '${edm}'. See the inner exception for more details.`,
    'The input was not valid.',
  );

/** The entity's validations on write: mandatory fields and references to other entities' records. */
function validate(entity: CatalogEntity, values: Values, company: string, ctx: ODataContext): void {
  const keys = new Set(entity.keys);
  const failed = (line: string): WriteFailure =>
    new WriteFailure(400, `Write failed for table row of type '${entity.targetEntity}'. Infolog: Error: ${line}`);
  entity.fields.forEach((f, i) => {
    if ((f.mandatory || keys.has(f.name)) && (values[i] ?? '') === '')
      throw failed(`Field '${f.publicName}' must be filled in.`);
  });
  const table = ctx.store.table(entity);
  for (const rel of entity.relations) {
    const target = ctx.store.tableByName(rel.target);
    const idx = rel.fields.map((f) => table.fieldIndex.get(f) ?? -1);
    if (!target || idx.includes(-1)) continue;
    const refValues = idx.map((i) => values[i] ?? '');
    if (refValues.some((v) => v === '')) continue;
    if (target === table && rel.targetFields.every((f, k) => table.keyIndex[k] === table.fieldIndex.get(f))) continue;
    if (!target.hasValues(company, rel.targetFields, refValues)) {
      const field = entity.fields[idx[0] ?? -1]?.publicName ?? rel.fields[0] ?? '';
      throw failed(
        `The value '${refValues.join(', ')}' in field '${field}' is not found in the relating table '${target.entity.label}'.`,
      );
    }
  }
}
