import { describe, expect, it } from 'vitest';
import type { DatasetView, DatasetViewInput } from '../../../shared/api/domains/datasets';
import { viewSchema } from '../../../shared/api/domains/datasets';
import { BUILT_IN_CATALOG, indexCatalog } from '../../../shared/domain/catalog';
import { formatTsv, parseTsv } from '../../../shared/domain/datasets/tsv';
import { Dataset } from '../../../electron/services/datasets/store/dataset';
import { Table } from '../../../electron/services/datasets/store/table';

const catalog = indexCatalog(BUILT_IN_CATALOG);
const COLUMNS = ['CUSTOMERACCOUNT', 'ORGANIZATIONNAME', 'CUSTOMERGROUPID', 'ADDRESSCITY'];
const ROWS = [
  ['C001', 'Contoso Retail', '10', 'Seattle'],
  ['C002', 'Fabrikam', '', 'Redmond'],
  ['C003', 'Northwind Traders', '20', 'Seattle'],
  ['C004', 'Litware', '', 'Berlin'],
];

function dataset(rows: string[][] = ROWS, columns = COLUMNS, readOnly: string[] = []): Dataset {
  const table = new Table(columns.map((name) => ({ name, readOnly: readOnly.includes(name) })));
  table.appendRows(rows);
  return new Dataset(table, catalog);
}

const view = (input: DatasetViewInput = {}): DatasetView => viewSchema.parse(input);
const rowsOf = (d: Dataset, v: DatasetView = view()) => d.rows(v, 0, 1000, true).rows;

describe('tab-separated text as spreadsheets write it', () => {
  it('reads what Excel puts on the clipboard: CRLF after every row, quoted cells with tabs, breaks and quotes', () => {
    expect(parseTsv('a\tb\r\nc\td\r\n')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(parseTsv('"two\nlines"\t"say ""hi"""\t"tab\there"\r\n')).toEqual([['two\nlines', 'say "hi"', 'tab\there']]);
    // Google Sheets: no line end after the last row; LF only.
    expect(parseTsv('a\tb\nc\t')).toEqual([
      ['a', 'b'],
      ['c', ''],
    ]);
    // One empty cell copied from Excel is one row with one empty cell; nothing copied is no row.
    expect(parseTsv('\r\n')).toEqual([['']]);
    expect(parseTsv('')).toEqual([]);
    // A quote inside a cell, or one never closed, is text: nothing is dropped.
    expect(parseTsv('5" pipe\t"open')).toEqual([['5" pipe', '"open']]);
    expect(parseTsv('"ab"c\td')).toEqual([['"ab"c', 'd']]);
  });

  it('writes what Excel reads back, and neutralises formulas only for a spreadsheet', () => {
    const rows = [
      ['C001', 'two\nlines', 'say "hi"'],
      ['=cmd|calc', '-5', '@SUM(A1)'],
    ];
    const exact = formatTsv(rows);
    expect(exact.text).toBe('C001\t"two\nlines"\t"say ""hi"""\r\n=cmd|calc\t-5\t@SUM(A1)\r\n');
    expect(parseTsv(exact.text)).toEqual(rows);
    const safe = formatTsv(rows, true);
    expect(safe.neutralized).toBe(2);
    expect(parseTsv(safe.text)[1]).toEqual(["'=cmd|calc", '-5', "'@SUM(A1)"]);
  });
});

describe('paste', () => {
  it('pastes a range from a cell as one journaled, undoable edit, in the view order and the grid column order', () => {
    const d = dataset();
    const sorted = view({ sort: [{ column: 0, desc: true }] });
    // Sorted descending: positions 0, 1 are rows 4, 3; the grid shows column 3 before column 1.
    const { change, paste } = d.paste(sorted, 0, [3, 1], 'Paris\tLitware SA\r\nLyon\tNorthwind Traders\r\n');
    expect(paste).toEqual({ pasted: 4, pastedRows: 2, refused: [] });
    expect(change.result).toMatchObject({ cells: 3, rows: 2, label: 'Paste 2 × 2 cells' });
    expect(change.entry).toEqual({
      op: 'cells',
      edits: [
        { row: 4, column: 'ADDRESSCITY', before: 'Berlin', after: 'Paris' },
        { row: 4, column: 'ORGANIZATIONNAME', before: 'Litware', after: 'Litware SA' },
        { row: 3, column: 'ADDRESSCITY', before: 'Seattle', after: 'Lyon' },
      ],
    });
    expect(d.table.row(3)).toEqual(['C004', 'Litware SA', '', 'Paris']);
    d.undo();
    expect(d.table.row(3)).toEqual(ROWS[3]);
    expect(d.table.row(2)).toEqual(ROWS[2]);
  });

  it('refuses, counts and names the cells it cannot write: below the last row, past the last column, read-only', () => {
    const d = dataset(
      ROWS.map((r) => [...r, 'old error']),
      [...COLUMNS, 'Error'],
      ['Error'],
    );
    const { paste, change } = d.paste(view(), 3, [2, 3, 4], '30\tOslo\tx\ty\r\n40\tRome\tz\tw\r\n');
    expect(paste.pasted).toBe(2);
    expect(paste.pastedRows).toBe(1);
    expect(paste.refused.map((r) => [r.reason, r.cells])).toEqual([
      ['read-only', 1],
      ['beyond-columns', 1],
      ['beyond-rows', 4],
    ]);
    expect(paste.refused[2]?.message).toMatch(/4 cells below the last row shown.*adds no rows/);
    expect(change.result.cells).toBe(2);
    expect(d.table.row(3)).toEqual(['C004', 'Litware', '30', 'Oslo', 'old error']);
    expect(() => d.paste(view(), 0, [0], '')).toThrow(/holds no cells/);
  });

  it('repeats the clipboard over a selected range when it fits a whole number of times, as Excel does', () => {
    const d = dataset();
    d.paste(view(), 0, [2, 3], '99\r\n', { rows: 3, columns: 1 });
    expect(d.table.column(2).get(0)).toBe('99');
    expect(d.table.column(2).get(2)).toBe('99');
    expect(d.table.column(2).get(3)).toBe('');
    // Two values over three rows do not fit: pasted once.
    d.paste(view(), 0, [3], 'A\r\nB\r\n', { rows: 3, columns: 1 });
    expect([0, 1, 2].map((i) => d.table.get(i, 3))).toEqual(['A', 'B', 'Seattle']);
  });

  it('copies a range of the view as tab-separated text, exact and for a spreadsheet', () => {
    const d = dataset([...ROWS, ['C005', '=HYPERLINK("x")', '10', 'Two\nlines']]);
    const copy = d.copy(view({ filters: [{ column: 2, op: 'notBlank' }] }), 1, 5, [0, 1, 3]);
    expect(copy.rows).toBe(2);
    expect(copy.text).toBe('C003\tNorthwind Traders\tSeattle\r\nC005\t"=HYPERLINK(""x"")"\t"Two\nlines"\r\n');
    expect(copy.neutralized).toBe(1);
    expect(copy.spreadsheetText).toContain(`"'=HYPERLINK(""x"")"`);
  });
});

describe('edit marks', () => {
  it('marks the cells that differ from the file as read or saved, through undo, redo and save', () => {
    const d = dataset();
    const marks = () => rowsOf(d).map((r) => r.edited ?? []);
    expect(marks()).toEqual([[], [], [], []]);
    d.edit([{ row: 2, column: 1, value: 'Fabrikam Inc' }]);
    d.paste(view(), 2, [2, 3], '30\tLyon\r\n');
    expect(marks()).toEqual([[], [1], [2, 3], []]);
    expect(d.marks.count).toBe(3);
    d.undo();
    expect(marks()).toEqual([[], [1], [], []]);
    d.redo();
    d.journal.markSaved();
    expect(marks()).toEqual([[], [], [], []]);
    // Undoing a saved edit makes the cell differ from the file again.
    d.undo();
    expect(marks()).toEqual([[], [], [2, 3], []]);
    d.bulk(view(), { op: 'setValue', column: 0, value: 'X' });
    expect(d.marks.count).toBe(6);
  });
});

describe('views while fixing', () => {
  it('keeps fixed rows in a filtered view until it is refreshed, and counts those that no longer match', () => {
    const d = dataset();
    const blank = view({ filters: [{ column: 2, op: 'blank' }] });
    expect(rowsOf(d, blank).map((r) => r.id)).toEqual([2, 4]);
    d.edit([{ row: 2, column: 2, value: '10' }]);
    const page = d.rows(blank, 0, 10, true);
    expect(page.rows.map((r) => r.id)).toEqual([2, 4]);
    expect(page.outdated).toBe(1);
    // Changed back: it matches again.
    d.edit([{ row: 2, column: 2, value: '' }]);
    expect(d.rows(blank, 0, 10, true).outdated).toBe(0);
    d.paste(blank, 0, [2], '10\r\n20\r\n');
    expect(d.rows(blank, 0, 10, true)).toMatchObject({ total: 2, outdated: 2 });
    d.views.clear();
    expect(d.rows(blank, 0, 10, true)).toMatchObject({ total: 0, outdated: 0 });
  });

  it('shows every row of a duplicate set under the duplicate-key filter, each set together, its first row first', async () => {
    const d = dataset(
      [
        ['C001', 'Contoso', '10', 'Seattle'],
        ['C002', 'Fabrikam', '10', 'Redmond'],
        ['C003', 'Northwind', '20', 'Seattle'],
        ['c001 ', 'Contoso again', '10', 'Seattle'],
        ['C002', 'Fabrikam again', '10', 'Redmond'],
        ['C001', 'Contoso third', '10', 'Seattle'],
      ],
      ['CUSTOMERACCOUNT', 'ORGANIZATIONNAME', 'CUSTOMERGROUPID', 'DELIVERYADDRESSCITY'],
    );
    d.validation.setEntity('Customers V3');
    const state = await d.validation.run();
    expect(state!.byRule.find((r) => r.rule === 'duplicate-key')?.count).toBe(3);
    const duplicates = view({ issues: { rule: 'duplicate-key' } });
    expect(rowsOf(d, duplicates).map((r) => r.id)).toEqual([1, 4, 6, 2, 5]);
    // The first row of a set has no finding of its own; its repeats say which row they repeat.
    expect(rowsOf(d, duplicates)[0]?.issues).toBeUndefined();
    expect(rowsOf(d, duplicates)[1]?.issues?.[0]?.message).toMatch(/repeats row 1/);
    // With a sort of the consultant's own, that order rules.
    expect(rowsOf(d, view({ issues: { rule: 'duplicate-key' }, sort: [{ column: 1 }] })).map((r) => r.id)).toEqual([
      1, 4, 6, 2, 5,
    ]);
    expect(rowsOf(d, view({ issues: { rule: 'mandatory' } }))).toEqual([]);
  });
});
