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
 *
 * Why the data is converted rather than the package carrying the table in the manifest's
 * EntityFieldConversionList (dmf-reference.md §1.3): that list holds exact Source/Staging pairs
 * per field type and one default, so patterns and "keep the original" cannot be said in it; it is
 * `i:nil` in every real package, its serialised form is known only from the DLL, so writing it
 * would be a guess F&O may refuse; and a conversion inside F&O is invisible before upload: the
 * grid, validation, the readiness check and the sign-off report would all see legacy codes while
 * F&O stages others, and the error round trip matches staging rows to package rows by content.
 * Converted data is what the consultant sees, validates, sends and reconciles.
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

export interface CompileOptions {
  /**
   * The valid F&O values of the field (enum names, keys), when known. A cell already holding one is
   * left alone by patterns and the catch-all: applying a table twice, or to an extract that already
   * carries some F&O codes, must not turn "Net60" into the default. Exact rules still win, so a
   * renumbering ("10" → "20", "20" → "30") maps as written. [INFER] migration tools document the
   * rule kinds, not this order; it is the one that never rewrites a valid value by accident.
   */
  readonly targets?: Iterable<string>;
}

/**
 * The table as a function from a legacy value to what it becomes. Exact rules are one map lookup,
 * so a 1M-row column costs one trim and lower-casing per cell plus the patterns for the rest.
 */
export function compileTable(table: ValueMappingTable, options: CompileOptions = {}): (value: string) => MappedValue {
  const valid = options.targets ? new Set([...options.targets].map(keyOf)) : null;
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
    if (key === '' || valid?.has(key)) return { value, rule: null };
    for (const p of patterns) if (p.test.test(key)) return result(value, p.rule);
    return catchAll ? result(value, catchAll) : { value, rule: null };
  };
}

/**
 * What a cell of a mapped column holds, for findings and the readiness check:
 * - `legacy`: a legacy value a rule maps to another value (the table is not applied yet);
 * - `valid`: an F&O value (one of the targets, a value some rule writes, or kept by a keep rule);
 * - `unmapped`: a value no rule maps and that is not known as an F&O value;
 * - `blank`.
 */
export type ValueStatus = 'legacy' | 'valid' | 'unmapped' | 'blank';

export interface CheckedValue {
  readonly status: ValueStatus;
  /** For `legacy`: what the table writes instead. */
  readonly to?: string;
  readonly rule?: ValueRule;
}

/**
 * The status of each value of a column the table maps. Without a target list the values the
 * rules write stand for the valid ones (a table of codes usually names every code it uses).
 */
export function valueChecker(
  table: ValueMappingTable,
  targets: Iterable<string> | null,
): (value: string) => CheckedValue {
  const valid = new Set(
    targets ? [...targets].map(keyOf) : table.rules.flatMap((r) => (r.to === undefined ? [] : [keyOf(r.to)])),
  );
  const map = compileTable(table, { targets: valid });
  return (value) => {
    const key = keyOf(value);
    if (key === '') return { status: 'blank' };
    const { value: to, rule } = map(value);
    if (rule && keyOf(to) !== key) return { status: 'legacy', to, rule };
    if (rule || valid.has(key)) return { status: 'valid', ...(rule ? { rule } : {}) };
    return { status: 'unmapped' };
  };
}

/** Legacy values no rule maps, with their counts: findings for the grid and the readiness check. */
export function unmappedValues<T extends { readonly value: string }>(
  table: ValueMappingTable,
  values: readonly T[],
  targets: Iterable<string> | null = null,
): T[] {
  const check = targets ? valueChecker(table, targets) : null;
  const map = compileTable(table);
  return values.filter((v) =>
    check ? check(v.value).status === 'unmapped' : keyOf(v.value) !== '' && map(v.value).rule === null,
  );
}
