import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../emulator';
import type { Emulator } from '../../../emulator';
import type { JobSummary } from '../../../shared/api/domains/jobs';
import { isFinal } from '../../../shared/domain/jobs/outcome';
import { emulatorBench, writeFiles } from '../../support/emulatorWorkbench';
import type { EmulatorBench } from '../../support/emulatorWorkbench';

let emulator: Emulator;
let bench: EmulatorBench;
let work: string;

const rows = (prefix: string, n: number, extra: string) =>
  Array.from({ length: n }, (_, i) => `${prefix}${String(i + 1).padStart(4, '0')},${extra}`).join('\r\n');

beforeAll(async () => {
  // Realistic latency on a clock the test moves: the import takes minutes of emulator time.
  emulator = await startEmulator({ clock: { manual: true } });
  bench = await emulatorBench(emulator, { datasets: { worker: null } });
  work = await mkdtemp(join(tmpdir(), 'dmfw-progress-'));
  await writeFiles(work, {
    'terms.csv': `NAME,DESCRIPTION\r\n${rows('PT', 3, 'Terms')}\r\n`,
    'groups.csv': `CUSTOMERGROUPID,DESCRIPTION\r\n${rows('PG', 4000, 'Group')}\r\n`,
  });
  await bench.client.call('projects.create', { dir: work, name: 'Progress' });
  await bench.client.call('projects.update', {
    dir: work,
    binding: { dataProject: 'DMFW-Progress', company: 'USMF' },
    entities: [
      { label: 'Terms of payment', sourceFile: 'terms.csv', enabled: true },
      { label: 'Customer groups', sourceFile: 'groups.csv', enabled: true },
    ],
  });
});

afterAll(async () => {
  await bench?.dispose();
  await emulator?.stop();
  await rm(work, { recursive: true, force: true });
});

describe('the job monitor follows the entities while F&O processes them', () => {
  it('updates the per-entity counts during the poll step, before the results', async () => {
    const { client, env } = bench;
    const seen: JobSummary[] = [];
    const off = client.on('jobs.changed', (job) => seen.push(job));
    const job = await client.call('jobs.startImport', {
      environmentId: env,
      source: work,
      dataProject: 'DMFW-Progress',
    });
    await expect
      .poll(
        () =>
          seen
            .filter((j) => j.id === job.id)
            .map((j) => `${j.step}:${j.state}:${j.error?.message ?? ''}`)
            .at(-1),
        {
          timeout: 30_000,
        },
      )
      .toMatch(/^poll:running/);
    // Move the emulator's time on a quarter second at a time, and each time wait until the job has
    // asked for the status again (the emulator's call log says so), so it sees every stage.
    const polls = () => emulator.calls.list({ operation: 'GetExecutionSummaryStatus' }).length;
    let final: JobSummary | undefined;
    for (let i = 0; i < 400 && !final; i++) {
      const before = polls();
      emulator.clock.advance(250);
      await expect
        .poll(() => polls() > before || seen.some((j) => j.id === job.id && isFinal(j.state)), { timeout: 30_000 })
        .toBe(true);
      final = seen.find((j) => j.id === job.id && j.state === 'succeeded');
    }
    off();
    expect(final, JSON.stringify(seen.at(-1))).toBeDefined();
    const during = seen.filter((j) => j.id === job.id && j.step === 'poll' && j.entities.length > 0);
    expect(during.length).toBeGreaterThan(1);
    // Part-way: the terms (level 1) are in the target while the customer groups (level 2) still run.
    const status = (j: JobSummary, label: string) => j.entities.find((e) => e.label === label)?.status;
    expect(
      during.some((j) => status(j, 'Terms of payment') === 'Finished' && status(j, 'Customer groups') !== 'Finished'),
      JSON.stringify(during.map((j) => j.entities)),
    ).toBe(true);
    expect(final!.entities.find((e) => e.label === 'Customer groups')?.targetRecords).toBe(4000);
  });
});
