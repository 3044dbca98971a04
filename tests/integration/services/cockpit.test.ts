import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../emulator';
import type { Emulator } from '../../../emulator';
import type { RunRecord } from '../../../shared/api/domains/projects';
import { emulatorBench, writeFiles } from '../../support/emulatorWorkbench';
import type { EmulatorBench } from '../../support/emulatorWorkbench';

let emulator: Emulator;
let bench: EmulatorBench;
let work: string;

/** The Local emulator's demo user (emulator/server.ts): the account F&O sees the workbench's calls come from. */
const DEMO_USER = 'admin@contoso.emulator';

/** A new payment term, and customer groups that use it: the groups come a level after the terms. */
const TERMS = 'NAME,DESCRIPTION,NUMBEROFDAYS\r\nCK77,Cockpit 77 days,77\r\n';
const GROUPS_HEADER = 'CUSTOMERGROUPID,DESCRIPTION,PAYMENTTERMID\r\n';
/** Cycle 1: two groups name payment terms F&O does not have (target errors, one rule). */
const CYCLE_1 = ['CK-A,First,CK77', 'CK-B,Second,NOPE1', 'CK-C,Third,NOPE2', 'CK-D,Fourth,Net30'];
/** Cycle 2: one of them fixed, one still wrong, one new problem. */
const CYCLE_2 = ['CK-A,First,CK77', 'CK-B,Second,Net10', 'CK-C,Third,NOPE2', 'CK-D,Fourth,NOPE3'];

beforeAll(async () => {
  emulator = await startEmulator({ speed: 'max' });
  bench = await emulatorBench(emulator);
  work = await mkdtemp(join(tmpdir(), 'dmfw-cockpit-'));
  await writeFiles(work, {
    'terms.csv': TERMS,
    'groups.csv': GROUPS_HEADER + CYCLE_1.join('\r\n') + '\r\n',
  });
  await bench.client.call('projects.create', { dir: work, name: 'Cockpit wave' });
  await bench.client.call('projects.update', {
    dir: work,
    binding: { environment: 'Emulator', dataProject: 'DMFW-Cockpit', company: 'USMF' },
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

/** The job id of the latest cycle run (the reconciliation test reconciles it). */
let latestJob = '';

async function runOnce(): Promise<void> {
  const job = await bench.finish(
    await bench.client.call('jobs.startImport', { environmentId: bench.env, source: work }),
  );
  expect(job.state, JSON.stringify(job.error)).toBe('partially-succeeded');
  latestJob = job.id;
}

describe('the migration cockpit of a project across cycles', () => {
  it('records each run with its rows, rules and F&O schedule, and puts the cycles side by side', async () => {
    await runOnce();
    await writeFile(join(work, 'groups.csv'), GROUPS_HEADER + CYCLE_2.join('\r\n') + '\r\n');
    await runOnce();

    // The run file keeps what the cockpit needs: rows sent, rules, fingerprints per entity, F&O's schedule.
    const files = (await readdir(join(work, 'runs'))).sort();
    expect(files).toHaveLength(2);
    const first = JSON.parse(await readFile(join(work, 'runs', files[0]!), 'utf8')) as RunRecord;
    const groups = first.entities.find((e) => e.label === 'Customer groups')!;
    expect(groups).toMatchObject({ sourceRows: 4, targetRecords: 2, targetErrors: 2 });
    expect(groups.rules).toHaveLength(1);
    expect(groups.rules![0]).toMatchObject({ stage: 'target', count: 2 });
    // The rule is F&O's message without the row's values: both rows count under it.
    expect(groups.rules![0]!.rule).not.toMatch(/NOPE/);
    expect(groups.fingerprints).toHaveLength(2);
    const schedule = first.schedule!;
    expect(schedule.map((s) => [s.entity, s.unit, s.level])).toEqual(
      expect.arrayContaining([
        ['Terms of payment', 1, 1],
        ['Customer groups', 1, 2],
      ]),
    );
    const terms = schedule.find((s) => s.entity === 'Terms of payment')!;
    const groupTimes = schedule.find((s) => s.entity === 'Customer groups')!;
    // F&O's own clock: the groups' level starts once the terms' level has ended.
    expect(Date.parse(groupTimes.stagingStart!)).toBeGreaterThanOrEqual(Date.parse(terms.targetEnd!));
    expect(Date.parse(terms.stagingEnd!)).toBeGreaterThanOrEqual(Date.parse(terms.stagingStart!));
    // The run history does not carry the fingerprints.
    const history = await bench.client.call('projects.runs', { dir: work });
    expect(history[0]!.entities.every((e) => e.fingerprints === undefined)).toBe(true);

    const view = await bench.client.call('cockpit.project', { dir: work });
    // Who ran each: the emulator's demo user as F&O saw it (the first run signed in while it ran),
    // and this computer's user; the job says the same.
    const ranBy = { account: DEMO_USER, machineUser: userInfo().username };
    expect(view.runs.map((r) => r.ranBy)).toEqual([ranBy, ranBy]);
    expect(first.ranBy).toEqual(ranBy);
    expect((await bench.client.call('jobs.get', { jobId: latestJob })).ranBy).toEqual(ranBy);
    expect(view).toMatchObject({ name: 'Cockpit wave', entities: ['Terms of payment', 'Customer groups'] });
    expect(view.reconciliationAvailable).toBe(true);
    expect(view.runs.map((r) => [r.number, r.kind, r.company, r.openErrors])).toEqual([
      [1, 'import', 'USMF', 2],
      [2, 'import', 'USMF', 2],
    ]);
    const second = view.runs[1]!.entities.find((e) => e.label === 'Customer groups')!;
    // NOPE2 is carried over, NOPE1 resolved, NOPE3 new.
    expect(second).toMatchObject({ sourceRows: 4, loaded: 2, targetErrors: 2, new: 1, carriedOver: 1, resolved: 1 });
    expect(view.runs[0]!.entities.find((e) => e.label === 'Customer groups')).toMatchObject({
      new: 2,
      carriedOver: 0,
      resolved: 0,
    });
    expect(view.runs[1]!.schedule).not.toBeNull();
    expect(view.readiness).toEqual([
      expect.objectContaining({ label: 'Terms of payment', loaded: 'loaded', loadedRows: 1, sourceRows: 1 }),
      expect.objectContaining({
        label: 'Customer groups',
        loaded: 'partly',
        loadedRows: 2,
        sourceRows: 4,
        openErrors: 2,
        reconciled: 'not-reconciled',
        lastRun: 2,
      }),
    ]);
  });

  it('shows a reconciled run as reconciled per entity: the terms landed, the groups have differences', async () => {
    expect(latestJob).not.toBe('');
    const before = await bench.client.call('cockpit.project', { dir: work });
    expect(before.runs[1]!.reconciliation).toBeNull();
    await bench.client.call('reconciliation.run', { jobId: latestJob });
    const view = await bench.client.call('cockpit.project', { dir: work });
    expect(view.runs[1]!.jobId).toBe(latestJob);
    expect(view.runs[1]!.reconciliation).toMatchObject({ jobId: latestJob, status: 'differences' });
    // Only the run reconciled carries it: the first cycle stays unreconciled.
    expect(view.runs[0]!.reconciliation).toBeNull();
    expect(view.readiness.map((r) => [r.label, r.reconciled])).toEqual([
      ['Terms of payment', 'reconciled'],
      ['Customer groups', 'differences'],
    ]);
  });

  it('answers an empty cockpit for a project without runs, and a clear error for a folder without a project', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'dmfw-cockpit-empty-'));
    try {
      await bench.client.call('projects.create', { dir: empty, name: 'Nothing yet' });
      const view = await bench.client.call('cockpit.project', { dir: empty });
      expect(view).toMatchObject({ name: 'Nothing yet', runs: [], readiness: [] });
      // A run file recorded before the workbench kept who ran it: "not recorded" (null), not a guess.
      const [file] = await readdir(join(work, 'runs'));
      const { ranBy: _, ...older } = JSON.parse(await readFile(join(work, 'runs', file!), 'utf8')) as RunRecord;
      await mkdir(join(empty, 'runs'), { recursive: true });
      await writeFile(join(empty, 'runs', file!), JSON.stringify(older));
      const old = await bench.client.call('cockpit.project', { dir: empty });
      expect(old.runs).toHaveLength(1);
      expect(old.runs[0]!.ranBy).toBeNull();
      await expect(bench.client.call('cockpit.project', { dir: join(empty, 'missing') })).rejects.toMatchObject({
        code: expect.stringMatching(/NOT_FOUND|INVALID_INPUT/),
      });
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
