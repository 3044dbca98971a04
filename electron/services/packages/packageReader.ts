/**
 * Opening a data package: a zip (as F&O exports it) or a folder holding the same files (as
 * consultants unpack it). Reads PackageHeader.xml and Manifest.xml, lists the files, and opens
 * each entity's data file as a streaming row reader. Nothing is extracted to disk.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { dataFileKind } from '../../../shared/domain/package/formats';
import { MANIFEST_FILE, PACKAGE_HEADER_FILE } from '../../../shared/domain/package/model';
import type { PackageEntity, PackageHeader, PackageManifest } from '../../../shared/domain/package/model';
import { sheetFromManifestName } from '../../../shared/domain/package/names';
import { openRowReader } from '../sources/dataFiles';
import type { RowReaderOptions } from '../sources/dataFiles';
import { InputFileError, asInputError } from '../sources/inputError';
import type { InputLocation } from '../sources/inputError';
import { fileSource } from '../sources/rows';
import type { ByteSource, RowReader } from '../sources/rows';
import { MAX_MANIFEST_BYTES, readManifest, readPackageHeader } from './manifest/manifestXml';
import { ZipArchive } from './zip/zipReader';
import type { ZipLimits } from './zip/zipReader';

export interface PackageFile {
  /** Path inside the package, `/`-separated (`Customers V3.csv`, `sub/x.csv`). */
  readonly name: string;
  /** Uncompressed size in bytes. */
  readonly size: number;
  /** Size inside the zip (equal to size for folders). */
  readonly compressedSize: number;
  readonly isDirectory: boolean;
}

export interface DataPackage {
  readonly path: string;
  readonly kind: 'zip' | 'folder';
  readonly location: InputLocation;
  /** Null when PackageHeader.xml is missing (lint reports it). */
  readonly header: PackageHeader | null;
  readonly manifest: PackageManifest;
  /** Every file and folder in the package, Manifest.xml and PackageHeader.xml included. */
  readonly files: readonly PackageFile[];
  /** The zip's archive comment ('' for a folder, and for F&O's own packages). */
  readonly comment: string;
  /** The first bytes of Manifest.xml and PackageHeader.xml as stored: F&O's byte signature (packageOrigin.ts). */
  readonly descriptorStarts: { readonly manifest: Uint8Array; readonly header: Uint8Array | null };
  /** The data file an entity's InputFilePath names: exact match first, then ignoring case (F&O runs on Windows). */
  fileFor(entity: PackageEntity): PackageFile | undefined;
  /** A file of the package as a byte source. */
  source(fileName: string): ByteSource;
  /** Streams an entity's data file as rows, in the format its SourceFormat (or extension) says. */
  openRows(entity: PackageEntity, options?: RowReaderOptions): Promise<RowReader>;
  close(): Promise<void>;
}

export interface OpenPackageOptions {
  /** Name for messages (default: the file name). */
  readonly displayName?: string;
  readonly zipLimits?: Partial<ZipLimits>;
}

/** Opens a package zip or folder. Throws InputFileError (INVALID_INPUT) naming the file and entry. */
export async function openPackage(path: string, options: OpenPackageOptions = {}): Promise<DataPackage> {
  const location: InputLocation = { file: options.displayName ?? basename(path) };
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw new InputFileError(
      location,
      `cannot be opened: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (error as Error).message}.`,
      { cause: error },
    );
  }
  return info.isDirectory() ? openFolder(path, location) : openZip(path, location, options);
}

async function openZip(path: string, location: InputLocation, options: OpenPackageOptions): Promise<DataPackage> {
  const archive = await ZipArchive.open(path, {
    displayName: location.file,
    ...(options.zipLimits ? { limits: options.zipLimits } : {}),
  });
  try {
    const files: PackageFile[] = archive.entries.map((e) => ({
      name: e.name,
      size: e.size,
      compressedSize: e.compressedSize,
      isDirectory: e.isDirectory,
    }));
    const read = (name: string) => archive.readEntry(name, MAX_MANIFEST_BYTES);
    const descriptors = await readDescriptors(files, read, location);
    return makePackage(
      path,
      'zip',
      location,
      { ...descriptors, comment: archive.comment },
      files,
      (name) => archive.source(name),
      async () => archive.close(),
    );
  } catch (error) {
    archive.close();
    throw error;
  }
}

async function openFolder(path: string, location: InputLocation): Promise<DataPackage> {
  const files: PackageFile[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      const name = relative(path, full).split(sep).join('/');
      if (entry.isDirectory()) {
        files.push({ name: `${name}/`, size: 0, compressedSize: 0, isDirectory: true });
        // Nested folders are a lint finding; two levels are enough to report them.
        if (depth < 2) await walk(full, depth + 1);
      } else if (entry.isFile()) {
        const size = (await stat(full)).size;
        files.push({ name, size, compressedSize: size, isDirectory: false });
      }
    }
  };
  await walk(path, 0);
  const read = async (name: string) => {
    const full = join(path, ...name.split('/'));
    const size = (await stat(full)).size;
    if (size > MAX_MANIFEST_BYTES)
      throw new InputFileError({ ...location, entry: name }, 'is too big to be a manifest.');
    return readFile(full);
  };
  const descriptors = await readDescriptors(files, read, location);
  const source = (name: string): ByteSource => {
    const full = join(path, ...name.split('/'));
    const size = files.find((f) => f.name === name)?.size;
    return {
      location: { ...location, entry: name },
      ...(size === undefined ? {} : { size }),
      path: full,
      open: async () => (await fileSource(full)).open(),
    };
  };
  return makePackage(path, 'folder', location, { ...descriptors, comment: '' }, files, source, async () => undefined);
}

async function readDescriptors(
  files: readonly PackageFile[],
  read: (name: string) => Promise<Buffer>,
  location: InputLocation,
): Promise<Descriptors> {
  const manifestFile = findRoot(files, MANIFEST_FILE);
  if (!manifestFile) {
    const nested = files.find((f) => f.name.toLowerCase().endsWith(`/${MANIFEST_FILE.toLowerCase()}`));
    throw new InputFileError(
      location,
      nested
        ? `has no ${MANIFEST_FILE} at its root, only ${nested.name}: it was zipped with its folder. Zip the files inside the folder instead (F&O reads only the root).`
        : `has no ${MANIFEST_FILE}; this is not a DMF data package. Export one from F&O or build one with \`dmfw pack\`.`,
    );
  }
  const manifestLocation = { ...location, entry: manifestFile.name };
  const manifestBytes = await readOrFail(read, manifestFile.name, manifestLocation);
  const manifest = readManifest(manifestBytes, manifestLocation);
  const headerFile = findRoot(files, PACKAGE_HEADER_FILE);
  const headerLocation = { ...location, entry: headerFile?.name ?? PACKAGE_HEADER_FILE };
  const headerBytes = headerFile ? await readOrFail(read, headerFile.name, headerLocation) : null;
  const header = headerBytes ? readPackageHeader(headerBytes, headerLocation) : null;
  return {
    header,
    manifest,
    descriptorStarts: {
      manifest: Uint8Array.from(manifestBytes.subarray(0, 8)),
      header: headerBytes ? Uint8Array.from(headerBytes.subarray(0, 8)) : null,
    },
  };
}

interface Descriptors {
  readonly header: PackageHeader | null;
  readonly manifest: PackageManifest;
  readonly descriptorStarts: DataPackage['descriptorStarts'];
}

async function readOrFail(
  read: (name: string) => Promise<Buffer>,
  name: string,
  location: InputLocation,
): Promise<Buffer> {
  try {
    return await read(name);
  } catch (error) {
    throw asInputError(error, location, 'cannot be read');
  }
}

/** A root-level file by name, ignoring case as Windows does. */
function findRoot(files: readonly PackageFile[], name: string): PackageFile | undefined {
  return files.find((f) => f.name === name) ?? files.find((f) => f.name.toLowerCase() === name.toLowerCase());
}

function makePackage(
  path: string,
  kind: 'zip' | 'folder',
  location: InputLocation,
  descriptors: Descriptors & { readonly comment: string },
  files: readonly PackageFile[],
  source: (name: string) => ByteSource,
  close: () => Promise<void>,
): DataPackage {
  const { header, manifest, comment, descriptorStarts } = descriptors;
  const fileFor = (entity: PackageEntity) => {
    const name = entity.inputFilePath;
    if (!name) return undefined;
    return findRoot(
      files.filter((f) => !f.isDirectory),
      name,
    );
  };
  return {
    path,
    kind,
    location,
    header,
    manifest,
    files,
    comment,
    descriptorStarts,
    fileFor,
    source,
    async openRows(entity, options = {}) {
      const file = fileFor(entity);
      if (!file) {
        throw new InputFileError(
          location,
          `has no data file "${entity.inputFilePath ?? ''}" for the entity "${entity.entityName}" (its InputFilePath). Add the file or fix InputFilePath.`,
        );
      }
      const kindOfFile = dataFileKind(entity.sourceFormat, file.name);
      if (!kindOfFile) {
        throw new InputFileError(
          { ...location, entry: file.name },
          `is in the format "${entity.sourceFormat ?? ''}", which the workbench cannot read as rows (CSV, EXCEL and XML can be read).`,
        );
      }
      const sheet = sheetFromManifestName(entity.excelSheetName);
      return openRowReader(source(file.name), kindOfFile, { ...(sheet ? { sheet } : {}), ...options });
    },
    close,
  };
}
