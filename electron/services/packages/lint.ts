/**
 * Package lint: checks a data package for what makes F&O fail or misread it (rules and fixes in
 * shared/domain/package/lint.ts). The structure is checked from the manifest and the file list;
 * then each data file is streamed once for its row count, header, encoding, characters and, when
 * the catalog knows the entity, duplicate keys and unmapped mandatory fields. `dmfw inspect`
 * reports the same pass.
 */
import type { CatalogEntity, CatalogIndex } from '../../../shared/domain/catalog';
import { KeySet, normalizeKeyPart } from '../../../shared/domain/validation';
import { KEY_SEPARATOR } from '../../../shared/domain/validation/keySet';
import { dataFileKind, fileExtension, normalizeSourceFormat } from '../../../shared/domain/package/formats';
import type { DataFileKind } from '../../../shared/domain/package/formats';
import {
  BLOB_DEFAULT_LIMIT_BYTES,
  EXCEL_MAX_COLUMNS,
  lintFinding,
  looksComposite,
} from '../../../shared/domain/package/lint';
import type { LintCode, LintFinding } from '../../../shared/domain/package/lint';
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
}

export interface LintOptions {
  /** Entity catalog (built-in or live metadata) for key and mandatory-field checks. */
  readonly catalog?: CatalogIndex;
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
  checkStructure(pkg, add);
  const entities: EntityReport[] = [];
  for (const entity of pkg.manifest.entities) {
    const file = pkg.fileFor(entity);
    const kind = file ? dataFileKind(entity.sourceFormat, file.name) : undefined;
    const base = { entity, file, kind };
    if (!file || !kind || options.scanData === false) {
      entities.push({ ...base, rows: null, columns: null });
      continue;
    }
    entities.push({ ...base, ...(await scanEntity(pkg, entity, file, kind, options, add)) });
  }
  return { findings, entities };
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
    if (!format) {
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
  add(code: LintCode, problem: string, row?: number, severity?: 'error' | 'warning'): void;
  flush(): void;
}

async function scanEntity(
  pkg: DataPackage,
  entity: PackageEntity,
  file: PackageFile,
  kind: DataFileKind,
  options: LintOptions,
  add: (f: LintFinding) => void,
): Promise<{ rows: number | null; columns: readonly string[] | null }> {
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
  checkHeader(entity, columns, kind, counter);
  checkEncoding(entity, reader, kind, counter);
  const catalogEntity =
    options.catalog?.findEntity(entity.targetEntity ?? '') ?? options.catalog?.findEntity(entity.entityName);
  const keys = catalogEntity ? keyColumns(catalogEntity, entity, columns, counter) : null;
  const keySet = keys ? new KeySet() : null;
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
      if (keys && keySet) {
        batch.rows.forEach((row, i) => {
          const key = keyOf(row, keys);
          if (key === null) return;
          const rowNo = batch.firstRow + i;
          const earlier = keySet.add(key, rowNo);
          if (earlier > 0)
            counter.add(
              'DUPLICATE_KEY',
              `Data row ${rowNo} repeats the key of row ${earlier} (${keyText(row, keys)}).`,
              rowNo,
            );
        });
      }
    }
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

function checkHeader(entity: PackageEntity, columns: readonly string[], kind: DataFileKind, counter: Counter): void {
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
  const unmapped = columns.filter((c) => c !== '' && !mapped.has(c.toLowerCase()));
  if (unmapped.length > 0) counter.add('COLUMN_NOT_MAPPED', `The file's columns ${list(unmapped)} are not mapped.`);
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

/** Key columns of the file (DATAAREAID first when mapped), or null when the key is not fully mapped. */
function keyColumns(
  catalogEntity: CatalogEntity,
  entity: PackageEntity,
  columns: readonly string[],
  counter: Counter,
): number[] | null {
  const fieldToColumn = new Map<string, number>();
  const byXmlField = new Map(
    (entity.entityMapList ?? []).map((m) => [m.xmlField.toLowerCase(), m.entityField.toUpperCase()]),
  );
  columns.forEach((c, i) => {
    const field = byXmlField.get(c.toLowerCase());
    if (field && !fieldToColumn.has(field)) fieldToColumn.set(field, i);
  });
  const unmapped = catalogEntity.fields.filter(
    (f) => (f.mandatory || catalogEntity.keys.includes(f.name)) && !fieldToColumn.has(f.name),
  );
  if (unmapped.length > 0) {
    counter.add(
      'UNMAPPED_MANDATORY',
      `${catalogEntity.label} needs ${list(unmapped.map((f) => f.name))}, which no column maps to.`,
    );
  }
  const keys: number[] = [];
  const dataArea = fieldToColumn.get('DATAAREAID');
  if (catalogEntity.companySpecific && dataArea !== undefined) keys.push(dataArea);
  for (const k of catalogEntity.keys) {
    const column = fieldToColumn.get(k);
    if (column === undefined) return null;
    keys.push(column);
  }
  return keys.length > 0 ? keys : null;
}

function keyOf(row: readonly string[], columns: readonly number[]): string | null {
  let key = '';
  for (let i = 0; i < columns.length; i++) {
    const v = normalizeKeyPart(row[columns[i] ?? 0] ?? '');
    if (v === '') return null;
    key = i === 0 ? v : key + KEY_SEPARATOR + v;
  }
  return key;
}

function keyText(row: readonly string[], columns: readonly number[]): string {
  return columns.map((c) => row[c] ?? '').join(', ');
}

function list(names: readonly string[]): string {
  const shown = names.slice(0, 8).join(', ');
  return names.length > 8 ? `${shown} and ${names.length - 8} more` : shown;
}

/** Keeps DETAILED_PER_RULE findings per code; adds one summary finding for the rest. */
function perRuleCounter(where: { entity: string; file: string }, add: (f: LintFinding) => void): Counter {
  const counts = new Map<LintCode, { n: number; severity: 'error' | 'warning' | undefined }>();
  const withSeverity = (finding: LintFinding, severity: 'error' | 'warning' | undefined) =>
    severity && severity !== finding.severity ? { ...finding, severity } : finding;
  return {
    add(code, problem, row, severity) {
      const count = counts.get(code) ?? { n: 0, severity };
      count.n++;
      counts.set(code, count);
      if (count.n > DETAILED_PER_RULE) return;
      add(withSeverity(lintFinding(code, problem, { ...where, ...(row === undefined ? {} : { row }) }), severity));
    },
    flush() {
      for (const [code, { n, severity }] of counts) {
        if (n <= DETAILED_PER_RULE) continue;
        const problem = `${n - DETAILED_PER_RULE} more like the above in "${where.file}" (${n} in all).`;
        add(withSeverity(lintFinding(code, problem, where), severity));
      }
      counts.clear();
    },
  };
}
