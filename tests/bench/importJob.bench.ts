// `npm run bench -- importJob [rows] [error-every]`: an import job end to end against the emulator
// at full speed: build the package from a project's CSV (with lineage), upload it in blocks,
// ImportFromPackage, poll, then fetch and map every error to its source row. Prints the time of
// each step; a row in every `error-every` has an unknown payment term (a target error).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../../emulator';
import type { JobSummary } from '../../shared/api/domains/jobs';
import { emulatorBench, writeFiles } from '../support/emulatorWorkbench';

export async function run(args: string[]): Promise<number> {
  const rows = Number(args[0] ?? 200_000);
  const errorEvery = Number(args[1] ?? 50);
  const work = await mkdtemp(join(tmpdir(), 'dmfw-bench-job-'));
  const emulator = await startEmulator({ speed: 'max', seed: true });
  const bench = await emulatorBench(emulator);
  try {
    const lines = Array.from({ length: rows }, (_, i) => {
      const terms = i % errorEvery === errorEvery - 1 ? 'NOPE' : 'Net30';
      return `B${String(i).padStart(8, '0')},Group number ${i},${terms}`;
    });
    await writeFiles(work, {
      'groups.csv': `CUSTOMERGROUPID,DESCRIPTION,PAYMENTTERMID\n${lines.join('\n')}\n`,
      'dmfw-project.json': JSON.stringify({
        schemaVersion: 1,
        name: 'Bench',
        entities: [{ label: 'Customer groups', sourceFile: 'groups.csv' }],
      }),
    });
    const steps: { step: string; at: number }[] = [];
    const off = bench.client.on('jobs.changed', (job: JobSummary) => {
      if (steps.at(-1)?.step !== job.step) steps.push({ step: job.step, at: performance.now() });
    });
    const started = performance.now();
    const job = await bench.finish(
      await bench.client.call('jobs.startImport', {
        environmentId: bench.env,
        source: work,
        dataProject: 'DMFW-Bench',
      }),
    );
    const total = (performance.now() - started) / 1000;
    off();
    console.log(
      `import job of ${rows} rows: ${job.state} (${job.executionStatus}), ${job.errorCount} row errors, ${total.toFixed(1)} s in all, ${Math.round(rows / total)} rows/s`,
    );
    for (let i = 0; i < steps.length - 1; i++) {
      const step = steps[i]!;
      console.log(`  ${step.step.padEnd(8)} ${((steps[i + 1]!.at - step.at) / 1000).toFixed(2)} s`);
    }
    const { errors } = await bench.client.call('jobs.errors', { jobId: job.id, limit: 3 });
    console.log(`  first errors: ${errors.map((e) => `${e.sourceFile}:${e.sourceRow}`).join(', ')}`);
    console.log(
      `  peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (this process: workbench and emulator together)`,
    );
    return job.errorCount === Math.floor(rows / errorEvery) ? 0 : 1;
  } finally {
    await bench.dispose();
    await emulator.stop();
    await rm(work, { recursive: true, force: true });
  }
}
