/**
 * Streaming CSV reader: bytes → decoder (detected or named encoding) → CsvParser → batches of
 * rows with their data row numbers and lines. Memory stays at about one chunk plus one batch.
 */
import { canonicalEncoding, delimiterName } from '../../../../shared/domain/dialects/csvDialect';
import type { DetectedEncoding } from '../encoding';
import { InputFileError } from '../inputError';
import type { ByteSource } from '../rows';
import { TextRowReader } from '../textRowReader';
import type { TextReadOptions } from '../textRowReader';
import type { InputLocation } from '../inputError';
import { CsvParser, countLineBreaks } from './csvParser';
import type { CsvProblem } from './csvParser';

export interface CsvReadOptions extends TextReadOptions {
  /** Column delimiter; detected from the header line when absent. */
  readonly delimiter?: string;
  /** Text qualifier (default `"`; '' for none). */
  readonly qualifier?: string;
  /** Whether the first record is the header (default true). */
  readonly headerRow?: boolean;
  readonly maxRecordChars?: number;
  readonly maxFieldChars?: number;
  readonly maxFields?: number;
}

/** What the reader learnt about a CSV file. */
export interface CsvInfo extends Readonly<Record<string, string | number | boolean>> {
  readonly encoding: string;
  /**
   * Why this encoding: `BOM`, `ASCII`, `valid UTF-8`, `UTF-16 pattern`, `not UTF-8`, `override`, or
   * `mixed` (UTF-8 characters and bytes that are not UTF-8: read as UTF-8, the bad bytes flagged).
   * `ASCII` becomes `valid UTF-8` at the end when later bytes were not ASCII.
   */
  readonly encodingReason: string;
  readonly bom: boolean;
  readonly delimiter: string;
  readonly qualifier: string;
  readonly headerRow: boolean;
  /** Line ending of the first line: `\r\n`, `\n` or `\r` ('' when the file has one line). */
  readonly lineEnding: string;
}

const DELIMITER_CANDIDATES = [',', ';', '\t', '|'];

export async function openCsvReader(source: ByteSource, options: CsvReadOptions = {}): Promise<CsvRowReader> {
  const reader = new CsvRowReader(source, options);
  await reader.start();
  return reader;
}

export class CsvRowReader extends TextRowReader {
  info!: CsvInfo;
  private parser: CsvParser | undefined;
  private headerPending: boolean;

  constructor(
    source: ByteSource,
    private readonly options: CsvReadOptions,
  ) {
    super(source, options);
    this.headerPending = options.headerRow ?? true;
  }

  /** Blank lines skipped so far (F&O reports them as skipped rows, DMF2050). */
  get blankLines(): number {
    return this.parser?.blankLines ?? 0;
  }

  /** Reads up to the header, so that `columns` and `info` are known. */
  async start(): Promise<void> {
    await this.open();
    await this.readWhile(() => this.headerPending);
    this.headerPending = false;
  }

  /** A file that mixes encodings is refused here (before decoding) unless its bad rows are to be flagged. */
  protected override detect(head: Uint8Array): DetectedEncoding {
    const detected = super.detect(head);
    if (detected.mixed && !this.options.onProblem) throw mixedEncodingError(this.location, head, detected.mixed);
    return detected;
  }

  protected begin(detected: DetectedEncoding, text: string): void {
    const qualifier = this.options.qualifier ?? '"';
    const delimiter = this.options.delimiter ?? sniffDelimiter(text, qualifier);
    const { maxRecordChars, maxFieldChars, maxFields } = this.options;
    this.parser = new CsvParser(
      {
        delimiter,
        qualifier,
        ...(maxRecordChars === undefined ? {} : { maxRecordChars }),
        ...(maxFieldChars === undefined ? {} : { maxFieldChars }),
        ...(maxFields === undefined ? {} : { maxFields }),
        recover: this.options.onProblem !== undefined,
      },
      this.location,
    );
    this.info = {
      encoding: canonicalEncoding(detected.encoding),
      encodingReason: detected.reason,
      bom: detected.bom,
      delimiter,
      qualifier,
      headerRow: this.options.headerRow ?? true,
      lineEnding: firstLineEnding(text),
    };
  }

  /** The line decoded text not yet parsed would end on (pack names lines in the bytes it converts). */
  lineAhead(text: string): number {
    return this.lineAfter(text);
  }

  protected lineAfter(text: string): number {
    return this.parser ? this.parser.lineAfter(text) : 1 + countLineBreaks(text, 0, text.length);
  }

  protected consume(text: string, final: boolean): void {
    this.parser?.push(text, final, (fields, line, problem) => this.onRecord(fields, line, problem));
    if (final && this.info.encodingReason === 'ASCII' && this.sawNonAscii)
      this.info = { ...this.info, encodingReason: 'valid UTF-8' };
  }

  protected get between(): boolean {
    return this.parser?.inRecord !== true;
  }

  private onRecord(fields: string[], line: number, problem: CsvProblem | undefined): void {
    const report = this.options.onProblem;
    if (this.headerPending) {
      this.headerPending = false;
      if (this.options.headerRow !== false) {
        if (problem)
          throw new InputFileError(
            { ...this.location, line: problem.line, row: 0 },
            `the header row: ${problem.message}`,
          );
        // Column names with bytes the encoding does not have cannot be flagged on a row: the open is
        // refused, so that the encoding can be chosen (the grid offers one).
        if (this.replacedBytes && fields.some((f) => f.includes('\ufffd')))
          throw new InputFileError(
            { ...this.location, line, row: 0 },
            `the header row has bytes that are not valid ${this.info.encoding} (shown as \ufffd). Choose the encoding the file was saved in, or save it as ${this.info.encoding}.`,
          );
        this.columns = fields.map((f) => f.trim());
        return;
      }
    }
    if (this.columns.length === 0) this.columns = fields.map((_, i) => `COLUMN${i + 1}`);
    const row = this.nextRowNumber;
    if (problem && report) {
      report({ kind: 'qualifier', row, line: problem.line, column: problem.column, message: problem.message });
    } else if (fields.length !== this.columns.length && this.options.ragged !== 'keep') {
      const message =
        `data row ${row} has ${fields.length} ${fields.length === 1 ? 'value' : 'values'} but the header has ${this.columns.length} columns (F&O skips such rows, DMF2050). ` +
        `Check for a ${delimiterName(this.info.delimiter)} inside a value that is not in a text qualifier, or a missing value.`;
      if (!report) throw new InputFileError({ ...this.location, line, row }, message);
      report({ kind: 'columns', row, line, message: withExtraValues(message, fields, this.columns.length) });
    }
    if (this.replacedBytes && report && fields.some((f) => f.includes('\ufffd'))) {
      report({
        kind: 'encoding',
        row,
        line,
        message: `data row ${row} has bytes that are not valid ${this.info.encoding} (shown as \ufffd). The file mixes encodings, or is in another one: choose the encoding it was saved in, or save it as ${this.info.encoding}.`,
      });
    }
    this.emitRow(fields, line);
  }
}

/** A long row's message also shows the values beyond the header (the grid has no column for them). */
function withExtraValues(message: string, fields: readonly string[], width: number): string {
  if (fields.length <= width) return message;
  const extra = fields.slice(width, width + 5).map((f) => JSON.stringify(f.length > 60 ? `${f.slice(0, 60)}…` : f));
  return `${message} Beyond the header: ${extra.join(', ')}${fields.length - width > 5 ? ', …' : ''}.`;
}

/** The error for a file whose first bytes hold UTF-8 characters and bytes that are not UTF-8. */
function mixedEncodingError(
  location: InputLocation,
  head: Uint8Array,
  mixed: { readonly utf8At: number; readonly invalidAt: number },
): InputFileError {
  const lineAt = (offset: number) =>
    1 + countLineBreaks(Buffer.from(head.buffer, head.byteOffset, offset).toString('latin1'), 0, offset);
  const byte = (head[mixed.invalidAt] ?? 0).toString(16).toUpperCase().padStart(2, '0');
  return new InputFileError(
    { ...location, line: lineAt(mixed.invalidAt) },
    `a byte (0x${byte}) here is not UTF-8, but line ${lineAt(mixed.utf8At)} has UTF-8 characters: the file mixes encodings, so neither UTF-8 nor Windows-1252 reads it without changing some text. Save the file in one encoding (UTF-8), or name the encoding to read it with.`,
  );
}

/** The candidate delimiter that appears most often outside qualifiers on the first line. */
export function sniffDelimiter(text: string, qualifier: string): string {
  const counts = new Map<string, number>(DELIMITER_CANDIDATES.map((d) => [d, 0]));
  let quoted = false;
  for (const c of text) {
    if (qualifier !== '' && c === qualifier) quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted) {
      const n = counts.get(c);
      if (n !== undefined) counts.set(c, n + 1);
    }
  }
  let best = ',';
  let bestCount = 0;
  for (const [d, n] of counts) {
    if (n > bestCount) {
      best = d;
      bestCount = n;
    }
  }
  return best;
}

function firstLineEnding(text: string): string {
  const lf = text.indexOf('\n');
  const cr = text.indexOf('\r');
  if (cr >= 0 && (lf < 0 || cr < lf)) return text[cr + 1] === '\n' ? '\r\n' : '\r';
  return lf >= 0 ? '\n' : '';
}
