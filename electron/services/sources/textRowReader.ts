/**
 * The streaming machinery the text readers (CSV, XML) share: pull a chunk, decode it, hand the
 * text to the format's parser, collect the rows it emits into batches. Only one chunk and one
 * batch are in memory at a time; the consumer's pace drives the reading (no read-ahead).
 */
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { DETECTION_BYTES, createDecoder, detectEncoding } from './encoding';
import type { DetectedEncoding, TextChunkDecoder } from './encoding';
import { asInputError } from './inputError';
import type { InputLocation } from './inputError';
import { DEFAULT_BATCH_ROWS } from './rows';
import type { ByteSource, ReadOptions, RowBatch, RowReader } from './rows';

export interface TextReadOptions extends ReadOptions {
  /** Encoding name that overrides detection (`windows-1252`, `utf-16le`, ...). */
  readonly encoding?: string;
  /**
   * Sees every raw chunk, BOM included, before it is parsed (pack copies files this way). The
   * chunk may be the reader's own buffer, reused once the returned promise settles: copy it to
   * keep it.
   */
  readonly tap?: (chunk: Buffer) => void | Promise<void>;
  /** Progress: bytes read so far and the total when known. */
  readonly onBytes?: (bytesRead: number, total: number | undefined) => void;
}

export abstract class TextRowReader implements RowReader {
  readonly location: InputLocation;
  columns: readonly string[] = [];
  abstract readonly info: Readonly<Record<string, string | number | boolean>>;
  rowCount = 0;
  bytesRead = 0;

  private chunks: ChunkSource | undefined;
  private decoder: TextChunkDecoder | undefined;
  private ready: RowBatch[] = [];
  private rows: string[][] = [];
  private lines: number[] = [];
  private batchFirstRow = 1;
  /** The source has been read to the end. */
  protected ended = false;
  /**
   * Lenient decoding put U+FFFD for bad bytes in text the parser has not finished with: the rows
   * it emits now may hold them (they are checked for U+FFFD; others are not).
   */
  protected replacedBytes = false;
  private closed = false;
  private readonly batchRows: number;

  protected constructor(
    protected readonly source: ByteSource,
    protected readonly textOptions: TextReadOptions,
  ) {
    this.location = source.location;
    this.batchRows = textOptions.batchRows ?? DEFAULT_BATCH_ROWS;
  }

  /** The format's parser: gets decoded text, calls emitRow for each record. */
  protected abstract consume(text: string, final: boolean): void;
  /** The line `text`, still to be parsed, would end on: where the decoder found bad bytes. */
  protected abstract lineAfter(text: string): number;
  /** Called once with the encoding and the first decoded text, before `consume` sees it. */
  protected abstract begin(detected: DetectedEncoding, firstText: string): void;
  /** Bad bytes become U+FFFD in flagged rows (when problems are told, not thrown) instead of an error. */
  protected lenientDecoding(): boolean {
    return this.textOptions.onProblem !== undefined;
  }
  /** Encoding to use when `detectEncoding` has nothing to go on (XML reads its declaration). */
  protected detect(head: Uint8Array): DetectedEncoding {
    return detectEncoding(head, this.textOptions.encoding);
  }

  /** Opens the source, detects the encoding and parses the first chunk(s). */
  protected async open(): Promise<void> {
    try {
      this.chunks = this.source.path ? await fileChunks(this.source.path) : streamChunks(await this.source.open());
    } catch (error) {
      throw asInputError(error, this.location, 'cannot be opened');
    }
    const head: Buffer[] = [];
    let headBytes = 0;
    let finished = false;
    while (headBytes < DETECTION_BYTES) {
      const chunk = await this.nextChunk();
      if (chunk === undefined) {
        finished = true;
        break;
      }
      head.push(Buffer.from(chunk)); // the chunk buffer may be reused
      headBytes += chunk.length;
    }
    const first = Buffer.concat(head);
    const detected = this.detect(first);
    this.decoder = createDecoder(detected.encoding, this.location, (text) => this.lineAfter(text), {
      lenient: this.lenientDecoding(),
    });
    let text = this.decoder.write(first.subarray(detected.bomLength));
    this.replacedBytes ||= this.decoder.replaced;
    if (finished) {
      text += this.decoder.end();
      this.replacedBytes ||= this.decoder.replaced;
    }
    this.begin(detected, text);
    this.consume(text, finished);
    this.afterConsume();
    if (finished) this.finish();
  }

  /** Reads until `condition` holds or the source ends. */
  protected async readWhile(condition: () => boolean): Promise<void> {
    while (condition() && !this.ended) await this.pump();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<RowBatch> {
    try {
      for (;;) {
        for (let batch = this.ready.shift(); batch; batch = this.ready.shift()) yield batch;
        if (this.ended) break;
        await this.pump();
      }
    } finally {
      await this.close();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.ended = true;
    await this.chunks?.close();
  }

  /** Adds a data row that starts on `line`. */
  protected emitRow(fields: string[], line: number): void {
    this.rows.push(fields);
    this.lines.push(line);
    if (this.rows.length >= this.batchRows) this.flushBatch();
  }

  /** The data row number the next emitted row gets. */
  protected get nextRowNumber(): number {
    return this.batchFirstRow + this.rows.length;
  }

  private flushBatch(): void {
    if (this.rows.length === 0) return;
    this.ready.push({ rows: this.rows, firstRow: this.batchFirstRow, lines: this.lines });
    this.batchFirstRow += this.rows.length;
    this.rowCount += this.rows.length;
    this.rows = [];
    this.lines = [];
  }

  private async pump(): Promise<void> {
    const chunk = await this.nextChunk();
    if (chunk === undefined) {
      const text = this.decoder?.end() ?? '';
      this.replacedBytes ||= this.decoder?.replaced === true;
      this.consume(text, true);
      this.afterConsume();
      this.finish();
      return;
    }
    const text = this.decoder?.write(chunk) ?? '';
    this.replacedBytes ||= this.decoder?.replaced === true;
    this.consume(text, false);
    this.afterConsume();
  }

  /**
   * The format's parser is between records (nothing of the text read so far is still pending):
   * bytes replaced by U+FFFD before now are in rows already handed out.
   */
  protected abstract get between(): boolean;

  private afterConsume(): void {
    if (this.replacedBytes && this.between) this.replacedBytes = false;
  }

  /** Whether a byte read so far was not ASCII (a file ASCII in its first 64 KiB may not be to its end). */
  get sawNonAscii(): boolean {
    return this.decoder?.sawNonAscii === true;
  }

  private finish(): void {
    this.flushBatch();
    this.ended = true;
  }

  private async nextChunk(): Promise<Buffer | undefined> {
    if (this.closed || !this.chunks) return undefined;
    let chunk: Buffer | undefined;
    try {
      chunk = await this.chunks.next();
    } catch (error) {
      throw asInputError(error, this.location, 'could not be read');
    }
    if (chunk === undefined) return undefined;
    this.bytesRead += chunk.length;
    if (this.textOptions.tap) await this.textOptions.tap(chunk);
    this.textOptions.onBytes?.(this.bytesRead, this.source.size);
    return chunk;
  }
}

/** Where the readers pull bytes from. */
interface ChunkSource {
  /** The next chunk, or undefined at the end. Valid until the next call. */
  next(): Promise<Buffer | undefined>;
  close(): Promise<void>;
}

/** Chunks handed to the decoder: 64 KiB keeps decoded strings out of V8's large-object space. */
const CHUNK_BYTES = 64 * 1024;
/** Bytes per read from disk: fewer, bigger reads (each one is a round trip to the thread pool). */
const READ_BYTES = 4 * CHUNK_BYTES;

/**
 * A file read into one reused buffer: no allocation per chunk. (fs read streams allocate a fresh
 * buffer per read, and those pile up as external memory until a GC; measured: about 35 MB more
 * peak RSS on a 160 MB file.)
 */
async function fileChunks(path: string): Promise<ChunkSource> {
  const handle = await open(path, 'r');
  const buffer = Buffer.allocUnsafeSlow(READ_BYTES);
  let filled = 0;
  let offset = 0;
  let closed = false;
  return {
    async next() {
      if (closed) return undefined;
      if (offset >= filled) {
        ({ bytesRead: filled } = await handle.read(buffer, 0, READ_BYTES, null));
        offset = 0;
        if (filled === 0) return undefined;
      }
      const chunk = buffer.subarray(offset, Math.min(filled, offset + CHUNK_BYTES));
      offset += chunk.length;
      return chunk;
    },
    async close() {
      if (closed) return;
      closed = true;
      await handle.close();
    },
  };
}

function streamChunks(stream: Readable): ChunkSource {
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  return {
    async next() {
      const result = await iterator.next();
      if (result.done) return undefined;
      return typeof result.value === 'string' ? Buffer.from(result.value) : result.value;
    },
    async close() {
      stream.destroy();
    },
  };
}
