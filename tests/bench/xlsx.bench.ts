/**
 * `npm run bench -- xlsx [rows] [rounds]` (issue 15 item 2): in one run, side by side, rounds
 * alternating, medians of `rounds` (default 3), CPU (all threads) beside wall, and the load:
 *
 * - read: the workbench's xlsx reader against openpyxl's read-only mode (Debian's
 *   python3-openpyxl), on 200k × 8 shared-string rows (written by exceljs's streaming writer, as
 *   Excel-like tools save them) and the same rows as inline strings (the workbench's writer: F&O's
 *   shape). Each reader times its own reading in its own process (start-up left out); goal ≤ 1.5 s.
 * - validate: the whole `dmfw validate --entity "Customers V3"` process on the shared-string sheet
 *   against openpyxl's read alone; goal ≤ 0.1×.
 * - write: the EXCEL-format writer (the workbench's, used for EXCEL packages) against exceljs's
 *   streaming WorkbookWriter, the same rows, each in its own process.
 *
 * The 1,048,576-row sheet in the grid is `npm run bench -- grid --xlsx` (Chromium).
 *
 * Where the CPU goes (--cpu-prof, 200k × 8 shared strings, load ~12 on 2 cores): before, saxes
 * ~60% of the reader's CPU (write/sOpenTag/attribute callbacks), GC ~25%, inflate ~15%; 3.6 s CPU.
 * With the sheet tokenizer (xlsxScanner): tokenizer ~45%, inflate ~15%, row building ~12%, GC ~10%.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { fileSource } from '../../electron/services/sources/rows';
import { openXlsxReader } from '../../electron/services/sources/xlsx/xlsxReader';
import { createXlsxWriter } from '../../electron/services/sources/xlsx/xlsxWriter';
import { CUSTOMER_COLUMNS, customerRows } from './support/customers';
import { MB, median, samplePeakRss } from './support/measure';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const PYTHON = '/usr/bin/python3';

/** Eight Customers V3 staging fields, all text: every cell a shared string in Excel's files. */
const PICK = [0, 1, 3, 4, 5, 12, 14, 15];
const COLUMNS = PICK.map((i) => CUSTOMER_COLUMNS[i]!);

function* rowsOf(count: number): Generator<string[]> {
  for (const values of customerRows(count)) yield PICK.map((i) => values[i]!);
}

async function writeOurs(path: string, rows: number): Promise<void> {
  const writer = createXlsxWriter(createWriteStream(path), { columns: COLUMNS, file: path, sheetName: 'Customers_V3' });
  let batch: string[][] = [];
  for (const values of rowsOf(rows)) {
    batch.push(values);
    if (batch.length === 1000) {
      await writer.write(batch);
      batch = [];
    }
  }
  await writer.write(batch);
  await writer.end();
}

async function writeExceljs(path: string, rows: number, useSharedStrings: boolean): Promise<void> {
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings });
  const sheet = book.addWorksheet('Customers_V3');
  sheet.addRow(COLUMNS).commit();
  for (const values of rowsOf(rows)) sheet.addRow(values).commit();
  sheet.commit();
  await book.commit();
}

/** openpyxl read-only: the time it takes to read every cell, in its own process. */
const OPENPYXL_READ = `
import json, resource, sys, time, openpyxl
t0, c0 = time.perf_counter(), time.process_time()
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
rows = 0
for row in wb.worksheets[0].iter_rows(values_only=True):
    rows += 1
print(json.dumps({'rows': rows - 1, 'seconds': time.perf_counter() - t0, 'cpu': time.process_time() - c0,
                  'peak': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))
`;

interface Timed {
  readonly seconds: number;
  readonly cpu: number;
  readonly peak: number;
  readonly rows?: number;
}

/** A child that prints a JSON `Timed` as its last line. */
function child(command: string, args: string[]): Timed {
  const out = execFileSync(command, args, { cwd: REPO, encoding: 'utf8', maxBuffer: 64 * MB });
  return JSON.parse(out.trim().split('\n').at(-1)!) as Timed;
}

/** A whole process, CPU and peak RSS from GNU time. */
function processTimed(args: string[]): Timed {
  const start = performance.now();
  const result = spawnSync('/usr/bin/time', ['-f', 'BENCH_CPU=%U %S %M', ...args], {
    cwd: REPO,
    encoding: 'utf8',
    maxBuffer: 256 * MB,
  });
  const seconds = (performance.now() - start) / 1000;
  const gnu = /BENCH_CPU=([\d.]+) ([\d.]+) (\d+)/.exec(result.stderr);
  if (!gnu || (result.status !== 0 && result.status !== 1))
    throw new Error(`${args.join(' ')} failed (${result.status}):\n${result.stderr.slice(-2000)}`);
  return { seconds, cpu: Number(gnu[1]) + Number(gnu[2]), peak: Number(gnu[3]) * 1024 };
}

/** In a child (`--child <what> <path> [rows]`): one timed reading or writing. */
async function childRun(what: string, path: string, rows: number): Promise<Timed> {
  const sampler = samplePeakRss();
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  let count = 0;
  if (what === 'read') {
    for await (const batch of await openXlsxReader(await fileSource(path))) count += batch.rows.length;
  } else if (what === 'write') {
    await writeOurs(path, rows);
    count = rows;
  } else {
    await writeExceljs(path, rows, false);
    count = rows;
  }
  const cpu = process.cpuUsage(cpu0);
  return {
    rows: count,
    seconds: (performance.now() - start) / 1000,
    cpu: (cpu.user + cpu.system) / 1e6,
    peak: sampler.stop(),
  };
}

const bench = (...args: string[]) => [join(REPO, 'bin/bench.mjs'), 'xlsx', '--child', ...args];

interface Row {
  readonly name: string;
  readonly ours: Timed[];
  readonly theirs: Timed[];
  readonly loads: number[];
  readonly yardstick: string;
  readonly goal: string;
  readonly met: (ours: number, theirs: number) => boolean;
}

export async function run(args: string[]): Promise<number> {
  if (args[0] === '--child') {
    process.stdout.write(`${JSON.stringify(await childRun(args[1]!, args[2]!, Number(args[3] ?? 0)))}\n`);
    return 0;
  }
  const rows = Number(args[0] ?? 200_000);
  const rounds = Number(args[1] ?? 3);
  const dir = await mkdtemp(join(tmpdir(), 'dmfw-bench-xlsx-'));
  try {
    const shared = join(dir, 'shared.xlsx');
    const inline = join(dir, 'inline.xlsx');
    await writeExceljs(shared, rows, true);
    await writeOurs(inline, rows);
    for (const [name, path] of [
      ['shared strings (exceljs)', shared],
      ['inline strings (workbench, F&O shape)', inline],
    ] as const)
      console.log(
        `${name}: ${rows.toLocaleString('en-US')} rows × ${COLUMNS.length}, ${((await stat(path)).size / MB).toFixed(1)} MB`,
      );
    const table: Row[] = [
      {
        name: 'read, shared strings',
        ours: [],
        theirs: [],
        loads: [],
        yardstick: 'openpyxl read-only',
        goal: '≤ 1.5 s',
        met: (ours) => ours <= 1.5,
      },
      {
        name: 'read, inline strings',
        ours: [],
        theirs: [],
        loads: [],
        yardstick: 'openpyxl read-only',
        goal: '≤ 1.5 s',
        met: (ours) => ours <= 1.5,
      },
      {
        name: 'dmfw validate (whole process)',
        ours: [],
        theirs: [],
        loads: [],
        yardstick: 'openpyxl read-only',
        goal: '≤ 0.1× openpyxl',
        met: (ours, theirs) => ours <= 0.1 * theirs,
      },
      {
        name: 'write EXCEL (inline strings)',
        ours: [],
        theirs: [],
        loads: [],
        yardstick: 'exceljs streaming writer',
        goal: 'measured',
        met: () => true,
      },
    ];
    const [readShared, readInline, validate, write] = table as [Row, Row, Row, Row];
    for (let round = 1; round <= rounds; round++) {
      // Alternate who goes first, so that neither always meets the same load.
      const pair = (row: Row, ours: () => Timed, theirs: () => Timed) => {
        row.loads.push(loadavg()[0]!);
        if (round % 2) {
          row.ours.push(ours());
          row.theirs.push(theirs());
        } else {
          row.theirs.push(theirs());
          row.ours.push(ours());
        }
        const [o, t] = [row.ours.at(-1)!, row.theirs.at(-1)!];
        console.log(
          `round ${round} ${row.name}: ours ${o.seconds.toFixed(2)} s (${o.cpu.toFixed(2)} s CPU, ${(o.peak / MB).toFixed(0)} MB)` +
            `, ${row.yardstick} ${t.seconds.toFixed(2)} s (${t.cpu.toFixed(2)} s CPU, ${(t.peak / MB).toFixed(0)} MB); load ${loadavg()[0]!.toFixed(1)}`,
        );
      };
      let sharedByOpenpyxl: Timed | undefined;
      pair(
        readShared,
        () => child(process.execPath, bench('read', shared)),
        () => (sharedByOpenpyxl = child(PYTHON, ['-c', OPENPYXL_READ, shared])),
      );
      pair(
        readInline,
        () => child(process.execPath, bench('read', inline)),
        () => child(PYTHON, ['-c', OPENPYXL_READ, inline]),
      );
      pair(
        validate,
        () =>
          processTimed([
            process.execPath,
            join(REPO, 'bin/dmfw.mjs'),
            'validate',
            '--entity',
            'Customers V3',
            shared,
            '--json',
          ]),
        () => sharedByOpenpyxl!,
      );
      pair(
        write,
        () => child(process.execPath, bench('write', join(dir, 'ours-out.xlsx'), String(rows))),
        () => child(process.execPath, bench('exceljs', join(dir, 'exceljs-out.xlsx'), String(rows))),
      );
    }
    for (const [r, name] of [
      [readShared, 'shared'],
      [readInline, 'inline'],
    ] as const) {
      const counts = new Set([...r.ours, ...r.theirs].map((t) => t.rows));
      if (counts.size !== 1) throw new Error(`the readers disagree on the rows of the ${name} sheet: ${[...counts]}`);
    }
    console.log(
      `\n${rows.toLocaleString('en-US')} rows × ${COLUMNS.length}, medians of ${rounds} rounds (CPU: all threads of the process)`,
    );
    console.log(
      'work                            ours s  CPU s  peak MB | yardstick                  s  CPU s  peak MB | ratio  load  goal',
    );
    for (const r of table) {
      const ours = median(r.ours.map((t) => t.seconds));
      const theirs = median(r.theirs.map((t) => t.seconds));
      const ratio = median(r.ours.map((t, i) => t.seconds / r.theirs[i]!.seconds));
      console.log(
        `${r.name.padEnd(31)} ${ours.toFixed(2).padStart(6)} ${median(r.ours.map((t) => t.cpu))
          .toFixed(2)
          .padStart(6)} ${(Math.max(...r.ours.map((t) => t.peak)) / MB).toFixed(0).padStart(8)} | ` +
          `${r.yardstick.padEnd(24)} ${theirs.toFixed(2).padStart(6)} ${median(r.theirs.map((t) => t.cpu))
            .toFixed(2)
            .padStart(6)} ${(Math.max(...r.theirs.map((t) => t.peak)) / MB).toFixed(0).padStart(8)} | ` +
          `${ratio.toFixed(3).padStart(5)} ${median(r.loads).toFixed(1).padStart(5)}  ${r.goal} ${r.met(ours, theirs) ? 'MET' : 'MISSED'}`,
      );
    }
    return 0;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
