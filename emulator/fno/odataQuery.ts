/**
 * The OData query options F&O serves on entity reads [DOC: odata.md, "Supported features"]:
 * $filter (eq, ne, gt, ge, lt, le, and, or, not, parentheses; strings in single quotes, numbers,
 * true/false, null, unquoted dates, enum literals such as Microsoft.Dynamics.DataEntities.NoYes'Yes';
 * and F&O's own wildcard: `*` in a string compared with eq/ne matches any text, e.g.
 * `Name eq 'Trey*'`), $orderby (asc/desc, several properties), $select, $count, $top, $skip and
 * F&O's `cross-company=true`. String comparisons ignore case, as SQL Server's collation does.
 * Anything else is a 400 naming it, never silently ignored.
 */
export type Literal = string | number | boolean | null;
export type CompareOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
export type Filter =
  | { readonly kind: 'cmp'; readonly field: string; readonly op: CompareOp; readonly value: Literal }
  | { readonly kind: 'and' | 'or'; readonly parts: readonly Filter[] }
  | { readonly kind: 'not'; readonly part: Filter };

export interface OrderBy {
  readonly field: string;
  readonly descending: boolean;
}

export class QueryError extends Error {}

const TOKEN = /\s*(\(|\)|,|'(?:[^']|'')*'|[A-Za-z_][\w.]*'(?:[^']|'')*'|[^\s(),]+)/y;
export const invalid = (why: string): QueryError =>
  new QueryError(`The query specified in the URI is not valid. ${why}`);

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const m = TOKEN.exec(text);
    if (!m?.[1]) throw invalid(`Syntax error at position ${TOKEN.lastIndex} in '${text}'.`);
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
  throw invalid(`'${token}' is not a literal of a type this service knows.`);
}

const OPERATORS = new Set<string>(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const UNSUPPORTED_FUNCTIONS =
  /^(contains|startswith|endswith|substring|tolower|toupper|length|indexof|trim|concat|year|month|day|any|all)$/i;

export function parseFilter(text: string): Filter {
  const tokens = tokenize(text);
  let i = 0;
  function primary(): Filter {
    const token = tokens[i];
    if (token === '(') {
      i += 1;
      const inner = either();
      if (tokens[i++] !== ')') throw invalid(`')' or an operator expected at position ${i} in '${text}'.`);
      return inner;
    }
    if (token === 'not') {
      i += 1;
      return { kind: 'not', part: primary() };
    }
    if (token && tokens[i + 1] === '(' && UNSUPPORTED_FUNCTIONS.test(token)) {
      // [INFER] F&O's own wildcard is the documented way; the emulator does not run functions.
      throw invalid(
        `The function '${token}' is not supported by the emulator: use F&O's wildcard, e.g. Name eq '*text*'.`,
      );
    }
    const [field, op, value] = [tokens[i], tokens[i + 1], tokens[i + 2]];
    if (!field || !op || value === undefined || !OPERATORS.has(op)) {
      throw invalid(
        `A comparison (Field eq 'value') was expected at '${tokens.slice(i, i + 3).join(' ')}' in '${text}'.`,
      );
    }
    i += 3;
    return { kind: 'cmp', field, op: op as CompareOp, value: literal(value) };
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
  if (i !== tokens.length) throw invalid(`Syntax error at '${tokens[i]}' in '${text}'.`);
  return filter;
}

/** Every property a filter names (to check them against the type before evaluating). */
export function filterFields(filter: Filter): string[] {
  if (filter.kind === 'cmp') return [filter.field];
  if (filter.kind === 'not') return filterFields(filter.part);
  return filter.parts.flatMap(filterFields);
}

const wildcardPattern = (text: string): RegExp =>
  new RegExp(
    `^${text
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    'is',
  );

/** Evaluates a filter on a record given as property → JSON value. Property names are case-sensitive, as in OData. */
export function matches(filter: Filter, record: Readonly<Record<string, unknown>>): boolean {
  switch (filter.kind) {
    case 'and':
      return filter.parts.every((p) => matches(p, record));
    case 'or':
      return filter.parts.some((p) => matches(p, record));
    case 'not':
      return !matches(filter.part, record);
  }
  if (!(filter.field in record)) throw invalid(`Could not find a property named '${filter.field}'.`);
  const left = record[filter.field] ?? null;
  const right = filter.value;
  if ((filter.op === 'eq' || filter.op === 'ne') && typeof right === 'string' && right.includes('*')) {
    const hit = typeof left === 'string' && wildcardPattern(right).test(left);
    return filter.op === 'eq' ? hit : !hit;
  }
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

export function parseOrderBy(text: string): OrderBy[] {
  return text.split(',').map((part) => {
    const m = /^\s*([A-Za-z_][\w]*)(?:\s+(asc|desc))?\s*$/.exec(part);
    if (!m?.[1]) throw invalid(`'${part.trim()}' is not a property to order by (Property [asc|desc]).`);
    return { field: m[1], descending: m[2] === 'desc' };
  });
}

/** Sorts records in place by $orderby: strings without case (SQL collation), numbers as numbers. */
export function sortRecords(records: Record<string, unknown>[], order: readonly OrderBy[]): void {
  if (order.length === 0) return;
  const key = (v: unknown): string | number | boolean =>
    typeof v === 'string' ? v.toLowerCase() : ((v as number) ?? '');
  records.sort((a, b) => {
    for (const { field, descending } of order) {
      const x = key(a[field]);
      const y = key(b[field]);
      const c = x < y ? -1 : x > y ? 1 : 0;
      if (c !== 0) return descending ? -c : c;
    }
    return 0;
  });
}

export interface ReadQuery {
  readonly top: number | null;
  readonly skip: number;
  readonly select: readonly string[] | null;
  readonly count: boolean;
  readonly filter: Filter | null;
  readonly orderBy: readonly OrderBy[];
  readonly crossCompany: boolean;
}

const KNOWN_OPTIONS = new Set([
  '$top',
  '$skip',
  '$select',
  '$count',
  '$filter',
  '$orderby',
  '$format',
  'cross-company',
]);

export function parseReadQuery(params: URLSearchParams): ReadQuery {
  for (const name of params.keys()) {
    if (name.startsWith('$') && !KNOWN_OPTIONS.has(name)) {
      throw invalid(
        name === '$expand'
          ? 'The emulator does not serve $expand: read the related entity set with its own request.'
          : `The query option '${name}' is not supported.`,
      );
    }
  }
  const format = params.get('$format');
  if (format !== null && !/^(json|application\/json)/i.test(format))
    throw invalid(`$format must be json, not '${format}'.`);
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
  const orderBy = params.get('$orderby');
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
    orderBy: orderBy ? parseOrderBy(orderBy) : [],
    crossCompany: params.get('cross-company') === 'true',
  };
}
