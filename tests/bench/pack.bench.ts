/**
 * `npm run bench -- pack [rows] [rounds] [xlsxRows]`: `dmfw pack` (parse, validate against the
 * catalog, write the package) against Info-ZIP `zip -6` of the same source, for every shape of
 * file consultants have, side by side in one run:
 *
 *   F&O dialect      Windows-1252, CRLF, every value quoted (an F&O export): copied as it is
 *   LF extract       UTF-8, LF, quotes only where needed (SQL tools, scripts): converted on its bytes
 *   Excel CSV UTF-8  UTF-8 with BOM, CRLF: BOM dropped, re-encoded
 *   CSV-Unicode      the F&O-dialect file packed as UTF-16LE (twice the bytes to deflate)
 *   xlsx → CSV       a shared-strings workbook (as Excel saves it) packed as CSV
 *   xlsx → EXCEL     the same workbook packed as an EXCEL data file
 *
 * zip and dmfw run alternately, each as its own process, `rounds` times; the figure is the median
 * ratio of wall times (goal ≤ 0.8), with CPU seconds (all threads), peak RSS (goal ≤ 200 MB), the
 * load average and a check that the deflate streams are byte-identical across rounds and that
 * Python's zipfile reads every package (testzip: CRC of every entry). For the xlsx shapes the
 * yardstick is zip -6 of the same rows as an F&O-dialect CSV.
 *
 * Where the CPU goes (node --cpu-prof, 1M rows, before the byte conversion; see ARCHITECTURE.md
 * "Package engine"): the main thread is the critical path. F&O dialect: parsing 30%, validation
 * 20% (key set 11%), module loading and start-up ~0.9 s CPU; deflate on the workers 3.6 s CPU
 * (zip -6: 4.2 s). LF extract: the row writer and the Windows-1252 encoder (iconv-lite) took 40%
 * of the main thread and garbage collection 20%, 16 s CPU in all; converting the bytes instead
 * brought it to 8 s.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { CUSTOMER_COLUMNS, customerRows, writeCustomersCsv } from './support/customers';
import { MB, median } from './support/measure';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const REPORT_RSS = fileURLToPath(new URL('./support/reportRss.mjs', import.meta.url));

/** Info-ZIP is the yardstick; install it (Debian) if this machine lacks it. */
function ensureZip(): void {
  if (spawnSync('zip', ['-v']).status === 0) return;
  console.log('Installing Info-ZIP zip (apt-get)…');
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  const run = (args: string[]) =>
    execFileSync(sudo[0] ?? args[0]!, sudo.length ? args : args.slice(1), { stdio: 'inherit' });
  run(['apt-get', 'update', '-qq']);
  run(['apt-get', 'install', '-y', '-qq', 'zip']);
}

interface Timed {
  readonly seconds: number;
  readonly cpu: number;
  readonly peak: number;
}

/** Runs a command; CPU and peak RSS come from GNU time's report (zip) or reportRss.mjs (dmfw). */
function timed(command: string, args: string[], cwd: string): Timed {
  const start = performance.now();
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * MB });
  const seconds = (performance.now() - start) / 1000;
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  const gnu = /BENCH_CPU=([\d.]+) ([\d.]+) (\d+)/.exec(result.stderr);
  if (gnu) return { seconds, cpu: Number(gnu[1]) + Number(gnu[2]), peak: Number(gnu[3]) * 1024 };
  return {
    seconds,
    cpu: Number(/DMFW_CPU_US=(\d+)/.exec(result.stderr)?.[1] ?? NaN) / 1e6,
    peak: Number(/DMFW_PEAK_RSS=(\d+)/.exec(result.stderr)?.[1] ?? NaN),
  };
}

/** Python's zipfile: every entry's CRC checked, and a digest of the deflate streams (not the dates). */
const ZIP_CHECK = `
import hashlib, struct, sys, zipfile
path = sys.argv[1]
z = zipfile.ZipFile(path)
bad = z.testzip()
h = hashlib.sha256()
with open(path, 'rb') as f:
    for i in z.infolist():
        f.seek(i.header_offset)
        head = f.read(30)
        n, m = struct.unpack('<HH', head[26:30])
        f.seek(i.header_offset + 30 + n + m)
        h.update(i.filename.encode() + f.read(i.compress_size) + struct.pack('<I', i.CRC))
print(h.hexdigest()[:16] if bad is None else 'BAD ' + bad)
`;

function zipCheck(path: string): string {
  return execFileSync('python3', ['-c', ZIP_CHECK, path], { encoding: 'utf8' }).trim();
}

async function writeWorkbook(path: string, rows: number): Promise<void> {
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true });
  const sheet = book.addWorksheet('Customers');
  sheet.addRow(CUSTOMER_COLUMNS).commit();
  for (const values of customerRows(rows)) sheet.addRow(values).commit();
  sheet.commit();
  await book.commit();
}

interface Shape {
  readonly name: string;
  /** The file zip compresses (the yardstick). */
  readonly yardstick: string;
  readonly source: string;
  readonly format?: string;
  readonly goal: boolean;
}

export async function run(args: string[]): Promise<number> {
  const rows = Number(args[0] ?? 1_000_000);
  const rounds = Number(args[1] ?? 3);
  const xlsxRows = Number(args[2] ?? 200_000);
  ensureZip();
  const dir = await mkdtemp(join(tmpdir(), 'dmfw-bench-pack-'));
  try {
    await writeCustomersCsv(join(dir, 'fno.csv'), rows, 'fno');
    await writeCustomersCsv(join(dir, 'extract.csv'), rows, 'extract');
    await writeCustomersCsv(join(dir, 'excel.csv'), rows, 'excel');
    await writeCustomersCsv(join(dir, 'small.csv'), xlsxRows, 'fno');
    await writeWorkbook(join(dir, 'customers.xlsx'), xlsxRows);
    const shapes: Shape[] = [
      { name: 'F&O dialect (CRLF, quoted)', yardstick: 'fno.csv', source: 'fno.csv', goal: true },
      { name: 'LF extract (quotes where needed)', yardstick: 'extract.csv', source: 'extract.csv', goal: true },
      { name: 'Excel CSV UTF-8 (BOM)', yardstick: 'excel.csv', source: 'excel.csv', goal: true },
      { name: 'CSV-Unicode output', yardstick: 'fno.csv', source: 'fno.csv', format: 'CSV-Unicode', goal: true },
      { name: 'xlsx → CSV', yardstick: 'small.csv', source: 'customers.xlsx', format: 'CSV', goal: false },
      { name: 'xlsx → EXCEL', yardstick: 'small.csv', source: 'customers.xlsx', format: 'EXCEL', goal: false },
    ];
    for (const file of ['fno.csv', 'extract.csv', 'excel.csv', 'customers.xlsx'])
      console.log(`${file}: ${((await stat(join(dir, file))).size / MB).toFixed(0)} MB`);
    console.log(
      `${rows.toLocaleString('en-US')} rows (xlsx ${xlsxRows.toLocaleString('en-US')}), ${rounds} rounds, ${availableParallelism()} cores`,
    );
    const results = shapes.map(() => ({
      dmfw: [] as Timed[],
      zip: [] as Timed[],
      digests: new Set<string>(),
      sizes: [0, 0],
      loads: [] as number[],
    }));
    for (let round = 1; round <= rounds; round++) {
      for (const [index, shape] of shapes.entries()) {
        const result = results[index]!;
        await rm(join(dir, 'zip.zip'), { force: true });
        result.loads.push(loadavg()[0]!);
        const zip = timed(
          '/usr/bin/time',
          ['-f', 'BENCH_CPU=%U %S %M', 'zip', '-6', '-q', 'zip.zip', shape.yardstick],
          dir,
        );
        await rm(join(dir, 'dmfw.zip'), { force: true });
        const dmfw = timed(
          process.execPath,
          [
            '--import',
            REPORT_RSS,
            join(REPO, 'bin/dmfw.mjs'),
            'pack',
            '--out',
            'dmfw.zip',
            '--entity',
            `Customers V3=${shape.source}`,
            ...(shape.format ? ['--format', shape.format] : []),
          ],
          dir,
        );
        result.zip.push(zip);
        result.dmfw.push(dmfw);
        result.digests.add(zipCheck(join(dir, 'dmfw.zip')));
        result.sizes = [(await stat(join(dir, 'dmfw.zip'))).size, (await stat(join(dir, 'zip.zip'))).size];
        console.log(
          `round ${round} ${shape.name}: dmfw ${dmfw.seconds.toFixed(2)} s (${dmfw.cpu.toFixed(2)} s CPU, ${(dmfw.peak / MB).toFixed(0)} MB), ` +
            `zip -6 ${zip.seconds.toFixed(2)} s (${zip.cpu.toFixed(2)} s CPU), ratio ${(dmfw.seconds / zip.seconds).toFixed(2)}; load ${loadavg()[0]!.toFixed(1)}`,
        );
      }
    }
    console.log(
      '\nshape                             dmfw s  zip s  ratio  CPU dmfw/zip  peak RSS  dmfw/zip MB  load  streams',
    );
    let missed = 0;
    for (const [index, shape] of shapes.entries()) {
      const r = results[index]!;
      const ratio = median(r.dmfw.map((d, i) => d.seconds / r.zip[i]!.seconds));
      const peak = Math.max(...r.dmfw.map((d) => d.peak));
      const identical = r.digests.size === 1 && ![...r.digests][0]!.startsWith('BAD');
      if (shape.goal && (ratio > 0.8 || peak > 200 * MB)) missed++;
      console.log(
        `${shape.name.padEnd(33)} ${median(r.dmfw.map((d) => d.seconds))
          .toFixed(2)
          .padStart(6)} ${median(r.zip.map((d) => d.seconds))
          .toFixed(2)
          .padStart(6)} ` +
          `${ratio.toFixed(2).padStart(6)} ${`${median(r.dmfw.map((d) => d.cpu)).toFixed(1)}/${median(r.zip.map((d) => d.cpu)).toFixed(1)}`.padStart(13)} ` +
          `${(peak / MB).toFixed(0).padStart(6)} MB ${`${(r.sizes[0]! / MB).toFixed(1)}/${(r.sizes[1]! / MB).toFixed(1)}`.padStart(12)} ` +
          `${median(r.loads).toFixed(1).padStart(5)}  ${identical ? 'identical, zipfile OK' : [...r.digests].join(' ')}`,
      );
    }
    console.log(`goals: ratio ≤ 0.8 and peak RSS ≤ 200 MB for the CSV shapes (${missed} missed)`);
    return 0;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
