import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openPackage } from '../../../electron/services/packages/packageReader';
import { PackageWriter } from '../../../electron/services/packages/packageWriter';
import { ZipArchive } from '../../../electron/services/packages/zip/zipReader';
import { fileSource } from '../../../electron/services/sources/rows';
import {
  createEntityMap,
  createManifest,
  createPackageEntity,
  createPackageHeader,
} from '../../../shared/domain/package/model';
import type { PackageEntity } from '../../../shared/domain/package/model';
import { dataFileKind } from '../../../shared/domain/package/formats';
import { dataFileName, manifestExcelSheetName } from '../../../shared/domain/package/names';
import { rawZip } from '../../support/rawZip';
import { errorOf, readAll } from '../../support/rowSources';
import { tempDirs } from '../../support/tempDir';

const temp = tempDirs();

const COLUMNS = ['CUSTOMERGROUPID', 'DESCRIPTION', 'PAYMENTTERMID'];
const ROWS = [
  ['10', 'Wholesale, "big"', 'Net30'],
  ['20', 'Retail € – Ünïcode', ''],
  ['30', 'Intercompany\r\ntwo lines', 'Net10'],
];

function entityFor(format: string, label: string, sequence: number): PackageEntity {
  const kind = dataFileKind(format, '')!;
  return createPackageEntity({
    label,
    inputFilePath: dataFileName(label, kind),
    sourceFormat: format,
    maps: COLUMNS.map((c) => createEntityMap(c)),
    targetEntity: 'CustCustomerGroupEntity',
    placement: { executionUnit: 1, level: 1, sequence },
    ...(format === 'EXCEL' ? { excelSheetName: manifestExcelSheetName(label) } : {}),
  });
}

describe('data packages', () => {
  it('writes every format into one package and reads every entity back unchanged', async () => {
    const dir = await temp.make();
    const path = join(dir, 'Setup.zip');
    const formats = ['CSV-Unicode', 'EXCEL', 'XML-Attribute', 'XML-Element', 'CSV'];
    const entities = formats.map((f, i) => entityFor(f, `Customer groups ${f}`, i + 1));
    const writer = await PackageWriter.create(path);
    for (const e of entities) {
      // CSV (Windows-1252) cannot hold every character; give it the ones it can.
      const rows = e.sourceFormat === 'CSV' ? ROWS.map((r) => r.map((v) => v.replace('–', '-'))) : ROWS;
      const written = await writer.writeRows(e, COLUMNS, [{ rows, firstRow: 1, lines: [2, 3, 4] }]);
      expect(written.rows).toBe(3);
    }
    await writer.finish(createPackageHeader('Setup'), createManifest('Setup', entities));

    const zip = await ZipArchive.open(path);
    expect(zip.entries.map((e) => e.name)).toEqual([
      ...entities.map((e) => e.inputFilePath),
      'Manifest.xml',
      'PackageHeader.xml',
    ]);
    expect(zip.entries.every((e) => e.compressionMethod === 8 && !e.name.includes('/'))).toBe(true);
    zip.close();

    const pkg = await openPackage(path);
    expect(pkg.kind).toBe('zip');
    expect(pkg.header).toMatchObject({ description: 'Setup', packageVersion: 2 });
    expect(pkg.manifest.entities.map((e) => [e.entityName, e.sequenceInLevel])).toEqual(
      entities.map((e) => [e.entityName, e.sequenceInLevel]),
    );
    for (const e of pkg.manifest.entities) {
      const reader = await pkg.openRows(e);
      expect(reader.columns).toEqual(COLUMNS);
      const expected = e.sourceFormat === 'CSV' ? ROWS.map((r) => r.map((v) => v.replace('–', '-'))) : ROWS;
      expect([e.sourceFormat, (await readAll(reader)).rows]).toEqual([e.sourceFormat, expected]);
    }
    await pkg.close();
  });

  it('opens an unpacked package folder the same way', async () => {
    const dir = await temp.make();
    const zipPath = join(dir, 'p.zip');
    const entity = entityFor('CSV-Unicode', 'Customer groups', 1);
    const writer = await PackageWriter.create(zipPath);
    await writer.writeRows(entity, COLUMNS, [ROWS]);
    await writer.finish(createPackageHeader('P'), createManifest('P', [entity]));
    const folder = join(dir, 'unpacked');
    await mkdir(folder);
    const zip = await ZipArchive.open(zipPath);
    for (const e of zip.entries) await writeFile(join(folder, e.name), await zip.readEntry(e.name, 1 << 20));
    zip.close();
    const pkg = await openPackage(folder);
    expect(pkg.kind).toBe('folder');
    expect(pkg.files.map((f) => f.name).sort()).toEqual(['Customer groups.csv', 'Manifest.xml', 'PackageHeader.xml']);
    expect((await readAll(await pkg.openRows(pkg.manifest.entities[0]!))).rows).toEqual(ROWS);
    await pkg.close();
  });

  it('copies a data file in as it is and finds it by InputFilePath ignoring case', async () => {
    const dir = await temp.make();
    const csv = join(dir, 'groups.csv');
    await writeFile(csv, 'CUSTOMERGROUPID\r\n10\r\n');
    const path = join(dir, 'p.zip');
    const entity = { ...entityFor('CSV', 'Customer groups', 1), inputFilePath: 'CUSTOMER GROUPS.CSV' };
    const writer = await PackageWriter.create(path);
    await writer.addFile('Customer groups.csv', await fileSource(csv));
    await writer.finish(createPackageHeader('P'), createManifest('P', [entity]));
    const pkg = await openPackage(path);
    expect(pkg.fileFor(pkg.manifest.entities[0]!)?.name).toBe('Customer groups.csv');
    expect((await readAll(await pkg.openRows(pkg.manifest.entities[0]!))).rows).toEqual([['10']]);
    await pkg.close();
  });

  it('leaves nothing behind when writing fails halfway', async () => {
    const dir = await temp.make();
    const writer = await PackageWriter.create(join(dir, 'p.zip'));
    const entity = entityFor('CSV', 'Customer groups', 1);
    const error = await errorOf(() =>
      writer.writeRows(entity, COLUMNS, [
        [
          ['1', 'ok', ''],
          ['2', '日本', ''],
        ],
      ]),
    );
    expect(error.message).toMatch(/Customer groups\.csv, data row 2: contains "日"/);
    await writer.abort();
    expect(await readdir(dir)).toEqual([]);
  });

  it.each([
    [
      'no manifest',
      [{ name: 'a.csv', data: Buffer.from('A\n1\n') }],
      /has no Manifest\.xml; this is not a DMF data package/,
    ],
    [
      'a package zipped with its folder',
      [{ name: 'Setup/Manifest.xml', data: Buffer.from('<x/>') }],
      /only Setup\/Manifest\.xml: it was zipped with its folder/,
    ],
    [
      'a manifest that is not XML',
      [{ name: 'Manifest.xml', data: Buffer.from('hello') }],
      /Manifest\.xml, line 1, column \d+: is not well-formed XML/,
    ],
  ])('explains %s', async (_name, entries, message) => {
    const dir = await temp.make();
    const path = join(dir, 'bad.zip');
    await writeFile(path, rawZip(entries));
    const error = await errorOf(() => openPackage(path));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(/^bad\.zip/);
    expect(error.message).toMatch(message);
  });

  it('explains an entity whose data file is missing, and a package path that does not exist', async () => {
    const dir = await temp.make();
    const path = join(dir, 'p.zip');
    const writer = await PackageWriter.create(path);
    await writer.finish(createPackageHeader('P'), createManifest('P', [entityFor('CSV', 'Customer groups', 1)]));
    const pkg = await openPackage(path);
    expect(pkg.fileFor(pkg.manifest.entities[0]!)).toBeUndefined();
    expect((await errorOf(() => pkg.openRows(pkg.manifest.entities[0]!))).message).toMatch(
      /has no data file "Customer groups\.csv" for the entity "Customer groups"/,
    );
    await pkg.close();
    expect((await errorOf(() => openPackage(join(dir, 'nope.zip')))).message).toMatch(
      /nope\.zip cannot be opened: it does not exist/,
    );
  });
});
