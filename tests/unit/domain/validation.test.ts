import { describe, expect, it } from 'vitest';
import { BUILT_IN_CATALOG, assembleCatalog, indexCatalog } from '../../../shared/domain/catalog';
import {
  date,
  defineEntity,
  defineEnum,
  enumOf,
  guid,
  int,
  int64,
  noYes,
  real,
  ref,
  text,
  time,
  utcDateTime,
} from '../../../shared/domain/catalog/define';
import {
  KeySet,
  RULE_CODES,
  createValidationSession,
  mapColumns,
  validateRows,
} from '../../../shared/domain/validation';
import type { Finding } from '../../../shared/domain/validation';

const builtIn = indexCatalog(BUILT_IN_CATALOG);

/**
 * A catalog with one field of every type, a two-field key and a self reference, standing for an
 * environment's own metadata: its rules are F&O's word, so their findings are errors.
 */
const TEST_METADATA = { layer: 'metadata', label: 'TEST metadata of 2026-12-01' } as const;
const typed = indexCatalog({
  provenance: TEST_METADATA,
  ...assembleCatalog(
    'test',
    [
      defineEntity({
        label: 'Everything',
        publicEntityName: 'Everything',
        publicCollectionName: 'Everythings',
        targetEntity: 'EverythingEntity',
        area: 'System setup',
        companySpecific: true,
        keys: ['CODE', 'LINE'],
        fields: [
          text('Code', 5),
          int('Line'),
          int64('Big'),
          real('Amount'),
          date('Day'),
          utcDateTime('Stamp'),
          time('Clock'),
          guid('Id'),
          enumOf('Color', 'Color'),
          noYes('Active'),
          text('Name', 10, { mandatory: true }),
          text('ParentCode', 5),
          int('ParentLine'),
        ],
        relations: [ref(['PARENTCODE', 'PARENTLINE'], 'EverythingEntity')],
        fieldCoverage: 'complete',
        sources: [{ kind: 'inferred', ref: 'test', covers: 'all' }],
      }),
    ],
    [
      defineEnum(
        'NoYes',
        [
          ['No', 0],
          ['Yes', 1],
        ],
        [],
      ),
      defineEnum(
        'Color',
        [
          ['Red', 0],
          ['DarkBlue', 1, 'Dark blue'],
        ],
        [],
      ),
    ],
  ),
});
const HEADER = ['CODE', 'LINE', 'BIG', 'AMOUNT', 'DAY', 'STAMP', 'CLOCK', 'ID', 'COLOR', 'ACTIVE', 'NAME'];
const GOOD = [
  'A',
  '1',
  '9007199254740993',
  '.5',
  '2024-02-29',
  '2024-01-31T13:45:00Z',
  '13:45:00',
  '{2608F674-1C5A-4C8E-9E5D-0A2B3C4D5E6F}',
  'Dark blue',
  'Yes',
  'Alpha',
];

function check(cells: Record<string, string>, options = {}): Finding[] {
  const row = HEADER.map((h, i) => cells[h] ?? GOOD[i]!);
  return validateRows(typed, 'Everything', HEADER, [row], options).findings;
}
const rules = (findings: Finding[]) => findings.map((f) => `${f.rule}:${f.field ?? f.column}`);

describe('cell rules', () => {
  it('accepts a row that is right in every field', () => {
    expect(check({})).toEqual([]);
  });

  it.each([
    ['mandatory', { NAME: '  ' }, 'NAME', /NAME is empty but mandatory for Everything: enter a value/],
    ['int', { LINE: '1.5' }, 'LINE', /LINE "1.5" is not a whole number/],
    ['int', { LINE: '2147483648' }, 'LINE', /outside the range/],
    ['int64', { BIG: '12e3' }, 'BIG', /is not a whole number/],
    ['int64', { BIG: '9223372036854775808' }, 'BIG', /outside the range/],
    [
      'real',
      { AMOUNT: '1,234.5' },
      'AMOUNT',
      /"\." as the decimal separator and no thousands separators, e.g. 1234.56/,
    ],
    ['date', { DAY: '2023-02-29' }, 'DAY', /not a real calendar date/],
    ['date', { DAY: 'yesterday' }, 'DAY', /takes YYYY-MM-DD \(or MM\/DD\/YYYY/],
    ['date', { DAY: '1899-12-31' }, 'DAY', /outside F&O's date range/],
    ['utc-datetime', { STAMP: '2024-01-31T25:00:00Z' }, 'STAMP', /not a real calendar date or time/],
    ['time', { CLOCK: '24:10' }, 'CLOCK', /not a time of day/],
    ['time', { CLOCK: '86400' }, 'CLOCK', /more seconds than a day/],
    ['guid', { ID: '2608F674-1C5A' }, 'ID', /is not a GUID/],
    ['enum', { COLOR: 'Blue' }, 'COLOR', /not a value of Color: use one of Red, DarkBlue \(Dark blue\)/],
    ['noyes', { ACTIVE: 'Maybe' }, 'ACTIVE', /not a value of NoYes: use one of No, Yes/],
    ['max-length', { NAME: 'Exactly eleven' }, 'NAME', /is 14 characters long; NAME holds at most 10: shorten it/],
  ] as const)('%s fails on %o', (rule, cells, field, message) => {
    const findings = check(cells);
    expect(rules(findings)).toEqual([`${rule}:${field}`]);
    expect(findings[0]).toMatchObject({ row: 1, column: field, severity: 'error' });
    expect(findings[0]!.message).toMatch(message);
  });

  it('accepts the value spellings F&O and consultants use', () => {
    const ok: Record<string, string>[] = [
      { AMOUNT: '1.3357400000000000' },
      { AMOUNT: '-12' },
      { AMOUNT: '1e5' },
      { DAY: '2011-01-31 00:00:00' },
      { DAY: '1/31/2024' },
      { DAY: '2024/01/31' },
      { STAMP: '8/25/2020 13:03' },
      { STAMP: '2024-01-31' },
      { STAMP: '2024-01-31T13:45:00.1234567+02:00' },
      { CLOCK: '3600' },
      { CLOCK: '1:05 PM' },
      { ID: '2608f674-1c5a-4c8e-9e5d-0a2b3c4d5e6f' },
      { COLOR: 'darkblue' },
      { COLOR: ' RED ' },
      { ACTIVE: 'no' },
      { NAME: '  ten chars!  '.replace('!', '') },
    ];
    for (const cells of ok) expect(check(cells), JSON.stringify(cells)).toEqual([]);
  });

  it("reads dates and decimals in the file's own locale when told", () => {
    expect(
      check({ DAY: '31.01.2024', AMOUNT: '1234,5' }, { formats: { dateOrder: 'DMY', decimalSeparator: ',' } }),
    ).toEqual([]);
    expect(rules(check({ DAY: '31/01/2024' }))).toEqual(['date:DAY']);
    expect(rules(check({ AMOUNT: '1234.5' }, { formats: { decimalSeparator: ',' } }))).toEqual(['real:AMOUNT']);
  });

  it('warns (not errors) for enum numbers and booleans, which DMF does not map', () => {
    const findings = check({ COLOR: '1', ACTIVE: 'true' });
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([
      ['enum', 'warning'],
      ['noyes', 'warning'],
    ]);
    expect(findings[0]!.message).toMatch(/number behind Color.DarkBlue.*write "DarkBlue"/);
    expect(findings[1]!.message).toMatch(/write "Yes"/);
  });
});

describe('row and file rules', () => {
  it('reports a duplicate key, trimmed and case-insensitive, naming the earlier row', () => {
    const rows = [
      ['C001', 'Alpha', '10', 'USD'],
      ['c001 ', 'Beta', '10', 'USD'],
      ['C002', 'Gamma', '10', 'USD'],
    ];
    const { findings } = validateRows(
      builtIn,
      'Customers V3',
      ['CUSTOMERACCOUNT', 'ORGANIZATIONNAME', 'CUSTOMERGROUPID', 'SALESCURRENCYCODE'],
      rows,
    );
    const dup = findings.filter((f) => f.rule === 'duplicate-key');
    expect(dup).toHaveLength(1);
    // The key is the built-in catalog's word only: a warning that says so.
    expect(dup[0]).toMatchObject({
      row: 2,
      field: 'CUSTOMERACCOUNT',
      severity: 'warning',
      source: 'built-in, unverified',
    });
    expect(dup[0]!.message).toMatch(
      /CUSTOMERACCOUNT="c001 " repeats row 1 \(DMF compares keys trimmed and case-insensitive\)/,
    );
  });

  it('keys company-specific rows per DATAAREAID when the file carries it', () => {
    const header = ['CUSTOMERGROUPID', 'DATAAREAID', 'DESCRIPTION'];
    const rows = [
      ['10', 'USMF', 'a'],
      ['10', 'DEMF', 'b'],
      ['10', 'usmf', 'c'],
    ];
    const { findings } = validateRows(builtIn, 'Customer groups', header, rows);
    expect(rules(findings)).toEqual(['duplicate-key:CUSTOMERGROUPID']);
    expect(findings[0]!.row).toBe(3);
  });

  it('reports row cells beyond the header', () => {
    const { findings } = validateRows(builtIn, 'Customer groups', ['CUSTOMERGROUPID'], [['10', 'extra']]);
    expect(findings.map((f) => [f.rule, f.row])).toEqual([['extra-cells', 1]]);
    expect(findings[0]!.message).toMatch(/2 cells but the header has 1/);
  });

  it('reports columns that are unknown, doubled, and keys or mandatory fields without a column', () => {
    const { findings } = validateRows(typed, 'Everything', ['code', 'Bogus', 'Code'], []);
    expect(findings.map((f) => [f.rule, f.row, f.severity, f.field ?? f.column])).toEqual([
      ['unknown-column', 0, 'error', 'Bogus'],
      ['duplicate-column', 0, 'error', 'CODE'],
      ['unmapped-key', 0, 'error', 'LINE'],
      ['unmapped-mandatory', 0, 'error', 'NAME'],
    ]);
  });

  it('only warns about unknown columns when the catalog lists part of the fields', () => {
    const { findings } = validateRows(
      builtIn,
      'Customer groups',
      ['CUSTOMERGROUPID', 'CUSTOMERGROUPIDD'],
      [['10', 'x']],
    );
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([['unknown-column', 'warning']]);
    expect(findings[0]!.message).toMatch(/check the spelling, or validate against the environment's metadata/);
  });

  it('auto-maps header cells by staging or public name, case-insensitively', () => {
    const customers = builtIn.requireEntity('Customers V3');
    expect(mapColumns(['customeraccount', 'CustomerGroupId', ' Nope ', ''], customers)).toEqual([
      { column: 'customeraccount', field: 'CUSTOMERACCOUNT' },
      { column: 'CustomerGroupId', field: 'CUSTOMERGROUPID' },
      { column: ' Nope ', field: 'NOPE' },
      { column: '', field: null },
    ]);
  });
});

describe('references', () => {
  const groupsHeader = ['CUSTOMERGROUPID', 'DESCRIPTION'];
  const customersHeader = ['CUSTOMERACCOUNT', 'CUSTOMERGROUPID', 'SALESCURRENCYCODE', 'INVOICEACCOUNT'];

  it('checks references to another entity of the package, whichever file is validated first', () => {
    for (const order of ['groups first', 'customers first'] as const) {
      const session = createValidationSession({
        catalog: builtIn,
        packageEntities: ['Customer groups', 'Customers V3'],
      });
      const groups = session.validator(
        'Customer groups',
        mapColumns(groupsHeader, builtIn.requireEntity('Customer groups')),
      );
      const customers = session.validator(
        'Customers V3',
        mapColumns(customersHeader, builtIn.requireEntity('Customers V3')),
      );
      const findings: Finding[] = [];
      const runGroups = () => {
        findings.push(
          ...groups.validateRows(
            [
              ['10', 'Ten'],
              ['20 ', 'Twenty'],
            ],
            1,
          ),
          ...groups.finish(),
        );
      };
      const runCustomers = () => {
        findings.push(
          ...customers.validateRows(
            [
              ['C1', '10', 'USD', ''],
              ['C2', '20', 'USD', 'C1'],
              ['C3', '30', 'USD', 'C9'],
            ],
            1,
          ),
          ...customers.finish(),
        );
      };
      if (order === 'groups first') {
        runGroups();
        runCustomers();
      } else {
        runCustomers();
        runGroups();
      }
      for (const late of session.finish()) findings.push(...late.findings);
      expect(
        findings.map((f) => [f.rule, f.row, f.field]),
        order,
      ).toEqual(
        order === 'groups first'
          ? [
              ['reference', 3, 'CUSTOMERGROUPID'],
              ['reference', 3, 'INVOICEACCOUNT'],
            ]
          : [
              ['reference', 3, 'INVOICEACCOUNT'],
              ['reference', 3, 'CUSTOMERGROUPID'],
            ],
      );
      const groupFinding = findings.find((f) => f.field === 'CUSTOMERGROUPID')!;
      expect(groupFinding.message).toMatch(
        /CUSTOMERGROUPID "30" does not exist in Customer groups .*add it to Customer groups or correct the value/,
      );
      expect(customers.summary().uncheckedReferences).toEqual(['Currencies']);
    }
  });

  it('checks references against a reference snapshot of the target environment', () => {
    const { findings, summary } = validateRows(
      builtIn,
      'Customers V3',
      customersHeader,
      [
        ['C1', '10', 'usd', ''],
        ['C2', '10', 'XXX', ''],
      ],
      {
        snapshot: {
          entities: [
            { entity: 'CustomerGroups', fields: ['CustomerGroupId'], rows: [['10']] },
            {
              entity: 'Currencies',
              fields: ['CURRENCYCODE', 'NAME'],
              rows: [
                ['USD', 'US dollar'],
                ['EUR', 'Euro'],
              ],
            },
          ],
        },
      },
    );
    expect(findings.map((f) => [f.rule, f.row, f.field, f.value])).toEqual([
      ['reference', 2, 'SALESCURRENCYCODE', 'XXX'],
    ]);
    expect(summary.uncheckedReferences).toEqual([]);
  });

  it('checks multi-field and self references after the whole file', () => {
    const header = ['CODE', 'LINE', 'NAME', 'PARENTCODE', 'PARENTLINE'];
    const rows = [
      ['B', '1', 'child', 'A', '1'],
      ['A', '1', 'root', '', ''],
      ['C', '1', 'orphan', 'A', '2'],
    ];
    const { findings } = validateRows(typed, 'Everything', header, rows);
    expect(findings.map((f) => [f.rule, f.row, f.value])).toEqual([['reference', 3, 'A, 2']]);
  });
});

describe('graded findings: where each rule came from', () => {
  it('makes every rule the built-in catalog supplies at most a warning, naming it', () => {
    const { findings } = validateRows(
      builtIn,
      'Customers V3',
      ['CUSTOMERACCOUNT', 'CUSTOMERGROUPID', 'ORGANIZATIONNAME', 'SALESCURRENCYCODE'],
      [
        ['C1', '', 'A', 'USD'],
        ['C1', '10', 'x'.repeat(300), 'USD'],
      ],
    );
    expect(findings.length).toBeGreaterThanOrEqual(3);
    for (const f of findings) expect(f).toMatchObject({ severity: 'warning', source: 'built-in, unverified' });
    expect(new Set(findings.map((f) => f.rule))).toEqual(new Set(['mandatory', 'max-length', 'duplicate-key']));
  });

  it("makes the rules of an environment's own metadata errors, naming the snapshot", () => {
    const findings = check({ LINE: '1.5', NAME: '' });
    expect(findings.map((f) => [f.rule, f.severity, f.source])).toEqual([
      ['int', 'error', 'TEST metadata of 2026-12-01'],
      ['mandatory', 'error', 'TEST metadata of 2026-12-01'],
    ]);
  });

  it('keeps rules of the file format at their severity, whatever the catalog', () => {
    const { findings } = validateRows(
      builtIn,
      'Customer groups',
      ['CUSTOMERGROUPID', 'customergroupid'],
      [['10', '10', 'extra']],
    );
    expect(findings.map((f) => [f.rule, f.severity, f.source])).toEqual([
      ['duplicate-column', 'error', 'DMF file format'],
      ['extra-cells', 'error', 'DMF file format'],
    ]);
  });

  it('grades what the metadata layer only inferred (Nullable=false strings) as a warning', () => {
    const inferredCatalog = indexCatalog({
      ...typed.catalog,
      entities: typed.catalog.entities.map((e) => ({
        ...e,
        fields: e.fields.map((f) => (f.name === 'NAME' ? { ...f, mandatoryInferred: true } : f)),
      })),
    });
    const { findings } = validateRows(inferredCatalog, 'Everything', HEADER, [
      HEADER.map((h, i) => (h === 'NAME' ? '' : GOOD[i]!)),
    ]);
    expect(findings.map((f) => [f.rule, f.severity, f.source])).toEqual([
      ['mandatory', 'warning', 'TEST metadata of 2026-12-01 (inferred)'],
    ]);
  });

  it('grades a field or relation from a weaker layer by its own provenance', () => {
    const builtInField = { layer: 'built-in', label: 'built-in, unverified' } as const;
    const mixed = indexCatalog({
      ...typed.catalog,
      entities: typed.catalog.entities.map((e) => ({
        ...e,
        fields: e.fields.map((f) => (f.name === 'LINE' ? { ...f, provenance: builtInField } : f)),
      })),
    });
    const { findings } = validateRows(mixed, 'Everything', HEADER, [
      HEADER.map((h, i) => (h === 'LINE' ? 'x' : h === 'BIG' ? 'y' : GOOD[i]!)),
    ]);
    expect(findings.map((f) => [f.field, f.severity, f.source])).toEqual([
      ['LINE', 'warning', 'built-in, unverified'],
      ['BIG', 'error', 'TEST metadata of 2026-12-01'],
    ]);
  });

  it('takes a catalog that does not say where it comes from as unverified', () => {
    const anonymous = indexCatalog({ ...typed.catalog, provenance: undefined });
    const findings = validateRows(anonymous, 'Everything', HEADER, [
      HEADER.map((h, i) => (h === 'LINE' ? 'x' : GOOD[i]!)),
    ]).findings;
    expect(findings.map((f) => [f.severity, f.source])).toEqual([['warning', 'test catalog, unverified']]);
  });
});

describe('bounds', () => {
  it('keeps at most maxFindingsPerRule findings per rule and column but counts them all', () => {
    const rows = Array.from({ length: 50 }, (_, i) => [`C${i}`, '', 'USD']);
    const { findings, summary } = validateRows(
      builtIn,
      'Customers V3',
      ['CUSTOMERACCOUNT', 'CUSTOMERGROUPID', 'SALESCURRENCYCODE'],
      rows,
      {
        maxFindingsPerRule: 5,
      },
    );
    expect(findings.filter((f) => f.rule === 'mandatory')).toHaveLength(5);
    expect(summary).toMatchObject({ rows: 50, warnings: 50, truncated: true, byRule: { mandatory: 50 } });
  });

  it('stops duplicate checks with one warning when the key set is full', () => {
    const rows = Array.from({ length: 10 }, (_, i) => [`G${i % 4}`]);
    const { findings } = validateRows(builtIn, 'Customer groups', ['CUSTOMERGROUPID'], rows, { maxKeys: 3 });
    expect(findings.map((f) => [f.rule, f.row])).toEqual([
      ['limit', 4],
      ['duplicate-key', 5],
      ['duplicate-key', 6],
      ['duplicate-key', 7],
      ['duplicate-key', 9],
      ['duplicate-key', 10],
    ]);
  });

  it('stops deferring reference checks with one warning past maxPendingReferences', () => {
    const header = ['CODE', 'LINE', 'NAME', 'PARENTCODE', 'PARENTLINE'];
    const rows = Array.from({ length: 6 }, (_, i) => [`X${i}`, '1', 'n', `P${i}`, '1']);
    const { findings } = validateRows(typed, 'Everything', header, rows, { maxPendingReferences: 2 });
    expect(findings.map((f) => [f.rule, f.row])).toEqual([
      ['limit', 3],
      ['reference', 1],
      ['reference', 2],
    ]);
  });

  it('refuses rows after finish', () => {
    const session = createValidationSession({ catalog: builtIn });
    const v = session.validator('Customer groups', [{ column: 'CUSTOMERGROUPID', field: 'CUSTOMERGROUPID' }]);
    v.finish();
    expect(() => v.validateRows([['1']], 1)).toThrow(/finished/);
  });

  it('takes explicit row numbers when the reader skipped rows', () => {
    const { findings } = validateRows(builtIn, 'Customer groups', ['CUSTOMERGROUPID'], []);
    expect(findings).toEqual([]);
    const session = createValidationSession({ catalog: builtIn });
    const v = session.validator('Customer groups', [{ column: 'CUSTOMERGROUPID', field: 'CUSTOMERGROUPID' }]);
    expect(v.validateRows([['A'], ['a']], [7, 12]).map((f) => [f.row, f.message])).toEqual([
      [12, expect.stringMatching(/repeats row 7/)],
    ]);
  });

  it('has a test for every rule code', () => {
    // Keep this list in step with RULE_CODES: a new rule needs a failing case above.
    expect([...RULE_CODES].sort()).toEqual(
      [
        'mandatory',
        'int',
        'int64',
        'real',
        'date',
        'utc-datetime',
        'time',
        'guid',
        'enum',
        'noyes',
        'max-length',
        'duplicate-key',
        'reference',
        'unknown-column',
        'duplicate-column',
        'unmapped-key',
        'unmapped-mandatory',
        'extra-cells',
        'limit',
        // Found by the row store against a project's value tables: tests/integration/services/valueMaps.test.ts.
        'value-map',
      ].sort(),
    );
  });
});

describe('KeySet', () => {
  it('remembers the first row of each key across growth', () => {
    const set = new KeySet(1_000_000, 4);
    for (let i = 1; i <= 50_000; i++) expect(set.add(`k${i}`, i)).toBe(0);
    expect(set.size).toBe(50_000);
    expect(set.add('k123', 99)).toBe(123);
    expect(set.has('k50000')).toBe(true);
    expect(set.has('k50001')).toBe(false);
  });

  it('hashes key cells in place exactly as their normalised, joined key, a batch at a time', () => {
    const parts = ['A-1', ' a-1 ', '\tUS-0000001\r\n', 'Müller', ' MÜLLER\u00a0', 'İstanbul', '\u001cX', 'x'];
    const cells = [...parts, '', '  ', '\u00a0'];
    const columnSets = [[0], [1], [2], [3], [4], [5], [6], [0, 2], [3, 7, 1]];
    const normal = (c: readonly number[]) => c.map((i) => cells[i]!.trim().toLowerCase()).join('\u001f');
    const set = new KeySet();
    const answers = new Int32Array(1);
    const addCells = (columns: number[], row: number) => {
      set.addRows([cells], columns, row, answers);
      return answers[0];
    };
    columnSets.forEach((columns, i) => {
      const row = i + 1;
      const first = addCells(columns, row);
      // Same hash as the string form: adding the normalised key finds the row addRows stored.
      const again = set.add(normal(columns), 1000 + row);
      expect([columns, again]).toEqual([columns, first === 0 ? row : first]);
    });
    expect(addCells([1], 99)).toBe(1); // ' a-1 ' repeats 'A-1'
    expect(addCells([4], 99)).toBe(4); // and ' MÜLLER\u00a0' repeats 'Müller'
    for (const empty of [[8], [9], [10], [0, 9]]) expect(addCells(empty, 99)).toBe(KeySet.NO_KEY);
    // A batch answers row by row in order: repeats within the batch name the earlier row in it.
    const batch = new Int32Array(4);
    set.addRows([['n1'], [' N1'], [''], ['n2']], [0], [7, 8, 9, 10], batch);
    expect([...batch]).toEqual([0, 7, KeySet.NO_KEY, 0]);
  });
});
