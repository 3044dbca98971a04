import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../emulator';
import type { Emulator } from '../../../emulator';
import { adminFetch, appToken, dmfAction } from '../../support/emulatorHttp';

let emulator: Emulator;
let token: string;

beforeAll(async () => {
  emulator = await startEmulator({
    clock: { manual: true },
    quirks: { downloadLocationHttp80: true },
    maxEnqueueBytes: 64 * 1024,
  });
  token = await appToken(emulator);
});
afterAll(async () => {
  await emulator?.stop();
});

const admin = (path: string, body?: unknown) => adminFetch(emulator, path, body === undefined ? {} : { body });

describe('fault injection', () => {
  it('answers a 429 burst on OData only, then a 503 burst on anything, with Retry-After', async () => {
    expect(
      (await admin('/faults', { httpBurst: { status: 429, count: 2, retryAfterSeconds: 7, scope: 'odata' } })).status,
    ).toBe(200);
    const action = await dmfAction(emulator, token, 'InitializeDataManagement', {});
    expect(action.status).toBe(200);
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${emulator.baseUrl}/data/Currencies`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('7');
    }
    expect(
      (await fetch(`${emulator.baseUrl}/data/Currencies`, { headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(200);

    emulator.setFaults({ httpBurst: { status: 503, count: 1 } });
    const unavailable = await dmfAction(emulator, token, 'InitializeDataManagement', {});
    expect(unavailable.status).toBe(503);
    expect(unavailable.body.error).toBeDefined();
    expect((await dmfAction(emulator, token, 'InitializeDataManagement', {})).status).toBe(200);
    const failed = emulator.calls.list({ operation: 'InitializeDataManagement' }).map((c) => c.status);
    expect(failed).toEqual([200, 503, 200]);
  });

  it('keeps a job Executing until the admin API releases it, and cancels one', async () => {
    emulator.setFaults({ stuckExecutions: 1 });
    const body = {
      definitionGroupId: 'Customer groups export',
      packageName: 'stuck',
      reExecute: false,
      legalEntityId: 'USMF',
    };
    await dmfAction(emulator, token, 'ExportToPackage', { ...body, executionId: 'stuck-1' });
    emulator.clock.advance(3_600_000 - 60_000);
    const status = async (id: string) =>
      (await dmfAction(emulator, token, 'GetExecutionSummaryStatus', { executionId: id })).body.value;
    token = await appToken(emulator);
    expect(await status('stuck-1')).toBe('Executing');
    expect((await dmfAction(emulator, token, 'GetExportedPackageUrl', { executionId: 'stuck-1' })).body.value).toBe('');
    expect((await admin('/executions/stuck-1/release', {})).status).toBe(200);
    await expect.poll(() => status('stuck-1'), { timeout: 30_000 }).toBe('Succeeded');

    await dmfAction(emulator, token, 'ExportToPackage', { ...body, executionId: 'cancel-1' });
    expect((await admin('/executions/cancel-1/cancel', {})).status).toBe(200);
    expect(await status('cancel-1')).toBe('Canceled');
    expect((await admin('/executions/nope/cancel', {})).status).toBe(404);
  });

  it('refuses bad fault settings with a message naming the field', async () => {
    const res = await admin('/faults', { httpBurst: { status: 500, count: 1 } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toContain('httpBurst.status must be 429 or 503');
    expect((await admin('/faults', { stagingFailureRate: 2 })).status).toBe(400);
    expect((await admin('/faults', { flood: true })).status).toBe(400);
    expect((await admin('/clock/advance', { minutes: -5 })).status).toBe(400);
  });

  it('writes DownloadLocation as http://…:80 behind the quirk switch, and refuses an enqueue over the size limit', async () => {
    const exportJob = emulator.recurringJobs.find((j) => j.direction === 'export')!;
    emulator.clock.advance(5 * 60_000);
    let body: { DownloadLocation: string } | null = null;
    await expect
      .poll(
        async () => {
          const res = await fetch(`${emulator.baseUrl}/api/connector/dequeue/${exportJob.activityId}`, {
            headers: { authorization: `Bearer ${token}` },
          });
          body = res.status === 200 ? ((await res.json()) as { DownloadLocation: string }) : null;
          return res.status;
        },
        { timeout: 30_000 },
      )
      .toBe(200);
    expect(body!.DownloadLocation).toMatch(/^http:\/\/127\.0\.0\.1:80\/api\/connector\/download\//);

    const importJob = emulator.recurringJobs.find((j) => j.direction === 'import')!;
    const big = await fetch(`${emulator.baseUrl}/api/connector/enqueue/${importJob.activityId}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: Buffer.alloc(200 * 1024, 1),
    });
    expect(big.status).toBe(413);
  });
});
