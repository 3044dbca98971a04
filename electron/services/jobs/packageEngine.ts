import type { ProjectDocument } from '../../../shared/api/domains/projects';
import type { Lineage } from './lineage';
import type { RowSource } from './rowErrors';

/** One entity of a package, as the jobs need it. */
export interface PackageEntitySummary {
  readonly label: string;
  readonly targetEntity: string | null;
  /** InputFilePath: the data file inside the package. */
  readonly dataFile: string;
  readonly sourceFormat: string;
  readonly executionUnit: number;
  readonly level: number;
  readonly sequence: number;
  /** Staging field names of the entity key (from the catalog), in key order; [] when unknown. */
  readonly keyFields: readonly string[];
  /** Source column (XMLField) → staging field (EntityField), from the manifest's EntityMapList. */
  readonly maps: readonly { readonly xmlField: string; readonly entityField: string }[];
}

export interface PackageSummary {
  readonly definitionGroup: string | null;
  /** In execution order (unit, level, sequence): the order F&O processes and numbers them. */
  readonly entities: readonly PackageEntitySummary[];
}

/** Which rows of which source files to include (a re-import of failed rows). */
export type RowSelection = ReadonlyMap<string, ReadonlySet<number>>;

export interface BuiltPackage extends PackageSummary {
  readonly lineage: Lineage;
  /** Rows per entity label. */
  readonly rows: Readonly<Record<string, number>>;
}

/**
 * What the jobs need from the package engine (electron/services/packages and /sources): build a
 * package from a workbench project with each row's lineage, describe a package, and stream the
 * rows of its data files and of downloaded error files. A port, so the jobs never parse files.
 */
export interface PackageEngine {
  /**
   * Builds a data package from a project's enabled entities. `selection` keeps only the listed
   * source rows, by the entity's source file as the project names it (re-import of failed rows).
   */
  buildFromProject(
    projectDir: string,
    project: ProjectDocument,
    out: string,
    options?: { readonly selection?: ReadonlyMap<string, RowSelection>; readonly dataProject?: string },
  ): Promise<BuiltPackage>;
  describe(packagePath: string): Promise<PackageSummary>;
  /** An entity's data rows in a package (numbered from 1). */
  openRows(packagePath: string, label: string): Promise<RowSource>;
  /** A downloaded data file (staging error file, target error keys) in the format its name or SourceFormat says. */
  openDataFile(path: string, sourceFormat: string | null): Promise<RowSource>;
  /** Writes a CSV file (the failed-rows dataset). */
  writeCsv(
    path: string,
    columns: readonly string[],
    rows: AsyncIterable<readonly (readonly string[])[]> | Iterable<readonly (readonly string[])[]>,
  ): Promise<void>;
  /**
   * Builds a package again from a failed-rows dataset (`<label>.csv` per entity: the package's
   * columns, then `_SOURCEFILE`, `_SOURCEROW`, `_ERRORS`) that the consultant fixed: each entity
   * keeps its manifest entry from `basePackage`, each row its original source file and row.
   * `leaveOut` drops rows by entity label, then original source file and row (rows a later job
   * imported); an entity left without rows is not written.
   */
  buildFromFailedRows(
    basePackage: string,
    failedRowsDir: string,
    out: string,
    options?: { readonly leaveOut?: ReadonlyMap<string, RowSelection> },
  ): Promise<BuiltPackage>;
  /**
   * Writes a package from rows of another package's entities (configuration copy: the legal
   * entity remap, then the consultant's choices). `rows` gives each entity a row mapper: it
   * rewrites a row (`index`: its 0-based position in the data file), or drops it with null.
   */
  rewritePackage(
    sourcePath: string,
    out: string,
    options: {
      readonly labels: readonly string[];
      readonly dataProject: string;
      readonly rows?: (
        label: string,
        columns: readonly string[],
      ) => (row: readonly string[], index: number) => readonly string[] | null;
    },
  ): Promise<BuiltPackage>;
  /**
   * Writes a table for a person to read (.csv as UTF-8 with a BOM, or .xlsx, by the extension),
   * atomically: every cell that a spreadsheet would run as a formula is neutralised.
   */
  writeForPerson(
    path: string,
    columns: readonly string[],
    rows: AsyncIterable<readonly (readonly string[])[]>,
  ): Promise<{ readonly rows: number }>;
}
