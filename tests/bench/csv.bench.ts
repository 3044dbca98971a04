/**
 * `npm run bench -- csv [rows]`: the workbench's CSV parser against papaparse's streaming parser
 * on the same generated file (why sources/csv/csvParser.ts exists). Each parser runs in its own
 * child process so their peak RSS does not mix.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { openCsvReader } from '../../electron/services/sources/csv/csvReader';
import { fileSource } from '../../electron/services/sources/rows';
import { MB, median, samplePeakRss } from './support/measure';

async function generate(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('ID,NAME,CITY,AMOUNT,NOTE\r\n');
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    chunk += `C-${i},"Customer ${i}, Inc.",City ${i % 97},${(i * 13.37).toFixed(2)},"note ""${i}"""\r\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
      chunk = '';
    }
  }
  await new Promise<void>((resolve) => out.end(chunk, () => resolve()));
}

async function parseOnce(parser: string, path: string): Promise<string> {
  const sampler = samplePeakRss();
  const start = performance.now();
  let rows = 0;
  if (parser === 'dmfw') {
    for await (const batch of await openCsvReader(await fileSource(path))) rows += batch.rows.length;
  } else {
    await new Promise<void>((resolve, reject) => {
      Papa.parse(createReadStream(path, { highWaterMark: 64 * 1024 }) as unknown as File, {
        chunk: (result: Papa.ParseResult<unknown>) => {
          rows += result.data.length;
        },
        complete: () => resolve(),
        error: reject,
      });
    });
  }
  const ms = performance.now() - start;
  return JSON.stringify({ rows, ms, peak: sampler.stop() });
}

export async function run(args: string[]): Promise<number> {
  if (args[0] === '--child') {
    process.stdout.write(await parseOnce(args[1]!, args[2]!));
    return 0;
  }
  const rows = Number(args[0] ?? 1_000_000);
  const dir = await mkdtemp(join(tmpdir(), 'dmfw-bench-csv-'));
  try {
    const path = join(dir, 'input.csv');
    await generate(path, rows);
    console.log(`${rows.toLocaleString('en-US')} rows`);
    for (const parser of ['dmfw', 'papaparse']) {
      const runs = [0, 1, 2].map(
        () =>
          JSON.parse(
            execFileSync(process.execPath, ['bin/bench.mjs', 'csv', '--child', parser, path], { encoding: 'utf8' })
              .split('\n')
              .at(-1)!,
          ) as { rows: number; ms: number; peak: number },
      );
      console.log(
        `${parser.padEnd(10)} ${median(runs.map((r) => r.ms)).toFixed(0)} ms median, ${Math.max(...runs.map((r) => r.peak / MB)).toFixed(0)} MB peak RSS, ${runs[0]!.rows} rows`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return 0;
}
