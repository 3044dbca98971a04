import { describe, expect, it } from 'vitest';
import {
  readManifest,
  readPackageHeader,
  writeManifest,
  writePackageHeader,
  manifestXmlText,
} from '../../../electron/services/packages/manifest/manifestXml';
import { ZipArchive } from '../../../electron/services/packages/zip/zipReader';
import { parseXmlDocument } from '../../../electron/services/sources/xml/xmlTree';
import { AppError } from '../../../shared/api/errors';
import {
  createEntityMap,
  createManifest,
  createPackageEntity,
  createPackageHeader,
} from '../../../shared/domain/package/model';
import type { XmlElement } from '../../../shared/domain/package/xml';
import { REAL_PACKAGE } from '../../support/paths';

const where = { file: 'Manifest.xml' };

async function realFiles(): Promise<{ manifest: Buffer; header: Buffer }> {
  const zip = await ZipArchive.open(REAL_PACKAGE);
  try {
    return {
      manifest: await zip.readEntry('Manifest.xml', 1 << 20),
      header: await zip.readEntry('PackageHeader.xml', 1 << 20),
    };
  } finally {
    zip.close();
  }
}

/** Element names, attributes and text, depth first: "element for element" equality. */
function flatten(element: XmlElement, out: string[] = []): string[] {
  out.push(`<${element.name} ${element.attributes.map((a) => `${a.name}=${a.value}`).join(' ')}>`);
  for (const child of element.children) {
    if (typeof child === 'string') out.push(`text:${child}`);
    else flatten(child, out);
  }
  out.push(`</${element.name}>`);
  return out;
}

function utf8(xml: string): Buffer {
  return Buffer.from(xml, 'utf8');
}

const NS =
  'xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.microsoft.com/dynamics/2015/01/DataManagement"';

describe('Manifest.xml and PackageHeader.xml', () => {
  it('reads the real F&O package and writes it back byte for byte (UTF-16LE, BOM, no declaration)', async () => {
    const { manifest, header } = await realFiles();
    expect([...manifest.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    const m = readManifest(manifest, where);
    const h = readPackageHeader(header, { file: 'PackageHeader.xml' });
    expect(m.definitionGroupName).toBe('Asset-Major-Types');
    expect(m.entities).toHaveLength(1);
    const entity = m.entities[0]!;
    expect(entity).toMatchObject({
      entityName: 'Fixed asset major type',
      inputFilePath: 'Fixed asset major type.xlsx',
      sourceFormat: 'EXCEL',
      excelSheetName: '',
      executionUnit: 1,
      levelInExecutionUnit: 1,
      sequenceInLevel: 1,
      runBusinessLogic: true,
      validationStatus: 'Yes',
      entityTransformList: null,
    });
    expect(entity.targetEntity).toBeUndefined(); // the 2017 contract has no TargetEntity
    expect(entity.entityMapList?.map((e) => [e.xmlField, e.entityField])).toEqual([
      ['DESCRIPTION', 'DESCRIPTION'],
      ['MAJORTYPEID', 'MAJORTYPEID'],
    ]);
    expect(h).toMatchObject({ description: 'Asset-Major-Types', packageType: 'DefinitionGroup', packageVersion: 1 });

    expect(writeManifest(m).equals(manifest)).toBe(true);
    expect(writePackageHeader(h).equals(header)).toBe(true);
    // And element for element, through an independent parse of both.
    expect(flatten(parseXmlDocument(writeManifest(m), where).root)).toEqual(
      flatten(parseXmlDocument(manifest, where).root),
    );
  });

  it('reads UTF-8 with a declaration, indentation and missing optional members', () => {
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<DataManagementPackageManifest ${NS}>
\t<DefinitionGroupName>Customers</DefinitionGroupName>
\t<PackageEntityList>
\t\t<DataManagementPackageEntityData>
\t\t\t<EntityMapList>
\t\t\t\t<EntityMap>
\t\t\t\t\t<EntityField>CUSTOMERACCOUNT</EntityField>
\t\t\t\t\t<XMLField>CUSTOMERACCOUNT</XMLField>
\t\t\t\t</EntityMap>
\t\t\t</EntityMapList>
\t\t\t<EntityName>Customers V3</EntityName>
\t\t\t<InputFilePath>Customers V3.csv</InputFilePath>
\t\t\t<QueryData>0a1b2c
\t\t\t3d4e</QueryData>
\t\t\t<SourceFormat>CSV-Unicode</SourceFormat>
\t\t\t<TargetEntity>CustCustomerV3Entity</TargetEntity>
\t\t</DataManagementPackageEntityData>
\t</PackageEntityList>
\t<RulesData i:nil="true" />
</DataManagementPackageManifest>`;
    const m = readManifest(utf8(xml), where);
    const e = m.entities[0]!;
    expect(e.entityName).toBe('Customers V3');
    expect(e.targetEntity).toBe('CustCustomerV3Entity');
    expect(e.executionUnit).toBeUndefined();
    expect(e.queryData).toBe('0a1b2c\n\t\t\t3d4e'); // leaf text is data, kept verbatim
    expect(m.rulesData).toBeNull();
    expect(m.description).toBeUndefined();
    // Written back: compact, UTF-16, same elements, absent members stay absent.
    const text = manifestXmlText(m);
    expect(text).not.toContain('ExecutionUnit');
    expect(text).toContain('<RulesData i:nil="true" />');
    expect(readManifest(writeManifest(m), where)).toEqual(m);
  });

  it('keeps unknown elements where they were, also inside entities and maps', () => {
    const xml = `<DataManagementPackageManifest ${NS}><DefinitionGroupName>G</DefinitionGroupName><FutureThing a="1"><X>y</X></FutureThing><PackageEntityList><DataManagementPackageEntityData><EntityMapList><EntityMap><EntityField>A</EntityField><NewMapFlag>true</NewMapFlag><XMLField>A</XMLField></EntityMap></EntityMapList><EntityName>E</EntityName><SkipStaging>false</SkipStaging><InputFilePath>E.csv</InputFilePath></DataManagementPackageEntityData></PackageEntityList></DataManagementPackageManifest>`;
    const m = readManifest(utf8(xml), where);
    expect(manifestXmlText(m)).toBe(xml);
    // A member set after reading goes to its ordinal place.
    const changed = { ...m, entities: [{ ...m.entities[0]!, executionUnit: 2 }] };
    expect(manifestXmlText(changed)).toContain(
      '<EntityName>E</EntityName><ExecutionUnit>2</ExecutionUnit><SkipStaging>false</SkipStaging>',
    );
  });

  it('writes new manifests in ordinal alphabetical order with i:nil and empty elements as F&O does', () => {
    const entity = createPackageEntity({
      label: 'Customer groups',
      inputFilePath: 'Customer groups.csv',
      sourceFormat: 'CSV-Unicode',
      maps: [createEntityMap('CUSTOMERGROUPID'), createEntityMap('Description', 'DESCRIPTION')],
      targetEntity: 'CustCustomerGroupEntity',
    });
    const text = manifestXmlText(createManifest('Setup', [entity]));
    const names = [...text.matchAll(/<([A-Za-z]+)[ >/]/g)].map((m) => m[1]);
    const entityMembers = names
      .slice(names.indexOf('DataManagementPackageEntityData') + 1)
      .filter((n) => /^[A-Z]/.test(n!));
    const topLevel = [
      'DefaultRefreshType',
      'Disable',
      'EntityMapList',
      'EntityName',
      'EntityTransformList',
      'ExcelSheetName',
      'ExecutionUnit',
      'FailExecutionUnitOnError',
      'FailLevelOnError',
      'InputFilePath',
      'LevelInExecutionUnit',
      'RunBusinessLogic',
      'RunBusinessValidation',
      'SampleFilePath',
      'SequenceInLevel',
      'SourceFormat',
      'TargetEntity',
      'ValidationStatus',
    ];
    expect(entityMembers.filter((n) => topLevel.includes(n!))).toEqual(topLevel);
    expect(text).toContain('<EntityFieldConversionList i:nil="true" />');
    expect(text).toContain('<ExcelSheetName />');
    expect(text).toContain('<XMLField>Description</XMLField>');
    expect(text.startsWith(`<DataManagementPackageManifest ${NS}>`)).toBe(true);
    const header = writePackageHeader(createPackageHeader('Setup'));
    expect([...header.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    expect(header.toString('utf16le', 2)).toBe(
      `<DataManagementPackageHeader ${NS}><Description>Setup</Description><ManifestType>Microsoft.Dynamics.AX.Framework.Tools.DataManagement.Serialization.DataManagementPackageManifest</ManifestType><PackageType>DefinitionGroup</PackageType><PackageVersion>2</PackageVersion></DataManagementPackageHeader>`,
    );
  });

  it('escapes text and refuses characters XML cannot carry', () => {
    const m = createManifest('A & B <test>', []);
    expect(manifestXmlText(m)).toContain('<DefinitionGroupName>A &amp; B &lt;test&gt;</DefinitionGroupName>');
    expect(readManifest(writeManifest(m), where).definitionGroupName).toBe('A & B <test>');
    expect(() => writeManifest(createManifest('bad\u0001', []))).toThrow(/U\+0001/);
  });

  it.each([
    ['a DTD', `<!DOCTYPE x [<!ENTITY a "b">]><DataManagementPackageManifest ${NS}/>`, /DOCTYPE/],
    [
      'billion laughs',
      `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><DataManagementPackageManifest ${NS}><Description>&lol2;</Description></DataManagementPackageManifest>`,
      /DOCTYPE/,
    ],
    ['an external entity', `<!DOCTYPE x SYSTEM "file:///etc/passwd"><DataManagementPackageManifest ${NS}/>`, /DOCTYPE/],
    [
      'an undefined entity',
      `<DataManagementPackageManifest ${NS}><Description>&xxe;</Description></DataManagementPackageManifest>`,
      /not well-formed/,
    ],
    ['another root', `<Manifest ${NS}/>`, /expected <DataManagementPackageManifest>/],
    ['another namespace', `<DataManagementPackageManifest xmlns="urn:other"/>`, /namespace "urn:other"/],
    [
      'a non-numeric unit',
      `<DataManagementPackageManifest ${NS}><PackageEntityList><DataManagementPackageEntityData><EntityName>E</EntityName>\n<ExecutionUnit>one</ExecutionUnit></DataManagementPackageEntityData></PackageEntityList></DataManagementPackageManifest>`,
      /line 2: <ExecutionUnit> must be a whole number/,
    ],
    [
      'a bad boolean',
      `<DataManagementPackageManifest ${NS}><PackageEntityList><DataManagementPackageEntityData><EntityName>E</EntityName><Disable>maybe</Disable></DataManagementPackageEntityData></PackageEntityList></DataManagementPackageManifest>`,
      /<Disable> must be true or false/,
    ],
    [
      'an entity without a name',
      `<DataManagementPackageManifest ${NS}><PackageEntityList><DataManagementPackageEntityData><InputFilePath>x.csv</InputFilePath></DataManagementPackageEntityData></PackageEntityList></DataManagementPackageManifest>`,
      /has no <EntityName>/,
    ],
    ['truncated XML', `<DataManagementPackageManifest ${NS}><Description>abc`, /not well-formed/],
    ['no XML at all', '', /not well-formed|no root element/],
    ['invalid UTF-8', '\xff\xfe\xfd', /not valid|not well-formed/],
  ])('refuses %s with a clear INVALID_INPUT error naming the file', (_name, xml, message) => {
    const bytes = Buffer.from(xml, xml.startsWith('\xff') ? 'latin1' : 'utf8');
    let caught: unknown;
    try {
      readManifest(bytes, { file: 'pkg.zip', entry: 'Manifest.xml' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe('INVALID_INPUT');
    expect((caught as AppError).message).toMatch(/^pkg\.zip › Manifest\.xml[ ,]/);
    expect((caught as AppError).message).toMatch(message);
  });
});
