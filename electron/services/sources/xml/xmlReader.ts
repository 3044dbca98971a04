/**
 * Streaming reader for DMF's XML data files (dmf-reference.md §1.6):
 *   XML-Attribute: <Document><ENTITY FIELD1="…" FIELD2="…" />…</Document>
 *   XML-Element:   <Document><ENTITY><FIELD1>…</FIELD1>…</ENTITY>…</Document>
 * A record is a child of the root; a missing attribute or element is an empty value. Without
 * `columns`, a first streaming pass collects the field names in order of first appearance (the
 * source is opened twice; memory stays bounded either way). Composite-entity XML (records
 * nested deeper) is not a table and is refused with a clear error.
 */
import { canonicalEncoding } from '../../../../shared/domain/dialects/csvDialect';
import type { DetectedEncoding } from '../encoding';
import { InputFileError } from '../inputError';
import type { InputLocation } from '../inputError';
import type { ByteSource } from '../rows';
import { countLineBreaks } from '../csv/csvParser';
import { TextRowReader } from '../textRowReader';
import type { TextReadOptions } from '../textRowReader';
import { createSafeSaxParser, feed, finish } from './safeSax';
import type { PlainSaxesParser } from './safeSax';
import { detectXmlEncoding } from './xmlEncoding';
import { INPUT_LIMITS, formatLimit } from '../limits';

export type XmlStyle = 'attribute' | 'element';

export interface XmlReadOptions extends TextReadOptions {
  readonly style: XmlStyle;
  /** The field names, in the order rows should have; skips the first pass. */
  readonly columns?: readonly string[];
}

export interface XmlInfo extends Readonly<Record<string, string | number | boolean>> {
  readonly encoding: string;
  readonly bom: boolean;
  readonly style: XmlStyle;
  readonly rootElement: string;
  readonly recordElement: string;
}

export async function openXmlReader(source: ByteSource, options: XmlReadOptions): Promise<XmlRowReader> {
  const columns = options.columns ?? (await collectFieldNames(source, options));
  const reader = new XmlRowReader(source, options, columns);
  await reader.start();
  return reader;
}

/** The first pass: every field name in order of first appearance. */
async function collectFieldNames(source: ByteSource, options: XmlReadOptions): Promise<string[]> {
  const scan = new XmlRowReader(source, { ...options, onBytes: undefined, tap: undefined }, undefined);
  await scan.start();
  try {
    for await (const _batch of scan) {
      // Rows are not needed, only the names the scan collects.
    }
  } finally {
    await scan.close();
  }
  return scan.columns.slice();
}

export class XmlRowReader extends TextRowReader {
  info!: XmlInfo;
  private parser: PlainSaxesParser | undefined;
  private readonly fixed: boolean;
  private readonly index = new Map<string, number>();
  /** The columns, grown in place while the first pass collects them (a copy per name would be quadratic). */
  private readonly names: string[];
  private depth = 0;
  private record: string[] | undefined;
  private recordLine = 0;
  private recordName = '';
  private rootName = '';
  private fieldName: string | undefined;
  private fieldText = '';
  private started = false;
  /** Characters of the record in progress. */
  private recordChars = 0;

  constructor(
    source: ByteSource,
    private readonly options: XmlReadOptions,
    /** Fixed columns, or undefined to collect them (the first pass). */
    columns: readonly string[] | undefined,
  ) {
    super(source, options);
    this.fixed = columns !== undefined;
    this.names = [...(columns ?? [])];
    this.columns = this.names;
    this.names.forEach((c, i) => this.index.set(c, i));
  }

  async start(): Promise<void> {
    await this.open();
    await this.readWhile(() => !this.started);
  }

  protected override detect(head: Uint8Array): DetectedEncoding {
    return detectXmlEncoding(head, this.options.encoding);
  }

  protected begin(detected: DetectedEncoding): void {
    this.info = {
      encoding: canonicalEncoding(detected.encoding),
      bom: detected.bom,
      style: this.options.style,
      rootElement: '',
      recordElement: '',
    };
    const parser = createSafeSaxParser(this.location);
    this.parser = parser;
    parser.on('opentagstart', () => {
      this.depth++;
      if (this.depth === 2) this.recordLine = parser.line;
    });
    parser.on('opentag', (tag) => this.onOpen(tag.name, tag.attributes as Record<string, string>));
    parser.on('text', (text) => this.onText(text));
    parser.on('cdata', (text) => this.onText(text));
    parser.on('closetag', () => this.onClose());
  }

  protected get between(): boolean {
    return this.depth <= 1;
  }

  protected lineAfter(text: string): number {
    return (this.parser?.line ?? 1) + countLineBreaks(text, 0, text.length);
  }

  protected consume(text: string, final: boolean): void {
    if (!this.parser) return;
    feed(this.parser, text, this.location);
    if (final) {
      finish(this.parser, this.location);
      this.started = true;
      if (this.rootName === '')
        throw new InputFileError(this.location, 'has no root element. The file is empty or not XML.');
    }
  }

  private here(): InputLocation {
    return { ...this.location, line: this.parser?.line ?? 1 };
  }

  private onOpen(name: string, attributes: Record<string, string>): void {
    if (this.depth === 1) {
      this.rootName = name;
      this.info = { ...this.info, rootElement: name };
      this.started = true;
      return;
    }
    if (this.depth === 2) {
      if (this.recordName === '') {
        this.recordName = name;
        this.info = { ...this.info, recordElement: name };
      } else if (name !== this.recordName) {
        throw new InputFileError(
          this.here(),
          `has records named <${this.recordName}> and <${name}>. A data file holds one entity; composite entities cannot be read as rows.`,
        );
      }
      this.record = new Array<string>(this.columns.length).fill('');
      this.recordChars = 0;
      for (const [attr, value] of Object.entries(attributes)) {
        if (attr === 'xmlns' || attr.startsWith('xmlns:')) continue;
        if (this.options.style === 'attribute') this.set(attr, value);
        else {
          // [INFER] F&O's XML-Element records carry no attributes; reading on would drop their values.
          throw new InputFileError(
            this.here(),
            `has a record <${name}> with the attribute ${attr}, but it is read as XML-Element (one element per field): its attributes would be lost. Open it as XML-Attribute, or move the values into field elements.`,
          );
        }
      }
      return;
    }
    if (this.depth === 3 && this.options.style === 'element') {
      this.fieldName = name;
      this.fieldText = '';
      return;
    }
    throw new InputFileError(
      this.here(),
      `has <${name}> nested inside a record. ${this.options.style === 'attribute' ? 'XML-Attribute records carry their fields as attributes' : 'XML-Element records hold one element per field'}; nested records belong to composite entities, which cannot be read as rows.`,
    );
  }

  private onText(text: string): void {
    if (this.fieldName !== undefined) {
      this.fieldText += text;
      if (this.fieldText.length > INPUT_LIMITS.fieldChars) {
        throw new InputFileError(
          this.here(),
          `has a value of ${this.fieldName} longer than ${formatLimit(INPUT_LIMITS.fieldChars)} characters, the most the workbench reads in one value.`,
        );
      }
    } else if (text.trim() !== '') {
      throw new InputFileError(
        this.here(),
        `has text "${text.trim().slice(0, 40)}" outside a field. Put values in ${this.options.style === 'attribute' ? 'attributes' : 'field elements'}.`,
      );
    }
  }

  private onClose(): void {
    if (this.depth === 3 && this.fieldName !== undefined) {
      this.set(this.fieldName, this.fieldText);
      this.fieldText = '';
      this.fieldName = undefined;
    } else if (this.depth === 2 && this.record) {
      const report = this.options.onProblem;
      if (this.replacedBytes && report && this.record.some((v) => v.includes('\ufffd'))) {
        const row = this.nextRowNumber;
        report({
          kind: 'encoding',
          row,
          line: this.recordLine,
          message: `record ${row} has bytes that are not valid ${this.info.encoding} (shown as \ufffd). Save the file in the encoding its declaration names, or fix the declaration.`,
        });
      }
      this.emitRow(this.record, this.recordLine);
      this.record = undefined;
    }
    this.depth--;
  }

  private set(name: string, value: string): void {
    const record = this.record;
    if (!record) return;
    let i = this.index.get(name);
    if (i === undefined) {
      if (this.fixed) {
        throw new InputFileError(
          this.here(),
          `has a field "${name}" that is not among the columns (${this.columns.slice(0, 8).join(', ')}${this.columns.length > 8 ? ', …' : ''}). Map it, or remove it from the file.`,
        );
      }
      if (this.names.length >= INPUT_LIMITS.fieldsPerRecord) {
        throw new InputFileError(
          this.here(),
          `has more than ${formatLimit(INPUT_LIMITS.fieldsPerRecord)} different fields, the most the workbench reads. A data file holds the fields of one entity.`,
        );
      }
      i = this.names.length;
      this.index.set(name, i);
      this.names.push(name);
      record.push('');
    }
    if (value.length > INPUT_LIMITS.fieldChars) {
      throw new InputFileError(
        this.here(),
        `has a value of ${name} longer than ${formatLimit(INPUT_LIMITS.fieldChars)} characters, the most the workbench reads in one value.`,
      );
    }
    record[i] = value;
    this.recordChars += value.length;
    if (this.recordChars > INPUT_LIMITS.recordChars) {
      throw new InputFileError(
        this.here(),
        `has a record longer than ${formatLimit(INPUT_LIMITS.recordChars)} characters, the most the workbench reads in one record.`,
      );
    }
  }
}
