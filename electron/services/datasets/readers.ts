/**
 * Opens source files with the package engine's streaming readers (electron/services/sources):
 * CSV/TSV with encoding and delimiter detection, xlsx, DMF's two XML styles. This module only
 * picks the reader and maps the grid's read options onto it.
 */
import { open } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { DataFileKind } from '../../../shared/api/domains/datasets';
import { AppError } from '../../../shared/api/errors';
import { openRowReader } from '../sources/dataFiles';
import { fileSource } from '../sources/rows';
import type { OpenedSource, ReaderFactory } from './engine';

const SNIFF_BYTES = 16 * 1024;

export const openSourceFile: ReaderFactory = async (path, options, onBytes) => {
  const kind = options.kind ?? (await kindOf(path));
  const source = await fileSource(path, basename(path));
  const reader = await openRowReader(source, kind, {
    ...(options.encoding ? { encoding: options.encoding } : {}),
    ...(options.delimiter ? { delimiter: options.delimiter } : {}),
    ...(options.headerRow === undefined ? {} : { headerRow: options.headerRow }),
    ...(options.sheet ? { sheet: options.sheet } : {}),
    onBytes: (bytes: number) => onBytes(bytes),
  });
  const opened: OpenedSource = { reader, kind, totalBytes: source.size ?? null };
  return opened;
};

/** The file kind from the extension; for .xml, from the first record (attributes or child elements). */
export async function kindOf(path: string): Promise<DataFileKind> {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv' || ext === '.tsv' || ext === '.txt') return 'csv';
  if (ext === '.xlsx') return 'xlsx';
  if (ext === '.xml') return xmlStyle(path);
  if (ext === '.xls') {
    throw new AppError(
      'INVALID_INPUT',
      `${basename(path)} is an old Excel 97–2003 workbook: save it as .xlsx (Excel Workbook) or CSV in Excel, then open that.`,
    );
  }
  throw new AppError(
    'INVALID_INPUT',
    `${basename(path)} is not a file the grid reads: open a CSV, TSV, TXT, XLSX or XML file (a data package's entity files are one of those).`,
  );
}

/**
 * [INFER] DMF's XML-Attribute files carry each record's fields as attributes
 * (<CUSTCUSTOMERV3ENTITY CUSTOMERACCOUNT="…"/>), XML-Element files as child elements: the first
 * record element after the root tells which.
 */
async function xmlStyle(path: string): Promise<DataFileKind> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    // UTF-16 files have a zero in every other byte: dropping zeros is enough to see the tags.
    const text = buffer.subarray(0, bytesRead).toString('latin1').replace(/\0/g, '');
    const tags = [...text.matchAll(/<([A-Za-z_][\w.:-]*)([^>]*)>/g)];
    const record = tags[1];
    if (!record) return 'xml-element';
    return /[\w.:-]+\s*=/.test(record[2] ?? '') ? 'xml-attribute' : 'xml-element';
  } finally {
    await handle.close();
  }
}
