import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../emulator';
import type { Emulator } from '../../../emulator';
import type { DatasetInfo } from '../../../shared/api/domains/datasets';
import { emulatorBench, writeFiles } from '../../support/emulatorWorkbench';
import type { EmulatorBench } from '../../support/emulatorWorkbench';
import { openRowReader } from '../../../electron/services/sources/dataFiles';
import { fileSource } from '../../../electron/services/sources/rows';

/** A legacy extract: its own codes for payment terms, customer groups and currencies. */
const CYCLE_1 = [
  'Account,Name,Group,Currency,Terms,Credit',
  'C001,Contoso Ltd,WHOLESALE,US$,NET 30,1000',
  'C002,Fabrikam,Retail,usd,30 days,250.50',
  'C003,Northwind,WHOLESALE,EURO,N10,0',
  'C004,Litware,Retail,USD,Net 30,5000',
  'C005,Proseware,Staff,EUR,COD,0',
  'C006,Tailspin,=HYPERLINK("x"),usd,14 days,100',
  'C007,Coho,Retail,USD,Prepaid,0',
].join('\r\n');

/** Next week's extract: the same codes, a new variant, a new unmapped value, another column order. */
const CYCLE_2 = [
  'Terms,Account,Name,Group,Currency,Credit',
  'NET 30,C101,Wingtip,WHOLESALE,US$,10',
  'N10,C102,Alpine,Retail,EURO,20',
  'NET 90,C103,Coho,Retail,usd,30',
].join('\r\n');

let emulator: Emulator;
let bench: EmulatorBench;
let dir: string;

beforeAll(async () => {
  emulator = await startEmulator({ speed: 'max' });
  bench = await emulatorBench(emulator);
  dir = await project();
});

afterAll(async () => {
  await bench?.dispose();
  await emulator?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function project(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'dmfw-valuemaps-'));
  await writeFiles(root, { 'legacy/customers.csv': `${CYCLE_1}\r\n`, 'legacy/customers-2.csv': `${CYCLE_2}\r\n` });
  await bench.client.call('projects.create', { dir: root, name: 'Migration' });
  await bench.client.call('projects.update', {
    dir: root,
    binding: { environment: 'Emulator', dataProject: 'DMFW-Mig', company: 'USMF' },
    entities: [
      {
        label: 'Customers V3',
        sourceFile: 'legacy/customers.csv',
        mapping: [
          { sourceColumn: 'Account', stagingField: 'CUSTOMERACCOUNT' },
          { sourceColumn: 'Name', stagingField: 'ORGANIZATIONNAME' },
          { sourceColumn: 'Group', stagingField: 'CUSTOMERGROUPID' },
          { sourceColumn: 'Currency', stagingField: 'SALESCURRENCYCODE' },
          { sourceColumn: 'Terms', stagingField: 'PAYMENTTERMS' },
          { sourceColumn: 'Credit', stagingField: 'CREDITLIMIT' },
        ],
        enabled: true,
      },
    ],
  });
  return root;
}

async function open(path: string): Promise<DatasetInfo> {
  const info = await bench.client.call('datasets.open', { path, project: dir });
  await expect
    .poll(async () => (await bench.client.call('datasets.get', { id: info.id })).state, { timeout: 30_000 })
    .toBe('ready');
  return bench.client.call('datasets.get', { id: info.id });
}

async function column(id: string, name: string): Promise<string[]> {
  const info = await bench.client.call('datasets.get', { id });
  const at = info.columns.findIndex((c) => c.name === name);
  const page = await bench.client.call('datasets.rows', { id, start: 0, count: 100 });
  return page.rows.map((r) => r.cells[at] ?? '');
}

describe('value mapping tables of a project', () => {
  let terms = '';
  let currencies = '';
  let dataset: DatasetInfo;

  it('builds tables from the extract beside the values the environment holds, with suggestions', async () => {
    const created = await bench.client.call('values.create', {
      dir,
      entity: 'Customers V3',
      field: 'PAYMENTTERMS',
      name: 'Payment terms',
      sourceColumn: 'Terms',
    });
    terms = created.id;
    expect(created.file.targets).toBeNull();
    const read = await bench.client.call('values.readTargets', { dir, id: terms, from: 'environment' });
    expect(read.file.targets?.origin).toContain('Terms of payment in Emulator (USMF)');
    expect(read.file.targets?.values.map((v) => v.value)).toEqual(
      expect.arrayContaining(['Net10', 'Net14', 'Net30', 'COD']),
    );
    currencies = (
      await bench.client.call('values.create', {
        dir,
        entity: 'Customers V3',
        field: 'SALESCURRENCYCODE',
        sourceColumn: 'Currency',
      })
    ).id;
    const currencyTargets = await bench.client.call('values.readTargets', {
      dir,
      id: currencies,
      from: 'environment',
    });
    expect(currencyTargets.file.targets?.values.find((v) => v.value === 'EUR')?.label).toBe('Euro');

    dataset = await open(join(dir, 'legacy/customers.csv'));
    const draft = await bench.client.call('values.draft', { dir, id: terms, datasetId: dataset.id });
    expect(draft.column).toBe('Terms');
    const best = Object.fromEntries(draft.values.map((v) => [v.value, v.suggestions[0]?.to ?? null]));
    expect(best).toMatchObject({ 'NET 30': 'Net30', '30 days': 'Net30', N10: 'Net10', '14 days': 'Net14' });
    expect(draft.values.find((v) => v.value === 'COD')?.status).toBe('valid');
    expect(draft.values.find((v) => v.value === 'Prepaid')?.suggestions).toEqual([]);
    expect(draft.counts.unmapped).toBe(6);
  });

  it('clusters a column in the row store, with counts, by key collision and by edit distance', async () => {
    const currency = dataset.columns.findIndex((c) => c.name === 'Currency');
    const keyed = await bench.client.call('datasets.clusters', {
      id: dataset.id,
      column: currency,
      method: 'fingerprint',
    });
    expect(keyed).toMatchObject({ distinct: 5, rows: 7, clusterCount: 1 });
    expect(keyed.clusters[0]?.values).toEqual([
      { value: 'USD', count: 2 },
      { value: 'usd', count: 2 },
    ]);
    const near = await bench.client.call('datasets.clusters', {
      id: dataset.id,
      column: currency,
      method: 'levenshtein',
    });
    expect(near.clusters.map((c) => c.values.map((v) => v.value).sort())).toContainEqual(['EUR', 'EURO']);
  });

  it('records who set each rule and when, and says what makes a table ambiguous', async () => {
    const set = await bench.client.call('values.setRules', {
      dir,
      id: terms,
      set: [
        { kind: 'exact', from: 'NET 30', to: 'Net30', note: 'same letters' },
        { kind: 'exact', from: '30 days', to: 'Net30' },
        { kind: 'exact', from: 'N10', to: 'Net10' },
        { kind: 'pattern', from: '14*', to: 'Net14' },
      ],
    });
    expect(set.rules).toBe(4);
    expect(set.problems).toEqual([]);
    expect(set.file.rules.every((r) => r.changedBy.length > 0 && !Number.isNaN(Date.parse(r.changedAt)))).toBe(true);
    expect(set.file.history.map((h) => h.change)).toContain('added "NET 30" → "Net30"');
    const onDisk = JSON.parse(await readFile(join(dir, 'value-maps', `${terms}.json`), 'utf8')) as { rules: unknown[] };
    expect(onDisk.rules).toHaveLength(4);
    // Setting the same rule again changes nothing, not even its author or time.
    const again = await bench.client.call('values.setRules', {
      dir,
      id: terms,
      set: [{ kind: 'exact', from: 'N10', to: 'Net10' }],
    });
    expect(again.file.history).toHaveLength(set.file.history.length);
    await bench.client.call('values.setRules', {
      dir,
      id: currencies,
      set: [
        { kind: 'exact', from: 'US$', to: 'USD' },
        { kind: 'exact', from: 'EURO', to: 'EUR' },
      ],
    });
  });

  it('applies a table as a recipe step, flags what is left in the grid, and replays it on the next extract', async () => {
    await bench.client.call('datasets.validate', { id: dataset.id, entity: 'Customers V3' });
    await expect
      .poll(
        async () =>
          (await bench.client.call('datasets.issues', { id: dataset.id })).byRule.find((r) => r.rule === 'value-map')
            ?.count ?? 0,
        { timeout: 30_000 },
      )
      .toBe(6 + 2);
    const applied = await bench.client.call('values.apply', { dir, id: terms, datasetId: dataset.id });
    // "Net 30" is "NET 30" as DMF compares values (trimmed, any case).
    expect(applied.steps[0]).toMatchObject({ cells: 5, skipped: null });
    await bench.client.call('values.apply', { dir, id: currencies, datasetId: dataset.id });
    expect(await column(dataset.id, 'Terms')).toEqual(['Net30', 'Net30', 'Net10', 'Net30', 'COD', 'Net14', 'Prepaid']);
    // "usd" is the F&O value USD as DMF compares it: left as it is.
    expect(await column(dataset.id, 'Currency')).toEqual(['USD', 'usd', 'EUR', 'USD', 'EUR', 'usd', 'USD']);
    // "Prepaid" has no rule: a warning on its cell.
    await expect
      .poll(
        async () =>
          (await bench.client.call('datasets.issues', { id: dataset.id })).byRule.find((r) => r.rule === 'value-map')
            ?.count ?? 0,
        { timeout: 30_000 },
      )
      .toBe(1);
    const page = await bench.client.call('datasets.rows', { id: dataset.id, start: 6, count: 1 });
    expect(page.rows[0]?.issues?.find((i) => i.rule === 'value-map')?.message).toContain(
      '"Prepaid" has no rule in the value table "Payment terms"',
    );
    const recipe = await bench.client.call('datasets.recipe', { id: dataset.id });
    expect(recipe.map((r) => r.description)).toEqual([
      'Map Terms with the value table "Payment terms" (4 rules)',
      'Map Currency with the value table "Customers V3 SALESCURRENCYCODE" (2 rules)',
    ]);
    const saved = await bench.client.call('datasets.saveRecipe', {
      id: dataset.id,
      name: 'Customer codes',
      project: dir,
    });
    // The table grows after the recipe was saved: the replay uses it as it is then.
    await bench.client.call('values.setRules', {
      dir,
      id: terms,
      set: [{ kind: 'exact', from: 'NET 90', to: 'Net45' }],
    });
    const next = await open(join(dir, 'legacy/customers-2.csv'));
    const replay = await bench.client.call('datasets.applyRecipe', {
      id: next.id,
      recipeId: saved[0]?.id ?? '',
      project: dir,
    });
    expect(replay.steps.map((s) => s.skipped)).toEqual([null, null]);
    expect(await column(next.id, 'Terms')).toEqual(['Net30', 'Net10', 'Net45']);
    expect(await column(next.id, 'Currency')).toEqual(['USD', 'EUR', 'usd']);

    // The package wizard's readiness check: of the open, mapped extract only "Prepaid" is left...
    const plan = await bench.client.call('packages.plan', { dir });
    expect(plan.entities[0]?.valueMaps.map((m) => [m.column, m.legacyRows, m.unmappedRows, m.unmapped])).toEqual([
      ['Terms', 0, 1, ['Prepaid']],
      ['Currency', 0, 0, []],
    ]);
    // ...and a fresh extract read from disk still holds every legacy value.
    await bench.client.call('datasets.close', { id: next.id });
    const entities = plan.document.entities.map((e) => ({ ...e, sourceFile: 'legacy/customers-2.csv' }));
    await bench.client.call('projects.update', { dir, entities });
    const fresh = await bench.client.call('packages.plan', { dir });
    expect(fresh.entities[0]?.valueMaps.map((m) => [m.column, m.legacyRows, m.unmappedRows])).toEqual([
      ['Terms', 3, 0],
      ['Currency', 2, 0],
    ]);
    // "Save or run" lists them as the check's warnings, with the table as their source.
    const check = await bench.client.call('packages.check', { dir });
    const mapped = check.sources[0]?.rules.find((r) => r.rule === 'value-map');
    expect(mapped?.count).toBe(5);
    expect(mapped?.severity).toBe('warning');
    expect(mapped?.examples.map((e) => e.column)).toEqual(['Terms', 'Currency']);
    await bench.client.call('projects.update', { dir, entities: plan.document.entities });
  });

  it('round-trips a table through CSV and xlsx for a process owner, neutralising formula-looking cells', async () => {
    const groups = await bench.client.call('values.create', {
      dir,
      entity: 'Customers V3',
      field: 'CUSTOMERGROUPID',
      sourceColumn: 'Group',
    });
    for (const ext of ['csv', 'xlsx'] as const) {
      const path = join(dir, `groups.${ext}`);
      const written = await bench.client.call('values.export', { dir, id: groups.id, path, datasetId: dataset.id });
      expect(written.rows).toBe(4);
      const reader = await openRowReader(await fileSource(path), ext);
      const rows: string[][] = [];
      for await (const batch of reader) rows.push(...batch.rows);
      expect(reader.columns.slice(0, 3)).toEqual(['Legacy value', 'F&O value', 'Rule']);
      const formula = rows.find((r) => r[0]?.includes('HYPERLINK'));
      expect(formula?.[0]).toBe(ext === 'csv' ? `'=HYPERLINK("x")` : '=HYPERLINK("x")');
      // The process owner fills in the F&O values and sends the file back.
      const filled = rows.map((r) => {
        const to = r[0] === 'WHOLESALE' ? '10' : r[0] === 'Retail' ? '20' : r[0]?.includes('HYPERLINK') ? '90' : '';
        return [r[0] ?? '', to, ...r.slice(2)];
      });
      const back = join(dir, `groups-filled.${ext}`);
      await rewrite(back, ext, reader.columns, filled);
      const imported = await bench.client.call('values.import', { dir, id: groups.id, path: back });
      expect(imported.added + imported.unchanged).toBe(3);
      expect(imported.skipped).toEqual([]);
      const rules = imported.table.file.rules.map((r) => [r.from, r.to]);
      expect(rules).toEqual(
        expect.arrayContaining([
          ['WHOLESALE', '10'],
          ['Retail', '20'],
          ['=HYPERLINK("x")', '90'],
        ]),
      );
    }
  });
});

async function rewrite(path: string, ext: 'csv' | 'xlsx', columns: readonly string[], rows: string[][]): Promise<void> {
  const { createRowWriter } = await import('../../../electron/services/sources/dataFiles');
  const { createWriteStream } = await import('node:fs');
  const { finished } = await import('node:stream/promises');
  if (ext === 'csv') {
    const escape = (c: string) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
    await writeFile(path, `\uFEFF${[columns, ...rows].map((r) => r.map(escape).join(',')).join('\r\n')}\r\n`);
    return;
  }
  const stream = createWriteStream(path);
  const writer = createRowWriter('xlsx', stream, { columns, file: path, sheetName: 'Value mapping' });
  await writer.write(rows);
  await writer.end();
  await finished(stream);
}
