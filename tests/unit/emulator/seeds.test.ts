import { describe, expect, it } from 'vitest';
import { BUILT_IN_CATALOG, indexCatalog } from '../../../shared/domain/catalog';
import { COMPANIES, demoData } from '../../../emulator/seeds/demoData';
import { seedRecords } from '../../../emulator/seeds/seed';
import { RecordStore } from '../../../emulator/store/records';

describe('emulator seed data', () => {
  it('is deterministic', () => {
    expect(JSON.stringify(demoData())).toBe(JSON.stringify(demoData()));
  });

  it('loads through the import pipeline without a single staging or target error', async () => {
    const catalog = indexCatalog(BUILT_IN_CATALOG);
    const store = new RecordStore(catalog);
    await seedRecords(catalog, store);
    for (const company of COMPANIES) {
      expect(store.tableByName('Customers V3')!.size(company)).toBeGreaterThanOrEqual(25);
      expect(store.tableByName('Vendors V2')!.size(company)).toBeGreaterThanOrEqual(15);
      expect(store.tableByName('Customer groups')!.size(company)).toBe(4);
      expect(store.tableByName('Sales tax codes')!.size(company)).toBeGreaterThanOrEqual(2);
      expect(store.tableByName('Released products V2')!.size(company)).toBeGreaterThan(10);
    }
    expect(store.tableByName('Currencies')!.size('USMF')).toBe(8);
    const demf = [...store.tableByName('Customers V3')!.records('DEMF')][0]!;
    const currency = store.tableByName('Customers V3')!.fieldIndex.get('SALESCURRENCYCODE')!;
    expect(demf.values[currency]).toBe('EUR');
  });
});
