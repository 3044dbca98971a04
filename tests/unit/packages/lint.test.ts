import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintPackage } from '../../../electron/services/packages/lint';
import { writeManifest, writePackageHeader } from '../../../electron/services/packages/manifest/manifestXml';
import { openPackage } from '../../../electron/services/packages/packageReader';
import type { DataPackage } from '../../../electron/services/packages/packageReader';
import { PackageWriter } from '../../../electron/services/packages/packageWriter';
import { BUILT_IN_CATALOG, indexCatalog } from '../../../shared/domain/catalog';
import {
  createEntityMap,
  createManifest,
  createPackageEntity,
  createPackageHeader,
} from '../../../shared/domain/package/model';
import type { PackageEntity } from '../../../shared/domain/package/model';
import type { LintCode } from '../../../shared/domain/package/lint';
import type { ReferenceSnapshot } from '../../../shared/domain/validation';
import { REAL_PACKAGE } from '../../support/paths';
import { rawZip } from '../../support/rawZip';
import type { RawEntry } from '../../support/rawZip';
import { tempDirs } from '../../support/tempDir';

const temp = tempDirs();
const catalog = indexCatalog(BUILT_IN_CATALOG);

function entity(
  label: string,
  file: string,
  format: string,
  columns: string[],
  extra: Partial<PackageEntity> = {},
): PackageEntity {
  return {
    ...createPackageEntity({
      label,
      inputFilePath: file,
      sourceFormat: format,
      maps: columns.map((c) => createEntityMap(c)),
    }),
    ...extra,
  };
}

/**
 * Writes a package zip from raw files plus a manifest of `entities`; returns the findings' codes.
 * Its zip comment says it is a test's (`comment: ''`: none, so it carries F&O's byte signature).
 */
async function lint(
  entities: PackageEntity[],
  files: RawEntry[],
  options: { header?: boolean; comment?: string; snapshot?: ReferenceSnapshot } = {},
) {
  const dir = await temp.make();
  const path = join(dir, 'pkg.zip');
  const descriptors: RawEntry[] = [{ name: 'Manifest.xml', data: writeManifest(createManifest('Test', entities)) }];
  if (options.header !== false)
    descriptors.push({ name: 'PackageHeader.xml', data: writePackageHeader(createPackageHeader('Test')) });
  await writeFile(path, rawZip([...files, ...descriptors], options.comment ?? 'a test package'));
  const pkg = await openPackage(path);
  try {
    return await lintPackage(pkg, { catalog, ...(options.snapshot ? { snapshot: options.snapshot } : {}) });
  } finally {
    await pkg.close();
  }
}

const codes = (report: { findings: readonly { code: LintCode }[] }) => report.findings.map((f) => f.code);
const csv = (text: string) => Buffer.from(text, 'latin1');
const utf16 = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
const GROUPS = ['CUSTOMERGROUPID', 'DESCRIPTION'];

describe('package lint', () => {
  it('finds nothing wrong with the real F&O package, and counts its rows', async () => {
    const pkg = await openPackage(REAL_PACKAGE);
    const report = await lintPackage(pkg, { catalog });
    await pkg.close();
    expect(report.findings).toEqual([]);
    expect(report.entities.map((e) => [e.entity.entityName, e.rows, e.columns])).toEqual([
      ['Fixed asset major type', 11, ['MAJORTYPEID', 'DESCRIPTION']],
    ]);
  });

  it('reports missing, extra, misnamed and nested files, a missing header and a missing mapping', async () => {
    const report = await lint(
      [
        entity('Customer groups', 'Customer groups.csv', 'CSV', GROUPS),
        entity('Currencies', 'currencies.CSV', 'CSV', ['CURRENCYCODE']),
        entity('Terms of payment', 'Terms.xlsx', 'CSV', [], { entityMapList: null }),
      ],
      [
        { name: 'Currencies.csv', data: csv('CURRENCYCODE\r\nUSD\r\n') },
        { name: 'notes.txt', data: csv('hello') },
        { name: 'Setup/old.csv', data: csv('A\r\n1\r\n') },
        { name: 'Terms.xlsx', data: csv('not really') },
      ],
      { header: false },
    );
    expect(codes(report)).toEqual(
      expect.arrayContaining([
        'HEADER_MISSING',
        'NESTED_FOLDER',
        'DATA_FILE_MISSING',
        'FILE_NAME_CASE',
        'DATA_FILE_EXTRA',
        'FORMAT_EXTENSION_MISMATCH',
        'NO_MAPPING',
      ]),
    );
    const missing = report.findings.find((f) => f.code === 'DATA_FILE_MISSING')!;
    expect(missing).toMatchObject({ severity: 'error', entity: 'Customer groups', file: 'Customer groups.csv' });
    expect(missing.message).toMatch(
      /"Customer groups\.csv" of "Customer groups" is not in the package\. .*Add the file/,
    );
    expect(report.findings.find((f) => f.code === 'DATA_FILE_EXTRA')?.file).toBe('notes.txt');
  });

  it('reports composite entities that are not XML or not alone, and unknown formats', async () => {
    const report = await lint(
      [
        entity('Sales orders composite', 'Sales orders composite.csv', 'CSV', ['A'], {
          targetEntity: 'SalesOrderCompositeEntity',
        }),
        entity('Purchase orders composite', 'Purchase orders composite.xml', 'XML-Element', ['A']),
        entity('Odd', 'Odd.csv', 'CSV-Pipe', ['A']),
      ],
      [
        { name: 'Sales orders composite.csv', data: csv('A\r\n1\r\n') },
        { name: 'Purchase orders composite.xml', data: csv('<Document><R><A>1</A></R></Document>') },
        { name: 'Odd.csv', data: csv('A\r\n1\r\n') },
      ],
    );
    expect(codes(report)).toEqual(
      expect.arrayContaining(['COMPOSITE_MULTIPLE', 'COMPOSITE_NOT_XML', 'UNKNOWN_FORMAT']),
    );
    expect(report.findings.filter((f) => f.code === 'COMPOSITE_NOT_XML').map((f) => f.entity)).toEqual([
      'Sales orders composite',
    ]);
  });

  it('reads every data file: empty files, header/mapping mismatches, encodings, line endings, blank lines, control characters', async () => {
    const report = await lint(
      [
        entity('Customer groups', 'Customer groups.csv', 'CSV', GROUPS),
        entity('Currencies', 'Currencies.csv', 'CSV-Unicode', ['CURRENCYCODE']),
        entity('Terms of payment', 'Terms of payment.csv', 'CSV', ['NAME', 'DESCRIPTION']),
        entity('Sales tax groups', 'Sales tax groups.csv', 'CSV-Unicode', ['TAXGROUPCODE']),
      ],
      [
        {
          name: 'Customer groups.csv',
          data: csv('\xef\xbb\xbfCUSTOMERGROUPID,DESCRIPTION\n10,Bell \x07 here\n\n20,x\n'),
        },
        { name: 'Currencies.csv', data: csv('CURRENCYCODE\r\n') },
        { name: 'Terms of payment.csv', data: csv('NAME,DAYS\r\nNet30,30\r\n') },
        { name: 'Sales tax groups.csv', data: utf16('TAXGROUPCODE\r\nWA\r\n') },
      ],
    );
    const byCode = (code: LintCode) => report.findings.filter((f) => f.code === code);
    expect(byCode('CSV_BOM').map((f) => f.entity)).toEqual(['Customer groups']);
    expect(byCode('CSV_LINE_ENDING').map((f) => f.entity)).toEqual(['Customer groups']);
    expect(byCode('BLANK_LINES')[0]?.message).toMatch(/has 1 blank line\./);
    expect(byCode('XML_ILLEGAL_CHARACTER')[0]).toMatchObject({ severity: 'warning', row: 1 });
    expect(byCode('XML_ILLEGAL_CHARACTER')[0]?.message).toMatch(/U\+0007/);
    expect(byCode('DATA_FILE_EMPTY').map((f) => f.entity)).toEqual(['Currencies']);
    expect(byCode('CSV_UNICODE_ENCODING').map((f) => f.entity)).toEqual(['Currencies']);
    expect(byCode('HEADER_MAPPING_MISMATCH')[0]?.message).toMatch(
      /The mapping names DESCRIPTION, which the file's header does not have/,
    );
    expect(byCode('COLUMN_NOT_MAPPED')[0]?.message).toMatch(/DAYS/);
    expect(report.entities.map((e) => e.rows)).toEqual([2, 0, 1, 1]);
  });

  it('checks keys and mandatory fields of entities the catalog knows', async () => {
    const rows = ['CUSTOMERGROUPID,DESCRIPTION', '10,A', '20,B', ' 10 ,dup', '30,C', '20,dup again'];
    const report = await lint(
      [
        entity('Customer groups', 'Customer groups.csv', 'CSV', GROUPS),
        entity('Customers V3', 'Customers V3.csv', 'CSV', ['CUSTOMERACCOUNT', 'ORGANIZATIONNAME']),
      ],
      [
        { name: 'Customer groups.csv', data: csv(`${rows.join('\r\n')}\r\n`) },
        { name: 'Customers V3.csv', data: csv('CUSTOMERACCOUNT,ORGANIZATIONNAME\r\nC1,Contoso\r\n') },
      ],
    );
    const duplicates = report.findings.filter((f) => f.code === 'DUPLICATE_KEY');
    expect(duplicates.map((f) => f.row)).toEqual([3, 5]);
    expect(duplicates[0]?.message).toMatch(/Data row 3: The key CUSTOMERGROUPID=" 10 " repeats row 1/);
    // The key and the mandatory fields are the built-in catalog's word only: warnings that say so.
    expect(duplicates[0]).toMatchObject({ severity: 'warning', source: 'built-in, unverified' });
    const mandatory = report.findings.find((f) => f.code === 'UNMAPPED_MANDATORY');
    expect(mandatory).toMatchObject({ entity: 'Customers V3', severity: 'warning', source: 'built-in, unverified' });
    expect(mandatory?.message).toMatch(/CUSTOMERGROUPID/);
    expect(mandatory?.message).toMatch(/SALESCURRENCYCODE/);
  });

  it('sums up repeated findings after ten, and reports unreadable files with their place', async () => {
    const rows = ['CUSTOMERGROUPID,DESCRIPTION', ...Array.from({ length: 30 }, () => '10,x')];
    const report = await lint(
      [
        entity('Customer groups', 'Customer groups.csv', 'CSV', GROUPS),
        entity('Currencies', 'Currencies.csv', 'CSV', ['CURRENCYCODE']),
      ],
      [
        { name: 'Customer groups.csv', data: csv(`${rows.join('\r\n')}\r\n`) },
        { name: 'Currencies.csv', data: csv('CURRENCYCODE\r\nUSD\r\n"EUR\r\n') },
      ],
    );
    const duplicates = report.findings.filter((f) => f.code === 'DUPLICATE_KEY');
    expect(duplicates).toHaveLength(11);
    expect(duplicates.at(-1)?.message).toMatch(/19 more like the above .* \(29 in all\)/);
    const unreadable = report.findings.find((f) => f.code === 'DATA_FILE_UNREADABLE');
    expect(unreadable?.message).toMatch(
      /pkg\.zip › Currencies\.csv, line 3, column 1: the text qualifier " opened in this field is never closed/,
    );
  });

  it('reports Excel sheets over 255 columns and data files over 256 MB', async () => {
    const dir = await temp.make();
    const path = join(dir, 'wide.zip');
    const columns = Array.from({ length: 256 }, (_, i) => `F${i + 1}`);
    const wide = entity('Wide', 'Wide.xlsx', 'EXCEL', columns, { excelSheetName: 'Wide$' });
    const writer = await PackageWriter.create(path);
    await writer.writeRows(wide, columns, [[columns.map(() => 'v')]]);
    await writer.finish(createPackageHeader('W'), createManifest('W', [wide]));
    const pkg = await openPackage(path);
    const report = await lintPackage(pkg);
    expect(codes(report)).toContain('EXCEL_TOO_MANY_COLUMNS');
    // A package whose file list claims a big file (the size check needs no data).
    const big: DataPackage = {
      ...pkg,
      files: pkg.files.map((f) => (f.name === 'Wide.xlsx' ? { ...f, size: 300 * 1024 * 1024 } : f)),
    };
    const bigReport = await lintPackage(
      { ...big, fileFor: (e) => big.files.find((f) => f.name === e.inputFilePath) },
      { scanData: false },
    );
    expect(bigReport.findings.find((f) => f.code === 'DATA_FILE_TOO_BIG')?.message).toMatch(/300 MB.*--split-mb 256/);
    await pkg.close();
  });
});

describe('package lint: references, what F&O itself writes, graded sources', () => {
  const customers = ['CUSTOMERACCOUNT', 'CUSTOMERGROUPID', 'SALESCURRENCYCODE'];

  it('checks references to the other entities of the same package (issue 11 defect 2)', async () => {
    const report = await lint(
      [
        entity('Customer groups', 'Customer groups.csv', 'CSV', GROUPS),
        entity('Customers V3', 'Customers V3.csv', 'CSV', customers),
      ],
      [
        { name: 'Customer groups.csv', data: csv('CUSTOMERGROUPID,DESCRIPTION\r\n10,Wholesale\r\n') },
        {
          name: 'Customers V3.csv',
          data: csv('CUSTOMERACCOUNT,CUSTOMERGROUPID,SALESCURRENCYCODE\r\nC1,10,USD\r\nC2,99,USD\r\n'),
        },
      ],
    );
    const references = report.findings.filter((f) => f.code === 'REFERENCE_NOT_FOUND');
    expect(references).toHaveLength(1);
    expect(references[0]).toMatchObject({
      entity: 'Customers V3',
      row: 2,
      severity: 'warning',
      source: 'built-in, unverified',
    });
    expect(references[0]?.message).toMatch(
      /CUSTOMERGROUPID "99" does not exist in Customer groups \(checked against this package\)/,
    );
  });

  it('finds a reference to an entity whose file comes later in the package', async () => {
    const report = await lint(
      [
        entity('Customers V3', 'Customers V3.csv', 'CSV', customers),
        entity('Customer groups', 'Customer groups.csv', 'CSV', GROUPS),
      ],
      [
        { name: 'Customers V3.csv', data: csv('CUSTOMERACCOUNT,CUSTOMERGROUPID,SALESCURRENCYCODE\r\nC1,77,USD\r\n') },
        { name: 'Customer groups.csv', data: csv('CUSTOMERGROUPID,DESCRIPTION\r\n10,Wholesale\r\n') },
      ],
    );
    expect(report.findings.filter((f) => f.code === 'REFERENCE_NOT_FOUND').map((f) => [f.entity, f.row])).toEqual([
      ['Customers V3', 1],
    ]);
  });

  it('checks references the package lacks against a reference snapshot, naming it', async () => {
    const report = await lint(
      [entity('Customers V3', 'Customers V3.csv', 'CSV', customers)],
      [
        {
          name: 'Customers V3.csv',
          data: csv('CUSTOMERACCOUNT,CUSTOMERGROUPID,SALESCURRENCYCODE\r\nC1,10,USD\r\nC2,10,XYZ\r\n'),
        },
      ],
      {
        snapshot: {
          label: 'USMF snapshot of UAT, 2026-12-01 10:00',
          entities: [
            { entity: 'Customer groups', fields: ['CUSTOMERGROUPID'], rows: [['10']] },
            { entity: 'Currencies', fields: ['CURRENCYCODE'], rows: [['USD']] },
          ],
        },
      },
    );
    const references = report.findings.filter((f) => f.code === 'REFERENCE_NOT_FOUND');
    expect(references.map((f) => f.row)).toEqual([2]);
    expect(references[0]?.message).toMatch(
      /SALESCURRENCYCODE "XYZ" does not exist in Currencies \(checked against USMF snapshot of UAT, 2026-12-01 10:00\)/,
    );
  });

  it("calls columns F&O's own package writes outside its map exported-only (info), never 'map the column'", async () => {
    const files = [
      {
        name: 'Exchange rates.csv',
        data: csv('RATETYPENAME,FROMCURRENCY,ENDDATE\r\nDefault,USD,2026-12-31 00:00:00\r\n'),
      },
    ];
    const entities = [entity('Exchange rates', 'Exchange rates.csv', 'CSV', ['RATETYPENAME', 'FROMCURRENCY'])];
    const fno = await lint(entities, files, { comment: '' });
    expect(fno.origin.fromFno).toBe(true);
    const exported = fno.findings.find((f) => f.code === 'COLUMN_EXPORTED_ONLY');
    expect(exported).toMatchObject({ severity: 'info', entity: 'Exchange rates' });
    expect(exported?.message).toMatch(/ENDDATE .*exported, never imported.*leave them unmapped/);
    expect(codes(fno)).not.toContain('COLUMN_NOT_MAPPED');
    const ours = await lint(entities, files, { comment: 'Written by DMF Workbench' });
    expect(ours.origin).toMatchObject({ fromFno: false });
    expect(ours.findings.find((f) => f.code === 'COLUMN_NOT_MAPPED')?.message).toMatch(/ENDDATE are not mapped/);
  });

  it('says that a manifest entry names no SourceFormat (not `uses the source format ""`)', async () => {
    const report = await lint(
      [entity('Customer groups', 'Customer groups.csv', 'CSV', GROUPS, { sourceFormat: null })],
      [{ name: 'Customer groups.csv', data: csv('CUSTOMERGROUPID,DESCRIPTION\r\n10,A\r\n') }],
    );
    const missing = report.findings.find((f) => f.code === 'SOURCE_FORMAT_MISSING');
    expect(missing?.message).toMatch(/"Customer groups" names no SourceFormat/);
    expect(report.findings.some((f) => /uses the source format ""/.test(f.message))).toBe(false);
  });

  it("takes the real F&O package for F&O's own, and one the workbench wrote for its own", async () => {
    const real = await openPackage(REAL_PACKAGE);
    expect((await lintPackage(real)).origin.fromFno).toBe(true);
    await real.close();
    const dir = await temp.make();
    const path = join(dir, 'ours.zip');
    const groups = entity('Customer groups', 'Customer groups.csv', 'CSV', GROUPS);
    const writer = await PackageWriter.create(path);
    await writer.writeRows(groups, GROUPS, [[['10', 'A']]]);
    await writer.finish(createPackageHeader('W'), createManifest('W', [groups]));
    const ours = await openPackage(path);
    expect((await lintPackage(ours)).origin).toEqual({
      fromFno: false,
      evidence: 'the workbench wrote it (its zip comment says so).',
    });
    await ours.close();
  });
});

describe('package lint of XML data', () => {
  it('reports a control character in an XML data file as XML_ILLEGAL_CHARACTER with the line', async () => {
    const xml =
      '<?xml version="1.0" encoding="utf-8"?>\r\n<Document>\r\n  <R CUSTOMERGROUPID="10" />\r\n  <R CUSTOMERGROUPID="2\u00010" />\r\n</Document>\r\n';
    const report = await lint(
      [entity('Customer groups', 'Customer groups.xml', 'XML-Attribute', ['CUSTOMERGROUPID'])],
      [{ name: 'Customer groups.xml', data: Buffer.from(xml, 'utf8') }],
    );
    const finding = report.findings.find((f) => f.code === 'XML_ILLEGAL_CHARACTER');
    expect(finding?.severity).toBe('error');
    expect(finding?.message).toMatch(
      /Customer groups\.xml, line 4, column \d+: is not well-formed XML: disallowed character/,
    );
  });
});
