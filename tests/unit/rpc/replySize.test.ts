/**
 * Replies are bounded by their bytes on the wire, measured before anything is serialised
 * (issue 12: rows per page and bytes per reply over any transport, checked before the memory is
 * spent). Characters undercount: a cell of quotes, control characters or non-Latin letters is two
 * to six times its length in JSON.
 */
import { describe, expect, it } from 'vitest';
import { MAX_PAGE_BYTES, MAX_SHOWN_CELL_CHARS } from '../../../shared/api/domains/datasets';
import { jsonStringBytes } from '../../../shared/api/jsonSize';
import { BUILT_IN_CATALOG, indexCatalog } from '../../../shared/domain/catalog';
import { viewSchema } from '../../../shared/api/domains/datasets';
import { MAX_REPLY_BYTES, replyExceeds } from '../../../electron/rpc/replySize';
import { Dataset } from '../../../electron/services/datasets/store/dataset';
import { Table } from '../../../electron/services/datasets/store/table';

const wire = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

describe('the wire size of a string', () => {
  it('is exactly what JSON.stringify writes in UTF-8, escapes and surrogates included', () => {
    const samples = [
      '',
      'plain ASCII',
      '"quoted" \\ back',
      '\u0000\u0001\u001f\b\t\n\f\r',
      'é ß Ω',
      '€ 中文 ✓',
      'emoji 😀 pair',
      'lone \ud800 high, lone \udc00 low, reversed \udc00\ud800',
      '=cmd|"/c calc"!A1',
      String.fromCharCode(...Array.from({ length: 0x800 }, (_, i) => i)),
    ];
    for (const s of samples) expect(jsonStringBytes(s), JSON.stringify(s)).toBe(wire(s));
  });
});

describe('replyExceeds', () => {
  it('counts escapes: a reply far under the limit in characters is over it in bytes', () => {
    // 12 M control characters: 12 MB of string, 72 MB of JSON.
    const escaped = { cells: ['\u0001'.repeat(12 * 1024 * 1024)] };
    expect(escaped.cells[0]!.length).toBeLessThan(MAX_REPLY_BYTES);
    expect(replyExceeds(escaped)).toBe(true);
    // 30 M three-byte characters: 90 MB on the wire.
    expect(replyExceeds({ text: '€'.repeat(30 * 1024 * 1024) })).toBe(true);
    expect(replyExceeds({ text: 'x'.repeat(30 * 1024 * 1024) })).toBe(false);
  });

  it('is never below the real size of a reply', () => {
    const reply = { rows: [{ id: 1, cells: ['a"b', 'ü', '😀'], issues: [{ column: 0, message: 'x\ny' }] }], n: 1e300 };
    const size = wire(reply);
    expect(replyExceeds(reply, size - 1)).toBe(true);
  });
});

describe('a page for the grid', () => {
  const catalog = indexCatalog(BUILT_IN_CATALOG);
  const view = viewSchema.parse({});

  function longCells(cell: string, rows: number, columns: number): Dataset {
    const table = new Table(Array.from({ length: columns }, (_, i) => ({ name: `C${i}`, readOnly: false })));
    table.appendRows(Array.from({ length: rows }, () => Array.from({ length: columns }, () => cell)));
    return new Dataset(table, catalog);
  }

  it.each([
    ['ASCII', 'x'],
    ['quotes (2 bytes each in JSON)', '"'],
    ['control characters (6 bytes each)', '\u0001'],
    ['euro signs (3 bytes each)', '€'],
  ])('of long cells of %s stays within MAX_PAGE_BYTES on the wire, with fewer rows than asked', (_, char) => {
    const d = longCells(char.repeat(40_000), 60, 10);
    const page = d.rows(view, 0, 200, true, true);
    expect(page.rows.length).toBeGreaterThan(0);
    expect(page.rows.length).toBeLessThan(60);
    expect(page.rows[0]!.cells[0]).toHaveLength(MAX_SHOWN_CELL_CHARS);
    expect(page.rows[0]!.clipped).toContainEqual({ column: 0, length: 40_000 });
    const cellBytes = page.rows.reduce((sum, r) => sum + wire(r.cells), 0);
    expect(cellBytes).toBeLessThanOrEqual(MAX_PAGE_BYTES);
    // The page is as full as the limit allows: one more row would pass it.
    expect(cellBytes + wire(page.rows[0]!.cells)).toBeGreaterThan(MAX_PAGE_BYTES);
  });

  it('of short cells carries every row asked, and services still read whole cells', () => {
    const d = longCells('short', 200, 10);
    expect(d.rows(view, 0, 200, true, true).rows).toHaveLength(200);
    const whole = longCells('y'.repeat(40_000), 3, 2).rows(view, 0, 3, true);
    expect(whole.rows[0]!.cells[0]).toHaveLength(40_000);
  });
});
