/**
 * The readiness check's tally of one source: findings counted per rule (all of them, as the
 * validator's summary counts), the first few kept to show what is meant, each with where its rule
 * came from.
 */
import type { ReadinessRule, SourceReadiness } from '../../../shared/api/domains/packages';
import type { Finding, RuleCode, Severity, ValidationSummary } from '../../../shared/domain/validation';

/** Findings shown per rule and source: enough to recognise the problem, not a report. */
const EXAMPLES_PER_RULE = 3;

export class SourceTally {
  readonly #rules = new Map<
    RuleCode,
    { severity: Severity; count: number; examples: ReadinessRule['examples'][number][] }
  >();
  #errors = 0;
  #warnings = 0;

  /** Findings as the validator emits them (kept ones; the summary counts the rest). */
  see(findings: readonly Finding[]): void {
    for (const f of findings) {
      let entry = this.#rules.get(f.rule);
      if (!entry) this.#rules.set(f.rule, (entry = { severity: f.severity, count: 0, examples: [] }));
      if (f.severity === 'error') entry.severity = 'error';
      if (entry.examples.length < EXAMPLES_PER_RULE)
        entry.examples.push({ row: f.row, column: f.column || (f.field ?? ''), message: f.message, source: f.source });
    }
  }

  /** The validator's own counts (every finding, kept or not). */
  count(summary: ValidationSummary): void {
    this.#errors += summary.errors;
    this.#warnings += summary.warnings;
    for (const [rule, count] of Object.entries(summary.byRule) as [RuleCode, number][]) {
      const entry = this.#rules.get(rule);
      if (entry) entry.count += count;
      // [INFER] counted but none kept (the per-rule cap): the rules that get that far are errors.
      else this.#rules.set(rule, { severity: 'error', count, examples: [] });
    }
  }

  /** Findings counted elsewhere (`count` of them, the examples given): the value tables' unmapped rows. */
  counted(rule: RuleCode, severity: Severity, count: number, examples: readonly Finding[]): void {
    if (count === 0) return;
    this.see(examples);
    const entry = this.#rules.get(rule) ?? { severity, count: 0, examples: [] };
    this.#rules.set(rule, entry);
    entry.count += count;
    if (severity === 'error') this.#errors += count;
    else this.#warnings += count;
  }

  /** Findings that came after the validator finished (references to entities checked later). */
  late(findings: readonly Finding[]): void {
    this.see(findings);
    for (const f of findings) {
      const entry = this.#rules.get(f.rule);
      if (entry) entry.count++;
      if (f.severity === 'error') this.#errors++;
      else this.#warnings++;
    }
  }

  result(): Pick<SourceReadiness, 'errors' | 'warnings' | 'rules'> {
    const rules = [...this.#rules]
      .filter(([, r]) => r.count > 0)
      .map(([rule, r]) => ({ rule, severity: r.severity, count: r.count, examples: r.examples }))
      .sort((a, b) => (a.severity === b.severity ? b.count - a.count : a.severity === 'error' ? -1 : 1));
    return { errors: this.#errors, warnings: this.#warnings, rules };
  }
}
