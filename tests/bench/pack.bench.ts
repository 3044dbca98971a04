/**
 * `npm run bench -- pack [rows] [rounds]`: `dmfw pack` (parse, validate against the catalog,
 * write the package) against Info-ZIP `zip -6` on the same deterministic Customers V3 CSV
 * (1M rows, about 160 MB). The two run alternately, several rounds, each as its own process;
 * prints the median time ratio (target ≤ 1.0) and dmfw's peak RSS (target ≤ 200 MB).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCustomersCsv } from './support/customers';
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

function timed(command: string, args: string[], cwd: string): { seconds: number; stderr: string } {
  const start = performance.now();
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * MB });
  const seconds = (performance.now() - start) / 1000;
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return { seconds, stderr: result.stderr };
}

export async function run(args: string[]): Promise<number> {
  const rows = Number(args[0] ?? 1_000_000);
  const rounds = Number(args[1] ?? 3);
  ensureZip();
  const dir = await mkdtemp(join(tmpdir(), 'dmfw-bench-pack-'));
  try {
    const csv = join(dir, 'customers.csv');
    await writeCustomersCsv(csv, rows);
    const size = (await stat(csv)).size;
    console.log(`Customers V3: ${rows.toLocaleString('en-US')} rows, ${(size / MB).toFixed(0)} MB; ${rounds} rounds`);
    const ratios: number[] = [];
    const peaks: number[] = [];
    const dmfwTimes: number[] = [];
    const zipTimes: number[] = [];
    for (let round = 1; round <= rounds; round++) {
      await rm(join(dir, 'zip.zip'), { force: true });
      const zip = timed('zip', ['-6', '-q', 'zip.zip', 'customers.csv'], dir);
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
          'Customers V3=customers.csv',
        ],
        dir,
      );
      const peak = Number(/DMFW_PEAK_RSS=(\d+)/.exec(dmfw.stderr)?.[1] ?? NaN);
      const cpu = Number(/DMFW_CPU_US=(\d+)/.exec(dmfw.stderr)?.[1] ?? NaN) / 1e6;
      const [zipSize, dmfwSize] = [(await stat(join(dir, 'zip.zip'))).size, (await stat(join(dir, 'dmfw.zip'))).size];
      ratios.push(dmfw.seconds / zip.seconds);
      peaks.push(peak);
      dmfwTimes.push(dmfw.seconds);
      zipTimes.push(zip.seconds);
      console.log(
        `round ${round}: dmfw pack ${dmfw.seconds.toFixed(2)} s (${cpu.toFixed(2)} s CPU, ${(dmfwSize / MB).toFixed(1)} MB, peak RSS ${(peak / MB).toFixed(0)} MB), ` +
          `zip -6 ${zip.seconds.toFixed(2)} s (${(zipSize / MB).toFixed(1)} MB), ratio ${(dmfw.seconds / zip.seconds).toFixed(2)}; ` +
          `load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`,
      );
    }
    const ratio = median(ratios);
    const peak = Math.max(...peaks);
    console.log(
      `median: dmfw ${median(dmfwTimes).toFixed(2)} s, zip ${median(zipTimes).toFixed(2)} s, ratio ${ratio.toFixed(2)} (target ≤ 1.0); ` +
        `dmfw peak RSS ${(peak / MB).toFixed(0)} MB max, ${(median(peaks) / MB).toFixed(0)} MB median (target ≤ 200 MB)`,
    );
    return 0;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
