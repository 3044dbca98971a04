/**
 * Package lint rules: what `dmfw lint` and `dmfw inspect` check in a data package before F&O
 * does, each with a stable code, a severity and the fix. Codes never change meaning; the UI and
 * scripts branch on them.
 */

export type LintSeverity = 'error' | 'warning' | 'info';

export interface LintRule {
  /**
   * The severity of the rule; a rule the entity catalog supplies (keys, mandatory fields,
   * references) is graded by where the catalog learnt it: at most a warning unless an
   * environment's own metadata says so (validation/grading.ts).
   */
  readonly severity: LintSeverity;
  /** What F&O does with such a package, with its error code where one is documented. */
  readonly consequence: string;
  /** How to fix it, one sentence. */
  readonly fix: string;
}

export const LINT_RULES = {
  HEADER_MISSING: {
    severity: 'error',
    consequence: 'F&O expects PackageHeader.xml beside Manifest.xml.',
    fix: 'Add PackageHeader.xml (dmfw pack writes one), or export the package again.',
  },
  NESTED_FOLDER: {
    severity: 'error',
    consequence: 'F&O reads only the files at the root of the zip.',
    fix: 'Zip the files themselves, not the folder holding them.',
  },
  DATA_FILE_MISSING: {
    severity: 'error',
    consequence: 'The import fails when a file named in the manifest is missing.',
    fix: "Add the file at the package root, or correct the entity's InputFilePath.",
  },
  FILE_NAME_CASE: {
    severity: 'warning',
    consequence: 'F&O finds it on Windows, but other tools and blob storage compare names exactly.',
    fix: 'Rename the file or InputFilePath so that they match exactly.',
  },
  DATA_FILE_EXTRA: {
    severity: 'warning',
    consequence: 'No entity reads this file; F&O ignores it [INFER].',
    fix: 'Remove the file, or add the entity it belongs to.',
  },
  DUPLICATE_ENTITY: {
    severity: 'error',
    consequence: 'A data project holds each entity once.',
    fix: 'Keep one manifest entry per entity.',
  },
  FORMAT_EXTENSION_MISMATCH: {
    severity: 'error',
    consequence: 'F&O reads the file with the format the manifest names (DMF1855).',
    fix: 'Make SourceFormat and the data file agree (e.g. EXCEL with .xlsx).',
  },
  UNKNOWN_FORMAT: {
    severity: 'warning',
    consequence: 'SourceFormat names a source data format record that the target environment must have.',
    fix: 'Check that the format exists under Data management > Data sources, or use a built-in one.',
  },
  SOURCE_FORMAT_MISSING: {
    severity: 'warning',
    consequence:
      'F&O reads each data file in the source format its manifest entry names [INFER: without one it cannot tell how to read the file].',
    fix: 'Add a SourceFormat (CSV, CSV-Unicode, EXCEL, XML-Element…) to the entity, or export the package again.',
  },
  NO_MAPPING: {
    severity: 'error',
    consequence: 'Without an EntityMapList DMF maps nothing and stages no rows.',
    fix: 'Add an EntityMap per column (dmfw pack writes them).',
  },
  COMPOSITE_MULTIPLE: {
    severity: 'error',
    consequence: 'A package may hold one composite entity only.',
    fix: 'Put each composite entity in its own package.',
  },
  COMPOSITE_NOT_XML: {
    severity: 'error',
    consequence: 'Composite entities can only be imported from XML (DMF1963).',
    fix: 'Use the XML-Element or XML-Attribute format for the composite entity.',
  },
  DATA_FILE_TOO_BIG: {
    severity: 'warning',
    consequence: 'Files over 256 MB exceed the default blob limit (raised to 5,000 MB only on request).',
    fix: 'Split it: dmfw pack --split-mb 256 writes several packages to import in order.',
  },
  DATA_FILE_UNREADABLE: {
    severity: 'error',
    consequence: 'F&O cannot read the file either.',
    fix: 'Fix the file at the place the message names.',
  },
  DATA_FILE_EMPTY: {
    severity: 'error',
    consequence: 'F&O needs at least one data row (DMF2053).',
    fix: 'Add rows, or remove the entity from the package.',
  },
  HEADER_MAPPING_MISMATCH: {
    severity: 'error',
    consequence: 'A mapped column that is not in the file breaks the mapping (DMF2022/DMF2060).',
    fix: 'Rename the header cell to the XMLField, or fix the EntityMap.',
  },
  COLUMN_NOT_MAPPED: {
    severity: 'warning',
    consequence: 'DMF ignores columns that no EntityMap names.',
    fix: 'If the column is meant to be imported, map it to its staging field; otherwise leave it out of the file.',
  },
  COLUMN_EXPORTED_ONLY: {
    severity: 'info',
    consequence:
      'F&O writes these columns when it exports the entity but leaves them out of its own mapping (read-only or computed fields): they are exported, never imported.',
    fix: 'Nothing to do: leave them unmapped (mapping a read-only field makes the import fail).',
  },
  EXCEL_TOO_MANY_COLUMNS: {
    severity: 'error',
    consequence: 'DMF reads at most 255 columns from a worksheet (DMF2009).',
    fix: 'Use CSV or XML for this entity, or drop columns.',
  },
  XML_ILLEGAL_CHARACTER: {
    severity: 'error',
    consequence: 'XML and xlsx cannot carry control characters; F&O fails such files (DMF2055).',
    fix: 'Remove the control character from the value.',
  },
  BLANK_LINES: {
    severity: 'warning',
    consequence: 'F&O skips blank lines and reports them (DMF2050).',
    fix: 'Remove the blank lines.',
  },
  CSV_LINE_ENDING: {
    severity: 'warning',
    consequence: 'The built-in formats split rows on CRLF; LF-only files break the column mapping.',
    fix: 'Write the file with CRLF line endings (dmfw pack does).',
  },
  CSV_UNICODE_ENCODING: {
    severity: 'error',
    consequence: 'CSV-Unicode files are read as UTF-16LE with a byte-order mark.',
    fix: 'Save the file as UTF-16LE with a BOM (Excel: "Unicode Text"), or use the CSV format.',
  },
  CSV_BOM: {
    severity: 'warning',
    consequence: 'A code-page format reads a byte-order mark as text, so the first column does not map.',
    fix: 'Save the file without a BOM, or use CSV-Unicode.',
  },
  DUPLICATE_KEY: {
    severity: 'error',
    consequence: "Rows with the same key collide in DMF's staging table (DMF1959/DMF2057).",
    fix: 'Remove or correct the repeated rows.',
  },
  UNMAPPED_MANDATORY: {
    severity: 'error',
    consequence: 'Rows without a mandatory field fail when DMF copies them to the target.',
    fix: 'Add a column for the field and map it.',
  },
  REFERENCE_NOT_FOUND: {
    severity: 'error',
    consequence: 'F&O fails such rows when it copies them from staging to the target.',
    fix: 'Add the referenced record to the package (or to the environment first), or correct the value.',
  },
} as const satisfies Record<string, LintRule>;

export type LintCode = keyof typeof LINT_RULES;

export interface LintFinding {
  readonly code: LintCode;
  readonly severity: LintSeverity;
  /** The problem and its fix. */
  readonly message: string;
  /** Entity label, when the finding is about one entity. */
  readonly entity?: string;
  /** File inside the package, when about one. */
  readonly file?: string;
  /** 1-based data row, when about one. */
  readonly row?: number;
  /**
   * Where the rule came from, for rules the entity catalog supplies: "USMF-UAT metadata of
   * 2026-12-01", "built-in, unverified", "learnt from … of …". Absent: the package format itself.
   */
  readonly source?: string;
}

/** A finding for `code`: `problem` says what was found; the rule adds what F&O does and the fix. */
export function lintFinding(
  code: LintCode,
  problem: string,
  where: { entity?: string; file?: string; row?: number } = {},
  graded?: { readonly severity: LintSeverity; readonly source: string },
): LintFinding {
  const rule: LintRule = LINT_RULES[code];
  return {
    code,
    severity: graded?.severity ?? rule.severity,
    message: `${problem} ${rule.consequence} ${rule.fix}`,
    ...where,
    ...(graded ? { source: graded.source } : {}),
  };
}

/**
 * A finding whose message already says what is wrong and how to fix it (a validation finding):
 * the rule only adds what F&O does with it.
 */
export function lintFindingFrom(
  code: LintCode,
  message: string,
  where: { entity?: string; file?: string; row?: number },
  graded: { readonly severity: LintSeverity; readonly source: string },
): LintFinding {
  return {
    code,
    severity: graded.severity,
    message: `${message} ${LINT_RULES[code].consequence}`,
    ...where,
    source: graded.source,
  };
}

/** DMF's limits that lint checks. */
export const EXCEL_MAX_COLUMNS = 255;
export const BLOB_DEFAULT_LIMIT_BYTES = 256 * 1024 * 1024;

/**
 * [INFER] The catalog has no composite flag; F&O's composite entities are named so (Sales order
 * composite entity = SalesOrderCompositeEntity; Purchase order composite, …).
 */
export function looksComposite(label: string, targetEntity: string | null | undefined): boolean {
  return /composite/i.test(label) || /CompositeEntity$/i.test(targetEntity ?? '');
}
