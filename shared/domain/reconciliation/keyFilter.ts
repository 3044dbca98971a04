/**
 * OData $filter clauses that read back sent keys in batches: `(K1 eq 'a' and K2 eq 'b') or (…)`,
 * each batch cut so that its URL stays short. F&O does not document a URL limit; it is served by
 * IIS, whose request filtering refuses a query string over 2,048 bytes by default (maxQueryString,
 * Microsoft Learn "Request Limits <requestLimits>"). [INFER] F&O keeps IIS's default: batches stay
 * under it, encoded, with room for cross-company, $select and the legal entity.
 */
import type { FieldType } from '../catalog/types';

/** A key field as OData names it, with its type (how its literal is written). */
export interface KeyProperty {
  /** OData property, e.g. CustomerAccount. */
  readonly name: string;
  readonly type: FieldType;
  /** Enum fields: the enum's name (Microsoft.Dynamics.DataEntities.<enum>'Value'). */
  readonly enumType?: string;
}

export interface KeyBatch {
  /** The $filter text (not encoded). */
  readonly filter: string;
  /** The keys it asks for, in order. */
  readonly keys: readonly (readonly string[])[];
  /**
   * False when a key holds `*`: F&O's eq treats it as a wildcard (odata.md, "Supported
   * features"), so $count may count records that were not sent. Records read back are matched
   * to the sent keys one by one, so only the count is affected.
   */
  readonly exactCount: boolean;
}

/** Encoded $filter characters per request: under IIS's 2,048-byte query string with the other options. */
export const MAX_FILTER_CHARS = 1_600;
/** Keys per request at most, whatever their length: bounds the work of one OData query. */
export const MAX_KEYS_PER_BATCH = 50;

const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;

/**
 * A key cell as an OData literal of its field's type. Cells are package text: numbers as written,
 * enums by name, dates as "2026-01-31" or "2026-01-31 00:00:00"; a cell that does not read as its
 * type is sent as a string, and F&O answers with its own error naming it.
 */
export function odataLiteral(value: string, property: KeyProperty): string {
  const text = value.trim();
  switch (property.type) {
    case 'Int':
    case 'Int64':
    case 'Real':
      return /^-?\d+(\.\d+)?$/.test(text) ? text : quote(text);
    case 'Enum':
    case 'NoYes':
      return /^\w+$/.test(text)
        ? `Microsoft.Dynamics.DataEntities.${property.enumType ?? (property.type === 'NoYes' ? 'NoYes' : 'Enum')}'${text}'`
        : quote(text);
    case 'Date': {
      const day = /^(\d{4}-\d{2}-\d{2})/.exec(text)?.[1];
      return day ?? quote(text);
    }
    case 'UtcDateTime': {
      const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})/.exec(text);
      return m ? `${m[1]}T${m[2]}Z` : quote(text);
    }
    default:
      return quote(text);
  }
}

/** One key as a clause: `CustomerAccount eq 'C-001'`, or `(A eq 'x' and B eq 2)` for several fields. */
export function keyClause(key: readonly string[], properties: readonly KeyProperty[]): string {
  const parts = properties.map((p, i) => `${p.name} eq ${odataLiteral(key[i] ?? '', p)}`);
  return parts.length === 1 ? (parts[0] ?? '') : `(${parts.join(' and ')})`;
}

/**
 * The keys in batches, each one filter: `prefix and (k1 or k2 …)` (prefix: the legal entity,
 * `dataAreaId eq 'usmf'`). A key whose clause alone is too long still gets its own batch: F&O
 * then answers for it, rather than the key being skipped silently.
 */
export function* keyBatches(
  keys: Iterable<readonly string[]>,
  properties: readonly KeyProperty[],
  options: { readonly prefix?: string; readonly maxChars?: number; readonly maxKeys?: number } = {},
): Generator<KeyBatch> {
  const maxChars = options.maxChars ?? MAX_FILTER_CHARS;
  const maxKeys = options.maxKeys ?? MAX_KEYS_PER_BATCH;
  const prefix = options.prefix ? `${options.prefix} and ` : '';
  // The encoded length of " or " between clauses, and of the prefix with its parentheses.
  const joiner = encodeURIComponent(' or ').length;
  const base = encodeURIComponent(`${prefix}()`).length;
  let clauses: string[] = [];
  let batchKeys: (readonly string[])[] = [];
  let length = base;
  let exact = true;
  const flush = (): KeyBatch => {
    const body = clauses.length === 1 ? (clauses[0] ?? '') : `(${clauses.join(' or ')})`;
    const batch = { filter: `${prefix}${body}`, keys: batchKeys, exactCount: exact };
    clauses = [];
    batchKeys = [];
    length = base;
    exact = true;
    return batch;
  };
  for (const key of keys) {
    const clause = keyClause(key, properties);
    const cost = encodeURIComponent(clause).length + (clauses.length > 0 ? joiner : 0);
    if (clauses.length > 0 && (length + cost > maxChars || clauses.length >= maxKeys)) yield flush();
    length += encodeURIComponent(clause).length + (clauses.length > 0 ? joiner : 0);
    clauses.push(clause);
    batchKeys.push(key);
    if (key.some((k) => k.includes('*'))) exact = false;
  }
  if (clauses.length > 0) yield flush();
}
