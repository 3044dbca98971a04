/**
 * One entry point per direction for every data file kind, so callers (packages, pack, the
 * emulator, the services) do not branch on formats themselves.
 */
import type { Writable } from 'node:stream';
import type { CsvDialect } from '../../../shared/domain/dialects/csvDialect';
import { dialectForFormat } from '../../../shared/domain/dialects/csvDialect';
import type { DataFileKind } from '../../../shared/domain/package/formats';
import { openCsvReader } from './csv/csvReader';
import type { CsvReadOptions } from './csv/csvReader';
import { createCsvWriter } from './csv/csvWriter';
import type { ByteSource, RowReader, RowWriter } from './rows';
import { openXlsxReader } from './xlsx/xlsxReader';
import type { XlsxReadOptions } from './xlsx/xlsxReader';
import { createXlsxWriter } from './xlsx/xlsxWriter';
import { openXmlReader } from './xml/xmlReader';
import type { XmlReadOptions } from './xml/xmlReader';
import { createXmlWriter } from './xml/xmlWriter';

export type RowReaderOptions = CsvReadOptions & Omit<XlsxReadOptions, 'onBytes'> & Omit<XmlReadOptions, 'style'>;

export function openRowReader(
  source: ByteSource,
  kind: DataFileKind,
  options: RowReaderOptions = {},
): Promise<RowReader> {
  switch (kind) {
    case 'csv':
      return openCsvReader(source, options);
    case 'xlsx':
      return openXlsxReader(source, options);
    case 'xml-attribute':
      return openXmlReader(source, { ...options, style: 'attribute' });
    case 'xml-element':
      return openXmlReader(source, { ...options, style: 'element' });
  }
}

export interface RowWriterOptions {
  readonly columns: readonly string[];
  /** The data file's name, for messages. */
  readonly file: string;
  /** CSV: the dialect (default: the one the source format implies). */
  readonly dialect?: CsvDialect;
  /** The manifest's SourceFormat, to pick the CSV dialect. */
  readonly sourceFormat?: string;
  /** EXCEL: the worksheet name (F&O's: excelSheetName(label)). */
  readonly sheetName?: string;
  /** XML: the record element name (F&O writes the entity name in upper case). */
  readonly recordElement?: string;
  /**
   * The file is for a person to open in a spreadsheet (a saved copy, a diff, an error list):
   * cells that would run as formulas are neutralised (shared/domain/dialects/formulas.ts). CSV:
   * a leading `'`; xlsx: the value stays exact, its cell gets Excel's "quote prefix" style. Never
   * for data packages and files F&O reads: they keep every value exactly.
   */
  readonly neutralizeFormulas?: boolean;
}

export function createRowWriter(kind: DataFileKind, out: Writable, options: RowWriterOptions): RowWriter {
  switch (kind) {
    case 'csv':
      return createCsvWriter(out, {
        columns: options.columns,
        file: options.file,
        dialect: options.dialect ?? dialectForFormat(options.sourceFormat),
        neutralizeFormulas: options.neutralizeFormulas === true,
      });
    case 'xlsx':
      return createXlsxWriter(out, {
        columns: options.columns,
        file: options.file,
        sheetName: options.sheetName ?? 'Sheet1',
        neutralizeFormulas: options.neutralizeFormulas === true,
      });
    case 'xml-attribute':
    case 'xml-element':
      return createXmlWriter(out, {
        columns: options.columns,
        file: options.file,
        style: kind === 'xml-attribute' ? 'attribute' : 'element',
        recordElement: options.recordElement ?? 'RECORD',
      });
  }
}
