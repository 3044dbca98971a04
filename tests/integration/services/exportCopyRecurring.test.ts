import { adminFetch } from '../../support/emulatorHttp';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../emulator';
import type { Emulator } from '../../../emulator';
import { createPackageEngine } from '../../../electron/services/jobs/packageEngineAdapter';
import { openPackage } from '../../../electron/services/packages/packageReader';
import { projectDocumentSchema } from '../../../shared/api/domains/projects';
import { BUILT_IN_CATALOG, indexCatalog } from '../../../shared/domain/catalog';
import { emulatorBench, writeFiles } from '../../support/emulatorWorkbench';
import type { EmulatorBench } from '../../support/emulatorWorkbench';

let emulator: Emulator;
let bench: EmulatorBench;
let work: string;

beforeAll(async () => {
  emulator = await startEmulator({ speed: 'max' });
  bench = await emulatorBench(emulator);
  work = await mkdtemp(join(tmpdir(), 'dmfw-flows-'));
});
afterAll(async () => {
  await bench?.dispose();
  await emulator?.stop();
  await rm(work, { recursive: true, force: true });
});

/** Connector requests in the emulator's call log (by verb in the path). */
function connectorCalls(verb: string) {
  return emulator.calls.list().filter((c) => c.path.startsWith(`/api/connector/${verb}/`));
}

async function rowsIn(file: string, label: string): Promise<string[][]> {
  const pkg = await openPackage(file);
  try {
    const entity = pkg.manifest.entities.find((e) => e.entityName === label)!;
    const reader = await pkg.openRows(entity);
    const rows: string[][] = [];
    for await (const batch of reader) rows.push(...batch.rows.map((r) => [...r]));
    return rows;
  } finally {
    await pkg.close();
  }
}

async function importGroups(dir: string, csv: string): Promise<void> {
  await writeFiles(dir, { 'groups.csv': csv });
  await bench.client.call('projects.create', { dir, name: 'Delta' });
  await bench.client.call('projects.update', {
    dir,
    entities: [{ label: 'Customer groups', sourceFile: 'groups.csv', enabled: true }],
  });
  const job = await bench.finish(
    await bench.client.call('jobs.startImport', {
      environmentId: bench.env,
      source: dir,
      dataProject: 'DMFW-Delta',
      company: 'USMF',
    }),
  );
  expect(job.state).toBe('succeeded');
}

describe('export, configuration copy and recurring integrations against the emulator', () => {
  it('exports a data project, then incrementally only what changed since', async () => {
    const { client, env } = bench;
    const full = join(work, 'full.zip');
    const first = await bench.finish(
      await client.call('jobs.startExport', {
        environmentId: env,
        dataProject: 'DMFW-Groups',
        company: 'USMF',
        outFile: full,
        incremental: true,
        entities: ['Customer groups'],
      }),
    );
    expect(first).toMatchObject({ state: 'succeeded', output: full, executionStatus: 'Succeeded' });
    const all = await rowsIn(full, 'Customer groups');
    // The first incremental run is a full push of the seeded groups.
    expect(all.length).toBeGreaterThan(2);
    expect(first.entities).toEqual([expect.objectContaining({ label: 'Customer groups', stagingRecords: all.length })]);

    await importGroups(
      join(work, 'delta'),
      'CUSTOMERGROUPID,DESCRIPTION,PAYMENTTERMID\nNEW1,New one,Net30\nNEW2,New two,Net10\n',
    );

    const delta = join(work, 'delta.zip');
    const second = await bench.finish(
      await client.call('jobs.startExport', {
        environmentId: env,
        dataProject: 'DMFW-Groups',
        company: 'USMF',
        outFile: delta,
        incremental: true,
      }),
    );
    expect(second.state).toBe('succeeded');
    const changed = await rowsIn(delta, 'Customer groups');
    expect(changed.map((r) => r[0]).sort()).toEqual(['NEW1', 'NEW2']);
  });

  it('previews an export (ExportToPackagePreview, N records per entity) into the job folder, then exports it all', async () => {
    const { client, env } = bench;
    const calls = (operation: string) => emulator.calls.list({ operation }).length;
    const [previews, exports] = [calls('ExportToPackagePreview'), calls('ExportToPackage')];
    const preview = await bench.finish(
      await client.call('jobs.startExport', {
        environmentId: env,
        dataProject: 'DMFW-Preview',
        company: 'USMF',
        entities: ['Terms of payment', 'Customer groups'],
        preview: 2,
      }),
    );
    expect(preview).toMatchObject({
      state: 'succeeded',
      title: expect.stringMatching(/^Preview \(2 per entity\) of DMFW-Preview from /),
    });
    // No file named: the preview is saved in the job's own folder.
    expect(preview.output).toMatch(/[\\/]jobs[\\/][^\\/]+[\\/]preview\.zip$/);
    expect(preview.entities.map((e) => [e.label, e.stagingRecords])).toEqual([
      ['Terms of payment', 2],
      ['Customer groups', 2],
    ]);
    expect((await rowsIn(preview.output!, 'Terms of payment')).length).toBe(2);
    expect([calls('ExportToPackagePreview') - previews, calls('ExportToPackage') - exports]).toEqual([1, 0]);

    const whole = await bench.finish(
      await client.call('jobs.startExport', {
        environmentId: env,
        dataProject: 'DMFW-Preview',
        company: 'USMF',
        incremental: false,
      }),
    );
    expect(whole.state).toBe('succeeded');
    expect(whole.output).toMatch(/package\.zip$/);
    // USMF has six payment terms: the whole export holds more than the preview.
    expect(whole.entities.find((e) => e.label === 'Terms of payment')?.stagingRecords).toBe(6);
  });

  it('copies configuration from USMF to DEMF with a diff, imports it and verifies it', async () => {
    const { client, env } = bench;
    const entities = ['Terms of payment', 'Customer groups'];
    const dry = await bench.finish(
      await client.call('jobs.startCopy', {
        from: { environmentId: env, company: 'USMF' },
        to: { environmentId: env, company: 'DEMF' },
        entities,
        review: true,
      }),
    );
    expect(dry).toMatchObject({ state: 'waiting', step: 'pause' });
    const diff = dry.diff!;
    expect(diff.map((d) => d.label)).toEqual(['Terms of payment', 'Customer groups']);
    // DEMF has the same six payment terms, described in German.
    expect(diff[0]).toMatchObject({ new: 0, changed: 6, same: 0 });
    expect(diff[0]!.examples[0]!.fields).toEqual(['DESCRIPTION']);
    expect(diff[1]!.new + diff[1]!.changed + diff[1]!.same).toBeGreaterThan(0);

    // Drill into the rows: each changed record with the target's value and the copied one.
    const terms = await client.call('jobs.diffRows', { jobId: dry.id, entity: 'Terms of payment', limit: 2 });
    expect(terms.total).toBe(6);
    expect(terms.rows).toHaveLength(2);
    expect(terms.rows[0]).toMatchObject({ status: 'changed', changes: [{ field: 'DESCRIPTION' }] });
    const change = terms.rows[0]!.changes[0]!;
    expect(change.target).not.toBe(change.copied);
    const groups = await client.call('jobs.diffRows', { jobId: dry.id, entity: 'Customer groups', status: 'new' });
    expect(groups.total).toBe(diff[1]!.new);
    for (const row of groups.rows) expect(row.changes.every((c) => c.target === null)).toBe(true);
    await expect(client.call('jobs.diffRows', { jobId: dry.id, entity: 'Vendors V2' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });

    const done = await bench.finish(await client.call('jobs.confirm', { jobId: dry.id }));
    expect(done, JSON.stringify(done)).toMatchObject({ state: 'succeeded', executionStatus: 'Succeeded' });
    for (const d of done.diff!) expect(d.verified).toBe(d.new + d.changed + d.same);

    // Copying again finds everything the same.
    const again = await bench.finish(
      await client.call('jobs.startCopy', {
        from: { environmentId: env, company: 'USMF' },
        to: { environmentId: env, company: 'DEMF' },
        entities,
        review: true,
      }),
    );
    for (const d of again.diff!) expect([d.label, d.new, d.changed]).toEqual([d.label, 0, 0]);
    await client.call('jobs.cancel', { jobId: again.id });
  });

  it('enqueues a file and a package to recurring import jobs and follows them; dequeues, saves and acks exports', async () => {
    const { client, env } = bench;
    // A file job (entity named on enqueue), added through the emulator's admin API, and the seeded package job.
    const { dmf } = await bench.test.workbench.services.dmf.open(env);
    await dmf.ensureDataProject('DMFW-Files', 'Import', [{ label: 'Customer groups', refreshType: 'FullPush' }]);
    const added = await adminFetch(emulator, '/recurring-jobs', {
      body: { name: 'Group files', project: 'DMFW-Files', direction: 'import', dataSource: 'file' },
    });
    const fileJob = (await added.json()) as { activityId: string };
    const packageJob = emulator.recurringJobs.find((j) => j.direction === 'import')!;
    const exportJob = emulator.recurringJobs.find((j) => j.direction === 'export')!;
    await writeFiles(work, {
      'recurring/groups.csv': 'CUSTOMERGROUPID,DESCRIPTION,PAYMENTTERMID\nREC1,Recurring,Net30\n',
    });
    const sentFile = await bench.finish(
      await client.call('jobs.startEnqueue', {
        environmentId: env,
        activityId: fileJob.activityId,
        file: join(work, 'recurring/groups.csv'),
        entity: 'Customer groups',
        company: 'USMF',
      }),
    );
    expect(sentFile, JSON.stringify(sentFile)).toMatchObject({
      state: 'succeeded',
      executionStatus: 'Succeeded',
      messageId: expect.stringMatching(/^[0-9a-f-]{36}$/i),
    });
    expect(sentFile.entities).toEqual([
      expect.objectContaining({ label: 'Customer groups', targetRecords: 1, stagingErrors: 0 }),
    ]);

    const built = await createPackageEngine(indexCatalog(BUILT_IN_CATALOG)).buildFromProject(
      work,
      projectDocumentSchema.parse({
        schemaVersion: 1,
        name: 'Recurring',
        entities: [{ label: 'Customer groups', sourceFile: 'recurring/groups.csv' }],
      }),
      join(work, 'recurring/package.zip'),
    );
    expect(built.rows).toEqual({ 'Customer groups': 1 });
    const sentPackage = await bench.finish(
      await client.call('jobs.startEnqueue', {
        environmentId: env,
        activityId: packageJob.activityId,
        file: join(work, 'recurring/package.zip'),
        company: 'DEMF',
      }),
    );
    expect(sentPackage, JSON.stringify(sentPackage)).toMatchObject({
      state: 'succeeded',
      executionStatus: 'Succeeded',
    });
    expect(connectorCalls('enqueue').map((c) => c.status)).toEqual([200, 200]);

    // Nothing exported yet, then the recurring export runs on the emulator clock.
    const out = join(work, 'dequeued');
    const none = await bench.finish(
      await client.call('jobs.startDequeue', { environmentId: env, activityId: exportJob.activityId, outDir: out }),
    );
    expect(none).toMatchObject({ state: 'succeeded', output: null });
    emulator.clock.advance(6 * 60_000);
    await expect
      .poll(
        async () => {
          const job = await bench.finish(
            await client.call('jobs.startDequeue', {
              environmentId: env,
              activityId: exportJob.activityId,
              outDir: out,
            }),
          );
          return job.output;
        },
        { timeout: 20_000, interval: 200 },
      )
      .toMatch(/\.zip$/);
    const files = await readdir(out);
    expect(files).toHaveLength(1);
    expect((await stat(join(out, files[0]!))).size).toBeGreaterThan(100);
    expect((await rowsIn(join(out, files[0]!), 'Customer groups')).length).toBeGreaterThan(0);
    // Acknowledged: the queue is empty again.
    expect(connectorCalls('ack').at(-1)?.status).toBe(200);
    const after = await bench.finish(
      await client.call('jobs.startDequeue', { environmentId: env, activityId: exportJob.activityId, outDir: out }),
    );
    expect(after.output).toBeNull();
  });
});
