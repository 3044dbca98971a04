/**
 * saxes set up for untrusted input: a DOCTYPE is refused outright (no DTD means no external
 * entities and no entity expansion: no XXE, no billion laughs), and every parser error becomes an
 * InputFileError with the file, line and column.
 */
import { SaxesParser } from 'saxes';
import type { SaxesOptions } from 'saxes';
import { InputFileError } from '../inputError';
import type { InputLocation } from '../inputError';

export type PlainSaxesParser = SaxesParser<{ xmlns: false; position: true }>;

export function createSafeSaxParser(location: InputLocation): PlainSaxesParser {
  const options: SaxesOptions & { xmlns: false; position: true } = { xmlns: false, position: true };
  const parser = new SaxesParser(options) as PlainSaxesParser;
  parser.on('doctype', () => {
    throw new InputFileError(
      { ...location, line: parser.line },
      'has a DOCTYPE (DTD). DTDs and entity declarations are refused because they can read local files or expand without bound; F&O never writes them. Remove the <!DOCTYPE …> declaration.',
    );
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

/** Feeds text to a parser, turning anything unexpected it throws into an InputFileError. */
export function feed(parser: PlainSaxesParser, text: string, location: InputLocation): void {
  try {
    parser.write(text);
  } catch (error) {
    throw wrap(error, parser, location);
  }
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
