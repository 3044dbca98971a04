/** Validation findings: what the validator reports for a data file before it goes to F&O. */

export const RULE_CODES = [
  /** A mandatory field is empty. */
  'mandatory',
  /** Type rules, one per staging field type. */
  'int',
  'int64',
  'real',
  'date',
  'utc-datetime',
  'time',
  'guid',
  'enum',
  'noyes',
  /** A string is longer than its field. */
  'max-length',
  /** A key repeats an earlier row (trimmed, case-insensitive, as DMF's staging index compares). */
  'duplicate-key',
  /** A value is not a key of the referenced entity (same package or reference snapshot). */
  'reference',
  /** Column-level (row 0): a column maps to no field of the entity. */
  'unknown-column',
  /** Column-level: two columns map to one field. */
  'duplicate-column',
  /** Column-level: a key field has no column. */
  'unmapped-key',
  /** Column-level: a mandatory field has no column. */
  'unmapped-mandatory',
  /** A row has more cells than the header. */
  'extra-cells',
  /** A value of a column a project's value mapping table maps: no rule for it, or the table not applied yet. */
  'value-map',
  /** The key set or the pending reference list reached its memory bound: checks stopped. */
  'limit',
] as const;
export type RuleCode = (typeof RULE_CODES)[number];

export type Severity = 'error' | 'warning';

export interface Finding {
  /** 1-based data row (the header is not counted); 0 for a finding about a column or the whole file. */
  readonly row: number;
  /** The source column (header cell); '' when the finding is not about one column. */
  readonly column: string;
  /** The staging field, when the column maps to one. */
  readonly field: string | null;
  readonly rule: RuleCode;
  readonly severity: Severity;
  /** What is wrong and how to fix it, in one or two sentences. */
  readonly message: string;
  /**
   * Where the rule came from: "USMF-UAT metadata of 2026-12-01", "built-in, unverified",
   * "learnt from System setup.zip of 2026-11-30", "DMF file format" (see grading.ts).
   */
  readonly source: string;
  /** The offending cell, cut to 200 characters. */
  readonly value?: string;
  /** A duplicate key: the data row that first used the key (the first row of the duplicate set). */
  readonly repeats?: number;
}

export interface ValidationSummary {
  readonly entity: string;
  readonly rows: number;
  readonly cells: number;
  readonly errors: number;
  readonly warnings: number;
  /** Findings counted per rule, including those not kept because of the per-rule cap. */
  readonly byRule: Partial<Record<RuleCode, number>>;
  /** True when some findings were counted but not kept (cap per rule and column). */
  readonly truncated: boolean;
  /** Referenced entities that were neither in the package nor in the reference snapshot. */
  readonly uncheckedReferences: readonly string[];
  /** What each checked reference was checked against: "Customer groups: this package", "…: USMF snapshot of …". */
  readonly checkedReferences: readonly { readonly entity: string; readonly against: readonly string[] }[];
}

/** Maps one source column (by position in each row) to a staging field, or to nothing. */
export interface ColumnMapping {
  /** The header cell as the file has it. */
  readonly column: string;
  /** The staging field it feeds; null for a column the import ignores. */
  readonly field: string | null;
}

/**
 * Rows that already exist in the target environment, for reference checks: e.g. the customer
 * groups of the target legal entity when the package only carries customers.
 */
export interface ReferenceSnapshot {
  /** How findings name it: "USMF snapshot of USMF-UAT, 2026-12-01 10:00". */
  readonly label?: string;
  readonly entities: readonly {
    /** Label, target entity or public name. */
    readonly entity: string;
    /** Staging field names of the columns in `rows`. */
    readonly fields: readonly string[];
    readonly rows: readonly (readonly string[])[];
  }[];
}
