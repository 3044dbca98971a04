import type { SourceRows } from './importer';

/** What a reader found out about a file (encoding, delimiter, sheet, record element). */
export type SourceInfo = Readonly<Record<string, string | number | boolean>>;

/**
 * What the emulator needs from the package engine (electron/services/packages, /sources): read a
 * package as F&O reads it, and write packages and data files as F&O writes them. One port, so the
 * emulator never has its own zip, manifest or CSV/xlsx/XML code.
 */
export interface PackageEntityInfo {
  /** Manifest EntityName (label). */
  readonly entityName: string;
  readonly targetEntity: string | null;
  readonly sourceFormat: string;
  readonly inputFilePath: string;
  readonly executionUnit: number;
  readonly level: number;
  readonly sequence: number;
  readonly failLevelOnError: boolean;
  readonly failExecutionUnitOnError: boolean;
  readonly refreshType: 'FullPush' | 'IncrementalPush';
  readonly maps: readonly { readonly xmlField: string; readonly entityField: string }[] | null;
}

export interface OpenedPackage {
  readonly definitionGroupName: string | null;
  readonly entities: readonly PackageEntityInfo[];
  /** The data rows of one entity's file; throws an Error naming the entry when unreadable. */
  openRows(entity: PackageEntityInfo): Promise<SourceRows>;
  close(): Promise<void>;
}

export interface EntityDataToWrite {
  readonly entityName: string;
  readonly targetEntity: string;
  readonly sourceFormat: string;
  readonly executionUnit: number;
  readonly level: number;
  readonly sequence: number;
  readonly refreshType: 'FullPush' | 'IncrementalPush';
  /** Staging field names in F&O's header order. */
  readonly columns: readonly string[];
  readonly rows: AsyncIterable<readonly (readonly string[])[]> | Iterable<readonly (readonly string[])[]>;
}

export interface PackageIo {
  /** Opens a package zip on disk (throws an Error that names the broken part). */
  openPackage(path: string): Promise<OpenedPackage>;
  /** One entity's data file on its own (recurring file jobs enqueue bare files). */
  openDataFile(path: string, sourceFormat: string, entityName: string): Promise<SourceRows>;
  /** Writes a data package as F&O exports it (header, manifest, one data file per entity). */
  writePackage(path: string, definitionGroupName: string, entities: readonly EntityDataToWrite[]): Promise<void>;
  /**
   * One data file in a source format. Staging error files repeat the source's format and, with
   * `info` from the reader, its dialect (delimiter, encoding, sheet, record element).
   */
  writeDataFile(
    path: string,
    sourceFormat: string,
    entityName: string,
    columns: readonly string[],
    rows: readonly (readonly string[])[],
    info?: SourceInfo,
  ): Promise<void>;
  /** The file extension a source format's data files get (".csv", ".xlsx", ".xml"). */
  extensionOf(sourceFormat: string): string;
}
