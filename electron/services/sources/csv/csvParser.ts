/**
 * An incremental RFC 4180 parser over decoded text. Why not papaparse (measured in
 * tests/bench/csv.bench.ts): this parser is faster on the same input, knows the physical line
 * of every record (lineage and error messages need it), and caps a record's size, so an
 * unclosed text qualifier is a clear error instead of the rest of the file piling up in memory.
 *
 * Accepted: CRLF, LF or CR line breaks (mixed too); quoted fields with doubled qualifiers and
 * embedded line breaks; a qualifier inside an unquoted field is plain text (as Excel reads it).
 * Refused: text after a closing qualifier, an unclosed qualifier, NUL characters (binary data or
 * the wrong encoding), records over the size cap.
 */
import { InputFileError } from '../inputError';
import type { InputLocation } from '../inputError';

export interface CsvParserOptions {
  readonly delimiter: string;
  /** '' for none. */
  readonly qualifier: string;
  /** A record (all its fields) may be at most this many characters (default 64 Mi). */
  readonly maxRecordChars?: number;
}

/** Receives each complete record. `line` is the physical line it starts on (1-based). */
export type RecordSink = (fields: string[], line: number) => void;

const LF = 10;
const CR = 13;

export const DEFAULT_MAX_RECORD_CHARS = 64 * 1024 * 1024;

export class CsvParser {
  private readonly delim: number;
  private readonly quote: number;
  private readonly quoteChar: string;
  private readonly maxRecordChars: number;
  /** Text of a record not complete yet (carried to the next chunk). */
  private pending = '';
  /** Line the pending text starts on. */
  private line = 1;
  /** Fields of the last record. */
  private width = 0;
  /** Blank lines skipped so far. */
  blankLines = 0;

  constructor(
    options: CsvParserOptions,
    private readonly location: InputLocation,
  ) {
    if (options.delimiter.length !== 1) throw new Error('The delimiter must be one character.');
    if (options.qualifier.length > 1) throw new Error('The text qualifier must be one character or none.');
    this.delim = options.delimiter.charCodeAt(0);
    this.quote = options.qualifier === '' ? -1 : options.qualifier.charCodeAt(0);
    this.quoteChar = options.qualifier;
    this.maxRecordChars = options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS;
  }

  /** The line the parser would reach after its pending text and `text` (for decoder errors). */
  lineAfter(text: string): number {
    return this.line + countLineBreaks(this.pending, 0, this.pending.length) + countLineBreaks(text, 0, text.length);
  }

  /** Parses `text` appended to what is pending; `final` means no more text follows. */
  push(text: string, final: boolean, sink: RecordSink): void {
    const s = this.pending.length === 0 ? text : this.pending + text;
    this.pending = '';
    const nul = s.indexOf('\0');
    if (nul >= 0)
      this.failAtIndex(
        s,
        nul,
        'contains a NUL character: this is binary data or a file in another encoding (try utf-16le).',
      );
    const consumed = this.parse(s, final, sink);
    if (consumed < s.length) {
      this.pending = s.slice(consumed);
      if (this.pending.length > this.maxRecordChars) {
        throw new InputFileError(
          { ...this.location, line: this.line },
          `a record starting here is longer than ${this.maxRecordChars.toLocaleString('en-US')} characters. A text qualifier (${this.quoteChar || 'none'}) is probably not closed; check this line.`,
        );
      }
    }
  }

  /** Parses complete records; returns how much of `s` was consumed. */
  private parse(s: string, final: boolean, sink: RecordSink): number {
    const n = s.length;
    const delim = this.delim;
    const quote = this.quote;
    let i = 0;
    while (i < n) {
      const recordStart = i;
      const recordLine = this.line;
      let lines = 0;
      const c0 = s.charCodeAt(i);
      // A blank line is not a record.
      if (c0 === LF || c0 === CR) {
        if (c0 === CR && i + 1 >= n && !final) return recordStart;
        i += c0 === CR && s.charCodeAt(i + 1) === LF ? 2 : 1;
        this.line++;
        this.blankLines++;
        continue;
      }
      // Sized like the last record: one allocation instead of the array growing twice per row.
      const fields: string[] = new Array<string>(this.width);
      let count = 0;
      for (;;) {
        if (s.charCodeAt(i) === quote) {
          // Quoted field: runs to a qualifier not followed by another.
          let value = '';
          let from = i + 1;
          let closed = -1;
          for (;;) {
            const q = s.indexOf(this.quoteChar, from);
            if (q < 0) break;
            if (q + 1 < n && s.charCodeAt(q + 1) === quote) {
              value += s.slice(from, q + 1);
              from = q + 2;
              continue;
            }
            if (q + 1 >= n && !final) break; // the next chunk may start with the doubling qualifier
            value += s.slice(from, q);
            closed = q;
            break;
          }
          if (closed < 0) {
            if (!final) return recordStart;
            this.line = recordLine;
            throw new InputFileError(
              { ...this.location, line: recordLine, column: count + 1 },
              `the text qualifier ${this.quoteChar} opened in this field is never closed. Close it, or double it ("") where it is part of the text.`,
            );
          }
          lines += countLineBreaks(s, i + 1, closed);
          fields[count++] = value;
          i = closed + 1;
          if (i < n) {
            const c = s.charCodeAt(i);
            if (c !== delim && c !== LF && c !== CR) {
              this.line = recordLine + lines;
              throw new InputFileError(
                { ...this.location, line: recordLine + lines, column: count },
                `unexpected text after the closing text qualifier ${this.quoteChar} of a field. Quote the whole field and double any ${this.quoteChar} inside it.`,
              );
            }
          }
        } else {
          let j = i;
          while (j < n) {
            const c = s.charCodeAt(j);
            if (c === delim || c === LF || c === CR) break;
            j++;
          }
          fields[count++] = s.slice(i, j);
          i = j;
        }
        if (i >= n) {
          if (!final) return recordStart;
          break;
        }
        const c = s.charCodeAt(i);
        if (c === delim) {
          i++;
          if (i >= n) {
            if (!final) return recordStart;
            fields[count++] = '';
            break;
          }
          continue;
        }
        // CR or LF ends the record; CR at the very end may be the first half of CRLF.
        if (c === CR) {
          if (i + 1 >= n && !final) return recordStart;
          i += s.charCodeAt(i + 1) === LF ? 2 : 1;
        } else {
          i++;
        }
        lines++;
        break;
      }
      this.line = recordLine + lines;
      if (count !== fields.length) fields.length = count;
      this.width = count;
      sink(fields, recordLine);
    }
    return n;
  }

  private failAtIndex(s: string, index: number, problem: string): never {
    const line = this.line + countLineBreaks(s, 0, index);
    throw new InputFileError({ ...this.location, line }, problem);
  }
}

/** Line breaks (CRLF, LF or CR) in s[from, to). */
export function countLineBreaks(s: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === LF) count++;
    else if (c === CR) {
      count++;
      if (i + 1 < to && s.charCodeAt(i + 1) === LF) i++;
    }
  }
  return count;
}
