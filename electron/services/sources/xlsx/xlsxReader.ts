/**
 * Streaming .xlsx reader built on the zip reader and the sheet tokenizer (xlsxScanner.ts), so that
 * an xlsx inside a package gets the same zip-bomb, CRC and DTD protections as everything else.
 * Measured against openpyxl's read-only mode in tests/bench/xlsx.bench.ts. Reads F&O's
 * inline-string sheets and workbooks re-saved by Excel (shared strings, numbers, dates, booleans). The sheet XML is streamed; only
 * the shared-string table is held in memory, under a cap.
 *
 * Values come out as text: shared and inline strings as they are, numbers in their shortest
 * form (`4.2`, not `4.2000000000000002`), date-formatted numbers as `YYYY-MM-DD` or
 * `YYYY-MM-DD HH:MM:SS` [INFER: F&O's own exports write `2011-01-31 00:00:00`], booleans as
 * TRUE/FALSE, errors as their code (`#N/A`). Entirely empty rows are skipped.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ZipArchive } from '../../packages/zip/zipReader';
import type { DetectedEncoding } from '../encoding';
import { InputFileError } from '../inputError';
import type { InputLocation } from '../inputError';
import type { ByteSource, ReadOptions } from '../rows';
import { TextRowReader } from '../textRowReader';
import { detectXmlEncoding } from '../xml/xmlEncoding';
import { parseXmlDocument } from '../xml/xmlTree';
import type { XmlElement } from '../../../../shared/domain/package/xml';
import { localName } from '../../../../shared/domain/package/xml';
import { XlsxXmlScanner } from './xlsxScanner';
import { unescapeXstring } from './xstring';
import type { XlsxXmlHandler } from './xlsxScanner';
import { INPUT_LIMITS, formatLimit } from '../limits';

export interface XlsxReadOptions extends ReadOptions {
  /** Worksheet name (case-insensitive); default the first sheet. A trailing `$` is ignored. */
  readonly sheet?: string;
  /** Whether the first non-empty row is the header (default true). */
  readonly headerRow?: boolean;
  /** Cap on the characters of the shared-string table (default INPUT_LIMITS.sharedStringChars). */
  readonly maxSharedStringChars?: number;
  /** Cap on the entries of the shared-string table (default INPUT_LIMITS.sharedStrings). */
  readonly maxSharedStrings?: number;
  readonly onBytes?: (bytesRead: number, total: number | undefined) => void;
}

export interface XlsxInfo extends Readonly<Record<string, string | number | boolean>> {
  readonly sheet: string;
  readonly sheets: string;
  readonly sharedStrings: number;
  readonly date1904: boolean;
}

/** Workbook parts (workbook.xml, styles.xml, rels) are small; refuse anything bigger than this. */
const MAX_PART_BYTES = 32 * 1024 * 1024;
/** Zip entries up to this size are read into memory instead of spooled to a temp file. */
const IN_MEMORY_BYTES = 32 * 1024 * 1024;
/** Excel's last column is XFD: a cell reference beyond it is damage, not data. */
const EXCEL_COLUMNS = 16_384;

export async function openXlsxReader(source: ByteSource, options: XlsxReadOptions = {}): Promise<XlsxRowReader> {
  const local = await materialize(source);
  let archive: ZipArchive | undefined;
  try {
    const name = source.location.entry ?? source.location.file;
    archive =
      'path' in local
        ? await ZipArchive.open(local.path, { displayName: name })
        : await ZipArchive.fromBuffer(local.buffer, { displayName: name });
    const book = await readWorkbook(archive, source.location, options);
    const reader = new XlsxRowReader(archive, book, source.location, options, local.cleanup);
    await reader.start();
    return reader;
  } catch (error) {
    archive?.close();
    await local.cleanup();
    if (error instanceof InputFileError && error.details.file !== source.location.file) {
      // Errors from the inner zip name the xlsx; say which package it is in.
      throw new InputFileError(
        { ...source.location, ...(error.details.line ? { line: error.details.line } : {}) },
        error.message,
        { cause: error },
      );
    }
    throw error;
  }
}

interface Workbook {
  readonly sheetName: string;
  readonly sheetNames: readonly string[];
  readonly sheetPath: string;
  readonly shared: readonly string[];
  readonly dateStyles: ReadonlySet<number>;
  readonly date1904: boolean;
}

export class XlsxRowReader extends TextRowReader implements XlsxXmlHandler {
  info: XlsxInfo;
  private scanner: XlsxXmlScanner | undefined;
  private headerPending: boolean;
  // Current row and cell while streaming.
  private rowNumber = 0;
  private rowCells: string[] = [];
  private rowHasValue = false;
  private cellColumn = -1;
  private cellType = '';
  private cellStyle = 0;
  private text = '';
  private inValue = false;
  private inInline = false;
  private inPhonetic = false;
  private nextColumn = 0;

  constructor(
    private readonly archive: ZipArchive,
    private readonly book: Workbook,
    location: InputLocation,
    private readonly options: XlsxReadOptions,
    private readonly cleanup: () => Promise<void>,
  ) {
    super(
      { location, size: archive.find(book.sheetPath)?.size ?? 0, open: () => archive.openEntry(book.sheetPath) },
      {
        ...options,
      },
    );
    this.headerPending = options.headerRow ?? true;
    this.info = {
      sheet: book.sheetName,
      sheets: book.sheetNames.join(', '),
      sharedStrings: book.shared.length,
      date1904: book.date1904,
    };
  }

  async start(): Promise<void> {
    await this.open();
    await this.readWhile(() => this.headerPending);
    this.headerPending = false;
  }

  override async close(): Promise<void> {
    await super.close();
    this.archive.close();
    await this.cleanup();
  }

  protected override detect(head: Uint8Array): DetectedEncoding {
    return detectXmlEncoding(head);
  }

  /** The sheet is XML Excel wrote: bytes that do not decode are damage, not a row to flag. */
  protected override lenientDecoding(): boolean {
    return false;
  }

  protected get between(): boolean {
    return true;
  }

  protected begin(): void {
    this.scanner = new XlsxXmlScanner(this.location, this);
  }

  protected lineAfter(): number {
    return this.rowNumber || 1;
  }

  protected consume(text: string, final: boolean): void {
    if (!this.scanner) return;
    this.scanner.write(text);
    if (final) this.scanner.end();
  }

  /** Text is read in a value and in an inline string, not in its phonetic runs. */
  get collecting(): boolean {
    return this.inValue || (this.inInline && !this.inPhonetic);
  }

  onOpen(name: string, scanner: XlsxXmlScanner): void {
    switch (name) {
      case 'row': {
        const r = Number(scanner.attribute('r'));
        this.rowNumber = Number.isInteger(r) && r > 0 ? r : this.rowNumber + 1;
        this.rowCells = [];
        this.rowHasValue = false;
        this.nextColumn = 0;
        break;
      }
      case 'c': {
        this.cellColumn = scanner.columnOf('r');
        if (this.cellColumn < 0) this.cellColumn = this.nextColumn;
        if (this.cellColumn >= Math.min(EXCEL_COLUMNS, INPUT_LIMITS.fieldsPerRecord)) {
          throw new InputFileError(
            { ...this.location, line: this.rowNumber },
            this.cellColumn >= EXCEL_COLUMNS
              ? `has a cell (${scanner.attribute('r') ?? 'without a reference'}) beyond Excel's last column XFD. The workbook is damaged: re-save it in Excel.`
              : `has a value in column ${formatLimit(this.cellColumn + 1)}; the workbench reads at most ${formatLimit(INPUT_LIMITS.fieldsPerRecord)} columns. Remove the columns that are not data, or save the sheet as CSV.`,
          );
        }
        this.nextColumn = this.cellColumn + 1;
        this.cellType = scanner.attribute('t') ?? 'n';
        this.cellStyle = Number(scanner.attribute('s') ?? 0) || 0;
        this.text = '';
        break;
      }
      case 'v':
        this.inValue = true;
        break;
      case 'is':
        this.inInline = true;
        break;
      case 'rPh':
        this.inPhonetic = true;
        break;
    }
  }

  onText(text: string): void {
    this.text += text;
    if (this.text.length > INPUT_LIMITS.fieldChars) {
      throw new InputFileError(
        { ...this.location, line: this.rowNumber },
        `has a cell longer than ${formatLimit(INPUT_LIMITS.fieldChars)} characters, the most the workbench reads in one value (an Excel cell holds 32,767).`,
      );
    }
  }

  onClose(name: string): void {
    switch (name) {
      case 'v':
        this.inValue = false;
        break;
      case 'is':
        this.inInline = false;
        break;
      case 'rPh':
        this.inPhonetic = false;
        break;
      case 'c': {
        const value = this.cellValue();
        if (value !== '') {
          this.rowCells[this.cellColumn] = value;
          this.rowHasValue = true;
        }
        break;
      }
      case 'row':
        if (this.rowHasValue) this.onRow();
        break;
    }
  }

  private cellValue(): string {
    const raw = this.text;
    switch (this.cellType) {
      case 's': {
        const index = Number(raw);
        const value = this.book.shared[index];
        if (value === undefined) {
          throw new InputFileError(
            { ...this.location, line: this.rowNumber },
            `refers to shared string ${raw}, which sharedStrings.xml does not have. The workbook is damaged: re-save it in Excel.`,
          );
        }
        return value;
      }
      case 'inlineStr':
      case 'str':
        return unescapeXstring(raw);
      case 'e':
        return raw;
      case 'b':
        return raw === '1' ? 'TRUE' : raw === '0' ? 'FALSE' : raw;
      case 'd':
        return raw.replace('T', ' ').replace(/(\.\d+)?Z?$/, '');
      default: {
        if (raw === '') return '';
        const n = Number(raw);
        if (!Number.isFinite(n)) return raw;
        if (this.book.dateStyles.has(this.cellStyle)) return excelSerialToText(n, this.book.date1904);
        return String(n);
      }
    }
  }

  private onRow(): void {
    const cells = this.rowCells;
    if (this.headerPending) {
      this.headerPending = false;
      if (this.options.headerRow !== false) {
        this.columns = Array.from({ length: cells.length }, (_, i) => (cells[i] ?? '').trim());
        return;
      }
    }
    if (this.columns.length === 0) this.columns = Array.from({ length: cells.length }, (_, i) => `COLUMN${i + 1}`);
    const report = this.options.onProblem;
    let keep = this.options.ragged === 'keep';
    if (cells.length > this.columns.length && !keep) {
      const message = `row ${this.rowNumber} of sheet "${this.book.sheetName}" has a value in column ${cells.length}, but the header has ${this.columns.length} columns. Add a header for it or clear the cell.`;
      if (!report)
        throw new InputFileError(
          { ...this.location, line: this.rowNumber, row: this.nextRowNumber, column: cells.length },
          message,
        );
      const extra = cells.slice(this.columns.length).filter((c) => c !== undefined && c !== '');
      report({
        kind: 'columns',
        row: this.nextRowNumber,
        line: this.rowNumber,
        column: cells.length,
        message: `${message} Beyond the header: ${extra
          .slice(0, 5)
          .map((c) => JSON.stringify(c.length > 60 ? `${c.slice(0, 60)}…` : c))
          .join(', ')}${extra.length > 5 ? ', …' : ''}.`,
      });
      keep = true;
    }
    const width = keep ? Math.max(cells.length, this.columns.length) : this.columns.length;
    const fields = new Array<string>(width);
    for (let i = 0; i < width; i++) fields[i] = cells[i] ?? '';
    this.emitRow(fields, this.rowNumber);
  }
}

/** Excel serial date (days since 1899-12-30, or 1904-01-01) as text. */
export function excelSerialToText(serial: number, date1904: boolean): string {
  const epoch = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30);
  const ms = Math.round((serial * 86400000) / 1000) * 1000;
  const d = new Date(epoch + ms);
  // Beyond the dates JavaScript (and F&O) can hold: the number itself, as the cell has it.
  if (!Number.isFinite(d.getTime()) || d.getUTCFullYear() > 9999) return String(serial);
  const date = d.toISOString().slice(0, 10);
  if (Number.isInteger(serial)) return date;
  return `${date} ${d.toISOString().slice(11, 19)}`;
}

// ---------------------------------------------------------------------------------------------
// Workbook parts

async function readWorkbook(archive: ZipArchive, location: InputLocation, options: XlsxReadOptions): Promise<Workbook> {
  const part = async (name: string): Promise<XmlElement | undefined> => {
    const found = archive.find(name) ?? archive.entries.find((e) => e.name.toLowerCase() === name.toLowerCase());
    if (!found) return undefined;
    const bytes = await archive.readEntry(found.name, MAX_PART_BYTES);
    return parseXmlDocument(bytes, partOf(location, found.name)).root;
  };
  const workbook = await part('xl/workbook.xml');
  if (!workbook) {
    throw new InputFileError(
      location,
      'is not an Excel workbook (no xl/workbook.xml). Save it as an Excel Workbook (.xlsx), not .xls or .xlsb.',
    );
  }
  const sheets = children(workbook, 'sheets').flatMap((s) => children(s, 'sheet'));
  if (sheets.length === 0) throw new InputFileError(location, 'has no worksheets.');
  const sheetNames = sheets.map((s) => attr(s, 'name') ?? '');
  const wanted = options.sheet?.replace(/\$$/, '');
  const sheet =
    wanted === undefined
      ? sheets[0]
      : sheets.find((s) => (attr(s, 'name') ?? '').toLowerCase() === wanted.toLowerCase());
  if (!sheet) {
    throw new InputFileError(
      location,
      `has no worksheet "${wanted}" (it has ${sheetNames.map((n) => `"${n}"`).join(', ')}). Fix ExcelSheetName in the manifest or rename the sheet.`,
    );
  }
  const relId = Object.entries(attrs(sheet)).find(([k]) => localName(k) === 'id' && k !== 'id')?.[1];
  const rels = await part('xl/_rels/workbook.xml.rels');
  const target = rels && relId ? children(rels, 'Relationship').find((r) => attr(r, 'Id') === relId) : undefined;
  const targetPath = target ? attr(target, 'Target') : undefined;
  const sheetPath = targetPath
    ? targetPath.startsWith('/')
      ? targetPath.slice(1)
      : normalizePath(`xl/${targetPath}`)
    : `xl/worksheets/sheet${sheets.indexOf(sheet) + 1}.xml`;
  if (!archive.find(sheetPath))
    throw new InputFileError(
      location,
      `is damaged: the sheet "${attr(sheet, 'name')}" points to ${sheetPath}, which is missing.`,
    );
  const date1904 = children(workbook, 'workbookPr').some((p) => ['1', 'true'].includes(attr(p, 'date1904') ?? ''));
  const styles = await part('xl/styles.xml');
  const shared = await readSharedStrings(archive, location, {
    entries: options.maxSharedStrings ?? INPUT_LIMITS.sharedStrings,
    chars: options.maxSharedStringChars ?? INPUT_LIMITS.sharedStringChars,
  });
  return {
    sheetName: attr(sheet, 'name') ?? '',
    sheetNames,
    sheetPath,
    shared,
    dateStyles: styles ? dateStyleIndexes(styles) : new Set(),
    date1904,
  };
}

const SI = Buffer.from('si');
/** `<si` or `:si` (a prefixed tag) followed by `>`, `/` or white space. */
function isEntryStart(bytes: Buffer, at: number): boolean {
  const before = bytes[at - 1];
  const after = bytes[at + 2];
  return (
    (before === 0x3c || before === 0x3a) &&
    (after === 0x3e || after === 0x2f || after === 0x20 || after === 0x09 || after === 0x0a || after === 0x0d)
  );
}

/** Where a part of the workbook is: `Customers.xlsx › xl/sharedStrings.xml` (in a package: `p.zip › Customers.xlsx › …`). */
function partOf(location: InputLocation, part: string): InputLocation {
  return { ...location, entry: location.entry === undefined ? part : `${location.entry} › ${part}` };
}

/**
 * The start tags of shared-string entries in the part, counted over its bytes (markup cannot hide
 * in text: a `<` there is `&lt;`; a prefixed name may count a few extra, never fewer).
 */
async function countSharedStringEntries(archive: ZipArchive, name: string, stopAbove: number): Promise<number> {
  let count = 0;
  let carry = Buffer.alloc(0);
  for await (const chunk of await archive.openEntry(name)) {
    // The last 4 bytes of a chunk are looked at again with the next one, so no tag is split.
    const bytes = carry.length === 0 ? (chunk as Buffer) : Buffer.concat([carry, chunk as Buffer]);
    const end = bytes.length - 3;
    // A plain loop, not indexOf: a table of empty entries has a match every 5 bytes, and a call
    // per match was ten times slower (4.5 M `<si/>`: 300 ms against 30 ms).
    for (let at = 1; at < end; at++) {
      if (bytes[at] === 0x73 && bytes[at + 1] === 0x69 && isEntryStart(bytes, at)) count++;
    }
    // Past the limit the table is refused: the rest need not be read.
    if (count > stopAbove) return count;
    carry = Buffer.from(bytes.subarray(Math.max(0, end - 1)));
  }
  const last = Buffer.concat([carry, Buffer.from(' ')]);
  for (let at = last.indexOf(SI, 1); at !== -1 && at < last.length - 2; at = last.indexOf(SI, at + 1)) {
    if (isEntryStart(last, at)) count++;
  }
  return count;
}

/**
 * Streams sharedStrings.xml into an array (rich-text runs joined, phonetic runs dropped), within
 * its limits: entries (an empty `<si/>` costs a slot: 3 MB of them once made a 2 GB array and
 * killed the process), characters of all entries, characters of one entry.
 */
async function readSharedStrings(
  archive: ZipArchive,
  location: InputLocation,
  max: { readonly entries: number; readonly chars: number },
): Promise<string[]> {
  const entry = archive.entries.find((e) => e.name.toLowerCase() === 'xl/sharedstrings.xml');
  if (!entry) return [];
  const where = partOf(location, entry.name);
  const tooMany = (what: string) =>
    new InputFileError(
      where,
      `holds more than ${what} of shared strings, the most the workbench reads. Save the sheet as CSV for data this large.`,
    );
  // Even at the tokenizer's speed a table of millions of empty entries would take longer than the
  // person waits to be refused. Entries are counted first, over the bytes, when the part is big enough to hold more than the limit (`<si/>` is 5 bytes).
  if (entry.size > max.entries * 5 && (await countSharedStringEntries(archive, entry.name, max.entries)) > max.entries)
    throw tooMany(`${formatLimit(max.entries)} entries`);
  const strings: string[] = [];
  let chars = 0;
  let current = '';
  let inSi = false;
  let inT = false;
  let inPhonetic = false;
  const scanner = new XlsxXmlScanner(where, {
    get collecting() {
      return inSi && inT && !inPhonetic;
    },
    onOpen(name, tag) {
      if (name === 'si') {
        inSi = true;
        current = '';
      } else if (name === 't') inT = true;
      else if (name === 'rPh') inPhonetic = true;
      else if (name === 'sst') {
        // Excel writes the count up front: a table announced over the limit is refused before it is read.
        const announced = Number(tag.attribute('uniqueCount'));
        if (Number.isFinite(announced) && announced > max.entries) throw tooMany(`${formatLimit(max.entries)} entries`);
      }
    },
    onText(t) {
      current += t;
      if (current.length > INPUT_LIMITS.fieldChars) {
        throw new InputFileError(
          where,
          `has a shared string longer than ${formatLimit(INPUT_LIMITS.fieldChars)} characters, the most the workbench reads in one value (an Excel cell holds 32,767). The workbook is damaged, or was not made by Excel.`,
        );
      }
    },
    onClose(name) {
      if (name === 'si') {
        inSi = false;
        if (strings.length >= max.entries) throw tooMany(`${formatLimit(max.entries)} entries`);
        chars += current.length;
        if (chars > max.chars) throw tooMany(`${formatLimit(max.chars)} characters`);
        strings.push(unescapeXstring(current));
      } else if (name === 't') inT = false;
      else if (name === 'rPh') inPhonetic = false;
    },
  });
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of await archive.openEntry(entry.name))
      scanner.write(decoder.decode(chunk as Buffer, { stream: true }));
    scanner.write(decoder.decode());
  } catch (error) {
    if (error instanceof InputFileError) throw error;
    throw new InputFileError(
      where,
      `is not valid UTF-8 XML (${error instanceof Error ? error.message : String(error)}). Re-save the workbook in Excel.`,
      { cause: error },
    );
  }
  scanner.end();
  return strings;
}

/** Built-in number formats that are dates or times (ECMA-376 §18.8.30). */
const BUILTIN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 30, 36, 45, 46, 47, 50, 57]);

/** Indexes into cellXfs whose number format shows a date or time. */
function dateStyleIndexes(styles: XmlElement): Set<number> {
  const custom = new Map<number, string>();
  for (const list of children(styles, 'numFmts')) {
    for (const f of children(list, 'numFmt')) custom.set(Number(attr(f, 'numFmtId')), attr(f, 'formatCode') ?? '');
  }
  const result = new Set<number>();
  const xfs = children(styles, 'cellXfs').flatMap((x) => children(x, 'xf'));
  xfs.forEach((xf, index) => {
    const id = Number(attr(xf, 'numFmtId') ?? 0);
    const code = custom.get(id);
    if (code !== undefined ? isDateFormat(code) : BUILTIN_DATE_FORMATS.has(id)) result.add(index);
  });
  return result;
}

/** A format code shows a date when, outside quotes, brackets and escapes, it has d, m, y, h or s. */
function isDateFormat(code: string): boolean {
  const stripped = code.replace(/"[^"]*"|\[[^\]]*\]|\\.|_.|\*./g, '');
  return /[dmyhs]/i.test(stripped) && !/^[#0.,%\s]*$/.test(stripped);
}

function children(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((c): c is XmlElement => typeof c !== 'string' && localName(c.name) === name);
}

function attrs(element: XmlElement): Record<string, string> {
  return Object.fromEntries(element.attributes.map((a) => [a.name, a.value]));
}

function attr(element: XmlElement, name: string): string | undefined {
  return element.attributes.find((a) => a.name === name)?.value;
}

function normalizePath(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '..') out.pop();
    else if (part !== '.' && part !== '') out.push(part);
  }
  return out.join('/');
}

/** The xlsx as something yauzl can seek in: the file itself, a buffer, or a temp copy. */
async function materialize(
  source: ByteSource,
): Promise<({ path: string } | { buffer: Buffer }) & { cleanup: () => Promise<void> }> {
  const none = async () => undefined;
  if (source.path) return { path: source.path, cleanup: none };
  if (source.size !== undefined && source.size <= IN_MEMORY_BYTES) {
    const chunks: Buffer[] = [];
    for await (const chunk of await source.open()) chunks.push(chunk as Buffer);
    return { buffer: Buffer.concat(chunks), cleanup: none };
  }
  const dir = await mkdtemp(join(tmpdir(), 'dmfw-xlsx-'));
  const path = join(dir, 'workbook.xlsx');
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    await pipeline(await source.open(), createWriteStream(path));
  } catch (error) {
    await cleanup();
    throw error;
  }
  return { path, cleanup };
}
