import { Readable } from 'node:stream';
import type { ByteSource, RowReader } from '../../electron/services/sources/rows';

/** A source that hands out `bytes` in chunks of `chunkSize` (1 = every boundary is tested). */
export function chunkedSource(name: string, bytes: Buffer | string, chunkSize = 1): ByteSource {
  const data = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  return {
    location: { file: name },
    size: data.length,
    open: async () =>
      Readable.from(
        (function* () {
          for (let i = 0; i < data.length; i += chunkSize) yield data.subarray(i, i + chunkSize);
        })(),
      ),
  };
}

/** Every row of a reader, with its data row number and line. */
export async function readAll(reader: RowReader): Promise<{ rows: string[][]; numbers: number[]; lines: number[] }> {
  const rows: string[][] = [];
  const numbers: number[] = [];
  const lines: number[] = [];
  for await (const batch of reader) {
    batch.rows.forEach((row, i) => {
      rows.push(row);
      numbers.push(batch.firstRow + i);
      lines.push(batch.lines[i]!);
    });
  }
  return { rows, numbers, lines };
}

/** The error a promise-returning function throws. */
export async function errorOf(
  work: () => Promise<unknown>,
): Promise<{ code?: string; message: string; details?: Record<string, unknown> }> {
  try {
    await work();
  } catch (error) {
    return error as { code?: string; message: string; details?: Record<string, unknown> };
  }
  throw new Error('expected an error, got none');
}
