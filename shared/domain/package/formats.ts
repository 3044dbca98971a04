/**
 * Source data formats. In a manifest, `SourceFormat` is the *name* of a source data format record
 * in the environment (dmf-reference.md §1.3), so any name can appear; these are the built-in ones
 * and the file kinds they stand for.
 */

export const SOURCE_FORMATS = ['CSV', 'CSV-Unicode', 'EXCEL', 'XML-Attribute', 'XML-Element'] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];

/** What a data file physically is, whatever its format record is called. */
export type DataFileKind = 'csv' | 'xlsx' | 'xml-attribute' | 'xml-element';

const KIND_BY_FORMAT: Readonly<Record<SourceFormat, DataFileKind>> = {
  CSV: 'csv',
  'CSV-Unicode': 'csv',
  EXCEL: 'xlsx',
  'XML-Attribute': 'xml-attribute',
  'XML-Element': 'xml-element',
};

const EXTENSION_BY_KIND: Readonly<Record<DataFileKind, string>> = {
  csv: '.csv',
  xlsx: '.xlsx',
  'xml-attribute': '.xml',
  'xml-element': '.xml',
};

export function isSourceFormat(value: string): value is SourceFormat {
  return (SOURCE_FORMATS as readonly string[]).includes(value);
}

/** The built-in format with this name, ignoring case (`csv-unicode` → `CSV-Unicode`). */
export function normalizeSourceFormat(value: string): SourceFormat | undefined {
  const lower = value.trim().toLowerCase();
  return SOURCE_FORMATS.find((f) => f.toLowerCase() === lower);
}

export function fileExtension(kind: DataFileKind): string {
  return EXTENSION_BY_KIND[kind];
}

/**
 * The file kind of an entity's data file: from the format name when it is a built-in one, else
 * from the file extension (environments often define their own formats such as `CSV-Semicolon`).
 * XML files of an unknown format are read as XML-Element only when the format name says so.
 */
export function dataFileKind(sourceFormat: string | null | undefined, fileName: string): DataFileKind | undefined {
  const known = sourceFormat ? normalizeSourceFormat(sourceFormat) : undefined;
  if (known) return KIND_BY_FORMAT[known];
  const ext = fileName.toLowerCase().slice(fileName.lastIndexOf('.'));
  if (ext === '.csv' || ext === '.txt' || ext === '.tsv') return 'csv';
  if (ext === '.xlsx') return 'xlsx';
  if (ext === '.xml') return /element/i.test(sourceFormat ?? '') ? 'xml-element' : 'xml-attribute';
  return undefined;
}

/** The built-in format a source file would get by default, from its extension. */
export function defaultFormatForFile(fileName: string): SourceFormat | undefined {
  const ext = fileName.toLowerCase().slice(fileName.lastIndexOf('.'));
  if (ext === '.csv' || ext === '.txt' || ext === '.tsv') return 'CSV';
  if (ext === '.xlsx') return 'EXCEL';
  if (ext === '.xml') return 'XML-Attribute';
  return undefined;
}

/** Format records F&O knows that are not data files of one entity. */
export const PACKAGE_FORMAT = 'Package';
