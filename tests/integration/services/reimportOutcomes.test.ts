import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../emulator';
import type { Emulator } from '../../../emulator';
import { createPackageEngine } from '../../../electron/services/jobs/packageEngineAdapter';
import { projectDocumentSchema } from '../../../shared/api/domains/projects';
import { BUILT_IN_CATALOG, indexCatalog } from '../../../shared/domain/catalog';
import { emulatorBench, writeFiles } from '../../support/emulatorWorkbench';
import type { EmulatorBench } from '../../support/emulatorWorkbench';

/**
 * Issue 11, defect 4: a stale failed-rows tab could post rows twice. Each failed row keeps its
 * outcome per job: a re-import never sends a row a later job imported, and the tab and the
 * source's Errors column follow the latest outcome.
 */
let emulator: Emulator;
let bench: EmulatorBench;
let work: string;

const HEADER = 'CUSTOMERGROUPID,DESCRIPTION,PAYMENTTERMID\r\n';
/** Rows 2 and 4 fail staging → target (unknown payment terms), row 3 source → staging (key too long). */
const ROWS = ['RO01,Wholesale,Net30', 'RO02,Retail,NOPE2', 'RO03-KEY-TOO-LONG-X,Staff,Net10', 'RO04,Export,NOPE4'];

const imports = () => emulator.calls.list({ operation: 'ImportFromPackage' }).length;

beforeAll(async () => {
  emulator = await startEmulator({ speed: 'max' });
  bench = await emulatorBench(emulator, { launchEmulator: null, datasets: { worker: null } });
  work = await mkdtemp(join(tmpdir(), 'dmfw-reimport-'));
  await writeFiles(work, { 'legacy/groups.csv': HEADER + ROWS.join('\r\n') + '\r\n' });
  await bench.client.call('projects.create', { dir: work, name: 'Outcomes' });
  await bench.client.call('projects.update', {
    dir: work,
    binding: { environment: 'Emulator', dataProject: 'DMFW-Outcomes', company: 'USMF' },
    entities: [{ label: 'Customer groups', sourceFile: 'legacy/groups.csv', enabled: true }],
  });
  await bench.client.call('auth.signIn', { environmentId: bench.env });
});

afterAll(async () => {
  await bench?.dispose();
  await emulator?.stop();
  await rm(work, { recursive: true, force: true });
});

/** The cells of a dataset's column by row id. */
async function column(id: string, name: string): Promise<Record<number, string>> {
  const { client } = bench;
  const info = await client.call('datasets.get', { id });
  const at = info.columns.findIndex((c) => c.name === name);
  const page = await client.call('datasets.rows', { id, start: 0, count: 100 });
  return Object.fromEntries(page.rows.map((r) => [r.id, r.cells[at] ?? '']));
}

describe('a re-import never sends a row that has since been imported', () => {
  it('leaves out what a later re-import imported, and the stale tab cannot post it again', async () => {
    const { client, env } = bench;
    const first = await bench.finish(await client.call('jobs.startImport', { environmentId: env, source: work }));
    expect(first).toMatchObject({ state: 'partially-succeeded', errorCount: 3 });
    const opened = await client.call('jobs.openErrors', { jobId: first.id });
    const tab = opened.datasets[0]!.datasetId;
    const source = opened.datasets[0]!.sourceDatasetId!;
    expect(Object.keys(await column(tab, 'Errors'))).toEqual(['2', '3', '4']);
    expect((await column(source, 'Errors'))[2]).toMatch(/NOPE2/);

    // Rows 2 and 4 are fixed in the tab; row 3 is left as it is and fails again.
    await client.call('datasets.edit', {
      id: tab,
      edits: [
        { row: 2, column: 3, value: 'Net10' },
        { row: 4, column: 3, value: 'Net30' },
      ],
    });
    const sentBefore = imports();
    // Two quick clicks: one re-import starts, the other leaves every row out (they are being imported).
    const [one, two] = await Promise.allSettled([
      client.call('jobs.reimportFailed', { jobId: first.id }),
      client.call('jobs.reimportFailed', { jobId: first.id }),
    ]);
    const started = [one, two].filter((r) => r.status === 'fulfilled');
    const refused = [one, two].filter((r) => r.status === 'rejected');
    expect(started).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('is importing them now'),
    });
    const second = await bench.finish((started[0] as PromiseFulfilledResult<{ id: string }>).value as never);
    expect(second).toMatchObject({ state: 'partially-succeeded', errorCount: 1, rows: { 'Customer groups': 3 } });
    expect(imports()).toBe(sentBefore + 1);

    // The old tab and the source's Errors column follow the latest outcome.
    await expect
      .poll(async () => column(tab, 'Errors'), { timeout: 30_000 })
      .toEqual({
        2: expect.stringMatching(new RegExp(`^Imported since by job ${second.id} on .*nothing to re-import`)),
        3: expect.stringMatching(new RegExp(`longer than.*\\(again in job ${second.id}\\)$`)),
        4: expect.stringMatching(/^Imported since by job/),
      });
    await expect
      .poll(async () => column(source, 'Errors'), { timeout: 30_000 })
      .toMatchObject({ 1: '', 2: '', 3: expect.stringMatching(/longer than/), 4: '' });

    // What the stale tab's button would send now: only row 3, the two others are left out with the reason.
    const plan = await client.call('jobs.reimportPlan', { jobId: first.id });
    expect(plan).toMatchObject({ failedRows: 3, toSend: 1 });
    expect(plan.leftOut).toEqual([
      {
        reason: 'imported',
        jobId: second.id,
        rows: 2,
        message: expect.stringContaining(`2 rows were imported since by job ${second.id}`),
      },
    ]);

    // Row 3 is fixed in the source; the stale tab's re-import sends only row 3.
    await client.call('datasets.edit', { id: source, edits: [{ row: 3, column: 0, value: 'RO03' }] });
    const third = await client.call('jobs.reimportFailed', { jobId: first.id });
    expect(third.leftOut).toEqual([expect.objectContaining({ reason: 'imported', jobId: second.id, rows: 2 })]);
    expect(await bench.finish(third)).toMatchObject({ state: 'succeeded', rows: { 'Customer groups': 1 } });
    expect(imports()).toBe(sentBefore + 2);

    // Now every failed row of both earlier jobs is in the target: nothing can be posted again.
    await expect(client.call('jobs.reimportPlan', { jobId: first.id })).resolves.toMatchObject({ toSend: 0 });
    await expect(client.call('jobs.reimportFailed', { jobId: first.id })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/^Nothing left to re-import from job .*imported since by job/),
    });
    await expect(client.call('jobs.reimportFailed', { jobId: second.id })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining(`1 row was imported since by job ${third.id}`),
    });
    expect(imports()).toBe(sentBefore + 2);
    await expect
      .poll(async () => column(tab, 'Errors'), { timeout: 30_000 })
      .toEqual({
        2: expect.stringContaining(`job ${second.id}`),
        3: expect.stringContaining(`Imported since by job ${third.id}`),
        4: expect.stringContaining(`job ${second.id}`),
      });
    await expect.poll(async () => column(source, 'Errors'), { timeout: 30_000 }).toMatchObject({ 3: '' });
  });

  it('a ready package: the failed-rows dataset re-import leaves out the rows a later re-import imported', async () => {
    const { client, env } = bench;
    const dir = join(work, 'ready');
    await writeFiles(dir, {
      'groups.csv': 'CUSTOMERGROUPID,DESCRIPTION,PAYMENTTERMID\nRP01,Fine,Net30\nRP02,Bad,NOPE2\nRP03,Bad too,NOPE3\n',
    });
    const zip = join(dir, 'ready.zip');
    await createPackageEngine(indexCatalog(BUILT_IN_CATALOG)).buildFromProject(
      dir,
      projectDocumentSchema.parse({
        schemaVersion: 1,
        name: 'Ready',
        entities: [{ label: 'Customer groups', sourceFile: 'groups.csv' }],
      }),
      zip,
    );
    const first = await bench.finish(
      await client.call('jobs.startImport', { environmentId: env, source: zip, dataProject: 'DMFW-Ready-Out' }),
    );
    expect(first).toMatchObject({ state: 'partially-succeeded', errorCount: 2 });
    // Only row 2 is fixed where the job put the failed rows: the re-import imports it, row 3 fails again.
    const failedFile = join(first.output!, 'Customer groups.csv');
    await writeFile(failedFile, (await readFile(failedFile, 'utf8')).replace('"NOPE2"', '"Net10"'));
    const second = await bench.finish(await client.call('jobs.reimportFailed', { jobId: first.id }));
    expect(second).toMatchObject({ state: 'partially-succeeded', errorCount: 1 });

    // Row 3 fixed too, in the first job's file: its re-import sends row 3 only.
    await writeFile(failedFile, (await readFile(failedFile, 'utf8')).replace('"NOPE3"', '"Net30"'));
    const third = await client.call('jobs.reimportFailed', { jobId: first.id });
    expect(third.leftOut).toEqual([expect.objectContaining({ reason: 'imported', jobId: second.id, rows: 1 })]);
    expect(await bench.finish(third)).toMatchObject({ state: 'succeeded', rows: { 'Customer groups': 1 } });
    await expect(client.call('jobs.reimportFailed', { jobId: first.id })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });
});
