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
import { CsvParser, countLineBreaks } from './csvParser';

export interface CsvReadOptions extends TextReadOptions {
  /** Column delimiter; detected from the header line when absent. */
  readonly delimiter?: string;
  /** Text qualifier (default `"`; '' for none). */
  readonly qualifier?: string;
  /** Whether the first record is the header (default true). */
  readonly headerRow?: boolean;
  readonly maxRecordChars?: number;
}

/** What the reader learnt about a CSV file. */
export interface CsvInfo extends Readonly<Record<string, string | number | boolean>> {
  readonly encoding: string;
  /** Why this encoding: `BOM`, `ASCII`, `valid UTF-8`, `UTF-16 pattern`, `not UTF-8`, `override`. */
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

  protected begin(detected: DetectedEncoding, text: string): void {
    const qualifier = this.options.qualifier ?? '"';
    const delimiter = this.options.delimiter ?? sniffDelimiter(text, qualifier);
    this.parser = new CsvParser(
      {
        delimiter,
        qualifier,
        ...(this.options.maxRecordChars === undefined ? {} : { maxRecordChars: this.options.maxRecordChars }),
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

  protected lineAfter(text: string): number {
    return this.parser ? this.parser.lineAfter(text) : 1 + countLineBreaks(text, 0, text.length);
  }

  protected consume(text: string, final: boolean): void {
    this.parser?.push(text, final, (fields, line) => this.onRecord(fields, line));
  }

  private onRecord(fields: string[], line: number): void {
    if (this.headerPending) {
      this.headerPending = false;
      if (this.options.headerRow !== false) {
        this.columns = fields.map((f) => f.trim());
        return;
      }
    }
    if (this.columns.length === 0) this.columns = fields.map((_, i) => `COLUMN${i + 1}`);
    if (fields.length !== this.columns.length && this.options.ragged !== 'keep') {
      const row = this.nextRowNumber;
      throw new InputFileError(
        { ...this.location, line, row },
        `data row ${row} has ${fields.length} ${fields.length === 1 ? 'value' : 'values'} but the header has ${this.columns.length} columns (F&O skips such rows, DMF2050). ` +
          `Check for a ${delimiterName(this.info.delimiter)} inside a value that is not in a text qualifier, or a missing value.`,
      );
    }
    this.emitRow(fields, line);
  }
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
