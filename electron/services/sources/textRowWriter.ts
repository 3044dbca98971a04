/**
 * What the CSV, XML and xlsx-sheet writers share: rows become text in a buffer that is encoded
 * and written out every 256 K characters, with backpressure; rows of the wrong width are
 * refused; a character the encoding cannot hold is reported with the data row it is in.
 */
import { UnencodableCharacterError } from './encoding';
import { InputFileError } from './inputError';
import type { RowWriter } from './rows';
import type { WritableSink } from './writableSink';

export interface TextLayout {
  /** Bytes and text before the first row (BOM, declaration, header). */
  begin(sink: WritableSink): Promise<string>;
  /** One data row (1-based `row`); throws InputFileError for a value the format cannot carry. */
  row(cells: readonly string[], row: number): string;
  /** Text after the last row. */
  end(): string;
  /** Text to bytes; may throw UnencodableCharacterError. */
  encode(text: string): Buffer;
  /** A limit on data rows and what to say past it. */
  readonly maxRows?: { readonly rows: number; readonly message: string };
}

/** Flush to the destination once this many characters are buffered. */
const FLUSH_CHARS = 256 * 1024;

export function createTextRowWriter(
  sink: WritableSink,
  columns: readonly string[],
  file: string,
  layout: TextLayout,
): RowWriter {
  let rowsWritten = 0;
  let started = false;
  let text = '';
  // For errors: where each buffered row starts in `text`, and the data row of the first one.
  let rowStarts: number[] = [];
  let firstBufferedRow = 1;

  const flush = async (final: boolean): Promise<void> => {
    if (final) text += layout.end();
    if (text === '') return;
    let bytes: Buffer;
    try {
      bytes = layout.encode(text);
    } catch (error) {
      if (!(error instanceof UnencodableCharacterError)) throw error;
      let k = 0;
      while (k + 1 < rowStarts.length && (rowStarts[k + 1] ?? Infinity) <= error.index) k++;
      const row = rowStarts.length === 0 || error.index < (rowStarts[0] ?? 0) ? 0 : firstBufferedRow + k;
      throw new InputFileError(
        { file, row },
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
    text = await layout.begin(sink);
  };

  return {
    columns,
    get rowsWritten() {
      return rowsWritten;
    },
    async write(rows) {
      if (!started) await start();
      for (const cells of rows) {
        if (cells.length !== columns.length) {
          throw new InputFileError(
            { file, row: rowsWritten + 1 },
            `has ${cells.length} cells but the file has ${columns.length} columns.`,
          );
        }
        if (layout.maxRows && rowsWritten >= layout.maxRows.rows) {
          throw new InputFileError({ file, row: rowsWritten + 1 }, layout.maxRows.message);
        }
        rowStarts.push(text.length);
        text += layout.row(cells, ++rowsWritten);
        if (text.length >= FLUSH_CHARS) await flush(false);
      }
    },
    async end() {
      if (!started) await start();
      await flush(true);
      await sink.end();
    },
  };
}
