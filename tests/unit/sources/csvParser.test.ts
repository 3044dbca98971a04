/**
 * The CSV parser on its own, fed text in chunks of every size: a record cut anywhere (inside a
 * quoted value, between the two qualifiers of a doubled pair, between CR and LF) parses exactly as
 * the whole text does; broken records are recovered with their problem; limits end runaway input
 * in time linear in its length.
 */
import { describe, expect, it } from 'vitest';
import { CsvParser } from '../../../electron/services/sources/csv/csvParser';
import type { CsvParserOptions, CsvProblem } from '../../../electron/services/sources/csv/csvParser';
import { seededRandom } from '../../support/random';

interface Parsed {
  records: { fields: string[]; line: number; problem?: CsvProblem['kind'] }[];
  blankLines: number;
}

function parse(text: string, chunk: number, options: Partial<CsvParserOptions> = {}): Parsed {
  const parser = new CsvParser({ delimiter: ',', qualifier: '"', ...options }, { file: 't.csv' });
  const records: Parsed['records'] = [];
  const sink = (fields: string[], line: number, problem?: CsvProblem) =>
    records.push(problem ? { fields, line, problem: problem.kind } : { fields, line });
  if (text.length === 0) parser.push('', true, sink);
  for (let i = 0; i < text.length; i += chunk) parser.push(text.slice(i, i + chunk), i + chunk >= text.length, sink);
  return { records, blankLines: parser.blankLines };
}

/** A random but well-formed CSV text: quoted values with doubled qualifiers, line breaks of every kind. */
function randomCsv(random: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const breaks = ['\r\n', '\n', '\r'];
  let text = '';
  const records = 1 + Math.floor(random() * 12);
  for (let r = 0; r < records; r++) {
    const width = 1 + Math.floor(random() * 5);
    const values: string[] = [];
    for (let c = 0; c < width; c++) {
      const kind = random();
      if (kind < 0.3) values.push(pick(['', 'a', 'Contoso', '12.5', 'x y']));
      else {
        let inner = '';
        const parts = Math.floor(random() * 5);
        for (let p = 0; p < parts; p++) inner += pick(['a', ',', '""', '\r\n', '\n', '\r', 'é', ' ']);
        values.push(`"${inner}"`);
      }
    }
    text += values.join(',') + pick(breaks);
    if (random() < 0.15) text += pick(breaks); // a blank line
  }
  return random() < 0.5 ? text : text.replace(/(\r\n|\n|\r)$/, '');
}

describe('CSV parser', () => {
  it('parses any text cut into chunks of any size exactly as the whole text, lines included', () => {
    const random = seededRandom(12);
    for (let n = 0; n < 400; n++) {
      const text = randomCsv(random);
      const whole = parse(text, text.length + 1);
      for (const chunk of [1, 2, 3, 5, 8, 13]) expect([n, chunk, parse(text, chunk)]).toEqual([n, chunk, whole]);
    }
  });

  it('reads doubled qualifiers, CRLF and blank lines cut at every boundary', () => {
    const text = 'A,B\r\n"x""y","1\r\n2"\r\n\r\n"",""""\r\nlast,"q"';
    for (let chunk = 1; chunk <= text.length; chunk++) {
      expect(parse(text, chunk)).toEqual({
        records: [
          { fields: ['A', 'B'], line: 1 },
          { fields: ['x"y', '1\r\n2'], line: 2 },
          { fields: ['', '"'], line: 5 },
          { fields: ['last', 'q'], line: 6 },
        ],
        blankLines: 1,
      });
    }
  });

  it('recovers broken records when asked: text after a qualifier stays in its value, an unclosed one ends at its line', () => {
    const text = 'A,B\n"x"y,1\n2,"open\n3,4\n5,6\n';
    for (const chunk of [1, 4, 1000]) {
      expect(parse(text, chunk, { recover: true }).records).toEqual([
        { fields: ['A', 'B'], line: 1 },
        { fields: ['xy', '1'], line: 2, problem: 'text-after-qualifier' },
        { fields: ['2', 'open'], line: 3, problem: 'unclosed-qualifier' },
        { fields: ['3', '4'], line: 4 },
        { fields: ['5', '6'], line: 5 },
      ]);
    }
  });

  it('recovers an unclosed qualifier that would run past the value limit, and goes on from the next line', () => {
    const rows = Array.from({ length: 2000 }, (_, i) => `${i},v${i}`).join('\n');
    const text = `A,B\n1,"never closed\n${rows}\n`;
    const { records } = parse(text, 512, { recover: true, maxFieldChars: 4096 });
    expect(records[1]).toEqual({ fields: ['1', 'never closed'], line: 2, problem: 'unclosed-qualifier' });
    expect(records.length).toBe(2 + 2000);
    expect(records.at(-1)).toEqual({ fields: ['1999', 'v1999'], line: 2002 });
  });

  it.each([
    [
      'a value',
      'A\n' + 'x'.repeat(20_000),
      { maxFieldChars: 10_000 },
      /line 2, column 1: a value here is longer than 10,000/,
    ],
    [
      'a record',
      'A,B,C\n' + `${'x'.repeat(4000)},`.repeat(5),
      { maxRecordChars: 10_000 },
      /line 2: a record starting here is longer than 10,000/,
    ],
    [
      'the values of a record',
      `${'a,'.repeat(5000)}a\n`,
      { maxFields: 4096 },
      /line 1: the record starting here has more than 4,096 values/,
    ],
  ])('stops %s over its limit, at every chunk size', (_what, text, limits, message) => {
    for (const chunk of [7, 4096, text.length + 1]) {
      expect(() => parse(text, chunk, limits)).toThrow(message);
    }
  });

  it('is linear: a 64 MiB line without a line break ends at the value limit at once, not after re-reading it per chunk', () => {
    const chunk = 'x'.repeat(64 * 1024);
    const parser = new CsvParser({ delimiter: ',', qualifier: '"' }, { file: 'big.csv' });
    const started = performance.now();
    let error: unknown;
    try {
      for (let i = 0; i < 1024; i++) parser.push(chunk, false, () => undefined);
    } catch (e) {
      error = e;
    }
    expect(String(error)).toMatch(/big\.csv, line 1, column 1: a value here is longer than 8,388,608 characters/);
    // Quadratic re-parsing took minutes for this; linear parsing takes well under a second.
    expect(performance.now() - started).toBeLessThan(20_000);
  });
});
