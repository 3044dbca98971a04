/**
 * An incremental RFC 4180 parser over decoded text. Why not papaparse (measured in
 * tests/bench/csv.bench.ts): this parser is faster on the same input, knows the physical line
 * of every record (lineage and error messages need it), and caps values and records, so an
 * unclosed text qualifier is a clear error instead of the rest of the file piling up in memory.
 *
 * Linear in the input: a record cut by the end of a chunk is continued where the chunk ended
 * (its finished values and the value in progress are kept), never parsed again from its start.
 *
 * Accepted: CRLF, LF or CR line breaks (mixed too); quoted fields with doubled qualifiers and
 * embedded line breaks; a qualifier inside an unquoted field is plain text (as Excel reads it).
 * Refused: text after a closing qualifier, an unclosed qualifier, NUL characters (binary data or
 * the wrong encoding), values, records and value counts over their limits (INPUT_LIMITS).
 * With `recover`, the first two become records handed to the sink with their problem (the row
 * store shows every broken row of a file at once; F&O skips such rows, DMF2050).
 */
import { InputFileError } from '../inputError';
import type { InputLocation } from '../inputError';
import { INPUT_LIMITS, formatLimit } from '../limits';

export interface CsvParserOptions {
  readonly delimiter: string;
  /** '' for none. */
  readonly qualifier: string;
  /** A record (all its values) may be at most this many characters (default INPUT_LIMITS.recordChars). */
  readonly maxRecordChars?: number;
  /** One value may be at most this many characters (default INPUT_LIMITS.fieldChars). */
  readonly maxFieldChars?: number;
  /** A record may have at most this many values (default INPUT_LIMITS.fieldsPerRecord). */
  readonly maxFields?: number;
  /**
   * Hand broken records to the sink with their problem instead of throwing: text after a closing
   * qualifier stays in its value (`"x"y` is `xy`, as Excel reads it); a qualifier never closed
   * (up to the end of the file or the value limit) is taken as plain text to the end of its line,
   * and parsing goes on from the next line.
   */
  readonly recover?: boolean;
}

export interface CsvProblem {
  readonly kind: 'unclosed-qualifier' | 'text-after-qualifier';
  /** The 1-based value of the record where it is. */
  readonly column: number;
  /** The line it is on. */
  readonly line: number;
  /** What is wrong and what to do (the caller adds the place). */
  readonly message: string;
}

/** Receives each complete record. `line` is the physical line it starts on (1-based). */
export type RecordSink = (fields: string[], line: number, problem?: CsvProblem) => void;

const LF = 10;
const CR = 13;

/** Where a record in progress is when a chunk ends. */
const IDLE = 0; // between records
const FIELD_START = 1; // at the start of a value
const UNQUOTED = 2; // inside an unquoted value
const QUOTED = 3; // inside a quoted value
const QUOTE_SEEN = 4; // a qualifier ended the chunk: the closing one, or the first of a doubled pair

export class CsvParser {
  private readonly delim: number;
  private readonly quote: number;
  private readonly quoteChar: string;
  private readonly maxRecordChars: number;
  private readonly maxFieldChars: number;
  private readonly maxFields: number;
  private readonly recover: boolean;
  /** The line the record in progress (or the next one) starts on. */
  private line = 1;
  /** Values of the last record: the next one is sized like it. */
  private width = 0;
  /** Blank lines skipped so far. */
  blankLines = 0;

  // The record in progress, carried from one chunk to the next.
  private mode = IDLE;
  private fields: string[] = [];
  private count = 0;
  /** The value in progress (quoted: with its doubled qualifiers undone). */
  private partial = '';
  /** Line breaks inside the record so far (quoted values span lines). */
  private lines = 0;
  /** Characters of the record's finished values. */
  private recordChars = 0;
  /** The line the open qualifier of the value in progress is on. */
  private quoteLine = 0;
  /** Text after a closing qualifier in the record in progress (recover mode). */
  private problem: CsvProblem | undefined;
  /** A CR ended the last chunk: a LF at the start of the next one belongs to it. */
  private skipLF = false;

  constructor(
    options: CsvParserOptions,
    private readonly location: InputLocation,
  ) {
    if (options.delimiter.length !== 1) throw new Error('The delimiter must be one character.');
    if (options.qualifier.length > 1) throw new Error('The text qualifier must be one character or none.');
    this.delim = options.delimiter.charCodeAt(0);
    this.quote = options.qualifier === '' ? -1 : options.qualifier.charCodeAt(0);
    this.quoteChar = options.qualifier;
    this.maxRecordChars = options.maxRecordChars ?? INPUT_LIMITS.recordChars;
    this.maxFieldChars = Math.min(options.maxFieldChars ?? INPUT_LIMITS.fieldChars, this.maxRecordChars);
    this.maxFields = options.maxFields ?? INPUT_LIMITS.fieldsPerRecord;
    this.recover = options.recover === true;
  }

  /** Whether a record is in progress (its text goes on in the next chunk). */
  get inRecord(): boolean {
    return this.mode !== IDLE;
  }

  /** The line the parser would reach after its pending text and `text` (for decoder errors). */
  lineAfter(text: string): number {
    const from = this.skipLF && text.charCodeAt(0) === LF ? 1 : 0;
    return this.line + this.lines + countLineBreaks(text, from, text.length);
  }

  /** Parses `text`, which continues what came before; `final`: no more text follows. */
  push(text: string, final: boolean, sink: RecordSink): void {
    const nul = text.indexOf('\0');
    if (nul >= 0) {
      throw new InputFileError(
        { ...this.location, line: this.lineAfter(text.slice(0, nul)) },
        'contains a NUL character: this is binary data or a file in another encoding (try utf-16le).',
      );
    }
    // A recovered record hands back the text after its line, parsed again by this loop.
    for (let input: string | null = text; input !== null;) input = this.parse(input, final, sink);
  }

  /** Parses `s`; returns the text to parse again after a recovered record, else null. */
  private parse(s: string, final: boolean, sink: RecordSink): string | null {
    const n = s.length;
    const delim = this.delim;
    const quote = this.quote;
    const quoteChar = this.quoteChar;
    const maxField = this.maxFieldChars;
    const maxFields = this.maxFields;
    const maxRecord = this.maxRecordChars;
    let i = 0;
    if (this.skipLF && n > 0) {
      this.skipLF = false;
      if (s.charCodeAt(0) === LF) i = 1;
    }
    // The record in progress, in locals for speed; written back before leaving or calling out.
    let mode = this.mode;
    let fields = this.fields;
    let count = this.count;
    let recordChars = this.recordChars;
    let partial = this.partial;
    // Line breaks in s[from, to) of a quoted value: none unless the next CR or LF comes before
    // `to`. Each is found by indexOf and kept until passed, so the text is scanned once (a
    // character loop over every quoted value cost a third of parsing a fully quoted file).
    let nextLF = -2;
    let nextCR = -2;
    const breaksIn = (from: number, to: number): number => {
      if (nextLF !== -1 && nextLF < from) nextLF = s.indexOf('\n', from);
      if (nextCR !== -1 && nextCR < from) nextCR = s.indexOf('\r', from);
      if ((nextLF < 0 || nextLF >= to) && (nextCR < 0 || nextCR >= to)) return 0;
      return countLineBreaks(s, from, to);
    };
    for (;;) {
      if (mode === IDLE) {
        if (i >= n) {
          this.keep(IDLE, fields, count, recordChars, partial);
          return null;
        }
        const c0 = s.charCodeAt(i);
        // A blank line is not a record.
        if (c0 === LF || c0 === CR) {
          i++;
          if (c0 === CR) {
            if (i < n) {
              if (s.charCodeAt(i) === LF) i++;
            } else if (!final) this.skipLF = true;
          }
          this.line++;
          this.blankLines++;
          continue;
        }
        // Sized like the last record: one allocation instead of the array growing twice per row.
        fields = new Array<string>(this.width);
        count = 0;
        recordChars = 0;
        this.lines = 0;
        mode = FIELD_START;
      }
      // One value per turn; `break` ends the record.
      for (;;) {
        let value: string;
        if (mode === FIELD_START) {
          if (i >= n) {
            if (!final) {
              this.keep(FIELD_START, fields, count, recordChars, partial);
              return this.suspend();
            }
            // The last field of the file is empty: it stays FIELD_START, and ends below.
          } else if (s.charCodeAt(i) === quote) {
            mode = QUOTED;
            partial = '';
            this.quoteLine = this.line + this.lines;
            i++;
          } else {
            mode = UNQUOTED;
            partial = '';
          }
        }
        if (mode === UNQUOTED) {
          let j = i;
          while (j < n) {
            const c = s.charCodeAt(j);
            if (c === delim || c === LF || c === CR) break;
            j++;
          }
          if (j >= n && !final) {
            partial += s.slice(i, n);
            this.keep(UNQUOTED, fields, count, recordChars, partial);
            return this.suspend();
          }
          value = partial.length === 0 ? s.slice(i, j) : partial + s.slice(i, j);
          partial = '';
          i = j;
        } else if (mode !== FIELD_START) {
          // Quoted value: runs to a qualifier not followed by another.
          let from = i;
          // Index of the closing qualifier; -2 while not found (-1: it ended the last chunk).
          let closed = -2;
          if (mode === QUOTE_SEEN) {
            if (i >= n && !final) {
              this.keep(QUOTE_SEEN, fields, count, recordChars, partial);
              return this.suspend();
            }
            if (i < n && s.charCodeAt(i) === quote) {
              // The qualifier that ended the last chunk was the first of a doubled pair.
              partial += quoteChar;
              from = i + 1;
              mode = QUOTED;
            } else closed = i - 1; // it was the closing one
          } else if (i < n && s.charCodeAt(i) === LF && partial.charCodeAt(partial.length - 1) === CR) {
            this.lines--; // a CRLF cut by the chunk boundary: counted once already, at its CR
          }
          // The value's text in this chunk is taken in one piece, its doubled qualifiers undone at
          // once: appending a piece per doubled qualifier made a rope of millions of strings
          // (a 10 MB file of `""a` cells held 220 MB of heap).
          const run = from;
          let doubled = false;
          while (closed === -2) {
            const q = s.indexOf(quoteChar, from);
            if (q < 0 || (q + 1 >= n && !final)) {
              const end = q < 0 ? n : q;
              this.lines += breaksIn(run, end);
              partial += undouble(s.slice(run, end), doubled, quoteChar);
              this.keep(q < 0 ? QUOTED : QUOTE_SEEN, fields, count, recordChars, partial);
              if ((q < 0 && final) || partial.length > maxField || recordChars + partial.length > maxRecord)
                return this.unclosed(sink);
              // The next chunk decides: more text, or whether that qualifier is doubled.
              return null;
            }
            if (q + 1 < n && s.charCodeAt(q + 1) === quote) {
              doubled = true;
              from = q + 2;
              continue;
            }
            this.lines += breaksIn(run, q);
            const text = undouble(s.slice(run, q), doubled, quoteChar);
            partial = partial.length === 0 ? text : partial + text;
            closed = q;
          }
          i = closed + 1;
          value = partial;
          partial = '';
          if (i < n) {
            const c = s.charCodeAt(i);
            if (c !== delim && c !== LF && c !== CR) {
              const column = count + 1;
              const line = this.line + this.lines;
              const message = `unexpected text after the closing text qualifier ${quoteChar} of a field. Quote the whole field and double any ${quoteChar} inside it.`;
              if (!this.recover) {
                this.line = line;
                throw new InputFileError({ ...this.location, line, column }, message);
              }
              // Kept in the value, as Excel reads it.
              this.problem ??= { kind: 'text-after-qualifier', column, line, message };
              partial = value;
              mode = UNQUOTED;
              continue;
            }
          }
        } else value = '';
        // The value is complete.
        if (count >= maxFields || value.length > maxField || (recordChars += value.length) > maxRecord) {
          this.keep(mode, fields, count, recordChars, partial);
          this.overLimit(value.length);
        }
        fields[count++] = value;
        if (i >= n) break; // only when final: otherwise the value was suspended above
        const c = s.charCodeAt(i);
        i++;
        if (c === delim) {
          mode = FIELD_START;
          continue;
        }
        // CR or LF ends the record; a CR at the end of a chunk may be the first half of CRLF.
        if (c === CR) {
          if (i < n) {
            if (s.charCodeAt(i) === LF) i++;
          } else if (!final) this.skipLF = true;
        }
        this.lines++;
        break;
      }
      mode = IDLE;
      if (count !== fields.length) fields.length = count;
      const line = this.line;
      this.line = line + this.lines;
      this.lines = 0;
      this.width = count;
      const problem = this.problem;
      this.problem = undefined;
      sink(fields, line, problem);
    }
  }

  /** Which limit a finished value broke (its length is not yet in the record's count). */
  private overLimit(length: number): never {
    if (this.count >= this.maxFields) {
      throw new InputFileError(
        { ...this.location, line: this.line },
        `the record starting here has more than ${formatLimit(this.maxFields)} values, the most the workbench reads. Check the delimiter (the file may use another one), or that this is a delimited text file.`,
      );
    }
    if (length > this.maxFieldChars) this.valueTooLong();
    this.recordTooLong();
  }

  private valueTooLong(): never {
    throw new InputFileError(
      { ...this.location, line: this.line, column: this.count + 1 },
      `a value here is longer than ${formatLimit(this.maxFieldChars)} characters, the most the workbench reads in one value. Check that this is a delimited text file with a line break after each row.`,
    );
  }

  /** Stores the record in progress (parse keeps it in locals). */
  private keep(mode: number, fields: string[], count: number, recordChars: number, partial: string): void {
    this.mode = mode;
    this.fields = fields;
    this.count = count;
    this.recordChars = recordChars;
    this.partial = partial;
  }

  /** Checks the record kept for the next chunk against its limits. */
  private suspend(): null {
    if (this.partial.length > this.maxFieldChars) this.valueTooLong();
    if (this.recordChars + this.partial.length > this.maxRecordChars) this.recordTooLong();
    return null;
  }

  private recordTooLong(): never {
    throw new InputFileError(
      { ...this.location, line: this.line },
      `a record starting here is longer than ${formatLimit(this.maxRecordChars)} characters, the most the workbench reads in one record. Check that this is a delimited text file with a line break after each row.`,
    );
  }

  /**
   * A qualifier never closed, at the end of the file or of the value limit. Without `recover` an
   * error; with it, the line it opened on is a record of its own (the rest of that line is the
   * value, as text) and the text after that line is handed back to be parsed again.
   */
  private unclosed(sink: RecordSink): string | null {
    const column = this.count + 1;
    const limited =
      this.partial.length > this.maxFieldChars || this.recordChars + this.partial.length > this.maxRecordChars;
    if (!this.recover) {
      this.mode = IDLE;
      if (limited) {
        throw new InputFileError(
          { ...this.location, line: this.line },
          `a record starting here is longer than ${formatLimit(Math.min(this.maxFieldChars, this.maxRecordChars))} characters. A text qualifier (${this.quoteChar || 'none'}) is probably not closed; check this line.`,
        );
      }
      throw new InputFileError(
        { ...this.location, line: this.line, column },
        `the text qualifier ${this.quoteChar} opened in this field is never closed. Close it, or double it (${this.quoteChar}${this.quoteChar}) where it is part of the text.`,
      );
    }
    // The raw text after the open qualifier: the value so far with its qualifiers doubled again.
    const rest = this.partial.includes(this.quoteChar)
      ? this.partial.split(this.quoteChar).join(this.quoteChar + this.quoteChar)
      : this.partial;
    this.partial = '';
    const eol = firstLineBreak(rest);
    const lineText = eol < 0 ? rest : rest.slice(0, eol);
    const quoteLine = this.quoteLine;
    this.problem = {
      kind: 'unclosed-qualifier',
      column,
      line: quoteLine,
      message: `the text qualifier ${this.quoteChar} opened in value ${column} is never closed${limited ? ` within ${formatLimit(this.maxFieldChars)} characters` : ''}: the rest of line ${quoteLine} is shown as that value, and the lines after it are read as rows. Close the qualifier, or double it (${this.quoteChar}${this.quoteChar}) where it is part of the text.`,
    };
    if (this.count >= this.maxFields || lineText.length > this.maxFieldChars) this.overLimit(lineText.length);
    const fields = this.fields;
    fields[this.count++] = lineText;
    if (this.count !== fields.length) fields.length = this.count;
    // The record ends with the line the qualifier opened on.
    const line = this.line;
    this.line = quoteLine + 1;
    this.lines = 0;
    this.mode = IDLE;
    this.width = this.count;
    const problem = this.problem;
    this.problem = undefined;
    this.fields = [];
    sink(fields, line, problem);
    if (eol < 0) return null;
    const after = eol + (rest.charCodeAt(eol) === CR && rest.charCodeAt(eol + 1) === LF ? 2 : 1);
    return after < rest.length ? rest.slice(after) : null;
  }
}

/**
 * A quoted value's text with its doubled qualifiers made single (every qualifier in it is one of
 * a pair). split/join builds one flat string; V8's replaceAll and replace(/…/g) build a rope of
 * two strings per match (measured: 220 MB of heap for 7 M characters of `""a`, split/join 7 MB).
 */
function undouble(text: string, doubled: boolean, quoteChar: string): string {
  return doubled ? text.split(quoteChar + quoteChar).join(quoteChar) : text;
}

function firstLineBreak(s: string): number {
  const lf = s.indexOf('\n');
  const cr = s.indexOf('\r');
  return cr >= 0 && (lf < 0 || cr < lf) ? cr : lf;
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
