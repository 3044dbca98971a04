/**
 * An independent reader of what pack writes: Python's zipfile (CRC of every entry) and csv
 * module read the data file back: its rows must be the source's, row for row, and every record
 * must end in CRLF, for every shape pack copies or converts (LF extract, UTF-8 with BOM, fully
 * quoted CRLF; as CSV and as CSV-Unicode).
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { pack } from '../../../electron/services/packages/pack';
import { BUILT_IN_CATALOG, indexCatalog } from '../../../shared/domain/catalog';
import { seededRandom } from '../../support/random';
import { tempDirs } from '../../support/tempDir';

const run = promisify(execFile);
const temp = tempDirs();
const catalog = indexCatalog(BUILT_IN_CATALOG);

/** Prints the data file's rows as JSON after zipfile's CRC check of every entry. */
const READ_BACK = `
import csv, io, json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
bad = z.testzip()
if bad is not None:
    sys.exit('bad CRC in ' + bad)
data = z.read(sys.argv[2])
encoding = sys.argv[3]
text = data.decode(encoding)
if encoding == 'utf-16':
    assert data[:2] == b'\\xff\\xfe', 'no BOM'
print(json.dumps({'rows': list(csv.reader(io.StringIO(text, newline=''))), 'crlf': text.count('\\r\\n')}))
`;

const COLUMNS = ['CUSTOMERGROUPID', 'DESCRIPTION'];

function sourceRows(count: number): string[][] {
  const random = seededRandom(15);
  const words = ['Wholesale', 'Retail, small', 'Müller "GmbH"', 'Société', 'two\nlines', 'plain'];
  return Array.from({ length: count }, (_, i) => [`G${i}`, `${words[Math.floor(random() * words.length)]} ${i}`]);
}

function csvText(rows: readonly string[][], eol: string, quoteAll: boolean): string {
  const cell = (v: string) => (quoteAll || /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  return [COLUMNS, ...rows].map((r) => r.map(cell).join(',') + eol).join('');
}

async function readBack(zip: string, encoding: string): Promise<{ rows: string[][]; crlf: number }> {
  const { stdout } = await run('python3', ['-c', READ_BACK, zip, 'Customer groups.csv', encoding], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout) as { rows: string[][]; crlf: number };
}

describe('pack read back by Python', () => {
  const rows = sourceRows(20_000);
  const shapes = [
    { name: 'an LF extract', bytes: Buffer.from(csvText(rows, '\n', false), 'utf8') },
    {
      name: 'UTF-8 with a BOM',
      bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csvText(rows, '\r\n', false), 'utf8')]),
    },
    { name: 'a fully quoted CRLF file', bytes: Buffer.from(csvText(rows, '\r\n', true), 'latin1') },
  ];
  for (const shape of shapes) {
    for (const format of ['CSV', 'CSV-Unicode'] as const) {
      it(`${shape.name} packed as ${format} holds the source's rows`, { timeout: 120_000 }, async () => {
        const dir = await temp.make();
        await writeFile(join(dir, 'groups.csv'), shape.bytes);
        const result = await pack({
          out: join(dir, 'out.zip'),
          format,
          entities: [{ entity: 'Customer groups', file: join(dir, 'groups.csv') }],
          catalog,
        });
        expect(result.errors).toBe(0);
        expect(result.entities[0]).toMatchObject({ copied: true, rows: rows.length });
        const back = await readBack(join(dir, 'out.zip'), format === 'CSV' ? 'cp1252' : 'utf-16');
        expect(back.rows[0]).toEqual(COLUMNS);
        expect(back.rows.slice(1)).toEqual(rows);
        // Every record ends in CRLF; line breaks inside values stay as the source has them.
        expect(back.crlf).toBe(rows.length + 1);
      });
    }
  }
});
