/** Validation findings as the grid shows them: per cell, with a label per rule. */
import type { CellIssue, DatasetRow } from '../../../shared/api/domains/datasets';
import type { RuleCode } from '../../../shared/domain/validation/types';

const NONE: readonly CellIssue[] = [];

/** Findings of one cell (column -1: findings about the whole row). */
export function issuesAt(row: DatasetRow | undefined, column: number): readonly CellIssue[] {
  const issues = row?.issues;
  if (!issues) return NONE;
  return issues.filter((i) => i.column === column);
}

/** What each rule checks, in the consultant's words. */
export const RULE_LABELS: Readonly<Record<RuleCode, string>> = {
  mandatory: 'Mandatory value missing',
  int: 'Not a whole number',
  int64: 'Not a whole number (Int64)',
  real: 'Not a number',
  date: 'Not a date',
  'utc-datetime': 'Not a date and time',
  time: 'Not a time',
  guid: 'Not a GUID',
  enum: 'Not a value of the enumeration',
  noyes: 'Not Yes or No',
  'max-length': 'Longer than the field',
  'duplicate-key': 'Duplicate key',
  reference: 'Reference not found',
  'unknown-column': 'Column not in the entity',
  'duplicate-column': 'Two columns for one field',
  'unmapped-key': 'Key field has no column',
  'unmapped-mandatory': 'Mandatory field has no column',
  'extra-cells': 'More cells than the header',
  'value-map': 'Value not mapped',
  limit: 'Checks stopped at a limit',
};

/** A finding's message split into what is wrong and what to do (messages read "problem: fix"). */
export function splitMessage(message: string): { problem: string; fix: string | null } {
  const at = message.indexOf(': ');
  if (at < 0) return { problem: message, fix: null };
  const fix = message.slice(at + 2);
  return { problem: message.slice(0, at), fix: fix.charAt(0).toUpperCase() + fix.slice(1) };
}
