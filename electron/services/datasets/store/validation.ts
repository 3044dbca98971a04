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
import type { Table } from './table';

/** Findings kept per rule and column (all are counted): bounds memory on a file that is wrong everywhere. */
const MAX_FINDINGS_PER_RULE = 100_000;
const SLICE_ROWS = 5_000;

interface Indexed {
  readonly byRow: Map<number, CellIssue[]>;
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
  #current: Indexed = { byRow: new Map(), state: EMPTY };
  #generation = 0;
  #running = false;
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
    const byRow = this.#current.byRow;
    const { rule, column } = filter;
    if (rule === undefined && column === undefined) return (index) => byRow.has(index);
    return (index) => {
      const issues = byRow.get(index);
      return (
        issues !== undefined &&
        issues.some((i) => (rule === undefined || i.rule === rule) && (column === undefined || i.column === column))
      );
    };
  }

  /** Chooses the entity (null: stop validating). The entity is checked by the caller. */
  setEntity(entity: string | null): void {
    this.#entity = entity;
    this.#generation++;
    if (entity === null) {
      this.#current = { byRow: new Map(), state: EMPTY };
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
    const add = (finding: Finding) => {
      const index = table.indexOf(finding.row);
      if (index < 0) return;
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
    const summary = validator.summary();
    this.#current = {
      byRow,
      state: summarise(entity.label, byRow, validator.headerFindings, summary, dataVersion, knowledgeOf(this.catalog)),
    };
    this.#running = false;
    this.version++;
    return this.#current.state;
  }
}

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
