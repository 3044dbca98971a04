/**
 * Per-cell checks by staging field type. Each field gets one checker closure, built once per
 * validator, so the hot loop is a function call and a regular expression or two per cell.
 * Empty cells never reach a checker (the mandatory rule owns them).
 */
import { matchEnumValue } from '../catalog/lookup';
import type { CatalogEnum, CatalogField } from '../catalog/types';
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
  readonly dateOrder?: 'MDY' | 'DMY' | 'YMD';
}

const INT_RE = /^[+-]?\d{1,10}$/;
const INT64_RE = /^[+-]?\d{1,19}$/;
const REAL_DOT_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?$/;
const REAL_COMMA_RE = /^[+-]?(?:\d+(?:,\d*)?|,\d+)$/;
const GUID_RE = /^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$/;
const ISO_DATE_RE =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const LOCAL_DATE_RE = /^(\d{1,4})[/.](\d{1,2})[/.](\d{1,4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?(?: ?([AaPp][Mm]))?)?$/;
const TIME_RE = /^(\d{1,2}):(\d{2})(?::(\d{2}))?(?: ?([AaPp][Mm]))?$/;
const SECONDS_RE = /^\d{1,5}$/;

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;
/** F&O's date range: 1900-01-01 is its "empty" date, 2154-12-31 its maximum. */
const MIN_YEAR = 1900;
const MAX_YEAR = 2154;

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
        GUID_RE.test(value.trim())
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
    const v = value.trim();
    if (INT_RE.test(v)) {
      const n = Number(v);
      if (n >= INT32_MIN && n <= INT32_MAX) return null;
      return problem('int', `is outside the range of ${field.name} (−2147483648 to 2147483647): use a smaller number.`);
    }
    return problem(
      'int',
      `is not a whole number: ${field.name} takes digits only, e.g. 42 (no decimals or thousands separators).`,
    );
  };
}

function int64Checker(field: CatalogField): CellChecker {
  return (value) => {
    const v = value.trim();
    if (INT64_RE.test(v)) {
      if (v.replace(/^[+-]/, '').length < 19) return null;
      const n = BigInt(v);
      if (n >= INT64_MIN && n <= INT64_MAX) return null;
      return problem('int64', `is outside the range of ${field.name} (a 64-bit whole number): use a smaller number.`);
    }
    return problem('int64', `is not a whole number: ${field.name} takes digits only, e.g. 1000042.`);
  };
}

function realChecker(field: CatalogField, separator: '.' | ','): CellChecker {
  const re = separator === '.' ? REAL_DOT_RE : REAL_COMMA_RE;
  const example = separator === '.' ? '1234.56' : '1234,56';
  return (value) =>
    re.test(value.trim())
      ? null
      : problem(
          'real',
          `is not a decimal number: ${field.name} takes digits with "${separator}" as the decimal separator and no thousands separators, e.g. ${example}.`,
        );
}

function daysInMonth(year: number, month: number): number {
  return month === 2
    ? year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
      ? 29
      : 28
    : [4, 6, 9, 11].includes(month)
      ? 30
      : 31;
}

/** [year, month, day, hour, minute, second, highest hour] of a date cell, or null when it is not one. */
function dateParts(v: string, order: 'MDY' | 'DMY' | 'YMD'): number[] | null {
  const iso = ISO_DATE_RE.exec(v);
  if (iso) return [1, 2, 3, 4, 5, 6].map((i) => Number(iso[i] ?? 0)).concat(23);
  const local = LOCAL_DATE_RE.exec(v);
  if (!local) return null;
  const [a, b, c] = [Number(local[1]), Number(local[2]), Number(local[3])];
  // A four-digit first part is always a year (2024/01/31), whatever the configured order.
  const ymd = order === 'YMD' || (local[1] ?? '').length === 4 ? [a, b, c] : order === 'DMY' ? [c, b, a] : [c, a, b];
  return ymd.concat(
    [4, 5, 6].map((i) => Number(local[i] ?? 0)),
    local[7] ? 12 : 23,
  );
}

/** Year, month, day of a date cell and whether it is a real date and time, or null when it is not one. */
function parseDate(v: string, order: 'MDY' | 'DMY' | 'YMD'): { y: number; ok: boolean } | null {
  const parts = dateParts(v, order);
  if (!parts) return null;
  const [y = 0, m = 0, d = 0, hour = 0, minute = 0, second = 0, maxHour = 23] = parts;
  const ok = m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m) && hour <= maxHour && minute <= 59 && second <= 59;
  return { y, ok };
}

function dateChecker(field: CatalogField, order: 'MDY' | 'DMY' | 'YMD', rule: RuleCode, expected: string): CellChecker {
  const orderHint = order === 'YMD' ? 'YYYY/MM/DD' : order === 'DMY' ? 'DD/MM/YYYY' : 'MM/DD/YYYY';
  return (value) => {
    const parsed = parseDate(value.trim(), order);
    if (!parsed) {
      return problem(
        rule,
        `is not ${expected}: ${field.name} takes YYYY-MM-DD (or ${orderHint} in this file's date order).`,
      );
    }
    if (!parsed.ok) return problem(rule, `is not a real calendar date or time: check the day, month and hour.`);
    if (parsed.y < MIN_YEAR || parsed.y > MAX_YEAR) {
      return problem(rule, `is outside F&O's date range (${MIN_YEAR}-01-01 to ${MAX_YEAR}-12-31): correct the year.`);
    }
    return null;
  };
}

function timeChecker(field: CatalogField): CellChecker {
  return (value) => {
    const v = value.trim();
    // F&O stores a time of day as seconds after midnight; exports show it as HH:MM:SS.
    if (SECONDS_RE.test(v))
      return Number(v) < 86400 ? null : problem('time', `is more seconds than a day has (86399 at most).`);
    const t = TIME_RE.exec(v);
    const maxHour = t?.[4] ? 12 : 23;
    if (t && Number(t[1]) <= maxHour && Number(t[2]) <= 59 && Number(t[3] ?? 0) <= 59) return null;
    return problem('time', `is not a time of day: ${field.name} takes HH:MM:SS, e.g. 13:45:00.`);
  };
}

function enumChecker(field: CatalogField, enumDef: CatalogEnum | undefined): CellChecker {
  const rule: RuleCode = field.type === 'NoYes' ? 'noyes' : 'enum';
  if (!enumDef) return () => null; // unknown enum (partial live metadata): nothing to check against
  const choices = enumDef.values.map((v) => (v.label === v.name ? v.name : `${v.name} (${v.label})`)).join(', ');
  const byValue = new Map(enumDef.values.map((v) => [String(v.value), v]));
  return (value) => {
    if (matchEnumValue(enumDef, value)) return null;
    const v = value.trim().toLowerCase();
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
