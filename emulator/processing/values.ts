import { DEFAULT_REAL_SCALE, matchEnumValue } from '../../shared/domain/catalog';
import type { CatalogEnum, CatalogField, CatalogIndex } from '../../shared/domain/catalog';
import { parseDateTime, parseGuid, parseReal, parseTimeOfDay, wholeNumberProblem } from '../../shared/domain/values';

/**
 * Values in the emulator, in one place: the conversion F&O's DMF does from source text to staging
 * (the emulator is the oracle, so this is F&O's behaviour, not the workbench's lint; the lexical
 * parsing is shared with it), and the forms F&O writes them in (exported files, OData JSON).
 *
 * The stored ("canonical") form in between is text: Int/Int64 decimal, Real as JavaScript prints
 * it, Date `yyyy-MM-dd`, UtcDateTime `yyyy-MM-ddTHH:mm:ssZ`, Time seconds since midnight, Enum and
 * NoYes the symbol name, Guid upper case without braces; '' = not given (the field's default).
 */
export type Conversion = { ok: true; value: string } | { ok: false; message: string };

const ok = (value: string): Conversion => ({ ok: true, value });
const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** Source text → canonical form, or F&O's staging error for it. */
export function convertValue(field: CatalogField, raw: string, enumType: CatalogEnum | undefined): Conversion {
  const text = raw.trim();
  if (text === '') return ok('');
  switch (field.type) {
    case 'String':
      // DMF2018-style failure [INFER: F&O reports over-long text in staging, it does not truncate].
      if (field.maxLength !== undefined && raw.length > field.maxLength) {
        return fail(field, raw, `is longer than the field's ${field.maxLength} characters`);
      }
      return ok(raw);
    case 'Int':
    case 'Int64': {
      const why = wholeNumberProblem(text, field.type === 'Int' ? 32 : 64);
      if (why === 'format') return fail(field, raw, 'is not a whole number');
      if (why === 'range') return fail(field, raw, `is outside the ${field.type === 'Int' ? 'Int32' : 'Int64'} range`);
      return ok(field.type === 'Int' ? String(Number(text)) : BigInt(text).toString());
    }
    case 'Real': {
      const n = parseReal(text);
      return n === null ? fail(field, raw, 'is not a number') : ok(String(n));
    }
    case 'Date': {
      // The date of a date-and-time text; its time and zone do not move the date [INFER].
      const d = parseDateTime(text);
      return d && d.problem === null
        ? ok(`${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`)
        : fail(field, raw, 'is not a valid date (DMF2016)');
    }
    case 'UtcDateTime': {
      const d = parseDateTime(text);
      if (!d || d.problem !== null) return fail(field, raw, 'is not a valid date and time (DMF2016)');
      // A text without a zone is UTC already (F&O's UTC time zone setting of the format [INFER]).
      const utc = new Date(
        Date.UTC(d.year, d.month - 1, d.day, d.hour, d.minute, d.second) - (d.offsetMinutes ?? 0) * 60_000,
      );
      const year = utc.getUTCFullYear();
      if (year < 1900 || year > 2154) return fail(field, raw, 'is not a valid date and time (DMF2016)');
      return ok(utc.toISOString().replace(/\.\d{3}Z$/, 'Z'));
    }
    case 'Time': {
      const seconds = parseTimeOfDay(text);
      return seconds === null ? fail(field, raw, 'is not a valid time') : ok(String(seconds));
    }
    case 'Guid': {
      const guid = parseGuid(text);
      return guid ? ok(guid) : fail(field, raw, 'is not a GUID');
    }
    case 'NoYes': {
      const v = text.toLowerCase();
      if (v === 'yes' || v === 'true' || v === '1') return ok('Yes');
      if (v === 'no' || v === 'false' || v === '0') return ok('No');
      return fail(field, raw, 'is not Yes or No');
    }
    case 'Enum': {
      if (!enumType) return ok(text);
      const hit =
        matchEnumValue(enumType, text) ??
        (/^\d+$/.test(text) ? enumType.values.find((v) => v.value === Number(text)) : undefined);
      return hit ? ok(hit.name) : fail(field, raw, `is not a value of the enum ${enumType.name}`);
    }
  }
}

function fail(field: CatalogField, raw: string, why: string): Conversion {
  const shown = raw.length > 60 ? `${raw.slice(0, 57)}...` : raw;
  return { ok: false, message: `The value '${shown}' of field ${field.name} ${why}.` };
}

/**
 * A stored value as F&O writes it in an exported data file (CSV, Excel, XML alike), dmf-reference
 * §1.5 and §1.7:
 *  - Real: the field's scale in decimals, no leading zero (`.000000`, `1.3357400000000000`);
 *  - Date `2011-01-31 00:00:00`, UtcDateTime `2011-01-31 13:45:00` (UTC);
 *  - Enum: the symbol name (`FirstMiddleLast`, `InvoiceAccount`, `One` for the enum whose label
 *    is "1": real exports carry names, not labels); NoYes `Yes`/`No`.
 * F&O's numbers, enums and NoYes columns are never null, so a value that was never given exports
 * as the default (0, the enum's first value, No); empty strings, dates and GUIDs export empty
 * (and the Excel writer leaves their cells out) [INFER: 1900-01-01, F&O's "no date", too].
 */
export function exportText(field: CatalogField, value: string, enumType: CatalogEnum | undefined): string {
  switch (field.type) {
    case 'String':
      return value;
    case 'Int':
    case 'Int64':
      return value === '' ? '0' : value;
    case 'Real':
      return fixedDecimals(value === '' ? '0' : value, field.scale ?? DEFAULT_REAL_SCALE);
    case 'Date':
      return value === '' || value === '1900-01-01' ? '' : `${value} 00:00:00`;
    case 'UtcDateTime':
      return value === '' || value.startsWith('1900-01-01T00:00:00') ? '' : value.replace('T', ' ').replace('Z', '');
    // [INFER] a time of day exports as the seconds after midnight its staging column holds.
    case 'Time':
      return value === '' ? '0' : value;
    // [INFER] braced upper case, as F&O writes GUIDs in manifests (SampleFilePath).
    case 'Guid':
      return value === '' ? '' : `{${value}}`;
    case 'NoYes':
      return value === '' ? 'No' : value;
    case 'Enum':
      return value !== '' ? value : (enumType?.values.find((v) => v.value === 0)?.name ?? '');
  }
}

/** Formats stored values of `fields` (in that order) as an exported file's row. */
export function exportRowFormatter(
  fields: readonly CatalogField[],
  catalog: CatalogIndex,
): (values: readonly string[]) => string[] {
  const enums = fields.map((f) => (f.enumType ? catalog.findEnum(f.enumType) : undefined));
  return (values) => fields.map((f, i) => exportText(f, values[i] ?? '', enums[i]));
}

/**
 * A decimal in `scale` decimals without a leading zero: "0.5" → ".500000", "-2" → "-2.000000",
 * "1e-7" → ".000000" (rounded half away from zero, in decimal, so no binary noise shows up).
 */
export function fixedDecimals(value: string, scale: number): string {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(value.trim());
  if (!m) return value;
  const [, sign = '', int = '', frac = '', exp = '0'] = m;
  let digits = int + frac;
  let point = int.length + Number(exp);
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  if (digits.length < point + scale) digits = digits.padEnd(point + scale, '0');
  let kept = BigInt(digits.slice(0, point + scale) || '0');
  if ((digits[point + scale] ?? '0') >= '5') kept += 1n;
  const text = kept.toString().padStart(scale + 1, '0');
  const whole = text.slice(0, text.length - scale).replace(/^0+/, '');
  const decimals = text.slice(text.length - scale);
  const negative = sign === '-' && kept !== 0n;
  if (scale === 0) return `${negative ? '-' : ''}${whole || '0'}`;
  return `${negative ? '-' : ''}${whole}.${decimals}`;
}

/** A stored value as F&O's OData writes it in JSON. */
export function odataValue(field: CatalogField, value: string): unknown {
  switch (field.type) {
    case 'Int':
    case 'Int64':
    case 'Real':
      return value === '' ? 0 : Number(value);
    case 'Time': {
      // Edm.TimeOfDay (seconds since midnight in the store).
      const s = value === '' ? 0 : Number(value);
      return [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60].map((n) => pad(n)).join(':');
    }
    case 'Date':
      // Edm.Date, as $metadata declares it; 1900-01-01 is F&O's "no date".
      return value === '' ? '1900-01-01' : value;
    case 'UtcDateTime':
      return value === '' ? '1900-01-01T00:00:00Z' : value;
    case 'NoYes':
      return value === '' ? 'No' : value;
    case 'Guid':
      return value === '' ? '00000000-0000-0000-0000-000000000000' : value.toLowerCase();
    default:
      return value;
  }
}
