import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_IN_CATALOG, DEFAULT_REAL_SCALE } from '../../../shared/domain/catalog';
import type { CatalogEntity } from '../../../shared/domain/catalog';
import { MetadataDocumentError, buildCatalogFromMetadata } from '../../../shared/domain/catalog/metadata/build';
import { renderMetadataDocuments } from '../../../shared/domain/catalog/metadata/render';
import { MetadataReadError, parseEdmx, readEdmxFile } from '../../../electron/services/metadata/edmxReader';
import { readMetadataFolder } from '../../../electron/services/metadata/metadataFolder';
import { REPO_ROOT } from '../../support/paths';

const FIXTURES = join(REPO_ROOT, 'tests/fixtures/metadata');
let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'dmfw-metadata-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function fileWith(name: string, content: string | Buffer): Promise<string> {
  const path = join(scratch, name);
  await writeFile(path, content);
  return path;
}

/** The facts a catalog entity carries, without the provenance that differs by origin. */
const facts = (e: CatalogEntity) => ({
  label: e.label,
  publicEntityName: e.publicEntityName,
  publicCollectionName: e.publicCollectionName,
  targetEntity: e.targetEntity,
  area: e.area,
  companySpecific: e.companySpecific,
  keys: e.keys,
  fields: e.fields.map((f) => ({
    name: f.name,
    publicName: f.publicName,
    type: f.type,
    maxLength: f.maxLength,
    mandatory: f.mandatory,
    enumType: f.enumType,
    // The decimals of a real travel as $metadata's Scale facet.
    scale: f.type === 'Real' ? (f.scale ?? DEFAULT_REAL_SCALE) : undefined,
  })),
  relations: e.relations.map((r) => ({ fields: r.fields, target: r.target, targetFields: r.targetFields })),
});

describe('metadata documents from a saved environment', () => {
  it('builds catalog entities from $metadata, DataEntities, PublicEnumerations and Labels', async () => {
    const { catalog, notes } = await readMetadataFolder(FIXTURES);
    expect(catalog.entities.map((e) => e.label)).toEqual(['Customer groups', 'Customers V3', 'Terms of payment']);
    const customers = catalog.entities[1]!;
    expect(customers).toMatchObject({
      targetEntity: 'CustCustomerV3Entity',
      publicCollectionName: 'CustomersV3',
      companySpecific: true,
      keys: ['CUSTOMERACCOUNT'],
      fieldCoverage: 'complete',
      area: 'Accounts receivable',
      relations: [
        { fields: ['CUSTOMERGROUPID'], target: 'CustCustomerGroupEntity', targetFields: ['CUSTOMERGROUPID'] },
      ],
    });
    expect(customers.fields.map((f) => [f.name, f.type, f.maxLength ?? null, f.mandatory, f.enumType ?? null])).toEqual(
      [
        ['CUSTOMERACCOUNT', 'String', 20, true, null],
        ['CREDITLIMIT', 'Real', null, false, null],
        ['CUSTOMERGROUPID', 'String', 10, true, null],
        ['MODIFIEDDATETIME', 'UtcDateTime', null, false, null],
        ['ONHOLDSTATUS', 'Enum', null, false, 'CustVendorBlocked'],
        ['ORGANIZATIONNAME', 'String', 100, false, null],
        ['RECEIPTCALENDAR', 'Date', null, false, null],
        ['SALESMEMO', 'String', null, false, null],
      ],
    );
    const groups = catalog.entities[0]!;
    expect(groups.relations).toEqual([
      { fields: ['PAYMENTTERMID'], target: 'PaymentTermEntity', targetFields: ['NAME'] },
    ]);
    expect(groups.fields.find((f) => f.name === 'ISSALESTAXINCLUDEDINPRICE')).toMatchObject({
      type: 'NoYes',
      mandatory: false,
    });
    expect(
      catalog.enums.find((e) => e.name === 'CustVendorBlocked')!.values.map((v) => [v.name, v.value, v.label]),
    ).toEqual([
      ['No', 0, 'No'],
      ['Invoice', 1, 'Invoice'],
      ['All', 2, 'All'],
      ['Payment', 3, 'Payment'],
    ]);
    expect(notes).toEqual([
      'CustCustomerV3Entity.Image: the type Edm.Stream has no staging equivalent; the field is left out.',
      'VendVendorV2Entity: $metadata has no entity type VendorV2; it is left out.',
    ]);
    expect(customers.sources).toEqual([{ kind: 'metadata', ref: FIXTURES, covers: 'everything' }]);
  });

  it('round-trips the built-in catalog through the documents an environment serves', async () => {
    const docs = renderMetadataDocuments(BUILT_IN_CATALOG);
    const edmx = await parseEdmx([docs.edmx], '$metadata.xml');
    const { catalog, notes } = buildCatalogFromMetadata({
      origin: 'rendered',
      edmx,
      dataEntities: docs.dataEntities,
      publicEnumerations: docs.publicEnumerations,
      labels: docs.labels,
    });
    expect(notes).toEqual([]);
    // Areas come from the fallback catalog; without one, F&O's entity category stands in.
    expect(catalog.entities.map((e) => ({ ...facts(e), area: undefined }))).toEqual(
      BUILT_IN_CATALOG.entities.map((e) => ({ ...facts(e), area: undefined })),
    );
    // Beside the catalog's enums, $metadata declares the data management ones (DMFExecutionSummaryStatus…).
    const builtInNames = new Set(BUILT_IN_CATALOG.enums.map((e) => e.name));
    expect(catalog.enums.filter((e) => builtInNames.has(e.name)).map((e) => [e.name, e.values])).toEqual(
      BUILT_IN_CATALOG.enums.map((e) => [e.name, e.values]),
    );
    expect(catalog.enums.filter((e) => !builtInNames.has(e.name)).every((e) => e.name.startsWith('DMF'))).toBe(true);
  });

  it('accepts documents streamed in tiny chunks, a UTF-8 BOM and UTF-16', async () => {
    const text = renderMetadataDocuments(BUILT_IN_CATALOG).edmx;
    const whole = await parseEdmx([text], 'x');
    const chunked = await parseEdmx(text.match(/[\s\S]{1,7}/g)!, 'x');
    expect(chunked).toEqual(whole);
    const utf16 = await fileWith('utf16.xml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    expect(await readEdmxFile(utf16)).toEqual(whole);
    const bom = await fileWith('bom.xml', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
    expect(await readEdmxFile(bom)).toEqual(whole);
  });
});

describe('malformed and hostile metadata', () => {
  const edmxOf = (body: string) =>
    `<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices><Schema Namespace="N">${body}</Schema></edmx:DataServices></edmx:Edmx>`;

  it.each([
    [
      'a DTD with entities (billion laughs)',
      `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><edmx:Edmx>&lol2;</edmx:Edmx>`,
      /DOCTYPE.*refused/,
    ],
    [
      'an external entity (XXE)',
      `<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><edmx:Edmx>&xxe;</edmx:Edmx>`,
      /DOCTYPE/,
    ],
    ['an undefined entity', edmxOf('<EntityType Name="A&bogus;"/>'), /line 1, column \d+: .*entity/i],
    ['an unclosed element', edmxOf('<EntityType Name="A">'), /line 1/],
    ['binary garbage', '\u0000\u0001\u0002PK\u0003\u0004', /x\.xml: line 1/],
    ['another XML document', '<html><body/></html>', /starts with <html>, not <edmx:Edmx>/],
    ['an empty document', '', /x\.xml: line 1, column 1: document must contain a root element/],
    [
      'a non-numeric enum value',
      edmxOf('<EnumType Name="E"><Member Name="A" Value="x"/></EnumType>'),
      /enum member A has the value "x"/,
    ],
  ])('refuses %s with the file, line and column', async (_name, xml, message) => {
    const attempt = parseEdmx([xml], 'x.xml');
    await expect(attempt).rejects.toThrow(MetadataReadError);
    await expect(parseEdmx([xml], 'x.xml')).rejects.toThrow(message);
  });

  it('refuses deep nesting and too many elements', async () => {
    const deep = `<edmx:Edmx>${'<a>'.repeat(100)}${'</a>'.repeat(100)}</edmx:Edmx>`;
    await expect(parseEdmx([deep], 'deep.xml')).rejects.toThrow(/nests deeper than 64/);
    const wide = edmxOf('<EnumType Name="E"/>'.repeat(50));
    await expect(parseEdmx([wide], 'wide.xml', { maxElements: 20 })).rejects.toThrow(/more than 20 elements/);
  });

  it('refuses files over the size limit, invalid UTF-8 and missing files, naming them', async () => {
    const big = await fileWith('big.xml', edmxOf(' '.repeat(5000)));
    await expect(readEdmxFile(big, { maxBytes: 1000 })).rejects.toThrow(/big\.xml: is larger than/);
    const bad = await fileWith('bad.xml', Buffer.from([0x3c, 0x61, 0xff, 0xfe, 0xfd, 0x3e]));
    await expect(readEdmxFile(bad)).rejects.toThrow(/bad\.xml: is not valid UTF-8/);
    await expect(readEdmxFile(join(scratch, 'nope.xml'))).rejects.toThrow(/nope\.xml: does not exist/);
  });

  it.each([
    ['DataEntities', { value: 'nope' }, /DataEntities: is not shaped like F&O's document at value/],
    ['DataEntities', { value: [{ PublicEntityName: 'X' }] }, /DataEntities: .* at value\.0\.Name/],
    [
      'PublicEnumerations',
      { value: [{ Name: 'E', Members: [{ Name: 'A', Value: 1.5 }] }] },
      /PublicEnumerations: .* at value\.0\.Members\.0\.Value/,
    ],
    ['Labels', { value: [{ Id: 1 }] }, /Labels: .* at value\.0\.Id/],
  ])('refuses a %s document of the wrong shape', (document, value, message) => {
    const docs = {
      origin: 'x',
      edmx: { entityTypes: [], enumTypes: [], entitySets: [] },
      dataEntities: { value: [] },
      publicEnumerations: { value: [] },
    };
    const key =
      document === 'DataEntities'
        ? 'dataEntities'
        : document === 'PublicEnumerations'
          ? 'publicEnumerations'
          : 'labels';
    expect(() => buildCatalogFromMetadata({ ...docs, [key]: value })).toThrow(MetadataDocumentError);
    expect(() => buildCatalogFromMetadata({ ...docs, [key]: value })).toThrow(message);
  });

  it('names the folder and file when a saved document is missing or not JSON', async () => {
    const folder = await mkdtemp(join(scratch, 'folder-'));
    await expect(readMetadataFolder(folder)).rejects.toThrow(/has no \$metadata\.xml/);
    await writeFile(join(folder, '$metadata.xml'), edmxOf(''));
    await writeFile(join(folder, 'DataEntities.json'), '{"value": [');
    await writeFile(join(folder, 'PublicEnumerations.json'), '{"value": []}');
    await expect(readMetadataFolder(folder)).rejects.toThrow(/DataEntities\.json: is not valid JSON/);
  });

  it('reads a huge $metadata (2,000 entities, 100,000 properties) quickly', async () => {
    const props = Array.from(
      { length: 50 },
      (_, i) => `<Property Name="Field${i}" Type="Edm.String" MaxLength="60"/>`,
    ).join('');
    const types = Array.from(
      { length: 2000 },
      (_, i) => `<EntityType Name="E${i}"><Key><PropertyRef Name="Field0"/></Key>${props}</EntityType>`,
    );
    const started = performance.now();
    const model = await parseEdmx([edmxOf(types.join(''))], 'huge.xml');
    expect(model.entityTypes).toHaveLength(2000);
    expect(model.entityTypes[1999]!.properties).toHaveLength(50);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
