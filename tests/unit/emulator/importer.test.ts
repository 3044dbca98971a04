import { describe, expect, it } from 'vitest';
import { BUILT_IN_CATALOG, indexCatalog } from '../../../shared/domain/catalog';
import { runImport } from '../../../emulator/processing/importer';
import type { ImportEntityInput, SourceRows } from '../../../emulator/processing/importer';
import { INSTANT } from '../../../emulator/processing/schedule';
import { RecordStore } from '../../../emulator/store/records';

const catalog = indexCatalog(BUILT_IN_CATALOG);

function rows(columns: string[], data: string[][]): SourceRows {
  return {
    columns,
    async *[Symbol.asyncIterator]() {
      yield { rows: data, firstRow: 1 };
    },
  };
}

function entity(
  name: string,
  level: number,
  columns: string[],
  data: string[][],
  extra: Partial<ImportEntityInput> = {},
): ImportEntityInput {
  return {
    name,
    executionUnit: 1,
    level,
    sequence: 1,
    failLevelOnError: false,
    failExecutionUnitOnError: false,
    maps: null,
    open: async () => rows(columns, data),
    ...extra,
  };
}

const settings = { executionId: 'job-1', company: 'usmf', execute: true, stagingFailureRate: 0, targetFailureRate: 0 };

describe('emulator import processing (source → staging → target)', () => {
  it('puts type errors and duplicate keys in staging, missing references in target, and upserts the rest', async () => {
    const store = new RecordStore(catalog);
    const result = await runImport(
      [
        entity(
          'Terms of payment',
          1,
          ['NAME', 'DESCRIPTION', 'NUMBEROFDAYS'],
          [
            ['Net30', 'Net 30 days', '30'],
            ['Net10', 'Net 10 days', 'ten'],
          ],
        ),
        entity(
          'Customer groups',
          2,
          ['CUSTOMERGROUPID', 'DESCRIPTION', 'PAYMENTTERMID'],
          [
            ['10', 'Wholesale', 'Net30'],
            ['20', 'Retail', 'Net10'],
            ['10', 'Duplicate', 'Net30'],
          ],
        ),
      ],
      settings,
      catalog,
      store,
      INSTANT,
    );
    expect(result.fatal).toBeNull();
    const [terms, groups] = result.entities;
    expect(terms).toMatchObject({
      label: 'Terms of payment',
      stagingRecords: 1,
      stagingErrorCount: 1,
      targetCreated: 1,
    });
    expect(terms!.stagingErrorRows.rows).toEqual([['Net10', 'Net 10 days', 'ten']]);
    // Group 20 refers to Net10, which failed staging: a target error with its key in the keys file.
    expect(groups).toMatchObject({ stagingRecords: 2, stagingErrorCount: 1, targetCreated: 1, targetErrorCount: 1 });
    expect(groups!.stagingErrorRows.rows).toEqual([['10', 'Duplicate', 'Net30']]);
    expect(groups!.targetErrorKeys).toEqual([['20']]);
    expect(result.messages.map((m) => m.ErrorMessage)).toEqual([
      expect.stringContaining("'ten' of field NUMBEROFDAYS is not a whole number"),
      expect.stringContaining('Duplicate key'),
      expect.stringContaining("PAYMENTTERMID='Net10' does not exist in Terms of payment"),
    ]);
    const table = store.tableByName('Customer groups')!;
    expect([...table.records('USMF')].map((r) => r.values[table.keyIndex[0]!])).toEqual(['10']);
    // Company-specific: nothing in another legal entity.
    expect(table.size('DEMF')).toBe(0);
  });

  it('follows levels: a reference created in a later level does not exist yet', async () => {
    const store = new RecordStore(catalog);
    const result = await runImport(
      [
        entity('Customer groups', 1, ['CUSTOMERGROUPID', 'PAYMENTTERMID'], [['30', 'Net45']]),
        entity('Terms of payment', 2, ['NAME'], [['Net45']]),
      ],
      settings,
      catalog,
      store,
      INSTANT,
    );
    expect(result.entities.map((e) => [e.label, e.targetCreated, e.targetErrorCount])).toEqual([
      ['Customer groups', 0, 1],
      ['Terms of payment', 1, 0],
    ]);
  });

  it('stops at staging when execute=false, and skips the rest of a level on FailLevelOnError', async () => {
    const store = new RecordStore(catalog);
    const staged = await runImport(
      [entity('Terms of payment', 1, ['NAME'], [['N1']])],
      { ...settings, execute: false },
      catalog,
      store,
      INSTANT,
    );
    expect(staged.entities[0]).toMatchObject({ stagingRecords: 1, targetStatus: 'NotRun', targetCreated: 0 });
    expect(store.tableByName('Terms of payment')!.size('USMF')).toBe(0);

    const stopped = await runImport(
      [
        entity('Terms of payment', 1, ['NAME', 'NUMBEROFDAYS'], [['N1', 'x']], { failLevelOnError: true }),
        entity('Modes of delivery', 1, ['MODECODE'], [['Truck']], { sequence: 2 }),
        entity('Customer groups', 2, ['CUSTOMERGROUPID'], [['40']]),
      ],
      settings,
      catalog,
      store,
      INSTANT,
    );
    expect(stopped.entities.map((e) => [e.label, e.stagingStatus, e.targetStatus])).toEqual([
      ['Terms of payment', 'Error', 'Finished'],
      ['Modes of delivery', 'Finished', 'NotRun'],
      ['Customer groups', 'Finished', 'Finished'],
    ]);
  });

  it('maps source columns through the manifest map, converts enums by label, and updates by key case-insensitively', async () => {
    const store = new RecordStore(catalog);
    const maps = [
      { xmlField: 'Term', entityField: 'NAME' },
      { xmlField: 'Cash', entityField: 'ISCASHPAYMENT' },
    ];
    await runImport(
      [entity('Terms of payment', 1, ['Term', 'Cash'], [['Net7', 'Yes']], { maps })],
      settings,
      catalog,
      store,
      INSTANT,
    );
    const second = await runImport(
      [entity('Terms of payment', 1, ['Term', 'Cash'], [['NET7', 'no']], { maps })],
      settings,
      catalog,
      store,
      INSTANT,
    );
    expect(second.entities[0]).toMatchObject({ targetCreated: 0, targetUpdated: 1 });
    const table = store.tableByName('Terms of payment')!;
    const record = [...table.records('USMF')][0]!;
    expect(record.values[table.fieldIndex.get('ISCASHPAYMENT')!]).toBe('No');
  });

  it('injects a deterministic share of failures on the fault rates', async () => {
    const data = Array.from({ length: 1000 }, (_, i) => [`T${i}`]);
    const run = async () =>
      runImport(
        [entity('Terms of payment', 1, ['NAME'], data)],
        { ...settings, stagingFailureRate: 0.1 },
        catalog,
        new RecordStore(catalog),
        INSTANT,
      );
    const a = await run();
    const b = await run();
    expect(a.entities[0]!.stagingErrorCount).toBeGreaterThan(50);
    expect(a.entities[0]!.stagingErrorCount).toBeLessThan(150);
    expect(b.entities[0]!.stagingErrorCount).toBe(a.entities[0]!.stagingErrorCount);
  });

  it('fails the whole job on an entity the environment does not know', async () => {
    const result = await runImport(
      [entity('Flux capacitors', 1, ['X'], [])],
      settings,
      catalog,
      new RecordStore(catalog),
      INSTANT,
    );
    expect(result.fatal).toContain("'Flux capacitors' is not a data entity");
  });

  it('runs execution units side by side on the emulator clock, levels in order inside each unit', async () => {
    const store = new RecordStore(catalog);
    const unit = (executionUnit: number) => ({ executionUnit });
    // 100 ms a row per step: unit 1 spends 2 s on its ten modes of delivery before its terms.
    const result = await runImport(
      [
        entity(
          'Modes of delivery',
          1,
          ['MODECODE'],
          Array.from({ length: 10 }, (_, i) => [`M${i}`]),
          unit(1),
        ),
        entity('Terms of payment', 2, ['NAME'], [['Net77']], unit(1)),
        entity('Customer groups', 1, ['CUSTOMERGROUPID', 'PAYMENTTERMID'], [['77', 'Net77']], unit(2)),
        entity(
          'Units',
          1,
          ['UNITSYMBOL'],
          Array.from({ length: 40 }, (_, i) => [`U${i}`]),
          unit(3),
        ),
        entity('Vendor groups', 2, ['VENDORGROUPID', 'DEFAULTPAYMENTTERMNAME'], [['V77', 'Net77']], unit(3)),
      ],
      settings,
      catalog,
      store,
      { startAt: 1000, stepMs: (rows) => rows * 100 },
    );
    const times = Object.fromEntries(
      result.entities.map((e) => [e.label, [e.startedAt, e.stagingCompletedAt, e.targetStartedAt, e.completedAt]]),
    );
    expect(times).toEqual({
      'Modes of delivery': [1000, 2000, 2000, 3000],
      'Terms of payment': [3000, 3100, 3100, 3200],
      // Unit 2 starts with unit 1, not after it.
      'Customer groups': [1000, 1100, 1100, 1200],
      Units: [1000, 5000, 5000, 9000],
      'Vendor groups': [9000, 9100, 9100, 9200],
    });
    // The job lasts as long as its longest unit, not the sum of all.
    expect(result.endsAt).toBe(9200);
    // Unit 2's group ran before unit 1 created Net77; unit 3's vendor group ran after.
    const outcome = Object.fromEntries(result.entities.map((e) => [e.label, [e.targetCreated, e.targetErrorCount]]));
    expect(outcome['Customer groups']).toEqual([0, 1]);
    expect(outcome['Vendor groups']).toEqual([1, 0]);
    expect(result.messages.map((m) => m.entity)).toEqual(['Customer groups']);
  });

  it('stops a level or a unit on error without stopping the other units', async () => {
    const result = await runImport(
      [
        entity('Terms of payment', 1, ['NAME', 'NUMBEROFDAYS'], [['N1', 'x']], { failExecutionUnitOnError: true }),
        entity('Modes of delivery', 2, ['MODECODE'], [['Truck']]),
        entity('Terms of delivery', 1, ['TERMSCODE', 'DESCRIPTION'], [['FOB', 'Free on board']], {
          executionUnit: 2,
        }),
        entity('Units', 2, ['UNITSYMBOL'], [['ea']], { executionUnit: 2 }),
      ],
      settings,
      catalog,
      new RecordStore(catalog),
      { startAt: 0, stepMs: () => 10 },
    );
    expect(result.entities.map((e) => [e.label, e.targetStatus, e.targetStartedAt])).toEqual([
      ['Terms of payment', 'Finished', 10],
      ['Modes of delivery', 'NotRun', null],
      ['Terms of delivery', 'Finished', 10],
      ['Units', 'Finished', 30],
    ]);
  });
});
