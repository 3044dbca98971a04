import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_CATALOG, indexCatalog } from '../../../shared/domain/catalog';
import { runImport, standaloneInput } from '../../../emulator/processing/importer';
import { TextColumns, detached } from '../../../emulator/store/columns';
import { INSTANT } from '../../../emulator/processing/schedule';
import { RecordStore } from '../../../emulator/store/records';

const catalog = indexCatalog(BUILT_IN_CATALOG);

describe('emulator record store (column-wise)', () => {
  it('reads back what it stores: lazy columns, dictionaries that turn plain, rewrites that clear', () => {
    const t = new TextColumns(4);
    for (let i = 0; i < 5000; i++)
      t.push([`A${i}`, i % 3 === 0 ? 'USD' : 'EUR', '', i === 4000 ? 'late' : ''], [0, 1, 3]);
    expect(t.length).toBe(5000);
    expect([t.value(0, 0), t.value(0, 1), t.value(0, 2), t.value(0, 3)]).toEqual(['A0', 'USD', '', '']);
    expect(t.read(4000)).toEqual(['A4000', 'EUR', '', 'late']);
    expect(t.read(4999)).toEqual(['A4999', 'EUR', '', '']);
    // An early row rewritten after the column went plain keeps every other row.
    t.write(10, ['B10', 'GBP', 'x', '']);
    expect(t.read(10)).toEqual(['B10', 'GBP', 'x', '']);
    expect(t.read(11)).toEqual(['A11', 'EUR', '', '']);
    expect(t.read(4000)).toEqual(['A4000', 'EUR', '', 'late']);
    t.write(4000, ['C', '', '', ''], [0]);
    expect(t.read(4000)).toEqual(['C', '', '', '']);
    expect(t.same(4000, ['C'])).toBe(true);
    expect(t.same(4000, ['C', 'EUR'])).toBe(false);
    const long = 'x'.repeat(40) + '\ud800';
    expect(detached(long)).toBe(long);
  });

  it('keeps versions, finds by key case-insensitively, and round-trips a snapshot without trailing empty values', () => {
    const store = new RecordStore(catalog);
    const groups = store.tableByName('Customer groups')!;
    const width = groups.entity.fields.length;
    const row = (id: string, description: string) => {
      const values = new Array<string>(width).fill('');
      values[groups.fieldIndex.get('CUSTOMERGROUPID')!] = id;
      values[groups.fieldIndex.get('DESCRIPTION')!] = description;
      return values;
    };
    expect(groups.upsert('usmf', row('10', 'Wholesale'))).toBe('created');
    expect(groups.upsert('USMF', row('10', 'Wholesale'))).toBe('unchanged');
    expect(groups.upsert('USMF', row('10', 'Wholesale (new)'))).toBe('updated');
    expect(groups.upsert('DEMF', row('20', 'Retail'))).toBe('created');
    expect(groups.find('USMF', ['10'])).toMatchObject({ version: 2 });
    expect(groups.find('usmf', ['10'])?.values[groups.fieldIndex.get('DESCRIPTION')!]).toBe('Wholesale (new)');
    expect(groups.size('USMF')).toBe(1);
    expect(groups.companies().sort()).toEqual(['DEMF', 'USMF']);

    const snapshot = store.snapshot();
    const saved = snapshot.tables.CustCustomerGroupEntity!.USMF![0]!;
    expect(saved.length).toBeLessThan(width + 1);
    const again = new RecordStore(catalog);
    again.restore(JSON.parse(JSON.stringify(snapshot)));
    expect(again.version).toBe(3);
    expect([...again.tableByName('Customer groups')!.records('USMF')]).toEqual([...groups.records('USMF')]);
    groups.clear('USMF');
    expect(groups.size('USMF')).toBe(0);
    expect(groups.hasKey('USMF', ['10'])).toBe(false);
  });

  it('holds a large import in a few hundred bytes a row, not the kilobyte of full-width rows', async () => {
    setFlagsFromString('--expose_gc');
    const gc = runInNewContext('gc') as () => void;
    const heap = (): number => {
      gc();
      gc();
      return process.memoryUsage().heapUsed;
    };
    const rows = 100_000;
    const columns = ['CUSTOMERACCOUNT', 'ORGANIZATIONNAME', 'CUSTOMERGROUPID', 'SALESCURRENCYCODE', 'CREDITLIMIT'];
    const store = new RecordStore(catalog);
    // What the customers refer to: a customer group and a currency.
    for (const [entity, field, value] of [
      ['Customer groups', 'CUSTOMERGROUPID', '10'],
      ['Currencies', 'CURRENCYCODE', 'USD'],
    ] as const) {
      const table = store.tableByName(entity)!;
      const values = new Array<string>(table.entity.fields.length).fill('');
      values[table.fieldIndex.get(field)!] = value;
      table.upsert('USMF', values);
    }
    const before = heap();
    const result = await runImport(
      [
        standaloneInput('Customers V3', async () => ({
          columns,
          async *[Symbol.asyncIterator]() {
            for (let start = 0; start < rows; start += 10_000) {
              const batch = [];
              for (let i = start; i < start + 10_000; i++)
                batch.push([`M${i}`, `Customer number ${i} Inc.`, '10', 'USD', String((i % 50) * 100)]);
              yield { rows: batch, firstRow: start + 1 };
            }
          },
        })),
      ],
      { executionId: 'memory', company: 'USMF', execute: true, stagingFailureRate: 0, targetFailureRate: 0 },
      catalog,
      store,
      INSTANT,
    );
    expect(result.entities[0]!.targetCreated).toBe(rows);
    const perRow = (heap() - before) / rows;
    console.log(`retained heap per imported row: ${perRow.toFixed(0)} bytes`);
    expect(store.tableByName('Customers V3')!.size('USMF')).toBe(rows);
    expect(perRow).toBeLessThan(300);
  });
});
