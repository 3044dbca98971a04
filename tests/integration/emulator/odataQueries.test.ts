import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../emulator';
import type { Emulator } from '../../../emulator';
import { appToken } from '../../support/emulatorHttp';
import type { Json } from '../../support/emulatorHttp';

/**
 * F&O's OData on the emulator (issue #13 item 4): each case is one the issue found answered
 * wrongly without saying so ($orderby ignored, `*` wildcard matching nothing, not() a 400, writes
 * 405, /Metadata/* without query options or key access, no PublicEntities).
 */
let emulator: Emulator;
let token: string;

beforeAll(async () => {
  emulator = await startEmulator({ clock: { manual: true }, speed: 'max' });
  token = await appToken(emulator);
});
afterAll(async () => {
  await emulator?.stop();
});

async function call(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Json; headers: Headers }> {
  const res = await fetch(`${emulator.baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let parsed: Json = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // $count is plain text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}
const get = (path: string) => call('GET', path);
const q = (s: string) => encodeURIComponent(s);

describe('reading entities', () => {
  it('orders by several properties, asc and desc', async () => {
    const res = await get(
      `/data/CustomerGroups?$orderby=${q('PaymentTermId desc,CustomerGroupId')}&$select=CustomerGroupId,PaymentTermId`,
    );
    expect(res.status).toBe(200);
    const rows = (res.body.value as { CustomerGroupId: string; PaymentTermId: string }[]).map((r) => [
      r.PaymentTermId,
      r.CustomerGroupId,
    ]);
    expect(rows).toEqual([
      ['Net30', '10'],
      ['Net30', '30'],
      ['Net10', '20'],
      ['COD', '80'],
    ]);
    expect((await get(`/data/CustomerGroups?$orderby=${q('Nope desc')}`)).status).toBe(400);
  });

  it('filters with not, parentheses and the * wildcard in string equality', async () => {
    const ids = async (filter: string) =>
      ((await get(`/data/CustomerGroups?$filter=${q(filter)}`)).body.value as { CustomerGroupId: string }[])
        .map((r) => r.CustomerGroupId)
        .sort();
    expect(await ids("Description eq 'Wholesale*'")).toEqual(['10']);
    expect(await ids("Description eq '*customers'")).toEqual(['10', '20', '30', '80']);
    expect(await ids("not (PaymentTermId eq 'Net30')")).toEqual(['20', '80']);
    expect(await ids("(PaymentTermId eq 'Net30' or PaymentTermId eq 'COD') and not(CustomerGroupId eq '30')")).toEqual([
      '10',
      '80',
    ]);
    expect(await ids("CustomerGroupId ge '20' and CustomerGroupId lt '80'")).toEqual(['20', '30']);
    expect(await ids("Description ne '*customers'")).toEqual([]);
    const unknown = await get(`/data/CustomerGroups?$filter=${q("Nope eq 'x'")}`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.innererror.message).toContain("Could not find a property named 'Nope'");
    const fn = await get(`/data/CustomerGroups?$filter=${q("contains(Description,'x')")}`);
    expect(fn.status).toBe(400);
  });

  it('counts, pages with $top/$skip, and reads across companies', async () => {
    const usmf = await get('/data/CustomersV3?$count=true&$top=25&$select=CustomerAccount');
    expect(usmf.body['@odata.count']).toBe(60);
    expect(usmf.body.value).toHaveLength(25);
    // A client-driven page ($top) gets no nextLink; $skip goes on from there.
    expect(usmf.body['@odata.nextLink']).toBeUndefined();
    const rest = await get('/data/CustomersV3?$skip=50&$select=CustomerAccount&$orderby=CustomerAccount');
    expect(rest.body.value).toHaveLength(10);
    expect((await get('/data/CustomersV3/$count')).body).toBe(60);
    const all = await get('/data/CustomersV3/$count?cross-company=true');
    expect(all.body).toBe(60 + 25 + 60);
    const deCustomers = await get(
      `/data/CustomersV3?cross-company=true&$filter=${q("dataAreaId eq 'demf'")}&$count=true&$top=0`,
    );
    expect(deCustomers.body['@odata.count']).toBe(60);
    expect((await get('/data/CustomersV3?$expand=CustomerGroup')).status).toBe(400);
  });

  it('reads one record by its key with dataAreaId, and refuses a partial key', async () => {
    const one = await get("/data/CustomerGroups(dataAreaId='demf',CustomerGroupId='20')");
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ dataAreaId: 'demf', CustomerGroupId: '20', PaymentTermId: 'Net14' });
    expect((await get("/data/CustomerGroups(dataAreaId='usmf',CustomerGroupId='99')")).status).toBe(404);
    const partial = await get("/data/CustomerGroups(CustomerGroupId='20')");
    expect(partial.status).toBe(400);
    expect(partial.body.error.innererror.message).toContain('number of keys');
  });
});

describe('writing entities', () => {
  it('creates a record (201 + Location), refuses a duplicate, an unknown property, a missing key and a broken reference', async () => {
    const created = await call('POST', '/data/CustomerGroups', {
      dataAreaId: 'usmf',
      CustomerGroupId: '90',
      Description: 'Made over OData',
      PaymentTermId: 'Net45',
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(
      `${emulator.baseUrl}/data/CustomerGroups(dataAreaId='usmf',CustomerGroupId='90')`,
    );
    expect(created.body).toMatchObject({ CustomerGroupId: '90', Description: 'Made over OData', dataAreaId: 'usmf' });
    expect((await get("/data/CustomerGroups(dataAreaId='usmf',CustomerGroupId='90')")).body.Description).toBe(
      'Made over OData',
    );

    const again = await call('POST', '/data/CustomerGroups', { CustomerGroupId: '90', Description: 'x' });
    expect(again.status).toBe(400);
    expect(again.body.error.innererror.message).toContain('The record already exists');
    const unknown = await call('POST', '/data/CustomerGroups', { CustomerGroupId: '91', Descripton: 'typo' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.innererror.message).toContain(
      "The property 'Descripton' does not exist on type 'Microsoft.Dynamics.DataEntities.CustomerGroup'",
    );
    const noKey = await call('POST', '/data/CustomerGroups', { Description: 'no id' });
    expect(noKey.body.error.innererror.message).toContain("Field 'CustomerGroupId' must be filled in.");
    const badRef = await call('POST', '/data/CustomerGroups', { CustomerGroupId: '92', PaymentTermId: 'Net999' });
    expect(badRef.status).toBe(400);
    expect(badRef.body.error.innererror.message).toContain(
      "The value 'Net999' in field 'PaymentTermId' is not found in the relating table 'Terms of payment'.",
    );
    const wrongType = await call('POST', '/data/CustomerGroups', { CustomerGroupId: 93 });
    expect(wrongType.body.error.innererror.message).toContain("expected type 'Edm.String'");
    expect((await get("/data/CustomerGroups(dataAreaId='usmf',CustomerGroupId='92')")).status).toBe(404);
  });

  it('updates with PATCH (204), refuses a key change, and deletes (204, then 404)', async () => {
    const key = "/data/CustomerGroups(dataAreaId='usmf',CustomerGroupId='80')";
    expect((await call('PATCH', key, { Description: 'Patched' })).status).toBe(204);
    expect((await get(key)).body.Description).toBe('Patched');
    expect((await call('PATCH', key, { CustomerGroupId: '81' })).status).toBe(400);
    expect((await call('PATCH', key, { PaymentTermId: 'Nope' })).status).toBe(400);
    expect((await call('DELETE', key)).status).toBe(204);
    expect((await get(key)).status).toBe(404);
    expect((await call('DELETE', key)).status).toBe(404);
    expect((await call('DELETE', '/data/CustomerGroups')).status).toBe(405);
  });
});

describe('the metadata service', () => {
  it('/Metadata/DataEntities takes $filter, $select, $top and key access', async () => {
    const filtered = await get(
      `/Metadata/DataEntities?$filter=${q("PublicCollectionName eq 'Customer*'")}&$select=Name,PublicCollectionName&$orderby=Name`,
    );
    expect(filtered.status).toBe(200);
    const names = (filtered.body.value as { Name: string }[]).map((r) => r.Name);
    expect(names).toContain('CustCustomerGroupEntity');
    expect(names).toEqual([...names].sort());
    expect(Object.keys(filtered.body.value[0] as object).sort()).toEqual(['Name', 'PublicCollectionName']);
    expect((await get('/Metadata/DataEntities?$top=2')).body.value).toHaveLength(2);
    const one = await get("/Metadata/DataEntities('CustCustomerV3Entity')");
    expect(one.body).toMatchObject({ Name: 'CustCustomerV3Entity', PublicCollectionName: 'CustomersV3' });
    expect((await get("/Metadata/DataEntities('NoSuchEntity')")).status).toBe(404);
  });

  it('serves /Metadata/PublicEntities and /Metadata/PublicEnumerations with key access', async () => {
    const entity = await get("/Metadata/PublicEntities('CustomerGroup')");
    expect(entity.status).toBe(200);
    expect(entity.body).toMatchObject({ Name: 'CustomerGroup', EntitySetName: 'CustomerGroups', IsReadOnly: false });
    const properties = entity.body.Properties as { Name: string; IsKey: boolean }[];
    expect(properties.filter((p) => p.IsKey).map((p) => p.Name)).toEqual(['dataAreaId', 'CustomerGroupId']);
    expect((entity.body.NavigationProperties as { RelatedEntity: string }[]).map((n) => n.RelatedEntity)).toContain(
      'PaymentTerm',
    );
    const count = await get('/Metadata/PublicEntities/$count');
    expect(count.status).toBe(404);
    const listed = await get(`/Metadata/PublicEntities?$count=true&$top=1&$select=Name`);
    expect(listed.body['@odata.count']).toBeGreaterThan(50);
    const noYes = await get("/Metadata/PublicEnumerations('NoYes')");
    expect((noYes.body.Members as { Name: string }[]).map((m) => m.Name)).toEqual(['No', 'Yes']);
    expect((await call('POST', '/Metadata/DataEntities', {})).status).toBe(405);
  });
});
