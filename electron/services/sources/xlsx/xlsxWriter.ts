/**
 * Streaming .xlsx writer in the shape F&O exports (dmf-reference.md §1.5, checked against the
 * real package in ../shared/fixtures/real): one worksheet named after the entity, every cell an
 * inline string (`t="inlineStr"`, `s="0"`), no sharedStrings.xml, empty values left out (no
 * `<c>`), `outlineLevel="0"` rows, and a workbook defined name equal to the sheet name covering
 * the header row. The sheet is streamed into the inner zip, so memory does not grow with rows.
 *
 * Differences from F&O's files, on purpose: no `<dimension>` (the row count is not known until
 * the end of a stream; the element is optional), no theme part and no thumbnail.wmf (F&O's
 * Access-made thumbnail; neither is needed to open or import the workbook).
 */
import type { Writable } from 'node:stream';
import { ZipWriter } from '../../packages/zip/zipWriter';
import { InputFileError } from '../inputError';
import type { RowWriter } from '../rows';
import { createTextRowWriter } from '../textRowWriter';
import { WritableSink } from '../writableSink';
import { escapeXmlAttribute, escapeXmlText, illegalXmlCharProblem } from '../xml/xmlText';
import { columnLetters } from './cellRefs';
import { escapeXstring } from './xstring';
import { looksLikeFormula } from '../../../../shared/domain/dialects/formulas';

export interface XlsxWriterOptions {
  readonly columns: readonly string[];
  readonly file: string;
  /** The worksheet name; F&O uses excelSheetName(label). */
  readonly sheetName: string;
  /** Stamped on the zip entries and docProps (default: now). */
  readonly created?: Date;
  /**
   * For a person's spreadsheet: a formula-looking value keeps its text exactly and gets the
   * "quote prefix" style (Excel's own way of saying "this is text", kept when the cell is edited).
   * Our cells are inline strings, which Excel never evaluates on open; the prefix keeps them text.
   */
  readonly neutralizeFormulas?: boolean;
}

/** Excel's limits. DMF's own limit on columns is lower (255, DMF2009); lint reports that. */
export const XLSX_MAX_ROWS = 1_048_576;
export const XLSX_MAX_COLUMNS = 16_384;
export const XLSX_MAX_CELL_CHARS = 32_767;

const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n';

export function createXlsxWriter(out: Writable, options: XlsxWriterOptions): RowWriter {
  const { columns, file, sheetName } = options;
  if (columns.length === 0) throw new InputFileError({ file }, 'has no columns to write.');
  if (columns.length > XLSX_MAX_COLUMNS) {
    throw new InputFileError(
      { file },
      `has ${columns.length} columns; a worksheet holds at most ${XLSX_MAX_COLUMNS}. Use CSV.`,
    );
  }
  const created = options.created ?? new Date();
  const letters = columns.map((_, i) => columnLetters(i));
  const zip = ZipWriter.toStream(out, { mtime: created });
  const stamp = created.toISOString().replace(/\.\d{3}Z$/, 'Z');
  zip.addBuffer('[Content_Types].xml', Buffer.from(contentTypes(), 'utf8'));
  zip.addBuffer('_rels/.rels', Buffer.from(rootRels(), 'utf8'));
  zip.addBuffer('xl/_rels/workbook.xml.rels', Buffer.from(workbookRels(), 'utf8'));
  const guard = options.neutralizeFormulas === true;
  let neutralized = 0;
  zip.addBuffer('xl/styles.xml', Buffer.from(styles(guard), 'utf8'));
  zip.addBuffer('docProps/core.xml', Buffer.from(coreProps(stamp), 'utf8'));
  zip.addBuffer('docProps/app.xml', Buffer.from(appProps(sheetName), 'utf8'));
  zip.addBuffer('xl/workbook.xml', Buffer.from(workbook(sheetName, columnLetters(columns.length - 1)), 'utf8'));
  const sheetEntry = zip.openEntry('xl/worksheets/sheet1.xml');
  const cell = (v: string, letter: string, r: number, dataRow: number, column: number): string => {
    const problem = illegalXmlCharProblem(v);
    if (problem)
      throw new InputFileError({ file, row: dataRow, column }, `the value of ${columns[column - 1]} ${problem}`);
    if (v.length > XLSX_MAX_CELL_CHARS) {
      throw new InputFileError(
        { file, row: dataRow, column },
        `the value of ${columns[column - 1]} has ${v.length} characters; an Excel cell holds at most ${XLSX_MAX_CELL_CHARS}. Use CSV.`,
      );
    }
    const space = v.trim() !== v || v.includes('\n') ? ' xml:space="preserve"' : '';
    const quoted = guard && dataRow > 0 && looksLikeFormula(v);
    if (quoted) neutralized++;
    return `<c r="${letter}${r}" s="${quoted ? 1 : 0}" t="inlineStr"><is><t${space}>${escapeXmlText(escapeXstring(v))}</t></is></c>`;
  };

  /** Sheet row `r` (the header is row 1, data row n is row n + 1); empty values get no cell. */
  const row = (cells: readonly string[], dataRow: number): string => {
    const r = dataRow + 1;
    let s = `<row outlineLevel="0" r="${r}">`;
    for (let c = 0; c < cells.length; c++) {
      const v = cells[c] ?? '';
      if (v !== '') s += cell(v, letters[c] ?? columnLetters(c), r, dataRow, c + 1);
    }
    return `${s}</row>`;
  };

  const rows = createTextRowWriter(new WritableSink(sheetEntry.stream), columns, file, {
    begin: async () =>
      `<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheetViews><sheetView tabSelected="1" workbookViewId="0" rightToLeft="false">` +
      '<selection activeCell="A1" sqref="A1"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/><sheetData>' +
      row(columns, 0),
    row,
    end: () =>
      '</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>',
    encode: (text) => Buffer.from(text, 'utf8'),
    maxRows: {
      rows: XLSX_MAX_ROWS - 1,
      message: `a worksheet holds at most ${XLSX_MAX_ROWS.toLocaleString('en-US')} rows. Use CSV for bigger entities.`,
    },
  });

  return {
    columns,
    get rowsWritten() {
      return rows.rowsWritten;
    },
    get neutralized() {
      return neutralized;
    },
    write: (batch) => rows.write(batch),
    async end() {
      await rows.end();
      await zip.finish();
    },
  };
}

function contentTypes(): string {
  const ct = 'application/vnd.openxmlformats-officedocument';
  return (
    `${DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    `<Override PartName="/xl/styles.xml" ContentType="${ct}.spreadsheetml.styles+xml"/>` +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    `<Override PartName="/xl/workbook.xml" ContentType="${ct}.spreadsheetml.sheet.main+xml"/>` +
    `<Override PartName="/docProps/app.xml" ContentType="${ct}.extended-properties+xml"/>` +
    `<Override PartName="/xl/worksheets/sheet1.xml" ContentType="${ct}.spreadsheetml.worksheet+xml"/>` +
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
    '</Types>'
  );
}

function rootRels(): string {
  return (
    `${DECL}<Relationships xmlns="${PKG_REL_NS}">` +
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>' +
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>' +
    '<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>' +
    '</Relationships>'
  );
}

function workbookRels(): string {
  return (
    `${DECL}<Relationships xmlns="${PKG_REL_NS}">` +
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>' +
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
    '</Relationships>'
  );
}

/** F&O's one style; with `quotePrefix`, a second one (index 1) for cells that must stay text. */
function styles(quotePrefix: boolean): string {
  return (
    `<styleSheet xmlns="${MAIN_NS}"><fonts count="1"><font><sz val="11"/><color rgb="FF000000"/><name val="Calibri"/><family val="2"/></font></fonts>` +
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
    (quotePrefix
      ? '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/></cellXfs>'
      : '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>') +
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles><dxfs count="0"/>' +
    '<tableStyles count="0" defaultTableStyle="TableStyleMedium9" defaultPivotStyle="PivotStyleLight16"/></styleSheet>'
  );
}

function coreProps(stamp: string): string {
  return (
    `${DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
    '<dc:creator>DMF Workbench</dc:creator><cp:lastModifiedBy>DMF Workbench</cp:lastModifiedBy>' +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${stamp}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${stamp}</dcterms:modified></cp:coreProperties>`
  );
}

function appProps(sheetName: string): string {
  return (
    `${DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">` +
    '<Application>DMF Workbench</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>' +
    '<HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant><vt:variant><vt:i4>1</vt:i4></vt:variant></vt:vector></HeadingPairs>' +
    `<TitlesOfParts><vt:vector size="1" baseType="lpstr"><vt:lpstr>${escapeXmlText(sheetName)}</vt:lpstr></vt:vector></TitlesOfParts>` +
    '<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged><AppVersion>12.0000</AppVersion></Properties>'
  );
}

/** The workbook with one sheet and, as F&O writes, a defined name equal to the sheet over the header row. */
function workbook(sheetName: string, lastColumn: string): string {
  const name = escapeXmlAttribute(sheetName);
  const quoted = escapeXmlText(`'${sheetName.replace(/'/g, "''")}'`);
  return (
    `<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><fileVersion appName="xl" lastEdited="4" lowestEdited="4" rupBuild="4505"/>` +
    '<workbookPr defaultThemeVersion="124226"/><bookViews><workbookView xWindow="120" yWindow="90" windowWidth="23895" windowHeight="14535"/></bookViews>' +
    `<sheets><sheet sheetId="1" r:id="rId1" name="${name}"/></sheets>` +
    `<definedNames><definedName name="${name}">${quoted}!$A$1:$${lastColumn}$1</definedName></definedNames>` +
    '<calcPr calcId="125725" fullCalcOnLoad="true"/></workbook>'
  );
}
