/**
 * Writing a dataset out with the package engine's writers, atomically (a temp file renamed over
 * the target once complete): back to its source file in the dialect it was read in, or to another
 * file. Read-only columns (a job's "Error" message) are not written.
 */
import { basename, extname } from 'node:path';
import type { DataFileKind } from '../../../shared/api/domains/datasets';
import { AppError } from '../../../shared/api/errors';
import type { CsvDialect } from '../../../shared/domain/dialects/csvDialect';
import { createAtomicWriteStream } from '../fs/atomicWrite';
import { createRowWriter } from '../sources/dataFiles';
import type { TableColumn } from './store/table';

/** How the source was read: the reader's info (encoding, BOM, delimiter, line ending, sheet, record element). */
export type ReaderInfo = Readonly<Record<string, string | number | boolean>>;

/** A new CSV: UTF-8 with a BOM (Excel and F&O's CSV-Unicode sniffing both read it), comma, CRLF. */
export const NEW_CSV: CsvDialect = {
  delimiter: ',',
  qualifier: '"',
  headerRow: true,
  encoding: 'utf-8',
  bom: true,
  lineEnding: '\r\n',
  quote: 'needed',
};

export function kindForPath(path: string, sourceKind: DataFileKind): DataFileKind {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv' || ext === '.tsv' || ext === '.txt') return 'csv';
  if (ext === '.xlsx') return 'xlsx';
  if (ext === '.xml') return sourceKind === 'xml-attribute' ? 'xml-attribute' : 'xml-element';
  throw new AppError('INVALID_PARAMS', `${basename(path)}: save as .csv, .tsv, .txt, .xlsx or .xml.`);
}

/** The dialect to write: the source's own when writing the same kind of file, else a new CSV's. */
function dialectOf(info: ReaderInfo | null, path: string): CsvDialect {
  const text = (key: string) => (info && typeof info[key] === 'string' ? (info[key] as string) : undefined);
  const tsv = extname(path).toLowerCase() === '.tsv';
  if (!info || text('delimiter') === undefined) return tsv ? { ...NEW_CSV, delimiter: '\t' } : NEW_CSV;
  const lineEnding = text('lineEnding') === '\n' ? '\n' : '\r\n';
  return {
    delimiter: text('delimiter') ?? ',',
    qualifier: text('qualifier') ?? '"',
    headerRow: info.headerRow !== false,
    encoding: text('encoding') ?? 'utf-8',
    bom: info.bom === true,
    lineEnding,
    quote: 'needed',
  };
}

export async function writeDataset(options: {
  path: string;
  kind: DataFileKind;
  /** The source's reader info when the file is written in the source's own dialect. */
  info: ReaderInfo | null;
  /** A copy for a person's spreadsheet (see RowWriterOptions.neutralizeFormulas). */
  neutralizeFormulas?: boolean;
  columns: readonly TableColumn[];
  rows: () => Generator<string[][]>;
}): Promise<{ rows: number; neutralized: number }> {
  const keep = options.columns.flatMap((c, i) => (c.readOnly ? [] : [i]));
  const columns = keep.map((i) => options.columns[i]?.name ?? '');
  const file = basename(options.path);
  const target = await createAtomicWriteStream(options.path);
  const text = (key: string) =>
    options.info && typeof options.info[key] === 'string' ? (options.info[key] as string) : undefined;
  try {
    const writer = createRowWriter(options.kind, target.stream, {
      columns,
      file,
      dialect: dialectOf(options.kind === 'csv' ? options.info : null, options.path),
      ...(text('sheet') ? { sheetName: text('sheet') } : {}),
      ...(text('recordElement') ? { recordElement: text('recordElement') } : {}),
      neutralizeFormulas: options.neutralizeFormulas === true,
    });
    for (const batch of options.rows()) {
      await writer.write(
        keep.length === options.columns.length ? batch : batch.map((row) => keep.map((i) => row[i] ?? '')),
      );
    }
    await writer.end();
    await target.commit();
    return { rows: writer.rowsWritten, neutralized: writer.neutralized ?? 0 };
  } catch (error) {
    await target.abort();
    throw error;
  }
}
