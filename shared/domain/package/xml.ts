/**
 * A generic XML element, kept as data. Manifest members the model does not know (a newer F&O
 * contract, a partner's extension) and complex members the workbench never edits (field
 * conversions, XSLT transforms, rules) are carried in this shape so that a package read and
 * written again loses nothing.
 */
export interface XmlElement {
  /** Qualified name as written (`EntityMap`, `a:Foo`). */
  readonly name: string;
  /** Attributes in document order, qualified names as written (`i:nil`, `xmlns:a`). */
  readonly attributes: readonly XmlAttribute[];
  /** Child elements and text, in document order. Whitespace-only text between elements is dropped. */
  readonly children: readonly XmlNode[];
}

export interface XmlAttribute {
  readonly name: string;
  readonly value: string;
}

export type XmlNode = XmlElement | string;

/**
 * How an element of a DataContract object looked when it was read: the order of its children and
 * the ones the model has no member for. Objects built from scratch have no layout and are written
 * in ordinal alphabetical order, as DataContractSerializer does.
 */
export interface XmlLayout {
  /** Child element names in document order (known and unknown). */
  readonly order: readonly string[];
  /** Children with no model member, in document order. */
  readonly unknown: readonly XmlElement[];
  /** Attributes of the element itself (only kept for root elements: namespace declarations). */
  readonly attributes?: readonly XmlAttribute[];
}

/** The `i:nil="true"` marker DataContractSerializer writes for a null member. */
export function isNilElement(element: XmlElement): boolean {
  return element.attributes.some((a) => localName(a.name) === 'nil' && a.value.trim() === 'true');
}

export function localName(qualifiedName: string): string {
  const colon = qualifiedName.indexOf(':');
  return colon < 0 ? qualifiedName : qualifiedName.slice(colon + 1);
}

/** Characters XML 1.0 cannot carry at all, not even escaped: C0 controls other than tab, LF, CR; U+FFFE/U+FFFF; lone surrogates. */
export const XML_ILLEGAL_CHARS =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Index of the first character XML cannot carry, or -1. */
export function firstIllegalXmlChar(text: string): number {
  const match = XML_ILLEGAL_CHARS.exec(text);
  return match ? match.index : -1;
}

/** `U+0001` style name for messages. */
export function describeChar(text: string, index: number): string {
  const code = text.charCodeAt(index);
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}
