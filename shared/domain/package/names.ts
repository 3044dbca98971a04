/**
 * Naming rules F&O applies to data files and Excel sheets (dmf-reference.md §1.4, §1.5).
 */
import type { DataFileKind } from './formats';
import { fileExtension } from './formats';

/**
 * Characters .NET's Path.GetInvalidFileNameChars() lists on Windows, where F&O runs: controls
 * U+0000–U+001F and `"<>|:*?\/`. F&O drops them from the label: `Country/regions` → `Countryregions`.
 */
// eslint-disable-next-line no-control-regex
const INVALID_FILE_NAME_CHARS = /[\u0000-\u001f"<>|:*?\\/]/g;

/** The data file name F&O gives an entity: the label without invalid characters, plus the extension. */
export function dataFileName(label: string, kind: DataFileKind): string {
  const base = label.replace(INVALID_FILE_NAME_CHARS, '').trim();
  return `${base || 'Entity'}${fileExtension(kind)}`;
}

/** Part `n` (1-based) of a data file split across packages: `Customers V3.csv` → `Customers V3-2.csv`. */
export function splitPartFileName(fileName: string, part: number): string {
  if (part <= 1) return fileName;
  const dot = fileName.lastIndexOf('.');
  return dot <= 0 ? `${fileName}-${part}` : `${fileName.slice(0, dot)}-${part}${fileName.slice(dot)}`;
}

export const EXCEL_SHEET_NAME_MAX = 30;

/**
 * The worksheet name F&O gives an entity: every character that is not a letter or digit becomes
 * `_`, cut to 30 characters (`Address and contact information…` → `Address_and_contact_informatio`).
 * [INFER] Letters and digits outside ASCII are kept, as .NET's char.IsLetterOrDigit would.
 */
export function excelSheetName(label: string): string {
  return label.replace(/[^\p{L}\p{N}]/gu, '_').slice(0, EXCEL_SHEET_NAME_MAX) || 'Sheet1';
}

/** The manifest's `ExcelSheetName`: the sheet name followed by `$` (`Exchange_rates$`). */
export function manifestExcelSheetName(label: string): string {
  return `${excelSheetName(label)}$`;
}

/** The sheet a manifest `ExcelSheetName` points at (`Exchange_rates$` → `Exchange_rates`), or undefined when empty. */
export function sheetFromManifestName(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  return value.endsWith('$') ? value.slice(0, -1) : value;
}

/**
 * Whether a zip entry name is safe and flat. Returns a reason when it is not: absolute paths,
 * drive letters, `..` segments and backslashes could write outside a target folder (zip-slip).
 */
export function unsafeEntryNameReason(name: string): string | undefined {
  if (name.length === 0) return 'the name is empty';
  if (name.includes('\0')) return 'the name contains a NUL character';
  if (name.includes('\\')) return 'the name contains a backslash';
  if (name.startsWith('/')) return 'the name is an absolute path';
  if (/^[A-Za-z]:/.test(name)) return 'the name starts with a drive letter';
  if (name.split('/').some((segment) => segment === '..')) return 'the name contains a ".." segment';
  return undefined;
}
