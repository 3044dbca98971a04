/**
 * Streaming writer for XML-Attribute and XML-Element data files, in the shape of Microsoft's
 * samples: UTF-8 with a BOM and a declaration, `<Document>` root, one record element per row
 * indented by two spaces, `<X … />` with the space as .NET's XmlWriter writes it. [INFER] CRLF
 * line ends (XmlWriter's default on Windows). XML-Attribute writes every field, empty ones as
 * `""`; XML-Element writes `<FIELD />` for an empty value.
 */
import type { Writable } from 'node:stream';
import { InputFileError } from '../inputError';
import type { RowWriter } from '../rows';
import { createTextRowWriter } from '../textRowWriter';
import { WritableSink } from '../writableSink';
import { escapeXmlAttribute, escapeXmlText, illegalXmlCharProblem, isXmlName } from './xmlText';
import type { XmlStyle } from './xmlReader';

export interface XmlWriterOptions {
  readonly columns: readonly string[];
  readonly file: string;
  readonly style: XmlStyle;
  /** The record element: F&O writes the entity name, upper case by default. */
  readonly recordElement: string;
}

const NL = '\r\n';

export function createXmlWriter(out: Writable, options: XmlWriterOptions): RowWriter {
  const { columns, file, style, recordElement } = options;
  if (!isXmlName(recordElement)) {
    throw new InputFileError(
      { file },
      `"${recordElement}" cannot be an XML element name. Use the entity name (letters, digits, _).`,
    );
  }
  columns.forEach((c, i) => {
    if (!isXmlName(c)) {
      throw new InputFileError(
        { file, row: 0, column: i + 1 },
        `the column "${c}" cannot be an XML ${style === 'attribute' ? 'attribute' : 'element'} name. Rename it to the staging field name (letters, digits, _).`,
      );
    }
  });
  const value = (v: string, row: number, column: number): string => {
    const problem = illegalXmlCharProblem(v);
    if (problem) throw new InputFileError({ file, row, column }, `the value of ${columns[column - 1]} ${problem}`);
    return v;
  };

  const record = (cells: readonly string[], row: number): string => {
    if (style === 'attribute') {
      let s = `  <${recordElement}`;
      for (let c = 0; c < columns.length; c++)
        s += ` ${columns[c]}="${escapeXmlAttribute(value(cells[c] ?? '', row, c + 1))}"`;
      return `${s} />${NL}`;
    }
    let s = `  <${recordElement}>${NL}`;
    for (let c = 0; c < columns.length; c++) {
      const v = value(cells[c] ?? '', row, c + 1);
      s += v === '' ? `    <${columns[c]} />${NL}` : `    <${columns[c]}>${escapeXmlText(v)}</${columns[c]}>${NL}`;
    }
    return `${s}  </${recordElement}>${NL}`;
  };

  return createTextRowWriter(new WritableSink(out), columns, file, {
    async begin(sink) {
      await sink.write(Buffer.from([0xef, 0xbb, 0xbf]));
      return `<?xml version="1.0" encoding="utf-8"?>${NL}<Document>${NL}`;
    },
    row: record,
    end: () => `</Document>${NL}`,
    encode: (text) => Buffer.from(text, 'utf8'),
  });
}
