import { createWriteStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { openPackage } from '../../../electron/services/packages/packageReader';
import { ZipArchive } from '../../../electron/services/packages/zip/zipReader';
import { fileSource } from '../../../electron/services/sources/rows';
import { excelSerialToText, openXlsxReader } from '../../../electron/services/sources/xlsx/xlsxReader';
import { createXlsxWriter } from '../../../electron/services/sources/xlsx/xlsxWriter';
import { columnIndexOf, columnLetters } from '../../../electron/services/sources/xlsx/cellRefs';
import { excelSheetName } from '../../../shared/domain/package/names';
import { REAL_PACKAGE } from '../../support/paths';
import { errorOf, readAll } from '../../support/rowSources';
import { tempDirs } from '../../support/tempDir';
import { rawZip } from '../../support/rawZip';

const temp = tempDirs();

async function writeXlsx(path: string, columns: string[], rows: string[][], sheetName = 'Customers_V3'): Promise<void> {
  const out = createWriteStream(path);
  const writer = createXlsxWriter(out, {
    columns,
    file: 'c.xlsx',
    sheetName,
    created: new Date('2024-01-02T03:04:05Z'),
  });
  await writer.write(rows);
  await writer.end();
}

describe('xlsx', () => {
  it('reads the sheet of the real F&O package (inline strings) with sheet row numbers', async () => {
    const pkg = await openPackage(REAL_PACKAGE);
    const reader = await pkg.openRows(pkg.manifest.entities[0]!);
    expect(reader.columns).toEqual(['MAJORTYPEID', 'DESCRIPTION']);
    expect(reader.info).toMatchObject({ sheet: 'Fixed_asset_major_type', sharedStrings: 0 });
    const { rows, numbers, lines } = await readAll(reader);
    expect(rows).toHaveLength(11);
    expect(rows[0]).toEqual(['COMP', 'Computer hardware']);
    expect(rows[10]).toEqual(['VEHICLES', 'Vehicles']);
    expect(numbers[10]).toBe(11);
    expect(lines[0]).toBe(2);
    await pkg.close();
  });

  it('writes sheets the way F&O does: inline strings, empty cells left out, defined name over the header', async () => {
    const dir = await temp.make();
    const path = join(dir, 'c.xlsx');
    await writeXlsx(
      path,
      ['CUSTOMERACCOUNT', 'NAME', 'NOTE'],
      [
        ['C-001', 'Contoso & <Co>', ''],
        ['C-002', '  padded  ', 'x'],
      ],
    );
    const zip = await ZipArchive.open(path);
    expect(zip.entries.map((e) => e.name)).not.toContain('xl/sharedStrings.xml');
    const sheet = (await zip.readEntry('xl/worksheets/sheet1.xml', 1 << 20)).toString();
    const workbook = (await zip.readEntry('xl/workbook.xml', 1 << 20)).toString();
    zip.close();
    expect(sheet).toContain(
      '<row outlineLevel="0" r="1"><c r="A1" s="0" t="inlineStr"><is><t>CUSTOMERACCOUNT</t></is></c>',
    );
    expect(sheet).toContain(
      '<row outlineLevel="0" r="2"><c r="A2" s="0" t="inlineStr"><is><t>C-001</t></is></c><c r="B2" s="0" t="inlineStr"><is><t>Contoso &amp; &lt;Co&gt;</t></is></c></row>',
    );
    expect(sheet).toContain('<t xml:space="preserve">  padded  </t>');
    expect(workbook).toContain('<sheet sheetId="1" r:id="rId1" name="Customers_V3"/>');
    expect(workbook).toContain(`<definedName name="Customers_V3">'Customers_V3'!$A$1:$C$1</definedName>`);

    // An independent reader (exceljs) opens it.
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(path);
    const ws = book.getWorksheet('Customers_V3')!;
    expect(ws.getCell('B2').value).toBe('Contoso & <Co>');
    expect(ws.getCell('C3').value).toBe('x');

    const back = await openXlsxReader(await fileSource(path));
    expect((await readAll(back)).rows).toEqual([
      ['C-001', 'Contoso & <Co>', ''],
      ['C-002', '  padded  ', 'x'],
    ]);
  });

  it('reads workbooks saved by Excel-like tools: shared strings, numbers, dates, booleans, gaps, several sheets', async () => {
    const dir = await temp.make();
    const path = join(dir, 'excel.xlsx');
    const book = new ExcelJS.Workbook();
    book.addWorksheet('Notes').getCell('A1').value = 'not this one';
    const ws = book.addWorksheet('Customers');
    ws.addRow(['ACCOUNT', 'AMOUNT', 'DUE', 'ACTIVE', 'WHEN']);
    ws.addRow(['C-1', 4.2, new Date(Date.UTC(2024, 1, 29)), true, new Date(Date.UTC(2024, 1, 29, 13, 5, 9))]);
    ws.getCell('C2').numFmt = 'yyyy-mm-dd';
    ws.getCell('E2').numFmt = 'yyyy-mm-dd hh:mm:ss';
    ws.getRow(4).values = ['C-3', 1e-7];
    await book.xlsx.writeFile(path);
    const reader = await openXlsxReader(await fileSource(path), { sheet: 'customers$' });
    expect(reader.info.sheet).toBe('Customers');
    expect(reader.info.sharedStrings).toBeGreaterThan(0);
    const { rows, lines, numbers } = await readAll(reader);
    expect(rows).toEqual([
      ['C-1', '4.2', '2024-02-29', 'TRUE', '2024-02-29 13:05:09'],
      ['C-3', '1e-7', '', '', ''],
    ]);
    expect(lines).toEqual([2, 4]); // row 3 is empty and skipped
    expect(numbers).toEqual([1, 2]);
    const missing = await errorOf(async () => openXlsxReader(await fileSource(path), { sheet: 'Vendors' }));
    expect(missing.message).toMatch(/has no worksheet "Vendors" \(it has "Notes", "Customers"\)/);
  });

  it('refuses a value beyond the header width, and damaged or non-xlsx files, naming the file', async () => {
    const dir = await temp.make();
    const path = join(dir, 'wide.xlsx');
    const book = new ExcelJS.Workbook();
    const ws = book.addWorksheet('S');
    ws.addRow(['A', 'B']);
    ws.addRow(['1', '2', 'stray']);
    await book.xlsx.writeFile(path);
    const wide = await errorOf(async () => readAll(await openXlsxReader(await fileSource(path))));
    expect(wide.message).toMatch(/wide\.xlsx, line 2, column 3: row 2 of sheet "S" has a value in column 3/);

    const notXlsx = join(dir, 'plain.xlsx');
    await writeFile(notXlsx, rawZip([{ name: 'hello.txt', data: Buffer.from('hi') }]));
    expect((await errorOf(async () => openXlsxReader(await fileSource(notXlsx)))).message).toMatch(
      /plain\.xlsx is not an Excel workbook/,
    );

    const csvNamedXlsx = join(dir, 'csv.xlsx');
    await writeFile(csvNamedXlsx, 'A,B\n1,2\n');
    expect((await errorOf(async () => openXlsxReader(await fileSource(csvNamedXlsx)))).message).toMatch(
      /csv\.xlsx is not a readable zip file/,
    );

    const damaged = Buffer.from(await readFile(path));
    const brokenPath = join(dir, 'broken.xlsx');
    await writeFile(brokenPath, damaged.subarray(0, damaged.length - 40));
    const broken = await errorOf(async () => readAll(await openXlsxReader(await fileSource(brokenPath))));
    expect(broken.code).toBe('INVALID_INPUT');
    expect(broken.message).toMatch(/^broken\.xlsx/);
  });

  it('names sheets and columns as F&O does', () => {
    expect(excelSheetName('Fixed asset major type')).toBe('Fixed_asset_major_type');
    expect(excelSheetName('Address and contact information purpose')).toBe('Address_and_contact_informatio');
    expect(excelSheetName('Country/regions')).toBe('Country_regions');
    expect([columnLetters(0), columnLetters(25), columnLetters(26), columnLetters(254), columnLetters(16383)]).toEqual([
      'A',
      'Z',
      'AA',
      'IU',
      'XFD',
    ]);
    expect([columnIndexOf('A1'), columnIndexOf('IU7'), columnIndexOf('XFD1048576'), columnIndexOf('12')]).toEqual([
      0, 254, 16383, -1,
    ]);
    expect(excelSerialToText(45351, false)).toBe('2024-02-29');
    expect(excelSerialToText(0.5, false)).toBe('1899-12-30 12:00:00');
  });
});
