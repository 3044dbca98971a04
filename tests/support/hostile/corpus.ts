/**
 * Issue 12's hostile-input corpus, generated (no checked-in blobs): files as an attacker or an
 * unlucky user would hand them over (CSV/TSV, xlsx, DMF XML, data packages) and frames for the
 * browser-mode bridge. Deterministic: the same cases, byte for byte, on every run.
 *
 * A case says what a correct outcome is when that is known: `error` (the strict readers must
 * refuse it with a clear error) or the exact rows. Without it, any clear error or any rows are
 * fine, as long as every part agrees on them (tests/support/hostile/caseRunner.ts checks that the
 * row store, pack and the package read back hold exactly the rows the strict reader read, or say
 * why not). `npx tsx scripts/hostile-corpus.ts <folder>` writes the corpus out for a look.
 */
import iconv from 'iconv-lite';
import { writeManifest, writePackageHeader } from '../../../electron/services/packages/manifest/manifestXml';
import {
  createEntityMap,
  createManifest,
  createPackageEntity,
  createPackageHeader,
} from '../../../shared/domain/package/model';
import { rawZip } from '../rawZip';
import type { RawEntry } from '../rawZip';
import { seededRandom } from '../random';
import { minimalXlsx } from './xlsxParts';
import { MAX_PAGE_BYTES } from '../../../shared/api/domains/datasets';

export type Expected = 'error' | { readonly columns: readonly string[]; readonly rows: readonly (readonly string[])[] };

export interface FileCase {
  readonly id: string;
  readonly family: 'csv' | 'xlsx' | 'xml' | 'package';
  /** File name in the case's folder; its extension picks the reader. */
  readonly fileName: string;
  /** The entity the rows are validated and packed as. */
  readonly entity: string;
  /** Package cases: the manifest entity to read (default: the entity). */
  readonly packageEntity?: string;
  readonly expected?: Expected;
  /** Cells whose values a person's copy must neutralise (formula-looking); checked on export. */
  readonly formulas?: boolean;
  /** Validation must report a finding in this data row and column (a value F&O cannot take). */
  readonly finding?: { readonly row: number; readonly column: string };
  readonly bytes: () => Buffer;
}

/** A frame for the bridge: text, or bytes sent as a binary message. `$DATASET` is replaced by an open dataset's id. */
export type Frame = string | { readonly binary: Buffer };

export interface BridgeCase {
  readonly id: string;
  readonly family: 'bridge';
  readonly frames: () => readonly Frame[];
  /**
   * `error`: every frame gets an error envelope (not INTERNAL); `closed`: the server closes the
   * socket (a frame over its limit); `ok`: every frame gets an answer of at most the reply limit.
   */
  readonly expect: 'error' | 'closed' | 'ok' | 'answered';
  /** The most bytes one reply may take on the wire (default: the reply limit, MAX_REPLY_BYTES). */
  readonly maxReplyBytes?: number;
}

export type HostileCase = FileCase | BridgeCase;

const GROUPS = 'Customer groups';
const HEADER = ['CUSTOMERGROUPID', 'DESCRIPTION'];
/** An entity with a date and a real field (the built-in catalog's Exchange rates). */
const RATES = 'Exchange rates';

function csvText(columns: readonly string[], rows: readonly (readonly string[])[], eol = '\r\n', sep = ','): string {
  const quote = (v: string) => (/[",\r\n]/.test(v) || v.includes(sep) ? `"${v.replace(/"/g, '""')}"` : v);
  return [columns, ...rows].map((r) => r.map(quote).join(sep)).join(eol) + eol;
}

const utf8 = (text: string) => Buffer.from(text, 'utf8');
const latin = (text: string) => Buffer.from(text, 'latin1');
const BOM8 = Buffer.from([0xef, 0xbb, 0xbf]);

function encode(text: string, encoding: string): Buffer {
  switch (encoding) {
    case 'utf-8':
      return utf8(text);
    case 'utf-8-bom':
      return Buffer.concat([BOM8, utf8(text)]);
    case 'utf-16le-bom':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')]);
    case 'utf-16be-bom':
      return Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf-16be')]);
    case 'utf-16le':
      return iconv.encode(text, 'utf-16le');
    case 'windows-1252':
      return iconv.encode(text, 'windows-1252');
    default:
      throw new Error(`no encoding ${encoding}`);
  }
}

function csvCases(): FileCase[] {
  const cases: FileCase[] = [];
  const add = (id: string, bytes: () => Buffer, more: Partial<FileCase> = {}, fileName = 'case.csv') =>
    cases.push({ id: `csv/${id}`, family: 'csv', fileName, entity: GROUPS, bytes, ...more });

  // Encodings × contents × line endings: what F&O's files and a consultant's editors write.
  const contents: Record<string, string[][]> = {
    ascii: [
      ['10', 'Wholesale'],
      ['20', 'Retail, small'],
    ],
    latin: [['30', 'Groupe spécial n° 3 – Müller ©']],
    cjk: [['40', '東京 営業所']],
    emoji: [['50', 'Party 🎉 time']],
  };
  for (const [name, rows] of Object.entries(contents)) {
    for (const encoding of ['utf-8', 'utf-8-bom', 'utf-16le-bom', 'utf-16be-bom', 'utf-16le', 'windows-1252']) {
      if (encoding === 'windows-1252' && (name === 'cjk' || name === 'emoji')) continue;
      for (const [eolName, eol] of [
        ['crlf', '\r\n'],
        ['lf', '\n'],
      ] as const) {
        // Detection cannot be sure of UTF-16 without a BOM or of UTF-16BE: a clear refusal is fine too.
        const sure = encoding !== 'utf-16le' && encoding !== 'utf-16be-bom';
        add(
          `encoding/${name}-${encoding}-${eolName}`,
          () => encode(csvText(HEADER, rows, eol), encoding),
          sure ? { expected: { columns: HEADER, rows } } : {},
        );
      }
    }
  }
  add('encoding/cr-only', () => utf8(csvText(HEADER, contents.ascii!, '\r')));
  add('encoding/mixed-line-endings', () => utf8('CUSTOMERGROUPID,DESCRIPTION\r\n10,A\n20,B\r30,C\r\n'));

  // BOM lies and broken encodings.
  add(
    'bom/utf8-bom-windows-1252-bytes',
    () => Buffer.concat([BOM8, latin('CUSTOMERGROUPID,DESCRIPTION\r\n10,Caf\xe9\r\n')]),
    {
      expected: 'error',
    },
  );
  add('bom/utf16le-bom-utf8-text', () =>
    Buffer.concat([Buffer.from([0xff, 0xfe]), utf8(csvText(HEADER, contents.ascii!))]),
  );
  add('bom/utf16le-bom-odd-bytes', () =>
    Buffer.concat([encode(csvText(HEADER, contents.ascii!), 'utf-16le-bom'), Buffer.from([0x41])]),
  );
  add('bom/utf16be-bom-le-text', () =>
    Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(csvText(HEADER, contents.ascii!), 'utf-16le')]),
  );
  add('bom/double-utf8-bom', () => Buffer.concat([BOM8, BOM8, utf8(csvText(HEADER, contents.ascii!))]));
  add('bom/bom-only', () => BOM8);
  add('bom/utf32le-bom', () =>
    Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), iconv.encode(csvText(HEADER, contents.ascii!), 'utf-16le')]),
  );
  add('bom/utf8-bom-mid-file', () => Buffer.concat([utf8('CUSTOMERGROUPID,DESCRIPTION\r\n'), BOM8, utf8('10,A\r\n')]));
  const invalidUtf8: Record<string, number[]> = {
    'overlong-slash': [0xc0, 0xaf],
    'overlong-3-byte': [0xe0, 0x80, 0xaf],
    'surrogate-half': [0xed, 0xa0, 0x80],
    'above-u10ffff': [0xf4, 0x90, 0x80, 0x80],
    'byte-ff': [0xff],
    'lone-continuation': [0x80],
    'five-byte-form': [0xf8, 0x88, 0x80, 0x80, 0x80],
    'truncated-sequence': [0xe2, 0x82],
  };
  for (const [name, bytes] of Object.entries(invalidUtf8)) {
    // Alone, the bytes may be Windows-1252 text; beside real UTF-8 ("é") they are a mixed file.
    add(`utf8/${name}`, () =>
      Buffer.concat([utf8('CUSTOMERGROUPID,DESCRIPTION\r\n10,A'), Buffer.from(bytes), utf8('B\r\n')]),
    );
    add(
      `utf8/mixed-${name}`,
      () => Buffer.concat([utf8('CUSTOMERGROUPID,DESCRIPTION\r\n10,é\r\n20,A'), Buffer.from(bytes), utf8('B\r\n')]),
      {
        expected: 'error',
      },
    );
  }
  add(
    'utf8/truncated-at-end',
    () => Buffer.concat([utf8('CUSTOMERGROUPID,DESCRIPTION\r\n10,é\r\n20,'), Buffer.from([0xe2, 0x82])]),
    {
      expected: 'error',
    },
  );
  add(
    'utf8/late-invalid-byte-after-64k',
    () =>
      Buffer.concat([
        utf8(
          `CUSTOMERGROUPID,DESCRIPTION\r\n10,é\r\n${Array.from({ length: 8000 }, (_, i) => `G${i},plain text`).join('\r\n')}\r\n`,
        ),
        latin('99,Caf\xe9\r\n'),
      ]),
    { expected: 'error' },
  );

  // NUL bytes and control characters.
  add('nul/in-value', () => utf8('CUSTOMERGROUPID,DESCRIPTION\r\n10,a\0b\r\n'));
  add('nul/in-header', () => utf8('CUSTOMER\0GROUPID,DESCRIPTION\r\n10,a\r\n'));
  add('nul/in-quoted-value', () => utf8('CUSTOMERGROUPID,DESCRIPTION\r\n10,"a\0b"\r\n'));
  add('nul/only-nuls', () => Buffer.alloc(4096));
  add('nul/after-header', () => Buffer.concat([utf8('CUSTOMERGROUPID,DESCRIPTION\r\n'), Buffer.alloc(1000)]));
  add('nul/every-other-byte-ascii', () => iconv.encode('CUSTOMERGROUPID,DESCRIPTION\r\n10,A\r\n', 'utf-16le'));
  add('control/bell-escape-delete', () => utf8('CUSTOMERGROUPID,DESCRIPTION\r\n10,a\x07\x1b\x7fb\r\n'));
  add('control/vertical-tab-form-feed', () => utf8('CUSTOMERGROUPID,DESCRIPTION\r\n10,a\x0b\x0cb\r\n'));
  add('control/unicode-line-separators', () => utf8('CUSTOMERGROUPID,DESCRIPTION\r\n10,a\u2028b\u2029c\u0085d\r\n'), {
    expected: { columns: HEADER, rows: [['10', 'a\u2028b\u2029c\u0085d']] },
  });
  add('control/bidi-override', () => utf8('CUSTOMERGROUPID,DESCRIPTION\r\n10,\u202egnp.exe\r\n'), {
    expected: { columns: HEADER, rows: [['10', '\u202egnp.exe']] },
  });

  // Structure.
  add('structure/empty-file', () => Buffer.alloc(0));
  add('structure/only-line-breaks', () => utf8('\r\n\r\n\r\n'));
  add('structure/header-only', () => utf8('CUSTOMERGROUPID,DESCRIPTION\r\n'), {
    expected: { columns: HEADER, rows: [] },
  });
  add('structure/no-final-line-break', () => utf8('CUSTOMERGROUPID,DESCRIPTION\r\n10,A'), {
    expected: { columns: HEADER, rows: [['10', 'A']] },
  });
  add('structure/blank-lines-between', () => utf8('CUSTOMERGROUPID,DESCRIPTION\r\n\r\n10,A\r\n\r\n\r\n20,B\r\n'), {
    expected: {
      columns: HEADER,
      rows: [
        ['10', 'A'],
        ['20', 'B'],
      ],
    },
  });
  add('structure/100k-blank-lines', () => utf8(`CUSTOMERGROUPID,DESCRIPTION\r\n${'\r\n'.repeat(100_000)}10,A\r\n`), {
    expected: { columns: HEADER, rows: [['10', 'A']] },
  });
  add('structure/unclosed-qualifier', () => utf8('CUSTOMERGROUPID,DESCRIPTION\r\n10,"Wholesale\r\n20,B\r\n'), {
    expected: 'error',
  });
  add(
    'structure/unclosed-qualifier-1mib-tail',
    () => utf8(`CUSTOMERGROUPID,DESCRIPTION\r\n10,"${'x'.repeat(1 << 20)}\r\n`),
    {
      expected: 'error',
    },
  );
  add('structure/unclosed-qualifier-in-header', () => utf8('"CUSTOMERGROUPID,DESCRIPTION\r\n10,A\r\n'), {
    expected: 'error',
  });
  add('structure/text-after-closing-qualifier', () => utf8('CUSTOMERGROUPID,DESCRIPTION\r\n10,"Whole"sale\r\n'), {
    expected: 'error',
  });
  add('structure/more-values-than-columns', () => utf8('CUSTOMERGROUPID,DESCRIPTION\r\n10,A,extra\r\n'), {
    expected: 'error',
  });
  add('structure/fewer-values-than-columns', () => utf8('CUSTOMERGROUPID,DESCRIPTION,PAYMENTTERMID\r\n10\r\n'), {
    expected: 'error',
  });
  add('structure/duplicate-columns', () => utf8('CUSTOMERGROUPID,CUSTOMERGROUPID\r\n10,20\r\n'));
  add('structure/empty-column-names', () => utf8(',,\r\n1,2,3\r\n'));
  add('structure/blank-column-name', () => utf8('CUSTOMERGROUPID,  \r\n10,A\r\n'));
  add('structure/trailing-delimiter', () => utf8('CUSTOMERGROUPID,DESCRIPTION,\r\n10,A,\r\n'));
  add('structure/quoted-line-breaks', () => utf8('CUSTOMERGROUPID,DESCRIPTION\r\n10,"line 1\r\nline 2\nline 3"\r\n'), {
    expected: { columns: HEADER, rows: [['10', 'line 1\r\nline 2\nline 3']] },
  });
  add('structure/doubled-quotes-1mib', () => utf8(`CUSTOMERGROUPID,DESCRIPTION\r\n10,"${'""'.repeat(1 << 19)}"\r\n`), {
    expected: { columns: HEADER, rows: [['10', '"'.repeat(1 << 19)]] },
  });
  add('structure/4096-columns', () =>
    utf8(
      csvText(
        Array.from({ length: 4096 }, (_, i) => `C${i}`),
        [Array.from({ length: 4096 }, (_, i) => `${i}`)],
      ),
    ),
  );
  add(
    'structure/4097-columns',
    () =>
      utf8(
        csvText(
          Array.from({ length: 4097 }, (_, i) => `C${i}`),
          [],
        ),
      ),
    { expected: 'error' },
  );
  add('structure/1m-columns', () => utf8(`${','.repeat(1_000_000)}\r\n`), { expected: 'error' });
  add(
    'structure/value-over-8mi-characters',
    () => utf8(`CUSTOMERGROUPID,DESCRIPTION\r\n10,${'x'.repeat(8 * 1024 * 1024 + 1)}\r\n`),
    {
      expected: 'error',
    },
  );
  // A 4 Mi-character column name is within the limits: it reads (and names itself in every message).
  add('structure/header-line-4mib-no-delimiter', () => utf8(`${'H'.repeat(4 << 20)}\r\n`));
  // Many rows through every part (30k: 100k took 6 s of the 10 s budget on a loaded machine;
  // volume is the benches' concern, the corpus keeps its cases well inside their budget).
  add('structure/30k-rows', () =>
    utf8(
      csvText(
        HEADER,
        Array.from({ length: 30_000 }, (_, i) => [`G${i}`, `Group ${i}`]),
      ),
    ),
  );
  add('delimiter/semicolon', () => utf8('CUSTOMERGROUPID;DESCRIPTION\r\n10;A, B\r\n'), {
    expected: { columns: HEADER, rows: [['10', 'A, B']] },
  });
  add('delimiter/pipe', () => utf8('CUSTOMERGROUPID|DESCRIPTION\r\n10|A\r\n'), {
    expected: { columns: HEADER, rows: [['10', 'A']] },
  });
  add(
    'delimiter/tab-tsv',
    () => utf8('CUSTOMERGROUPID\tDESCRIPTION\r\n10\tA, B\r\n'),
    {
      expected: { columns: HEADER, rows: [['10', 'A, B']] },
    },
    'case.tsv',
  );
  add(
    'delimiter/tab-tsv-unclosed-qualifier',
    () => utf8('CUSTOMERGROUPID\tDESCRIPTION\r\n10\t"A\r\n'),
    { expected: 'error' },
    'case.tsv',
  );
  add(
    'delimiter/tab-txt-4097-columns',
    () => utf8(`${Array.from({ length: 4097 }, (_, i) => `C${i}`).join('\t')}\r\n`),
    {
      expected: 'error',
    },
    'case.txt',
  );
  add('delimiter/mixed-in-header', () => utf8('CUSTOMERGROUPID;DESCRIPTION,NAME|X\r\n10;A,B|C\r\n'));

  // Values F&O cannot take: the rows read as they are, validation names the cell.
  const rateHeader = ['RATETYPENAME', 'FROMCURRENCY', 'TOCURRENCY', 'STARTDATE', 'RATE'];
  const rate = (date: string, value: string) => utf8(csvText(rateHeader, [['Default', 'EUR', 'USD', date, value]]));
  const rateCase = (id: string, date: string, value: string, column?: string) =>
    add(id, () => rate(date, value), {
      entity: RATES,
      expected: { columns: rateHeader, rows: [['Default', 'EUR', 'USD', date, value]] },
      ...(column ? { finding: { row: 1, column } } : {}),
    });
  for (const [name, value] of Object.entries({
    'exponent-overflow': '1e400',
    nan: 'NaN',
    infinity: 'Infinity',
    hex: '0x1F',
    'arabic-digits': '١٢٣',
    'fullwidth-digits': '１２３',
    'two-decimal-points': '1.2.3',
  })) {
    rateCase(`values/real-${name}`, '2026-01-31', value, 'RATE');
  }
  // Kept exactly: F&O's own import judges a number this long (the catalog knows no precision).
  rateCase('values/real-30-digits', '2026-01-31', '999999999999999999999999999999');
  rateCase('values/real-negative-zero', '2026-01-31', '-0');
  for (const [name, value] of Object.entries({
    'february-30': '2023-02-30',
    'month-13': '2023-13-01',
    'zero-date': '0000-00-00',
    'hour-25': '2023-01-01T25:00:00',
    'day-zero': '1900-01-00',
    'year-five-digits': '20231-01-01',
    'day-month-swapped': '31/31/2023',
  })) {
    rateCase(`values/date-${name}`, value, '1.5', 'STARTDATE');
  }
  rateCase('values/date-leap-day', '2024-02-29', '1.5');
  return cases;
}

/** Formula-looking cells (OWASP CSV injection): exported for a person they are neutralised, packed they stay exact. */
const FORMULAS: Record<string, string> = {
  'dde-cmd': "=cmd|' /C calc'!A0",
  plus: '+1+1',
  minus: '-2+3',
  at: '@SUM(1+1)',
  'tab-equals': '\t=1+1',
  'cr-equals': '\r=1+1',
  hyperlink: '=HYPERLINK("http://example.invalid","click")',
  'negative-number': '-5',
  'plus-number': '+1.5',
  'already-quoted': "'=1+1",
};

function formulaCases(): FileCase[] {
  const cases: FileCase[] = [];
  for (const [name, value] of Object.entries(FORMULAS)) {
    const rows = [['10', value]];
    cases.push({
      id: `csv/formula/${name}`,
      family: 'csv',
      fileName: 'case.csv',
      entity: GROUPS,
      formulas: true,
      expected: { columns: HEADER, rows },
      bytes: () => utf8(csvText(HEADER, rows)),
    });
    cases.push({
      id: `xlsx/formula/${name}`,
      family: 'xlsx',
      fileName: 'case.xlsx',
      entity: GROUPS,
      formulas: true,
      expected: { columns: HEADER, rows },
      bytes: () => minimalXlsx({ sheet: inlineRows([HEADER, ['10', value]]) }),
    });
  }
  return cases;
}

/** XML text; a CR as a character reference (XML parsers turn a literal CR into LF). */
function xmlEscape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\r/g, '&#13;');
}

function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

function inlineRows(rows: readonly (readonly string[])[]): string {
  return rows
    .map(
      (row, r) =>
        `<row r="${r + 1}">${row
          .map(
            (v, c) =>
              `<c r="${columnName(c)}${r + 1}" t="inlineStr"><is><t xml:space="preserve">${xmlEscape(v)}</t></is></c>`,
          )
          .join('')}</row>`,
    )
    .join('');
}

const SST = (body: string, attrs = '') =>
  `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"${attrs}>${body}</sst>`;
const HEADER_ROW =
  '<row r="1"><c r="A1" t="inlineStr"><is><t>CUSTOMERGROUPID</t></is></c><c r="B1" t="inlineStr"><is><t>DESCRIPTION</t></is></c></row>';
const withData = (cells: string) =>
  `${HEADER_ROW}<row r="2"><c r="A2" t="inlineStr"><is><t>10</t></is></c>${cells}</row>`;

function xlsxCases(): FileCase[] {
  const cases: FileCase[] = [];
  const add = (id: string, bytes: () => Buffer, expected?: Expected) =>
    cases.push({
      id: `xlsx/${id}`,
      family: 'xlsx',
      fileName: 'case.xlsx',
      entity: GROUPS,
      bytes,
      ...(expected ? { expected } : {}),
    });
  const one = (value: string): Expected => ({ columns: HEADER, rows: [['10', value]] });

  add('shape/minimal', () => minimalXlsx({ sheet: inlineRows([HEADER, ['10', 'Wholesale']]) }), one('Wholesale'));
  add(
    'shape/shared-strings',
    () =>
      minimalXlsx({
        sheet: `${HEADER_ROW}<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c></row>`,
        sharedStrings: SST(
          '<si><t>10</t></si><si><r><t>Whole</t></r><r><t>sale</t></r></si>',
          ' count="2" uniqueCount="2"',
        ),
      }),
    one('Wholesale'),
  );
  add('shape/header-only', () => minimalXlsx({ sheet: HEADER_ROW }), { columns: HEADER, rows: [] });
  add('shape/empty-sheet', () => minimalXlsx({ sheet: '' }));
  add('shape/no-r-attributes', () =>
    minimalXlsx({
      sheet:
        '<row><c t="inlineStr"><is><t>CUSTOMERGROUPID</t></is></c><c t="inlineStr"><is><t>DESCRIPTION</t></is></c></row><row><c t="inlineStr"><is><t>10</t></is></c><c t="inlineStr"><is><t>A</t></is></c></row>',
    }),
  );
  add('shape/rows-out-of-order', () =>
    minimalXlsx({ sheet: `<row r="3"><c r="A3" t="inlineStr"><is><t>x</t></is></c></row>${HEADER_ROW}` }),
  );
  add('shape/duplicate-row-numbers', () => minimalXlsx({ sheet: `${HEADER_ROW}${HEADER_ROW}` }));
  add('shape/gap-of-a-million-rows', () =>
    minimalXlsx({ sheet: `${HEADER_ROW}<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>10</t></is></c></row>` }),
  );
  add('shape/two-sheets', () =>
    minimalXlsx({
      workbook:
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/><sheet name="Other" sheetId="2" r:id="rId2"/></sheets></workbook>',
    }),
  );
  add(
    'shape/no-sheets',
    () =>
      minimalXlsx({
        workbook: '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>',
      }),
    'error',
  );
  add('shape/workbook-not-xml', () => minimalXlsx({ workbook: 'PK this is not xml' }), 'error');

  // References.
  for (const [name, ref] of Object.entries({
    'row-zero': 'B0',
    'beyond-xfd': 'XFE2',
    'beyond-last-row': 'B1048577',
    garbage: '!!',
    lowercase: 'b2',
    empty: '',
  })) {
    add(`refs/${name}`, () => minimalXlsx({ sheet: withData(`<c r="${ref}" t="inlineStr"><is><t>A</t></is></c>`) }));
  }
  add(
    'refs/16385-columns',
    () =>
      minimalXlsx({
        sheet: `<row r="1">${Array.from({ length: 16385 }, (_, i) => `<c t="inlineStr"><is><t>C${i}</t></is></c>`).join('')}</row>`,
      }),
    'error',
  );
  add(
    'refs/4097-columns',
    () =>
      minimalXlsx({
        sheet: `<row r="1">${Array.from({ length: 4097 }, (_, i) => `<c r="${columnName(i)}1" t="inlineStr"><is><t>C${i}</t></is></c>`).join('')}</row>`,
      }),
    'error',
  );

  // Shared strings.
  add(
    'sst/index-out-of-range',
    () => minimalXlsx({ sheet: withData('<c r="B2" t="s"><v>5</v></c>'), sharedStrings: SST('<si><t>a</t></si>') }),
    'error',
  );
  add(
    'sst/index-not-a-number',
    () => minimalXlsx({ sheet: withData('<c r="B2" t="s"><v>abc</v></c>'), sharedStrings: SST('<si><t>a</t></si>') }),
    'error',
  );
  add(
    'sst/negative-index',
    () => minimalXlsx({ sheet: withData('<c r="B2" t="s"><v>-1</v></c>'), sharedStrings: SST('<si><t>a</t></si>') }),
    'error',
  );
  add('sst/missing-table', () => minimalXlsx({ sheet: withData('<c r="B2" t="s"><v>0</v></c>') }), 'error');
  add(
    'sst/unique-count-lie',
    () =>
      minimalXlsx({
        sheet: withData('<c r="B2" t="s"><v>0</v></c>'),
        sharedStrings: SST('<si><t>a</t></si>', ' uniqueCount="999999999"'),
      }),
    'error',
  );
  add(
    'sst/4.5-million-empty-entries',
    () => minimalXlsx({ sheet: HEADER_ROW, sharedStrings: SST('<si/>'.repeat(4_500_000)) }),
    'error',
  );
  add(
    'sst/entry-over-8mi-characters',
    () =>
      minimalXlsx({
        sheet: withData('<c r="B2" t="s"><v>0</v></c>'),
        sharedStrings: SST(`<si><t>${'x'.repeat(8 * 1024 * 1024 + 1)}</t></si>`),
      }),
    'error',
  );
  add('sst/not-xml', () => minimalXlsx({ sheet: HEADER_ROW, sharedStrings: '\u0000\u0001 binary' }), 'error');

  // Cell types and values.
  add('cells/formula-with-cached-value', () => minimalXlsx({ sheet: withData('<c r="B2"><f>1+1</f><v>2</v></c>') }));
  add('cells/formula-without-value', () => minimalXlsx({ sheet: withData('<c r="B2"><f>NOW()</f></c>') }));
  add('cells/boolean-2', () => minimalXlsx({ sheet: withData('<c r="B2" t="b"><v>2</v></c>') }));
  add('cells/error-value', () => minimalXlsx({ sheet: withData('<c r="B2" t="e"><v>#DIV/0!</v></c>') }));
  add('cells/date-type-garbage', () => minimalXlsx({ sheet: withData('<c r="B2" t="d"><v>not a date</v></c>') }));
  add('cells/number-type-text', () => minimalXlsx({ sheet: withData('<c r="B2" t="n"><v>abc</v></c>') }));
  add('cells/number-1e309', () => minimalXlsx({ sheet: withData('<c r="B2"><v>1E+309</v></c>') }));
  add('cells/number-1e-400', () => minimalXlsx({ sheet: withData('<c r="B2"><v>1E-400</v></c>') }));
  add('cells/number-30-digits', () =>
    minimalXlsx({ sheet: withData('<c r="B2"><v>999999999999999999999999999999</v></c>') }),
  );
  add('cells/unknown-type', () => minimalXlsx({ sheet: withData('<c r="B2" t="zz"><v>1</v></c>') }));
  add('cells/date-style-huge-serial', () =>
    minimalXlsx({
      sheet: withData('<c r="B2" s="1"><v>99999999999</v></c>'),
      styles:
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>',
    }),
  );
  add('cells/date-style-negative-serial', () =>
    minimalXlsx({
      sheet: withData('<c r="B2" s="1"><v>-5</v></c>'),
      styles:
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>',
    }),
  );
  add('cells/style-index-out-of-range', () => minimalXlsx({ sheet: withData('<c r="B2" s="99"><v>5</v></c>') }));
  add(
    'cells/inline-nul-reference',
    () => minimalXlsx({ sheet: withData('<c r="B2" t="inlineStr"><is><t>a&#0;b</t></is></c>') }),
    'error',
  );
  add(
    'cells/inline-surrogate-reference',
    () => minimalXlsx({ sheet: withData('<c r="B2" t="inlineStr"><is><t>a&#xD800;b</t></is></c>') }),
    'error',
  );
  add(
    'cells/inline-emoji-reference',
    () => minimalXlsx({ sheet: withData('<c r="B2" t="inlineStr"><is><t>&#x1F389;</t></is></c>') }),
    one('🎉'),
  );
  add(
    'cells/inline-value-over-8mi',
    () =>
      minimalXlsx({
        sheet: withData(`<c r="B2" t="inlineStr"><is><t>${'x'.repeat(8 * 1024 * 1024 + 1)}</t></is></c>`),
      }),
    'error',
  );

  // XML attacks inside the workbook.
  add(
    'xml/doctype-in-sheet',
    () =>
      rawXlsxWithSheet(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "boom">]><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>',
      ),
    'error',
  );
  add(
    'xml/xxe-in-shared-strings',
    () =>
      minimalXlsx({
        sheet: withData('<c r="B2" t="s"><v>0</v></c>'),
        sharedStrings:
          '<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY x SYSTEM "file:///etc/passwd">]><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&x;</t></si></sst>',
      }),
    'error',
  );
  add(
    'xml/billion-laughs',
    () =>
      minimalXlsx({
        sheet: withData('<c r="B2" t="s"><v>0</v></c>'),
        sharedStrings: `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('')}]><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol9;</t></si></sst>`,
      }),
    'error',
  );
  add(
    'xml/deep-nesting-in-sheet',
    () => minimalXlsx({ sheet: `${HEADER_ROW}${'<x>'.repeat(100_000)}${'</x>'.repeat(100_000)}` }),
    'error',
  );
  add(
    'xml/mismatched-tags',
    () => minimalXlsx({ sheet: `${HEADER_ROW}<row r="2"><c r="A2"><v>1</c></v></row>` }),
    'error',
  );
  add(
    'xml/truncated-sheet',
    () =>
      rawXlsxWithSheet(
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>CUSTOMERGROUPID',
      ),
    'error',
  );
  add(
    'xml/invalid-utf8-in-sheet',
    () =>
      rawXlsxWithSheet(
        Buffer.concat([
          utf8(
            `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${HEADER_ROW}<row r="2"><c r="A2" t="inlineStr"><is><t>10</t></is></c><c r="B2" t="inlineStr"><is><t>Caf`,
          ),
          Buffer.from([0xe9]),
          utf8('</t></is></c></row></sheetData></worksheet>'),
        ]),
      ),
    'error',
  );

  // The zip around it.
  add('zip/not-a-zip', () => utf8('CUSTOMERGROUPID,DESCRIPTION\r\n10,A\r\n'), 'error');
  add('zip/random-bytes', () => randomBytes(5, 64 * 1024), 'error');
  add(
    'zip/truncated',
    () => {
      const whole = minimalXlsx();
      return whole.subarray(0, Math.floor(whole.length / 2));
    },
    'error',
  );
  add('zip/empty-file', () => Buffer.alloc(0), 'error');
  add(
    'zip/missing-sheet-part',
    () =>
      rawZip([
        {
          name: 'xl/workbook.xml',
          data: utf8(
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
          ),
        },
      ]),
    'error',
  );
  add('zip/sheet-relationship-missing', () =>
    minimalXlsx({
      workbook:
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId9"/></sheets></workbook>',
    }),
  );
  add(
    'zip/sheet-target-outside',
    () =>
      xlsxWithEntry('xl/_rels/workbook.xml.rels', (e) => ({
        ...e,
        data: utf8(
          '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="../../../../etc/passwd"/></Relationships>',
        ),
      })),
    'error',
  );
  add('zip/crc-lie', () => xlsxWithEntry('xl/worksheets/sheet1.xml', (e) => ({ ...e, claimedCrc: 12345 })), 'error');
  add('zip/size-lie', () => xlsxWithEntry('xl/worksheets/sheet1.xml', (e) => ({ ...e, claimedSize: 10 })), 'error');
  add('zip/encrypted-flag', () => xlsxWithEntry('xl/worksheets/sheet1.xml', (e) => ({ ...e, flags: 1 })), 'error');
  add('zip/unknown-method', () => xlsxWithEntry('xl/worksheets/sheet1.xml', (e) => ({ ...e, method: 99 })), 'error');
  add('zip/bomb-sheet', () =>
    rawXlsxWithSheet(
      Buffer.concat([
        utf8(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${HEADER_ROW}`),
        Buffer.alloc(24 * 1024 * 1024, 0x20),
        utf8('</sheetData></worksheet>'),
      ]),
    ),
  );
  return cases;
}

function randomBytes(seed: number, length: number): Buffer {
  const random = seededRandom(seed);
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = Math.floor(random() * 256);
  return out;
}

/** The minimal workbook's entries with one of them changed. */
function xlsxEntries(sheet: Buffer): RawEntry[] {
  const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  return [
    {
      name: '[Content_Types].xml',
      data: utf8(
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
      ),
    },
    {
      name: 'xl/workbook.xml',
      data: utf8(
        `<workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      ),
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: utf8(
        `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
      ),
    },
    { name: 'xl/worksheets/sheet1.xml', data: sheet },
  ];
}

function rawXlsxWithSheet(sheet: string | Buffer): Buffer {
  return rawZip(xlsxEntries(typeof sheet === 'string' ? utf8(sheet) : sheet));
}

function xlsxWithEntry(name: string, change: (entry: RawEntry) => RawEntry): Buffer {
  const sheet = utf8(
    `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${inlineRows([HEADER, ['10', 'A']])}</sheetData></worksheet>`,
  );
  return rawZip(xlsxEntries(sheet).map((e) => (e.name === name ? change(e) : e)));
}

function xmlCases(): FileCase[] {
  const cases: FileCase[] = [];
  const add = (id: string, bytes: () => Buffer, expected?: Expected) =>
    cases.push({
      id: `xml/${id}`,
      family: 'xml',
      fileName: 'case.xml',
      entity: GROUPS,
      bytes,
      ...(expected ? { expected } : {}),
    });
  const element = (records: string) => `<?xml version="1.0" encoding="utf-8"?><Document>${records}</Document>`;
  const rec = (id: string, description: string) =>
    `<CUSTCUSTOMERGROUPENTITY><CUSTOMERGROUPID>${id}</CUSTOMERGROUPID><DESCRIPTION>${description}</DESCRIPTION></CUSTCUSTOMERGROUPENTITY>`;
  const attr = (id: string, description: string) =>
    `<CUSTCUSTOMERGROUPENTITY CUSTOMERGROUPID="${id}" DESCRIPTION="${description}"/>`;
  const one = (value: string): Expected => ({ columns: HEADER, rows: [['10', value]] });

  add('element/plain', () => utf8(element(rec('10', 'Wholesale'))), one('Wholesale'));
  add('attribute/plain', () => utf8(element(attr('10', 'Wholesale'))), one('Wholesale'));
  add(
    'element/entities-and-char-refs',
    () => utf8(element(rec('10', 'A &amp; B &lt;c&gt; &#x1F389; &#233;'))),
    one('A & B <c> 🎉 é'),
  );
  add(
    'attribute/entities-and-char-refs',
    () => utf8(element(attr('10', 'A &amp; &quot;B&quot; &#233;'))),
    one('A & "B" é'),
  );
  add('element/cdata', () => utf8(element(rec('10', '<![CDATA[<b>&bold</b>]]>'))), one('<b>&bold</b>'));
  add('element/comments-and-pis', () => utf8(element(`<!-- c -->${rec('10', 'A')}<?pi x?>`)), one('A'));
  add('element/whitespace-value', () => utf8(element(rec('10', '   '))));
  add('element/records-with-different-fields', () =>
    utf8(
      element(
        `${rec('10', 'A')}<CUSTCUSTOMERGROUPENTITY><CUSTOMERGROUPID>20</CUSTOMERGROUPID><PAYMENTTERMID>Net30</PAYMENTTERMID></CUSTCUSTOMERGROUPENTITY>`,
      ),
    ),
  );
  add(
    'element/utf16-bom',
    () => encode(element(rec('10', 'Müller')).replace('utf-8', 'utf-16'), 'utf-16le-bom'),
    one('Müller'),
  );
  add('element/windows-1252-declared', () =>
    iconv.encode(element(rec('10', 'Müller')).replace('utf-8', 'windows-1252'), 'windows-1252'),
  );
  add('element/declared-utf16-but-utf8', () => utf8(element(rec('10', 'A')).replace('utf-8', 'utf-16')));
  add('element/utf8-bom-latin1-bytes', () => Buffer.concat([BOM8, latin(element(rec('10', 'Caf\xe9')))]), 'error');
  add(
    'element/invalid-utf8',
    () =>
      Buffer.concat([
        utf8(element('').slice(0, -11)),
        utf8(rec('10', 'é')),
        latin(rec('20', 'Caf\xe9')),
        utf8('</Document>'),
      ]),
    'error',
  );
  add('element/empty-document', () => Buffer.alloc(0), 'error');
  add('element/root-only', () => utf8('<Document/>'));
  add(
    'element/doctype',
    () =>
      utf8(
        `<?xml version="1.0"?><!DOCTYPE Document [<!ENTITY a "boom">]>${element(rec('10', '&a;')).replace(/^<\?xml[^>]*\?>/, '')}`,
      ),
    'error',
  );
  add(
    'element/xxe',
    () =>
      utf8(
        `<?xml version="1.0"?><!DOCTYPE Document [<!ENTITY x SYSTEM "file:///etc/passwd">]><Document>${rec('10', '&x;')}</Document>`,
      ),
    'error',
  );
  add('element/undeclared-entity', () => utf8(element(rec('10', '&nbsp;'))), 'error');
  add('element/nul-char-ref', () => utf8(element(rec('10', 'a&#0;b'))), 'error');
  add('element/surrogate-char-ref', () => utf8(element(rec('10', 'a&#xD800;b'))), 'error');
  add('element/raw-control-char', () => utf8(element(rec('10', 'a\x01b'))), 'error');
  add('element/raw-nul-byte', () => utf8(element(rec('10', 'a\0b'))), 'error');
  add(
    'element/mismatched-tags',
    () =>
      utf8('<Document><CUSTCUSTOMERGROUPENTITY><CUSTOMERGROUPID>10</DESCRIPTION></CUSTCUSTOMERGROUPENTITY></Document>'),
    'error',
  );
  add('element/truncated', () => utf8(element(rec('10', 'A')).slice(0, -20)), 'error');
  add('element/two-roots', () => utf8(`${element(rec('10', 'A'))}<Document/>`), 'error');
  add('element/text-outside-root', () => utf8(`${element(rec('10', 'A'))} trailing`), 'error');
  add(
    'element/deep-nesting',
    () => utf8(`<Document>${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</Document>`),
    'error',
  );
  add(
    'element/composite-nesting',
    () =>
      utf8(
        element(
          `<CUSTCUSTOMERGROUPENTITY><CUSTOMERGROUPID>10</CUSTOMERGROUPID><LINES><LINE>1</LINE></LINES></CUSTCUSTOMERGROUPENTITY>`,
        ),
      ),
    'error',
  );
  add('element/value-over-8mi', () => utf8(element(rec('10', 'x'.repeat(8 * 1024 * 1024 + 1)))), 'error');
  add(
    'element/4097-fields',
    () =>
      utf8(
        element(
          `<CUSTCUSTOMERGROUPENTITY>${Array.from({ length: 4097 }, (_, i) => `<F${i}>v</F${i}>`).join('')}</CUSTCUSTOMERGROUPENTITY>`,
        ),
      ),
    'error',
  );
  add('element/50k-records', () =>
    utf8(element(Array.from({ length: 50_000 }, (_, i) => rec(`G${i}`, `Group ${i}`)).join(''))),
  );
  add('element/huge-element-name', () => utf8(element(`<${'N'.repeat(2 << 20)}>v</${'N'.repeat(2 << 20)}>`)), 'error');
  add('attribute/value-over-8mi', () => utf8(element(attr('10', 'x'.repeat(8 * 1024 * 1024 + 1)))), 'error');
  add(
    'attribute/4097-attributes',
    () => utf8(element(`<CUSTCUSTOMERGROUPENTITY ${Array.from({ length: 4097 }, (_, i) => `F${i}="v"`).join(' ')}/>`)),
    'error',
  );
  add(
    'attribute/duplicate-attribute',
    () => utf8(element('<CUSTCUSTOMERGROUPENTITY CUSTOMERGROUPID="10" CUSTOMERGROUPID="20"/>')),
    'error',
  );
  add('attribute/unquoted-attribute', () => utf8(element('<CUSTCUSTOMERGROUPENTITY CUSTOMERGROUPID=10/>')), 'error');
  add('attribute/lt-in-attribute', () => utf8(element('<CUSTCUSTOMERGROUPENTITY CUSTOMERGROUPID="1<0"/>')), 'error');
  add('attribute/newline-normalised', () => utf8(element(attr('10', 'a&#10;b'))), one('a\nb'));
  return cases;
}

/** A data package of Customer groups with the given data file (CSV unless said otherwise). */
function packageZip(options: {
  data?: Buffer;
  dataName?: string;
  sourceFormat?: string;
  manifest?: Buffer;
  header?: Buffer | null;
  extra?: readonly RawEntry[];
  change?: (entries: RawEntry[]) => RawEntry[];
}): Buffer {
  const dataName = options.dataName ?? 'Customer groups.csv';
  const manifest =
    options.manifest ??
    writeManifest(
      createManifest('Hostile', [
        createPackageEntity({
          label: GROUPS,
          inputFilePath: dataName,
          sourceFormat: options.sourceFormat ?? 'CSV',
          maps: HEADER.map((f) => createEntityMap(f)),
          targetEntity: 'CustCustomerGroupEntity',
        }),
      ]),
    );
  const entries: RawEntry[] = [
    { name: 'Manifest.xml', data: manifest },
    ...(options.header === null
      ? []
      : [{ name: 'PackageHeader.xml', data: options.header ?? writePackageHeader(createPackageHeader('Hostile')) }]),
    { name: dataName, data: options.data ?? latin('"CUSTOMERGROUPID","DESCRIPTION"\r\n"10","Wholesale"\r\n') },
    ...(options.extra ?? []),
  ];
  return rawZip(options.change ? options.change(entries) : entries);
}

function packageCases(csv: readonly FileCase[]): FileCase[] {
  const cases: FileCase[] = [];
  const add = (id: string, bytes: () => Buffer, expected?: Expected) =>
    cases.push({
      id: `package/${id}`,
      family: 'package',
      fileName: 'case.zip',
      entity: GROUPS,
      bytes,
      ...(expected ? { expected } : {}),
    });
  add('valid', () => packageZip({}), { columns: HEADER, rows: [['10', 'Wholesale']] });
  // Hostile data files inside an otherwise good package: read in place, they must fail (or read) as on their own.
  const inner = csv
    .filter((c) => c.entity === GROUPS && c.fileName === 'case.csv' && /structure|utf8\/mixed|nul|bom/.test(c.id))
    .slice(0, 24);
  for (const c of inner) {
    cases.push({
      ...c,
      id: `package/data-file/${c.id.replace(/^csv\//, '')}`,
      family: 'package',
      fileName: 'case.zip',
      bytes: () => packageZip({ data: c.bytes() }),
    });
  }
  add('zip/not-a-zip', () => utf8('not a zip at all'), 'error');
  add('zip/truncated', () => packageZip({}).subarray(0, 200), 'error');
  add('zip/empty-archive', () => rawZip([]), 'error');
  add('zip/huge-comment', () => rawZip([{ name: 'Manifest.xml', data: utf8('<x/>') }], 'c'.repeat(65_535)), 'error');
  for (const [name, entry] of Object.entries({
    'dot-dot': '../evil.csv',
    absolute: '/etc/evil.csv',
    'windows-drive': 'C:\\evil.csv',
    'nested-dot-dot': 'a/../../evil.csv',
    backslashes: '..\\..\\evil.csv',
  })) {
    add(`zip-slip/${name}`, () => packageZip({ dataName: entry }), 'error');
  }
  add(
    'zip/duplicate-entries',
    () => packageZip({ extra: [{ name: 'Customer groups.csv', data: latin('"CUSTOMERGROUPID"\r\n"99"\r\n') }] }),
    'error',
  );
  add(
    'zip/crc-lie',
    () => packageZip({ change: (es) => es.map((e) => (e.name.endsWith('.csv') ? { ...e, claimedCrc: 1 } : e)) }),
    'error',
  );
  add(
    'zip/size-lie',
    () => packageZip({ change: (es) => es.map((e) => (e.name.endsWith('.csv') ? { ...e, claimedSize: 5 } : e)) }),
    'error',
  );
  add(
    'zip/encrypted',
    () => packageZip({ change: (es) => es.map((e) => (e.name.endsWith('.csv') ? { ...e, flags: 1 } : e)) }),
    'error',
  );
  add(
    'zip/unknown-method',
    () => packageZip({ change: (es) => es.map((e) => (e.name.endsWith('.csv') ? { ...e, method: 12 } : e)) }),
    'error',
  );
  add(
    'zip/bomb-data-file',
    () =>
      packageZip({
        data: Buffer.concat([
          latin('"CUSTOMERGROUPID","DESCRIPTION"\r\n"10","'),
          Buffer.alloc(24 * 1024 * 1024, 0x41),
          latin('"\r\n'),
        ]),
      }),
    'error',
  );
  add(
    'zip/stored-manifest',
    () => packageZip({ change: (es) => es.map((e) => (e.name === 'Manifest.xml' ? { ...e, method: 0 } : e)) }),
    {
      columns: HEADER,
      rows: [['10', 'Wholesale']],
    },
  );
  add('manifest/missing', () => packageZip({ change: (es) => es.filter((e) => e.name !== 'Manifest.xml') }), 'error');
  add('manifest/header-missing', () => packageZip({ header: null }));
  add('manifest/not-xml', () => packageZip({ manifest: utf8('{"json": true}') }), 'error');
  add('manifest/empty', () => packageZip({ manifest: Buffer.alloc(0) }), 'error');
  add(
    'manifest/doctype',
    () =>
      packageZip({
        manifest: utf8(
          '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><DataManagementPackageManifest>&e;</DataManagementPackageManifest>',
        ),
      }),
    'error',
  );
  add(
    'manifest/deep-nesting',
    () =>
      packageZip({
        manifest: utf8(
          `<DataManagementPackageManifest>${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</DataManagementPackageManifest>`,
        ),
      }),
    'error',
  );
  add(
    'manifest/bom-lie',
    () =>
      packageZip({
        manifest: Buffer.concat([
          Buffer.from([0xff, 0xfe]),
          writeManifest(createManifest('Hostile', [])).subarray(2).swap16(),
        ]),
      }),
    'error',
  );
  add(
    'manifest/missing-data-file',
    () => packageZip({ change: (es) => es.filter((e) => !e.name.endsWith('.csv')) }),
    'error',
  );
  add('manifest/unknown-source-format', () => packageZip({ sourceFormat: 'Parquet' }));
  add(
    'manifest/excel-format-csv-bytes',
    () => packageZip({ sourceFormat: 'EXCEL', dataName: 'Customer groups.xlsx' }),
    'error',
  );
  add(
    'manifest/xml-format-csv-bytes',
    () => packageZip({ sourceFormat: 'XML-Element', dataName: 'Customer groups.xml' }),
    'error',
  );
  add('manifest/data-file-is-a-zip', () => packageZip({ data: packageZip({}) }), 'error');
  // 1,000 entities (2 MB of manifest). [Measured] a 10,000-entity manifest (20 MB, as big as one of
  // 300 entities with 50 field maps each) reads in ~2.6 s and ~160 MB each time: within the limits,
  // but over this budget when open, the row store and lint each read it on a loaded machine.
  add('manifest/1000-entities', () =>
    packageZip({
      manifest: writeManifest(
        createManifest(
          'Hostile',
          Array.from({ length: 1000 }, (_, i) =>
            createPackageEntity({
              label: i === 0 ? GROUPS : `Entity ${i}`,
              inputFilePath: i === 0 ? 'Customer groups.csv' : `Entity ${i}.csv`,
              sourceFormat: 'CSV',
              maps: [createEntityMap('A')],
            }),
          ),
        ),
      ),
    }),
  );
  add(
    'manifest/entity-name-with-path',
    () =>
      packageZip({
        manifest: writeManifest(
          createManifest('Hostile', [
            createPackageEntity({
              label: GROUPS,
              inputFilePath: '../../../../etc/passwd',
              sourceFormat: 'CSV',
              maps: [createEntityMap('A')],
            }),
          ]),
        ),
      }),
    'error',
  );
  return cases;
}

function bridgeCases(): BridgeCase[] {
  const cases: BridgeCase[] = [];
  const add = (id: string, expect: BridgeCase['expect'], frames: () => readonly Frame[], maxReplyBytes?: number) =>
    cases.push({ id: `bridge/${id}`, family: 'bridge', expect, frames, ...(maxReplyBytes ? { maxReplyBytes } : {}) });
  add('not-json', 'error', () => ['{not json']);
  add('json-null', 'error', () => ['null']);
  add('json-array', 'error', () => ['[1,2,3]']);
  add('json-number', 'error', () => ['42']);
  add('no-id', 'error', () => ['{"method":"app.info"}']);
  add('negative-id', 'error', () => ['{"id":-1,"method":"app.info"}']);
  add('fractional-id', 'error', () => ['{"id":1.5,"method":"app.info"}']);
  add('huge-id', 'error', () => ['{"id":1e300,"method":"app.info"}']);
  add('method-not-a-string', 'error', () => ['{"id":1,"method":{"x":1}}']);
  add('unknown-method', 'error', () => ['{"id":1,"method":"shell.exec","params":{"cmd":"calc"}}']);
  add('prototype-method', 'error', () => [
    '{"id":1,"method":"__proto__"}',
    '{"id":2,"method":"constructor"}',
    '{"id":3,"method":"toString"}',
  ]);
  add('proto-pollution-params', 'error', () => [
    '{"id":1,"method":"datasets.rows","params":{"__proto__":{"polluted":true},"id":"x"}}',
  ]);
  add('params-wrong-types', 'error', () => [
    '{"id":1,"method":"datasets.rows","params":{"id":5,"start":"0","count":null}}',
  ]);
  add('params-deeply-nested', 'error', () => [
    `{"id":1,"method":"datasets.open","params":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}`,
  ]);
  add('params-deep-array', 'error', () => [
    `{"id":1,"method":"datasets.open","params":{"path":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`,
  ]);
  add('binary-frame', 'error', () => [{ binary: Buffer.from('{"id":1,"method":"app.info"}') }]);
  add('invalid-utf8-text', 'error', () => [Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('latin1')]);
  add('frame-over-limit', 'closed', () => [
    `{"id":1,"method":"app.info","params":{"x":"${'x'.repeat(5 * 1024 * 1024)}"}}`,
  ]);
  add('path-traversal-open', 'error', () => [
    '{"id":1,"method":"datasets.open","params":{"path":"../../../../etc/shadow"}}',
  ]);
  add('path-nul-byte', 'error', () => ['{"id":1,"method":"datasets.open","params":{"path":"/tmp/a\\u0000.csv"}}']);
  add('path-4mb', 'error', () => [
    `{"id":1,"method":"datasets.open","params":{"path":"${'a'.repeat(3 * 1024 * 1024)}"}}`,
  ]);
  add('rows-count-a-billion', 'error', () => [
    '{"id":1,"method":"datasets.rows","params":{"id":"$DATASET","start":0,"count":1000000000}}',
  ]);
  add('rows-negative-start', 'error', () => [
    '{"id":1,"method":"datasets.rows","params":{"id":"$DATASET","start":-5,"count":10}}',
  ]);
  add('rows-start-past-end', 'answered', () => [
    '{"id":1,"method":"datasets.rows","params":{"id":"$DATASET","start":99999999,"count":10}}',
  ]);
  // Pages of long cells ($DATASET: plain letters; $ESCAPED: quotes and control characters, two and
  // six bytes each in JSON; $WIDE: euro signs, three bytes each in UTF-8): each page stops at
  // MAX_PAGE_BYTES on the wire, whatever its cells hold (a page bounded by characters was 16 M
  // characters, up to 96 MB of JSON). The slack is the rows' ids and clipped lists.
  const page = MAX_PAGE_BYTES + 64 * 1024;
  add(
    'rows-of-huge-cells',
    'ok',
    () => ['{"id":1,"method":"datasets.rows","params":{"id":"$DATASET","start":0,"count":200}}'],
    page,
  );
  add(
    'rows-of-escaped-cells',
    'ok',
    () => ['{"id":1,"method":"datasets.rows","params":{"id":"$ESCAPED","start":0,"count":200}}'],
    page,
  );
  add(
    'rows-of-three-byte-cells',
    'ok',
    () => ['{"id":1,"method":"datasets.rows","params":{"id":"$WIDE","start":0,"count":200}}'],
    page,
  );
  // 8 pages of up to 4 MB asked at once: the bridge serialises them as the socket takes them
  // (16 MB unsent at most), not all together.
  add(
    'rows-pages-in-flight',
    'ok',
    () =>
      Array.from(
        { length: 8 },
        (_, i) =>
          `{"id":${i + 1},"method":"datasets.rows","params":{"id":"${['$DATASET', '$ESCAPED', '$WIDE'][i % 3]}","start":${i},"count":200}}`,
      ),
    page,
  );
  add('rows-10000-filters', 'error', () => [
    `{"id":1,"method":"datasets.rows","params":{"id":"$DATASET","start":0,"count":10,"view":{"filters":${JSON.stringify(Array.from({ length: 10_000 }, () => ({ column: 0, op: 'contains', value: 'x' })))}}}}`,
  ]);
  add('rows-sort-column-out-of-range', 'answered', () => [
    '{"id":1,"method":"datasets.rows","params":{"id":"$DATASET","start":0,"count":10,"view":{"sort":[{"column":4095}]}}}',
  ]);
  add('edit-10000-cells-of-8mb', 'error', () => [
    `{"id":1,"method":"datasets.edit","params":{"id":"$DATASET","edits":[{"row":1,"column":0,"value":"${'v'.repeat(40_000)}"}]}}`,
  ]);
  add('many-calls-in-flight', 'answered', () =>
    Array.from({ length: 300 }, (_, i) => `{"id":${i + 1},"method":"app.info"}`),
  );
  add('many-small-garbage-frames', 'error', () => Array.from({ length: 500 }, (_, i) => `garbage ${i}`));
  return cases;
}

/** Every case of the corpus, in a stable order. */
export function hostileCorpus(): HostileCase[] {
  const csv = csvCases();
  return [...csv, ...formulaCases(), ...xlsxCases(), ...xmlCases(), ...packageCases(csv), ...bridgeCases()];
}
