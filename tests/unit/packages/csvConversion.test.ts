import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { CsvByteConverter, planConversion } from '../../../electron/services/packages/csvConversion';
import type { SourceDialect } from '../../../electron/services/packages/csvConversion';
import { CsvParser } from '../../../electron/services/sources/csv/csvParser';
import { CSV_DIALECT, CSV_UNICODE_DIALECT } from '../../../shared/domain/dialects/csvDialect';
import { seededRandom } from '../../support/random';

const location = { file: 'source.csv' };
const lf: SourceDialect = {
  encoding: 'utf-8',
  bom: false,
  delimiter: ',',
  qualifier: '"',
  headerRow: true,
  lineEnding: '\n',
};

function parse(text: string): string[][] {
  const rows: string[][] = [];
  new CsvParser({ delimiter: ',', qualifier: '"' }, location).push(text, true, (fields) => rows.push(fields));
  return rows;
}

/** Converts `bytes` cut into chunks of `size` bytes. */
function convert(bytes: Buffer, source: SourceDialect, size: number, target = CSV_DIALECT): Buffer {
  const plan = planConversion(source, target);
  if (!plan) throw new Error('no plan');
  const converter = new CsvByteConverter(plan, location, () => 0);
  const out: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size)
    out.push(Buffer.from(converter.convert(bytes.subarray(at, at + size))));
  out.push(converter.end());
  return Buffer.concat(out);
}

/** Every line break outside quoted values, in the parser's own terms: each record ends in CRLF. */
function recordEnds(text: string): string[] {
  const ends: string[] = [];
  let quoted = false;
  let fieldStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') i++;
        else quoted = false;
      }
      continue;
    }
    if (c === '"' && fieldStart) quoted = true;
    else if (c === '\r' || c === '\n') {
      ends.push(c === '\r' && text[i + 1] === '\n' ? '\r\n' : c);
      if (c === '\r' && text[i + 1] === '\n') i++;
    }
    fieldStart = c === ',' || c === '\r' || c === '\n';
  }
  return ends;
}

describe('CSV byte conversion', () => {
  it('makes record breaks CRLF and keeps every value, line breaks inside quotes included, at any chunk cut', () => {
    const random = seededRandom(7);
    const pieces = ['a', 'b c', '"q,1"', '"x""y"', '"multi\nline"', '"cr\r\nlf"', 'mid"quote', '', 'é'];
    const breaks = ['\n', '\r\n', '\r'];
    for (let trial = 0; trial < 40; trial++) {
      let text = 'A,B,C\n';
      for (let r = 0; r < 30; r++) {
        const cells = [0, 1, 2].map(() => pieces[Math.floor(random() * pieces.length)]!);
        text += cells.join(',') + breaks[Math.floor(random() * breaks.length)]!;
      }
      const source = Buffer.from(text, 'utf8');
      for (const size of [1, 2, 3, 7, 64, 1 << 16]) {
        const out = convert(source, lf, size, { ...CSV_DIALECT, encoding: 'utf-8' });
        const converted = out.toString('utf8');
        expect(parse(converted)).toEqual(parse(text));
        expect(new Set(recordEnds(converted))).toEqual(new Set(['\r\n']));
      }
    }
  });

  it('drops a UTF-8 BOM, re-encodes to Windows-1252 or to UTF-16LE with its BOM', () => {
    const text = 'CODE,NAME\r\nA,Müller\r\nB,"Société, SA"\r\n';
    const bom = { ...lf, bom: true, lineEnding: '\r\n' };
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    expect(convert(withBom, bom, 5).equals(iconv.encode(text, 'windows-1252'))).toBe(true);
    const unicode = convert(withBom, bom, 5, CSV_UNICODE_DIALECT);
    expect(unicode.equals(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))).toBe(true);
  });

  it('leaves rows to the writer when the delimiter, the qualifier or the header differ', () => {
    expect(planConversion({ ...lf, delimiter: ';' }, CSV_DIALECT)).toBeUndefined();
    expect(planConversion({ ...lf, qualifier: '' }, CSV_DIALECT)).toBeUndefined();
    expect(planConversion({ ...lf, headerRow: false }, CSV_DIALECT)).toBeUndefined();
    expect(planConversion({ ...lf, encoding: 'utf-16le' }, CSV_DIALECT)).toBeUndefined();
    expect(planConversion({ ...lf, encoding: 'windows-1252', lineEnding: '\r\n' }, CSV_DIALECT)).toMatchObject({
      lineEndings: false,
      transcode: false,
      dropBom: 0,
    });
  });
});
