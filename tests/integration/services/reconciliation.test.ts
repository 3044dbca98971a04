import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../emulator';
import type { Emulator } from '../../../emulator';
import { main } from '../../../electron/cli/main';
import { recordingIo } from '../../support/cliIo';
import { appToken } from '../../support/emulatorHttp';
import { emulatorBench, writeFiles } from '../../support/emulatorWorkbench';
import type { EmulatorBench } from '../../support/emulatorWorkbench';

let emulator: Emulator;
let bench: EmulatorBench;
let work: string;
let jobId = '';

const CUSTOMERS = [
  'CUSTOMERACCOUNT,ORGANIZATIONNAME,CUSTOMERGROUPID,SALESCURRENCYCODE,CREDITLIMIT',
  'R-001,Contoso Retail,RG1,USD,1000.50',
  'R-002,Fabrikam,RG1,USD,2500',
  "R-003,O'Brien & Sons,RG2,USD,0",
  'R-004,Litware,RG2,USD,99999.999999',
];

/** Plain OData against the emulator, as another user changing F&O after the load would. */
async function odata(method: string, path: string, body?: unknown): Promise<number> {
  const res = await fetch(`${emulator.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${await appToken(emulator)}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  await res.body?.cancel();
  return res.status;
}

beforeAll(async () => {
  emulator = await startEmulator({ speed: 'max' });
  bench = await emulatorBench(emulator);
  work = await mkdtemp(join(tmpdir(), 'dmfw-reconcile-'));
  await writeFiles(work, {
    'legacy/groups.csv': 'CUSTOMERGROUPID,DESCRIPTION,PAYMENTTERMID\nRG1,Retail,Net30\nRG2,Wholesale,Net30\n',
    'legacy/customers.csv': `${CUSTOMERS.join('\n')}\n`,
  });
  await bench.client.call('projects.create', { dir: work, name: 'Reconcile' });
  await bench.client.call('projects.update', {
    dir: work,
    binding: { environment: 'Emulator', dataProject: 'DMFW-Reconcile', company: 'USMF' },
    entities: [
      { label: 'Customer groups', sourceFile: 'legacy/groups.csv', enabled: true },
      { label: 'Customers V3', sourceFile: 'legacy/customers.csv', enabled: true },
    ],
  });
  const job = await bench.finish(
    await bench.client.call('jobs.startImport', { environmentId: bench.env, source: work }),
  );
  expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
  jobId = job.id;
}, 120_000);

afterAll(async () => {
  await bench?.dispose();
  await emulator?.stop();
  await rm(work, { recursive: true, force: true });
});

describe('reconciliation of an import against the emulator', () => {
  it('finds everything sent in F&O after a clean load', async () => {
    const report = await bench.client.call('reconciliation.run', { jobId });
    expect(report.status).toBe('reconciled');
    expect(report.entities.map((e) => [e.label, e.company, e.sent, e.landed, e.counted, e.status])).toEqual([
      ['Customer groups', 'USMF', 2, 2, 2, 'reconciled'],
      ['Customers V3', 'USMF', 4, 4, 4, 'reconciled'],
    ]);
    const customers = report.entities[1];
    expect(customers?.sums).toEqual([
      { field: 'CREDITLIMIT', sent: '103500.499999', landed: '103500.499999', difference: '0.000000' },
    ]);
  });

  it('lists a planted missing key and changed amount by key with their source rows, through 429s with Retry-After', async () => {
    expect(await odata('DELETE', "/data/CustomersV3(dataAreaId='usmf',CustomerAccount='R-002')")).toBe(204);
    expect(
      await odata('PATCH', "/data/CustomersV3(dataAreaId='usmf',CustomerAccount='R-003')", { CreditLimit: 750 }),
    ).toBe(204);
    emulator.calls.clear();
    emulator.setFaults({ httpBurst: { status: 429, count: 2, retryAfterSeconds: 1, scope: 'odata' } });
    const changes: string[] = [];
    const off = bench.client.on('reconciliation.changed', (s) => changes.push(`${s.jobId} ${s.status}`));
    const started = Date.now();
    const report = await bench.client
      .call('reconciliation.run', { jobId, sums: { 'Customers V3': ['CREDITLIMIT'] } })
      .finally(off);
    // Two refusals, each waited out for its Retry-After second, then every read answered.
    expect(emulator.calls.list().filter((c) => c.status === 429)).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    expect(report.status).toBe('differences');
    const customers = report.entities.find((e) => e.label === 'Customers V3');
    expect(customers).toMatchObject({ sent: 4, landed: 3, counted: 3, missingCount: 1, changedCount: 1 });
    expect(customers?.missing).toEqual([{ key: ['R-002'], source: { file: 'legacy/customers.csv', row: 2 } }]);
    expect(customers?.changed).toEqual([
      {
        key: ['R-003'],
        field: 'CREDITLIMIT',
        sent: '0.000000',
        landed: '750.000000',
        source: { file: 'legacy/customers.csv', row: 3 },
      },
    ]);
    expect(customers?.sums[0]).toMatchObject({ sent: '103500.499999', landed: '101750.499999' });
    expect(changes).toEqual([`${jobId} differences`]);

    // Kept with the run in the project (git-friendly) and read back by the cockpit's list.
    const saved = JSON.parse(await readFile(join(work, 'reconciliations', `${jobId}.json`), 'utf8')) as {
      status: string;
    };
    expect(saved.status).toBe('differences');
    const list = await bench.client.call('reconciliation.list', { dir: work });
    expect(list[0]).toMatchObject({ jobId, status: 'differences' });
    expect(list[0]?.entities.find((e) => e.label === 'Customers V3')).toMatchObject({
      missingCount: 1,
      changedCount: 1,
    });
    expect((await bench.client.call('reconciliation.get', { jobId }))?.reconciledAt).toBe(report.reconciledAt);
  });

  it('opens the differences in the grid, one row per missing key and changed field', async () => {
    const opened = await bench.client.call('reconciliation.openDifferences', { jobId, entity: 'Customers V3' });
    expect(opened.rows).toBe(2);
    const page = await bench.client.call('datasets.rows', { id: opened.datasetId, start: 0, count: 10 });
    expect(page.rows.map((r) => r.cells)).toEqual([
      ['R-002', 'USMF', 'missing', '', '', '', 'legacy/customers.csv', '2'],
      ['R-003', 'USMF', 'changed', 'CREDITLIMIT', '0.000000', '750.000000', 'legacy/customers.csv', '3'],
    ]);
    await bench.client.call('datasets.close', { id: opened.datasetId });
  });

  it('refuses a sum field the package does not carry, naming the ones it does', async () => {
    await expect(
      bench.client.call('reconciliation.run', { jobId, sums: { 'Customers V3': ['BALANCE'] } }),
    ).rejects.toThrow(/carries no field BALANCE to sum\. Choose among CREDITLIMIT/);
  });

  it('dmfw reconcile <job id> prints the differences by key with their source rows, exit code 1', async () => {
    const io = recordingIo(work, { DMFW_HOME: bench.test.home });
    const code = await main(['reconcile', jobId, '--sum', 'Customers V3=CREDITLIMIT'], io);
    expect(io.err()).toBe('');
    expect(code).toBe(1);
    expect(io.out()).toContain('differences found');
    expect(io.out()).toContain('Customers V3 (USMF) missing: R-002 (legacy/customers.csv row 2)');
    expect(io.out()).toContain(
      'Customers V3 (USMF) changed: R-003 CREDITLIMIT sent 0.000000, in F&O 750.000000 (legacy/customers.csv row 3)',
    );
    const json = recordingIo(work, { DMFW_HOME: bench.test.home });
    expect(await main(['reconcile', jobId, '--json'], json)).toBe(1);
    expect(JSON.parse(json.out())).toMatchObject({ jobId, status: 'differences' });
    const bad = recordingIo(work, { DMFW_HOME: bench.test.home });
    expect(await main(['reconcile', jobId, '--sum', 'CREDITLIMIT'], bad)).toBe(2);
    expect(bad.err()).toContain('is not <entity>=FIELD,FIELD');
  });

  it('dmfw report writes the sign-off PDF, saved into the project: pages and text checked with pdftotext', async () => {
    await bench.client.call('values.create', {
      dir: work,
      entity: 'Customers V3',
      field: 'CUSTOMERGROUPID',
      sourceColumn: 'CUSTOMERGROUPID',
    });
    const out = join(work, 'sign-off.pdf');
    const io = recordingIo(work, { DMFW_HOME: bench.test.home });
    const code = await main(['report', work, '--out', out, '--json'], io);
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    const written = JSON.parse(io.out()) as { cycle: number; pdf: string; html: string; pdfProblem: string | null };
    expect(written).toMatchObject({
      cycle: 1,
      pdf: join(work, 'reports', 'cycle-1.pdf'),
      html: join(work, 'reports', 'cycle-1.html'),
      pdfProblem: null,
    });
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [out], { encoding: 'utf8' }))?.[1]);
    expect(pages).toBeGreaterThanOrEqual(1);
    expect(pages).toBeLessThanOrEqual(4);
    // pdftotext reads the hyphen inside a key as a soft hyphen and drops it: put it back.
    const text = execFileSync('pdftotext', [out, '-'], { encoding: 'utf8' })
      .replace(/\s+/g, ' ')
      .replace(/\bR(\d{3})\b/g, 'R-$1');
    for (const wanted of [
      'Reconcile: sign-off of cycle 1',
      'legal entity USMF',
      'Customer groups',
      'Customers V3',
      'Customers V3 R-002 missing legacy/customers.csv, row 2',
      'CREDITLIMIT: sent 0.000000, in F&O 750.000000',
      'legacy/customers.csv, row 2',
      'sha256:',
      'Value tables',
      'CUSTOMERGROUPID',
      'No open errors.',
    ])
      expect(text, wanted).toContain(wanted);
    // The HTML runs nothing: its CSP allows one style by hash, and no script.
    const html = await readFile(written.html, 'utf8');
    expect(html).toMatch(/default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(html).not.toMatch(/<script/i);
    const again = recordingIo(work, { DMFW_HOME: bench.test.home });
    expect(await main(['report', work, '--cycle', '2', '--out', join(work, 'x.html')], again)).not.toBe(0);
    expect(again.err()).toContain('has 1 cycle: choose --cycle 1 to 1.');
  });
});
