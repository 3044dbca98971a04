/**
 * CSV dialects: what a source data format record of type Delimited says about a file
 * (dmf-reference.md §1.7): column delimiter, text qualifier, first-row header, row delimiter,
 * code page / Unicode.
 */

export const CSV_DELIMITERS = [',', ';', '\t', '|', ':'] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

export type LineEnding = '\r\n' | '\n';

/** How a writer quotes fields: every field, or only fields that need it. */
export type QuoteStyle = 'all' | 'needed';

export interface CsvDialect {
  readonly delimiter: string;
  /** Text qualifier; '' for none. */
  readonly qualifier: string;
  readonly headerRow: boolean;
  /** A WHATWG/iconv-lite encoding name: `utf-8`, `utf-16le`, `windows-1252`, ... */
  readonly encoding: string;
  /** Whether the file starts with a byte-order mark. */
  readonly bom: boolean;
  readonly lineEnding: LineEnding;
  readonly quote: QuoteStyle;
}

/**
 * The built-in `CSV` format: code-page based, not Unicode (DMF1957). [INFER] Windows-1252, CRLF,
 * every field quoted, no BOM: a BOM in a code-page file is read as data and breaks the first
 * column's mapping.
 */
export const CSV_DIALECT: CsvDialect = Object.freeze({
  delimiter: ',',
  qualifier: '"',
  headerRow: true,
  encoding: 'windows-1252',
  bom: false,
  lineEnding: '\r\n',
  quote: 'all',
});

/**
 * The built-in `CSV-Unicode` format: UTF-16LE with a BOM and CRLF rows; LF-only files break the
 * column mapping (dmf-reference.md §1.7). Fields quoted [INFER].
 */
export const CSV_UNICODE_DIALECT: CsvDialect = Object.freeze({
  delimiter: ',',
  qualifier: '"',
  headerRow: true,
  encoding: 'utf-16le',
  bom: true,
  lineEnding: '\r\n',
  quote: 'all',
});

/** The dialect a built-in CSV format writes; other names get plain CSV. */
export function dialectForFormat(sourceFormat: string | null | undefined): CsvDialect {
  return sourceFormat?.toLowerCase() === 'csv-unicode' ? CSV_UNICODE_DIALECT : CSV_DIALECT;
}

/** `utf8`, `UTF-8`, `Unicode` → canonical names; unknown labels are returned lower-cased. */
export function canonicalEncoding(label: string): string {
  const lower = label.trim().toLowerCase();
  switch (lower) {
    case 'utf8':
    case 'utf-8':
    case 'unicode-1-1-utf-8':
    case '65001':
      return 'utf-8';
    case 'utf16le':
    case 'utf-16le':
    case 'utf-16':
    case 'unicode':
    case 'ucs-2':
    case 'ucs2':
    case '1200':
      return 'utf-16le';
    case 'utf16be':
    case 'utf-16be':
    case '1201':
      return 'utf-16be';
    case 'ansi':
    case 'cp1252':
    case '1252':
    case 'windows1252':
    case 'windows-1252':
      return 'windows-1252';
    default:
      return /^\d+$/.test(lower) ? `cp${lower}` : lower;
  }
}

/** Whether an encoding is one of the Unicode ones (which need no code-page check on write). */
export function isUnicodeEncoding(encoding: string): boolean {
  return encoding === 'utf-8' || encoding === 'utf-16le' || encoding === 'utf-16be';
}

/** Name of a delimiter for messages (`tab`, `semicolon`). */
export function delimiterName(delimiter: string): string {
  switch (delimiter) {
    case ',':
      return 'comma';
    case ';':
      return 'semicolon';
    case '\t':
      return 'tab';
    case '|':
      return 'vertical bar';
    case ':':
      return 'colon';
    default:
      return JSON.stringify(delimiter);
  }
}

/** Parses `--delimiter` style input: `,` `;` `|` `:` `tab` `\t`. */
export function parseDelimiter(value: string): string | undefined {
  const lower = value.toLowerCase();
  if (lower === 'tab' || value === '\\t' || value === '\t') return '\t';
  if (lower === 'comma') return ',';
  if (lower === 'semicolon') return ';';
  if (lower === 'pipe' || lower === 'bar') return '|';
  if (lower === 'colon') return ':';
  return (CSV_DELIMITERS as readonly string[]).includes(value) ? value : undefined;
}
