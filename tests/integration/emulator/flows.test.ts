import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPackage } from '../../../electron/services/packages/packageReader';
import { ZipArchive } from '../../../electron/services/packages/zip/zipReader';
import { bufferSource } from '../../../electron/services/sources/rows';
import { openCsvReader } from '../../../electron/services/sources/csv/csvReader';
import { startEmulator } from '../../../emulator';
import type { Emulator } from '../../../emulator';
import { appToken, dmfAction, pollStatus as pollExecution, uploadPackage } from '../../support/emulatorHttp';
import type { Json } from '../../support/emulatorHttp';
import { buildPackage as buildTestPackage } from '../../support/emulatorPackages';
import type { EntityData } from '../../support/emulatorPackages';
import { readAll } from '../../support/rowSources';

/**
 * Microsoft's documented request sequences (dmf-reference.md §5) against the emulator, with plain
 * fetch: no project client code. Packages are built with the package engine (as F&O writes them).
 */
let emulator: Emulator;
let token: string;
let dir: string;

beforeAll(async () => {
  emulator = await startEmulator({ clock: { manual: true }, speed: 'max' });
  token = await appToken(emulator);
  dir = await mkdtemp(join(tmpdir(), 'dmfw-emulator-flows-'));
});
afterAll(async () => {
  await emulator?.stop();
  await rm(dir, { recursive: true, force: true });
});

const buildPackage = (name: string, entities: EntityData[], format?: string): Promise<Buffer> =>
  buildTestPackage(dir, name, entities, format);
const upload = (name: string, bytes: Buffer): Promise<string> => uploadPackage(emulator, token, name, bytes);
const pollStatus = (executionId: string): Promise<string> => pollExecution(emulator, token, executionId);

async function csvRows(url: string): Promise<{ columns: readonly string[]; rows: string[][] }> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  const reader = await openCsvReader(bufferSource('download.csv', Buffer.from(await res.arrayBuffer())));
  return { columns: reader.columns, rows: (await readAll(reader)).rows };
}

const postOData = (set: string, body: unknown) =>
  fetch(`${emulator.baseUrl}/data/${set}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

const odata = async (path: string): Promise<Json> =>
  (await fetch(`${emulator.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } })).json();

describe('documented import sequence', () => {
  it('imports a package: upload, ImportFromPackage, poll, errors, staging error file, target error keys', async () => {
    const zip = await buildPackage('Customer load', [
      {
        label: 'Customer groups',
        target: 'CustCustomerGroupEntity',
        level: 1,
        columns: ['CUSTOMERGROUPID', 'DESCRIPTION', 'PAYMENTTERMID'],
        rows: [
          ['50', 'Distributors', 'Net30'],
          ['60', 'Key accounts', 'NoSuchTerm'],
        ],
      },
      {
        label: 'Customers V3',
        target: 'CustCustomerV3Entity',
        level: 2,
        columns: ['CUSTOMERACCOUNT', 'ORGANIZATIONNAME', 'CUSTOMERGROUPID', 'SALESCURRENCYCODE', 'CREDITLIMIT'],
        rows: [
          ['NEW-001', 'Fabrikam Distribution', '50', 'USD', '5000'],
          ['NEW-002', 'Bad credit limit', '50', 'USD', 'lots'],
          ['NEW-003', 'Key account', '60', 'USD', '100'],
          ['NEW-004', 'No currency', '50', '', '0'],
        ],
      },
    ]);
    const packageUrl = await upload(`Import_${Date.now()}.zip`, zip);
    const started = await dmfAction(emulator, token, 'ImportFromPackage', {
      packageUrl,
      definitionGroupId: 'Customer load',
      executionId: 'customer-load-1',
      execute: true,
      overwrite: true,
      legalEntityId: 'USMF',
    });
    expect(started.body).toEqual({
      '@odata.context': `${emulator.baseUrl}/data/$metadata#Edm.String`,
      value: 'customer-load-1',
    });
    expect(await pollStatus('customer-load-1')).toBe('PartiallySucceeded');

    const errors = JSON.parse(
      (await dmfAction(emulator, token, 'GetExecutionErrors', { executionId: 'customer-load-1' })).body.value as string,
    ) as { ErrorMessage: string }[];
    expect(errors.map((e) => e.ErrorMessage)).toEqual([
      expect.stringContaining("'lots' of field CREDITLIMIT is not a number"),
      expect.stringContaining("PAYMENTTERMID='NoSuchTerm' does not exist"),
      expect.stringContaining("CUSTOMERGROUPID='60' does not exist"),
      expect.stringContaining("Field 'SalesCurrencyCode' must be filled in"),
    ]);

    // The staging error file: the failing input row, in the source's format (CSV-Unicode).
    const stagingUrl = (
      await dmfAction(emulator, token, 'GetImportStagingErrorFileUrl', {
        executionId: 'customer-load-1',
        entityName: 'Customers V3',
      })
    ).body.value as string;
    const staging = await csvRows(stagingUrl);
    expect(staging.columns).toEqual([
      'CUSTOMERACCOUNT',
      'ORGANIZATIONNAME',
      'CUSTOMERGROUPID',
      'SALESCURRENCYCODE',
      'CREDITLIMIT',
    ]);
    expect(staging.rows).toEqual([['NEW-002', 'Bad credit limit', '50', 'USD', 'lots']]);
    const stagingBytes = Buffer.from(await (await fetch(stagingUrl)).arrayBuffer());
    expect([...stagingBytes.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    expect(
      (
        await dmfAction(emulator, token, 'GetImportStagingErrorFileUrl', {
          executionId: 'customer-load-1',
          entityName: 'CustCustomerGroupEntity',
        })
      ).body.value,
    ).toBe('');

    // Target error keys: generate, then poll the URL until it is not empty.
    const generated = await dmfAction(emulator, token, 'GenerateImportTargetErrorKeysFile', {
      executionId: 'customer-load-1',
      entityName: 'Customers V3',
    });
    expect(generated.body).toEqual({ '@odata.context': `${emulator.baseUrl}/data/$metadata#Edm.Boolean`, value: true });
    let keysUrl = '';
    await expect
      .poll(
        async () =>
          (keysUrl = (
            await dmfAction(emulator, token, 'GetImportTargetErrorKeysFileUrl', {
              executionId: 'customer-load-1',
              entityName: 'Customers V3',
            })
          ).body.value as string),
        { timeout: 30_000 },
      )
      .not.toBe('');
    expect(await csvRows(keysUrl)).toEqual({ columns: ['CUSTOMERACCOUNT'], rows: [['NEW-003'], ['NEW-004']] });
    const none = await dmfAction(emulator, token, 'GenerateImportTargetErrorKeysFile', {
      executionId: 'customer-load-1',
      entityName: 'Nothing here',
    });
    expect(none.body.value).toBe(false);

    // The good rows are in the target; the project was created from the manifest.
    const imported = await odata(`/data/CustomersV3?$filter=${encodeURIComponent("CustomerGroupId eq '50'")}`);
    expect(imported.value.map((c: Json) => c.CustomerAccount)).toEqual(['NEW-001']);
    const lines = await odata(
      `/data/DataManagementDefinitionGroupDetails?$filter=${encodeURIComponent("DefinitionGroupId eq 'Customer load'")}`,
    );
    expect(lines.value.map((l: Json) => [l.EntityName, l.LevelInExecutionUnit])).toEqual([
      ['Customer groups', 1],
      ['Customers V3', 2],
    ]);
    expect(emulator.calls.list({ operation: 'ImportFromPackage' })).toHaveLength(1);
  });

  it('stops at staging with execute=false, and fails a corrupt or hostile zip without crashing', async () => {
    const zip = await buildPackage('Staging only', [
      {
        label: 'Terms of payment',
        target: 'PaymentTermEntity',
        level: 1,
        columns: ['NAME', 'DESCRIPTION'],
        rows: [['Net60', 'Net 60 days']],
      },
    ]);
    const url = await upload('staging-only.zip', zip);
    await dmfAction(emulator, token, 'ImportFromPackage', {
      packageUrl: url,
      definitionGroupId: 'Staging only',
      executionId: 'stage-1',
      execute: false,
      overwrite: true,
      legalEntityId: 'USMF',
    });
    expect(await pollStatus('stage-1')).toBe('Succeeded');
    expect((await odata(`/data/PaymentTerms?$filter=${encodeURIComponent("Name eq 'Net60'")}`)).value).toEqual([]);

    const hostile: [string, Buffer][] = [
      ['not-a-zip.zip', Buffer.from('this is not a zip file')],
      ['truncated.zip', zip.subarray(0, Math.floor(zip.length / 2))],
      ['empty.zip', Buffer.alloc(0)],
    ];
    for (const [name, bytes] of hostile) {
      const packageUrl = await upload(name, bytes);
      const id = `bad-${name}`;
      const started = await dmfAction(emulator, token, 'ImportFromPackage', {
        packageUrl,
        definitionGroupId: `Bad ${name}`,
        executionId: id,
        execute: true,
        overwrite: true,
        legalEntityId: 'USMF',
      });
      expect(started.status).toBe(200);
      expect(await pollStatus(id)).toBe('Failed');
      const errors = JSON.parse(
        (await dmfAction(emulator, token, 'GetExecutionErrors', { executionId: id })).body.value as string,
      ) as { ErrorMessage: string }[];
      expect(errors[0]?.ErrorMessage.length).toBeGreaterThan(10);
    }
  });

  it('truncates the entities first when the data project says so', async () => {
    expect(
      (await postOData('DataManagementDefinitionGroups', { Name: 'Modes reload', TruncateEntityData: 'Yes' })).status,
    ).toBe(201);
    const before = await odata(
      `/data/ModesOfDelivery?cross-company=true&$filter=${encodeURIComponent("dataAreaId eq 'demf'")}`,
    );
    expect(before.value.length).toBe(3);
    const zip = await buildPackage('Modes reload', [
      {
        label: 'Modes of delivery',
        target: 'DlvModeEntity',
        level: 1,
        columns: ['MODECODE', 'DESCRIPTION'],
        rows: [['SHIP', 'Ship']],
      },
    ]);
    await dmfAction(emulator, token, 'ImportFromPackage', {
      packageUrl: await upload('modes.zip', zip),
      definitionGroupId: 'Modes reload',
      executionId: 'modes-1',
      execute: true,
      overwrite: false,
      legalEntityId: 'DEMF',
    });
    expect(await pollStatus('modes-1')).toBe('Succeeded');
    const after = await odata(
      `/data/ModesOfDelivery?cross-company=true&$filter=${encodeURIComponent("dataAreaId eq 'demf'")}`,
    );
    expect(after.value.map((m: Json) => m.ModeCode)).toEqual(['SHIP']);
    // Other legal entities keep theirs.
    expect((await odata('/data/ModesOfDelivery')).value.length).toBe(3);
  });
});

describe('legal entities', () => {
  it('knows a legal entity once the Legal entities entity imported it, and imports into it', async () => {
    expect(emulator.companies).not.toContain('NEWC');
    const refused = await dmfAction(emulator, token, 'ImportFromPackage', {
      packageUrl: `${emulator.blobEndpoint}/dmf/none.zip`,
      definitionGroupId: 'New company modes',
      executionId: 'newc-modes-0',
      execute: true,
      overwrite: true,
      legalEntityId: 'NEWC',
    });
    expect(refused.status).toBe(400);
    const company = await buildPackage('New company', [
      {
        label: 'Legal entities',
        target: 'OMLegalEntity',
        level: 1,
        columns: ['LEGALENTITYID', 'NAME'],
        rows: [['NEWC', 'New Company Inc.']],
      },
    ]);
    await dmfAction(emulator, token, 'ImportFromPackage', {
      packageUrl: await upload('new-company.zip', company),
      definitionGroupId: 'New company',
      executionId: 'newc-1',
      execute: true,
      overwrite: true,
      legalEntityId: 'USMF',
    });
    expect(await pollStatus('newc-1')).toBe('Succeeded');
    expect(emulator.companies).toEqual(['USMF', 'USRT', 'DEMF', 'NEWC']);
    const modes = await buildPackage('New company modes', [
      { label: 'Modes of delivery', target: 'DlvModeEntity', level: 1, columns: ['MODECODE'], rows: [['BOAT']] },
    ]);
    const started = await dmfAction(emulator, token, 'ImportFromPackage', {
      packageUrl: await upload('newc-modes.zip', modes),
      definitionGroupId: 'New company modes',
      executionId: 'newc-modes-1',
      execute: true,
      overwrite: true,
      legalEntityId: 'newc',
    });
    expect(started.status).toBe(200);
    expect(await pollStatus('newc-modes-1')).toBe('Succeeded');
    const read = await odata(
      `/data/ModesOfDelivery?cross-company=true&$filter=${encodeURIComponent("dataAreaId eq 'newc'")}`,
    );
    expect(read.value.map((m: Json) => m.ModeCode)).toEqual(['BOAT']);
  });
});

describe('documented export sequence', () => {
  it('exports a data project: ExportToPackage, poll, GetExportedPackageUrl, download a valid package', async () => {
    const started = await dmfAction(emulator, token, 'ExportToPackage', {
      definitionGroupId: 'Customer groups export',
      packageName: 'groups',
      executionId: '',
      reExecute: false,
      legalEntityId: 'DEMF',
    });
    const executionId = started.body.value as string;
    expect(executionId).toMatch(/^ExportPackage-/);
    expect(await pollStatus(executionId)).toBe('Succeeded');
    const url = (await dmfAction(emulator, token, 'GetExportedPackageUrl', { executionId })).body.value as string;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1\/dmf\/.+groups\.zip\?/);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    const path = join(dir, 'exported.zip');
    await writeFile(path, Buffer.from(await res.arrayBuffer()));
    const pkg = await openPackage(path);
    try {
      expect(pkg.header?.packageVersion).toBe(2);
      expect(pkg.manifest.definitionGroupName).toBe('Customer groups export');
      const [entity] = pkg.manifest.entities;
      expect(entity).toMatchObject({
        entityName: 'Customer groups',
        targetEntity: 'CustCustomerGroupEntity',
        inputFilePath: 'Customer groups.csv',
      });
      const rows = (await readAll(await pkg.openRows(entity!))).rows;
      expect(rows.map((r) => r[0]).sort()).toEqual(['10', '20', '30', '80']);
    } finally {
      await pkg.close();
    }
  });

  it("exports only what changed since the project's last export on incremental push", async () => {
    await postOData('DataManagementDefinitionGroups', { Name: 'Terms delta', OperationType: 'Export' });
    await postOData('DataManagementDefinitionGroupDetails', {
      DefinitionGroupId: 'Terms delta',
      EntityName: 'Terms of payment',
      DefaultRefreshType: 'IncrementalPush',
    });
    const exportRows = async (): Promise<string[][]> => {
      const id = (
        await dmfAction(emulator, token, 'ExportToPackage', {
          definitionGroupId: 'Terms delta',
          packageName: 'delta',
          executionId: '',
          reExecute: false,
          legalEntityId: 'USRT',
        })
      ).body.value as string;
      expect(await pollStatus(id)).toBe('Succeeded');
      const path = join(dir, `${id}.zip`);
      await writeFile(
        path,
        Buffer.from(
          await (
            await fetch(
              (await dmfAction(emulator, token, 'GetExportedPackageUrl', { executionId: id })).body.value as string,
            )
          ).arrayBuffer(),
        ),
      );
      const pkg = await openPackage(path);
      try {
        return (await readAll(await pkg.openRows(pkg.manifest.entities[0]!))).rows;
      } finally {
        await pkg.close();
      }
    };
    expect((await exportRows()).length).toBe(6);
    expect(await exportRows()).toEqual([]);
    const zip = await buildPackage('Terms change', [
      {
        label: 'Terms of payment',
        target: 'PaymentTermEntity',
        level: 1,
        columns: ['NAME', 'DESCRIPTION'],
        rows: [['Net30', 'Net 30 days (changed)']],
      },
    ]);
    await dmfAction(emulator, token, 'ImportFromPackage', {
      packageUrl: await upload('terms-change.zip', zip),
      definitionGroupId: 'Terms change',
      executionId: 'terms-change',
      execute: true,
      overwrite: true,
      legalEntityId: 'USRT',
    });
    expect(await pollStatus('terms-change')).toBe('Succeeded');
    const delta = await exportRows();
    expect(delta.map((r) => r[0])).toEqual(['Net30']);
    await dmfAction(emulator, token, 'ResetVersionToken', {
      definitionGroupId: 'Terms delta',
      entityName: 'Terms of payment',
      sourceName: '',
    });
    expect((await exportRows()).length).toBe(6);
  });
});

async function importRates(): Promise<void> {
  const zip = await buildPackage('Rates', [
    {
      label: 'Exchange rate types',
      target: 'ExchangeRateTypeEntity',
      level: 1,
      columns: ['NAME', 'DESCRIPTION'],
      rows: [['Default', 'Default rates']],
    },
    {
      label: 'Exchange rates',
      target: 'ExchangeRateEntity',
      level: 2,
      columns: ['RATETYPENAME', 'FROMCURRENCY', 'TOCURRENCY', 'STARTDATE', 'CONVERSIONFACTOR', 'RATE'],
      // Source text in other forms than F&O writes: en-US date, the enum's label, a leading zero.
      rows: [
        ['Default', 'EUR', 'USD', '1/31/2011', '1', '1.33574'],
        ['Default', 'GBP', 'USD', '2011-01-31T00:00:00Z', 'Hundred', '0.5'],
      ],
    },
  ]);
  const BlobUrl = await upload('rates.zip', zip);
  await dmfAction(emulator, token, 'ImportFromPackage', {
    packageUrl: BlobUrl,
    definitionGroupId: 'Rates',
    executionId: 'rates-import',
    execute: true,
    overwrite: true,
    legalEntityId: 'USMF',
  });
  expect(await pollStatus('rates-import')).toBe('Succeeded');
}

async function exportProject(name: string, entity: string, format: string): Promise<string> {
  expect((await postOData('DataManagementDefinitionGroups', { Name: name, OperationType: 'Export' })).status).toBe(201);
  expect(
    (
      await postOData('DataManagementDefinitionGroupDetails', {
        DefinitionGroupId: name,
        EntityName: entity,
        SourceFormat: format,
      })
    ).status,
  ).toBe(201);
  const id = (
    await dmfAction(emulator, token, 'ExportToPackage', {
      definitionGroupId: name,
      packageName: name,
      executionId: '',
      reExecute: false,
      legalEntityId: 'USMF',
    })
  ).body.value as string;
  expect(await pollStatus(id)).toBe('Succeeded');
  const url = (await dmfAction(emulator, token, 'GetExportedPackageUrl', { executionId: id })).body.value as string;
  const path = join(dir, `${name}.zip`);
  await writeFile(path, Buffer.from(await (await fetch(url)).arrayBuffer()));
  return path;
}

/**
 * Exported values as F&O writes them (dmf-reference.md §1.5, §1.7): reals in the field's scale with
 * no leading zero, dates with a midnight time, enum names, empty values left out of Excel sheets.
 */
describe('exported values as F&O writes them', () => {
  it('writes an Excel export with 16-decimal rates, midnight dates, enum names and no cells for empty values', async () => {
    await importRates();
    const path = await exportProject('Rates out', 'Exchange rates', 'EXCEL');
    const pkg = await openPackage(path);
    let header: readonly string[];
    let rows: string[][];
    try {
      const reader = await pkg.openRows(pkg.manifest.entities[0]!);
      header = reader.columns;
      rows = (await readAll(reader)).rows;
    } finally {
      await pkg.close();
    }
    const record = (from: string) => Object.fromEntries(header.map((c, i) => [c, rows.find((r) => r[1] === from)![i]]));
    expect(record('EUR')).toMatchObject({
      STARTDATE: '2011-01-31 00:00:00',
      RATE: '1.3357400000000000',
      CONVERSIONFACTOR: 'One',
      ENDDATE: '',
    });
    expect(record('GBP')).toMatchObject({
      STARTDATE: '2011-01-31 00:00:00',
      RATE: '.5000000000000000',
      CONVERSIONFACTOR: 'Hundred',
    });

    // Empty values get no <c> element at all, as in F&O's own sheets.
    const zip = await ZipArchive.open(path);
    const sheetZip = join(dir, 'rates.xlsx');
    await writeFile(sheetZip, await zip.readEntry('Exchange rates.xlsx', 1 << 24));
    zip.close();
    const xlsx = await ZipArchive.open(sheetZip);
    const sheet = (await xlsx.readEntry('xl/worksheets/sheet1.xml', 1 << 24)).toString('utf8');
    xlsx.close();
    const column = String.fromCharCode(65 + header.indexOf('ENDDATE'));
    expect(sheet).toContain(`<c r="${column}1"`);
    expect(sheet).not.toMatch(new RegExp(`<c r="${column}[2-9]`));
  });

  it('writes amounts with six decimals and no leading zero, and never-given reals as zero', async () => {
    const path = await exportProject('Currencies out', 'Currencies', 'CSV-Unicode');
    const pkg = await openPackage(path);
    try {
      const reader = await pkg.openRows(pkg.manifest.entities[0]!);
      const rows = (await readAll(reader)).rows;
      const usd = Object.fromEntries(reader.columns.map((c, i) => [c, rows.find((r) => r[0] === 'USD')![i]]));
      expect(usd).toMatchObject({
        GENERALROUNDINGRULE: '.010000',
        PRICEROUNDINGRULE: '.000000',
        CURRENCYCODEISO: 'USD',
      });
      const jpy = rows.find((r) => r[0] === 'JPY')!;
      expect(jpy[reader.columns.indexOf('GENERALROUNDINGRULE')]).toBe('1.000000');
    } finally {
      await pkg.close();
    }
  });
});

describe('documented recurring sequence', () => {
  const connector = (verb: string, activityId: string, init: RequestInit = {}, query = '') =>
    fetch(`${emulator.baseUrl}/api/connector/${verb}/${activityId}${query}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) },
    });

  it('enqueues a package and reports it Processed through jobstatus', async () => {
    const job = emulator.recurringJobs.find((j) => j.direction === 'import')!;
    const zip = await buildPackage('Recurring', [
      {
        label: 'Customer groups',
        target: 'CustCustomerGroupEntity',
        level: 1,
        columns: ['CUSTOMERGROUPID', 'DESCRIPTION'],
        rows: [['70', 'Recurring group']],
      },
    ]);
    const res = await connector(
      'enqueue',
      `{${job.activityId}}`,
      { method: 'POST', headers: { 'content-type': 'application/zip' }, body: zip },
      '?company=DEMF',
    );
    const messageId = (await res.text()).replaceAll('"', '');
    let detail: Json;
    await expect
      .poll(
        async () => {
          detail = await (await connector('jobstatus', job.activityId, {}, `?jobId=${messageId}`)).json();
          return detail.DataJobStatus.DataJobState;
        },
        { timeout: 30_000 },
      )
      .toBe('Processed');
    expect(detail.ExecutionDetail).toEqual([
      expect.objectContaining({
        EntityName: 'Customer groups',
        Company: 'DEMF',
        StagingRecords: 1,
        TargetRecords: 1,
        TargetErrorCount: 0,
      }),
    ]);
    expect((await dmfAction(emulator, token, 'GetMessageStatus', { messageId })).body.value).toBe('Processed');
  });

  it('dequeues scheduled exports, downloads with the token, acks, redelivers un-acked ones after 30 minutes', async () => {
    const job = emulator.recurringJobs.find((j) => j.direction === 'export')!;
    expect((await connector('dequeue', job.activityId)).status).toBe(204);
    emulator.clock.advance(5 * 60_000);
    let first: Json;
    await expect
      .poll(
        async () => {
          const res = await connector('dequeue', job.activityId);
          first = res.status === 200 ? await res.json() : null;
          return res.status;
        },
        { timeout: 30_000 },
      )
      .toBe(200);
    expect(Object.keys(first)).toEqual([
      'CorrelationId',
      'PopReceipt',
      'DownloadLocation',
      'IsDownLoadFileExist',
      'FileDownLoadErrorMessage',
      'LastDequeueDateTime',
    ]);
    expect(first.LastDequeueDateTime).toBeNull();
    const download = await fetch(first.DownloadLocation, { headers: { authorization: `Bearer ${token}` } });
    expect(download.status).toBe(200);
    expect([...Buffer.from(await download.arrayBuffer()).subarray(0, 2)]).toEqual([0x50, 0x4b]);
    expect((await fetch(first.DownloadLocation)).status).toBe(401);

    // Not acked: after 30 minutes the same message comes back, with LastDequeueDateTime set.
    expect((await connector('dequeue', job.activityId)).status).toBe(204);
    emulator.clock.advance(30 * 60_000);
    let again: Json;
    await expect
      .poll(
        async () => {
          again = await (await connector('dequeue', job.activityId)).json();
          return again.CorrelationId;
        },
        { timeout: 30_000 },
      )
      .toBe(first.CorrelationId);
    expect(again.LastDequeueDateTime).not.toBeNull();
    // An ack with the stale pop receipt is refused; the latest one is accepted.
    expect(
      (
        await connector('ack', job.activityId, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(first),
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await connector('ack', job.activityId, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(again),
        })
      ).status,
    ).toBe(200);
    expect((await dmfAction(emulator, token, 'GetMessageStatus', { messageId: again.CorrelationId })).body.value).toBe(
      'Acked',
    );
  });
});
