/** Validation's public API. See ARCHITECTURE.md "Entity catalog, validation, sequencing". */
export { RULE_CODES } from './types';
export type { ColumnMapping, Finding, ReferenceSnapshot, RuleCode, Severity, ValidationSummary } from './types';
export { createValidationSession, mapColumns, validateRows } from './validator';
export type { EntityValidator, ReferenceKeys, ValidationSession, ValidationSessionOptions } from './validator';
export { FILE_FORMAT_SOURCE, LIMIT_SOURCE, gradeSeverity, isVerified, sourceLabel } from './grading';
export type { RuleSource } from './grading';
export type { ValueFormats } from './cells';
export { KeySet, normalizeKeyPart } from './keySet';
