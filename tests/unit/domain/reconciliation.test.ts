import { describe, expect, it } from 'vitest';
import { Reconciler, ReconciliationLimitError, decimalUnits, formatUnits } from '../../../shared/domain/reconciliation';

describe('exact decimals', () => {
  it('reads what exports and OData write, rounding as SQL numeric does', () => {
    expect(decimalUnits('.5', 6)).toBe(500000n);
    expect(decimalUnits('1.0000000000000000', 6)).toBe(1000000n);
    expect(decimalUnits(' -12.3456785 ', 6)).toBe(-12345679n);
    expect(decimalUnits(1e21, 2)).toBe(100000000000000000000000n);
    expect(decimalUnits(1500, 6)).toBe(1500000000n);
    expect(decimalUnits('', 6)).toBeNull();
    expect(decimalUnits('12,5', 6)).toBeNull();
    expect(decimalUnits('.', 6)).toBeNull();
  });

  it('adds a million amounts without drifting', () => {
    let total = 0n;
    let float = 0;
    for (let i = 0; i < 1_000_000; i++) {
      total += decimalUnits('0.1', 6) ?? 0n;
      float += 0.1;
    }
    expect(formatUnits(total, 6)).toBe('100000.000000');
    expect(float).not.toBe(100000);
    expect(formatUnits(-5n, 6)).toBe('-0.000005');
    expect(formatUnits(42n, 0)).toBe('42');
  });
});

describe('reconciling a load', () => {
  const spec = {
    entity: 'Customers V3',
    company: 'USMF',
    keyFields: ['CUSTOMERACCOUNT'],
    sumFields: [{ field: 'CREDITLIMIT' }],
  };

  it('finds missing keys with their source rows, changed amounts and the sums on both sides', () => {
    const r = new Reconciler(spec);
    r.addSent(['C001'], ['1000'], { file: 'customers.csv', row: 1 });
    r.addSent(['C002'], ['2500.50'], { file: 'customers.csv', row: 2 });
    r.addSent(['C003'], [''], { file: 'customers.csv', row: 3 });
    r.addSent(['c001 '], ['1200'], { file: 'customers.csv', row: 4 });
    expect([...r.sentKeys()]).toEqual([['C001'], ['C002'], ['C003']]);
    r.addLanded(['C001'], [1200]);
    r.addLanded(['C002'], ['2000.5']);
    r.addLanded(['C999'], [5]);
    const result = r.result();
    expect(result).toMatchObject({
      sent: 3,
      repeatedKeys: 1,
      landed: 2,
      missingCount: 1,
      changedCount: 1,
      truncated: false,
    });
    expect(result.missing).toEqual([{ key: ['C003'], source: { file: 'customers.csv', row: 3 } }]);
    expect(result.changed).toEqual([
      {
        key: ['C002'],
        field: 'CREDITLIMIT',
        sent: '2500.500000',
        landed: '2000.500000',
        source: { file: 'customers.csv', row: 2 },
      },
    ]);
    expect(result.sums).toEqual([
      { field: 'CREDITLIMIT', sent: '3700.500000', landed: '3200.500000', difference: '-500.000000' },
    ]);
  });

  it('counts everything but lists at most maxListed, and refuses more keys than it may hold', () => {
    const r = new Reconciler({ ...spec, maxListed: 2 });
    for (let i = 0; i < 5; i++) r.addSent([`K${i}`], ['1']);
    expect(r.result()).toMatchObject({ missingCount: 5, truncated: true });
    expect(r.result().missing).toHaveLength(2);
    const small = new Reconciler({ ...spec, maxKeys: 1 });
    small.addSent(['A'], ['1']);
    expect(() => small.addSent(['B'], ['1'])).toThrow(ReconciliationLimitError);
    expect(() => small.addSent(['B'], ['1'])).toThrow(/reconcile the load in parts/);
  });
});

describe('exponents', () => {
  it('moves the decimal point exactly', () => {
    expect(decimalUnits('1.5e-3', 6)).toBe(1500n);
    expect(decimalUnits('-2.5E2', 2)).toBe(-25000n);
    expect(decimalUnits('5e-7', 6)).toBe(1n);
  });
});
