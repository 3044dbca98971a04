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
 * Execution units run in parallel (dmf-reference.md §4.1), on the emulator clock: at speed 1 a job
 * is picked up after 5 s and each entity's staging and target steps take about a second each.
 */
let emulator: Emulator;
let token: string;
let dir: string;

beforeAll(async () => {
  emulator = await startEmulator({ clock: { manual: true } });
  token = await appToken(emulator);
  dir = await mkdtemp(join(tmpdir(), 'dmfw-emulator-units-'));
});
afterAll(async () => {
  await emulator?.stop();
  await rm(dir, { recursive: true, force: true });
});

const odata = async (path: string): Promise<Json> =>
  (await fetch(`${emulator.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } })).json();
const status = async (executionId: string): Promise<string> =>
  (await dmfAction(emulator, token, 'GetExecutionSummaryStatus', { executionId })).body.value as string;

describe('execution units on the emulator clock', () => {
  it('runs units side by side: details and job status show them overlap, the job ends with its longest unit', async () => {
    const zip = await buildPackage(dir, 'Two units', [
      {
        label: 'Terms of payment',
        target: 'PaymentTermEntity',
        unit: 1,
        level: 1,
        columns: ['NAME'],
        rows: [['Net91']],
      },
      {
        label: 'Modes of delivery',
        target: 'DlvModeEntity',
        unit: 1,
        level: 2,
        columns: ['MODECODE'],
        rows: [['SLED']],
      },
      {
        label: 'Terms of delivery',
        target: 'DeliveryTermsEntity',
        unit: 2,
        level: 1,
        columns: ['TERMSCODE', 'DESCRIPTION'],
        rows: [['CIF9', 'Cost, insurance and freight (test)']],
      },
    ]);
    // Recurrence 0: the job's batch takes the message at once (after its pickup latency).
    const job = emulator.addRecurringJob({
      name: 'Units',
      project: 'Two units',
      direction: 'import',
      intervalMinutes: 0,
    });
    const enqueued = await fetch(`${emulator.baseUrl}/api/connector/enqueue/${job.activityId}?company=USMF`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/zip' },
      body: zip,
    });
    const messageId = (await enqueued.text()).replaceAll('"', '');
    // The connector's batch picks the message up, then the import's own batch the job (5 s each).
    emulator.clock.advance(5_000);
    let executionId = '';
    await expect
      .poll(
        async () => {
          executionId = (await dmfAction(emulator, token, 'GetExecutionIdByMessageId', { _messageId: messageId })).body
            .value as string;
          return executionId;
        },
        { timeout: 30_000 },
      )
      .not.toBe('00000000-0000-0000-0000-000000000000');
    const details = async (): Promise<Record<string, Json>> => {
      const filter = encodeURIComponent(`JobId eq '${executionId}'`);
      const res = await odata(`/data/DataManagementExecutionJobDetails?$filter=${filter}`);
      return Object.fromEntries(res.value.map((d: Json) => [d.EntityName, d]));
    };
    // Half a second after the pickup: the first entity of each unit is in staging at the same time.
    emulator.clock.advance(5_500);
    await expect.poll(async () => Object.keys(await details()).length, { timeout: 30_000 }).toBe(3);
    let now = await details();
    expect(now['Terms of payment']).toMatchObject({
      ExecutionUnit: 1,
      StagingStatus: 'Executing',
      TargetStatus: 'NotRun',
    });
    expect(now['Terms of delivery']).toMatchObject({
      ExecutionUnit: 2,
      StagingStatus: 'Executing',
      TargetStatus: 'NotRun',
    });
    expect(now['Modes of delivery']).toMatchObject({
      LevelInExecutionUnit: 2,
      StagingStatus: 'NotRun',
      StagingStartDateTime: '1900-01-01T00:00:00Z',
    });
    expect(now['Terms of delivery']!.StagingStartDateTime).toBe(now['Terms of payment']!.StagingStartDateTime);
    const jobstatus = async (): Promise<Json> =>
      (
        await fetch(`${emulator.baseUrl}/api/connector/jobstatus/${job.activityId}?jobId=${messageId}`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).json();
    const inProcess = await jobstatus();
    expect(inProcess.DataJobStatus.DataJobState).toBe('InProcess');
    expect(
      inProcess.ExecutionDetail.map((e: Json) => [e.EntityName, e.StagingStatus, e.ExecutionStartedDateTime !== null]),
    ).toEqual([
      ['Terms of payment', 'Executing', true],
      ['Modes of delivery', 'NotRun', false],
      ['Terms of delivery', 'Executing', true],
    ]);

    // 2.5 s in: unit 2 is done, unit 1 has moved on to its second level.
    emulator.clock.advance(2_000);
    now = await details();
    expect(now['Terms of delivery']).toMatchObject({
      StagingStatus: 'Finished',
      TargetStatus: 'Finished',
      TargetRecordsCreatedCount: 1,
    });
    expect(now['Terms of payment']).toMatchObject({ TargetStatus: 'Finished' });
    expect(now['Modes of delivery']).toMatchObject({ StagingStatus: 'Executing' });
    expect(now['Modes of delivery']!.StagingStartDateTime).toBe(now['Terms of payment']!.TargetEndDateTime);
    expect(await status(executionId)).toBe('Executing');

    // Two entities one after another in unit 1 take about 4 s: the job is done then, not after all
    // three entities' time (about 6 s) as if the units ran one after the other.
    emulator.clock.advance(1_600);
    expect(await status(executionId)).toBe('Succeeded');
    const done = await jobstatus();
    expect(done.DataJobStatus.DataJobState).toBe('Processed');
    const started = Date.parse(done.DataJobStatus.DataJobStartedDateTime);
    const completed = Date.parse(done.DataJobStatus.DataJobCompletedDateTime);
    expect(completed - started).toBeGreaterThanOrEqual(4_000);
    expect(completed - started).toBeLessThan(5_000);
    expect(done.ExecutionDetail.map((e: Json) => [e.EntityName, e.TargetStatus, e.TargetRecords])).toEqual([
      ['Terms of payment', 'Finished', 1],
      ['Modes of delivery', 'Finished', 1],
      ['Terms of delivery', 'Finished', 1],
    ]);
  });

  it('serves DataManagementExecutionJobDetails read-only, with $select and a 400 for unknown properties', async () => {
    const res = await odata(`/data/DataManagementExecutionJobDetails?$select=JobId,EntityName&$top=1`);
    expect(Object.keys(res.value[0] ?? {})).toEqual(['JobId', 'EntityName']);
    const bad = await fetch(`${emulator.baseUrl}/data/DataManagementExecutionJobDetails?$select=Nope`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(bad.status).toBe(400);
    const post = await fetch(`${emulator.baseUrl}/data/DataManagementExecutionJobDetails`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(post.status).toBe(405);
  });
});
