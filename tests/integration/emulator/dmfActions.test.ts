import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../emulator';
import { PACKAGE_API_ACTIONS } from '../../../shared/domain/dmf/packageApiActions';
import type { Emulator } from '../../../emulator';
import { ACTION_PATH, adminFetch, appToken, dmfAction } from '../../support/emulatorHttp';
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

const EXECUTION_ACTIONS = [
  'GetExecutionSummaryStatus',
  'GetExecutionErrors',
  'GetExportedPackageUrl',
  'GetImportStagingErrorFileUrl',
  'GenerateImportTargetErrorKeysFile',
  'GetImportTargetErrorKeysFileUrl',
];

describe('DMF package API: shapes and errors that need no package', () => {
  it('answers an unknown execution id with the AX OData error envelope, for every action that takes one', async () => {
    for (const action of EXECUTION_ACTIONS) {
      const takesEntity = /File|Keys/.test(action);
      const res = await dmfAction(emulator, token, action, {
        executionId: 'no-such-job',
        ...(takesEntity ? { entityName: 'Customers V3' } : {}),
      });
      expect(res.status, action).toBe(500);
      expect(res.body.error.message).toBe('An error has occurred.');
      expect(res.body.error.innererror.message).toBe(
        `Exception occurred while executing action ${action} on Entity DataManagementDefinitionGroup: Execution details were not found for execution id: no-such-job`,
      );
    }
  });

  it('suggests a sequence with GetEntitySequence in Label-Unit-Level-Sequence form', async () => {
    const res = await dmfAction(emulator, token, 'GetEntitySequence', {
      listOfDataEntities: 'Customers V3,Customer groups,Terms of payment',
    });
    expect(res.status).toBe(200);
    const order = (res.body.value as string)
      .split(',')
      .filter(Boolean)
      .map((t) => t.replace(/-\d+-\d+-\d+$/, ''));
    expect(order.indexOf('Terms of payment')).toBeLessThan(order.indexOf('Customer groups'));
    expect(order.indexOf('Customer groups')).toBeLessThan(order.indexOf('Customers V3'));
    expect(res.body.value).toMatch(/,$/);
  });

  it('refuses to export a data project that does not exist', async () => {
    const res = await dmfAction(emulator, token, 'ExportToPackage', {
      definitionGroupId: 'Nope',
      packageName: 'p',
      executionId: '',
      reExecute: false,
      legalEntityId: 'USMF',
    });
    expect(res.status).toBe(500);
    expect(res.body.error.innererror.message).toContain("The data project 'Nope' does not exist");
  });

  it('refuses a legalEntityId the environment does not have with 400 and an OData error naming it', async () => {
    const imported = await dmfAction(emulator, token, 'ImportFromPackage', {
      packageUrl: `${emulator.blobEndpoint}/dmf/x.zip`,
      definitionGroupId: 'Wrong company',
      executionId: 'wrong-company-1',
      execute: true,
      overwrite: false,
      legalEntityId: 'Input',
    });
    expect(imported.status).toBe(400);
    expect(imported.body.error.message).toContain("Company 'Input' does not exist");
    expect(imported.body.error.innererror.message).toContain('USMF, USRT, DEMF');
    // Nothing was started under that id.
    expect(
      (await dmfAction(emulator, token, 'GetExecutionSummaryStatus', { executionId: 'wrong-company-1' })).status,
    ).toBe(500);
    for (const action of ['ExportToPackage', 'ExportToPackagePreview']) {
      const res = await dmfAction(emulator, token, action, {
        definitionGroupId: 'Customer groups export',
        packageName: 'p',
        executionId: '',
        reExecute: false,
        legalEntityId: 'XXXX',
        ...(action === 'ExportToPackagePreview' ? { exportPreviewCount: 0 } : {}),
      });
      expect(res.status, action).toBe(400);
      expect(res.body.error.innererror.message, action).toContain("Company 'XXXX' does not exist");
    }
    // Company ids are case-insensitive; an empty one is the user's default company.
    for (const legalEntityId of ['demf', '']) {
      const ok = await dmfAction(emulator, token, 'ExportToPackage', {
        definitionGroupId: 'Customer groups export',
        packageName: 'p',
        executionId: `company-${legalEntityId || 'default'}`,
        reExecute: false,
        legalEntityId,
      });
      expect(ok.status, legalEntityId).toBe(200);
      emulator.clock.advance(60_000);
      await expect
        .poll(
          async () =>
            (await dmfAction(emulator, token, 'GetExecutionSummaryStatus', { executionId: ok.body.value })).body.value,
          // The export is written by a worker of its own: a budget fit for a loaded machine.
          { timeout: 30_000 },
        )
        .toBe('Succeeded');
    }
  });

  it('serves the on-premises base path /namespaces/AXSF and refuses unknown actions with 404', async () => {
    const res = await dmfAction(emulator, token, 'InitializeDataManagement', {}, { basePath: '/namespaces/AXSF' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ '@odata.context': `${emulator.baseUrl}/data/$metadata#Edm.Boolean`, value: true });
    expect((await dmfAction(emulator, token, 'DropAllTables', {})).status).toBe(404);
  });

  it('fails an import whose package was never uploaded, and reports why in GetExecutionErrors', async () => {
    const res = await dmfAction(emulator, token, 'ImportFromPackage', {
      packageUrl: `${emulator.blobEndpoint}/dmf/never-uploaded.zip?sv=x`,
      definitionGroupId: 'Missing package',
      executionId: 'missing-1',
      execute: true,
      overwrite: true,
      legalEntityId: 'USMF',
    });
    expect(res.body.value).toBe('missing-1');
    // The batch has not picked it up yet: NotRun, and no errors yet.
    expect(
      (await dmfAction(emulator, token, 'GetExecutionSummaryStatus', { executionId: 'missing-1' })).body.value,
    ).toBe('NotRun');
    expect((await dmfAction(emulator, token, 'GetExecutionErrors', { executionId: 'missing-1' })).body.value).toBe(
      '[]',
    );
    emulator.clock.advance(10_000);
    await expect
      .poll(
        async () =>
          (await dmfAction(emulator, token, 'GetExecutionSummaryStatus', { executionId: 'missing-1' })).body.value,
        { timeout: 30_000 },
      )
      .toBe('Failed');
    const errors = await dmfAction(emulator, token, 'GetExecutionErrors', { executionId: 'missing-1' });
    expect(typeof errors.body.value).toBe('string');
    expect(JSON.parse(errors.body.value as string)[0].ErrorMessage).toContain('could not be downloaded');
  });

  it('cleans up an execution history with DeleteExecutionHistoryJob: errors "[]", status Unknown, id free again', async () => {
    const start = (executionId: string) =>
      dmfAction(emulator, token, 'ImportFromPackage', {
        packageUrl: `${emulator.blobEndpoint}/dmf/never-uploaded-either.zip?sv=x`,
        definitionGroupId: 'Cleanup',
        executionId,
        execute: true,
        overwrite: true,
        legalEntityId: 'USMF',
      });
    const status = async (executionId: string) =>
      (await dmfAction(emulator, token, 'GetExecutionSummaryStatus', { executionId })).body.value as string;
    await start('cleanup-1');
    emulator.clock.advance(10_000);
    await expect.poll(() => status('cleanup-1'), { timeout: 30_000 }).toBe('Failed');
    expect(
      JSON.parse((await dmfAction(emulator, token, 'GetExecutionErrors', { executionId: 'cleanup-1' })).body.value),
    ).toHaveLength(1);

    const deleted = await dmfAction(emulator, token, 'DeleteExecutionHistoryJob', { executionId: 'cleanup-1' });
    expect(deleted.body).toEqual({ '@odata.context': `${emulator.baseUrl}/data/$metadata#Edm.Boolean`, value: true });
    const errors = await dmfAction(emulator, token, 'GetExecutionErrors', { executionId: 'cleanup-1' });
    expect([errors.status, errors.body.value]).toEqual([200, '[]']);
    const summary = await dmfAction(emulator, token, 'GetExecutionSummaryStatus', { executionId: 'cleanup-1' });
    expect([summary.status, summary.body.value]).toEqual([200, 'Unknown']);
    expect(
      (await dmfAction(emulator, token, 'GetImportStagingErrorFileUrl', { executionId: 'cleanup-1', entityName: 'x' }))
        .body.value,
    ).toBe('');
    // A second cleanup has nothing left to do; the id can start a new job.
    expect(
      (await dmfAction(emulator, token, 'DeleteExecutionHistoryJob', { executionId: 'cleanup-1' })).body.value,
    ).toBe(true);
    expect((await start('cleanup-1')).body.value).toBe('cleanup-1');
    expect(await status('cleanup-1')).toBe('NotRun');
    // A job that is still running is not cleaned up.
    expect(
      (await dmfAction(emulator, token, 'DeleteExecutionHistoryJob', { executionId: 'cleanup-1' })).body.value,
    ).toBe(false);
    expect(await status('cleanup-1')).toBe('NotRun');
  });

  it('refuses a second import of a project that is still running with DMF2025, and reuse of an execution id', async () => {
    emulator.setFaults({ stuckExecutions: 1 });
    const body = {
      packageUrl: `${emulator.blobEndpoint}/dmf/x.zip`,
      definitionGroupId: 'Busy project',
      execute: true,
      overwrite: false,
      legalEntityId: 'USMF',
    };
    const first = await dmfAction(emulator, token, 'ImportFromPackage', { ...body, executionId: 'busy-1' });
    expect(first.status).toBe(200);
    emulator.clock.advance(60_000);
    expect((await dmfAction(emulator, token, 'GetExecutionSummaryStatus', { executionId: 'busy-1' })).body.value).toBe(
      'Executing',
    );
    const second = await dmfAction(emulator, token, 'ImportFromPackage', { ...body, executionId: 'busy-2' });
    expect(second.status).toBe(500);
    expect(second.body.error.innererror.message).toContain('DMF2025');
    const reuse = await dmfAction(emulator, token, 'ImportFromPackage', {
      ...body,
      definitionGroupId: 'Other',
      executionId: 'busy-1',
    });
    expect(reuse.body.error.innererror.message).toContain('already used');
  });

  it('checks parameter types and required parameters like OData (400)', async () => {
    const wrong = await dmfAction(emulator, token, 'ImportFromPackage', {
      packageUrl: 'x',
      definitionGroupId: 'p',
      execute: 'yes',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.innererror.message).toContain('Edm.Boolean');
    expect((await dmfAction(emulator, token, 'GetExecutionSummaryStatus', {})).status).toBe(400);
    expect((await dmfAction(emulator, token, 'GetExecutionSummaryStatus', [1, 2])).status).toBe(400);
    const unknownMessage = await dmfAction(emulator, token, 'GetMessageStatus', { messageId: 'nope' });
    expect(unknownMessage.status).toBe(500);
    expect((await dmfAction(emulator, token, 'GetExecutionIdByMessageId', { messageId: 'wrong-name' })).status).toBe(
      400,
    );
  });

  it('logs every call for assertions', async () => {
    emulator.calls.clear();
    await dmfAction(emulator, token, 'InitializeDataManagement', {});
    const res = await adminFetch(emulator, '/calls?operation=InitializeDataManagement');
    const { value } = (await res.json()) as { value: { status: number }[] };
    expect(value).toHaveLength(1);
    expect(value[0]!.status).toBe(200);
  });
});

describe('strict actions: ODataLib answers before F&O runs the action', () => {
  const importBody = {
    packageUrl: 'https://example/none.zip',
    definitionGroupId: 'P',
    executionId: '',
    execute: true,
    overwrite: false,
    legalEntityId: 'USMF',
  };
  const inner = (res: { body: Json }) => res.body.error.innererror.message as string;

  it('refuses a misspelt parameter, as F&O would (not silently ignored)', async () => {
    const { executionId: _, ...rest } = importBody;
    const res = await dmfAction(emulator, token, 'ImportFromPackage', { ...rest, executionID: '' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('The request is invalid.');
    expect(inner(res)).toContain(
      "The parameter 'executionID' in the request payload is not a valid parameter for the operation 'ImportFromPackage'.",
    );
  });

  it('refuses wrong types, null for a boolean and a missing boolean', async () => {
    const wrongType = await dmfAction(emulator, token, 'ImportFromPackage', { ...importBody, execute: 'true' });
    expect(wrongType.status).toBe(400);
    expect(inner(wrongType)).toContain("Cannot convert a primitive value to the expected type 'Edm.Boolean'.");
    const number = await dmfAction(emulator, token, 'GetExecutionSummaryStatus', { executionId: 42 });
    expect(inner(number)).toContain("expected type 'Edm.String'");
    const nulled = await dmfAction(emulator, token, 'ImportFromPackage', { ...importBody, overwrite: null });
    expect(inner(nulled)).toContain("A null value was found for the property named 'overwrite'");
    const { execute: _, overwrite: __, ...without } = importBody;
    const missing = await dmfAction(emulator, token, 'ImportFromPackage', without);
    expect(inner(missing)).toContain(
      "One or more parameters of the operation 'ImportFromPackage' are missing from the request payload. The missing parameters are: execute, overwrite.",
    );
  });

  it('has a handler for every action it declares in $metadata', async () => {
    for (const action of PACKAGE_API_ACTIONS) {
      const body = Object.fromEntries(
        action.parameters.map((p) => [
          p.name,
          p.name === 'legalEntityId' ? '' : p.type === 'Edm.String' ? 'x' : p.type === 'Edm.Boolean' ? false : 0,
        ]),
      );
      const res = await dmfAction(emulator, token, action.name, body);
      expect(res.status, action.name).not.toBe(404);
      expect(res.status, action.name).not.toBe(400);
    }
  });

  it('refuses a body over 30,000,000 bytes as IIS does, before reading it', async () => {
    const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(`${emulator.baseUrl}${ACTION_PATH}ImportFromPackage`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': String(31_000_000),
          authorization: `Bearer ${token}`,
        },
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      // Only the headers and a first chunk: the answer comes without the rest of the 31 MB.
      req.write('{"packageUrl":"');
    });
    expect(answer.status).toBe(404);
    expect(answer.text).toContain('404.13');
    // 29 MB goes through to the action (refused there, as JSON, not by size).
    const big = await dmfAction(emulator, token, 'GetEntitySequence', { listOfDataEntities: 'x'.repeat(29_000_000) });
    expect(big.status).toBe(200);
  });
});
