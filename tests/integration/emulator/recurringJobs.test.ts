import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../emulator';
import type { Emulator } from '../../../emulator';
import { appToken, dmfAction } from '../../support/emulatorHttp';
import type { Json } from '../../support/emulatorHttp';
import { buildPackage } from '../../support/emulatorPackages';

/**
 * Recurring jobs as F&O runs them (issue #13 item 6): a job takes data packages or single files of
 * its project's entities [DOC: Recurring integrations, "File" / "Data package"]; a message it
 * cannot take ends in PreProcessingError with the reason; imports wait for the job's processing
 * recurrence on the emulator clock.
 */
let emulator: Emulator;
let token: string;
let dir: string;

beforeAll(async () => {
  emulator = await startEmulator({ clock: { manual: true } });
  token = await appToken(emulator);
  dir = await mkdtemp(join(tmpdir(), 'dmfw-recurring-'));
});
afterAll(async () => {
  await emulator?.stop();
  await rm(dir, { recursive: true, force: true });
});

const connector = (verb: string, activityId: string, init: RequestInit = {}, query = '') =>
  fetch(`${emulator.baseUrl}/api/connector/${verb}/${activityId}${query}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) },
  });

async function enqueue(activityId: string, body: Buffer | string, query = ''): Promise<string> {
  const res = await connector('enqueue', activityId, { method: 'POST', body }, query);
  expect(res.status).toBe(200);
  return (await res.text()).replaceAll('"', '');
}

const status = async (messageId: string): Promise<string> =>
  (await dmfAction(emulator, token, 'GetMessageStatus', { messageId })).body.value as string;

/** Lets emulator time pass (the batch's pickup and processing take seconds) until the message is done. */
async function finalStatus(messageId: string): Promise<string> {
  let last = '';
  await expect
    .poll(
      async () => {
        emulator.clock.advance(5_000);
        return (last = await status(messageId));
      },
      { timeout: 30_000 },
    )
    .toMatch(/^(Processed|PreProcessingError|ProcessedWithErrors)$/);
  return last;
}

const jobStatus = async (activityId: string, messageId: string): Promise<Json> =>
  (await connector('jobstatus', activityId, {}, `?jobId=${messageId}`)).json();

const groupsPackage = (name: string, id: string) =>
  buildPackage(dir, name, [
    {
      label: 'Customer groups',
      target: 'CustCustomerGroupEntity',
      level: 1,
      columns: ['CUSTOMERGROUPID', 'DESCRIPTION'],
      rows: [[id, `Group ${id}`]],
    },
  ]);

describe('recurring jobs as F&O runs them', () => {
  it('seeds a package job, a file job and an export job, and says what each takes and how often it runs', () => {
    expect(emulator.recurringJobs).toEqual([
      expect.objectContaining({ name: 'Customer master import', dataSource: 'package', recurrenceMinutes: 1 }),
      {
        activityId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'Customer group files',
        project: 'Customer group files',
        direction: 'import',
        dataSource: 'file',
        recurrenceMinutes: 1,
        files: [{ entity: 'Customer groups', sourceFormat: 'CSV' }],
      },
      expect.objectContaining({ name: 'Customer groups export', direction: 'export', recurrenceMinutes: 5 }),
    ]);
  });

  it('imports a file to the file job and a package to the package job, each at its next batch run', async () => {
    const [packageJob, fileJob] = emulator.recurringJobs;
    const file = await enqueue(
      fileJob!.activityId,
      'CUSTOMERGROUPID,DESCRIPTION\r\nRJ1,Recurring file\r\n',
      '?entity=Customer%20groups&company=USMF',
    );
    const pkg = await enqueue(packageJob!.activityId, await groupsPackage('rj2', 'RJ2'), '?company=USMF');
    expect([await status(file), await status(pkg)]).toEqual(['Enqueued', 'Enqueued']);
    emulator.clock.advance(60_000);
    expect([await finalStatus(file), await finalStatus(pkg)]).toEqual(['Processed', 'Processed']);
    const detail = await jobStatus(fileJob!.activityId, file);
    expect(detail.ExecutionDetail).toEqual([
      expect.objectContaining({ EntityName: 'Customer groups', StagingRecords: 1, TargetRecords: 1 }),
    ]);
  });

  it('ends a package sent to a file job, and a file sent to a package job, in PreProcessingError with the reason', async () => {
    const [packageJob, fileJob] = emulator.recurringJobs;
    const zip = await enqueue(fileJob!.activityId, await groupsPackage('rj3', 'RJ3'), '?entity=Customer%20groups');
    const csv = await enqueue(packageJob!.activityId, 'CUSTOMERGROUPID,DESCRIPTION\r\nRJ4,Not a package\r\n');
    const unknown = await enqueue(fileJob!.activityId, 'CUSTOMERGROUPID\r\nRJ5\r\n', '?entity=Vendors%20V2');
    emulator.clock.advance(60_000);
    for (const id of [zip, csv, unknown]) expect(await finalStatus(id)).toBe('PreProcessingError');
    const zipped = await jobStatus(fileJob!.activityId, zip);
    expect(zipped.DataJobStatus.DataJobState).toBe('PreProcessError');
    expect(zipped.ExecutionLog).toBe(
      "The message is a data package (a zip), but this recurring data job takes single CSV files of 'Customer groups'. " +
        'Send the data file itself, or enqueue the package to a recurring job whose data source is Data package.',
    );
    expect((await jobStatus(packageJob!.activityId, csv)).ExecutionLog).toMatch(
      /^The message is not a data package the recurring data job 'Customer master import' can take \(.+\)\. A package job takes a zip/,
    );
    expect((await jobStatus(fileJob!.activityId, unknown)).ExecutionLog).toContain(
      "Entity 'Vendors V2' is not in data project 'Customer group files'",
    );
    // Nothing of the refused messages reached the target.
    const groups = await fetch(`${emulator.baseUrl}/data/CustomerGroups?$filter=CustomerGroupId eq 'RJ3'`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(((await groups.json()) as Json).value).toEqual([]);
  });

  it("waits for the job's own processing recurrence on the emulator clock", async () => {
    const job = emulator.addRecurringJob({
      name: 'Quarter-hourly groups',
      project: 'Quarter-hourly groups',
      direction: 'import',
      intervalMinutes: 15,
    });
    emulator.clock.advance(2 * 60_000);
    const id = await enqueue(job.activityId, await groupsPackage('rj6', 'RJ6'));
    // The run is aligned on the job's creation: 13 minutes after this enqueue.
    emulator.clock.advance(12 * 60_000);
    expect(await status(id)).toBe('Enqueued');
    expect((await jobStatus(job.activityId, id)).DataJobStatus.DataJobState).toBe('Enqueued');
    emulator.clock.advance(60_000);
    expect(await finalStatus(id)).toBe('Processed');
    expect(() =>
      emulator.addRecurringJob({
        name: 'Never',
        project: 'Customer groups export',
        direction: 'export',
        intervalMinutes: 0,
      }),
    ).toThrow(/positive number of minutes/);
  });
});
