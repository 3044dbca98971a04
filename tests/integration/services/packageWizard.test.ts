import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../emulator';
import type { Emulator } from '../../../emulator';
import { openPackage } from '../../../electron/services/packages/packageReader';
import { emulatorBench, writeFiles } from '../../support/emulatorWorkbench';
import type { EmulatorBench } from '../../support/emulatorWorkbench';

let emulator: Emulator;
let bench: EmulatorBench;
let work: string;

/** Headers named like staging fields (mapped by name), one legacy column nobody maps. */
const HEADER = 'CUSTOMERGROUPID,DESCRIPTION,PAYMENTTERMID,LEGACYCODE\r\n';
/** Row 2 fails staging → target (unknown payment terms); row 3 source → staging (key too long). */
const ROWS = [
  'WZ01,Wholesale,Net30,A1',
  'WZ02,Retail,Net99,A2',
  'WZ03-TOO-LONG-KEY,Staff,Net10,A3',
  'WZ04,Export,Net10,A4',
];

async function rowsOf(pkgPath: string, label: string): Promise<string[][]> {
  const pkg = await openPackage(pkgPath);
  try {
    const entity = pkg.manifest.entities.find((e) => e.entityName === label)!;
    const out: string[][] = [];
    for await (const batch of await pkg.openRows(entity)) out.push(...batch.rows);
    return out;
  } finally {
    await pkg.close();
  }
}

beforeAll(async () => {
  emulator = await startEmulator({ speed: 'max' });
  bench = await emulatorBench(emulator, { launchEmulator: null, datasets: { worker: null } });
  work = await mkdtemp(join(tmpdir(), 'dmfw-wizard-'));
  await writeFiles(work, { 'legacy/groups.csv': HEADER + ROWS.join('\r\n') + '\r\n' });
  await bench.client.call('projects.create', { dir: work, name: 'Wizard wave' });
  await bench.client.call('projects.update', {
    dir: work,
    binding: { environment: 'Emulator', dataProject: 'DMFW-Wizard', company: 'USMF' },
    entities: [{ label: 'Customer groups', sourceFile: 'legacy/groups.csv', enabled: true }],
  });
});

afterAll(async () => {
  await bench?.dispose();
  await emulator?.stop();
  await rm(work, { recursive: true, force: true });
});

describe('the package wizard: plan, save offline, and the error round trip through the grid', () => {
  it('plans the mapping by name, lists unmapped columns and mandatory fields, and explains the sequence', async () => {
    const plan = await bench.client.call('packages.plan', { dir: work });
    expect(plan.catalogOrigin).toBe('Built-in catalog');
    const [groups] = plan.entities;
    expect(groups).toMatchObject({
      label: 'Customer groups',
      targetEntity: 'CustCustomerGroupEntity',
      source: 'file',
      sourceProblem: null,
      columns: ['CUSTOMERGROUPID', 'DESCRIPTION', 'PAYMENTTERMID', 'LEGACYCODE'],
      unmappedColumns: ['LEGACYCODE'],
      missingMandatory: [],
      refreshType: 'FullPush',
      processing: { runBusinessValidation: true, failLevelOnError: false },
    });
    expect(groups!.mapping.map((m) => [m.sourceColumn, m.stagingField, m.origin])).toEqual([
      ['CUSTOMERGROUPID', 'CUSTOMERGROUPID', 'name'],
      ['DESCRIPTION', 'DESCRIPTION', 'name'],
      ['PAYMENTTERMID', 'PAYMENTTERMID', 'name'],
    ]);
    expect(groups!.fields.find((f) => f.name === 'CUSTOMERGROUPID')).toMatchObject({
      key: true,
      mappedFrom: 'CUSTOMERGROUPID',
    });
    expect(plan.sequence.placements).toEqual([
      expect.objectContaining({ label: 'Customer groups', executionUnit: 1, level: 1, sequence: 1, origin: 'auto' }),
    ]);
    expect(plan.sequence.placements[0]!.reason).not.toBe('');
  });

  it('flags a manual mapping, a mandatory field without a column and a column that disappeared', async () => {
    await bench.client.call('projects.update', {
      dir: work,
      entities: [
        {
          label: 'Customer groups',
          sourceFile: 'legacy/groups.csv',
          enabled: true,
          mapping: [
            { sourceColumn: 'DESCRIPTION', stagingField: 'DESCRIPTION' },
            { sourceColumn: 'LEGACYCODE', stagingField: 'CUSTOMERGROUPID' },
            { sourceColumn: 'Gone', stagingField: 'PAYMENTTERMID' },
          ],
        },
      ],
    });
    const [groups] = (await bench.client.call('packages.plan', { dir: work })).entities;
    expect(groups!.mapping.map((m) => [m.sourceColumn, m.origin])).toEqual([
      ['DESCRIPTION', 'name'],
      ['LEGACYCODE', 'manual'],
    ]);
    expect(groups!.sourceProblem).toBe('legacy/groups.csv has no column "Gone" any more: map its fields again.');
    expect(groups!.unmappedColumns).toEqual(['CUSTOMERGROUPID', 'PAYMENTTERMID']);
  });

  it('saves the package offline with what the grid shows: edits, mapping, options and sequence', async () => {
    const { client } = bench;
    await client.call('projects.update', {
      dir: work,
      entities: [
        {
          label: 'Customer groups',
          sourceFile: 'legacy/groups.csv',
          enabled: true,
          mapping: [
            { sourceColumn: 'CUSTOMERGROUPID', stagingField: 'CUSTOMERGROUPID' },
            { sourceColumn: 'DESCRIPTION', stagingField: 'DESCRIPTION' },
            { sourceColumn: 'PAYMENTTERMID', stagingField: 'PAYMENTTERMID' },
          ],
          sequence: { unit: 2, level: 3, sequence: 4 },
          refreshType: 'IncrementalPush',
          processing: { runBusinessLogic: false, failLevelOnError: true },
        },
      ],
    });
    // An edit in the grid, not saved to the file: the package carries it.
    const opened = await client.call('datasets.open', { path: join(work, 'legacy/groups.csv'), options: {} });
    await expect
      .poll(async () => (await client.call('datasets.get', { id: opened.id })).state, { timeout: 30_000 })
      .toBe('ready');
    await client.call('datasets.edit', { id: opened.id, edits: [{ row: 4, column: 1, value: 'Export (edited)' }] });
    const out = join(work, 'out', 'wave.zip');
    const built = await client.call('packages.build', { dir: work, out });
    expect(built).toMatchObject({
      path: out,
      definitionGroup: 'DMFW-Wizard',
      entities: [{ label: 'Customer groups', rows: 4, executionUnit: 2, level: 3, sequence: 4 }],
    });
    expect(built.bytes).toBeGreaterThan(500);
    expect(await readFile(join(work, 'legacy/groups.csv'), 'utf8')).not.toContain('edited');
    const rows = await rowsOf(out, 'Customer groups');
    expect(rows.map((r) => r[1])).toEqual(['Wholesale', 'Retail', 'Staff', 'Export (edited)']);
    const pkg = await openPackage(out);
    try {
      expect(pkg.manifest.entities[0]).toMatchObject({
        defaultRefreshType: 'IncrementalPush',
        runBusinessLogic: false,
        runBusinessValidation: true,
        failLevelOnError: true,
        executionUnit: 2,
      });
    } finally {
      await pkg.close();
    }
    await expect(client.call('packages.build', { dir: work, out })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(client.call('packages.build', { dir: work, out, overwrite: true })).resolves.toMatchObject({
      path: out,
    });
    await client.call('projects.update', {
      dir: work,
      entities: [{ label: 'Customer groups', sourceFile: 'legacy/groups.csv', enabled: true }],
    });
  });

  it('opens the failed rows in the grid with their messages, writes the fixes back and re-imports them', async () => {
    const { client, env } = bench;
    await client.call('auth.signIn', { environmentId: env });
    const job = await bench.finish(
      await client.call('jobs.startImport', { environmentId: env, source: work, dataProject: 'DMFW-Wizard' }),
    );
    expect(job).toMatchObject({ state: 'partially-succeeded', errorCount: 2, rows: { 'Customer groups': 4 } });
    expect(job.timeline.map((t) => t.step)).toEqual(
      expect.arrayContaining(['build', 'upload', 'submit', 'poll', 'results']),
    );

    const opened = await client.call('jobs.openErrors', { jobId: job.id });
    expect(opened.datasets).toEqual([
      expect.objectContaining({ entity: 'Customer groups', sourceFile: 'legacy/groups.csv', rows: 2, errors: 2 }),
    ]);
    const errorsId = opened.datasets[0]!.datasetId;
    const info = await client.call('datasets.get', { id: errorsId });
    expect(info.columns.map((c) => [c.name, c.readOnly])).toEqual([
      ['Errors', true],
      ['CUSTOMERGROUPID', false],
      ['DESCRIPTION', false],
      ['PAYMENTTERMID', false],
      ['LEGACYCODE', false],
    ]);
    const page = await client.call('datasets.rows', { id: errorsId, start: 0, count: 10 });
    // Row ids are the source rows; the values are the source's as edited in the grid.
    expect(page.rows.map((r) => [r.id, r.cells[1], r.cells[3]])).toEqual([
      [2, 'WZ02', 'Net99'],
      [3, 'WZ03-TOO-LONG-KEY', 'Net10'],
    ]);
    expect(page.rows[0]!.cells[0]).toMatch(/^Target · PAYMENTTERMID: .*Net99/);
    expect(page.rows[1]!.cells[0]).toMatch(/^Staging · CUSTOMERGROUPID: .*longer than/);
    await expect(client.call('jobs.errorLink', { datasetId: errorsId })).resolves.toEqual({
      jobId: job.id,
      entity: 'Customer groups',
      sourceFile: 'legacy/groups.csv',
    });

    // Fix both rows in the error dataset (the Errors column cannot be edited).
    await client.call('datasets.edit', {
      id: errorsId,
      edits: [
        { row: 2, column: 3, value: 'Net10' },
        { row: 3, column: 1, value: 'WZ03' },
      ],
    });
    const again = await client.call('jobs.reimportFailed', { jobId: job.id });
    expect(again.fixesApplied).toBe(2);
    const done = await bench.finish(again);
    expect(done).toMatchObject({ state: 'succeeded', errorCount: 0, rows: { 'Customer groups': 2 } });
    // The fixes are edits of the source's dataset (undoable), and the file itself is untouched.
    const source = opened.datasets[0]!.sourceDatasetId!;
    const sourceInfo = await client.call('datasets.get', { id: source });
    // The source shows the job's messages beside its rows too (a read-only column).
    expect(sourceInfo.columns.at(-1)).toMatchObject({ name: 'Errors', readOnly: true });
    const fixed = await client.call('datasets.rows', { id: source, start: 0, count: 10 });
    expect(fixed.rows.map((r) => r.cells[0])).toEqual(['WZ01', 'WZ02', 'WZ03', 'WZ04']);
    expect(fixed.rows[1]!.cells[2]).toBe('Net10');
    expect((await client.call('datasets.get', { id: source })).undo).not.toBeNull();
    expect(await readFile(join(work, 'legacy/groups.csv'), 'utf8')).toContain('WZ03-TOO-LONG-KEY');
  });
});
