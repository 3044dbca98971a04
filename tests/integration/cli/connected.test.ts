import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../emulator';
import type { Emulator } from '../../../emulator';
import { main } from '../../../electron/cli/main';
import { recordingIo } from '../../support/cliIo';
import { adminFetch } from '../../support/emulatorHttp';
import { writeFiles } from '../../support/emulatorWorkbench';

let emulator: Emulator;
let home: string;
let work: string;

async function dmfw(...args: string[]) {
  const streams = recordingIo(work, { DMFW_HOME: home });
  const code = await main(args, streams);
  return { code, stdout: streams.out(), stderr: streams.err() };
}

/** `dmfw envs add` for the test's emulator. */
const addEmulator = (name: string, tag: string) =>
  dmfw(
    ...['envs', 'add', '--name', name, '--url', emulator.baseUrl, '--tenant', emulator.tenantId],
    ...['--client-id', emulator.clientId, '--authority', emulator.authority, '--tag', tag],
  );

beforeAll(async () => {
  emulator = await startEmulator({ speed: 'max' });
  home = await mkdtemp(join(tmpdir(), 'dmfw-cli-home-'));
  work = await mkdtemp(join(tmpdir(), 'dmfw-cli-work-'));
  await writeFiles(work, {
    'wave/groups.csv':
      'CUSTOMERGROUPID,DESCRIPTION,PAYMENTTERMID\nCLI1,Fine,Net30\nCLI2,Unknown terms,NOPE\nCLI1,Duplicate,Net30\n',
    'wave/dmfw-project.json': JSON.stringify({
      schemaVersion: 1,
      name: 'CLI wave',
      binding: { company: 'USMF' },
      entities: [{ label: 'Customer groups', sourceFile: 'groups.csv' }],
    }),
  });
});
afterAll(async () => {
  await emulator?.stop();
  await rm(home, { recursive: true, force: true });
  await rm(work, { recursive: true, force: true });
});

describe('dmfw against an environment', () => {
  it('registers an environment, signs in and lists it', async () => {
    const added = await addEmulator('Emu', 'UAT');
    expect(added).toMatchObject({ code: 0, stdout: expect.stringContaining('Added "Emu"') });
    expect(await dmfw('login', '--env', 'Emu')).toMatchObject({
      code: 0,
      stdout: 'Signed in to Emu as admin@contoso.emulator.\n',
    });
    const listed = await dmfw('envs', '--json');
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({ name: 'Local emulator', builtIn: true }),
      expect.objectContaining({ name: 'Emu', tag: 'UAT', url: emulator.baseUrl, account: 'admin@contoso.emulator' }),
    ]);
    // Nothing secret went to disk in clear.
    const settings = await readFile(join(home, 'settings.json'), 'utf8');
    expect(settings).not.toMatch(/eyJ|refresh|secret/i);
  });

  it('imports a project with --wait --json in the documented shape, exit code 1 on partial success', async () => {
    const result = await dmfw(
      'import',
      join(work, 'wave'),
      '--env',
      'Emu',
      '--project',
      'DMFW-CLI',
      '--wait',
      '--json',
    );
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(Object.keys(report)).toEqual(['executionId', 'status', 'entities', 'errors']);
    expect(report).toMatchObject({
      status: 'PartiallySucceeded',
      entities: [
        {
          label: 'Customer groups',
          status: 'Error',
          stagingRecords: 2,
          targetRecords: 1,
          stagingErrors: 1,
          targetErrors: 1,
        },
      ],
    });
    const errors = report.errors as Record<string, unknown>[];
    expect(errors.map((e) => Object.keys(e))).toEqual([
      ['entity', 'sourceFile', 'sourceRow', 'field', 'message'],
      ['entity', 'sourceFile', 'sourceRow', 'field', 'message'],
    ]);
    expect(errors.map((e) => [e.entity, e.sourceFile, e.sourceRow])).toEqual([
      ['Customer groups', 'groups.csv', 2],
      ['Customer groups', 'groups.csv', 3],
    ]);

    const status = await dmfw('status', report.executionId as string, '--env', 'Emu', '--json');
    expect(JSON.parse(status.stdout)).toEqual(report);
    expect(status.code).toBe(1);

    const out = join(work, 'errors');
    const saved = await dmfw('errors', report.executionId as string, '--env', 'Emu', '--out', out);
    expect(saved.code).toBe(1);
    expect((await readdir(out)).sort()).toEqual([
      'Customer groups-staging.csv',
      'Customer groups-target-keys.csv',
      'errors.csv',
      'failed-Customer groups.csv',
    ]);
    expect(await readFile(join(out, 'errors.csv'), 'utf8')).toContain(
      '"Customer groups","groups.csv","3","staging","CUSTOMERGROUPID"',
    );
  });

  it('refuses to write to a PROD environment without its name, and says how', async () => {
    const added = await addEmulator('Emu PROD', 'PROD');
    expect(added.code).toBe(0);
    const refused = await dmfw('import', join(work, 'wave'), '--env', 'Emu PROD', '--project', 'DMFW-CLI');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--confirm-prod "Emu PROD"');
    expect(await dmfw('envs', 'remove', 'Emu PROD')).toMatchObject({ code: 0 });
  });

  it('exports to a file and lists the jobs', async () => {
    const file = join(work, 'exported.zip');
    const exported = await dmfw(
      'export',
      '--env',
      'Emu',
      '--project',
      'DMFW-CLI-Export',
      '--out',
      file,
      '--entities',
      'Customer groups',
    );
    expect(exported).toMatchObject({ code: 0, stdout: expect.stringContaining(`to ${file}`) });
    const jobs = JSON.parse((await dmfw('jobs', '--json')).stdout) as { kind: string; state: string }[];
    expect(jobs.map((j) => [j.kind, j.state])).toEqual([
      ['export', 'succeeded'],
      ['import', 'partially-succeeded'],
    ]);
    expect(await dmfw('resume')).toMatchObject({ code: 0, stdout: 'No interrupted job.\n' });
  });

  it('shows a copy diff with --dry-run, and enqueues and dequeues through the recurring jobs', async () => {
    const dry = await dmfw(
      'copy',
      '--from',
      'Emu:USMF',
      '--to',
      'Emu:DEMF',
      '--entities',
      'Terms of payment',
      '--dry-run',
    );
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/Terms of payment\s+0\s+6\s+0\s+-\s+-\nDry run: nothing was imported\./);
    const typo = await dmfw(
      'copy',
      '--from',
      'Emu:USMF',
      '--to',
      'Emu:DEMF',
      '--entities',
      'Terms of payments',
      '--dry-run',
    );
    expect(typo).toMatchObject({ code: 1, stderr: expect.stringContaining('dmfw copy: Add Terms of payments to ') });

    const importJob = emulator.recurringJobs.find((j) => j.direction === 'import')!;
    const exportJob = emulator.recurringJobs.find((j) => j.direction === 'export')!;
    const sent = await dmfw(
      'enqueue',
      join(work, 'exported.zip'),
      '--env',
      'Emu',
      '--activity',
      importJob.activityId,
      '--wait',
    );
    expect(sent).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^Message [0-9a-f-]{36}: succeeded \(execution .+\)\n$/),
    });
    emulator.clock.advance(6 * 60_000);
    const out = join(work, 'dequeued');
    await expect
      .poll(
        async () =>
          (await dmfw('dequeue', '--env', 'Emu', '--activity', exportJob.activityId, '--out', out, '--all')).stdout,
        {
          timeout: 20_000,
          interval: 200,
        },
      )
      .toMatch(/^Saved and acknowledged .+\.zip\n/);
    expect(await dmfw('dequeue', '--env', 'Emu', '--activity', exportJob.activityId, '--out', out)).toMatchObject({
      code: 0,
      stdout: 'Nothing is queued.\n',
    });
  });

  it('says how to turn a folder without dmfw-project.json into something it can import', async () => {
    const notProject = await dmfw('import', join(work, 'wave', '..'), '--env', 'Emu', '--project', 'X');
    expect(notProject.code).toBe(2);
    expect(notProject.stderr).toMatch(
      /is a folder without dmfw-project\.json: .+Create dmfw-project\.json there.+dmfw pack/,
    );
  });

  it('says that a file to enqueue does not exist, or is a folder', async () => {
    const args = ['--env', 'Emu', '--activity', emulator.recurringJobs[0]!.activityId];
    const missing = await dmfw('enqueue', join(work, 'nofile.csv'), ...args, '--entity', 'Customer groups');
    expect(missing).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('nofile.csv does not exist: check the path.'),
    });
    const folder = await dmfw('enqueue', join(work, 'wave'), ...args);
    expect(folder).toMatchObject({ code: 2, stderr: expect.stringContaining('wave is a folder: give a data file') });
  });

  it('reports an import F&O refused at once without telling to resume it', async () => {
    const refused = await dmfw('import', join(work, 'wave'), '--env', 'Emu', '--project', 'P', '--company', 'XXXX');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("dmfw import: ImportFromPackage at Emu failed (HTTP 400): Company 'XXXX'");
    expect(refused.stderr).not.toContain('dmfw resume');
  });

  it('suggests the label a project mistyped', async () => {
    await writeFiles(work, {
      'typo/groups.csv': 'CUSTOMERGROUPID,DESCRIPTION\nT1,Typo\n',
      'typo/dmfw-project.json': JSON.stringify({
        schemaVersion: 1,
        name: 'Typo',
        entities: [{ label: 'Customer group', sourceFile: 'groups.csv' }],
      }),
    });
    const typo = await dmfw('import', join(work, 'typo'), '--env', 'Emu', '--project', 'Typo');
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('The project "Typo" names an unknown entity: "Customer group" is not an entity');
    // Among the close labels of a 150-entity catalog ("Commission customer groups" contains it too).
    expect(typo.stderr).toMatch(/Did you mean [^?]*"Customer groups"/);
  });

  it('says how to create a data project that an export names but the environment lacks', async () => {
    const missing = await dmfw('export', '--env', 'Emu', '--project', 'No-Such-Project', '--out', join(work, 'x.zip'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(
      'The data project "No-Such-Project" does not exist in Emu. Name the entities to export so that it is created (dmfw export --entities "<label>,…")',
    );
    expect(missing.stderr.match(/does not exist in Emu/g)).toHaveLength(1);
    const exports = emulator.calls.list({ operation: 'ExportToPackage' });
    expect(exports.filter((c) => String(JSON.stringify(c.body)).includes('No-Such-Project'))).toEqual([]);
  });

  it('imports a project into the environment its dmfw-project.json names when --env is absent', async () => {
    await writeFiles(work, {
      'bound/groups.csv': 'CUSTOMERGROUPID,DESCRIPTION,PAYMENTTERMID\nBD1,Bound,Net30\n',
      'bound/dmfw-project.json': JSON.stringify({
        schemaVersion: 1,
        name: 'Bound',
        binding: { environment: 'Emu', dataProject: 'DMFW-Bound', company: 'USMF' },
        entities: [{ label: 'Customer groups', sourceFile: 'groups.csv' }],
      }),
    });
    const imported = await dmfw('import', join(work, 'bound'), '--wait');
    expect(imported).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^Execution DMFW-Bound-\S+: Succeeded\n/),
    });

    // A package, or a project bound to no environment: one line, and where the options are.
    const unbound = await dmfw('import', join(work, 'wave'));
    expect(unbound.code).toBe(2);
    expect(unbound.stderr).toBe(
      'dmfw import: --env is required: the project "CLI wave" is bound to no environment. Give --env, or bind it ' +
        'in the Package area (it is then written to dmfw-project.json).\nRun `dmfw import --help` for its options.\n',
    );
    expect(unbound.stderr).not.toContain('Usage:');
  });

  it('resume --wait ends an interrupted import with the same report as import --wait', async () => {
    emulator.setFaults({ stuckExecutions: 1 });
    // Without --wait the command ends once F&O has the import: the job is left to resume.
    const sent = await dmfw('import', join(work, 'bound'), '--project', 'DMFW-Resume');
    expect(sent.code).toBe(0);
    const jobs = JSON.parse((await dmfw('jobs', '--json')).stdout) as { id: string; executionId: string }[];
    const job = jobs.find((j) => j.executionId?.startsWith('DMFW-Resume-'))!;
    // The admin API needs the per-run token and a JSON body: a refused release would let the test race.
    const released = await adminFetch(emulator, `/executions/${encodeURIComponent(job.executionId)}/release`, {
      body: {},
    });
    expect(released.status).toBeLessThan(300);
    const resumed = await dmfw('resume', job.id, '--wait');
    expect(resumed.code).toBe(0);
    const status = await dmfw('status', job.executionId, '--env', 'Emu');
    expect(resumed.stdout).toBe(status.stdout);
    expect(resumed.stdout).toMatch(/^Execution DMFW-Resume-\S+: Succeeded\n\n.*Customer groups/s);
    const json = await dmfw('status', job.executionId, '--env', 'Emu', '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({ status: 'Succeeded' });
  });
});
