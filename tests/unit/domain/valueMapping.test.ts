import { describe, expect, it } from 'vitest';
import {
  boundedLevenshtein,
  changeRules,
  clusterByDistance,
  clusterByKey,
  compileTable,
  fingerprint,
  metaphone,
  ngramFingerprint,
  suggestMappings,
  tableProblems,
  unmappedValues,
  valueChecker,
} from '../../../shared/domain/valueMapping';
import type { TargetValue, ValueMappingTable, ValueRule } from '../../../shared/domain/valueMapping';

const by = { changedBy: 'ana@contoso.com', changedAt: '2026-12-03T09:00:00Z' };
const rule = (r: Omit<ValueRule, 'changedBy' | 'changedAt'>): ValueRule => ({ ...r, ...by });
const table = (rules: ValueRule[]): ValueMappingTable => ({
  id: 't',
  entity: 'Customers V3',
  field: 'PAYMENTTERMS',
  rules,
});

describe('keys', () => {
  it('fingerprints ignore case, punctuation, accents, word order and repeats', () => {
    expect(fingerprint('  Contoso Ltd. ')).toBe('contoso ltd');
    expect(fingerprint('LTD, contoso contoso')).toBe('contoso ltd');
    expect(fingerprint('Müller Großhandel')).toBe('grosshandel muller');
    expect(fingerprint('--')).toBe('');
  });

  it('n-gram fingerprints ignore spacing', () => {
    expect(ngramFingerprint('N 30')).toBe(ngramFingerprint('n30'));
    expect(ngramFingerprint('N 30')).not.toBe(ngramFingerprint('N 60'));
  });

  it('metaphone makes words that sound alike collide, numbers kept', () => {
    expect(metaphone('Smith')).toBe(metaphone('Smyth'));
    expect(metaphone('Catherine')).toBe('K0RN');
    expect(metaphone('Kathryn')).toBe('K0RN');
    expect(metaphone('Knight')).toBe('NT');
    expect(metaphone('Net 30')).toBe('NT 30');
    expect(metaphone('Net 30')).not.toBe(metaphone('Net 60'));
  });

  it('bounded Levenshtein stops once past its limit', () => {
    expect(boundedLevenshtein('kitten', 'sitting', 5)).toBe(3);
    expect(boundedLevenshtein('kitten', 'sitting', 1)).toBe(2);
    expect(boundedLevenshtein('a', 'abcdef', 2)).toBe(3);
    expect(boundedLevenshtein('same', 'same', 0)).toBe(0);
  });
});

describe('clustering', () => {
  const values = [
    { value: 'Contoso Ltd', count: 40 },
    { value: 'CONTOSO LTD', count: 3 },
    { value: 'Contoso Ltd.', count: 7 },
    { value: 'Fabrikam', count: 10 },
    { value: 'Fabrikm', count: 1 },
    { value: '-', count: 2 },
    { value: '.', count: 2 },
  ];

  it('groups key collisions with counts and offers the most frequent value', () => {
    const [cluster, ...rest] = clusterByKey(values, { method: 'fingerprint' });
    expect(rest).toEqual([]);
    expect(cluster).toMatchObject({ key: 'contoso ltd', rows: 50, suggested: 'Contoso Ltd' });
    expect(cluster?.values.map((v) => v.value)).toEqual(['Contoso Ltd', 'Contoso Ltd.', 'CONTOSO LTD']);
  });

  it('finds typing errors by edit distance, without chaining neighbours of neighbours', () => {
    const clusters = clusterByDistance(values, { radius: 1 });
    expect(clusters.map((c) => c.values.map((v) => v.value).sort())).toContainEqual(['Fabrikam', 'Fabrikm']);
    const chain = clusterByDistance(
      ['CA01', 'CA02', 'CB02', 'CB03'].map((value) => ({ value, count: 1 })),
      { radius: 1 },
    );
    expect(chain.every((c) => c.values.length <= 3)).toBe(true);
    expect(
      chain.some((c) => c.values.some((v) => v.value === 'CA01') && c.values.some((v) => v.value === 'CB03')),
    ).toBe(false);
  });

  it('meets long values through shared substrings and short ones of other lengths', () => {
    const clusters = clusterByDistance(
      [
        { value: 'Northwind Traders International', count: 5 },
        { value: 'Northwind Traders Internationl', count: 1 },
        { value: 'ABC', count: 2 },
        { value: 'ABCD', count: 1 },
      ],
      { radius: 1 },
    );
    expect(clusters.map((c) => c.values.length)).toEqual([2, 2]);
  });
});

describe('value mapping tables', () => {
  const terms = table([
    rule({ kind: 'exact', from: 'NET 30', to: 'Net30' }),
    rule({ kind: 'exact', from: '30 days', to: 'Net30' }),
    rule({ kind: 'pattern', from: '42*', to: 'Net42' }),
    rule({ kind: 'keep', from: 'Net*' }),
    rule({ kind: 'default', to: 'Net10' }),
  ]);

  it('applies exact rules (trimmed, any case), then patterns in order, then the catch-all', () => {
    const map = compileTable(terms);
    expect(map(' net 30 ')).toMatchObject({ value: 'Net30', rule: { kind: 'exact' } });
    expect(map('4217')).toMatchObject({ value: 'Net42', rule: { kind: 'pattern' } });
    expect(map('Net60')).toMatchObject({ value: 'Net60', rule: { kind: 'keep' } });
    expect(map('COD')).toMatchObject({ value: 'Net10', rule: { kind: 'default' } });
    expect(map('  ')).toEqual({ value: '  ', rule: null });
    expect(compileTable(table([rule({ kind: 'exact', from: '', to: 'Net10' })]))('').value).toBe('Net10');
  });

  it('keeps the original for every other value with a keep catch-all, and reports unmapped values without one', () => {
    expect(compileTable(table([rule({ kind: 'keep' })]))('anything')).toMatchObject({ value: 'anything' });
    const unmapped = unmappedValues(table([rule({ kind: 'exact', from: 'N30', to: 'Net30' })]), [
      { value: 'N30', count: 4 },
      { value: 'N60', count: 2 },
      { value: '', count: 9 },
    ]);
    expect(unmapped).toEqual([{ value: 'N60', count: 2 }]);
  });

  it('treats pattern characters other than * and ? literally', () => {
    const map = compileTable(table([rule({ kind: 'pattern', from: 'A.B(1)*', to: 'X' })]));
    expect(map('a.b(1)-2').value).toBe('X');
    expect(map('aXb(1)').rule).toBeNull();
  });

  it('says what makes a table ambiguous', () => {
    expect(tableProblems(terms)).toEqual([]);
    expect(
      tableProblems(
        table([
          rule({ kind: 'exact', from: 'N30', to: 'Net30' }),
          rule({ kind: 'exact', from: 'n30 ', to: 'Net60' }),
          rule({ kind: 'default', to: 'Net10' }),
          rule({ kind: 'keep' }),
          rule({ kind: 'pattern', from: ' ', to: 'X' }),
        ]),
      ),
    ).toEqual([
      '"n30 " is mapped twice (to "Net30" and to "Net60"): keep one of the two rules.',
      'The table has two catch-all rules (default or keep the original): keep one.',
      'A pattern rule has no pattern: give one such as 42* or remove the rule.',
    ]);
  });
});

describe('value status and replays', () => {
  const terms = table([
    rule({ kind: 'exact', from: 'NET 30', to: 'Net30' }),
    rule({ kind: 'exact', from: '10', to: '20' }),
    rule({ kind: 'exact', from: '20', to: '30' }),
    rule({ kind: 'default', to: 'Net10' }),
  ]);
  const targets = ['Net10', 'Net30', 'Net60', '20', '30'];

  it('leaves valid F&O values to exact rules only: a default never rewrites one, a renumbering still maps', () => {
    const map = compileTable(terms, { targets });
    expect(map('Net60')).toEqual({ value: 'Net60', rule: null });
    expect(map('COD').value).toBe('Net10');
    expect(map('10').value).toBe('20');
    expect(map('20').value).toBe('30');
    // Applying twice is stable for every value but the renumbered ones, which exact rules map as written.
    const once = ['NET 30', 'COD', 'Net60'].map((v) => map(v).value);
    expect(once.map((v) => map(v).value)).toEqual(once);
  });

  it('says which cells still hold a legacy value, which are F&O values and which nothing maps', () => {
    const withoutDefault = table(terms.rules.filter((r) => r.kind !== 'default'));
    const check = valueChecker(withoutDefault, targets);
    expect(check(' net 30')).toMatchObject({ status: 'legacy', to: 'Net30' });
    expect(check('net60')).toEqual({ status: 'valid' });
    expect(check('COD')).toEqual({ status: 'unmapped' });
    expect(check(' ')).toEqual({ status: 'blank' });
    // Without a list of valid values, the values the rules write stand for them.
    expect(valueChecker(withoutDefault, null)('Net30').status).toBe('valid');
    expect(valueChecker(withoutDefault, null)('Net60').status).toBe('unmapped');
    expect(unmappedValues(withoutDefault, [{ value: 'COD' }, { value: 'Net60' }], targets)).toEqual([{ value: 'COD' }]);
  });

  it('changes rules by identity, keeps authorship of what did not change, and words every change', () => {
    const ana = { changedBy: 'ana@contoso.com', changedAt: '2026-12-03T09:00:00Z' };
    const ben = { changedBy: 'ben', changedAt: '2026-12-04T10:00:00Z' };
    const start = changeRules(
      [],
      [
        { kind: 'pattern', from: '42*', to: 'X' },
        { kind: 'exact', from: 'b', to: 'B' },
        { kind: 'exact', from: 'a', to: 'A' },
        { kind: 'pattern', from: '43*', to: 'Y' },
      ],
      [],
      ana,
    );
    expect(start.rules.map((r) => r.from)).toEqual(['a', 'b', '42*', '43*']);
    const next = changeRules(
      start.rules,
      [
        { kind: 'exact', from: 'A ', to: 'A' },
        { kind: 'exact', from: 'b', to: 'BB' },
        { kind: 'pattern', from: '42*', to: 'Z' },
        { kind: 'default', to: 'D' },
        { kind: 'keep' },
      ],
      [{ kind: 'pattern', from: '43*' }],
      ben,
    );
    expect(next.rules.map((r) => [r.kind, r.from ?? null, r.to ?? null, r.changedBy])).toEqual([
      ['exact', 'A ', 'A', 'ben'],
      ['exact', 'b', 'BB', 'ben'],
      ['pattern', '42*', 'Z', 'ben'],
      ['keep', null, null, 'ben'],
    ]);
    expect(next.changes).toEqual([
      'removed pattern 43* → "Y"',
      '"a" → "A" became "A " → "A"',
      '"b" → "B" became "b" → "BB"',
      'pattern 42* → "X" became pattern 42* → "Z"',
      'added every other value → "D"',
      'every other value → "D" became keep every other value',
    ]);
    expect(changeRules(next.rules, [{ kind: 'exact', from: 'b', to: 'BB' }], [], ana).changes).toEqual([]);
  });
});

describe('suggestions', () => {
  const enumTargets: TargetValue[] = [
    { value: 'BalanceSheet', label: 'Balance sheet', origin: 'enum DimensionLedgerAccountType' },
    { value: 'ProfitAndLoss', label: 'Profit and loss', origin: 'enum DimensionLedgerAccountType' },
  ];
  const terms: TargetValue[] = ['Net10', 'Net30', 'Net60', 'COD'].map((value) => ({ value, origin: 'snapshot' }));

  it('offers equal values, enum labels to names and fingerprints first', () => {
    const [same, label, words] = suggestMappings(['balancesheet', 'BALANCE SHEET', 'loss and profit'], enumTargets);
    expect(same?.suggestions[0]).toMatchObject({ to: 'BalanceSheet', reason: 'same value', score: 1 });
    expect(label?.suggestions[0]).toMatchObject({ to: 'BalanceSheet', reason: 'same label' });
    expect(words?.suggestions[0]).toMatchObject({ to: 'ProfitAndLoss', reason: 'same words' });
  });

  it('lets numbers decide between similar codes', () => {
    const results = suggestMappings(['NET 30', 'N30', '30 days', 'Net 60 days', 'cash'], terms);
    expect(results.map((r) => r.suggestions[0]?.to ?? null)).toEqual(['Net30', 'Net30', 'Net30', 'Net60', null]);
    expect(results[1]?.suggestions.every((s) => s.score < 0.9)).toBe(true);
  });
});
