/**
 * Converting a CSV source to a package's CSV dialect on its bytes, without rewriting its rows:
 * the source's BOM is dropped, line breaks outside quoted values become CRLF, the text is
 * re-encoded (UTF-8 → Windows-1252, anything → UTF-16LE for CSV-Unicode) and the target's BOM
 * is put first. Values are never touched: quoting stays as the source has it (F&O reads a field
 * with or without its text qualifier alike), and a line break inside a quoted value stays the
 * bytes it is (it is part of the value).
 *
 * Why bytes, not rows: pack parses every source anyway (validation), and writing the rows out
 * again cost about 1 µs a row in string building, encoding and garbage (measured with
 * `--cpu-prof` on tests/bench/pack.bench.ts: the CSV writer and the Windows-1252 encoder were
 * 40% of the main thread on an LF extract). Scanning for line breaks and qualifiers with
 * `indexOf` costs a fraction of that.
 *
 * The scan follows the parser's rules (sources/csv/csvParser.ts): a qualifier opens a quoted value
 * only at the start of a field; inside one, a doubled qualifier is text and a single one closes
 * it; CRLF, LF and a lone CR all end a record. Only ASCII-compatible encodings are scanned as
 * bytes (a qualifier, delimiter, CR or LF byte is never part of another character there).
 */
import { isAscii } from 'node:buffer';
import type { CsvDialect } from '../../../shared/domain/dialects/csvDialect';
import { canonicalEncoding } from '../../../shared/domain/dialects/csvDialect';
import { countLineBreaks } from '../sources/csv/csvParser';
import { createDecoder, createEncoder, UnencodableCharacterError } from '../sources/encoding';
import type { TextChunkDecoder, TextEncoderStrict } from '../sources/encoding';
import { InputFileError } from '../sources/inputError';
import type { InputLocation } from '../sources/inputError';

/** What the CSV reader found out about a source (CsvInfo's fields the conversion needs). */
export interface SourceDialect {
  readonly encoding: string;
  readonly bom: boolean;
  readonly delimiter: string;
  readonly qualifier: string;
  readonly headerRow: boolean;
  readonly lineEnding: string;
}

/** Encodings in which the bytes 00–7F are ASCII wherever they appear. */
const ASCII_COMPATIBLE = new Set(['utf-8', 'windows-1252', 'iso-8859-1', 'us-ascii']);

export interface ConversionPlan {
  /** Line breaks outside quoted values are made CRLF. */
  readonly lineEndings: boolean;
  /** The text is decoded from the source's encoding and encoded in the target's. */
  readonly transcode: boolean;
  readonly sourceEncoding: string;
  readonly target: CsvDialect;
  /** Bytes of the source's BOM to drop. */
  readonly dropBom: number;
}

/**
 * How the source's bytes become the target dialect's, or undefined when they cannot without
 * rewriting its rows (another delimiter or qualifier, no header, an encoding that is not
 * ASCII-compatible whose line breaks would need changing).
 */
export function planConversion(source: SourceDialect, target: CsvDialect): ConversionPlan | undefined {
  if (!source.headerRow || source.delimiter !== target.delimiter || source.qualifier !== target.qualifier)
    return undefined;
  const sourceEncoding = canonicalEncoding(source.encoding);
  const asciiCompatible = ASCII_COMPATIBLE.has(sourceEncoding);
  // A file of one line has no line ending to go by: scanning it costs nothing.
  const lineEndings = source.lineEnding !== target.lineEnding;
  if (lineEndings && (!asciiCompatible || target.lineEnding !== '\r\n')) return undefined;
  const targetEncoding = canonicalEncoding(target.encoding);
  // ASCII is the same bytes in UTF-8 and Windows-1252; other pairs need decoding.
  const sameBytes =
    sourceEncoding === targetEncoding || (sourceEncoding === 'us-ascii' && ASCII_COMPATIBLE.has(targetEncoding));
  if (!sameBytes && !isTranscodable(sourceEncoding, targetEncoding)) return undefined;
  return {
    lineEndings,
    transcode: !sameBytes,
    sourceEncoding,
    target,
    dropBom: source.bom ? (sourceEncoding === 'utf-8' ? 3 : 2) : 0,
  };
}

function isTranscodable(from: string, to: string): boolean {
  return (
    (from === 'utf-8' || from === 'windows-1252' || from === 'utf-16le') && (to === 'windows-1252' || to === 'utf-16le')
  );
}

const LF = 10;
const CR = 13;

/**
 * Converts a source's chunks in order. `convert` returns the bytes to write for a chunk (a view
 * of the converter's own buffer, valid until the next call); `end` the bytes still held.
 * `lineOf(textBefore)`: the line the given text (decoded, from where the chunk starts) ends on,
 * for messages about a character the target cannot hold.
 */
export class CsvByteConverter {
  private readonly quote: number;
  private readonly delim: number;
  private bomLeft: number;
  private targetBom: Buffer | undefined;
  private readonly decoder: TextChunkDecoder | undefined;
  private readonly encoder: TextEncoderStrict | undefined;
  private out = Buffer.allocUnsafe(0);
  private readonly asciiTarget: boolean;
  // Scan state carried from one chunk to the next.
  private inQuotes = false;
  /** The chunk ended on a qualifier inside a quoted value: closing, or the first of a doubled pair. */
  private quotePending = false;
  /** The last byte of the previous chunk (a field starts after a delimiter or a line break). */
  private last = LF;
  /** A CR outside quoted values ended the previous chunk: an LF must follow it. */
  private crPending = false;

  constructor(
    private readonly plan: ConversionPlan,
    private readonly location: InputLocation,
    private readonly lineOf: (textBefore: string) => number,
  ) {
    this.quote = plan.target.qualifier === '' ? -1 : plan.target.qualifier.charCodeAt(0);
    this.delim = plan.target.delimiter.charCodeAt(0);
    this.bomLeft = plan.dropBom;
    const encoder = createEncoder(plan.target.encoding);
    this.asciiTarget = ASCII_COMPATIBLE.has(encoder.encoding) && plan.sourceEncoding === 'utf-8';
    this.targetBom = plan.target.bom ? encoder.bom() : undefined;
    if (plan.transcode) {
      this.encoder = encoder;
      this.decoder = createDecoder(plan.sourceEncoding, location, lineOf);
    }
  }

  convert(chunk: Buffer): Buffer {
    let bytes = chunk;
    if (this.bomLeft > 0) {
      const skip = Math.min(this.bomLeft, bytes.length);
      this.bomLeft -= skip;
      bytes = bytes.subarray(skip);
    }
    if (this.plan.lineEndings) bytes = this.crlf(bytes);
    // ASCII is already Windows-1252 (and the reader's own strict decoder checks what it skips).
    if (this.decoder && this.encoder && !(this.asciiTarget && isAscii(bytes)))
      bytes = this.encode(this.decoder.write(bytes));
    if (this.targetBom) {
      bytes = Buffer.concat([this.targetBom, bytes]);
      this.targetBom = undefined;
    }
    return bytes;
  }

  end(): Buffer {
    // A lone CR ended the file: its record gets the LF of CRLF too.
    const tail = this.crPending ? this.convert(Buffer.from([LF])) : Buffer.alloc(0);
    this.crPending = false;
    const rest = this.decoder && this.encoder ? this.encode(this.decoder.end()) : Buffer.alloc(0);
    return Buffer.concat([this.targetBom ?? Buffer.alloc(0), tail, rest]);
  }

  private encode(text: string): Buffer {
    try {
      if (!this.encoder) return Buffer.from(text, 'latin1');
      return this.encoder.encode(text);
    } catch (error) {
      if (!(error instanceof UnencodableCharacterError)) throw error;
      throw new InputFileError(
        { ...this.location, line: this.lineOf(text.slice(0, error.index)) },
        `contains "${error.character}", which the ${this.plan.target.encoding === 'windows-1252' ? 'CSV format (Windows-1252)' : error.encoding} cannot hold. Pack it with --format CSV-Unicode.`,
      );
    }
  }

  /** Makes every line break outside a quoted value CRLF (bare LF gets a CR, a lone CR an LF). */
  private crlf(s: Buffer): Buffer {
    const n = s.length;
    if (this.out.length < 2 * n) this.out = Buffer.allocUnsafe(Math.max(2 * n, 64 * 1024));
    const out = this.out;
    const q = this.quote;
    let o = 0;
    let from = 0; // start of the bytes not yet copied to out
    let i = 0;
    // Next positions of each byte the scan cares about (-1: none left in this chunk).
    let nextLF = s.indexOf(LF, 0);
    let nextCR = s.indexOf(CR, 0);
    let nextQ = q < 0 ? -1 : s.indexOf(q, 0);
    const prev = (at: number) => (at > 0 ? (s[at - 1] ?? 0) : this.last);
    if (this.crPending && n > 0) {
      this.crPending = false;
      if (s[0] !== LF) out[o++] = LF; // the CR that ended the last chunk was a lone one
    }
    if (this.quotePending && n > 0) {
      this.quotePending = false;
      if (s[0] === q)
        i = 1; // doubled: still inside
      else this.inQuotes = false;
    }
    while (i < n) {
      if (this.inQuotes) {
        if (nextQ >= 0 && nextQ < i) nextQ = s.indexOf(q, i);
        if (nextQ < 0) break;
        if (nextQ + 1 >= n) {
          this.quotePending = true;
          break;
        }
        if (s[nextQ + 1] === q) i = nextQ + 2;
        else {
          this.inQuotes = false;
          i = nextQ + 1;
        }
        continue;
      }
      if (nextLF >= 0 && nextLF < i) nextLF = s.indexOf(LF, i);
      if (nextCR >= 0 && nextCR < i) nextCR = s.indexOf(CR, i);
      if (nextQ >= 0 && nextQ < i) nextQ = s.indexOf(q, i);
      const br = nextLF < 0 ? nextCR : nextCR < 0 ? nextLF : Math.min(nextLF, nextCR);
      if (nextQ >= 0 && (br < 0 || nextQ < br)) {
        const before = prev(nextQ);
        // A qualifier opens a quoted value only where a field starts; elsewhere it is text.
        if (before === this.delim || before === LF || before === CR) this.inQuotes = true;
        i = nextQ + 1;
        continue;
      }
      if (br < 0) break;
      if (s[br] === LF) {
        if (prev(br) !== CR) {
          o += s.copy(out, o, from, br);
          out[o++] = CR;
          from = br;
        }
        i = br + 1;
      } else {
        // CR: followed by LF is CRLF; a lone one gets its LF (at the chunk's end the next chunk tells).
        if (br + 1 >= n) this.crPending = true;
        else if (s[br + 1] !== LF) {
          o += s.copy(out, o, from, br + 1);
          out[o++] = LF;
          from = br + 1;
        }
        i = br + 1;
      }
    }
    o += s.copy(out, o, from, n);
    if (n > 0) this.last = s[n - 1] ?? LF;
    return out.subarray(0, o);
  }
}

/** Line breaks in text, for a converter's `lineOf` over chunks read from the file's start. */
export function linesFromStart(textBefore: readonly string[]): number {
  return 1 + textBefore.reduce((sum, t) => sum + countLineBreaks(t, 0, t.length), 0);
}
