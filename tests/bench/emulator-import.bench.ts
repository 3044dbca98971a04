/**
 * `npm run bench -- emulator-import [rows]`: a Customers V3 package of `rows` rows (default 1M,
 * CSV-Unicode, 10 mapped columns, every row referencing a customer group, a currency, terms of
 * payment and a mode of delivery) imported into the emulator at full speed through the documented
 * sequence: GetAzureWriteUrl → block upload → ImportFromPackage → poll GetExecutionSummaryStatus.
 * Reports rows per second of emulator processing (ImportFromPackage to the final status), the peak
 * RSS while it runs and the heap the imported rows keep (after a full GC).
 * Exit code 1 when it is below 50,000 rows/s (the emulator's target).
 */
import { BlockBlobClient } from '@azure/storage-blob';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PackageWriter } from '../../electron/services/packages/packageWriter';
import { startEmulator } from '../../emulator';
import {
  createEntityMap,
  createManifest,
  createPackageEntity,
  createPackageHeader,
} from '../../shared/domain/package/model';
import { appToken, dmfAction } from '../support/emulatorHttp';
import { MB, samplePeakRss, settledHeap } from './support/measure';

const TARGET_ROWS_PER_SECOND = 50_000;
const COLUMNS = [
  'CUSTOMERACCOUNT',
  'ORGANIZATIONNAME',
  'CUSTOMERGROUPID',
  'SALESCURRENCYCODE',
  'PAYMENTTERMS',
  'DELIVERYMODE',
  'CREDITLIMIT',
  'DELIVERYADDRESSCITY',
  'DELIVERYADDRESSZIPCODE',
  'PARTYTYPE',
];

function* batches(rows: number): Generator<string[][]> {
  const groups = ['10', '20', '30', '80'];
  const modes = ['TRUCK', 'AIR', 'PARCEL'];
  for (let start = 0; start < rows; start += 10_000) {
    const batch: string[][] = [];
    for (let i = start; i < Math.min(rows, start + 10_000); i++) {
      batch.push([
        `B${String(i).padStart(8, '0')}`,
        `Customer ${i} Inc.`,
        groups[i % 4]!,
        'USD',
        'Net30',
        modes[i % 3]!,
        String((i % 100) * 1000),
        'Seattle',
        '98101',
        'Organization',
      ]);
    }
    yield batch;
  }
}

export async function run(args: string[]): Promise<number> {
  const rows = Number(args[0] ?? 1_000_000);
  const dir = await mkdtemp(join(tmpdir(), 'dmfw-emulator-bench-'));
  const emulator = await startEmulator({ speed: 'max' });
  try {
    const path = join(dir, 'customers.zip');
    let t = performance.now();
    const writer = await PackageWriter.create(path);
    const entity = createPackageEntity({
      label: 'Customers V3',
      inputFilePath: 'Customers V3.csv',
      sourceFormat: 'CSV-Unicode',
      maps: COLUMNS.map((c) => createEntityMap(c)),
      targetEntity: 'CustCustomerV3Entity',
    });
    await writer.writeRows(entity, COLUMNS, batches(rows));
    await writer.finish(createPackageHeader('Bench'), createManifest('Bench', [entity]));
    const size = (await stat(path)).size;
    console.log(
      `package: ${rows.toLocaleString('en-US')} rows, ${(size / MB).toFixed(1)} MB zipped, written in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );

    const token = await appToken(emulator);
    const { BlobUrl } = JSON.parse(
      (await dmfAction(emulator, token, 'GetAzureWriteUrl', { uniqueFileName: 'bench.zip' })).body.value as string,
    ) as { BlobUrl: string };
    t = performance.now();
    await new BlockBlobClient(BlobUrl).uploadFile(path, { blockSize: 8 * MB, concurrency: 4 });
    console.log(`upload: ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const heapBefore = settledHeap();
    const rssBefore = process.memoryUsage.rss();
    const sampler = samplePeakRss(50);
    t = performance.now();
    await dmfAction(emulator, token, 'ImportFromPackage', {
      packageUrl: BlobUrl,
      definitionGroupId: 'Bench',
      executionId: 'bench',
      execute: true,
      overwrite: true,
      legalEntityId: 'USMF',
    });
    let status = 'NotRun';
    while (status === 'NotRun' || status === 'Executing') {
      await new Promise((r) => setTimeout(r, 100));
      status = (await dmfAction(emulator, token, 'GetExecutionSummaryStatus', { executionId: 'bench' })).body
        .value as string;
    }
    const seconds = (performance.now() - t) / 1000;
    const peak = sampler.stop();
    const errors = JSON.parse(
      (await dmfAction(emulator, token, 'GetExecutionErrors', { executionId: 'bench' })).body.value as string,
    ) as unknown[];
    const perSecond = rows / seconds;
    // What the imported rows keep alive in the emulator's store, after a full GC.
    const retained = (settledHeap() - heapBefore) / rows;
    console.log(
      `import: ${status} in ${seconds.toFixed(1)} s, ${Math.round(perSecond).toLocaleString('en-US')} rows/s, ${errors.length} errors, peak RSS ${Math.round(peak / MB)} MB (${Math.round(rssBefore / MB)} MB before), retained heap ${Math.round(retained)} bytes/row`,
    );
    if (status !== 'Succeeded') return 1;
    return perSecond >= TARGET_ROWS_PER_SECOND ? 0 : 1;
  } finally {
    await emulator.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
