/**
 * Package lint: checks a data package for what makes F&O fail or misread it (rules and fixes in
 * shared/domain/package/lint.ts). The structure is checked from the manifest and the file list;
 * then each data file is streamed once for its row count, header, encoding, characters and, when
 * the catalog knows the entity, duplicate keys, unmapped mandatory fields and references to the
 * package's other entities (and to a reference snapshot of the environment). Catalog rules are
 * graded by where the catalog learnt them (validation/grading.ts). `dmfw inspect` reports the
 * same pass.
 */
import type { CatalogEntity, CatalogIndex } from '../../../shared/domain/catalog';
import { createValidationSession, gradeSeverity, sourceLabel } from '../../../shared/domain/validation';
import type {
  ColumnMapping,
  EntityValidator,
  Finding,
  ReferenceSnapshot,
  RuleSource,
  ValidationSession,
} from '../../../shared/domain/validation';
import { dataFileKind, fileExtension, normalizeSourceFormat } from '../../../shared/domain/package/formats';
import type { DataFileKind } from '../../../shared/domain/package/formats';
import {
  BLOB_DEFAULT_LIMIT_BYTES,
  EXCEL_MAX_COLUMNS,
  lintFinding,
  lintFindingFrom,
  LINT_RULES,
  looksComposite,
} from '../../../shared/domain/package/lint';
import type { LintCode, LintFinding, LintSeverity } from '../../../shared/domain/package/lint';
import { packageOrigin } from '../metadata/packageOrigin';
import type { PackageOrigin } from '../metadata/packageOrigin';
import { MANIFEST_FILE, PACKAGE_HEADER_FILE } from '../../../shared/domain/package/model';
import type { PackageEntity } from '../../../shared/domain/package/model';
import { describeChar, firstIllegalXmlChar } from '../../../shared/domain/package/xml';
import { InputFileError } from '../sources/inputError';
import type { RowReader } from '../sources/rows';
import type { DataPackage, PackageFile } from './packageReader';
import { formatBytes } from './zip/zipReader';

export interface EntityReport {
  readonly entity: PackageEntity;
  readonly file: PackageFile | undefined;
  readonly kind: DataFileKind | undefined;
  /** Data rows; null when the file is missing, unreadable or was not scanned. */
  readonly rows: number | null;
  /** The data file's header; null when not read. */
  readonly columns: readonly string[] | null;
}

export interface PackageReport {
  readonly findings: readonly LintFinding[];
  readonly entities: readonly EntityReport[];
  /** Whether F&O made the package (what it shows may then be learnt), and why. */
  readonly origin: PackageOrigin;
}

/** Watches an entity's rows during the lint pass (what F&O's own packages teach). */
export interface RowObserver {
  readonly wantsRows: boolean;
  observe(rows: readonly (readonly string[])[]): void;
}

export interface LintOptions {
  /** Entity catalog (layered: metadata, learnt, built-in) for key, mandatory-field and reference checks. */
  readonly catalog?: CatalogIndex;
  /** Keys that exist in the target environment, for references to entities the package lacks. */
  readonly snapshot?: ReferenceSnapshot;
  /** Called for each data file about to be read; the observer sees its rows. */
  readonly observe?: (entity: PackageEntity, columns: readonly string[], origin: PackageOrigin) => RowObserver | null;
  /** Stream every data file (default true). Without it only the structure is checked. */
  readonly scanData?: boolean;
  /** Called as data files are read. */
  readonly onProgress?: (progress: { entity: string; bytesRead: number; total: number | undefined }) => void;
}

/** Findings reported in detail per rule and entity; the rest are summed up in one more finding. */
const DETAILED_PER_RULE = 10;

export async function lintPackage(pkg: DataPackage, options: LintOptions = {}): Promise<PackageReport> {
  const findings: LintFinding[] = [];
  const add = (f: LintFinding) => findings.push(f);
  const origin = packageOrigin(pkg);
  checkStructure(pkg, add);
  const catalog = options.catalog;
  const known = (e: PackageEntity) => catalog?.findEntity(e.targetEntity ?? '') ?? catalog?.findEntity(e.entityName);
  const session = catalog
    ? createValidationSession({
        catalog,
        packageEntities: pkg.manifest.entities.flatMap((e) => known(e)?.label ?? []),
        ...(options.snapshot ? { snapshot: options.snapshot } : {}),
      })
    : undefined;
  const context: ScanContext = { pkg, options, add, origin, session, counters: new Map() };
  const entities: EntityReport[] = [];
  for (const entity of pkg.manifest.entities) {
    const file = pkg.fileFor(entity);
    const kind = file ? dataFileKind(entity.sourceFormat, file.name) : undefined;
    const base = { entity, file, kind };
    if (!file || !kind || options.scanData === false) {
      entities.push({ ...base, rows: null, columns: null });
      continue;
    }
    entities.push({ ...base, ...(await scanEntity(context, entity, file, kind, known(entity))) });
  }
  // References to entities whose files came later in the package.
  for (const late of session?.finish() ?? []) {
    const counter = context.counters.get(late.entity);
    for (const f of late.findings) counter?.finding(f);
    counter?.flush();
  }
  return { findings, entities, origin };
}

interface ScanContext {
  readonly pkg: DataPackage;
  readonly options: LintOptions;
  readonly add: (f: LintFinding) => void;
  readonly origin: PackageOrigin;
  readonly session: ValidationSession | undefined;
  /** Per entity label: where late reference findings go. */
  readonly counters: Map<string, Counter>;
}

/** True when a report has findings of severity error. */
export function hasErrors(findings: readonly LintFinding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}

// ---------------------------------------------------------------------------------------------

function checkStructure(pkg: DataPackage, add: (f: LintFinding) => void): void {
  const entities = pkg.manifest.entities;
  if (!pkg.header) add(lintFinding('HEADER_MISSING', `${pkg.location.file} has no ${PACKAGE_HEADER_FILE}.`));

  const nestedFolders = new Set(
    pkg.files.filter((f) => f.name.includes('/')).map((f) => f.name.slice(0, f.name.indexOf('/'))),
  );
  for (const folder of nestedFolders) {
    add(lintFinding('NESTED_FOLDER', `The package has a folder "${folder}/".`, { file: `${folder}/` }));
  }

  const seen = new Map<string, number>();
  for (const e of entities) seen.set(e.entityName.toLowerCase(), (seen.get(e.entityName.toLowerCase()) ?? 0) + 1);
  for (const [name, count] of seen) {
    if (count > 1) {
      const label = entities.find((e) => e.entityName.toLowerCase() === name)?.entityName ?? name;
      add(lintFinding('DUPLICATE_ENTITY', `"${label}" is in the manifest ${count} times.`, { entity: label }));
    }
  }

  const used = new Set<string>();
  for (const e of entities) {
    const where = { entity: e.entityName, ...(e.inputFilePath ? { file: e.inputFilePath } : {}) };
    const file = pkg.fileFor(e);
    if (!e.inputFilePath) {
      add(lintFinding('DATA_FILE_MISSING', `"${e.entityName}" has no InputFilePath.`, where));
    } else if (!file) {
      add(lintFinding('DATA_FILE_MISSING', `"${e.inputFilePath}" of "${e.entityName}" is not in the package.`, where));
    } else {
      used.add(file.name);
      if (file.name !== e.inputFilePath) {
        add(
          lintFinding(
            'FILE_NAME_CASE',
            `InputFilePath "${e.inputFilePath}" matches "${file.name}" only when case is ignored.`,
            where,
          ),
        );
      }
      if (file.size > BLOB_DEFAULT_LIMIT_BYTES) {
        add(lintFinding('DATA_FILE_TOO_BIG', `"${file.name}" is ${formatBytes(file.size)}.`, where));
      }
    }
    const format = normalizeSourceFormat(e.sourceFormat ?? '');
    if ((e.sourceFormat ?? '').trim() === '') {
      add(lintFinding('SOURCE_FORMAT_MISSING', `"${e.entityName}" names no SourceFormat.`, where));
    } else if (!format) {
      add(lintFinding('UNKNOWN_FORMAT', `"${e.entityName}" uses the source format "${e.sourceFormat ?? ''}".`, where));
    } else if (file) {
      const kind = dataFileKind(format, file.name);
      const ext = file.name.slice(file.name.lastIndexOf('.')).toLowerCase();
      if (kind && ext !== fileExtension(kind)) {
        add(
          lintFinding(
            'FORMAT_EXTENSION_MISMATCH',
            `"${e.entityName}" is ${format} but its file is "${file.name}".`,
            where,
          ),
        );
      }
    }
    if (!e.entityMapList || e.entityMapList.length === 0) {
      add(lintFinding('NO_MAPPING', `"${e.entityName}" has no field mapping.`, where));
    }
  }

  const composites = entities.filter((e) => looksComposite(e.entityName, e.targetEntity));
  if (composites.length > 1) {
    add(
      lintFinding(
        'COMPOSITE_MULTIPLE',
        `The package holds ${composites.length} composite entities (${composites.map((e) => e.entityName).join(', ')}).`,
      ),
    );
  }
  for (const e of composites) {
    const kind = dataFileKind(e.sourceFormat, e.inputFilePath ?? '');
    if (kind !== 'xml-attribute' && kind !== 'xml-element') {
      add(
        lintFinding(
          'COMPOSITE_NOT_XML',
          `"${e.entityName}" is a composite entity in the ${e.sourceFormat ?? 'unknown'} format.`,
          { entity: e.entityName },
        ),
      );
    }
  }

  for (const f of pkg.files) {
    if (f.isDirectory || f.name.includes('/') || used.has(f.name)) continue;
    const lower = f.name.toLowerCase();
    if (lower === MANIFEST_FILE.toLowerCase() || lower === PACKAGE_HEADER_FILE.toLowerCase()) continue;
    add(
      lintFinding('DATA_FILE_EXTRA', `"${f.name}" is not the data file of any entity in the manifest.`, {
        file: f.name,
      }),
    );
  }
}

// ---------------------------------------------------------------------------------------------

interface Counter {
  add(code: LintCode, problem: string, row?: number, severity?: LintSeverity, source?: string): void;
  /** A validation finding of the entity's rows: duplicate keys and references. */
  finding(f: Finding): void;
  flush(): void;
}

/** Validation rules lint reports, with the lint code they are reported under. */
const FROM_VALIDATION: Partial<Record<Finding['rule'], LintCode>> = {
  'duplicate-key': 'DUPLICATE_KEY',
  reference: 'REFERENCE_NOT_FOUND',
};

async function scanEntity(
  context: ScanContext,
  entity: PackageEntity,
  file: PackageFile,
  kind: DataFileKind,
  catalogEntity: CatalogEntity | undefined,
): Promise<{ rows: number | null; columns: readonly string[] | null }> {
  const { pkg, options, add, origin, session } = context;
  const where = { entity: entity.entityName, file: file.name };
  const counter = perRuleCounter(where, add);
  let reader: RowReader;
  try {
    reader = await pkg.openRows(entity, {
      onBytes: (bytesRead, total) => options.onProgress?.({ entity: entity.entityName, bytesRead, total }),
    });
  } catch (error) {
    if (!(error instanceof InputFileError)) throw error;
    add(unreadable(error, where));
    return { rows: null, columns: null };
  }
  const columns = reader.columns;
  checkHeader(entity, columns, kind, counter, origin, catalogEntity);
  checkEncoding(entity, reader, kind, counter);
  let validator: EntityValidator | undefined;
  if (catalogEntity && options.catalog && session) {
    checkMandatory(catalogEntity, options.catalog, entity, columns, counter);
    validator = session.validator(
      catalogEntity.label,
      keyAndReferenceColumns(catalogEntity, options.catalog, entity, columns),
    );
    context.counters.set(catalogEntity.label, counter);
  }
  const observer = options.observe?.(entity, columns, origin) ?? null;
  const checkCharacters = kind === 'csv';
  try {
    for await (const batch of reader) {
      if (checkCharacters) {
        batch.rows.forEach((row, i) => {
          for (let c = 0; c < row.length; c++) {
            const at = firstIllegalXmlChar(row[c] ?? '');
            if (at >= 0) {
              counter.add(
                'XML_ILLEGAL_CHARACTER',
                `Data row ${batch.firstRow + i}, column ${columns[c] ?? c + 1} has the control character ${describeChar(row[c] ?? '', at)}: F&O imports CSV with it, but exports of it to XML or Excel fail.`,
                batch.firstRow + i,
                'warning',
              );
            }
          }
        });
      }
      if (validator) for (const f of validator.validateRows(batch.rows, batch.firstRow)) counter.finding(f);
      if (observer?.wantsRows) observer.observe(batch.rows);
    }
    if (validator) for (const f of validator.finish()) counter.finding(f);
  } catch (error) {
    if (!(error instanceof InputFileError)) throw error;
    counter.flush();
    add(unreadable(error, where));
    return { rows: null, columns };
  }
  const rows = reader.rowCount;
  if ('blankLines' in reader && typeof reader.blankLines === 'number' && reader.blankLines > 0) {
    counter.add(
      'BLANK_LINES',
      `"${file.name}" has ${reader.blankLines} blank line${reader.blankLines === 1 ? '' : 's'}.`,
    );
  }
  if (rows === 0) counter.add('DATA_FILE_EMPTY', `"${file.name}" has no data rows.`);
  counter.flush();
  return { rows, columns };
}

/** An unreadable file; XML (and xlsx) that is unreadable because of a control character gets that rule's code. */
function unreadable(error: InputFileError, where: { entity: string; file: string }): LintFinding {
  const code = /disallowed character/.test(error.message) ? 'XML_ILLEGAL_CHARACTER' : 'DATA_FILE_UNREADABLE';
  return lintFinding(code, error.message, {
    ...where,
    ...(error.details.row === undefined ? {} : { row: error.details.row }),
  });
}

function checkHeader(
  entity: PackageEntity,
  columns: readonly string[],
  kind: DataFileKind,
  counter: Counter,
  origin: PackageOrigin,
  catalogEntity: CatalogEntity | undefined,
): void {
  if (kind === 'xlsx' && columns.length > EXCEL_MAX_COLUMNS) {
    counter.add('EXCEL_TOO_MANY_COLUMNS', `The sheet has ${columns.length} columns.`);
  }
  const maps = entity.entityMapList ?? [];
  if (maps.length === 0 || columns.length === 0) return;
  const header = new Set(columns.map((c) => c.toLowerCase()));
  const mapped = new Set(maps.map((m) => m.xmlField.toLowerCase()));
  const missing = maps.filter((m) => !header.has(m.xmlField.toLowerCase())).map((m) => m.xmlField);
  if (missing.length > 0) {
    counter.add(
      'HEADER_MAPPING_MISMATCH',
      `The mapping names ${list(missing)}, which the file's header does not have.`,
    );
  }
  // In F&O's own package, a column outside F&O's own map is one it exports but does not import;
  // elsewhere the catalog may know it as such (learnt from an F&O export).
  const exportedOnly = new Set((catalogEntity?.exportedOnly ?? []).map((f) => f.toLowerCase()));
  const unmapped = columns.filter((c) => c.trim() !== '' && !mapped.has(c.toLowerCase()));
  const fnoOwn = unmapped.filter((c) => origin.fromFno || exportedOnly.has(c.trim().toLowerCase()));
  const others = unmapped.filter((c) => !fnoOwn.includes(c));
  if (fnoOwn.length > 0) {
    counter.add(
      'COLUMN_EXPORTED_ONLY',
      `The file's columns ${list(fnoOwn)} are outside ${origin.fromFno ? "F&O's own mapping in this F&O package" : 'the mapping F&O itself uses for this entity'}.`,
      undefined,
      undefined,
      origin.fromFno ? 'this F&O package' : catalogEntity ? "learnt from F&O's packages" : undefined,
    );
  }
  if (others.length > 0) counter.add('COLUMN_NOT_MAPPED', `The file's columns ${list(others)} are not mapped.`);
}

function checkEncoding(entity: PackageEntity, reader: RowReader, kind: DataFileKind, counter: Counter): void {
  if (kind !== 'csv') return;
  const format = normalizeSourceFormat(entity.sourceFormat ?? '');
  if (!format) return;
  const info = reader.info;
  if (info.lineEnding === '\n' || info.lineEnding === '\r') {
    counter.add('CSV_LINE_ENDING', `The file's lines end with ${info.lineEnding === '\n' ? 'LF' : 'CR'} only.`);
  }
  if (format === 'CSV-Unicode' && (info.encoding !== 'utf-16le' || info.bom !== true)) {
    counter.add(
      'CSV_UNICODE_ENCODING',
      `The file is ${String(info.encoding)}${info.bom ? ' with a BOM' : ' without a BOM'}.`,
    );
  }
  if (format === 'CSV' && info.bom === true)
    counter.add('CSV_BOM', `The file starts with a ${String(info.encoding)} byte-order mark.`);
}

/** The staging field each column of the file feeds, by the entity's EntityMapList. */
function fieldsOfColumns(entity: PackageEntity, columns: readonly string[]): Map<string, number> {
  const fieldToColumn = new Map<string, number>();
  const byXmlField = new Map(
    (entity.entityMapList ?? []).map((m) => [m.xmlField.toLowerCase(), m.entityField.toUpperCase()]),
  );
  columns.forEach((c, i) => {
    const field = byXmlField.get(c.toLowerCase());
    if (field && !fieldToColumn.has(field)) fieldToColumn.set(field, i);
  });
  return fieldToColumn;
}

/** Key and mandatory fields no column maps to, each graded by where the catalog learnt it. */
function checkMandatory(
  catalogEntity: CatalogEntity,
  catalog: CatalogIndex,
  entity: PackageEntity,
  columns: readonly string[],
  counter: Counter,
): void {
  const fieldToColumn = fieldsOfColumns(entity, columns);
  const unmapped = catalogEntity.fields.filter(
    (f) => (f.mandatory || catalogEntity.keys.includes(f.name)) && !fieldToColumn.has(f.name),
  );
  if (unmapped.length === 0) return;
  // One finding per source: an error for what the environment's metadata says, warnings for the rest.
  const bySource = new Map<string, { severity: LintSeverity; fields: string[] }>();
  for (const f of unmapped) {
    const rule: RuleSource = {
      provenance: catalog.provenanceOf(catalogEntity, catalogEntity.keys.includes(f.name) ? undefined : f),
      inferred: f.inferred === true || (!catalogEntity.keys.includes(f.name) && f.mandatoryInferred === true),
    };
    const source = sourceLabel(rule);
    const entry = bySource.get(source) ?? { severity: gradeSeverity('error', rule), fields: [] };
    entry.fields.push(f.name);
    bySource.set(source, entry);
  }
  for (const [source, { severity, fields }] of bySource) {
    counter.add(
      'UNMAPPED_MANDATORY',
      `${catalogEntity.label} needs ${list(fields)}, which no column maps to.`,
      undefined,
      severity,
      source,
    );
  }
}

/**
 * The mapping the validator gets in lint: only the fields keys and references are made of
 * (the entity's key, its relations, and what the package's other entities reference in it).
 * Type and length checks are `dmfw validate`'s and `dmfw pack`'s business.
 */
function keyAndReferenceColumns(
  catalogEntity: CatalogEntity,
  catalog: CatalogIndex,
  entity: PackageEntity,
  columns: readonly string[],
): ColumnMapping[] {
  const needed = new Set<string>(['DATAAREAID', ...catalogEntity.keys]);
  for (const r of catalogEntity.relations) for (const f of r.fields) needed.add(f);
  for (const other of catalog.referencing(catalogEntity.targetEntity))
    for (const r of other.relations)
      if (r.target === catalogEntity.targetEntity) for (const f of r.targetFields) needed.add(f);
  const byXmlField = new Map(
    (entity.entityMapList ?? []).map((m) => [m.xmlField.toLowerCase(), m.entityField.toUpperCase()]),
  );
  return columns.map((column) => {
    const field = byXmlField.get(column.toLowerCase());
    return { column, field: field !== undefined && needed.has(field) ? field : null };
  });
}

function list(names: readonly string[]): string {
  const shown = names.slice(0, 8).join(', ');
  return names.length > 8 ? `${shown} and ${names.length - 8} more` : shown;
}

/** Keeps DETAILED_PER_RULE findings per code; adds one summary finding for the rest. */
function perRuleCounter(where: { entity: string; file: string }, add: (f: LintFinding) => void): Counter {
  const counts = new Map<string, { code: LintCode; n: number; severity: LintSeverity | undefined; source?: string }>();
  /** Counts a finding under its code and source; true when it is among the first DETAILED_PER_RULE. */
  const counted = (code: LintCode, severity: LintSeverity | undefined, source: string | undefined): boolean => {
    const key = `${code}\u0000${source ?? ''}`;
    const count = counts.get(key) ?? { code, n: 0, severity, ...(source === undefined ? {} : { source }) };
    count.n++;
    if (severity === 'error') count.severity = 'error';
    counts.set(key, count);
    return count.n <= DETAILED_PER_RULE;
  };
  return {
    add(code, problem, row, severity, source) {
      if (!counted(code, severity, source)) return;
      const graded =
        severity === undefined && source === undefined
          ? undefined
          : { severity: severity ?? LINT_SEVERITY[code], source: source ?? '' };
      const finding = lintFinding(code, problem, { ...where, ...(row === undefined ? {} : { row }) }, graded);
      add(source === undefined ? dropSource(finding) : finding);
    },
    finding(f) {
      const code = FROM_VALIDATION[f.rule];
      if (!code || !counted(code, f.severity, f.source)) return;
      add(lintFindingFrom(code, `Data row ${f.row}: ${f.message}`, { ...where, row: f.row }, f));
    },
    flush() {
      for (const { code, n, severity, source } of counts.values()) {
        if (n <= DETAILED_PER_RULE) continue;
        const problem = `${n - DETAILED_PER_RULE} more like the above in "${where.file}" (${n} in all).`;
        const graded =
          severity === undefined && source === undefined
            ? undefined
            : { severity: severity ?? LINT_SEVERITY[code], source: source ?? '' };
        const finding = lintFinding(code, problem, where, graded);
        add(source === undefined ? dropSource(finding) : finding);
      }
      counts.clear();
    },
  };
}

const LINT_SEVERITY = Object.fromEntries(
  Object.entries(LINT_RULES).map(([code, rule]) => [code, rule.severity]),
) as Record<LintCode, LintSeverity>;

function dropSource(finding: LintFinding): LintFinding {
  if (finding.source === undefined) return finding;
  const { source: _none, ...rest } = finding;
  return rest;
}
