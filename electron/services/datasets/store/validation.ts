/**
 * Validation findings of a dataset, indexed by row for the grid: engine-rules' streaming validator
 * (shared/domain/validation) run over the table in slices, yielding between slices so that page
 * reads stay quick while a million rows are checked. After edits the whole table is validated
 * again (key and reference checks need every row); a newer run makes an older one stop.
 */
import type { CellIssue, IssueCount, ValidationState } from '../../../../shared/api/domains/datasets';
import type { CatalogIndex } from '../../../../shared/domain/catalog';
import { knowledgeOf } from '../../../../shared/domain/catalog/layers';
import { createValidationSession, mapColumns } from '../../../../shared/domain/validation';
import type { Finding, RuleCode } from '../../../../shared/domain/validation';
import { valueChecker } from '../../../../shared/domain/valueMapping';
import type { CheckedValue, ValueRule } from '../../../../shared/domain/valueMapping';
import type { Table } from './table';

/** A project's value mapping table over one column of the rows: its values are checked against it. */
export interface ValueCheck {
  /** The source column, by name. */
  readonly column: string;
  readonly table: string;
  readonly name: string;
  readonly rules: readonly ValueRule[];
  /** The field's valid F&O values, when the table knows them. */
  readonly targets: readonly string[] | null;
}

/** Findings kept per rule and column (all are counted): bounds memory on a file that is wrong everywhere. */
const MAX_FINDINGS_PER_RULE = 100_000;
const SLICE_ROWS = 5_000;

interface Indexed {
  readonly byRow: Map<number, CellIssue[]>;
  /**
   * Rows of duplicate sets (load index → the load index of the set's first row, and the column
   * the repeats are flagged in): the first row has no finding of its own (its repeats are
   * flagged), but the duplicate-key filter shows it beside them.
   */
  readonly duplicates: Map<number, { readonly first: number; readonly column: number }>;
  readonly state: ValidationState;
}

const EMPTY: ValidationState = {
  entity: null,
  state: 'none',
  errors: 0,
  warnings: 0,
  rows: 0,
  byRule: [],
  byColumn: [],
  byRuleAndColumn: [],
  fileFindings: [],
  truncated: false,
  uncheckedReferences: [],
  checkedReferences: [],
  knowledge: [],
  version: 0,
};

export class DatasetValidation {
  #entity: string | null = null;
  #current: Indexed = { byRow: new Map(), duplicates: new Map(), state: EMPTY };
  #generation = 0;
  #running = false;
  #valueChecks: readonly ValueCheck[] = [];
  /** Bumped when the findings change (views filtered by findings compare it). */
  version = 0;

  constructor(
    private readonly table: Table,
    private readonly catalog: CatalogIndex,
  ) {}

  get entity(): string | null {
    return this.#entity;
  }

  get state(): ValidationState {
    const state = this.#current.state;
    return this.#running ? { ...state, entity: this.#entity, state: 'running' } : state;
  }

  /** Findings of one row (load index). */
  issuesOf(index: number): readonly CellIssue[] | undefined {
    return this.#current.byRow.get(index);
  }

  /** A row test for the issues filter; null when nothing is validated. */
  rowTest(filter: { rule?: string; column?: number }): ((index: number) => boolean) | null {
    if (this.#entity === null) return null;
    const { byRow, duplicates } = this.#current;
    const { rule, column } = filter;
    if (rule === undefined && column === undefined) return (index) => byRow.has(index);
    const first =
      rule === 'duplicate-key'
        ? (index: number) => {
            const set = duplicates.get(index);
            return set !== undefined && (column === undefined || set.column === column);
          }
        : () => false;
    return (index) => {
      const issues = byRow.get(index);
      return (
        (issues !== undefined &&
          issues.some(
            (i) => (rule === undefined || i.rule === rule) && (column === undefined || i.column === column),
          )) ||
        first(index)
      );
    };
  }

  /** The value mapping tables of the project that map columns of these rows (checked on the next run). */
  setValueChecks(checks: readonly ValueCheck[]): void {
    this.#valueChecks = checks;
  }

  /** The duplicate-key filter shows each duplicate set together, its first row first. */
  rowOrder(filter: { rule?: string; column?: number }): ((index: number) => number) | null {
    if (this.#entity === null || filter.rule !== 'duplicate-key') return null;
    const duplicates = this.#current.duplicates;
    return (index) => duplicates.get(index)?.first ?? index;
  }

  /** Chooses the entity (null: stop validating). The entity is checked by the caller. */
  setEntity(entity: string | null): void {
    this.#entity = entity;
    this.#generation++;
    if (entity === null) {
      this.#current = { byRow: new Map(), duplicates: new Map(), state: EMPTY };
      this.#running = false;
      this.version++;
    }
  }

  /**
   * Validates every row now loaded. Resolves with the new state, or null when a newer run (or a
   * change of entity) superseded this one.
   */
  async run(): Promise<ValidationState | null> {
    const entityName = this.#entity;
    if (entityName === null) return null;
    const generation = ++this.#generation;
    this.#running = true;
    const table = this.table;
    const dataVersion = table.version;
    const entity = this.catalog.requireEntity(entityName);
    const header = table.columns.map((c) => c.name);
    const mapping = mapColumns(header, entity).map((m, i) => (table.columns[i]?.readOnly ? { ...m, field: null } : m));
    const session = createValidationSession({
      catalog: this.catalog,
      packageEntities: [entity.label],
      packageLabel: 'this file',
      maxFindingsPerRule: MAX_FINDINGS_PER_RULE,
    });
    const validator = session.validator(entity.label, mapping);
    const columnIndex = new Map<string, number>();
    header.forEach((name, i) => {
      if (!columnIndex.has(name)) columnIndex.set(name, i);
    });
    const byRow = new Map<number, CellIssue[]>();
    const duplicates = new Map<number, { first: number; column: number }>();
    const add = (finding: Finding) => {
      const index = table.indexOf(finding.row);
      if (index < 0) return;
      if (finding.rule === 'duplicate-key' && finding.repeats !== undefined) {
        const first = table.indexOf(finding.repeats);
        const column = finding.column === '' ? -1 : (columnIndex.get(finding.column) ?? -1);
        if (first >= 0) {
          duplicates.set(index, { first, column });
          duplicates.set(first, { first, column });
        }
      }
      const issue: CellIssue = {
        column: finding.column === '' ? -1 : (columnIndex.get(finding.column) ?? -1),
        rule: finding.rule,
        severity: finding.severity,
        message: finding.message,
        source: finding.source,
      };
      const list = byRow.get(index);
      if (list) list.push(issue);
      else byRow.set(index, [issue]);
    };
    const rowCount = table.rowCount;
    for (let start = 0; start < rowCount; start += SLICE_ROWS) {
      const end = Math.min(rowCount, start + SLICE_ROWS);
      const rows: string[][] = [];
      const ids: number[] = [];
      for (let i = start; i < end; i++) {
        rows.push(table.row(i));
        ids.push(table.rowId(i));
      }
      for (const finding of validator.validateRows(rows, ids)) add(finding);
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (generation !== this.#generation) return null;
    }
    for (const finding of validator.finish()) add(finding);
    for (const late of session.finish()) for (const finding of late.findings) add(finding);
    const mapped = await this.#checkValues(add, generation);
    if (mapped === null) return null;
    const base = validator.summary();
    const summary =
      mapped.count === 0
        ? base
        : {
            ...base,
            warnings: base.warnings + mapped.count,
            byRule: { ...base.byRule, 'value-map': mapped.count },
            truncated: base.truncated || mapped.count > mapped.kept,
          };
    this.#current = {
      byRow,
      duplicates,
      state: summarise(entity.label, byRow, validator.headerFindings, summary, dataVersion, knowledgeOf(this.catalog)),
    };
    this.#running = false;
    this.version++;
    return this.#current.state;
  }

  /**
   * Warnings for the cells of mapped columns that still hold a legacy value (the table is not
   * applied) or a value no rule maps. Each distinct value is checked once. Null when superseded.
   */
  async #checkValues(
    add: (finding: Finding) => void,
    generation: number,
  ): Promise<{ count: number; kept: number } | null> {
    const table = this.table;
    let count = 0;
    let kept = 0;
    for (const check of this.#valueChecks) {
      const column = table.findColumn(check.column);
      if (column < 0 || table.columns[column]?.readOnly) continue;
      const checker = valueChecker(
        { id: check.table, entity: '', field: check.column, rules: check.rules },
        check.targets,
      );
      const seen = new Map<string, CheckedValue>();
      const cells = table.column(column);
      for (let i = 0; i < table.rowCount; i++) {
        if (i % SLICE_ROWS === SLICE_ROWS - 1) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          if (generation !== this.#generation) return null;
        }
        const value = cells.get(i);
        let checked = seen.get(value);
        if (!checked) {
          checked = checker(value);
          seen.set(value, checked);
        }
        if (checked.status !== 'legacy' && checked.status !== 'unmapped') continue;
        count++;
        if (kept >= MAX_FINDINGS_PER_RULE) continue;
        kept++;
        add({
          row: table.rowId(i),
          column: table.columns[column]?.name ?? check.column,
          field: null,
          rule: 'value-map',
          severity: 'warning',
          message: VALUE_MESSAGE[checked.status](value.trim(), check.name, checked.to ?? ''),
          source: `the project's value table "${check.name}"`,
          value,
        });
      }
    }
    return { count, kept };
  }
}

const VALUE_MESSAGE: Readonly<Record<'legacy' | 'unmapped', (value: string, name: string, to: string) => string>> = {
  legacy: (value, name, to) =>
    `"${value}" is a legacy value that the value table "${name}" maps to "${to}": apply the table (Values › Value mapping › Apply).`,
  unmapped: (value, name) =>
    `"${value}" has no rule in the value table "${name}": map it in Values › Value mapping, or correct the cell.`,
};

function summarise(
  entity: string,
  byRow: Map<number, CellIssue[]>,
  fileFindings: readonly Finding[],
  summary: {
    errors: number;
    warnings: number;
    byRule: Partial<Record<RuleCode, number>>;
    truncated: boolean;
    uncheckedReferences: readonly string[];
    checkedReferences: ValidationState['checkedReferences'];
  },
  version: number,
  knowledge: ValidationState['knowledge'],
): ValidationState {
  const severities = new Map<RuleCode, CellIssue['severity']>();
  const sources = new Map<RuleCode, Set<string>>();
  const sourced = (rule: RuleCode, source: string) => {
    const set = sources.get(rule);
    if (set) set.add(source);
    else sources.set(rule, new Set([source]));
  };
  const byColumn = new Map<number, number>();
  const byRuleAndColumn = new Map<string, { rule: RuleCode; column: number; count: number }>();
  for (const issues of byRow.values()) {
    for (const issue of issues) {
      severities.set(issue.rule, issue.severity === 'error' ? 'error' : (severities.get(issue.rule) ?? 'warning'));
      sourced(issue.rule, issue.source);
      byColumn.set(issue.column, (byColumn.get(issue.column) ?? 0) + 1);
      const key = `${issue.rule}\u0000${issue.column}`;
      const entry = byRuleAndColumn.get(key);
      if (entry) entry.count++;
      else byRuleAndColumn.set(key, { rule: issue.rule, column: issue.column, count: 1 });
    }
  }
  for (const f of fileFindings) {
    severities.set(f.rule, f.severity === 'error' ? 'error' : (severities.get(f.rule) ?? 'warning'));
    sourced(f.rule, f.source);
  }
  const byRule: IssueCount[] = Object.entries(summary.byRule)
    .map(([rule, count]) => ({
      rule: rule as RuleCode,
      severity: severities.get(rule as RuleCode) ?? 'error',
      count: count ?? 0,
      sources: [...(sources.get(rule as RuleCode) ?? [])],
    }))
    .sort((a, b) => b.count - a.count);
  return {
    entity,
    state: 'ready',
    errors: summary.errors,
    warnings: summary.warnings,
    rows: byRow.size,
    byRule,
    byColumn: [...byColumn].map(([column, count]) => ({ column, count })).sort((a, b) => b.count - a.count),
    byRuleAndColumn: [...byRuleAndColumn.values()].sort((a, b) => b.count - a.count),
    fileFindings: fileFindings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      column: f.column || (f.field ?? ''),
      message: f.message,
      source: f.source,
    })),
    truncated: summary.truncated,
    uncheckedReferences: summary.uncheckedReferences,
    checkedReferences: summary.checkedReferences,
    knowledge,
    version,
  };
}
