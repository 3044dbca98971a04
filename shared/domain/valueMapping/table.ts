/**
 * Value mapping tables (conversion lists, in ERP migration tools' words): per target field, which
 * F&O value each legacy value becomes. A table is applied to every cycle's fresh extract before
 * validation, so the rules are written once and replayed.
 *
 * Rule kinds, as migration tools offer them:
 * - exact: one legacy value → one F&O value ("NET 30" → "Net30");
 * - pattern: a pattern with `*` (any run) and `?` (one character) → one F&O value ("42*" → "4200");
 * - keep: values matching a pattern stay as they are; without a pattern, every value nothing else
 *   mapped stays (the catch-all "keep the original");
 * - default: every value nothing else mapped becomes one F&O value (the catch-all default).
 *
 * Matching trims the value and ignores letter case, as DMF compares keys and enum values. Exact
 * rules win over patterns, patterns apply in table order, the catch-all comes last. A blank cell
 * is only mapped by an exact rule for the empty value: a default must not fill every empty cell
 * by accident.
 */

export const VALUE_RULE_KINDS = ['exact', 'pattern', 'keep', 'default'] as const;
export type ValueRuleKind = (typeof VALUE_RULE_KINDS)[number];

export interface ValueRule {
  readonly kind: ValueRuleKind;
  /** exact: the legacy value; pattern: the pattern; keep: an optional pattern; default: absent. */
  readonly from?: string;
  /** The F&O value written (exact, pattern, default); absent for keep. */
  readonly to?: string;
  /** Who set the rule (the signed-in account or the OS user) and when (ISO 8601). */
  readonly changedBy: string;
  readonly changedAt: string;
  /** Where a rule came from when the consultant accepted a suggestion ("same label as the enum value"). */
  readonly note?: string;
}

export interface ValueMappingTable {
  readonly id: string;
  /** Entity label and staging field the table maps values of. */
  readonly entity: string;
  readonly field: string;
  readonly rules: readonly ValueRule[];
}

/** What a value became, and by which rule (null: no rule applied, the value is unmapped). */
export interface MappedValue {
  readonly value: string;
  readonly rule: ValueRule | null;
}

const keyOf = (value: string) => value.trim().toLowerCase();

/** A `*`/`?` pattern as a whole-value, case-insensitive regular expression. */
export function patternExpression(pattern: string): RegExp {
  const body = keyOf(pattern)
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/-]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, 's');
}

/** Problems that make a table ambiguous, one sentence each saying how to fix it. */
export function tableProblems(table: ValueMappingTable): string[] {
  const problems: string[] = [];
  const exact = new Map<string, ValueRule>();
  let catchAll: ValueRule | null = null;
  for (const rule of table.rules) {
    if (rule.kind === 'exact') {
      const key = keyOf(rule.from ?? '');
      const earlier = exact.get(key);
      if (earlier && keyOf(earlier.to ?? '') !== keyOf(rule.to ?? '')) {
        problems.push(
          `"${rule.from ?? ''}" is mapped twice (to "${earlier.to ?? ''}" and to "${rule.to ?? ''}"): keep one of the two rules.`,
        );
      }
      exact.set(key, rule);
    }
    if ((rule.kind === 'pattern' || rule.kind === 'exact' || rule.kind === 'default') && rule.to === undefined) {
      problems.push(`The ${rule.kind} rule${rule.from ? ` for "${rule.from}"` : ''} has no F&O value: give one.`);
    }
    if (rule.kind === 'pattern' && keyOf(rule.from ?? '') === '') {
      problems.push('A pattern rule has no pattern: give one such as 42* or remove the rule.');
    }
    const isCatchAll = rule.kind === 'default' || (rule.kind === 'keep' && keyOf(rule.from ?? '') === '');
    if (isCatchAll) {
      if (catchAll) problems.push('The table has two catch-all rules (default or keep the original): keep one.');
      catchAll = rule;
    }
  }
  return problems;
}

/**
 * The table as a function from a legacy value to what it becomes. Exact rules are one map lookup,
 * so a 1M-row column costs one trim and lower-casing per cell plus the patterns for the rest.
 */
export function compileTable(table: ValueMappingTable): (value: string) => MappedValue {
  const exact = new Map<string, ValueRule>();
  const patterns: { readonly test: RegExp; readonly rule: ValueRule }[] = [];
  let catchAll: ValueRule | null = null;
  for (const rule of table.rules) {
    const from = keyOf(rule.from ?? '');
    if (rule.kind === 'exact') {
      if (!exact.has(from)) exact.set(from, rule);
    } else if (rule.kind === 'pattern' || (rule.kind === 'keep' && from !== '')) {
      if (from !== '') patterns.push({ test: patternExpression(from), rule });
    } else if (!catchAll) {
      catchAll = rule;
    }
  }
  const result = (value: string, rule: ValueRule): MappedValue => ({
    value: rule.kind === 'keep' ? value : (rule.to ?? value),
    rule,
  });
  return (value) => {
    const key = keyOf(value);
    const hit = exact.get(key);
    if (hit) return result(value, hit);
    if (key === '') return { value, rule: null };
    for (const p of patterns) if (p.test.test(key)) return result(value, p.rule);
    return catchAll ? result(value, catchAll) : { value, rule: null };
  };
}

/** Legacy values no rule maps, with their counts: findings for the grid and the readiness check. */
export function unmappedValues<T extends { readonly value: string }>(
  table: ValueMappingTable,
  values: readonly T[],
): T[] {
  const map = compileTable(table);
  return values.filter((v) => keyOf(v.value) !== '' && map(v.value).rule === null);
}
