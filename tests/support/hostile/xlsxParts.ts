/**
 * An .xlsx built part by part, for workbooks no spreadsheet writes: millions of shared strings,
 * huge cells, lying counts, broken references. The parts not given are the smallest valid ones.
 */
import { rawZip } from '../rawZip';

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

export interface XlsxParts {
  /** The `<sheetData>` content (rows). Default: a header and one row of inline strings. */
  readonly sheet?: string;
  /** The whole sharedStrings.xml (omitted when not given). */
  readonly sharedStrings?: string;
  /** The whole styles.xml (omitted when not given). */
  readonly styles?: string;
  /** The whole workbook.xml (default: one sheet named Sheet1). */
  readonly workbook?: string;
  /** Other entries to add as they are. */
  readonly extra?: readonly { readonly name: string; readonly data: Buffer }[];
}

export const DEFAULT_SHEET =
  '<row r="1"><c r="A1" t="inlineStr"><is><t>CUSTOMERACCOUNT</t></is></c><c r="B1" t="inlineStr"><is><t>ORGANIZATIONNAME</t></is></c></row>' +
  '<row r="2"><c r="A2" t="inlineStr"><is><t>C001</t></is></c><c r="B2" t="inlineStr"><is><t>Contoso</t></is></c></row>';

export function minimalXlsx(parts: XlsxParts = {}): Buffer {
  const entries = [
    {
      name: '[Content_Types].xml',
      data: Buffer.from(
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
          '<Default Extension="xml" ContentType="application/xml"/></Types>',
      ),
    },
    {
      name: 'xl/workbook.xml',
      data: Buffer.from(
        parts.workbook ??
          `<workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      ),
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: Buffer.from(
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
          `<Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
      ),
    },
    {
      name: 'xl/worksheets/sheet1.xml',
      data: Buffer.from(
        `<worksheet xmlns="${MAIN}"><sheetData>${parts.sheet ?? DEFAULT_SHEET}</sheetData></worksheet>`,
      ),
    },
    ...(parts.sharedStrings === undefined
      ? []
      : [{ name: 'xl/sharedStrings.xml', data: Buffer.from(parts.sharedStrings) }]),
    ...(parts.styles === undefined ? [] : [{ name: 'xl/styles.xml', data: Buffer.from(parts.styles) }]),
    ...(parts.extra ?? []),
  ];
  return rawZip(entries);
}
