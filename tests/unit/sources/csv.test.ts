import { PassThrough } from 'node:stream';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { openCsvReader } from '../../../electron/services/sources/csv/csvReader';
import { createCsvWriter } from '../../../electron/services/sources/csv/csvWriter';
import { detectEncoding } from '../../../electron/services/sources/encoding';
import { bufferSource } from '../../../electron/services/sources/rows';
import { CSV_DIALECT, CSV_UNICODE_DIALECT } from '../../../shared/domain/dialects/csvDialect';
import type { CsvDialect } from '../../../shared/domain/dialects/csvDialect';
import { chunkedSource, errorOf, readAll } from '../../support/rowSources';

async function write(dialect: CsvDialect, columns: string[], rows: string[][]): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const writer = createCsvWriter(out, { columns, dialect, file: 'out.csv' });
  await writer.write(rows);
  await writer.end();
  return Buffer.concat(chunks);
}

const TRICKY = [
  ['C-001', 'Contoso, Ltd.', 'He said "hi"'],
  ['C-002', 'Line one\r\nline two', ''],
  ['C-003', ' leading space', 'Fabrikam € Ünïcödé'],
];

describe('CSV reader', () => {
  it('reads quoted fields, doubled qualifiers, embedded line breaks, blank lines; numbers rows and lines', async () => {
    const text = 'ID,NAME,NOTE\r\n1,"Contoso, Ltd.","He said ""hi"""\r\n\r\n2,"two\nlines",x\r\n3,plain,"q"\r\n';
    for (const chunk of [1, 3, 7, 1024]) {
      const reader = await openCsvReader(chunkedSource('c.csv', text, chunk));
      expect(reader.columns).toEqual(['ID', 'NAME', 'NOTE']);
      const { rows, numbers, lines } = await readAll(reader);
      expect(rows).toEqual([
        ['1', 'Contoso, Ltd.', 'He said "hi"'],
        ['2', 'two\nlines', 'x'],
        ['3', 'plain', 'q'],
      ]);
      expect(numbers).toEqual([1, 2, 3]);
      expect(lines).toEqual([2, 4, 6]);
      expect(reader.blankLines).toBe(1);
    }
  });

  it.each([
    [',', 'A,B\n1,2\n'],
    [';', 'A;B\n1;2\n'],
    ['\t', 'A\tB\n1\t2\n'],
    ['|', 'A|B\n1|2\n'],
  ])('detects the %j delimiter from the header line', async (delimiter, text) => {
    const reader = await openCsvReader(bufferSource('d.csv', Buffer.from(text)));
    expect(reader.info.delimiter).toBe(delimiter);
    expect((await readAll(reader)).rows).toEqual([['1', '2']]);
  });

  it('reads files without a header row, with LF, CR or no final line break, and without a qualifier', async () => {
    const noHeader = await openCsvReader(bufferSource('n.csv', Buffer.from('1,2\r3,4')), { headerRow: false });
    expect(noHeader.columns).toEqual(['COLUMN1', 'COLUMN2']);
    expect((await readAll(noHeader)).rows).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
    const noQualifier = await openCsvReader(bufferSource('q.csv', Buffer.from('A,B\n"x,y\n')), { qualifier: '' });
    expect((await readAll(noQualifier)).rows).toEqual([['"x', 'y']]);
  });

  it('detects UTF-8 with and without BOM, UTF-16LE with BOM (CSV-Unicode), UTF-16 without BOM and Windows-1252', async () => {
    const text = 'NAME\r\nMüller € ÆØÅ\r\n';
    const cases: [string, Buffer, string, boolean][] = [
      ['utf8', Buffer.from(text, 'utf8'), 'utf-8', false],
      ['utf8 bom', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]), 'utf-8', true],
      ['utf16 bom', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), 'utf-16le', true],
      ['utf16 no bom', Buffer.from(text, 'utf16le'), 'utf-16le', false],
      [
        'utf16be bom',
        Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]),
        'utf-16be',
        true,
      ],
      ['1252', iconv.encode(text, 'windows-1252'), 'windows-1252', false],
    ];
    for (const [name, bytes, encoding, bom] of cases) {
      const reader = await openCsvReader(chunkedSource(`${name}.csv`, bytes, 5));
      expect([name, reader.info.encoding, reader.info.bom]).toEqual([name, encoding, bom]);
      expect(reader.columns).toEqual(['NAME']); // a BOM never sticks to the first header
      expect((await readAll(reader)).rows).toEqual([['Müller € ÆØÅ']]);
    }
  });

  it('lets an encoding override win over detection, and explains bytes invalid in the encoding', async () => {
    const latin = iconv.encode('NAME\r\nnì\r\n', 'windows-1252');
    expect(detectEncoding(latin).encoding).toBe('windows-1252');
    const forced = await openCsvReader(bufferSource('x.csv', latin), { encoding: 'iso-8859-2' });
    expect(forced.info.encodingReason).toBe('override');
    expect((await readAll(forced)).rows).toEqual([['ně']]);

    const bad = Buffer.concat([Buffer.from('NAME\r\nok\r\nok\r\n'), Buffer.from([0xc3, 0x28]), Buffer.from('\r\n')]);
    const error = await errorOf(async () =>
      readAll(await openCsvReader(bufferSource('bad.csv', bad), { encoding: 'utf-8' })),
    );
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(/^bad\.csv, line 4: the bytes are not valid utf-8/);

    const unknown = await errorOf(() =>
      openCsvReader(bufferSource('u.csv', Buffer.from('A\n1\n')), { encoding: 'klingon-8' }),
    );
    expect(unknown.message).toMatch(/"klingon-8" is not an encoding/);
  });

  it('decodes ASCII chunks and multi-byte characters split across chunks alike, at every boundary', async () => {
    const text = 'NAME,CITY\r\nMüller,Zürich\r\nplain,ascii\r\n€uro,日本\r\nend,𝄞\r\n';
    for (const chunk of [1, 2, 3, 5, 8, 4096]) {
      const reader = await openCsvReader(chunkedSource('u.csv', text, chunk));
      expect((await readAll(reader)).rows).toEqual([
        ['Müller', 'Zürich'],
        ['plain', 'ascii'],
        ['€uro', '日本'],
        ['end', '𝄞'],
      ]);
    }
    const latin = iconv.encode('NAME\r\nplain\r\nnì€\r\n', 'windows-1252');
    for (const chunk of [1, 3, 4096]) {
      const reader = await openCsvReader(chunkedSource('w.csv', latin, chunk), { encoding: 'windows-1252' });
      expect((await readAll(reader)).rows).toEqual([['plain'], ['nì€']]);
    }
    // Bad bytes are still caught after ASCII chunks, with their line.
    const bad = Buffer.concat([Buffer.from('NAME\r\nok\r\nü\r\n'), Buffer.from([0xc3]), Buffer.from('ok\r\n')]);
    for (const chunk of [1, 2, 4096]) {
      const error = await errorOf(async () =>
        readAll(await openCsvReader(chunkedSource('bad.csv', bad, chunk), { encoding: 'utf-8' })),
      );
      expect(error.message).toMatch(/^bad\.csv, line 4: the bytes are not valid utf-8/);
    }
  });

  it('reads records of changing width (each sized like the last) without holes', async () => {
    const reader = await openCsvReader(bufferSource('r.csv', Buffer.from('A,B,C\n1,2,3\n4\n5,6\n7,8,9,10\n,\n')), {
      ragged: 'keep',
    });
    const { rows } = await readAll(reader);
    expect(rows).toEqual([['1', '2', '3'], ['4'], ['5', '6'], ['7', '8', '9', '10'], ['', '']]);
    for (const row of rows) expect(Object.keys(row).length).toBe(row.length);
  });

  it.each([
    ['a ragged row', 'A,B\r\n1,2\r\n3,4,5\r\n', /line 3: data row 2 has 3 values but the header has 2 columns/],
    ['a short row', 'A,B,C\n1,2,3\n4\n', /line 3: data row 2 has 1 value but the header has 3 columns/],
    [
      'an unclosed qualifier',
      'A,B\n1,"open\n2,3\n',
      /line 2, column 2: the text qualifier " opened in this field is never closed/,
    ],
    [
      'text after a closing qualifier',
      'A,B\n"x"y,2\n',
      /line 2, column 1: unexpected text after the closing text qualifier/,
    ],
    ['binary garbage (NUL bytes)', 'A,B\n1,2\n\u0000\u0001\u0002,3\n', /line 3: contains a NUL character/],
  ])('refuses %s with the file and line', async (_name, text, message) => {
    for (const chunk of [1, 4096]) {
      const error = await errorOf(async () => readAll(await openCsvReader(chunkedSource('in.csv', text, chunk))));
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message).toMatch(/^in\.csv, /);
      expect(error.message).toMatch(message);
    }
  });

  it('keeps ragged rows when asked', async () => {
    const reader = await openCsvReader(bufferSource('r.csv', Buffer.from('A,B\n1\n2,3,4\n')), { ragged: 'keep' });
    expect((await readAll(reader)).rows).toEqual([['1'], ['2', '3', '4']]);
  });

  it('stops an unclosed qualifier from eating memory: the record size is capped', async () => {
    const text = `A,B\n1,"${'x'.repeat(300_000)}`;
    const error = await errorOf(async () =>
      readAll(await openCsvReader(chunkedSource('big.csv', text, 4096), { maxRecordChars: 100_000 })),
    );
    expect(error.message).toMatch(/big\.csv, line 2: a record starting here is longer than 100,000 characters/);
  });

  it('hands out batches of at most batchRows with consecutive row numbers', async () => {
    const text = `A\n${Array.from({ length: 25 }, (_, i) => `v${i + 1}`).join('\n')}\n`;
    const reader = await openCsvReader(chunkedSource('b.csv', text, 7), { batchRows: 10 });
    const batches = [];
    for await (const b of reader) batches.push([b.firstRow, b.rows.length, b.rows[0]![0], b.lines[0]]);
    expect(batches).toEqual([
      [1, 10, 'v1', 2],
      [11, 10, 'v11', 12],
      [21, 5, 'v21', 22],
    ]);
    expect(reader.rowCount).toBe(25);
  });

  it('reads an empty file as no columns and no rows, and a header-only file as columns and no rows', async () => {
    const empty = await openCsvReader(bufferSource('e.csv', Buffer.alloc(0)));
    expect(empty.columns).toEqual([]);
    expect((await readAll(empty)).rows).toEqual([]);
    const headerOnly = await openCsvReader(bufferSource('h.csv', Buffer.from('A,B\r\n')));
    expect(headerOnly.columns).toEqual(['A', 'B']);
    expect((await readAll(headerOnly)).rows).toEqual([]);
  });
});

describe('CSV writer', () => {
  it('writes CSV-Unicode as UTF-16LE with a BOM, CRLF and every field quoted, and reads it back', async () => {
    const bytes = await write(CSV_UNICODE_DIALECT, ['ID', 'NAME', 'NOTE'], TRICKY);
    expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    const text = bytes.toString('utf16le', 2);
    expect(text.startsWith('"ID","NAME","NOTE"\r\n"C-001","Contoso, Ltd.","He said ""hi"""\r\n')).toBe(true);
    const reader = await openCsvReader(chunkedSource('u.csv', bytes, 3));
    expect(reader.info).toMatchObject({ encoding: 'utf-16le', bom: true, lineEnding: '\r\n' });
    expect((await readAll(reader)).rows).toEqual(TRICKY);
  });

  it('writes plain CSV in Windows-1252 and refuses characters the code page lacks, naming the row', async () => {
    const ok = await write(CSV_DIALECT, ['A'], [['Müller €']]);
    expect(ok.equals(iconv.encode('"A"\r\n"Müller €"\r\n', 'windows-1252'))).toBe(true);
    const error = await errorOf(() => write(CSV_DIALECT, ['A'], [['fine'], ['also fine'], ['日本']]));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(
      /out\.csv, data row 3: contains "日", which windows-1252 cannot hold\. Use the CSV-Unicode format/,
    );
  });

  it('quotes only where needed when asked, with any delimiter', async () => {
    const dialect = {
      ...CSV_DIALECT,
      encoding: 'utf-8',
      delimiter: ';',
      quote: 'needed' as const,
      lineEnding: '\n' as const,
    };
    const bytes = await write(
      dialect,
      ['A', 'B'],
      [
        ['x;y', 'plain'],
        ['q"q', ' pad'],
      ],
    );
    expect(bytes.toString()).toBe('A;B\n"x;y";plain\n"q""q";" pad"\n');
    const back = await openCsvReader(bufferSource('n.csv', bytes));
    expect((await readAll(back)).rows).toEqual([
      ['x;y', 'plain'],
      ['q"q', ' pad'],
    ]);
  });

  it('refuses a value a format without qualifier cannot carry, and rows of the wrong width', async () => {
    const noQualifier = { ...CSV_DIALECT, qualifier: '', encoding: 'utf-8' };
    expect((await errorOf(() => write(noQualifier, ['A', 'B'], [['1', 'a,b']]))).message).toMatch(
      /data row 1, column 2: the value of B contains a delimiter/,
    );
    expect((await errorOf(() => write(CSV_DIALECT, ['A', 'B'], [['1']]))).message).toMatch(/data row 1: has 1 cells/);
  });
});
