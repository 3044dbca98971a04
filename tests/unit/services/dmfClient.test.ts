import { describe, expect, it } from 'vitest';
import { DmfClient } from '../../../electron/services/dmf/dmfClient';
import { DmfHttp } from '../../../electron/services/dmf/dmfHttp';
import { silentLogger } from '../../../electron/services/logging/logger';
import type { FetchLike } from '../../../electron/services/net/fetch';

const BASE = 'https://contoso.operations.dynamics.com';

/** One canned answer per request, recording method, URL and body. */
function client(answers: Response[], base = BASE) {
  const sent: { method: string; url: string; body: string | null; headers: Headers }[] = [];
  const fetch: FetchLike = async (input, init = {}) => {
    sent.push({
      method: init.method ?? 'GET',
      url: String(input),
      body: typeof init.body === 'string' ? init.body : null,
      headers: new Headers(init.headers),
    });
    const answer = answers.shift();
    if (!answer) throw new Error(`unexpected request ${String(input)}`);
    return answer;
  };
  const http = new DmfHttp({
    fetch,
    logger: silentLogger,
    environmentName: 'Contoso',
    tokens: { accessToken: async () => 'token' },
  });
  return { dmf: new DmfClient(http, base), sent };
}

const odata = (value: unknown) =>
  new Response(JSON.stringify({ '@odata.context': `${BASE}/data/$metadata#Edm.String`, value }), {
    status: 200,
    headers: { 'content-type': 'application/json' },
  });

describe('the DMF client', () => {
  it('decodes GetAzureWriteUrl twice (a JSON string inside value)', async () => {
    const blob = { BlobId: '{6B5B}', BlobUrl: 'https://acct.blob.core.windows.net/dmf/x.zip?sv=1&sig=abc' };
    const { dmf, sent } = client([odata(JSON.stringify(blob))]);
    await expect(dmf.getAzureWriteUrl('x.zip')).resolves.toEqual({ blobId: '{6B5B}', blobUrl: blob.BlobUrl });
    expect(sent[0]).toMatchObject({
      method: 'POST',
      url: `${BASE}/data/DataManagementDefinitionGroups/Microsoft.Dynamics.DataEntities.GetAzureWriteUrl`,
      body: '{"uniqueFileName":"x.zip"}',
    });
  });

  it('reads flat string values and the documented (wrong) nested shape alike', async () => {
    const { dmf } = client([odata('exec-1'), odata({ value: 'exec-2' }), odata(''), odata('https://b/x?sig=1')]);
    const request = {
      definitionGroupId: 'P',
      packageName: 'p',
      executionId: 'exec-1',
      reExecute: false,
      legalEntityId: 'USMF',
    };
    await expect(dmf.exportToPackage(request)).resolves.toBe('exec-1');
    await expect(dmf.exportToPackage({ ...request, executionId: 'exec-2' })).resolves.toBe('exec-2');
    await expect(dmf.getExportedPackageUrl('exec-1')).resolves.toBe('');
    await expect(dmf.getExportedPackageUrl('exec-1')).resolves.toBe('https://b/x?sig=1');
  });

  it('refuses the zero GUID from ExportToPackage (nothing was queued)', async () => {
    const { dmf } = client([odata('00000000-0000-0000-0000-000000000000')]);
    const request = {
      definitionGroupId: 'P',
      packageName: 'p',
      executionId: '',
      reExecute: false,
      legalEntityId: 'USMF',
    };
    await expect(dmf.exportToPackage(request)).rejects.toMatchObject({ code: 'REMOTE_FAILED' });
  });

  it('decodes GetExecutionErrors from a JSON string, "[]" when empty', async () => {
    const errors = [{ RecordId: '479625', Field: 'CUSTGROUP', ErrorMessage: '\n Validations failed\r\n' }];
    const { dmf } = client([odata('[]'), odata(JSON.stringify(errors))]);
    await expect(dmf.getExecutionErrors('e')).resolves.toEqual([]);
    await expect(dmf.getExecutionErrors('e')).resolves.toEqual([
      { recordId: '479625', field: 'CUSTGROUP', message: 'Validations failed', raw: errors[0] },
    ]);
  });

  it('maps statuses and treats an unknown execution as "not started"', async () => {
    const notFound = new Response(
      JSON.stringify({
        error: {
          code: '',
          message: 'An error has occurred.',
          innererror: {
            message:
              'Exception occurred while executing action GetExecutionSummaryStatus on Entity DataManagementDefinitionGroup: Execution details were not found for execution id: E',
          },
        },
      }),
      { status: 500 },
    );
    const { dmf } = client([
      odata('Executing'),
      odata('PartiallySucceeded'),
      notFound,
      odata('Unknown'),
      odata('Weird'),
    ]);
    await expect(dmf.probeExecution('E')).resolves.toBe('Executing');
    await expect(dmf.getExecutionSummaryStatus('E')).resolves.toBe('PartiallySucceeded');
    await expect(dmf.probeExecution('E')).resolves.toBeNull();
    await expect(dmf.probeExecution('E')).resolves.toBeNull();
    await expect(dmf.getExecutionSummaryStatus('E')).resolves.toBe('Unknown');
  });

  it('reads GenerateImportTargetErrorKeysFile as a boolean and sends the _messageId parameter', async () => {
    const { dmf, sent } = client([odata(true), odata(false), odata('00000000-0000-0000-0000-000000000000')]);
    await expect(dmf.generateImportTargetErrorKeysFile('E', 'Customers V3')).resolves.toBe(true);
    await expect(dmf.generateImportTargetErrorKeysFile('E', 'Customers V3')).resolves.toBe(false);
    await expect(dmf.getExecutionIdByMessageId('M')).resolves.toBeNull();
    expect(JSON.parse(sent[2]!.body!)).toEqual({ _messageId: 'M' });
  });

  it('strips the quotes around an enqueued message id and sends entity and company', async () => {
    const { dmf, sent } = client([new Response('"84a383c8-1111-2222-3333-444455556666"', { status: 200 })]);
    const id = await dmf.enqueue('{ACT-1}', () => 'a,b\n', {
      entity: 'Customer groups',
      company: 'USMF',
      isPackage: false,
      externalId: 'groups.csv',
    });
    expect(id).toBe('84a383c8-1111-2222-3333-444455556666');
    expect(sent[0]!.url).toBe(`${BASE}/api/connector/enqueue/%7BACT-1%7D?entity=Customer+groups&company=USMF`);
    expect(sent[0]!.headers.get('x-ms-dyn-externalidentifier')).toBe('groups.csv');
    expect(sent[0]!.headers.get('content-type')).toBe('application/octet-stream');
  });

  it('answers null to a 204 dequeue, repairs http://…:80 download locations and acks with the raw JSON', async () => {
    const raw = JSON.stringify({
      CorrelationId: 'c1',
      PopReceipt: 'p1',
      DownloadLocation: 'http://contoso.operations.dynamics.com:80/api/connector/download/c1?correlation-id=x',
      IsDownLoadFileExist: true,
      FileDownLoadErrorMessage: null,
      LastDequeueDateTime: null,
    });
    const { dmf, sent } = client([
      new Response(null, { status: 204 }),
      new Response(raw, { status: 200 }),
      new Response(null, { status: 200 }),
    ]);
    await expect(dmf.dequeue('A')).resolves.toBeNull();
    const message = await dmf.dequeue('A');
    expect(message).toMatchObject({
      correlationId: 'c1',
      popReceipt: 'p1',
      fileExists: true,
      downloadLocation: 'https://contoso.operations.dynamics.com/api/connector/download/c1?correlation-id=x',
    });
    await dmf.ack('A', message!);
    expect(sent[2]).toMatchObject({ method: 'POST', body: raw, url: `${BASE}/api/connector/ack/A` });
  });

  it("points a download location at a loopback emulator's own port", () => {
    const { dmf } = client([], 'http://127.0.0.1:51234');
    expect(dmf.repairDownloadLocation('http://127.0.0.1:80/api/connector/download/x')).toBe(
      'http://127.0.0.1:51234/api/connector/download/x',
    );
    expect(dmf.repairDownloadLocation('http://other.example.com:80/f')).toBe('https://other.example.com/f');
  });

  it('reads a connector job status with numeric or named states', async () => {
    const body = {
      DataJobStatus: { DataProject: 'Imports', ExecutionIdentifier: 'E1', DataJobState: 6 },
      ExecutionLog: 'log',
      ExecutionDetail: [
        {
          EntityName: 'Customer groups',
          Company: 'USMF',
          StagingRecords: 5,
          StagingErrorCount: 1,
          TargetRecords: 4,
          TargetErrorCount: 0,
        },
      ],
    };
    const { dmf } = client([new Response(JSON.stringify(body), { status: 200 })]);
    await expect(dmf.jobStatus('A', 'M')).resolves.toMatchObject({
      dataJobState: 'ProcessedWithErrors',
      executionId: 'E1',
      entities: [{ entityName: 'Customer groups', stagingRecords: 5, stagingErrorCount: 1, targetRecords: 4 }],
    });
  });

  it("derives error counts from DataManagementExecutionJobDetails' record counts (it has no error fields)", async () => {
    const row = (TargetStatus: string) => ({
      JobId: 'E1',
      EntityName: 'Customer groups',
      StagingStatus: 'Error',
      TargetStatus,
      StagingRecordsToBeProcessedCount: 6,
      StagingRecordsCreatedCount: 4,
      TargetRecordsCreatedCount: 1,
      TargetRecordsUpdatedCount: 1,
    });
    const { dmf } = client([
      new Response(JSON.stringify({ value: [row('Error')] })),
      new Response(JSON.stringify({ value: [row('Executing')] })),
    ]);
    await expect(dmf.executionDetails('E1')).resolves.toEqual([
      expect.objectContaining({ stagingRecords: 4, stagingErrorCount: 2, targetRecords: 2, targetErrorCount: 2 }),
    ]);
    // While the target step runs, the rows not written yet are no errors.
    await expect(dmf.executionDetails('E1')).resolves.toEqual([
      expect.objectContaining({ stagingErrorCount: 2, targetErrorCount: 0 }),
    ]);
  });

  it('pages an OData collection through @odata.nextLink', async () => {
    const { dmf, sent } = client([
      new Response(
        JSON.stringify({ value: [{ a: 1 }], '@odata.nextLink': `${BASE}/data/CustomerGroups?$skiptoken=2` }),
      ),
      new Response(JSON.stringify({ value: [{ a: 2 }] })),
    ]);
    const pages = [];
    for await (const page of dmf.readCollection('CustomerGroups', {
      crossCompany: true,
      filter: "dataAreaId eq 'usmf'",
    }))
      pages.push(page);
    expect(pages).toEqual([[{ a: 1 }], [{ a: 2 }]]);
    expect(sent[0]!.url).toBe(`${BASE}/data/CustomerGroups?cross-company=true&%24filter=dataAreaId+eq+%27usmf%27`);
  });

  it('names the action when the answer is not JSON', async () => {
    const { dmf } = client([new Response('<html>login</html>', { status: 200 })]);
    await expect(dmf.getExecutionSummaryStatus('E')).rejects.toThrow(
      /GetExecutionSummaryStatus answered with something that is not JSON/,
    );
  });
});
