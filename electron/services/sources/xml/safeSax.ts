/**
 * saxes set up for untrusted input: a DOCTYPE is refused outright (no DTD means no external
 * entities and no entity expansion: no XXE, no billion laughs), and every parser error becomes an
 * InputFileError with the file, line and column.
 */
import { SaxesParser } from 'saxes';
import type { SaxesOptions } from 'saxes';
import { InputFileError } from '../inputError';
import type { InputLocation } from '../inputError';
import { INPUT_LIMITS, formatLimit } from '../limits';

export type PlainSaxesParser = SaxesParser<{ xmlns: false; position: true }>;

/** What one parser may hold before it hands anything out (saxes itself has no limits). */
export interface SaxLimits {
  /** Characters of one text node, attribute value, comment or CDATA section (default INPUT_LIMITS.fieldChars). */
  readonly textChars?: number;
  /** Attributes of one element (default INPUT_LIMITS.fieldsPerRecord). */
  readonly attributes?: number;
  /** Elements open at once (default INPUT_LIMITS.xmlDepth). */
  readonly depth?: number;
}

/**
 * saxes's buffers, read after each slice of text: its text, name and attribute list grow without
 * bound until the markup that ends them. These are private fields of saxes 6.0.0 (pinned);
 * tests/unit/sources/xml.test.ts proves the checks still bite, so an upgrade that renames them fails there.
 */
interface SaxesBuffers {
  readonly text: string;
  readonly name: string;
  readonly attribList: readonly unknown[];
  readonly tags: readonly unknown[];
}

/** Why a DOCTYPE is refused (also by the xlsx scanner, which reads the same untrusted parts). */
export const DOCTYPE_REFUSED =
  'has a DOCTYPE (DTD). DTDs and entity declarations are refused because they can read local files or expand without bound; F&O never writes them. Remove the <!DOCTYPE …> declaration.';

/** A buffer over its limit: `what` says which. */
export function saxLimitError(location: InputLocation, what: string, limit: number): InputFileError {
  return new InputFileError(
    location,
    `${what} (${formatLimit(limit)}, the most the workbench reads). The file is damaged, or not the kind of XML it should be.`,
  );
}

const limitsOf = new WeakMap<PlainSaxesParser, Required<SaxLimits>>();
/** Text is fed in slices this long, so that a buffer is checked before it is far over its limit. */
const SLICE_CHARS = 64 * 1024;

export function createSafeSaxParser(location: InputLocation, limits: SaxLimits = {}): PlainSaxesParser {
  const options: SaxesOptions & { xmlns: false; position: true } = { xmlns: false, position: true };
  const parser = new SaxesParser(options) as PlainSaxesParser;
  limitsOf.set(parser, {
    textChars: limits.textChars ?? INPUT_LIMITS.fieldChars,
    attributes: limits.attributes ?? INPUT_LIMITS.fieldsPerRecord,
    depth: limits.depth ?? INPUT_LIMITS.xmlDepth,
  });
  parser.on('doctype', () => {
    throw new InputFileError({ ...location, line: parser.line }, DOCTYPE_REFUSED);
  });
  parser.on('error', (error) => {
    throw new InputFileError(
      { ...location, line: parser.line, column: parser.column },
      `is not well-formed XML: ${stripPosition(error.message)}`,
      { cause: error },
    );
  });
  return parser;
}

/** saxes prefixes messages with `line:column: `; the location already says where. */
function stripPosition(message: string): string {
  return message.replace(/^(?:[^:]*:)?\d+:\d+: /, '');
}

/** Feeds text to a parser, within its limits, turning anything unexpected it throws into an InputFileError. */
export function feed(parser: PlainSaxesParser, text: string, location: InputLocation): void {
  const limits = limitsOf.get(parser);
  try {
    for (let at = 0; at < text.length; at += SLICE_CHARS) {
      parser.write(text.length <= SLICE_CHARS ? text : text.slice(at, at + SLICE_CHARS));
      if (limits) checkBuffers(parser, limits, location);
    }
  } catch (error) {
    throw wrap(error, parser, location);
  }
}

function checkBuffers(parser: PlainSaxesParser, limits: Required<SaxLimits>, location: InputLocation): void {
  const buffers = parser as unknown as SaxesBuffers;
  const over = (what: string, limit: number) =>
    saxLimitError({ ...location, line: parser.line, column: parser.column }, what, limit);
  if (buffers.text.length > limits.textChars || buffers.name.length > limits.textChars)
    throw over('has a value, name or comment longer than the limit', limits.textChars);
  if (buffers.attribList.length > limits.attributes)
    throw over('has an element with more attributes than the limit', limits.attributes);
  if (buffers.tags.length > limits.depth) throw over('nests elements deeper than the limit', limits.depth);
}

export function finish(parser: PlainSaxesParser, location: InputLocation): void {
  try {
    parser.close();
  } catch (error) {
    throw wrap(error, parser, location);
  }
}

function wrap(error: unknown, parser: PlainSaxesParser, location: InputLocation): InputFileError {
  if (error instanceof InputFileError) return error;
  return new InputFileError(
    { ...location, line: parser.line, column: parser.column },
    `is not well-formed XML: ${error instanceof Error ? stripPosition(error.message) : String(error)}`,
    { cause: error },
  );
}
