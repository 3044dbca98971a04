/**
 * `npm run bench -- xlsx [rows]`: the workbench's streaming xlsx reader (yauzl + saxes) against
 * exceljs's streaming WorkbookReader, on a sheet written the way F&O writes it (inline strings)
 * and one written the way Excel saves it (shared strings). Each reader runs in its own process.
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { fileSource } from '../../electron/services/sources/rows';
import { openXlsxReader } from '../../electron/services/sources/xlsx/xlsxReader';
import { createXlsxWriter } from '../../electron/services/sources/xlsx/xlsxWriter';
import { MB, median, samplePeakRss } from './support/measure';

const COLUMNS = [
  'CUSTOMERACCOUNT',
  'CUSTOMERGROUPID',
  'ORGANIZATIONNAME',
  'CITY',
  'CREDITLIMIT',
  'EMAIL',
  'CURRENCY',
  'TERMS',
];

function row(i: number): string[] {
  return [
    `US-${String(i).padStart(7, '0')}`,
    String(10 * (1 + (i % 9))),
    `Contoso Customer ${i}`,
    ['Seattle', 'Redmond', 'Chicago', 'Dallas'][i % 4]!,
    ((i * 37) % 250000).toFixed(2),
    `ap${i}@contoso.com`,
    'USD',
    ['Net10', 'Net30', 'COD'][i % 3]!,
  ];
}

async function writeInline(path: string, rows: number): Promise<void> {
  const writer = createXlsxWriter(createWriteStream(path), { columns: COLUMNS, file: path, sheetName: 'Customers_V3' });
  for (let start = 0; start < rows; start += 1000) {
    await writer.write(Array.from({ length: Math.min(1000, rows - start) }, (_, k) => row(start + k + 1)));
  }
  await writer.end();
}

async function writeShared(path: string, rows: number): Promise<void> {
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true });
  const sheet = book.addWorksheet('Customers_V3');
  sheet.addRow(COLUMNS).commit();
  for (let i = 1; i <= rows; i++) sheet.addRow(row(i)).commit();
  sheet.commit();
  await book.commit();
}

async function readOnce(reader: string, path: string): Promise<string> {
  const sampler = samplePeakRss();
  const start = performance.now();
  let rows = 0;
  if (reader === 'dmfw') {
    for await (const batch of await openXlsxReader(await fileSource(path))) rows += batch.rows.length;
  } else {
    const book = new ExcelJS.stream.xlsx.WorkbookReader(path, {
      sharedStrings: 'cache',
      worksheets: 'emit',
      entries: 'ignore',
      styles: 'ignore',
      hyperlinks: 'ignore',
    });
    for await (const sheet of book) {
      for await (const r of sheet as AsyncIterable<ExcelJS.Row>) if (r.number > 1) rows++;
    }
  }
  return JSON.stringify({ rows, ms: performance.now() - start, peak: sampler.stop() });
}

export async function run(args: string[]): Promise<number> {
  if (args[0] === '--child') {
    process.stdout.write(await readOnce(args[1]!, args[2]!));
    return 0;
  }
  const rows = Number(args[0] ?? 200_000);
  const dir = await mkdtemp(join(tmpdir(), 'dmfw-bench-xlsx-'));
  try {
    const files = {
      'inline strings (F&O)': join(dir, 'inline.xlsx'),
      'shared strings (Excel)': join(dir, 'shared.xlsx'),
    };
    await writeInline(files['inline strings (F&O)'], rows);
    await writeShared(files['shared strings (Excel)'], rows);
    for (const [kind, path] of Object.entries(files)) {
      console.log(`${kind}: ${rows.toLocaleString('en-US')} rows, ${((await stat(path)).size / MB).toFixed(1)} MB`);
      for (const reader of ['dmfw', 'exceljs']) {
        const runs = [0, 1, 2].map(
          () =>
            JSON.parse(
              execFileSync(process.execPath, ['bin/bench.mjs', 'xlsx', '--child', reader, path], { encoding: 'utf8' })
                .split('\n')
                .at(-1)!,
            ) as {
              rows: number;
              ms: number;
              peak: number;
            },
        );
        console.log(
          `  ${reader.padEnd(8)} ${median(runs.map((r) => r.ms)).toFixed(0)} ms median, ${Math.max(...runs.map((r) => r.peak / MB)).toFixed(0)} MB peak RSS, ${runs[0]!.rows} rows`,
        );
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return 0;
}
