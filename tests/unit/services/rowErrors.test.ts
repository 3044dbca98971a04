import { describe, expect, it } from 'vitest';
import { LineageBuilder, locate } from '../../../electron/services/jobs/lineage';
import { mapErrors } from '../../../electron/services/jobs/rowErrors';
import type { EntityErrorFiles, RowSource } from '../../../electron/services/jobs/rowErrors';

/** An in-memory RowSource, handed out in batches of two rows to exercise firstRow. */
function rows(columns: string[], data: string[][]): () => Promise<RowSource> {
  return async () => ({
    columns,
    close: async () => {},
    async *[Symbol.asyncIterator]() {
      for (let i = 0; i < data.length; i += 2) yield { rows: data.slice(i, i + 2), firstRow: i + 1 };
    },
  });
}

const groups: EntityErrorFiles = {
  label: 'Customer groups',
  keyFields: ['CUSTOMERGROUPID'],
  stagingFieldOf: (c) => c.toUpperCase(),
  openPackageRows: rows(
    ['CUSTOMERGROUPID', 'DESCRIPTION', 'PAYMENTTERMID'],
    [
      ['10', 'Wholesale', 'Net30'],
      ['20', 'Retail', 'Net99'],
      ['30', 'Intercompany', 'Net30'],
      ['40', 'Staff', 'bad date'],
      ['Gov', 'Government', 'Net30'],
    ],
  ),
  // F&O repeats the failing input rows; column order may differ.
  openStagingErrors: rows(
    ['DESCRIPTION', 'CUSTOMERGROUPID', 'PAYMENTTERMID'],
    [
      ['Retail', '20', 'Net99'],
      ['Staff', '40', 'BAD DATE (reformatted)'],
    ],
  ),
  openTargetErrorKeys: rows(['CUSTOMERGROUPID'], [['  GOV ']]),
};

const customers: EntityErrorFiles = {
  label: 'Customers V3',
  keyFields: ['CUSTOMERACCOUNT'],
  // The file's column "Account" feeds the staging field CUSTOMERACCOUNT.
  stagingFieldOf: (c) => (c === 'Account' ? 'CUSTOMERACCOUNT' : c.toUpperCase()),
  openPackageRows: rows(
    ['Account', 'NAME'],
    [
      ['C1', 'Adatum'],
      ['C2', 'Contoso'],
      ['C3', 'Fabrikam'],
    ],
  ),
  openStagingErrors: null,
  openTargetErrorKeys: rows(['CUSTOMERACCOUNT'], [['c3']]),
};

function lineage() {
  const builder = new LineageBuilder();
  const g = builder.entity('Customer groups', 'Customer groups.csv');
  g.add('legacy/groups-a.csv', 10, 3);
  g.add('legacy/groups-b.csv', 1, 2);
  g.end();
  const c = builder.entity('Customers V3', 'Customers V3.csv');
  c.add('legacy/customers.xlsx', 1, 3);
  c.end();
  return builder.build();
}

describe('mapping F&O errors to source rows', () => {
  it('locates package rows through lineage segments, merging consecutive runs', () => {
    const builder = new LineageBuilder();
    const e = builder.entity('E', 'E.csv');
    e.add('a.csv', 1, 2000);
    e.add('a.csv', 2001, 2000);
    e.add('b.csv', 7, 1);
    e.add('a.csv', 9000, 5);
    expect(e.end().segments).toHaveLength(3);
    const built = builder.build();
    expect(locate(built, 'e', 3999)).toEqual({ sourceFile: 'a.csv', sourceRow: 3999 });
    expect(locate(built, 'E', 4001)).toEqual({ sourceFile: 'b.csv', sourceRow: 7 });
    expect(locate(built, 'E', 4004)).toEqual({ sourceFile: 'a.csv', sourceRow: 9002 });
    expect(locate(built, 'E', 4006)).toEqual({ sourceFile: 'a.csv', sourceRow: 9004 });
    expect(locate(built, 'E', 4007)).toBeNull();
    expect(locate(built, 'Other', 1)).toBeNull();
  });

  it('maps staging rows, target keys and RecId-named messages to the original source rows', async () => {
    // Staging RecIds run through both entities in processing order from 1001.
    const messages = [
      { recordId: '1002', field: 'PAYMENTTERMID', message: "Payment terms 'Net99' do not exist.", raw: {} },
      { recordId: '1004', field: 'PAYMENTTERMID', message: 'Invalid date.', raw: {} },
      { recordId: '1005', field: '', message: 'Results. Validations failed while writing entity record.', raw: {} },
      { recordId: '1008', field: 'CUSTGROUP', message: 'Customer group does not exist.', raw: {} },
      { recordId: '', field: null, message: 'Batch task 3 was restarted.', raw: {} },
    ];
    const { entities, rowErrors } = await mapErrors([groups, customers], messages, lineage());
    expect(entities.map((e) => [e.label, e.stagingErrors, e.targetErrors, e.unmatched])).toEqual([
      ['Customer groups', 2, 1, 0],
      ['Customers V3', 0, 1, 0],
    ]);
    expect(rowErrors).toEqual([
      {
        entity: 'Customer groups',
        sourceFile: 'legacy/groups-a.csv',
        sourceRow: 11,
        field: 'PAYMENTTERMID',
        message: "Payment terms 'Net99' do not exist.",
        stage: 'staging',
      },
      // Matched by key: the staging file rewrote a value, so the content differs.
      {
        entity: 'Customer groups',
        sourceFile: 'legacy/groups-b.csv',
        sourceRow: 1,
        field: 'PAYMENTTERMID',
        message: 'Invalid date.',
        stage: 'staging',
      },
      {
        entity: 'Customer groups',
        sourceFile: 'legacy/groups-b.csv',
        sourceRow: 2,
        field: '',
        message: 'Results. Validations failed while writing entity record.',
        stage: 'target',
      },
      {
        entity: 'Customers V3',
        sourceFile: 'legacy/customers.xlsx',
        sourceRow: 3,
        field: 'CUSTGROUP',
        message: 'Customer group does not exist.',
        stage: 'target',
      },
      {
        entity: '',
        sourceFile: null,
        sourceRow: null,
        field: null,
        message: 'Batch task 3 was restarted.',
        stage: 'execution',
      },
    ]);
  });

  it('still reports every failed row when F&O gives no messages, and counts error rows it cannot place', async () => {
    const strays: EntityErrorFiles = {
      ...customers,
      openTargetErrorKeys: rows(['CUSTOMERACCOUNT'], [['C2'], ['NOPE']]),
    };
    const { entities, rowErrors } = await mapErrors([strays], [], null);
    expect(entities[0]).toMatchObject({ targetErrors: 2, unmatched: 1 });
    expect(rowErrors).toEqual([
      {
        entity: 'Customers V3',
        sourceFile: null,
        sourceRow: null,
        field: null,
        message: expect.stringContaining('failed from staging to target'),
        stage: 'target',
      },
    ]);
  });

  it('maps identical duplicate rows to distinct package rows', async () => {
    const dup: EntityErrorFiles = {
      label: 'Customer groups',
      keyFields: ['CUSTOMERGROUPID'],
      stagingFieldOf: (c) => c,
      openPackageRows: rows(['CUSTOMERGROUPID'], [['10'], ['10'], ['10']]),
      openStagingErrors: rows(['CUSTOMERGROUPID'], [['10'], ['10']]),
      openTargetErrorKeys: null,
    };
    const { entities } = await mapErrors([dup], [], null);
    expect(entities[0]!.failed.map((f) => f.packageRow)).toEqual([1, 2]);
  });
});
