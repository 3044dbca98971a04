import { PassThrough } from 'node:stream';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { bufferSource } from '../../../electron/services/sources/rows';
import { openXmlReader } from '../../../electron/services/sources/xml/xmlReader';
import type { XmlStyle } from '../../../electron/services/sources/xml/xmlReader';
import { createXmlWriter } from '../../../electron/services/sources/xml/xmlWriter';
import { chunkedSource, errorOf, readAll } from '../../support/rowSources';

async function write(style: XmlStyle, columns: string[], rows: string[][]): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const writer = createXmlWriter(out, { columns, file: 'out.xml', style, recordElement: 'CUSTCUSTOMERV3ENTITY' });
  await writer.write(rows);
  await writer.end();
  return Buffer.concat(chunks);
}

const ROWS = [
  ['C-001', 'Contoso & "Sons" <Ltd>', ''],
  ['C-002', 'two\nlines\ttab', 'Ünïcödé €'],
];

describe('XML data files', () => {
  it.each(['attribute', 'element'] as const)(
    'writes and reads back XML-%s (UTF-8 BOM, declaration, <Document>)',
    async (style) => {
      const bytes = await write(style, ['CUSTOMERACCOUNT', 'NAME', 'NOTE'], ROWS);
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = bytes.toString('utf8', 3);
      expect(text.startsWith('<?xml version="1.0" encoding="utf-8"?>\r\n<Document>\r\n  <CUSTCUSTOMERV3ENTITY')).toBe(
        true,
      );
      if (style === 'attribute') expect(text).toContain('NOTE="" />');
      else expect(text).toContain('<NOTE />');
      for (const chunk of [1, 64, 1 << 20]) {
        const reader = await openXmlReader(chunkedSource('c.xml', bytes, chunk), { style });
        expect(reader.columns).toEqual(['CUSTOMERACCOUNT', 'NAME', 'NOTE']);
        expect(reader.info).toMatchObject({
          rootElement: 'Document',
          recordElement: 'CUSTCUSTOMERV3ENTITY',
          encoding: 'utf-8',
          bom: true,
        });
        const { rows, numbers, lines } = await readAll(reader);
        expect(rows).toEqual(ROWS);
        expect(numbers).toEqual([1, 2]);
        expect(lines[0]).toBe(3);
      }
    },
  );

  it('collects the columns of records that leave attributes out, in order of first appearance', async () => {
    const xml = '<Document><R A="1"/><R B="2" A="3"/><R C="4"/></Document>';
    const reader = await openXmlReader(bufferSource('r.xml', Buffer.from(xml)), { style: 'attribute' });
    expect(reader.columns).toEqual(['A', 'B', 'C']);
    expect((await readAll(reader)).rows).toEqual([
      ['1', '', ''],
      ['3', '2', ''],
      ['', '', '4'],
    ]);
    const fixed = await openXmlReader(bufferSource('r.xml', Buffer.from(xml)), {
      style: 'attribute',
      columns: ['C', 'A', 'B'],
    });
    expect((await readAll(fixed)).rows[1]).toEqual(['', '3', '2']);
  });

  it('honours the declared encoding', async () => {
    const bytes = iconv.encode(
      '<?xml version="1.0" encoding="windows-1252"?><Document><R N="Müller €"/></Document>',
      'windows-1252',
    );
    const reader = await openXmlReader(bufferSource('w.xml', bytes), { style: 'attribute' });
    expect(reader.info.encoding).toBe('windows-1252');
    expect((await readAll(reader)).rows).toEqual([['Müller €']]);
  });

  it.each([
    ['a DTD', '<!DOCTYPE Document [<!ENTITY x "y">]><Document><R A="&x;"/></Document>', 'attribute', /DOCTYPE/],
    [
      'nested records (composite entity)',
      '<Document><R A="1"><CHILD B="2"/></R></Document>',
      'attribute',
      /line 1: has <CHILD> nested inside a record/,
    ],
    [
      'two kinds of records',
      '<Document>\n<R A="1"/>\n<S A="2"/></Document>',
      'attribute',
      /line 3: has records named <R> and <S>/,
    ],
    ['text outside fields', '<Document><R A="1">oops</R></Document>', 'attribute', /has text "oops" outside a field/],
    [
      'a field nested too deep',
      '<Document><R><A><B>1</B></A></R></Document>',
      'element',
      /has <B> nested inside a record/,
    ],
    ['malformed XML', '<Document><R A="1"></Document>', 'attribute', /not well-formed XML/],
    ['an empty file', '', 'attribute', /not well-formed|no root element/],
  ] as const)('refuses %s with the file and line', async (_name, xml, style, message) => {
    const error = await errorOf(async () =>
      readAll(await openXmlReader(bufferSource('in.xml', Buffer.from(xml)), { style })),
    );
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(/^in\.xml/);
    expect(error.message).toMatch(message);
  });

  it('refuses values and names XML cannot carry when writing', async () => {
    expect((await errorOf(() => write('attribute', ['A'], [['bad\u0007']]))).message).toMatch(
      /out\.xml, data row 1, column 1: the value of A contains the control character U\+0007/,
    );
    expect((await errorOf(() => write('element', ['Customer account'], [['x']]))).message).toMatch(
      /cannot be an XML element name/,
    );
  });
});
