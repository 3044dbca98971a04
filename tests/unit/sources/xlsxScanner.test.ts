import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { InputFileError } from '../../../electron/services/sources/inputError';
import { fileSource } from '../../../electron/services/sources/rows';
import { openXlsxReader } from '../../../electron/services/sources/xlsx/xlsxReader';
import { XlsxXmlScanner } from '../../../electron/services/sources/xlsx/xlsxScanner';
import { createXlsxWriter } from '../../../electron/services/sources/xlsx/xlsxWriter';
import { escapeXstring, unescapeXstring } from '../../../electron/services/sources/xlsx/xstring';
import { createWriteStream } from 'node:fs';
import { minimalXlsx } from '../../support/hostile/xlsxParts';
import { errorOf, readAll } from '../../support/rowSources';
import { tempDirs } from '../../support/tempDir';

const temp = tempDirs();
const run = promisify(execFile);
/** Debian's python3-openpyxl (.ci/run installs it): an independent reader and writer. */
const PYTHON = '/usr/bin/python3';
const hasOpenpyxl = existsSync('/usr/lib/python3/dist-packages/openpyxl');

/** openpyxl's read-only reading of a sheet, each value as the workbench writes it out as text. */
const READ = String.raw`
import sys, json, datetime, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
def text(v):
    if v is None: return ''
    if isinstance(v, bool): return 'TRUE' if v else 'FALSE'
    if isinstance(v, int): return str(v)
    if isinstance(v, float): return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, datetime.datetime):
        return v.strftime('%Y-%m-%d') if v.time() == datetime.time(0) else v.strftime('%Y-%m-%d %H:%M:%S')
    return v
rows = [[text(v) for v in r] for r in wb.worksheets[0].iter_rows(values_only=True)]
print(json.dumps([r for r in rows if any(v != '' for v in r)]))
`;

/** Writes with openpyxl's write-only mode: values of every kind real sheets hold. */
const WRITE = String.raw`
import sys, datetime, openpyxl
wb = openpyxl.Workbook(write_only=True)
ws = wb.create_sheet('Customers')
ws.append(['ACCOUNT', 'NAME', 'AMOUNT', 'WHEN', 'ACTIVE', 'NOTE'])
texts = ['Contoso & <Co>', '"quoted" \'apos\'', '  padded  ', 'line 1\nline 2', 'tab\there', 'café', '日本語',
         '🎉 party', ']]> not CDATA', 'a&amp;b literally', 'x' * 5000, '']
nums = [42, -7, 3.14, 0.1 + 0.2, 123456789012, 0.001, 1e-300, 2.5e20]
for i in range(400):
    when = datetime.datetime(2024, 2, 29, 13, 5, 9) if i % 3 == 0 else datetime.date(2011, 1, 31) + datetime.timedelta(days=i)
    ws.append(['C-%04d' % i, texts[i % len(texts)] or None, nums[i % len(nums)], when,
               i % 2 == 0, None if i % 5 else 'note %d' % i])
wb.save(sys.argv[1])
`;

async function openpyxlRows(path: string): Promise<string[][]> {
  const { stdout } = await run(PYTHON, ['-c', READ, path], { maxBuffer: 64 << 20, timeout: 120_000 });
  const rows = JSON.parse(stdout) as string[][];
  // openpyxl's read-only rows end at their last cell; the workbench's are as wide as the header.
  const width = rows[0]?.length ?? 0;
  return rows.map((r) => [...r, ...Array<string>(Math.max(0, width - r.length)).fill('')]);
}

async function ourRows(path: string): Promise<string[][]> {
  const reader = await openXlsxReader(await fileSource(path));
  const { rows } = await readAll(reader);
  return [[...reader.columns], ...rows];
}

/** Everything the scanner tells a handler, for comparing readings. */
function events(xml: string, chunk: number): string[] {
  const out: string[] = [];
  let collecting = false;
  const scanner = new XlsxXmlScanner(
    { file: 'sheet1.xml' },
    {
      get collecting() {
        return collecting;
      },
      onOpen(name, tag) {
        out.push(`<${name} r=${tag.attribute('r')} t=${tag.attribute('t')} col=${tag.columnOf('r')}`);
        collecting = name === 't' || name === 'v';
      },
      onClose(name) {
        out.push(`</${name}`);
        collecting = false;
      },
      onText(text) {
        // One value may come in pieces: join neighbours.
        if (out.at(-1)?.startsWith('text:')) out[out.length - 1] += text;
        else out.push(`text:${text}`);
      },
    },
  );
  for (let at = 0; at < xml.length; at += chunk) scanner.write(xml.slice(at, at + chunk));
  scanner.end();
  return out;
}

function scanError(xml: string, limits = {}): InputFileError {
  try {
    const scanner = new XlsxXmlScanner(
      { file: 'sheet1.xml' },
      { collecting: true, onOpen() {}, onClose() {}, onText() {} },
      limits,
    );
    scanner.write(xml);
    scanner.end();
  } catch (error) {
    if (error instanceof InputFileError) return error;
    throw error;
  }
  throw new Error('no error');
}

describe('the xlsx scanner', () => {
  it.skipIf(!hasOpenpyxl)(
    'reads a sheet openpyxl wrote exactly as openpyxl reads it back, cell for cell',
    async () => {
      const path = join(await temp.make(), 'openpyxl.xlsx');
      await run(PYTHON, ['-c', WRITE, path], { timeout: 120_000 });
      const theirs = await openpyxlRows(path);
      const ours = await ourRows(path);
      expect(theirs).toHaveLength(401);
      expect(ours).toEqual(theirs);
      // Spot checks, so that both readers cannot agree on something wrong.
      expect(ours[1]).toEqual(['C-0000', 'Contoso & <Co>', '42', '2024-02-29 13:05:09', 'TRUE', 'note 0']);
      expect(ours[2]!.slice(0, 5)).toEqual(['C-0001', '"quoted" \'apos\'', '-7', '2011-02-01', 'FALSE']);
      expect(ours.map((r) => r[1])).toContain('line 1\nline 2');
      expect(ours.map((r) => r[1])).toContain('🎉 party');
    },
    180_000,
  );

  it.skipIf(!hasOpenpyxl)(
    "reads the workbench's own sheets and exceljs's shared strings and rich text as openpyxl does",
    async () => {
      const dir = await temp.make();
      const ownPath = join(dir, 'own.xlsx');
      const columns = ['ACCOUNT', 'NAME', 'NOTE'];
      const rows = [
        ['C-1', 'Contoso & <Co>', '  spaced  '],
        ['C-2', 'two\nlines', ''],
        ['C-3', 'ünïcødé 🎉', 'x'],
      ];
      const writer = createXlsxWriter(createWriteStream(ownPath), { columns, file: 'own.xlsx', sheetName: 'S' });
      await writer.write(rows);
      await writer.end();
      expect(await ourRows(ownPath)).toEqual(await openpyxlRows(ownPath));
      expect(await ourRows(ownPath)).toEqual([columns, ...rows]);

      const sharedPath = join(dir, 'shared.xlsx');
      const book = new ExcelJS.Workbook();
      const ws = book.addWorksheet('S');
      ws.addRow(['ACCOUNT', 'NAME', 'AMOUNT']);
      ws.addRow(['C-1', { richText: [{ text: 'Bold ', font: { bold: true } }, { text: 'and plain' }] }, 1.5]);
      ws.addRow(['C-2', 'Fabrikam', 2]);
      ws.addRow(['C-3', 'Fabrikam', 3]);
      await book.xlsx.writeFile(sharedPath);
      const ours = await ourRows(sharedPath);
      expect(ours).toEqual(await openpyxlRows(sharedPath));
      expect(ours[1]).toEqual(['C-1', 'Bold and plain', '1.5']);
    },
    180_000,
  );

  it('hands out the same events however the text is cut', () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<!-- a comment -->' +
      '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>' +
      '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t xml:space="preserve"> a &amp; b &#x1F389; &#10;</x:t></x:is></x:c>' +
      '<x:c r=\'B1\' t="str"><x:v><![CDATA[<cdata> & ]]>tail</x:v></x:c><x:c/><x:c r="D1"\n s="1" ><x:v>4.5</x:v></x:c></x:row>' +
      '<x:row><x:c t="inlineStr"><x:is><x:r><x:rPr><x:b/></x:rPr><x:t>rich</x:t></x:r><x:r><x:t>run</x:t></x:r></x:is></x:c>' +
      '<x:c><x:v>line\r\nend\rx</x:v></x:c><?pi data?></x:row></x:sheetData></x:worksheet>';
    const whole = events(xml, xml.length);
    expect(whole).toContain('text: a & b 🎉 \n');
    expect(whole).toContain('text:<cdata> & tail');
    expect(whole).toContain('text:line\nend\nx');
    expect(whole).toContain('<c r=D1 t=undefined col=3');
    expect(whole).toContain('<c r=undefined t=undefined col=-2');
    expect(whole.filter((e) => e === '</c')).toHaveLength(6);
    for (const chunk of [1, 2, 3, 5, 7, 11, 64]) expect(events(xml, chunk)).toEqual(whole);
  });

  it('refuses what safeSax refuses, with its messages: DOCTYPE, entities, bad markup, limits', () => {
    expect(scanError('<!DOCTYPE x [<!ENTITY a SYSTEM "file:///etc/passwd">]><x>&a;</x>').message).toMatch(
      /has a DOCTYPE \(DTD\)/,
    );
    expect(scanError('<x>&lol;</x>').message).toMatch(/not well-formed XML: undefined entity: &lol;/);
    expect(scanError('<x>a &amp b</x>').message).toMatch(/not well-formed XML/);
    expect(scanError('<x>&#0;</x>').message).toMatch(/malformed character entity/);
    expect(scanError('<x>&#xD800;</x>').message).toMatch(/malformed character entity/);
    expect(scanError('<x>\u0001</x>').message).toMatch(/disallowed character U\+0001/);
    expect(scanError('<row><c><v>1</c></v></row>').message).toMatch(/unexpected close tag <\/c>; v is open/);
    expect(scanError('<row><c r="A1"><is><t>abc').message).toMatch(/unclosed/);
    expect(scanError('<x a="1"b="2"/>').message).toMatch(/no white space between attributes/);
    expect(scanError('<x a=1/>').message).toMatch(/unquoted attribute value/);
    expect(scanError('<x a="<"/>').message).toMatch(/< in attribute value/);
    expect(scanError('<x/><y/>').message).toMatch(/only one root element/);
    expect(scanError('junk<x/>').message).toMatch(/outside of root/);
    expect(scanError('').message).toMatch(/must contain a root element/);
    expect(scanError(`${'<x>'.repeat(65)}${'</x>'.repeat(65)}`).message).toMatch(
      /nests elements deeper than the limit \(64, the most the workbench reads\)/,
    );
    expect(
      scanError(`<x ${Array.from({ length: 11 }, (_, i) => `a${i}="1"`).join(' ')}/>`, { attributes: 10 }).message,
    ).toMatch(/more attributes than the limit \(10,/);
    expect(scanError(`<x><!-- ${'-'.repeat(2000)}`, { textChars: 1000 }).message).toMatch(
      /longer than the limit \(1,000,/,
    );
    const located = scanError('<a>\n<b>\n</a>');
    expect(located.details.line).toBe(3);
  });

  it("reads Excel's _xHHHH_ escapes as the characters Excel shows, and writes literal ones so they read back", async () => {
    expect(unescapeXstring('a_x000D_b_x005F_x0041_')).toBe('a\rb_x0041_');
    expect(unescapeXstring(escapeXstring('say _x0041_ and _x00zz_'))).toBe('say _x0041_ and _x00zz_');
    const dir = await temp.make();
    const crafted = join(dir, 'escapes.xlsx');
    await writeFile(
      crafted,
      minimalXlsx({
        sheet:
          '<row r="1"><c r="A1" t="inlineStr"><is><t>A</t></is></c><c r="B1" t="inlineStr"><is><t>B</t></is></c></row>' +
          '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="inlineStr"><is><t>x_x000D_y</t></is></c></row>',
        sharedStrings:
          '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><r><t xml:space="preserve">one_x000D_ </t></r><r><t>two</t></r><rPh><t>phonetic</t></rPh></si></sst>',
      }),
    );
    expect((await readAll(await openXlsxReader(await fileSource(crafted)))).rows).toEqual([['one\r two', 'x\ry']]);

    const own = join(dir, 'own.xlsx');
    const writer = createXlsxWriter(createWriteStream(own), { columns: ['A'], file: 'own.xlsx', sheetName: 'S' });
    await writer.write([['literally _x0041_']]);
    await writer.end();
    expect((await readAll(await openXlsxReader(await fileSource(own)))).rows).toEqual([['literally _x0041_']]);
  });

  it('names the sheet row of a shared-string reference the table does not have', async () => {
    const dir = await temp.make();
    const path = join(dir, 'bad.xlsx');
    await writeFile(
      path,
      minimalXlsx({
        sheet: '<row r="1"><c t="inlineStr"><is><t>A</t></is></c></row><row r="7"><c t="s"><v>3</v></c></row>',
        sharedStrings: '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>a</t></si></sst>',
      }),
    );
    const error = await errorOf(async () => readAll(await openXlsxReader(await fileSource(path))));
    expect(error.message).toMatch(
      /bad\.xlsx, line 7: refers to shared string 3, which sharedStrings\.xml does not have/,
    );
  });
});
