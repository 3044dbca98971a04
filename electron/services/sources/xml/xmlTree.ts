/**
 * Small XML documents (Manifest.xml, PackageHeader.xml) as an element tree, and back to text in
 * the style .NET's DataContractSerializer writes: no whitespace between elements, `<X />` for an
 * empty element (with the space), attributes in `"`.
 */
import type { XmlElement, XmlNode } from '../../../../shared/domain/package/xml';
import { countLineBreaks } from '../csv/csvParser';
import { createDecoder } from '../encoding';
import { InputFileError } from '../inputError';
import type { InputLocation } from '../inputError';
import { createSafeSaxParser, feed, finish } from './safeSax';
import { escapeXmlAttribute, escapeXmlText } from './xmlText';
import { detectXmlEncoding } from './xmlEncoding';

export interface ParsedXml {
  readonly root: XmlElement;
  /** The line each element starts on, for messages. */
  readonly lines: WeakMap<XmlElement, number>;
  /** The encoding the bytes were in. */
  readonly encoding: string;
  readonly bom: boolean;
  readonly hasDeclaration: boolean;
}

interface Building {
  name: string;
  attributes: { name: string; value: string }[];
  children: XmlNode[];
}

/**
 * Elements one document may have: small documents (manifests, workbook parts) have thousands;
 * 32 MB of `<a/>` would be 8 million objects.
 */
export const MAX_DOCUMENT_ELEMENTS = 500_000;

/** Parses a whole document held in memory (the caller caps its size; depth and element count are capped here). */
export function parseXmlDocument(bytes: Uint8Array, location: InputLocation): ParsedXml {
  const detected = detectXmlEncoding(bytes);
  const decoder = createDecoder(detected.encoding, location, (text) => 1 + countLineBreaks(text, 0, text.length));
  const text = decoder.write(bytes.subarray(detected.bomLength)) + decoder.end();
  const parser = createSafeSaxParser(location);
  const lines = new WeakMap<XmlElement, number>();
  const stack: Building[] = [];
  let root: XmlElement | undefined;
  let hasDeclaration = false;
  parser.on('xmldecl', () => {
    hasDeclaration = true;
  });
  let elements = 0;
  parser.on('opentag', (tag) => {
    if (++elements > MAX_DOCUMENT_ELEMENTS) {
      throw new InputFileError(
        { ...location, line: parser.line },
        `has more than ${MAX_DOCUMENT_ELEMENTS.toLocaleString('en-US')} elements, far more than a document of this kind holds. The file is damaged.`,
      );
    }
    const element: Building = {
      name: tag.name,
      attributes: Object.entries(tag.attributes).map(([name, value]) => ({ name, value: String(value) })),
      children: [],
    };
    lines.set(element as XmlElement, parser.line);
    const parent = stack.at(-1);
    if (parent) parent.children.push(element as XmlElement);
    else root = element as XmlElement;
    stack.push(element);
  });
  const onText = (text: string) => {
    const parent = stack.at(-1);
    if (!parent) return;
    const last = parent.children.at(-1);
    if (typeof last === 'string') parent.children[parent.children.length - 1] = last + text;
    else parent.children.push(text);
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    const element = stack.pop();
    if (!element) return;
    // Whitespace between child elements is formatting; text of a leaf element is data.
    if (element.children.some((c) => typeof c !== 'string')) {
      element.children = element.children.filter((c) => typeof c !== 'string' || c.trim() !== '');
    }
  });
  feed(parser, text, location);
  finish(parser, location);
  if (!root) throw new InputFileError(location, 'has no root element. The file is empty or not XML.');
  return { root, lines, encoding: detected.encoding, bom: detected.bom, hasDeclaration };
}

/** The text content of an element (its text children joined). */
export function textOf(element: XmlElement): string {
  let text = '';
  for (const child of element.children) if (typeof child === 'string') text += child;
  return text;
}

export function serializeAttributes(attributes: readonly { name: string; value: string }[]): string {
  let s = '';
  for (const a of attributes) s += ` ${a.name}="${escapeXmlAttribute(a.value)}"`;
  return s;
}

/** Writes an element as DataContractSerializer would: `<X />` when it has no content. */
export function serializeElement(element: XmlElement): string {
  const open = `<${element.name}${serializeAttributes(element.attributes)}`;
  if (element.children.length === 0) return `${open} />`;
  let inner = '';
  for (const child of element.children)
    inner += typeof child === 'string' ? escapeXmlText(child) : serializeElement(child);
  return `${open}>${inner}</${element.name}>`;
}
