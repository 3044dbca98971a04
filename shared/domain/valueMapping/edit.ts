/**
 * Changing a table's rules, with who and when: a rule is identified by its kind and legacy value
 * (exact), its pattern (pattern, keep with a pattern), or by being the catch-all (default, keep
 * without a pattern; a table has one). Setting a rule replaces the one with the same identity;
 * a rule set again unchanged keeps its original author and time. Every real change is described
 * in one line for the table's history.
 */
import type { ValueRule } from './table';

export type RuleInput = Omit<ValueRule, 'changedBy' | 'changedAt'>;

const keyOf = (value: string | undefined) => (value ?? '').trim().toLowerCase();

/** What identifies a rule within its table. */
export function ruleIdentity(rule: Pick<ValueRule, 'kind' | 'from'>): string {
  if (rule.kind === 'default' || (rule.kind === 'keep' && keyOf(rule.from) === '')) return 'catch-all';
  return `${rule.kind === 'exact' ? 'exact' : 'pattern'}:${keyOf(rule.from)}`;
}

export function describeRule(rule: Pick<ValueRule, 'kind' | 'from' | 'to'>): string {
  switch (rule.kind) {
    case 'exact':
      return `"${rule.from ?? ''}" → "${rule.to ?? ''}"`;
    case 'pattern':
      return `pattern ${rule.from ?? ''} → "${rule.to ?? ''}"`;
    case 'keep':
      return keyOf(rule.from) === '' ? 'keep every other value' : `keep values like ${rule.from ?? ''}`;
    case 'default':
      return `every other value → "${rule.to ?? ''}"`;
  }
}

const same = (a: ValueRule, b: RuleInput) =>
  a.kind === b.kind &&
  (a.from ?? '') === (b.from ?? '') &&
  (a.to ?? '') === (b.to ?? '') &&
  (a.note ?? '') === (b.note ?? '');

/**
 * The rules after setting and removing some, in the order a table keeps them: exact rules by
 * legacy value (stable diffs), patterns in the order given (the first that matches wins), then the
 * catch-all. Returns the changes in words.
 */
export function changeRules(
  rules: readonly ValueRule[],
  set: readonly RuleInput[],
  remove: readonly Pick<ValueRule, 'kind' | 'from'>[],
  stamp: { readonly changedBy: string; readonly changedAt: string },
): { rules: ValueRule[]; changes: string[] } {
  const byIdentity = new Map<string, ValueRule>();
  for (const rule of rules) byIdentity.set(ruleIdentity(rule), rule);
  const changes: string[] = [];
  for (const target of remove) {
    const id = ruleIdentity(target);
    const earlier = byIdentity.get(id);
    if (!earlier) continue;
    byIdentity.delete(id);
    changes.push(`removed ${describeRule(earlier)}`);
  }
  for (const input of set) {
    const id = ruleIdentity(input);
    const earlier = byIdentity.get(id);
    if (earlier && same(earlier, input)) continue;
    const rule: ValueRule = {
      kind: input.kind,
      ...(input.from !== undefined && input.kind !== 'default' ? { from: input.from } : {}),
      ...(input.to !== undefined && input.kind !== 'keep' ? { to: input.to } : {}),
      ...stamp,
      ...(input.note ? { note: input.note } : {}),
    };
    // A changed pattern keeps its place (the first pattern that matches wins).
    byIdentity.set(id, rule);
    changes.push(earlier ? `${describeRule(earlier)} became ${describeRule(rule)}` : `added ${describeRule(rule)}`);
  }
  const all = [...byIdentity.values()];
  const exact = all
    .filter((r) => r.kind === 'exact')
    .sort((a, b) => {
      const x = keyOf(a.from);
      const y = keyOf(b.from);
      return x < y ? -1 : x > y ? 1 : 0;
    });
  const patterns = all.filter((r) => ruleIdentity(r).startsWith('pattern:'));
  const catchAll = all.filter((r) => ruleIdentity(r) === 'catch-all');
  return { rules: [...exact, ...patterns, ...catchAll], changes };
}
