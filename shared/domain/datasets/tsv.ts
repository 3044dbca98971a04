/**
 * Ranges of cells on the clipboard as spreadsheets put them there: tab-separated text, one line
 * per row. Excel (and Google Sheets, LibreOffice Calc) write a cell that holds a tab, a line break
 * or a double quote between double quotes, with inner quotes doubled, end every row with CRLF
 * (Excel also ends the last one), and read the same back. Shared by the row store, which pastes
 * and copies, and the renderer, which carries the text to and from the clipboard.
 */
import { neutralizeFormula } from '../dialects/formulas';

/** The clipboard type that carries the grid's own copy with every value exact (see `formatTsv`). */
export const EXACT_TSV_TYPE = 'application/x-dmfw-tsv';

/**
 * Rows of cells from tab-separated text, linear in the text's length. One line ending at the end
 * is the last row's end, not an empty row (Excel ends every row); empty text is no row at all.
 * A quote opens a quoted cell only as the cell's first character, as spreadsheets read it; a
 * quoted cell that is never closed is read as written, quote included (nothing dropped).
 */
export function parseTsv(text: string): string[][] {
  if (text === '') return [];
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  const n = text.length;
  while (i <= n) {
    let cell: string;
    if (text.charCodeAt(i) === 0x22 /* " */) {
      const parsed = quoted(text, i);
      if (parsed) {
        cell = parsed.value;
        i = parsed.end;
      } else {
        const end = cellEnd(text, i);
        cell = text.slice(i, end);
        i = end;
      }
    } else {
      const end = cellEnd(text, i);
      cell = text.slice(i, end);
      i = end;
    }
    row.push(cell);
    const ch = text.charCodeAt(i);
    if (ch === 0x09 /* tab */) {
      i++;
      continue;
    }
    rows.push(row);
    row = [];
    if (i >= n) break;
    // CRLF, LF or CR ends the row; one at the very end ends the text.
    i += ch === 0x0d && text.charCodeAt(i + 1) === 0x0a ? 2 : 1;
    if (i >= n) break;
  }
  return rows;
}

/** The end of an unquoted cell: the next tab, CR, LF or the end of the text. */
function cellEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const ch = text.charCodeAt(i);
    if (ch === 0x09 || ch === 0x0a || ch === 0x0d) break;
    i++;
  }
  return i;
}

/** A quoted cell starting at `from`, if it is closed and followed by a tab, a line end or the end. */
function quoted(text: string, from: number): { value: string; end: number } | null {
  const parts: string[] = [];
  let i = from + 1;
  let start = i;
  for (;;) {
    const close = text.indexOf('"', i);
    if (close < 0) return null;
    if (text.charCodeAt(close + 1) === 0x22) {
      parts.push(text.slice(start, close + 1));
      i = close + 2;
      start = i;
      continue;
    }
    const next = close + 1;
    const ch = text.charCodeAt(next);
    if (next < text.length && ch !== 0x09 && ch !== 0x0a && ch !== 0x0d) return null;
    parts.push(text.slice(start, close));
    return { value: parts.join(''), end: next };
  }
}

/** One cell as spreadsheets write it: quoted when it holds a tab, a line break or a quote. */
function formatCell(value: string): string {
  return /[\t\r\n"]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Tab-separated text of rows, each row ended with CRLF as Excel does. `forSpreadsheet`: the copy a
 * spreadsheet pastes (plain text on the clipboard): a cell it would run as a formula gets a
 * leading `'`, so that it is shown as text (shared/domain/dialects/formulas.ts); the grid's own
 * paste reads the exact copy instead (EXACT_TSV_TYPE).
 */
export function formatTsv(
  rows: readonly (readonly string[])[],
  forSpreadsheet = false,
): { text: string; neutralized: number } {
  let neutralized = 0;
  const lines = rows.map((row) =>
    row
      .map((value) => {
        if (!forSpreadsheet) return formatCell(value);
        const safe = neutralizeFormula(value);
        if (safe !== value) neutralized++;
        return formatCell(safe);
      })
      .join('\t'),
  );
  return { text: lines.map((line) => `${line}\r\n`).join(''), neutralized };
}
