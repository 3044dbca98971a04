import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Emulator } from '../../emulator';
import { createInProcessTransport } from '../../electron/rpc/inProcessTransport';
import { createClient } from '../../shared/api/client';
import type { Client } from '../../shared/api/client';
import type { JobSummary } from '../../shared/api/domains/jobs';
import { createTestWorkbench } from './workbench';
import type { TestWorkbench } from './workbench';

/** Waits that keep the suite fast against an emulator at speed 'max'. */
export const FAST_POLL = Object.freeze({
  firstMs: 20,
  maxMs: 200,
  factor: 1.5,
  maxWaitMs: 120_000,
  submitGraceMs: 300,
  maxSubmissions: 3,
});
export const FAST_RETRY = Object.freeze({ maxAttempts: 6, baseDelayMs: 20, maxDelayMs: 200, maxRetryAfterMs: 30_000 });

export interface EmulatorBench {
  readonly test: TestWorkbench;
  readonly client: Client;
  /** Id of the environment registered for the emulator. */
  readonly env: string;
  /** Follows a job to its end through the contract's events. */
  finish(job: JobSummary): Promise<JobSummary>;
  dispose(): Promise<void>;
}

/** A workbench with `emulator` registered as an environment (by its URL and authority). */
export async function emulatorBench(
  emulator: Emulator,
  options: Parameters<typeof createTestWorkbench>[0] = {},
): Promise<EmulatorBench> {
  const test = await createTestWorkbench({ poll: FAST_POLL, retry: FAST_RETRY, launchEmulator: null, ...options });
  const client = createClient(createInProcessTransport(test.workbench.dispatcher, test.workbench.hub));
  const list = await client.call('environments.list', {});
  const existing = list.environments.find((e) => e.name === 'Emulator');
  const env =
    existing?.id ??
    (
      await client.call('environments.add', {
        name: 'Emulator',
        url: emulator.baseUrl,
        tenantId: emulator.tenantId,
        clientId: emulator.clientId,
        authority: emulator.authority,
      })
    ).id;
  const finish = async (job: JobSummary): Promise<JobSummary> => {
    const final = new Set(['succeeded', 'partially-succeeded', 'failed', 'cancelled']);
    return new Promise<JobSummary>((resolve) => {
      const check = (j: JobSummary) => {
        if (j.id === job.id && (final.has(j.state) || (j.state === 'waiting' && j.step === 'pause'))) {
          off();
          resolve(j);
        }
      };
      const off = client.on('jobs.changed', check);
      void client.call('jobs.get', { jobId: job.id }).then(check);
    });
  };
  return { test, client, env, finish, dispose: () => test.dispose() };
}

/** Writes files (relative path → content) under a folder. */
export async function writeFiles(root: string, files: Readonly<Record<string, string>>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, name)), { recursive: true });
    await writeFile(join(root, name), content);
  }
}
