/**
 * Opens source files with the package engine's streaming readers (electron/services/sources):
 * CSV/TSV with encoding and delimiter detection, xlsx, DMF's two XML styles. This module only
 * picks the reader and maps the grid's read options onto it.
 */
import { open, readdir, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { DataFileKind, PackageContents, ReadOptions, ReadProblem } from '../../../shared/api/domains/datasets';
import { AppError } from '../../../shared/api/errors';
import { dataFileKind } from '../../../shared/domain/package/formats';
import { openPackage } from '../packages/packageReader';
import type { DataPackage } from '../packages/packageReader';
import { openRowReader } from '../sources/dataFiles';
import type { RowReaderOptions } from '../sources/dataFiles';
import { fileSource } from '../sources/rows';
import type { OpenedSource, ReaderFactory, SourceReader } from './engine';

const SNIFF_BYTES = 16 * 1024;

/**
 * The grid's read options on the readers' own. Broken rows are told to `onProblem` and read on:
 * the grid opens the file with every such row flagged instead of refusing it at the first.
 */
function readerOptions(
  options: ReadOptions,
  onBytes: (bytes: number) => void,
  onProblem: (problem: ReadProblem) => void,
): RowReaderOptions {
  return {
    ...(options.encoding ? { encoding: options.encoding } : {}),
    ...(options.delimiter ? { delimiter: options.delimiter } : {}),
    ...(options.headerRow === undefined ? {} : { headerRow: options.headerRow }),
    ...(options.sheet ? { sheet: options.sheet } : {}),
    onBytes: (bytes: number) => onBytes(bytes),
    onProblem,
  };
}

/** A data package: a .zip, or a folder holding Manifest.xml. */
export async function isPackage(path: string): Promise<boolean> {
  if (extname(path).toLowerCase() === '.zip') return true;
  try {
    return (
      (await stat(path)).isDirectory() && (await readdir(path)).some((name) => name.toLowerCase() === 'manifest.xml')
    );
  } catch {
    return false;
  }
}

export const openSourceFile: ReaderFactory = async (path, options, onBytes, onProblem) => {
  if (options.entity !== undefined || (await isPackage(path)))
    return openPackageEntity(path, options, onBytes, onProblem);
  const kind = options.kind ?? (await kindOf(path));
  const source = await fileSource(path, basename(path));
  const reader = await openRowReader(source, kind, readerOptions(options, onBytes, onProblem));
  const opened: OpenedSource = { reader, kind, totalBytes: source.size ?? null };
  return opened;
};

function entityOf(pkg: DataPackage, entity: string | undefined) {
  const entities = pkg.manifest.entities;
  if (entity === undefined) {
    throw new AppError(
      'INVALID_PARAMS',
      `${basename(pkg.path)} is a data package with ${entities.length} ${entities.length === 1 ? 'entity' : 'entities'} (${entities.map((e) => e.entityName).join(', ')}): choose the entity to open.`,
    );
  }
  const found =
    entities.find((e) => e.entityName === entity) ??
    entities.find((e) => e.entityName.toLowerCase() === entity.toLowerCase());
  if (!found) {
    throw new AppError(
      'NOT_FOUND',
      `${basename(pkg.path)} has no entity "${entity}": it holds ${entities.map((e) => e.entityName).join(', ') || 'none'}.`,
    );
  }
  return found;
}

/** An entity's data file inside a package, read in place (nothing is extracted); the package closes with the reader. */
async function openPackageEntity(
  path: string,
  options: ReadOptions,
  onBytes: (bytes: number) => void,
  onProblem: (problem: ReadProblem) => void,
): Promise<OpenedSource> {
  const pkg = await openPackage(path);
  try {
    const entity = entityOf(pkg, options.entity);
    const file = pkg.fileFor(entity);
    if (!file) {
      throw new AppError(
        'INVALID_INPUT',
        `${basename(path)}: the manifest names ${entity.inputFilePath ?? 'no file'} for ${entity.entityName}, which the package does not hold. Fix the package, or open the data file itself.`,
      );
    }
    // The package reader picks the reader from the format and extension itself; this is what the grid shows.
    const kind = options.kind ?? dataFileKind(entity.sourceFormat, file.name) ?? 'csv';
    const inner = await pkg.openRows(entity, readerOptions(options, onBytes, onProblem));
    let closed = false;
    const closePackage = async () => {
      if (closed) return;
      closed = true;
      await pkg.close();
    };
    const reader: SourceReader = {
      columns: inner.columns,
      info: inner.info,
      async *[Symbol.asyncIterator]() {
        try {
          yield* inner;
        } finally {
          await closePackage();
        }
      },
      async close() {
        await inner.close();
        await closePackage();
      },
    };
    return { reader, kind, totalBytes: file.size, entity: entity.entityName };
  } catch (error) {
    await pkg.close();
    throw error;
  }
}

/** The entities of a package and their data files. */
export async function packageContents(path: string): Promise<PackageContents> {
  const pkg = await openPackage(path);
  try {
    return {
      path,
      entities: pkg.manifest.entities.map((entity) => {
        const file = pkg.fileFor(entity);
        return {
          entity: entity.entityName,
          file: file?.name ?? null,
          size: file?.size ?? null,
          sourceFormat: entity.sourceFormat ?? null,
        };
      }),
    };
  } finally {
    await pkg.close();
  }
}

/** The file kind from the extension; for .xml, from the first record (attributes or child elements). */
export async function kindOf(path: string): Promise<DataFileKind> {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv' || ext === '.tsv' || ext === '.txt') return 'csv';
  if (ext === '.xlsx') return 'xlsx';
  if (ext === '.xml') return xmlStyle(path);
  if (ext === '.zip') {
    throw new AppError('INVALID_INPUT', `${basename(path)} is a zip: open it as a data package and choose an entity.`);
  }
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
    // The last start tag may run past the sniffed bytes (a record of many or long attributes): its
    // attributes so far still tell the style.
    const tags = [...text.matchAll(/<([A-Za-z_][\w.:-]*)([^>]*)(?:>|$)/g)];
    const record = tags[1];
    if (!record) return 'xml-element';
    return /[\w.:-]+\s*=/.test(record[2] ?? '') ? 'xml-attribute' : 'xml-element';
  } finally {
    await handle.close();
  }
}
