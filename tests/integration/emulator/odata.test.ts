import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEdmx } from '../../../electron/services/metadata/edmxReader';
import { BUILT_IN_CATALOG } from '../../../shared/domain/catalog';
import { buildCatalogFromMetadata } from '../../../shared/domain/catalog/metadata/build';
import { startEmulator } from '../../../emulator';
import type { Emulator } from '../../../emulator';
import { appToken } from '../../support/emulatorHttp';
import type { Json } from '../../support/emulatorHttp';

let emulator: Emulator;
let token: string;

beforeAll(async () => {
  emulator = await startEmulator({ clock: { manual: true }, speed: 'max' });
  token = await appToken(emulator);
});
afterAll(async () => {
  await emulator?.stop();
});

async function get(path: string): Promise<{ status: number; body: Json; headers: Headers }> {
  const res = await fetch(`${emulator.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  let body: Json = text;
  try {
    body = JSON.parse(text);
  } catch {
    // $metadata and $count are not JSON
  }
  return { status: res.status, body, headers: res.headers };
}

describe('OData surface', () => {
  it('serves $metadata and the metadata service so that a live catalog built from them equals the built-in one', async () => {
    const edmx = await get('/data/$metadata');
    expect(edmx.status).toBe(200);
    expect(edmx.headers.get('content-type')).toContain('application/xml');
    const [dataEntities, publicEnumerations, labels] = await Promise.all(
      ['/Metadata/DataEntities', '/Metadata/PublicEnumerations', '/Metadata/Labels'].map(
        async (p) => (await get(p)).body,
      ),
    );
    const { catalog } = buildCatalogFromMetadata({
      origin: emulator.baseUrl,
      edmx: await parseEdmx([edmx.body as string], '$metadata'),
      dataEntities,
      publicEnumerations,
      labels,
    });
    const live = catalog.entities.find((e) => e.targetEntity === 'CustCustomerV3Entity')!;
    const builtIn = BUILT_IN_CATALOG.entities.find((e) => e.targetEntity === 'CustCustomerV3Entity')!;
    expect(live.label).toBe('Customers V3');
    expect(live.keys).toEqual(builtIn.keys);
    expect(live.companySpecific).toBe(true);
    expect(live.fields.map((f) => [f.name, f.type, f.mandatory])).toEqual(
      builtIn.fields.map((f) => [f.name, f.type, f.mandatory]),
    );
    expect(catalog.enums.find((e) => e.name === 'NoYes')?.values.map((v) => v.name)).toEqual(['No', 'Yes']);
  });

  it('reads seeded entities in the default company, or across companies with cross-company=true', async () => {
    const usmf = await get('/data/CustomerGroups');
    expect(usmf.status).toBe(200);
    expect(usmf.body['@odata.context']).toBe(`${emulator.baseUrl}/data/$metadata#CustomerGroups`);
    expect(new Set(usmf.body.value.map((g: Json) => g.dataAreaId))).toEqual(new Set(['usmf']));
    const all = await get('/data/CustomerGroups?cross-company=true&$count=true');
    expect(new Set(all.body.value.map((g: Json) => g.dataAreaId))).toEqual(new Set(['usmf', 'usrt', 'demf']));
    expect(all.body['@odata.count']).toBe(all.body.value.length);
    const shared = await get('/data/LegalEntities');
    expect(shared.body.value.map((l: Json) => l.LegalEntityId).sort()).toEqual(['DEMF', 'USMF', 'USRT']);
  });

  it('supports $filter comparisons, $select, $top/$skip and /$count', async () => {
    const filtered = await get(
      `/data/CustomersV3?$filter=${encodeURIComponent("CustomerGroupId eq '10' and CreditLimit ge 10000")}&$select=CustomerAccount,CreditLimit`,
    );
    expect(filtered.status).toBe(200);
    expect(filtered.body.value.length).toBeGreaterThan(0);
    for (const c of filtered.body.value) {
      expect(Object.keys(c).sort()).toEqual(['@odata.etag', 'CreditLimit', 'CustomerAccount']);
      expect(c.CreditLimit).toBeGreaterThanOrEqual(10000);
    }
    const page = await get('/data/CustomersV3?$top=5&$skip=5');
    expect(page.body.value).toHaveLength(5);
    expect(page.body['@odata.nextLink']).toBeUndefined();
    const count = await get('/data/CustomersV3/$count');
    expect(count.body).toBe(60);
    const key = await get("/data/CustomersV3(dataAreaId='usmf',CustomerAccount='US-001')");
    expect(key.body.CustomerAccount).toBe('US-001');
    expect((await get("/data/CustomersV3(dataAreaId='usmf',CustomerAccount='NOPE')")).status).toBe(404);
  });

  it('refuses malformed query options with a 400 OData error, unknown sets with 404', async () => {
    for (const q of [
      '$top=-1',
      '$filter=CustomerGroupId%20eq',
      '$filter=substringof(CustomerGroupId)',
      '$select=Nope',
      '$count=maybe',
      "$filter=Nope eq 'x'",
    ]) {
      const res = await get(`/data/CustomerGroups?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.error.innererror.message).toContain('not valid');
    }
    expect((await get('/data/FluxCapacitors')).status).toBe(404);
  });

  it('creates data projects and their entities over OData', async () => {
    const post = (set: string, body: unknown) =>
      fetch(`${emulator.baseUrl}/data/${set}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect(
      (await post('DataManagementDefinitionGroups', { Name: 'Vendors export', OperationType: 'Export' })).status,
    ).toBe(201);
    expect((await post('DataManagementDefinitionGroups', { Name: 'Vendors export' })).status).toBe(409);
    const line = await post('DataManagementDefinitionGroupDetails', {
      DefinitionGroupId: 'Vendors export',
      EntityName: 'Vendors V2',
      DefaultRefreshType: 'IncrementalPush',
    });
    expect(line.status).toBe(201);
    expect(await line.json()).toMatchObject({ EntityName: 'Vendors V2', DefaultRefreshType: 'IncrementalPush' });
    expect(
      (await post('DataManagementDefinitionGroupDetails', { DefinitionGroupId: 'Vendors export', EntityName: 'Nope' }))
        .status,
    ).toBe(400);
    const groups = await get(
      `/data/DataManagementDefinitionGroups?$filter=${encodeURIComponent("Name eq 'Vendors export'")}`,
    );
    expect(groups.body.value).toEqual([expect.objectContaining({ Name: 'Vendors export', OperationType: 'Export' })]);
  });

  it('throttles OData (not DMF actions) per user past the request limit in user mode, with Retry-After', async () => {
    // 400 requests instead of 6,000 keep the test fast on a loaded machine; the documented figures are unit-tested.
    const fresh = await startEmulator({
      clock: { manual: true },
      speed: 'max',
      seed: false,
      throttling: { mode: 'user', userRequests: 400 },
    });
    try {
      const t = await appToken(fresh);
      const hit = () => fetch(`${fresh.baseUrl}/data/Currencies?$top=1`, { headers: { authorization: `Bearer ${t}` } });
      for (let i = 0; i < 400; i += 200) {
        const batch = await Promise.all(Array.from({ length: 200 }, hit));
        expect(batch.every((r) => r.status === 200)).toBe(true);
      }
      const throttled = await hit();
      expect(throttled.status).toBe(429);
      expect(Number(throttled.headers.get('retry-after'))).toBe(300);
      // The documented message, word for word [DOC: Service protection API limits].
      expect(((await throttled.json()) as Json).error.message).toBe(
        'Number of requests exceeded the limit of 400 over the time window of 300 seconds.',
      );
      const action = await fetch(
        `${fresh.baseUrl}/data/DataManagementDefinitionGroups/Microsoft.Dynamics.DataEntities.InitializeDataManagement`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' },
          body: '{}',
        },
      );
      expect(action.status).toBe(200);
      fresh.clock.advance(5 * 60_000);
      expect((await hit()).status).toBe(200);
    } finally {
      await fresh.stop();
    }
  });

  it("throttles a sustained overload in resource mode (the default) for every caller, in F&O's words", async () => {
    const fresh = await startEmulator({
      clock: { manual: true },
      speed: 'max',
      seed: false,
      throttling: { mode: 'resource', requestsPerSecond: 3, sustainSeconds: 2, retryAfterSeconds: 7 },
    });
    try {
      expect(fresh.throttling).toBe('resource');
      const t = await appToken(fresh);
      const hit = () => fetch(`${fresh.baseUrl}/data/Currencies?$top=1`, { headers: { authorization: `Bearer ${t}` } });
      for (let second = 0; second < 2; second++) {
        const answers = await Promise.all(Array.from({ length: 4 }, hit));
        expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200]);
        fresh.clock.advance(1000);
      }
      const throttled = await hit();
      expect(throttled.status).toBe(429);
      expect(throttled.headers.get('retry-after')).toBe('7');
      expect(((await throttled.json()) as Json).error.message).toBe(
        'This request could not be processed at this time due to system experiencing high resource utilization.',
      );
      // The DMF package API is exempt [DOC].
      const action = await fetch(
        `${fresh.baseUrl}/data/DataManagementDefinitionGroups/Microsoft.Dynamics.DataEntities.InitializeDataManagement`,
        { method: 'POST', headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' }, body: '{}' },
      );
      expect(action.status).toBe(200);
      fresh.clock.advance(2000);
      expect((await hit()).status).toBe(200);
    } finally {
      await fresh.stop();
    }
  });
});
