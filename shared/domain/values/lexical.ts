/**
 * How F&O data files write typed values, read lexically: whole numbers, decimals, dates and times,
 * times of day, GUIDs. One set of parsers for the workbench's validation (which turns a failure
 * into a finding that says how to fix it) and the emulator's source → staging conversion (which
 * turns it into F&O's staging error). Pure and allocation-light: both run once per cell.
 */

/** Order of day, month and year in slashed or dotted dates (1/31/2024, 31.01.2024). */
export type DateOrder = 'MDY' | 'DMY' | 'YMD';

/** F&O's date range: 1900-01-01 is its "empty" date, 2154-12-31 its maximum. */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2154;

const INT32_RE = /^[+-]?\d{1,10}$/;
const INT64_RE = /^[+-]?\d{1,19}$/;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const INT64_MIN = -9223372036854775808n;
const INT64_MAX = 9223372036854775807n;

/**
 * Why a whole number cell is not an Int (32-bit) or Int64, or null when it is one. Digits only,
 * an optional sign; no decimals or thousands separators.
 */
export function wholeNumberProblem(text: string, bits: 32 | 64): 'format' | 'range' | null {
  const v = text.trim();
  if (bits === 32) {
    if (!INT32_RE.test(v)) return 'format';
    const n = Number(v);
    return n >= INT32_MIN && n <= INT32_MAX ? null : 'range';
  }
  if (!INT64_RE.test(v)) return 'format';
  if (v.replace(/^[+-]/, '').length < 19) return null;
  const n = BigInt(v);
  return n >= INT64_MIN && n <= INT64_MAX ? null : 'range';
}

/** Exports write reals without a leading zero (".5"); both forms parse, as does an exponent. */
const REAL_DOT_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?$/;
const REAL_COMMA_RE = /^[+-]?(?:\d+(?:,\d*)?|,\d+)$/;

/** A decimal cell's value, or null when it is not one (no thousands separators). */
export function parseReal(text: string, separator: '.' | ',' = '.'): number | null {
  const v = text.trim();
  if (separator === '.') {
    if (!REAL_DOT_RE.test(v)) return null;
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  }
  return REAL_COMMA_RE.test(v) ? Number(v.replace(',', '.')) : null;
}

export interface DateTimeParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  /** 0–23 (AM/PM already applied). */
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** Minutes east of UTC the text names (`+02:00`), 0 for `Z`, null when it names none. */
  readonly offsetMinutes: number | null;
  /** Why it is no date F&O can hold, or null: not a calendar date or time, or outside 1900–2154. */
  readonly problem: 'calendar' | 'range' | null;
}

const ISO_DATE_RE =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d{1,7})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const LOCAL_DATE_RE = /^(\d{1,4})[/.](\d{1,2})[/.](\d{1,4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?(?: ?([AaPp][Mm]))?)?$/;

export function daysInMonth(year: number, month: number): number {
  return month === 2
    ? year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
      ? 29
      : 28
    : month === 4 || month === 6 || month === 9 || month === 11
      ? 30
      : 31;
}

/**
 * A date or date-and-time cell: ISO (`2024-01-31`, `2024-01-31T13:45:00Z`, F&O's export style
 * `2024-01-31 00:00:00`) in any locale, or local (`1/31/2024 1:03 PM`, `31.01.2024`) in `order`;
 * a four-digit first part is always a year. Null when the text is no date at all; otherwise the
 * parts and whether they make a date F&O can hold.
 */
export function parseDateTime(text: string, order: DateOrder = 'MDY'): DateTimeParts | null {
  const v = text.trim();
  let year: number, month: number, day: number, hour: number, minute: number, second: number;
  let offsetMinutes: number | null = null;
  let hourOk = true;
  const iso = ISO_DATE_RE.exec(v);
  if (iso) {
    [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
    [hour, minute, second] = [Number(iso[4] ?? 0), Number(iso[5] ?? 0), Number(iso[6] ?? 0)];
    const zone = iso[7];
    if (zone === 'Z') offsetMinutes = 0;
    else if (zone) {
      const digits = zone.replace(':', '');
      offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
    }
  } else {
    const local = LOCAL_DATE_RE.exec(v);
    if (!local) return null;
    const [a, b, c] = [Number(local[1]), Number(local[2]), Number(local[3])];
    if (order === 'YMD' || (local[1] ?? '').length === 4) [year, month, day] = [a, b, c];
    else if (order === 'DMY') [year, month, day] = [c, b, a];
    else [year, month, day] = [c, a, b];
    [hour, minute, second] = [Number(local[4] ?? 0), Number(local[5] ?? 0), Number(local[6] ?? 0)];
    const ampm = local[7]?.toLowerCase();
    if (ampm) {
      hourOk = hour >= 1 && hour <= 12;
      if (ampm === 'pm' && hour < 12) hour += 12;
      if (ampm === 'am' && hour === 12) hour = 0;
    }
  }
  const calendar =
    hourOk &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59;
  const problem = !calendar ? 'calendar' : year < MIN_YEAR || year > MAX_YEAR ? 'range' : null;
  return { year, month, day, hour, minute, second, offsetMinutes, problem };
}

const TIME_RE = /^(\d{1,2}):(\d{2})(?::(\d{2}))?(?: ?([AaPp][Mm]))?$/;
const SECONDS_RE = /^\d{1,5}$/;

/**
 * A time of day in seconds after midnight (how F&O stores it), or null: `13:45`, `13:45:00`,
 * `1:45 PM`, or the seconds themselves (`49500`, below 86400).
 */
export function parseTimeOfDay(text: string): number | null {
  const v = text.trim();
  if (SECONDS_RE.test(v)) {
    const s = Number(v);
    return s < 86400 ? s : null;
  }
  const t = TIME_RE.exec(v);
  if (!t) return null;
  let hour = Number(t[1]);
  const [minute, second] = [Number(t[2]), Number(t[3] ?? 0)];
  const ampm = t[4]?.toLowerCase();
  if (ampm) {
    if (hour < 1 || hour > 12) return null;
    if (ampm === 'pm' && hour < 12) hour += 12;
    if (ampm === 'am' && hour === 12) hour = 0;
  }
  if (hour > 23 || minute > 59 || second > 59) return null;
  return hour * 3600 + minute * 60 + second;
}

const GUID_RE = /^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$/;

/** A GUID cell (with or without braces) in upper case without braces, or null. */
export function parseGuid(text: string): string | null {
  const m = GUID_RE.exec(text.trim());
  return m?.[1] ? m[1].toUpperCase() : null;
}
