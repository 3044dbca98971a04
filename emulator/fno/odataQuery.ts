/**
 * The OData query options the emulator serves on entity reads: $top, $skip, $select, $count and
 * $filter with simple comparisons (eq, ne, gt, ge, lt, le) joined by `and` / `or` with
 * parentheses; strings in single quotes, numbers, true/false, null, unquoted dates and enum
 * literals (Microsoft.Dynamics.DataEntities.NoYes'Yes'). Anything else is a 400.
 */
export type Literal = string | number | boolean | null;
export type Filter =
  | {
      readonly kind: 'cmp';
      readonly field: string;
      readonly op: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
      readonly value: Literal;
    }
  | { readonly kind: 'and' | 'or'; readonly parts: readonly Filter[] };

export class QueryError extends Error {}

const TOKEN = /\s*(\(|\)|'(?:[^']|'')*'|[A-Za-z_][\w.]*'(?:[^']|'')*'|[^\s()]+)/y;
const invalid = (why: string): QueryError => new QueryError(`The query specified in the URI is not valid. ${why}`);

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const m = TOKEN.exec(text);
    if (!m?.[1]) throw invalid(`Cannot read $filter near '${text.slice(TOKEN.lastIndex, TOKEN.lastIndex + 20)}'.`);
    tokens.push(m[1]);
  }
  return tokens;
}

function literal(token: string): Literal {
  if (token.startsWith("'")) return token.slice(1, -1).replace(/''/g, "'");
  const enumLiteral = /^[A-Za-z_][\w.]*'((?:[^']|'')*)'$/.exec(token);
  if (enumLiteral) return (enumLiteral[1] ?? '').replace(/''/g, "'");
  if (token === 'true' || token === 'false') return token === 'true';
  if (token === 'null') return null;
  if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?[mMdDfFlL]?$/.test(token)) return Number(token.replace(/[mMdDfFlL]$/, ''));
  if (/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(token)) return token;
  throw invalid(`'${token}' is not a literal this service understands in $filter.`);
}

export function parseFilter(text: string): Filter {
  const tokens = tokenize(text);
  let i = 0;
  function primary(): Filter {
    if (tokens[i] === '(') {
      i += 1;
      const inner = either();
      if (tokens[i++] !== ')') throw invalid("')' expected in $filter.");
      return inner;
    }
    const [field, op, value] = [tokens[i], tokens[i + 1], tokens[i + 2]];
    if (!field || !op || value === undefined || !/^(eq|ne|gt|ge|lt|le)$/.test(op)) {
      throw invalid("Only comparisons (Field eq 'value') joined by and/or are supported in $filter.");
    }
    i += 3;
    return { kind: 'cmp', field, op: op as 'eq', value: literal(value) };
  }
  function both(): Filter {
    const parts = [primary()];
    while (tokens[i] === 'and') {
      i += 1;
      parts.push(primary());
    }
    return parts.length === 1 ? (parts[0] as Filter) : { kind: 'and', parts };
  }
  function either(): Filter {
    const parts = [both()];
    while (tokens[i] === 'or') {
      i += 1;
      parts.push(both());
    }
    return parts.length === 1 ? (parts[0] as Filter) : { kind: 'or', parts };
  }
  const filter = either();
  if (i !== tokens.length) throw invalid(`Unexpected '${tokens[i]}' in $filter.`);
  return filter;
}

/** Evaluates a filter on a record given as publicName → JSON value. Field names are case-sensitive, as in OData. */
export function matches(filter: Filter, record: Readonly<Record<string, unknown>>): boolean {
  if (filter.kind !== 'cmp') {
    return filter.kind === 'and'
      ? filter.parts.every((p) => matches(p, record))
      : filter.parts.some((p) => matches(p, record));
  }
  if (!(filter.field in record)) throw invalid(`Could not find a property named '${filter.field}'.`);
  const left = record[filter.field] ?? null;
  const right = filter.value;
  const l = typeof left === 'string' ? left.toLowerCase() : left;
  const r = typeof right === 'string' ? right.toLowerCase() : right;
  switch (filter.op) {
    case 'eq':
      return l === r;
    case 'ne':
      return l !== r;
    default: {
      if (l === null || r === null) return false;
      const c = l < r ? -1 : l > r ? 1 : 0;
      return filter.op === 'gt' ? c > 0 : filter.op === 'ge' ? c >= 0 : filter.op === 'lt' ? c < 0 : c <= 0;
    }
  }
}

export interface ReadQuery {
  readonly top: number | null;
  readonly skip: number;
  readonly select: readonly string[] | null;
  readonly count: boolean;
  readonly filter: Filter | null;
  readonly crossCompany: boolean;
}

export function parseReadQuery(params: URLSearchParams): ReadQuery {
  const whole = (name: string): number | null => {
    const v = params.get(name);
    if (v === null) return null;
    if (!/^\d+$/.test(v)) throw invalid(`${name} must be a non-negative whole number, not '${v}'.`);
    return Number(v);
  };
  const count = params.get('$count');
  if (count !== null && count !== 'true' && count !== 'false')
    throw invalid(`$count must be true or false, not '${count}'.`);
  const select = params.get('$select');
  const filter = params.get('$filter');
  return {
    top: whole('$top'),
    skip: whole('$skip') ?? 0,
    select: select
      ? select
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : null,
    count: count === 'true',
    filter: filter ? parseFilter(filter) : null,
    crossCompany: params.get('cross-company') === 'true',
  };
}
