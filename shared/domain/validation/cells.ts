/**
 * Per-cell checks by staging field type. Each field gets one checker closure, built once per
 * validator, so the hot loop is a function call and a regular expression or two per cell.
 * Empty cells never reach a checker (the mandatory rule owns them).
 */
import type { CatalogEnum, CatalogField } from '../catalog/types';
import { MAX_YEAR, MIN_YEAR, parseDateTime, parseGuid, parseReal, parseTimeOfDay, wholeNumberProblem } from '../values';
import type { DateOrder } from '../values';
import type { RuleCode, Severity } from './types';

export interface CellProblem {
  readonly rule: RuleCode;
  readonly severity: Severity;
  /** Completes "<FIELD> <value> …": what is wrong and how to fix it. */
  readonly message: string;
}

export type CellChecker = (value: string) => CellProblem | null;

export interface ValueFormats {
  /** Decimal separator of Real values. F&O's CSV-Unicode defaults to en-US, so '.' by default. */
  readonly decimalSeparator?: '.' | ',';
  /**
   * Order of day, month and year in slashed or dotted dates (1/31/2024, 31.01.2024). ISO dates
   * (2024-01-31, F&O's own export style "2024-01-31 00:00:00") are always accepted. Default MDY:
   * the en-US locale of the standard source data formats [INFER].
   */
  readonly dateOrder?: DateOrder;
}

/**
 * Cells at most this long pass `checkerFor(field)` without a call: a String field's length limit
 * (validation's hot loop skips a megamorphic call for most cells), -1 for other types.
 */
export function lengthThatFits(field: CatalogField): number {
  return field.type === 'String' ? (field.maxLength ?? Infinity) : -1;
}

export function checkerFor(field: CatalogField, enumDef: CatalogEnum | undefined, formats: ValueFormats): CellChecker {
  switch (field.type) {
    case 'String':
      return stringChecker(field);
    case 'Int':
      return intChecker(field);
    case 'Int64':
      return int64Checker(field);
    case 'Real':
      return realChecker(field, formats.decimalSeparator ?? '.');
    case 'Date':
      return dateChecker(field, formats.dateOrder ?? 'MDY', 'date', 'a date, e.g. 2024-01-31');
    case 'UtcDateTime':
      return dateChecker(
        field,
        formats.dateOrder ?? 'MDY',
        'utc-datetime',
        'a date and time, e.g. 2024-01-31T13:45:00Z',
      );
    case 'Time':
      return timeChecker(field);
    case 'Guid':
      return (value) =>
        parseGuid(value) !== null
          ? null
          : problem(
              'guid',
              `is not a GUID: write it as 8-4-4-4-12 hexadecimal digits, e.g. {2608F674-1C5A-4C8E-9E5D-0A2B3C4D5E6F}.`,
            );
    case 'Enum':
    case 'NoYes':
      return enumChecker(field, enumDef);
  }
}

function problem(rule: RuleCode, message: string, severity: Severity = 'error'): CellProblem {
  return { rule, severity, message };
}

function stringChecker(field: CatalogField): CellChecker {
  const max = field.maxLength;
  if (max === undefined) return () => null;
  return (value) => {
    if (value.length <= max) return null;
    // Surrounding spaces do not reach the table [INFER], so only the trimmed text must fit.
    const length = value.trim().length;
    if (length <= max) return null;
    return problem('max-length', `is ${length} characters long; ${field.name} holds at most ${max}: shorten it.`);
  };
}

function intChecker(field: CatalogField): CellChecker {
  return (value) => {
    const why = wholeNumberProblem(value, 32);
    if (why === null) return null;
    return why === 'range'
      ? problem('int', `is outside the range of ${field.name} (−2147483648 to 2147483647): use a smaller number.`)
      : problem(
          'int',
          `is not a whole number: ${field.name} takes digits only, e.g. 42 (no decimals or thousands separators).`,
        );
  };
}

function int64Checker(field: CatalogField): CellChecker {
  return (value) => {
    const why = wholeNumberProblem(value, 64);
    if (why === null) return null;
    return why === 'range'
      ? problem('int64', `is outside the range of ${field.name} (a 64-bit whole number): use a smaller number.`)
      : problem('int64', `is not a whole number: ${field.name} takes digits only, e.g. 1000042.`);
  };
}

function realChecker(field: CatalogField, separator: '.' | ','): CellChecker {
  const example = separator === '.' ? '1234.56' : '1234,56';
  return (value) =>
    parseReal(value, separator) !== null
      ? null
      : problem(
          'real',
          `is not a decimal number: ${field.name} takes digits with "${separator}" as the decimal separator and no thousands separators, e.g. ${example}.`,
        );
}

function dateChecker(field: CatalogField, order: DateOrder, rule: RuleCode, expected: string): CellChecker {
  const orderHint = order === 'YMD' ? 'YYYY/MM/DD' : order === 'DMY' ? 'DD/MM/YYYY' : 'MM/DD/YYYY';
  return (value) => {
    const parsed = parseDateTime(value, order);
    if (!parsed) {
      return problem(
        rule,
        `is not ${expected}: ${field.name} takes YYYY-MM-DD (or ${orderHint} in this file's date order).`,
      );
    }
    if (parsed.problem === 'calendar')
      return problem(rule, `is not a real calendar date or time: check the day, month and hour.`);
    if (parsed.problem === 'range') {
      return problem(rule, `is outside F&O's date range (${MIN_YEAR}-01-01 to ${MAX_YEAR}-12-31): correct the year.`);
    }
    return null;
  };
}

function timeChecker(field: CatalogField): CellChecker {
  return (value) => {
    // F&O stores a time of day as seconds after midnight; files may carry either form.
    if (parseTimeOfDay(value) !== null) return null;
    if (/^\d+$/.test(value.trim())) return problem('time', `is more seconds than a day has (86399 at most).`);
    return problem('time', `is not a time of day: ${field.name} takes HH:MM:SS, e.g. 13:45:00.`);
  };
}

function enumChecker(field: CatalogField, enumDef: CatalogEnum | undefined): CellChecker {
  const rule: RuleCode = field.type === 'NoYes' ? 'noyes' : 'enum';
  if (!enumDef) return () => null; // unknown enum (partial live metadata): nothing to check against
  const choices = enumDef.values.map((v) => (v.label === v.name ? v.name : `${v.name} (${v.label})`)).join(', ');
  // Values known by name only (value -1: seen in an F&O export) have no number behind them.
  const byValue = new Map(enumDef.values.filter((v) => v.value >= 0).map((v) => [String(v.value), v]));
  // matchEnumValue, precomputed: a cell costs a lookup or two instead of lower-casing every
  // value's name and label. `spelled`: the names and labels as written (and lower-cased) that
  // match as they are, so a typical cell needs no trimming or lower-casing either.
  const targets = new Set(enumDef.values.flatMap((v) => [v.name.toLowerCase(), v.label.toLowerCase()]));
  const spelled = new Set(
    enumDef.values
      .flatMap((v) => [v.name, v.label, v.name.toLowerCase(), v.label.toLowerCase()])
      .filter((text) => targets.has(text.trim().toLowerCase())),
  );
  return (value) => {
    if (spelled.has(value)) return null;
    const v = value.trim().toLowerCase();
    if (targets.has(v)) return null;
    const numeric = byValue.get(v);
    if (numeric) {
      return problem(
        rule,
        `is the number behind ${enumDef.name}.${numeric.name}; DMF maps enum text, so write "${numeric.name}" instead.`,
        'warning',
      );
    }
    if (rule === 'noyes' && (v === 'true' || v === 'false')) {
      return problem(
        rule,
        `is a boolean; ${field.name} is a NoYes field: write "${v === 'true' ? 'Yes' : 'No'}".`,
        'warning',
      );
    }
    return problem(rule, `is not a value of ${enumDef.name}: use one of ${choices}.`);
  };
}
