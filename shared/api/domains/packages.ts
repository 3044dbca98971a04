import { z } from '../zod';
import type { FieldType } from '../../domain/catalog';
import type { RuleCode, Severity } from '../../domain/validation/types';
import type { Placement, SequenceCycle, SequenceUnit } from '../../domain/sequencing';
import type { RefreshType } from '../../domain/package/model';
import type { ChangeTracking, ProjectDocument } from './projects';
import { method } from '../define';

/** A source column mapped to a staging field, and how the mapping came about. */
export interface PlannedMapping {
  readonly sourceColumn: string;
  readonly stagingField: string;
  /** 'name': the column is named like the field (or its public name); 'manual': the consultant chose it. */
  readonly origin: 'name' | 'manual';
}

export interface PlannedField {
  readonly name: string;
  readonly type: FieldType;
  readonly maxLength: number | null;
  readonly mandatory: boolean;
  readonly key: boolean;
  /** The source column feeding it; null when none does. */
  readonly mappedFrom: string | null;
}

export interface ProcessingOptions {
  readonly runBusinessValidation: boolean;
  readonly runBusinessLogic: boolean;
  readonly failLevelOnError: boolean;
  readonly failExecutionUnitOnError: boolean;
}

/** F&O's defaults for a new entity of a data project. */
export const DEFAULT_PROCESSING: ProcessingOptions = Object.freeze({
  runBusinessValidation: true,
  runBusinessLogic: true,
  failLevelOnError: false,
  failExecutionUnitOnError: false,
});

/** One entity of the project as the wizard shows it: source, mapping, options. */
export interface PlannedEntity {
  readonly label: string;
  /** null when the catalog does not know the label. */
  readonly targetEntity: string | null;
  readonly enabled: boolean;
  readonly sourceFile: string;
  /** 'grid': read as the grid shows it (open or edited there); 'file': read from disk; 'missing': unreadable. */
  readonly source: 'grid' | 'file' | 'missing';
  /** Why the source cannot be read, and what to do. */
  readonly sourceProblem: string | null;
  readonly columns: readonly string[];
  /** Rows, when the grid has the file open (reading a whole file only to count it is not worth it). */
  readonly rows: number | null;
  readonly mapping: readonly PlannedMapping[];
  readonly unmappedColumns: readonly string[];
  readonly fields: readonly PlannedField[];
  /** Mandatory staging fields no column feeds: every row would fail staging → target. */
  readonly missingMandatory: readonly string[];
  readonly refreshType: RefreshType;
  readonly changeTracking: ChangeTracking;
  readonly processing: ProcessingOptions;
  /** The project's value mapping tables over this entity's source: what the package would still carry unmapped. */
  readonly valueMaps: readonly ValueMapReadiness[];
}

export interface ValueMapReadiness {
  readonly table: string;
  readonly name: string;
  readonly field: string;
  /** The source column the table maps; null when the source has none. */
  readonly column: string | null;
  /** Rows still holding a legacy value the table maps: apply the table (a recipe step) before building. */
  readonly legacyRows: number;
  /** Rows holding a value no rule maps and that is not a known F&O value. */
  readonly unmappedRows: number;
  /** The most frequent unmapped values. */
  readonly unmapped: readonly string[];
}

export interface PackagePlan {
  readonly dir: string;
  readonly document: ProjectDocument;
  /** "Built-in catalog" or the environment whose metadata was used. */
  readonly catalogOrigin: string;
  readonly entities: readonly PlannedEntity[];
  /** Execution units, levels and sequences of the enabled entities, with the reason for each. */
  readonly sequence: {
    readonly placements: readonly Placement[];
    readonly units: readonly SequenceUnit[];
    readonly cycles: readonly SequenceCycle[];
    readonly warnings: readonly string[];
  };
}

export interface BuiltPackageInfo {
  readonly path: string;
  readonly bytes: number;
  /** The data project name in the manifest. */
  readonly definitionGroup: string;
  readonly entities: readonly {
    readonly label: string;
    readonly dataFile: string;
    readonly rows: number;
    readonly executionUnit: number;
    readonly level: number;
    readonly sequence: number;
  }[];
}

/** One rule's findings in one source: how many, and the first few to show what is meant. */
export interface ReadinessRule {
  readonly rule: RuleCode;
  readonly severity: Severity;
  readonly count: number;
  /**
   * The first findings (row 0: about a column, not a row), in row order, each with where its rule
   * came from ("built-in, unverified", "USMF-UAT metadata of 2026-12-01", "DMF file format").
   */
  readonly examples: readonly {
    readonly row: number;
    readonly column: string;
    readonly message: string;
    readonly source: string;
  }[];
}

/** What the check before building found in one entity's source, as the package would carry it. */
export interface SourceReadiness {
  readonly label: string;
  readonly sourceFile: string;
  /** The source file's full path: the grid opens it. */
  readonly path: string;
  /** Read as the grid shows it (open, or edited there), not from the file on disk. */
  readonly fromGrid: boolean;
  readonly rows: number;
  readonly errors: number;
  readonly warnings: number;
  /** Most findings first. */
  readonly rules: readonly ReadinessRule[];
  /** Why the source could not be checked (unreadable, not mapped), and what to do; null when it was. */
  readonly problem: string | null;
}

/**
 * The readiness check of "Save or run": every enabled entity's rows validated against its entity,
 * with the project's mapping, as they would go into the package. Errors are what F&O is expected
 * to refuse; the wizard asks before building with them.
 */
export interface ReadinessReport {
  readonly dir: string;
  readonly sources: readonly SourceReadiness[];
  readonly errors: number;
  readonly warnings: number;
}

/** Where the browser-mode page downloads a saved package from (its own server, with a token). */
export interface DownloadLink {
  /** Path and token on the page's own origin, e.g. /download/<token>. */
  readonly url: string;
  readonly name: string;
  readonly bytes: number;
}

const dir = z.string().min(1).max(4096);

export const packageMethods = {
  'packages.plan': method<PackagePlan>()(
    "A project's package as it would be built: each entity's source columns, mapping (by name or chosen), mandatory fields without a column, options, and the auto-sequence with its reasons.",
    z.object({ dir, environmentId: z.string().min(1).max(200).nullish() }).strict(),
  ),
  'packages.build': method<BuiltPackageInfo>()(
    'Save the project as a data package (.zip) at a path: sources as the grid shows them, mapping, sequence and options as planned.',
    z
      .object({
        dir,
        out: z
          .string()
          .min(5)
          .max(4096)
          .refine((p) => p.toLowerCase().endsWith('.zip'), 'A data package is a .zip file: end the name with .zip.'),
        /** Replace a file already there. */
        overwrite: z.boolean().default(false),
      })
      .strict(),
  ),
  'packages.check': method<ReadinessReport>()(
    "Validate every enabled entity's rows (as the grid shows them, with the project's mapping) before building: findings per source and rule.",
    z.object({ dir, environmentId: z.string().min(1).max(200).nullish() }).strict(),
  ),
  'packages.downloadLink': method<DownloadLink>()(
    'Browser mode: an address the page downloads a package saved by packages.build from (the browser cannot open the path).',
    z.object({ path: z.string().min(1).max(4096) }).strict(),
  ),
} as const;
