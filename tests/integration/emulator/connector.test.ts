import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../emulator';
import type { Emulator } from '../../../emulator';
import { appToken, dmfAction } from '../../support/emulatorHttp';
import type { Json } from '../../support/emulatorHttp';

let emulator: Emulator;
let token: string;

beforeAll(async () => {
  emulator = await startEmulator({ clock: { manual: true } });
  token = await appToken(emulator);
});
afterAll(async () => {
  await emulator?.stop();
});

const connector = (verb: string, activityId: string, init: RequestInit = {}, query = '') =>
  fetch(`${emulator.baseUrl}/api/connector/${verb}/${activityId}${query}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) },
  });

describe('recurring integrations (connector) API', () => {
  it('enqueues with a quoted message id, reports the message through jobstatus and the package API', async () => {
    const job = emulator.addRecurringJob({
      name: 'Customer import',
      project: 'Recurring customers',
      direction: 'import',
    });
    // The activity id arrives URL-encoded with braces [DOC].
    const res = await connector(
      'enqueue',
      `%7B${job.activityId.toUpperCase()}%7D`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/zip', 'x-ms-dyn-externalidentifier': 'customers.zip' },
        body: 'not really a zip',
      },
      '?company=USRT',
    );
    expect(res.status).toBe(200);
    const raw = await res.text();
    expect(raw).toMatch(/^"[0-9a-f-]{36}"$/);
    const messageId = raw.replaceAll('"', '');

    expect((await dmfAction(emulator, token, 'GetMessageStatus', { messageId })).body.value).toBe('Enqueued');
    expect((await dmfAction(emulator, token, 'GetExecutionIdByMessageId', { _messageId: messageId })).body.value).toBe(
      '00000000-0000-0000-0000-000000000000',
    );
    const queued = (await (await connector('jobstatus', job.activityId, {}, `?jobId=${messageId}`)).json()) as Json;
    expect(queued.DataJobStatus).toMatchObject({
      DataProject: 'Recurring customers',
      DataJobState: 'Enqueued',
      ExternalIdentifier: 'customers.zip',
    });

    // The job's batch runs every minute (the default recurrence): nothing happens before it.
    emulator.clock.advance(30_000);
    expect((await dmfAction(emulator, token, 'GetMessageStatus', { messageId })).body.value).toBe('Enqueued');
    // The run picks it up (a few seconds later); the upload is no package, so it fails in
    // preprocessing, as in F&O.
    emulator.clock.advance(40_000);
    await expect
      .poll(async () => (await dmfAction(emulator, token, 'GetMessageStatus', { messageId })).body.value, {
        timeout: 30_000,
      })
      .toBe('PreProcessingError');
    const done = (await (await connector('jobstatus', job.activityId, {}, `?jobid=${messageId}`)).json()) as Json;
    expect(done.DataJobStatus.DataJobState).toBe('PreProcessError');
    expect(done.ExecutionLog).toMatch(
      /^The message is not a data package the recurring data job 'Customer import' can take/,
    );
    expect(done.ExecutionDetail).toEqual([]);

    // Job history cleanup removes the execution's details; the message keeps its status and reason.
    const executionId = done.DataJobStatus.ExecutionIdentifier as string;
    expect(executionId).toBeTruthy();
    expect((await dmfAction(emulator, token, 'DeleteExecutionHistoryJob', { executionId })).body.value).toBe(true);
    expect((await dmfAction(emulator, token, 'GetMessageStatus', { messageId })).body.value).toBe('PreProcessingError');
    const cleaned = (await (await connector('jobstatus', job.activityId, {}, `?jobId=${messageId}`)).json()) as Json;
    expect(cleaned.DataJobStatus.DataJobState).toBe('PreProcessError');
    expect(cleaned.ExecutionDetail).toEqual([]);
  });

  it('answers dequeue with 204 when nothing is queued, and refuses dequeue on an import job', async () => {
    const exportJob = emulator.recurringJobs.find((j) => j.direction === 'export')!;
    const empty = await connector('dequeue', exportJob.activityId);
    expect(empty.status).toBe(204);
    expect(await empty.text()).toBe('');
    const importJob = emulator.recurringJobs.find((j) => j.direction === 'import')!;
    expect((await connector('dequeue', importJob.activityId)).status).toBe(400);
  });

  it('refuses unknown activities, wrong methods, missing tokens and file jobs without an entity', async () => {
    expect((await connector('enqueue', 'no-such-job', { method: 'POST', body: 'x' })).status).toBe(404);
    expect((await connector('dequeue', 'no-such-job')).status).toBe(404);
    expect((await connector('enqueue', 'x')).status).toBe(405);
    const fileJob = emulator.addRecurringJob({
      name: 'Files',
      project: 'Recurring customers',
      direction: 'import',
      dataSource: 'file',
    });
    const noEntity = await connector('enqueue', fileJob.activityId, { method: 'POST', body: 'A,B\n1,2\n' });
    expect(noEntity.status).toBe(400);
    expect(((await noEntity.json()) as { Message: string }).Message).toContain('?entity=');
    const anonymous = await fetch(`${emulator.baseUrl}/api/connector/dequeue/${fileJob.activityId}`);
    expect(anonymous.status).toBe(401);
    expect((await connector('jobstatus', fileJob.activityId)).status).toBe(400);
    expect((await connector('ack', fileJob.activityId, { method: 'POST', body: '{not json' })).status).toBe(400);
  });

  it('refuses a company the environment does not have, naming it', async () => {
    const job = emulator.recurringJobs.find((j) => j.direction === 'import')!;
    const res = await connector('enqueue', job.activityId, { method: 'POST', body: 'x' }, '?company=NOPE');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { Message: string }).Message).toContain("Company 'NOPE' does not exist");
    // Company ids are case-insensitive.
    expect((await connector('enqueue', job.activityId, { method: 'POST', body: 'x' }, '?company=demf')).status).toBe(
      200,
    );
    expect(() => emulator.addRecurringJob({ name: 'Bad', project: 'P', direction: 'import', company: 'ZZZZ' })).toThrow(
      /Company 'ZZZZ' does not exist/,
    );
  });

  it('is not served under the on-premises path (recurring integrations are cloud only)', async () => {
    const res = await fetch(`${emulator.baseUrl}/namespaces/AXSF/api/connector/dequeue/x`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(404);
  });
});
