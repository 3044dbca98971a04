/**
 * Text encodings of data files: detection from the first bytes, streaming decoders that report
 * where the bytes went wrong, and encoders that refuse characters a code page cannot hold (F&O
 * would otherwise import `?`).
 */
import { isAscii } from 'node:buffer';
import iconv from 'iconv-lite';
import { canonicalEncoding, isUnicodeEncoding } from '../../../shared/domain/dialects/csvDialect';
import { InputFileError } from './inputError';
import type { InputLocation } from './inputError';

export interface DetectedEncoding {
  readonly encoding: string;
  readonly bom: boolean;
  /** Bytes of BOM to skip. */
  readonly bomLength: number;
  /**
   * Why: `BOM`, `UTF-16 pattern`, `valid UTF-8`, `ASCII`, `not UTF-8`, `override`, or `mixed`: UTF-8
   * characters and bytes that are not UTF-8 in one file (read as UTF-8; the bad bytes are errors).
   */
  readonly reason: string;
  /** For `mixed`: offsets in the sample of the first UTF-8 character and of the first bad byte. */
  readonly mixed?: { readonly utf8At: number; readonly invalidAt: number };
}

/** How many leading bytes detection looks at. */
export const DETECTION_BYTES = 64 * 1024;

/**
 * Guesses the encoding from the first bytes: a BOM wins; else the zero-byte pattern of UTF-16;
 * else UTF-8 if the bytes are valid UTF-8 (ASCII included), else Windows-1252 (the usual code
 * page of legacy extracts), unless the bytes also hold UTF-8 characters: then the file mixes
 * encodings, and reading it as Windows-1252 would turn every "é" into "Ã©" without a word. Pass
 * `override` to skip guessing.
 */
export function detectEncoding(head: Uint8Array, override?: string): DetectedEncoding {
  const bomLength = bomLengthOf(head);
  const bomName = bomEncoding(head);
  if (override) {
    const encoding = canonicalEncoding(override);
    const bomMatches = bomLength > 0 && bomName === encoding;
    return { encoding, bom: bomMatches, bomLength: bomMatches ? bomLength : 0, reason: 'override' };
  }
  if (bomName !== undefined) return { encoding: bomName, bom: true, bomLength, reason: 'BOM' };
  const utf16 = utf16Pattern(head);
  if (utf16) return { encoding: utf16, bom: false, bomLength: 0, reason: 'UTF-16 pattern' };
  const utf8 = utf8Validity(head);
  if (utf8.invalidAt < 0)
    return { encoding: 'utf-8', bom: false, bomLength: 0, reason: utf8.utf8At < 0 ? 'ASCII' : 'valid UTF-8' };
  if (utf8.utf8At >= 0)
    return {
      encoding: 'utf-8',
      bom: false,
      bomLength: 0,
      reason: 'mixed',
      mixed: { utf8At: utf8.utf8At, invalidAt: utf8.invalidAt },
    };
  return { encoding: 'windows-1252', bom: false, bomLength: 0, reason: 'not UTF-8' };
}

function bomEncoding(head: Uint8Array): string | undefined {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return undefined;
}

function bomLengthOf(head: Uint8Array): number {
  const encoding = bomEncoding(head);
  return encoding === undefined ? 0 : encoding === 'utf-8' ? 3 : 2;
}

/** UTF-16 text of mostly Latin characters has a zero in every other byte. */
function utf16Pattern(head: Uint8Array): string | undefined {
  const n = Math.min(head.length, 4096) & ~1;
  if (n < 4) return undefined;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenZeros++;
    if (head[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  if (oddZeros > pairs * 0.4 && evenZeros < pairs * 0.05) return 'utf-16le';
  if (evenZeros > pairs * 0.4 && oddZeros < pairs * 0.05) return 'utf-16be';
  return undefined;
}

/**
 * Where the first multi-byte UTF-8 character and the first byte that cannot be UTF-8 are (-1:
 * none). A sequence cut at the end of the sample is fine.
 */
function utf8Validity(bytes: Uint8Array): { utf8At: number; invalidAt: number } {
  let utf8At = -1;
  let invalidAt = -1;
  let i = 0;
  const n = bytes.length;
  while (i < n && (utf8At < 0 || invalidAt < 0)) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) {
      i++;
      continue;
    }
    const need = b >= 0xf0 && b <= 0xf4 ? 3 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xc2 && b <= 0xdf ? 1 : -1;
    let ok = need > 0;
    for (let k = 1; ok && k <= need && i + k < n; k++) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) ok = false;
    if (!ok) {
      if (invalidAt < 0) invalidAt = i;
      i++;
      continue;
    }
    if (utf8At < 0) utf8At = i;
    i += need + 1;
  }
  return { utf8At, invalidAt };
}

/** Whether iconv-lite or the platform's TextDecoder can read this encoding. */
export function isKnownEncoding(encoding: string): boolean {
  return iconv.encodingExists(encoding) || nativeDecoderExists(encoding);
}

function nativeDecoderExists(encoding: string): boolean {
  try {
    new TextDecoder(encoding);
    return true;
  } catch {
    return false;
  }
}

export function assertKnownEncoding(encoding: string, location: InputLocation): void {
  if (!isKnownEncoding(encoding)) {
    throw new InputFileError(
      location,
      `"${encoding}" is not an encoding the workbench knows. Use a name such as utf-8, utf-16le or windows-1252.`,
    );
  }
}

/** A streaming decoder: bytes in, text out; a multi-byte character split across chunks is kept. */
export interface TextChunkDecoder {
  /** Throws InputFileError (with the line reached so far) on bytes invalid in the encoding, unless lenient. */
  write(bytes: Uint8Array): string;
  end(): string;
  /** Lenient: the last write (or end) met bytes invalid in the encoding and put U+FFFD for them. */
  readonly replaced: boolean;
  /** Some bytes were not ASCII (a file that was ASCII in its first 64 KiB may not be all the way). */
  readonly sawNonAscii: boolean;
}

export interface DecoderOptions {
  /** Invalid bytes become U+FFFD (and `replaced` says so) instead of an error: the row store flags their rows. */
  readonly lenient?: boolean;
}

/** Encodings whose bytes 00–7F are ASCII whatever precedes them (UTF-8 and single-byte code pages). */
const ASCII_COMPATIBLE = new Set(['utf-8', 'windows-1252', 'iso-8859-1', 'iso-8859-15']);

/**
 * UTF-8/UTF-16 and the code pages Node's ICU knows are decoded natively and strictly (invalid
 * bytes are an error, not U+FFFD); the rest through iconv-lite. `lineOf` turns the text that
 * decodes fine before the bad bytes into a line number, so the error says where they are.
 */
export function createDecoder(
  encoding: string,
  location: InputLocation,
  lineOf: (textBeforeBadBytes: string) => number,
  options: DecoderOptions = {},
): TextChunkDecoder {
  assertKnownEncoding(encoding, location);
  const strict = isUnicodeEncoding(encoding) && options.lenient !== true;
  if (nativeDecoderExists(encoding)) {
    // ignoreBOM: the BOM was already skipped by the caller, and a second one would be data.
    const decoder = new TextDecoder(encoding, { fatal: strict, ignoreBOM: true });
    const fail = (error: unknown, bytes: Uint8Array): never => {
      const lenient = new TextDecoder(encoding, { ignoreBOM: true }).decode(bytes);
      const bad = lenient.indexOf('\ufffd');
      throw new InputFileError(
        { ...location, line: lineOf(bad < 0 ? lenient : lenient.slice(0, bad)) },
        `the bytes are not valid ${encoding}. The file is in another encoding: name it (for example windows-1252 or utf-16le).`,
        { cause: error },
      );
    };
    // ASCII chunks of ASCII-compatible encodings (most data files are all ASCII) are read as
    // Latin-1, a plain copy: measured 15 ms instead of 95 ms for 160 MB in UTF-8. Only while the
    // decoder holds no partial character: a chunk that ends in an ASCII byte leaves none.
    const name = canonicalEncoding(encoding);
    const asciiFast = ASCII_COMPATIBLE.has(name);
    // Lenient: U+FFFD the file itself holds is not a bad byte; only more of them than it holds are.
    const replacement =
      name === 'utf-8'
        ? Buffer.from([0xef, 0xbf, 0xbd])
        : name === 'utf-16le'
          ? Buffer.from([0xfd, 0xff])
          : name === 'utf-16be'
            ? Buffer.from([0xff, 0xfd])
            : null;
    const lenientCheck = options.lenient === true && replacement !== null;
    let between = true;
    const state = { replaced: false, sawNonAscii: false };
    const check = (bytes: Uint8Array, text: string): string => {
      state.replaced =
        lenientCheck && text.includes('\ufffd') && countOf(text, '\ufffd') > countBytes(bytes, replacement);
      return text;
    };
    return {
      write: (bytes) => {
        if (asciiFast && between && isAscii(bytes)) {
          state.replaced = false;
          return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
        }
        state.sawNonAscii ||= !isAscii(bytes);
        try {
          const text = decoder.decode(bytes, { stream: true });
          if (bytes.length > 0) between = name !== 'utf-8' || (bytes[bytes.length - 1] ?? 0) < 0x80;
          return check(bytes, text);
        } catch (error) {
          return fail(error, bytes);
        }
      },
      end: () => {
        try {
          return check(new Uint8Array(0), decoder.decode());
        } catch (error) {
          return fail(error, new Uint8Array(0));
        }
      },
      get replaced() {
        return state.replaced;
      },
      get sawNonAscii() {
        return state.sawNonAscii;
      },
    };
  }
  const decoder = iconv.getDecoder(encoding, { stripBOM: false });
  let sawNonAscii = false;
  return {
    // Copied: iconv-lite keeps a view of a trailing partial character, and readers reuse buffers.
    write: (bytes) => {
      sawNonAscii ||= !isAscii(bytes);
      return decoder.write(Buffer.from(bytes));
    },
    end: () => decoder.end() ?? '',
    replaced: false,
    get sawNonAscii() {
      return sawNonAscii;
    },
  };
}

function countOf(text: string, char: string): number {
  let n = 0;
  for (let i = text.indexOf(char); i >= 0; i = text.indexOf(char, i + 1)) n++;
  return n;
}

function countBytes(bytes: Uint8Array, pattern: Buffer | null): number {
  if (pattern === null || bytes.length === 0) return 0;
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  let n = 0;
  for (let i = buffer.indexOf(pattern); i >= 0; i = buffer.indexOf(pattern, i + 1)) n++;
  return n;
}

/** An encoder that refuses characters the encoding cannot represent. */
export interface TextEncoderStrict {
  readonly encoding: string;
  encode(text: string): Buffer;
  bom(): Buffer;
}

/** Thrown by TextEncoderStrict.encode; `index` is the first character the encoding cannot hold. */
export class UnencodableCharacterError extends Error {
  constructor(
    readonly encoding: string,
    readonly index: number,
    readonly character: string,
  ) {
    super(`"${character}" cannot be written in ${encoding}`);
    this.name = 'UnencodableCharacterError';
  }
}

/** Windows-1252: ASCII, Latin-1 (A0–FF) and the 27 characters it puts at 80–9F. */
const NOT_IN_WINDOWS_1252 =
  // eslint-disable-next-line no-control-regex
  /[^\u0000-\u007f\u00a0-\u00ff\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e\u0178]/;

// eslint-disable-next-line no-control-regex
const BEYOND_LATIN_1 = /[^\u0000-\u00ff]/;

export function createEncoder(encoding: string): TextEncoderStrict {
  const name = canonicalEncoding(encoding);
  if (name === 'utf-8') {
    return { encoding: name, encode: (t) => Buffer.from(t, 'utf8'), bom: () => Buffer.from([0xef, 0xbb, 0xbf]) };
  }
  if (name === 'utf-16le') {
    return { encoding: name, encode: (t) => Buffer.from(t, 'utf16le'), bom: () => Buffer.from([0xff, 0xfe]) };
  }
  if (!iconv.encodingExists(name)) throw new Error(`Unknown encoding "${encoding}".`);
  const bom = () => (name === 'utf-16be' ? Buffer.from([0xfe, 0xff]) : Buffer.alloc(0));
  if (name === 'windows-1252') {
    return {
      encoding: name,
      encode(text) {
        // Fast paths, measured on 200 MB (pack.bench.ts): ASCII text (most data) is a byte copy,
        // found by its UTF-8 length (native); Latin-1 text is Windows-1252 wherever it avoids
        // 80–9F. Only text with one of the 27 characters Windows-1252 puts at 80–9F goes
        // through iconv-lite (which cost 1.7 s of a 1M-row pack when it took everything).
        if (Buffer.byteLength(text, 'utf8') === text.length) return Buffer.from(text, 'latin1');
        const bad = NOT_IN_WINDOWS_1252.exec(text);
        if (bad) throw new UnencodableCharacterError(name, bad.index, bad[0]);
        return BEYOND_LATIN_1.test(text) ? iconv.encode(text, name) : Buffer.from(text, 'latin1');
      },
      bom,
    };
  }
  return {
    encoding: name,
    encode(text) {
      const bytes = iconv.encode(text, name);
      if (!isUnicodeEncoding(name)) {
        const back = iconv.decode(bytes, name);
        if (back !== text) {
          let i = 0;
          while (i < text.length && text[i] === back[i]) i++;
          throw new UnencodableCharacterError(name, i, text[i] ?? '');
        }
      }
      return bytes;
    },
    bom,
  };
}
