import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../emulator';
import { appToken, dmfAction } from '../../support/emulatorHttp';
import type { Json } from '../../support/emulatorHttp';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dmfw-emulator-data-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('emulator data dir', () => {
  it('keeps data projects, executions and records across a restart', async () => {
    const first = await startEmulator({ dataDir: dir, speed: 'max' });
    try {
      const token = await appToken(first);
      const res = await fetch(`${first.baseUrl}/data/DataManagementDefinitionGroups`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ Name: 'Kept project', OperationType: 'Export' }),
      });
      expect(res.status).toBe(201);
      await fetch(`${first.baseUrl}/data/DataManagementDefinitionGroupDetails`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ DefinitionGroupId: 'Kept project', EntityName: 'Currencies' }),
      });
      const started = await dmfAction(first, token, 'ExportToPackage', {
        definitionGroupId: 'Kept project',
        packageName: 'kept',
        executionId: 'kept-1',
        reExecute: false,
        legalEntityId: 'USMF',
      });
      expect(started.body.value).toBe('kept-1');
      await expect
        .poll(
          async () =>
            (await dmfAction(first, token, 'GetExecutionSummaryStatus', { executionId: 'kept-1' })).body.value,
          // A budget fit for a loaded machine: the emulator processes the export in the background.
          { timeout: 30_000 },
        )
        .toBe('Succeeded');
    } finally {
      await first.stop();
    }

    const second = await startEmulator({ dataDir: dir, speed: 'max' });
    try {
      const token = await appToken(second);
      expect((await dmfAction(second, token, 'GetExecutionSummaryStatus', { executionId: 'kept-1' })).body.value).toBe(
        'Succeeded',
      );
      const url = (await dmfAction(second, token, 'GetExportedPackageUrl', { executionId: 'kept-1' })).body
        .value as string;
      // The package blob is still in Azurite's folder.
      expect((await fetch(url)).status).toBe(200);
      const groups: Json = await (
        await fetch(`${second.baseUrl}/data/DataManagementDefinitionGroups`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).json();
      expect(groups.value.map((g: { Name: string }) => g.Name)).toContain('Kept project');
      expect(second.recurringJobs).toHaveLength(3);
    } finally {
      await second.stop();
    }
  });

  it('refuses a damaged state file with a message that names the folder', async () => {
    const broken = await mkdtemp(join(tmpdir(), 'dmfw-emulator-broken-'));
    try {
      await startEmulator({ dataDir: broken, speed: 'max' }).then((e) => e.stop());
      await writeFile(join(broken, 'state', 'state.json'), '{"version":1,"projects":[');
      await expect(startEmulator({ dataDir: broken, speed: 'max' })).rejects.toThrow(
        /cannot be read.*Move the folder away/,
      );
    } finally {
      await rm(broken, { recursive: true, force: true });
    }
  });
});
