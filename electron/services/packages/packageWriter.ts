/**
 * Writing a data package the way F&O does: data files first, then Manifest.xml and
 * PackageHeader.xml, all deflated at the zip root. The package appears at its path only when
 * `finish` succeeds (temp file + rename); `abort` leaves nothing behind.
 *
 *   const writer = await PackageWriter.create('out.zip');
 *   const { rows } = await writer.writeRows(entity, columns, batches);
 *   await writer.finish(createPackageHeader(name), createManifest(name, [entity]));
 */
import { dataFileKind } from '../../../shared/domain/package/formats';
import { MANIFEST_FILE, PACKAGE_HEADER_FILE } from '../../../shared/domain/package/model';
import type { PackageEntity, PackageHeader, PackageManifest } from '../../../shared/domain/package/model';
import { sheetFromManifestName } from '../../../shared/domain/package/names';
import { createRowWriter } from '../sources/dataFiles';
import type { RowWriterOptions } from '../sources/dataFiles';
import type { ByteSource, RowBatch } from '../sources/rows';
import { writeManifest, writePackageHeader } from './manifest/manifestXml';
import type { WriteXmlOptions } from './manifest/manifestXml';
import { WORKBENCH_PACKAGE_MARKER } from './marker';
import { ZipWriter } from './zip/zipWriter';
import type { ZipEntryStream, ZipWriterOptions } from './zip/zipWriter';

/** Batches from a reader, or plain arrays of rows, sync or async. */
export type RowsInput = AsyncIterable<RowBatch | Rows> | Iterable<RowBatch | Rows>;
type Rows = readonly (readonly string[])[];

export interface WrittenFile {
  readonly name: string;
  readonly rows: number;
  /** Uncompressed bytes of the data file. */
  readonly bytes: number;
}

export class PackageWriter {
  private constructor(private readonly zip: ZipWriter) {}

  static async create(path: string, options: ZipWriterOptions = {}): Promise<PackageWriter> {
    return new PackageWriter(await ZipWriter.create(path, { comment: WORKBENCH_PACKAGE_MARKER, ...options }));
  }

  /**
   * Writes an entity's data file (its InputFilePath) from rows, in the entity's SourceFormat:
   * CSV dialect from the format, EXCEL sheet from ExcelSheetName, XML records named after the
   * target entity in upper case.
   */
  async writeRows(
    entity: PackageEntity,
    columns: readonly string[],
    rows: RowsInput,
    options: Partial<RowWriterOptions> = {},
  ): Promise<WrittenFile> {
    const name = entity.inputFilePath;
    if (!name) throw new Error(`The entity "${entity.entityName}" has no InputFilePath.`);
    const kind = dataFileKind(entity.sourceFormat, name);
    if (!kind) throw new Error(`"${entity.sourceFormat}" is not a format the workbench can write.`);
    const { stream, bytes } = this.zip.openEntry(name);
    const writer = createRowWriter(kind, stream, {
      columns,
      file: name,
      ...(entity.sourceFormat ? { sourceFormat: entity.sourceFormat } : {}),
      sheetName:
        sheetFromManifestName(entity.excelSheetName) ?? entity.entityName.replace(/[^\p{L}\p{N}]/gu, '_').slice(0, 30),
      recordElement: (entity.targetEntity ?? entity.entityName.replace(/[^\p{L}\p{N}_]/gu, '')).toUpperCase(),
      ...options,
    });
    try {
      for await (const batch of rows) await writer.write(isBatch(batch) ? batch.rows : batch);
      await writer.end();
    } catch (error) {
      stream.destroy(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
    return { name, rows: writer.rowsWritten, bytes: bytes() };
  }

  /** Copies a file into the package as it is (a data file already in the right format). */
  async addFile(name: string, source: ByteSource): Promise<void> {
    this.zip.addStream(name, await source.open());
  }

  addBuffer(name: string, data: Buffer): void {
    this.zip.addBuffer(name, data);
  }

  /**
   * A raw data file to write into (its `stream`, or `write`/`end`); end it before opening the
   * next. `bytes()` tells how much has been written (pack uses it to split big files).
   */
  openFile(name: string): ZipEntryStream {
    return this.zip.openEntry(name);
  }

  /** Adds Manifest.xml and PackageHeader.xml (UTF-16LE with a BOM, as F&O) and completes the zip. */
  async finish(header: PackageHeader, manifest: PackageManifest, options: WriteXmlOptions = {}): Promise<void> {
    await this.complete(header, manifest, options);
    await this.commit();
  }

  /** Like finish, but the package stays under a temp name until `commit` (or `abort`). */
  async complete(header: PackageHeader, manifest: PackageManifest, options: WriteXmlOptions = {}): Promise<void> {
    try {
      this.zip.addBuffer(MANIFEST_FILE, writeManifest(manifest, options));
      this.zip.addBuffer(PACKAGE_HEADER_FILE, writePackageHeader(header, options));
    } catch (error) {
      await this.zip.abort();
      throw error;
    }
    await this.zip.complete();
  }

  async commit(): Promise<void> {
    await this.zip.commit();
  }

  async abort(): Promise<void> {
    await this.zip.abort();
  }
}

function isBatch(value: unknown): value is RowBatch {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'rows' in value;
}
