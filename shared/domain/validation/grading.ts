/**
 * How sure a finding is, from where its rule came. F&O is the oracle: only a rule read from an
 * environment's own metadata, and not inferred there, can make a finding an error. A rule known
 * only from the built-in catalog or from what F&O's packages showed is at most a warning, and a
 * finding always says which source its rule came from. Rules about the file's own shape that DMF
 * documents (ragged rows, two columns for one field) keep their severity.
 */
import type { Provenance } from '../catalog/types';
import type { Severity } from './types';

/** The source of rules about the file's shape that DMF itself documents. */
export const FILE_FORMAT_SOURCE = 'DMF file format';
/** The source of the workbench's own memory bounds. */
export const LIMIT_SOURCE = 'workbench limit';

/** Where a rule comes from: the layer's words, and whether that layer only inferred it. */
export interface RuleSource {
  readonly provenance: Provenance;
  readonly inferred: boolean;
}

/** True when the rule is F&O's own word: its environment's metadata, not inferred there. */
export function isVerified(source: RuleSource): boolean {
  return source.provenance.layer === 'metadata' && !source.inferred;
}

/** The severity a finding gets: an unverified rule's error is a warning. */
export function gradeSeverity(severity: Severity, source: RuleSource): Severity {
  return severity === 'error' && !isVerified(source) ? 'warning' : severity;
}

/** The words a finding uses for its rule's source: "USMF-UAT metadata of 2026-12-01 (inferred)". */
export function sourceLabel(source: RuleSource): string {
  return source.inferred && source.provenance.layer === 'metadata'
    ? `${source.provenance.label} (inferred)`
    : source.provenance.label;
}

/** The weaker of two sources (an enum rule needs both the field's type and the enum's values). */
export function weakest(a: RuleSource, b: RuleSource): RuleSource {
  if (!isVerified(a)) return a;
  return isVerified(b) ? a : b;
}
