import { describe, expect, it } from 'vitest';
import { MAX_FILTER_CHARS, keyBatches, keyClause, odataLiteral } from '../../../shared/domain/reconciliation';

describe('key filters for reading sent keys back', () => {
  it('writes literals by field type, quotes doubled', () => {
    expect(odataLiteral("O'Brien", { name: 'A', type: 'String' })).toBe("'O''Brien'");
    expect(odataLiteral(' 42 ', { name: 'A', type: 'Int' })).toBe('42');
    expect(odataLiteral('4x', { name: 'A', type: 'Int' })).toBe("'4x'");
    expect(odataLiteral('Yes', { name: 'A', type: 'NoYes' })).toBe("Microsoft.Dynamics.DataEntities.NoYes'Yes'");
    expect(odataLiteral('Customer', { name: 'A', type: 'Enum', enumType: 'DirPartyType' })).toBe(
      "Microsoft.Dynamics.DataEntities.DirPartyType'Customer'",
    );
    expect(odataLiteral('2026-01-31 00:00:00', { name: 'A', type: 'Date' })).toBe('2026-01-31');
    expect(odataLiteral('2026-01-31 10:30:00', { name: 'A', type: 'UtcDateTime' })).toBe('2026-01-31T10:30:00Z');
    expect(
      keyClause(
        ['EUR', '2026-01-01'],
        [
          { name: 'Currency', type: 'String' },
          { name: 'StartDate', type: 'Date' },
        ],
      ),
    ).toBe("(Currency eq 'EUR' and StartDate eq 2026-01-01)");
  });

  it('cuts batches by encoded length and key count, keeping every key once and in order', () => {
    const keys = Array.from({ length: 1000 }, (_, i) => [`CUSTOMER-${String(i).padStart(6, '0')}`]);
    const batches = [
      ...keyBatches(keys, [{ name: 'CustomerAccount', type: 'String' }], { prefix: "dataAreaId eq 'usmf'" }),
    ];
    expect(batches.flatMap((b) => b.keys)).toEqual(keys);
    for (const b of batches) {
      expect(encodeURIComponent(b.filter).length).toBeLessThanOrEqual(MAX_FILTER_CHARS);
      expect(b.keys.length).toBeLessThanOrEqual(50);
      expect(b.filter.startsWith("dataAreaId eq 'usmf' and (CustomerAccount eq 'CUSTOMER-")).toBe(true);
    }
    expect(batches.length).toBeGreaterThan(1000 / 50);
    expect(batches.every((b) => b.exactCount)).toBe(true);
  });

  it("gives an over-long key its own batch, and marks a batch with F&O's * wildcard as not exactly countable", () => {
    const long = ['x'.repeat(3000)];
    const batches = [...keyBatches([['A*'], long, ['B']], [{ name: 'K', type: 'String' }])];
    expect(batches.map((b) => b.keys)).toEqual([[['A*']], [long], [['B']]]);
    expect(batches.map((b) => b.exactCount)).toEqual([false, true, true]);
    expect(batches[2]?.filter).toBe("K eq 'B'");
  });
});
