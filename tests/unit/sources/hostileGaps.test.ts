/**
 * Gaps the hostile-input corpus (tests/support/hostile/corpus.ts) found in the readers, each
 * with the smallest file that shows it.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { kindOf } from '../../../electron/services/datasets/readers';
import { openCsvReader } from '../../../electron/services/sources/csv/csvReader';
import { INPUT_LIMITS } from '../../../electron/services/sources/limits';
import { bufferSource } from '../../../electron/services/sources/rows';
import { openXlsxReader } from '../../../electron/services/sources/xlsx/xlsxReader';
import { openXmlReader } from '../../../electron/services/sources/xml/xmlReader';
import { minimalXlsx } from '../../support/hostile/xlsxParts';
import { chunkedSource, errorOf, readAll } from '../../support/rowSources';
import { tempDirs } from '../../support/tempDir';

const temp = tempDirs();
const SST = (body: string) => `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${body}</sst>`;
const HEADER = '<row r="1"><c r="A1" t="inlineStr"><is><t>A</t></is></c></row>';

describe('reader gaps found by the hostile corpus', () => {
  it('tells XML-Attribute from the first record even when its start tag runs past the sniffed bytes', async () => {
    // 4,097 attributes: the tag does not end in the first 16 KiB; it was taken for XML-Element,
    // which read one row of no columns and packed it (the values silently lost).
    const dir = await temp.make();
    const attrs = Array.from({ length: 4097 }, (_, i) => `F${i}="v"`).join(' ');
    const path = join(dir, 'many.xml');
    await writeFile(path, `<?xml version="1.0" encoding="utf-8"?><Document><RECORD ${attrs}/></Document>`);
    expect(await kindOf(path)).toBe('xml-attribute');
  });

  it('refuses a record with attributes read as XML-Element, instead of dropping their values', async () => {
    const xml =
      '<Document><RECORD xmlns:x="urn:x" CUSTOMERGROUPID="10"><DESCRIPTION>A</DESCRIPTION></RECORD></Document>';
    const error = await errorOf(async () =>
      readAll(await openXmlReader(bufferSource('g.xml', Buffer.from(xml)), { style: 'element' })),
    );
    expect(error).toMatchObject({ code: 'INVALID_INPUT', details: { file: 'g.xml' } });
    expect(error.message).toMatch(
      /attribute CUSTOMERGROUPID, but it is read as XML-Element .* Open it as XML-Attribute/,
    );
  });

  it('refuses an attribute value over the value limit, as it does an element value', async () => {
    const long = 'x'.repeat(INPUT_LIMITS.fieldChars + 1);
    const xml = `<Document><RECORD A="1" B="${long}"/></Document>`;
    const error = await errorOf(async () =>
      readAll(
        await openXmlReader(bufferSource('g.xml', Buffer.from(xml)), { style: 'attribute', columns: ['A', 'B'] }),
      ),
    );
    expect(error.message).toMatch(/g\.xml, line 1: has a value of B longer than 8,388,608 characters/);
  });

  it('refuses a header with bytes the encoding lacks also when bad rows are flagged (they cannot be flagged on a row)', async () => {
    // A UTF-16 BOM before UTF-8 text of odd length: the grid loaded one garbled column without a word.
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('CUSTOMERGROUPID,DESCRIPTION\r\n10,A\r\n')]);
    const problems: unknown[] = [];
    const error = await errorOf(async () =>
      readAll(await openCsvReader(bufferSource('g.csv', bytes), { onProblem: (p) => problems.push(p) })),
    );
    expect(error).toMatchObject({ code: 'INVALID_INPUT', details: { file: 'g.csv', row: 0 } });
    expect(error.message).toMatch(/the header row has bytes that are not valid utf-16le .* Choose the encoding/);
  });

  it('counts shared-string entries before parsing a big table, exactly across chunk borders', async () => {
    // 4.5 million empty <si/> took saxes over 10 s to refuse on a loaded machine; counted first, it is refused at once.
    const entries = 20_000;
    const table = SST('<si><t>v</t></si>'.repeat(entries));
    const open = (max: number) =>
      openXlsxReader(bufferSource('s.xlsx', minimalXlsx({ sheet: HEADER, sharedStrings: table })), {
        maxSharedStrings: max,
      });
    // 340 KB of part: several inflate chunks; a tag split between two must be counted once.
    expect((await readAll(await open(entries))).rows).toEqual([]);
    const error = await errorOf(async () => readAll(await open(entries - 1)));
    expect(error.message).toMatch(/holds more than 19,999 entries of shared strings/);
    const prefixed = `<x:sst xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${'<x:si/>'.repeat(entries)}</x:sst>`;
    const prefixedError = await errorOf(async () =>
      readAll(
        await openXlsxReader(bufferSource('p.xlsx', minimalXlsx({ sheet: HEADER, sharedStrings: prefixed })), {
          maxSharedStrings: 1000,
        }),
      ),
    );
    expect(prefixedError.message).toMatch(/holds more than 1,000 entries of shared strings/);
  });

  it('keeps a quoted value of doubled qualifiers as one string: the heap holds about its characters', async () => {
    // 6 rows × 9 cells of 20,000 `""a`: 2.2 M characters read. A piece appended per doubled
    // qualifier made a rope of two strings per `""` (66 MB of heap here; 220 MB for a 10 MB file).
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const cell = `"${'""a'.repeat(20_000)}"`;
    const csv = `C0,C1,C2,C3,C4,C5,C6,C7,C8,C9\r\n${Array.from({ length: 6 }, (_, i) => `${i},${Array(9).fill(cell).join(',')}`).join('\r\n')}\r\n`;
    gc();
    const before = process.memoryUsage().heapUsed;
    const { rows } = await readAll(await openCsvReader(chunkedSource('q.csv', csv, 64 * 1024)));
    gc();
    const held = process.memoryUsage().heapUsed - before;
    expect(rows).toHaveLength(6);
    expect(rows[5]![9]).toBe('"a'.repeat(20_000));
    expect(held).toBeLessThan(20 * 1024 * 1024);
  });
});
