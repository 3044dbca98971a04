/**
 * Cell-level semantics of the source grid, shared by the row store (electron/services/datasets)
 * and the renderer: what a text filter matches, what find and replace do, what a transform
 * writes. One definition, so that "set a value on the filtered rows" touches exactly the rows the
 * consultant sees, and a recipe replays the same way next cycle.
 */

/** The text filters of a column (ag-grid's text filter vocabulary, case-insensitive). */
export const TEXT_FILTER_OPS = [
  'contains',
  'notContains',
  'equals',
  'notEqual',
  'startsWith',
  'endsWith',
  'blank',
  'notBlank',
] as const;
export type TextFilterOp = (typeof TEXT_FILTER_OPS)[number];

/** A cell counts as blank when it holds nothing but whitespace: DMF trims values on import. */
export function isBlank(value: string): boolean {
  return value.trim() === '';
}

/** The test of one text filter. Case-insensitive, as the grid's own text filter. */
export function textFilterTest(op: TextFilterOp, value: string): (cell: string) => boolean {
  const needle = value.toLowerCase();
  switch (op) {
    case 'blank':
      return isBlank;
    case 'notBlank':
      return (cell) => !isBlank(cell);
    case 'contains':
      return (cell) => cell.toLowerCase().includes(needle);
    case 'notContains':
      return (cell) => !cell.toLowerCase().includes(needle);
    case 'equals':
      return (cell) => cell.toLowerCase() === needle;
    case 'notEqual':
      return (cell) => cell.toLowerCase() !== needle;
    case 'startsWith':
      return (cell) => cell.toLowerCase().startsWith(needle);
    case 'endsWith':
      return (cell) => cell.toLowerCase().endsWith(needle);
  }
}

/** What find and replace look for. */
export interface FindQuery {
  readonly text: string;
  /** Letter case must match (default: no). */
  readonly matchCase: boolean;
  /** The whole cell must be the text (default: a part of it is enough). */
  readonly wholeCell: boolean;
}

/** Whether a cell matches a find query. An empty query text matches blank cells in whole-cell mode only. */
export function findTest(query: FindQuery): (cell: string) => boolean {
  if (query.wholeCell) {
    if (query.matchCase) return (cell) => cell === query.text;
    const needle = query.text.toLowerCase();
    return (cell) => cell.toLowerCase() === needle;
  }
  if (query.text === '') return () => false;
  if (query.matchCase) return (cell) => cell.includes(query.text);
  const needle = query.text.toLowerCase();
  return (cell) => cell.toLowerCase().includes(needle);
}

/** The cell after replacing every occurrence of the query (or the whole cell). */
export function replaceInCell(query: FindQuery, cell: string, replacement: string): string {
  if (query.wholeCell) return findTest(query)(cell) ? replacement : cell;
  if (query.text === '') return cell;
  if (query.matchCase) return cell.split(query.text).join(replacement);
  // Case-insensitive without a RegExp built from user text: walk the lower-cased copy.
  const lower = cell.toLowerCase();
  const needle = query.text.toLowerCase();
  // toLowerCase can change the length of some characters (İ): then fall back to exact matching.
  if (lower.length !== cell.length) return cell.split(query.text).join(replacement);
  let out = '';
  let from = 0;
  for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, from)) {
    out += cell.slice(from, at) + replacement;
    from = at + needle.length;
  }
  return from === 0 ? cell : out + cell.slice(from);
}

/** Clean-up transforms of a column (OpenRefine's common transforms). */
export const TRANSFORMS = ['trim', 'collapseSpaces', 'upper', 'lower', 'title'] as const;
export type Transform = (typeof TRANSFORMS)[number];

export const TRANSFORM_LABELS: Readonly<Record<Transform, string>> = {
  trim: 'Trim leading and trailing spaces',
  collapseSpaces: 'Collapse repeated spaces',
  upper: 'UPPER CASE',
  lower: 'lower case',
  title: 'Title Case',
};

export function transformCell(transform: Transform, cell: string): string {
  switch (transform) {
    case 'trim':
      return cell.trim();
    case 'collapseSpaces':
      return cell.replace(/\s+/g, ' ').trim();
    case 'upper':
      return cell.toUpperCase();
    case 'lower':
      return cell.toLowerCase();
    case 'title':
      return cell
        .toLowerCase()
        .replace(/(^|[\s\-/(.'"])(\p{L})/gu, (_m, sep: string, letter: string) => sep + letter.toUpperCase());
  }
}

/** A number as the store sorts it: plain decimal notation, optional sign and exponent. */
const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export function parseSortNumber(cell: string): number | null {
  const text = cell.trim();
  return NUMBER_RE.test(text) ? Number(text) : null;
}
