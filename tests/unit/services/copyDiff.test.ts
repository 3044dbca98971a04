import { describe, expect, it } from 'vitest';
import { choicesFor, packageText, sendsRecord, withChoices } from '../../../electron/services/jobs/kinds/copyDiff';
import { forPerson } from '../../../electron/services/jobs/packageEngineAdapter';
import type { CatalogField } from '../../../shared/domain/catalog';

const field = (type: CatalogField['type']): CatalogField => ({
  name: 'F',
  publicName: 'F',
  type,
  maxLength: undefined,
  mandatory: false,
});

describe("a copy's diff for people and for the package", () => {
  it('neutralises cells a spreadsheet would run as a formula, and only those', () => {
    expect(['=1+2', '+31 20', '-5', '@SUM(A1)', '\t=x', 'Net 30', '', "'quoted"].map(forPerson)).toEqual([
      "'=1+2",
      "'+31 20",
      "'-5",
      "'@SUM(A1)",
      "'\t=x",
      'Net 30',
      '',
      "'quoted",
    ]);
  });

  it("writes the target's OData values as a package cell holds them", () => {
    expect(packageText(field('UtcDateTime'), '2011-01-31T08:30:00Z')).toBe('2011-01-31 08:30:00');
    expect(packageText(field('UtcDateTime'), '1900-01-01T00:00:00Z')).toBe('');
    expect(packageText(field('Date'), '1900-01-01')).toBe('');
    expect(packageText(field('Date'), '2024-02-29')).toBe('2024-02-29');
    expect(packageText(field('Real'), 0.5)).toBe('0.5');
    expect(packageText(field('NoYes'), true)).toBe('Yes');
    expect(packageText(field('String'), null)).toBe('');
    expect(packageText(undefined, 'Zahlbar sofort')).toBe('Zahlbar sofort');
  });

  it('sends what was not unticked; insert only sends new records only; kept fields only where sent', () => {
    const changed = {
      key: 'A',
      status: 'changed' as const,
      changes: [{ field: 'DESCRIPTION', target: 'x', copied: 'y' }],
    };
    const fresh = { key: 'B', status: 'new' as const, changes: [] };
    const all = { insertOnly: false, entities: { 'customer groups': { skip: ['B'], keepTarget: ['description'] } } };
    const chosen = choicesFor(all, 'Customer groups');
    expect([sendsRecord(changed, all, chosen.skip), sendsRecord(fresh, all, chosen.skip)]).toEqual([true, false]);
    const insertOnly = { insertOnly: true, entities: {} };
    expect([sendsRecord(changed, insertOnly, new Set()), sendsRecord(fresh, insertOnly, new Set())]).toEqual([
      false,
      true,
    ]);
    expect(withChoices(changed, all, chosen, new Map([['A', 'matches']]), true)).toMatchObject({
      copied: true,
      after: 'matches',
      changes: [{ kept: true }],
    });
    expect(withChoices(changed, all, chosen, new Map(), false)).toMatchObject({ copied: null, after: null });
  });
});
