import { describe, expect, it } from 'vitest';
import type { DatasetView, DatasetViewInput } from '../../../shared/api/domains/datasets';
import { viewSchema } from '../../../shared/api/domains/datasets';
import { BUILT_IN_CATALOG, indexCatalog } from '../../../shared/domain/catalog';
import { Dataset } from '../../../electron/services/datasets/store/dataset';
import { Table } from '../../../electron/services/datasets/store/table';
import { TextColumn, CHUNK } from '../../../electron/services/datasets/store/column';
import { sortRows } from '../../../electron/services/datasets/store/sort';

const catalog = indexCatalog(BUILT_IN_CATALOG);
const COLUMNS = ['CUSTOMERACCOUNT', 'ORGANIZATIONNAME', 'CUSTOMERGROUPID', 'ADDRESSCITY', 'CREDITLIMIT'];
const ROWS = [
  ['C001', 'Contoso Retail', '10', ' Seattle ', '1000'],
  ['C002', 'Fabrikam', '', 'redmond', '250'],
  ['C003', 'Northwind Traders', '20', 'Seattle', '75'],
  ['C004', 'litware', '', 'Berlin', ''],
  ['C005', 'Adventure Works', '10', 'BERLIN', '5000'],
];

function dataset(rows: string[][] = ROWS, columns = COLUMNS): Dataset {
  const table = new Table(columns.map((name) => ({ name, readOnly: false })));
  table.appendRows(rows);
  return new Dataset(table, catalog);
}

const view = (input: DatasetViewInput = {}): DatasetView => viewSchema.parse(input);
const ids = (d: Dataset, v: DatasetView) => d.rows(v, 0, 1000, true).rows.map((r) => r.id);
const cell = (d: Dataset, rowId: number, column: number) => d.table.get(d.table.indexOf(rowId), column);

describe('TextColumn', () => {
  it('packs cells into chunks and reads, changes and re-reads them across chunk borders', () => {
    const column = new TextColumn();
    const n = CHUNK * 3 + 17;
    for (let i = 0; i < n; i++) column.append(i % 7 === 0 ? '' : `value ${i} ✓`);
    expect(column.length).toBe(n);
    expect(column.get(0)).toBe('');
    expect(column.get(CHUNK + 1)).toBe(`value ${CHUNK + 1} ✓`);
    expect(column.get(n - 1)).toBe(`value ${n - 1} ✓`);
    column.setMany([5, CHUNK * 2 + 3, n - 2], (i) => ['a', 'b'.repeat(70_000), 'c'][i] as string);
    expect(column.get(5)).toBe('a');
    expect(column.get(4)).toBe('value 4 ✓');
    expect(column.get(CHUNK * 2 + 3)).toHaveLength(70_000);
    expect(column.get(CHUNK * 2 + 4)).toBe(`value ${CHUNK * 2 + 4} ✓`);
    expect(column.get(n - 2)).toBe('c');
    expect(() => column.set(n, 'x')).toThrow(RangeError);
  });
});

describe('sorting', () => {
  it('sorts text case-insensitively and stably, numbers as numbers, and agrees with a reference sort', () => {
    const random = (() => {
      let a = 9;
      return () => (a = (Math.imul(a, 1664525) + 1013904223) >>> 0) / 4294967296;
    })();
    const words = ['alpha', 'Alpha', 'beta', 'Ärger', 'zeta', 'Ω-omega', '', 'alpha2', 'a', 'ab'];
    for (const size of [50, 70_000]) {
      const column = new TextColumn();
      const values: string[] = [];
      for (let i = 0; i < size; i++) {
        // Few distinct values (rank path) and many (prefix path).
        const v =
          size === 50
            ? (words[i % words.length] as string)
            : `${words[Math.floor(random() * words.length)]}${Math.floor(random() * 1e6)}`;
        values.push(v);
        column.append(v);
      }
      const order = Uint32Array.from(values.keys());
      for (const desc of [false, true]) {
        const sorted = [...sortRows(column, order, desc)];
        const reference = [...values.keys()].sort((a, b) => {
          const la = (values[a] as string).toLowerCase();
          const lb = (values[b] as string).toLowerCase();
          let c =
            la < lb
              ? -1
              : la > lb
                ? 1
                : (values[a] as string) < (values[b] as string)
                  ? -1
                  : (values[a] as string) > (values[b] as string)
                    ? 1
                    : 0;
          if (desc) c = -c;
          return c || a - b;
        });
        expect(sorted).toEqual(reference);
      }
    }
    const numbers = new TextColumn();
    for (const v of ['10', '9', '', '-1.5', '1e3', '100']) numbers.append(v);
    expect([...sortRows(numbers, Uint32Array.from([0, 1, 2, 3, 4, 5]), false)]).toEqual([2, 3, 1, 0, 5, 4]);
  });
});

describe('a dataset', () => {
  it('pages, filters and sorts, with stable row ids', () => {
    const d = dataset();
    expect(d.rows(view(), 1, 2, true)).toMatchObject({ total: 5, start: 1, rows: [{ id: 2 }, { id: 3 }] });
    // A leading space sorts first: the consultant sees it and trims.
    expect(ids(d, view({ sort: [{ column: 3 }] }))).toEqual([1, 5, 4, 2, 3]);
    expect(ids(d, view({ filters: [{ column: 3, op: 'contains', value: 'seattle' }] }))).toEqual([1, 3]);
    expect(ids(d, view({ filters: [{ column: 2, op: 'blank' }] }))).toEqual([2, 4]);
    expect(
      ids(d, view({ filters: [{ column: 2, op: 'in', values: ['10'] }], sort: [{ column: 1, desc: true }] })),
    ).toEqual([1, 5]);
    expect(ids(d, view({ sort: [{ column: 4 }] }))).toEqual([4, 3, 2, 1, 5]);
  });

  it("refuses a view of a column the dataset does not have as the caller's mistake, not an internal error", () => {
    // Found by the hostile corpus (bridge/rows-sort-column-out-of-range): it was a RangeError, INTERNAL.
    const d = dataset();
    for (const v of [view({ sort: [{ column: 4095 }] }), view({ filters: [{ column: 5, op: 'blank' }] })]) {
      expect(() => d.rows(v, 0, 10, true)).toThrow(
        expect.objectContaining({ code: 'INVALID_PARAMS', message: expect.stringMatching(/has 5 \(0 to 4\)/) }),
      );
    }
  });

  it('undoes and redoes edits by row id, whatever the sort and filter in between', () => {
    const d = dataset();
    d.edit([{ row: 3, column: 1, value: 'Northwind' }]);
    // Sorting and filtering in between do not move the edit to another row.
    ids(d, view({ sort: [{ column: 1 }] }));
    d.bulk(view({ filters: [{ column: 2, op: 'blank' }], sort: [{ column: 0, desc: true }] }), {
      op: 'setValue',
      column: 2,
      value: '30',
    });
    expect(cell(d, 2, 2)).toBe('30');
    expect(cell(d, 4, 2)).toBe('30');
    expect(d.undo().result.label).toBe('Undo Set CUSTOMERGROUPID to "30" where CUSTOMERGROUPID is blank');
    expect(cell(d, 4, 2)).toBe('');
    ids(d, view({ sort: [{ column: 1, desc: true }], filters: [{ column: 3, op: 'contains', value: 'e' }] }));
    d.undo();
    expect(cell(d, 3, 1)).toBe('Northwind Traders');
    expect(() => d.undo()).toThrow(/nothing to undo/);
    d.redo();
    expect(cell(d, 3, 1)).toBe('Northwind');
    d.redo();
    expect(cell(d, 2, 2)).toBe('30');
    expect(() => d.redo()).toThrow(/nothing to redo/);
    // A new change forgets what was undone.
    d.undo();
    d.edit([{ row: 1, column: 3, value: 'Seattle' }]);
    expect(d.journal.redoLabel).toBeNull();
  });

  it('keeps a just-edited row in a filtered view until the view changes', () => {
    const d = dataset();
    const blank = view({ filters: [{ column: 2, op: 'blank' }] });
    expect(ids(d, blank)).toEqual([2, 4]);
    d.edit([{ row: 2, column: 2, value: '10' }]);
    expect(ids(d, blank)).toEqual([2, 4]);
    expect(ids(d, view({ filters: [{ column: 2, op: 'blank' }], sort: [{ column: 0 }] }))).toEqual([4]);
  });

  it('finds next and previous matches in view order, wraps around and counts them', () => {
    const d = dataset();
    const v = view({ sort: [{ column: 0, desc: true }] });
    const q = { text: 'seattle', matchCase: false, wholeCell: false };
    const at = { from: undefined, backwards: false, count: false };
    const first = d.find({ ...at, view: v, query: q, columns: [], count: true });
    expect(first).toMatchObject({ match: { position: 2, row: 3, column: 3 }, count: 2, wrapped: false });
    const second = d.find({ ...at, view: v, query: q, columns: [], from: { position: 2, column: 3 } });
    expect(second.match).toMatchObject({ row: 1, column: 3, position: 4 });
    const wrapped = d.find({ ...at, view: v, query: q, columns: [], from: { position: 4, column: 3 } });
    expect(wrapped).toMatchObject({ match: { row: 3 }, wrapped: true });
    const back = d.find({ ...at, view: v, query: q, columns: [], from: { position: 2, column: 3 }, backwards: true });
    expect(back).toMatchObject({ match: { row: 1 }, wrapped: true });
    expect(
      d.find({ ...at, view: v, query: { text: 'Seattle', matchCase: true, wholeCell: true }, columns: [], count: true })
        .count,
    ).toBe(1);
    expect(d.find({ ...at, view: v, query: q, columns: [1], count: true })).toMatchObject({ match: null, count: 0 });
  });

  it('replaces, fills down, sets values and transforms over the filtered rows only, as recipe steps', () => {
    const d = dataset();
    d.bulk(view(), { op: 'transform', columns: [3], transform: 'trim' });
    expect(cell(d, 1, 3)).toBe('Seattle');
    const r = d.bulk(view({ filters: [{ column: 3, op: 'equals', value: 'berlin' }] }), {
      op: 'replace',
      columns: [3],
      query: { text: 'BERLIN', matchCase: false, wholeCell: true },
      replacement: 'Berlin',
    });
    expect(r.result).toMatchObject({ cells: 1, rows: 1 });
    expect(cell(d, 5, 3)).toBe('Berlin');
    d.bulk(view({ sort: [{ column: 0 }] }), { op: 'fillDown', column: 2 });
    expect([2, 4].map((id) => cell(d, id, 2))).toEqual(['10', '20']);
    d.bulk(view({ filters: [{ column: 3, op: 'startsWith', value: 'red' }] }), {
      op: 'transform',
      columns: [3, 1],
      transform: 'title',
    });
    expect(cell(d, 2, 3)).toBe('Redmond');
    expect(cell(d, 4, 1)).toBe('litware');
    expect(d.recipe().map((s) => s.description)).toEqual([
      'Trim leading and trailing spaces: ADDRESSCITY',
      'Replace cells equal to "BERLIN" with "Berlin" in ADDRESSCITY where ADDRESSCITY is "berlin"',
      'Fill down blank CUSTOMERGROUPID cells (sorted by CUSTOMERACCOUNT)',
      'Title Case: ADDRESSCITY, ORGANIZATIONNAME where ADDRESSCITY starts with "red"',
    ]);
    // Undoing a step takes it out of the recipe; redoing puts it back.
    d.undo();
    expect(d.recipe()).toHaveLength(3);
    d.redo();
    expect(d.recipe()).toHaveLength(4);
    // A replace that changes nothing is no step.
    d.bulk(view(), {
      op: 'replace',
      columns: [],
      query: { text: 'zzz', matchCase: false, wholeCell: false },
      replacement: 'y',
    });
    expect(d.recipe()).toHaveLength(4);
  });

  it("replays its recipe on the next cycle's extract, finding columns by name in another order", () => {
    const d = dataset();
    d.bulk(view(), { op: 'transform', columns: [3], transform: 'trim' });
    d.bulk(view({ filters: [{ column: 2, op: 'blank' }] }), { op: 'setValue', column: 2, value: '99' });
    d.bulk(view(), { op: 'transform', columns: [3], transform: 'upper' });
    const fresh = dataset(
      [
        ['20', 'C100', '  Oslo'],
        ['', 'C101', 'bergen '],
      ],
      ['CUSTOMERGROUPID', 'CUSTOMERACCOUNT', 'ADDRESSCITY'],
    );
    for (const step of d.recipeSteps) fresh.replay(step);
    expect(fresh.table.row(0)).toEqual(['20', 'C100', 'OSLO']);
    expect(fresh.table.row(1)).toEqual(['99', 'C101', 'BERGEN']);
    const missing = dataset([['x']], ['OTHER']);
    expect(() => missing.replay(d.recipeSteps[0]!)).toThrow(
      /names the column ADDRESSCITY, which this dataset does not have/,
    );
  });

  it('counts distinct values for a facet over the view without its own filter', () => {
    const d = dataset();
    const facetView = view({
      filters: [
        { column: 2, op: 'in', values: ['10'] },
        { column: 3, op: 'notContains', value: 'berlin' },
      ],
    });
    const facet = d.facet(facetView, 2, 10);
    expect(facet).toMatchObject({ rows: 3, blank: 1, distinct: 3, truncated: false });
    expect(facet.values).toEqual([
      { value: '', count: 1 },
      { value: '10', count: 1 },
      { value: '20', count: 1 },
    ]);
    expect(d.facet(view(), 2, 1).values).toEqual([{ value: '', count: 2 }]);
  });

  it('refuses edits of read-only columns and unknown rows', () => {
    const table = new Table([
      { name: 'CUSTOMERACCOUNT', readOnly: false },
      { name: 'Error', readOnly: true },
    ]);
    table.appendRows([['C1', 'Group does not exist']], [42]);
    const d = new Dataset(table, catalog);
    expect(() => d.edit([{ row: 42, column: 1, value: 'x' }])).toThrow(/read-only/);
    expect(() => d.edit([{ row: 1, column: 0, value: 'x' }])).toThrow(/no row 1/);
    expect(() => d.bulk(view(), { op: 'setValue', column: 1, value: '' })).toThrow(/read-only/);
    d.bulk(view(), {
      op: 'replace',
      columns: [],
      query: { text: 'C', matchCase: true, wholeCell: false },
      replacement: 'K',
    });
    expect(table.row(0)).toEqual(['K1', 'Group does not exist']);
  });

  it('validates against an entity, marks cells, counts per rule and column, and updates after a fix', async () => {
    const d = dataset(
      [
        ['C001', 'Contoso', '10', 'Seattle', '1000'],
        ['C002', 'Fabrikam', '', 'Redmond', 'lots'],
        ['C001', 'Northwind', '20', 'x'.repeat(61), '5'],
      ],
      ['CUSTOMERACCOUNT', 'ORGANIZATIONNAME', 'CUSTOMERGROUPID', 'DELIVERYADDRESSCITY', 'CREDITLIMIT'],
    );
    d.validation.setEntity('Customers V3');
    const state = await d.validation.run();
    expect(state).toMatchObject({ entity: 'Customers V3', state: 'ready', rows: 2 });
    const counts = Object.fromEntries(state!.byRule.map((r) => [r.rule, r.count]));
    expect(counts).toMatchObject({ mandatory: 1, real: 1, 'duplicate-key': 1, 'max-length': 1 });
    expect(state!.byColumn).toContainEqual({ column: 2, count: 1 });
    const page = d.rows(view(), 0, 10, true);
    expect(page.rows[1]?.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ column: 2, rule: 'mandatory' }),
        expect.objectContaining({ column: 4, rule: 'real' }),
      ]),
    );
    expect(ids(d, view({ issues: { rule: 'mandatory' } }))).toEqual([2]);
    expect(ids(d, view({ issues: { column: 3 } }))).toEqual([3]);
    d.edit([{ row: 2, column: 2, value: '10' }]);
    const after = await d.validation.run();
    expect(after!.byRule.find((r) => r.rule === 'mandatory')).toBeUndefined();
    // The fixed row stays in the view it was fixed in, said to be outdated, until a refresh.
    expect(ids(d, view({ issues: { rule: 'mandatory' } }))).toEqual([2]);
    expect(d.rows(view({ issues: { rule: 'mandatory' } }), 0, 10, true).outdated).toBe(1);
    d.views.clear();
    expect(ids(d, view({ issues: { rule: 'mandatory' } }))).toEqual([]);
  });
});

describe('positions', () => {
  it('finds where a row id is in a sorted and filtered view', () => {
    const d = dataset();
    expect(d.position(view(), 4)).toBe(3);
    expect(d.position(view({ sort: [{ column: 0, desc: true }] }), 4)).toBe(1);
    expect(d.position(view({ filters: [{ column: 2, op: 'blank' }] }), 1)).toBeNull();
    expect(d.position(view(), 99)).toBeNull();
  });
});
