/**
 * Streaming CSV writer in a given dialect. Refuses, with the row and column, a character the
 * encoding cannot hold (F&O would import `?`) and a value that cannot be written without a
 * text qualifier.
 */
import type { Writable } from 'node:stream';
import type { CsvDialect } from '../../../../shared/domain/dialects/csvDialect';
import { createEncoder, UnencodableCharacterError } from '../encoding';
import { InputFileError } from '../inputError';
import type { RowWriter } from '../rows';
import { WritableSink } from '../writableSink';

export interface CsvWriterOptions {
  readonly columns: readonly string[];
  readonly dialect: CsvDialect;
  /** Name used in error messages (the data file). */
  readonly file: string;
}

/** Flush to the destination once this many characters are buffered. */
const FLUSH_CHARS = 256 * 1024;

export function createCsvWriter(out: Writable, options: CsvWriterOptions): RowWriter {
  const { dialect, columns, file } = options;
  const encoder = createEncoder(dialect.encoding);
  const sink = new WritableSink(out);
  const q = dialect.qualifier;
  const doubled = q + q;
  const special = new RegExp(`[${escapeClass(dialect.delimiter + q)}\\r\\n]`);
  const edgeSpace = /^\s|\s$/;
  let rowsWritten = 0;
  let started = false;
  // Buffered text and, for errors, the data row each buffered line starts with.
  let text = '';
  let rowStarts: number[] = [];
  let firstBufferedRow = 0;

  const field = (value: string, row: number, column: number): string => {
    if (q === '') {
      if (special.test(value)) {
        throw new InputFileError(
          { file, row, column },
          `the value of ${columns[column - 1] ?? 'this column'} contains a delimiter or a line break, which a format without a text qualifier cannot carry.`,
        );
      }
      return value;
    }
    if (dialect.quote === 'all' || special.test(value) || edgeSpace.test(value)) {
      return q + (value.includes(q) ? value.split(q).join(doubled) : value) + q;
    }
    return value;
  };

  const append = (cells: readonly string[], row: number): void => {
    rowStarts.push(text.length);
    let s = '';
    for (let c = 0; c < cells.length; c++) {
      if (c > 0) s += dialect.delimiter;
      s += field(cells[c] ?? '', row, c + 1);
    }
    text += s + dialect.lineEnding;
  };

  const flush = async (): Promise<void> => {
    if (text === '') return;
    let bytes: Buffer;
    try {
      bytes = encoder.encode(text);
    } catch (error) {
      if (!(error instanceof UnencodableCharacterError)) throw error;
      let k = 0;
      while (k + 1 < rowStarts.length && (rowStarts[k + 1] ?? Infinity) <= error.index) k++;
      throw new InputFileError(
        { file, row: firstBufferedRow + k },
        `contains "${error.character}", which ${error.encoding} cannot hold. Use the CSV-Unicode format (UTF-16) or name a Unicode encoding.`,
      );
    }
    text = '';
    rowStarts = [];
    firstBufferedRow = rowsWritten + 1;
    await sink.write(bytes);
  };

  const start = async (): Promise<void> => {
    started = true;
    if (dialect.bom) await sink.write(encoder.bom());
    if (dialect.headerRow) append(columns, 0);
    else firstBufferedRow = 1;
  };

  return {
    columns,
    get rowsWritten() {
      return rowsWritten;
    },
    async write(rows) {
      if (!started) await start();
      for (const row of rows) {
        if (row.length !== columns.length) {
          throw new InputFileError(
            { file, row: rowsWritten + 1 },
            `has ${row.length} cells but the file has ${columns.length} columns.`,
          );
        }
        append(row, ++rowsWritten);
        if (text.length >= FLUSH_CHARS) await flush();
      }
    },
    async end() {
      if (!started) await start();
      await flush();
      await sink.end();
    },
  };
}

function escapeClass(chars: string): string {
  return chars.replace(/[\\\]^-]/g, '\\$&');
}
