import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../emulator';
import type { Emulator } from '../../../emulator';
import { main } from '../../../electron/cli/main';
import { ReferenceSnapshots, pullReferences } from '../../../electron/services/metadata/referenceSnapshots';
import { BUILT_IN_CATALOG, indexCatalog } from '../../../shared/domain/catalog';
import type { ReferencePullProgress } from '../../../shared/api/domains/catalog';
import { recordingIo } from '../../support/cliIo';
import { emulatorBench } from '../../support/emulatorWorkbench';
import type { EmulatorBench } from '../../support/emulatorWorkbench';

/**
 * Issue 10 item 5: the keys of referenced entities read from an environment's legal entity
 * (paged, key fields only, cross-company, 429 bursts waited out), saved with their date, and used
 * by `dmfw validate --env` to flag an unknown customer group or currency before upload.
 */
let emulator: Emulator;
let bench: EmulatorBench;
let work: string;

beforeAll(async () => {
  emulator = await startEmulator({ speed: 'max' });
  bench = await emulatorBench(emulator);
  work = await mkdtemp(join(tmpdir(), 'dmfw-references-'));
}, 120_000);
afterAll(async () => {
  await bench?.dispose();
  await emulator?.stop();
  await rm(work, { recursive: true, force: true });
});

describe('reference snapshots', () => {
  it('reads the keys page by page with $select, waiting out a 429 burst, and saves them with their date', async () => {
    const { dmf } = await bench.test.workbench.services.dmf.open(bench.env);
    const store = new ReferenceSnapshots(join(work, 'references'));
    const progress: ReferencePullProgress[] = [];
    emulator.calls.clear();
    emulator.setFaults({ httpBurst: { status: 429, count: 2, retryAfterSeconds: 1, scope: 'odata' } });
    const started = Date.now();
    const queries: { collection: string; query: unknown }[] = [];
    const saved = await pullReferences({
      dmf: {
        readCollection: (collection, query, options) => {
          queries.push({ collection, query });
          return dmf.readCollection(collection, query, options);
        },
      },
      environment: { id: bench.env, name: 'Emulator' },
      company: 'usmf',
      catalog: indexCatalog(BUILT_IN_CATALOG),
      entities: ['Customer groups', 'Currencies'],
      store,
      pageSize: 3,
      onProgress: (p) => progress.push(p),
      now: () => new Date('2026-12-01T10:00:00Z'),
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    expect(saved).toMatchObject({ label: 'USMF snapshot of Emulator, 2026-12-01 10:00', company: 'USMF' });
    const snapshot = await store.load(saved);
    const groups = snapshot.entities.find((e) => e.entity === 'Customer groups')!;
    const currencies = snapshot.entities.find((e) => e.entity === 'Currencies')!;
    expect(groups.fields).toEqual(['CUSTOMERGROUPID']);
    expect(groups.rows.length).toBeGreaterThan(3);
    expect(currencies.rows.map((r) => r[0])).toEqual(expect.arrayContaining(['USD', 'EUR']));

    const reads = emulator.calls.list().filter((c) => c.path.endsWith('/data/CustomerGroups'));
    expect(emulator.calls.list().filter((c) => c.status === 429)).toHaveLength(2);
    // Paged: more than one successful page.
    expect(reads.filter((c) => c.status === 200).length).toBeGreaterThan(1);
    // Only the key, across companies but filtered to this legal entity; a shared entity unfiltered.
    expect(queries).toEqual([
      {
        collection: 'CustomerGroups',
        query: { select: ['CustomerGroupId'], crossCompany: true, filter: "dataAreaId eq 'usmf'", pageSize: 3 },
      },
      { collection: 'Currencies', query: { select: ['CurrencyCode'], crossCompany: true, pageSize: 3 } },
    ]);
    expect(progress.at(-1)).toMatchObject({ entity: 'Currencies', done: 1, total: 2 });
  }, 120_000);

  it('flags an unknown customer group and currency in dmfw validate --env, naming the snapshot', async () => {
    await bench.client.call('catalog.pullMetadata', { environmentId: bench.env });
    const pulled = await bench.client.call('catalog.pullReferences', { environmentId: bench.env, company: 'USMF' });
    expect(pulled.entities.map((e) => e.entity)).toEqual(expect.arrayContaining(['Currencies', 'Customer groups']));
    const listed = await bench.client.call('catalog.referenceSnapshots', { environmentId: bench.env });
    expect(listed.snapshots[0]?.label).toBe(pulled.label);

    const known = (await new ReferenceSnapshots(join(bench.test.home, 'references')).load(pulled)).entities.find(
      (e) => e.entity === 'Customer groups',
    )!.rows[0]![0]!;
    await writeFile(
      join(work, 'customers.csv'),
      `CUSTOMERACCOUNT,ORGANIZATIONNAME,CUSTOMERGROUPID,SALESCURRENCYCODE\nC-1,Fine,${known},USD\nC-2,Unknown group,NOPE,USD\nC-3,Unknown currency,${known},XYZ\n`,
    );
    const io = recordingIo(work, { DMFW_HOME: bench.test.home });
    const code = await main(['validate', '--entity', 'Customers V3', 'customers.csv', '--env', 'Emulator'], io);
    const out = io.out();
    expect(out).toMatch(
      new RegExp(
        `row 2, CUSTOMERGROUPID.*"NOPE" does not exist in Customer groups \\(checked against ${escape(pulled.label)}\\)`,
      ),
    );
    expect(out).toMatch(
      new RegExp(
        `row 3, SALESCURRENCYCODE.*"XYZ" does not exist in Currencies \\(checked against ${escape(pulled.label)}\\)`,
      ),
    );
    expect(out).not.toMatch(/row 1, (CUSTOMERGROUPID|SALESCURRENCYCODE)/);
    expect(code).toBe(1);
  }, 180_000);
});

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
