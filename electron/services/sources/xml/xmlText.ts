/**
 * Escaping and checks for writing XML the way .NET's XmlWriter does: `&`, `<`, `>` in text;
 * also `"` and tab/LF/CR (as character references, so they survive attribute-value
 * normalisation) in attributes; CR in text as `&#xD;` so it survives line-ending normalisation.
 */
import { describeChar, firstIllegalXmlChar } from '../../../../shared/domain/package/xml';

const TEXT_SPECIAL = /[&<>\r]/;
const ATTRIBUTE_SPECIAL = /[&<>"\t\n\r]/;

export function escapeXmlText(value: string): string {
  if (!TEXT_SPECIAL.test(value)) return value;
  return value.replace(/[&<>\r]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#xD;'));
}

export function escapeXmlAttribute(value: string): string {
  if (!ATTRIBUTE_SPECIAL.test(value)) return value;
  return value.replace(/[&<>"\t\n\r]/g, (c) => {
    switch (c) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      case '\t':
        return '&#x9;';
      case '\n':
        return '&#xA;';
      default:
        return '&#xD;';
    }
  });
}

/** XML 1.0 names (ASCII subset plus any non-ASCII letter): what element and attribute names may be. */
const XML_NAME = /^[A-Za-z_\u00c0-\uffef][\w.\-\u00b7\u00c0-\uffef]*$/;

export function isXmlName(name: string): boolean {
  return XML_NAME.test(name) && !/^xml/i.test(name);
}

/** Describes why `value` cannot go into XML, or undefined when it can. */
export function illegalXmlCharProblem(value: string): string | undefined {
  const index = firstIllegalXmlChar(value);
  if (index < 0) return undefined;
  return `contains the control character ${describeChar(value, index)}, which XML cannot carry (F&O fails such exports with DMF2055). Remove it from the value.`;
}
