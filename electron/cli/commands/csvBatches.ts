/**
 * Streams a CSV data file as batches of rows for `dmfw validate`. Interim: the package engine's
 * readers (dialects, Excel, XML) replace this when they land; it reads what F&O's CSV formats
 * write: UTF-8 with or without BOM, UTF-16LE with BOM (CSV-Unicode), any of , ; tab | as delimiter
 * (detected), quoted or not, LF or CRLF.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import Papa from 'papaparse';

export interface CsvBatch {
  readonly header: readonly string[];
  readonly rows: string[][];
  /** 1-based data row of each row (blank lines are skipped but counted). */
  readonly rowNumbers: number[];
}

export class CsvReadError extends Error {
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'CsvReadError';
  }
}

async function detectEncoding(path: string): Promise<BufferEncoding> {
  const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    throw new CsvReadError(
      path,
      error.code === 'ENOENT' ? 'does not exist.' : `cannot be read (${error.code ?? error.message}).`,
    );
  });
  try {
    const head = Buffer.alloc(2);
    await handle.read(head, 0, 2, 0);
    return head[0] === 0xff && head[1] === 0xfe ? 'utf16le' : 'utf8';
  } finally {
    await handle.close();
  }
}

/** Reads the header, then calls `onBatch` for each batch of data rows. Returns the header. */
export async function readCsvBatches(path: string, onBatch: (batch: CsvBatch) => void): Promise<string[]> {
  const encoding = await detectEncoding(path);
  const stream = createReadStream(path, { encoding });
  let header: string[] | null = null;
  let row = 0;
  return new Promise<string[]>((resolve, reject) => {
    stream.on('error', (error) => reject(new CsvReadError(path, `cannot be read (${error.message}).`)));
    Papa.parse<string[]>(stream as unknown as File, {
      skipEmptyLines: false,
      chunkSize: 1 << 20,
      chunk(results) {
        const rows: string[][] = [];
        const rowNumbers: number[] = [];
        let current = header;
        for (const record of results.data) {
          if (current === null) {
            current = header = record.map((cell, i) => (i === 0 ? cell.replace(/^\uFEFF/, '') : cell));
            continue;
          }
          row++;
          if (record.length === 1 && record[0] === '') continue;
          rows.push(record);
          rowNumbers.push(row);
        }
        if (current !== null && rows.length > 0) onBatch({ header: current, rows, rowNumbers });
      },
      complete() {
        if (header === null)
          reject(new CsvReadError(path, 'is empty: a data file starts with a header row of staging field names.'));
        else resolve(header);
      },
      error(error: Error) {
        reject(new CsvReadError(path, error.message));
      },
    });
  });
}
