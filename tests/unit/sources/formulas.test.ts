/**
 * Cells that would run as spreadsheet formulas (OWASP "CSV Injection") in files written for a
 * person: neutralised in CSV and xlsx copies, exact in everything F&O reads.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ZipArchive } from '../../../electron/services/packages/zip/zipReader';
import { createRowWriter } from '../../../electron/services/sources/dataFiles';
import { openXlsxReader } from '../../../electron/services/sources/xlsx/xlsxReader';
import { bufferSource } from '../../../electron/services/sources/rows';
import { looksLikeFormula, neutralizeFormula } from '../../../shared/domain/dialects/formulas';
import { readAll } from '../../support/rowSources';

const HOSTILE = ["=cmd|' /C calc'!A0", '+SUM(1,2)', '-2+3', '@SUM(A1)', '\t=1+1', '\r=1'];
const HARMLESS = ['-5', '+1.5', '-1e3', '', 'Contoso', "'=already text", 'a=b', '-'];

async function write(kind: 'csv' | 'xlsx', neutralizeFormulas: boolean, rows: string[][]) {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const writer = createRowWriter(kind, out, {
    columns: ['VALUE'],
    file: `x.${kind}`,
    sourceFormat: 'CSV-Unicode',
    neutralizeFormulas,
  });
  await writer.write(rows);
  await writer.end();
  return { bytes: Buffer.concat(chunks), neutralized: writer.neutralized };
}

describe('formula neutralisation', () => {
  it('knows what a spreadsheet runs: = + - @ (and tab or CR first), but not plain numbers', () => {
    for (const v of HOSTILE) expect([v, looksLikeFormula(v)]).toEqual([v, true]);
    for (const v of HARMLESS.filter((h) => h !== '-')) expect([v, looksLikeFormula(v)]).toEqual([v, false]);
    expect(neutralizeFormula("=cmd|' /C calc'!A0")).toBe("'=cmd|' /C calc'!A0");
    expect(neutralizeFormula('-5')).toBe('-5');
  });

  it('prefixes formula-looking CSV cells with a quote in a copy for a person, and counts them', async () => {
    const rows = [...HOSTILE, ...HARMLESS].map((v) => [v]);
    const copy = await write('csv', true, rows);
    const text = copy.bytes.toString('utf16le').replace(/^\ufeff/, '');
    expect(text).toContain(`"'=cmd|' /C calc'!A0"`);
    expect(text).toContain(`"'@SUM(A1)"`);
    expect(text).toContain('"-5"');
    expect(text.startsWith('"VALUE"')).toBe(true); // the header is not data
    expect(copy.neutralized).toBe(HOSTILE.length + 1); // and the lone "-"
    // For F&O: every value exactly as it is.
    const exact = await write('csv', false, rows);
    expect(exact.bytes.toString('utf16le')).toContain(`"=cmd|' /C calc'!A0"`);
    expect(exact.neutralized).toBe(0);
  });

  it('keeps xlsx values exact and marks formula-looking cells as text with the quote-prefix style', async () => {
    const rows = [["=cmd|' /C calc'!A0"], ['-5'], ['plain']];
    const copy = await write('xlsx', true, rows);
    expect(copy.neutralized).toBe(1);
    const zip = await ZipArchive.fromBuffer(copy.bytes, { displayName: 'copy.xlsx' });
    const sheet = (await zip.readEntry('xl/worksheets/sheet1.xml', 1 << 20)).toString();
    const styles = (await zip.readEntry('xl/styles.xml', 1 << 20)).toString();
    expect(styles).toContain('quotePrefix="1"');
    expect(sheet).toMatch(/<c r="A2" s="1" t="inlineStr"><is><t>=cmd\|' \/C calc'!A0<\/t><\/is><\/c>/);
    expect(sheet).toMatch(/<c r="A3" s="0"/);
    zip.close();
    const back = await openXlsxReader(bufferSource('copy.xlsx', copy.bytes));
    expect((await readAll(back)).rows).toEqual(rows);
    const exact = await write('xlsx', false, rows);
    const plain = await ZipArchive.fromBuffer(exact.bytes, { displayName: 'exact.xlsx' });
    expect((await plain.readEntry('xl/styles.xml', 1 << 20)).toString()).not.toContain('quotePrefix');
    plain.close();
  });
});
