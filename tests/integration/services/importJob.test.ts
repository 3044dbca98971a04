import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../emulator';
import type { Emulator } from '../../../emulator';
import { createPackageEngine } from '../../../electron/services/jobs/packageEngineAdapter';
import { projectDocumentSchema } from '../../../shared/api/domains/projects';
import { BUILT_IN_CATALOG, indexCatalog } from '../../../shared/domain/catalog';
import type { FetchLike } from '../../../electron/services/net/fetch';
import { nodeFetch } from '../../../electron/services/net/fetch';
import { emulatorBench, writeFiles } from '../../support/emulatorWorkbench';
import type { EmulatorBench } from '../../support/emulatorWorkbench';

let emulator: Emulator;
let bench: EmulatorBench;
let work: string;
/** Blob requests that went through the workbench's network port: method and `comp`. */
const blobCalls: string[] = [];
/** The app's port (net.fetch there): Node's fetch here, recording the blob endpoint's requests. */
const portFetch: FetchLike = (input, init) => {
  const url = new URL(String(input));
  if (url.origin === new URL(emulator.blobEndpoint).origin)
    blobCalls.push(`${init?.method ?? 'GET'} ${url.searchParams.get('comp') ?? 'blob'}`);
  return nodeFetch(input, init);
};

const GROUPS_HEADER = 'Group,Name,Terms\r\n';
/** Rows 2 and 6 fail staging → target (unknown payment terms), 3 and 5 source → staging (too long, duplicate key). */
const GROUPS = [
  'CG01,Wholesale,Net30',
  'CG02,Retail,Net99',
  'CG03-TOO-LONG,Staff,Net10',
  'CG04,Export,Net10',
  'CG01,Duplicate,Net30',
  'CG06,Government,BADTERM',
];

beforeAll(async () => {
  emulator = await startEmulator({ speed: 'max' });
  bench = await emulatorBench(emulator, { fetch: portFetch });
  work = await mkdtemp(join(tmpdir(), 'dmfw-import-'));
  await writeFiles(work, { 'legacy/groups.csv': GROUPS_HEADER + GROUPS.join('\r\n') + '\r\n' });
  await bench.client.call('projects.create', { dir: work, name: 'Wave 1' });
  await bench.client.call('projects.update', {
    dir: work,
    binding: { environment: 'Emulator', dataProject: 'DMFW-Wave1', company: 'USMF' },
    entities: [
      {
        label: 'Customer groups',
        sourceFile: 'legacy/groups.csv',
        mapping: [
          { sourceColumn: 'Group', stagingField: 'CUSTOMERGROUPID' },
          { sourceColumn: 'Name', stagingField: 'DESCRIPTION' },
          { sourceColumn: 'Terms', stagingField: 'PAYMENTTERMID' },
        ],
        enabled: true,
      },
    ],
  });
});

afterAll(async () => {
  await bench?.dispose();
  await emulator?.stop();
  await rm(work, { recursive: true, force: true });
});

describe('import of a workbench project against the emulator, and the error round trip', () => {
  let firstJob = '';

  it('ends PartiallySucceeded with staging and target errors mapped to the exact source rows', async () => {
    const { client, env } = bench;
    emulator.calls.clear();
    blobCalls.length = 0;
    // The data project comes from the project's binding.
    const started = await client.call('jobs.startImport', { environmentId: env, source: work });
    expect(started).toMatchObject({ kind: 'import', state: expect.stringMatching(/queued|running/), company: 'USMF' });
    const job = await bench.finish(started);
    firstJob = job.id;
    expect(job).toMatchObject({ state: 'partially-succeeded', executionStatus: 'PartiallySucceeded', errorCount: 4 });
    expect(job.executionId).toMatch(/^DMFW-Wave1-\d{8}-\d{6}-[0-9a-f]{8}$/);
    expect(job.entities).toEqual([
      {
        label: 'Customer groups',
        status: 'Error',
        stagingRecords: 4,
        targetRecords: 2,
        stagingErrors: 2,
        targetErrors: 2,
      },
    ]);
    const { errors } = await client.call('jobs.errors', { jobId: job.id });
    expect(errors.map((e) => [e.sourceFile, e.sourceRow, e.stage, e.field])).toEqual([
      ['legacy/groups.csv', 2, 'target', 'PAYMENTTERMID'],
      ['legacy/groups.csv', 3, 'staging', 'CUSTOMERGROUPID'],
      ['legacy/groups.csv', 5, 'staging', 'CUSTOMERGROUPID'],
      ['legacy/groups.csv', 6, 'target', 'PAYMENTTERMID'],
    ]);
    expect(errors[0]!.message).toContain("PAYMENTTERMID='Net99'");
    expect(errors[1]!.message).toMatch(/longer than/);
    expect(errors[2]!.message).toMatch(/Duplicate key/);
    // The package went up and both error files came down through the workbench's network port.
    expect(blobCalls.filter((c) => c === 'PUT block').length).toBeGreaterThan(0);
    expect(blobCalls.filter((c) => c === 'PUT blocklist')).toHaveLength(1);
    expect(blobCalls.filter((c) => c === 'GET blob')).toHaveLength(2);
    // Both error files came from F&O and were kept with the job, plus the failed-rows dataset.
    const dir = join(bench.test.home, 'jobs', job.id);
    expect((await readdir(join(dir, 'errors'))).sort()).toEqual([
      'Customer groups-staging.csv',
      'Customer groups-target-keys.csv',
    ]);
    const failed = await readFile(join(dir, 'failed-rows', 'Customer groups.csv'), 'utf8');
    expect(failed.split('\r\n').filter(Boolean)).toHaveLength(5);
    expect(failed).toContain('"CG06","Government","BADTERM","legacy/groups.csv","6"');
    // The run is in the project's history.
    const runs = await client.call('projects.runs', { dir: work });
    expect(runs[0]).toMatchObject({
      jobId: job.id,
      status: 'PartiallySucceeded',
      errorCount: 4,
      packageHash: expect.stringMatching(/^sha256:/),
    });
    // Exactly one ImportFromPackage.
    expect(emulator.calls.list({ operation: 'ImportFromPackage' }).map((c) => c.status)).toEqual([200]);
    // No SAS signature and no token in the log or in the job's saved state.
    const saved = await readFile(join(dir, 'job.json'), 'utf8');
    for (const text of [bench.test.logLines.join('\n'), saved, JSON.stringify(job)]) {
      expect(text).not.toMatch(/[?&]sig=(?!\[redacted\])/);
      expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
    }
  });

  it('re-imports only the fixed failed rows, which then succeed', async () => {
    const { client, env } = bench;
    const fixed = [...GROUPS];
    fixed[1] = 'CG02,Retail,Net10';
    fixed[2] = 'CG03,Staff,Net10';
    fixed[4] = 'CG05,Duplicate fixed,Net30';
    fixed[5] = 'CG06,Government,Net14';
    await writeFile(join(work, 'legacy/groups.csv'), GROUPS_HEADER + fixed.join('\r\n') + '\r\n');
    const job = await bench.finish(await client.call('jobs.reimportFailed', { jobId: firstJob }));
    expect(job).toMatchObject({ state: 'succeeded', executionStatus: 'Succeeded', errorCount: 0 });
    expect(job.entities).toEqual([
      {
        label: 'Customer groups',
        status: 'Finished',
        stagingRecords: 4,
        targetRecords: 4,
        stagingErrors: 0,
        targetErrors: 0,
      },
    ]);
    // Everything is in the target now (OData read of the emulator's records).
    const { dmf } = await bench.test.workbench.services.dmf.open(env);
    const ids: string[] = [];
    for await (const page of dmf.readCollection('CustomerGroups', {
      crossCompany: true,
      filter: "dataAreaId eq 'usmf'",
    })) {
      ids.push(...page.map((r) => String(r.CustomerGroupId)));
    }
    expect(ids).toEqual(expect.arrayContaining(['CG01', 'CG02', 'CG03', 'CG04', 'CG05', 'CG06']));
    const report = await client.call('jobs.status', { environmentId: env, executionId: job.executionId! });
    expect(report).toMatchObject({ status: 'Succeeded', errorCount: 0, jobId: job.id });
  });
});

describe('import of a ready package and the re-import of its fixed failed rows', () => {
  it('maps errors to rows of the data file in the package, and re-imports the failed-rows dataset once fixed', async () => {
    const { client, env } = bench;
    const dir = join(work, 'ready');
    await writeFiles(dir, {
      'groups.csv':
        'CUSTOMERGROUPID,DESCRIPTION,PAYMENTTERMID\nPK01,Fine,Net30\nPK02,Bad terms,NOPE2\nPK03,Fine too,Net10\nPK04,Also bad,NOPE4\n',
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
    await expect(client.call('jobs.startImport', { environmentId: env, source: zip })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('--project'),
    });
    const first = await bench.finish(
      await client.call('jobs.startImport', { environmentId: env, source: zip, dataProject: 'DMFW-Ready' }),
    );
    expect(first).toMatchObject({ state: 'partially-succeeded', errorCount: 2 });
    const { errors } = await client.call('jobs.errors', { jobId: first.id });
    expect(errors.map((e) => [e.sourceFile, e.sourceRow, e.stage])).toEqual([
      ['ready.zip/Customer groups.csv', 2, 'target'],
      ['ready.zip/Customer groups.csv', 4, 'target'],
    ]);

    // The consultant fixes the failed rows where the job put them.
    const failedFile = join(first.output!, 'Customer groups.csv');
    const text = await readFile(failedFile, 'utf8');
    await writeFile(failedFile, text.replace('"NOPE2"', '"Net14"').replace('"NOPE4"', '"Net45"'));
    const again = await bench.finish(await client.call('jobs.reimportFailed', { jobId: first.id }));
    expect(again).toMatchObject({ state: 'succeeded', errorCount: 0 });
    expect(again.entities).toEqual([expect.objectContaining({ stagingRecords: 2, targetRecords: 2 })]);
  });
});
