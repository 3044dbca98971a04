import type { CatalogEnum, CatalogField } from '../../shared/domain/catalog';

/**
 * Source → staging type conversion as F&O's DMF does it (the emulator is the oracle, so this is
 * F&O's behaviour, not the workbench's lint). Values are stored in one canonical text form:
 * Int/Int64 decimal, Real as JavaScript prints it, Date `yyyy-MM-dd`, UtcDateTime
 * `yyyy-MM-ddTHH:mm:ssZ`, Time seconds since midnight, Enum and NoYes as the symbol name,
 * Guid upper case without braces.
 */
export type Conversion = { ok: true; value: string } | { ok: false; message: string };

const INT32 = 2_147_483_647;
const ok = (value: string): Conversion => ({ ok: true, value });

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
      if (!/^[+-]?\d+$/.test(text)) return fail(field, raw, 'is not a whole number');
      const n = Number(text);
      if (field.type === 'Int' && Math.abs(n) > INT32) return fail(field, raw, 'is outside the Int32 range');
      return ok(String(n));
    }
    case 'Real': {
      // Exports write reals without a leading zero (".5"); both forms parse.
      if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return fail(field, raw, 'is not a number');
      return ok(String(Number(text)));
    }
    case 'Date': {
      const d = parseDateTime(text);
      return d ? ok(d.slice(0, 10)) : fail(field, raw, 'is not a valid date (DMF2016)');
    }
    case 'UtcDateTime': {
      const d = parseDateTime(text);
      return d ? ok(d) : fail(field, raw, 'is not a valid date and time (DMF2016)');
    }
    case 'Time': {
      const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text);
      if (!m || Number(m[1]) > 23 || Number(m[2]) > 59 || Number(m[3] ?? 0) > 59) {
        return /^\d+$/.test(text) && Number(text) < 86400
          ? ok(String(Number(text)))
          : fail(field, raw, 'is not a valid time');
      }
      return ok(String(Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0)));
    }
    case 'Guid': {
      const m = /^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$/.exec(text);
      return m?.[1] ? ok(m[1].toUpperCase()) : fail(field, raw, 'is not a GUID');
    }
    case 'NoYes': {
      const v = text.toLowerCase();
      if (['yes', 'true', '1'].includes(v)) return ok('Yes');
      if (['no', 'false', '0'].includes(v)) return ok('No');
      return fail(field, raw, 'is not Yes or No');
    }
    case 'Enum': {
      if (!enumType) return ok(text);
      const lower = text.toLowerCase();
      const hit =
        enumType.values.find((v) => v.name.toLowerCase() === lower) ??
        enumType.values.find((v) => v.label.toLowerCase() === lower) ??
        (/^\d+$/.test(text) ? enumType.values.find((v) => v.value === Number(text)) : undefined);
      return hit ? ok(hit.name) : fail(field, raw, `is not a value of the enum ${enumType.name}`);
    }
  }
}

function fail(field: CatalogField, raw: string, why: string): Conversion {
  const shown = raw.length > 60 ? `${raw.slice(0, 57)}...` : raw;
  return { ok: false, message: `The value '${shown}' of field ${field.name} ${why}.` };
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/**
 * Dates as F&O data files carry them: ISO (`2011-01-31`, `2011-01-31T10:00:00Z`), the export form
 * `2011-01-31 00:00:00`, and en-US `1/31/2011 13:03` (the source format's default locale).
 * Returns `yyyy-MM-ddTHH:mm:ssZ`, or null.
 */
export function parseDateTime(text: string): string | null {
  let y: number, mo: number, d: number, h: number, mi: number, s: number;
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(Z|[+-]00:?00)?$/.exec(text);
  if (m) {
    [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    [h, mi, s] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  } else {
    m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?(?: ?([AaPp][Mm]))?)?$/.exec(text);
    if (!m) return null;
    [mo, d, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
    [h, mi, s] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
    const ampm = m[7]?.toLowerCase();
    if (ampm === 'pm' && h < 12) h += 12;
    if (ampm === 'am' && h === 12) h = 0;
  }
  // 1900-01-01 is F&O's "no date"; earlier years are refused like SQL's datetime range.
  if (y < 1900 || y > 2154 || mo < 1 || mo > 12 || h > 23 || mi > 59 || s > 59) return null;
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}Z`;
}
