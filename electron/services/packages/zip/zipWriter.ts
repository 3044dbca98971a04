/**
 * Writing flat zips: deflate, ZIP64 where needed (packages up to 5 GB and beyond), streamed with
 * bounded memory. Big entries are deflated block-parallel on worker threads (parallelDeflate.ts),
 * which is why this writer is ours rather than yazl's: yazl pipes every entry through one zlib
 * stream and a JavaScript CRC-32, and that single stream was the critical path of `dmfw pack`
 * (measured in tests/bench/pack.bench.ts). The format details are in zipFormat.ts.
 *
 * `ZipWriter.create(path)` writes to a temp file that replaces `path` only when the archive is
 * complete, so a failed or cancelled write never leaves a half-written package behind;
 * `ZipWriter.toStream(writable)` writes into any stream (an xlsx inside a package).
 */
import { Writable } from 'node:stream';
import { deflateRawSync, crc32 } from 'node:zlib';
import { unsafeEntryNameReason } from '../../../../shared/domain/package/names';
import { createAtomicWriteStream } from '../../fs/atomicWrite';
import type { AtomicFileStream } from '../../fs/atomicWrite';
import { WritableSink } from '../../sources/writableSink';
import { BlockDeflater } from './parallelDeflate';
import { centralDirectoryEntry, dataDescriptor, dosDateTime, endOfCentralDirectory, localHeader } from './zipFormat';
import type { WrittenEntry } from './zipFormat';

export interface ZipWriterOptions {
  /** zlib level 1–9 (default 6, as Info-ZIP's default and .NET's Optimal). */
  readonly level?: number;
  /** Modification time stamped on entries (default: now). */
  readonly mtime?: Date;
  /** Write ZIP64 records even when nothing needs them (tests of the ZIP64 path). */
  readonly forceZip64?: boolean;
  /** The archive comment (Latin-1 text), e.g. the workbench's marker on the packages it writes. */
  readonly comment?: string;
}

/**
 * A streamed entry being written: through `stream` (a Writable, for writers that pipe), or
 * through `write`/`end`, whose promise resolves once the chunk has been consumed, so the caller
 * may reuse its buffer. Use one or the other, and end the entry before the archive.
 */
export interface ZipEntryStream {
  readonly stream: Writable;
  write(chunk: Uint8Array): Promise<void>;
  end(): Promise<void>;
  /** Uncompressed bytes written so far. */
  bytes(): number;
}

export class ZipWriter {
  private readonly sink: WritableSink;
  private readonly names = new Set<string>();
  private readonly entries: WrittenEntry[] = [];
  private offset = 0;
  /** Entries are written one after another: each waits for the one before. */
  private turn: Promise<void> = Promise.resolve();
  private failure: Error | undefined;
  private finished = false;
  private readonly level: number;
  private readonly stamp: { dosDate: number; dosTime: number };

  private constructor(
    out: Writable,
    private readonly file: AtomicFileStream | undefined,
    private readonly options: ZipWriterOptions,
  ) {
    this.sink = new WritableSink(out);
    this.level = options.level ?? 6;
    this.stamp = dosDateTime(options.mtime ?? new Date());
  }

  /** Starts a zip at `path` (written to a temp file beside it until `finish`/`commit`). */
  static async create(path: string, options: ZipWriterOptions = {}): Promise<ZipWriter> {
    const file = await createAtomicWriteStream(path);
    return new ZipWriter(file.stream, file, options);
  }

  /** A zip written into `out`, which `finish` ends. */
  static toStream(out: Writable, options: ZipWriterOptions = {}): ZipWriter {
    return new ZipWriter(out, undefined, options);
  }

  /** Adds a small entry held in memory (deflated on this thread). */
  addBuffer(name: string, data: Buffer): void {
    const nameBytes = this.claim(name);
    this.enqueue(async () => {
      const compressed = deflateRawSync(data, { level: this.level });
      const entry = {
        ...this.base(name, nameBytes),
        crc32: crc32(data) >>> 0,
        compressedSize: compressed.length,
        uncompressedSize: data.length,
        streamed: false,
      };
      await this.emit(localHeader(entry));
      await this.emit(compressed);
      this.entries.push(entry);
    });
  }

  /**
   * Opens an entry to write into. Entries are written in the order they are opened or added;
   * bytes written to a later entry wait (backpressure) until the ones before are done.
   */
  openEntry(name: string): ZipEntryStream {
    const nameBytes = this.claim(name);
    let count = 0;
    let begin!: () => void;
    const started = new Promise<void>((resolve) => (begin = resolve));
    let deflater: BlockDeflater | undefined;
    let entryBase: ReturnType<ZipWriter['base']> | undefined;
    let done!: (error?: Error) => void;
    const finished = new Promise<void>((resolve, reject) => (done = (e) => (e ? reject(e) : resolve())));
    finished.catch(() => undefined);
    this.enqueue(async () => {
      entryBase = this.base(name, nameBytes);
      await this.emit(localHeader({ ...entryBase, crc32: 0, compressedSize: 0, uncompressedSize: 0, streamed: true }));
      deflater = new BlockDeflater(this.level, (block) => this.emitConsumed(block));
      begin();
      await finished;
    });
    const write = async (chunk: Uint8Array): Promise<void> => {
      await started;
      if (!deflater) throw new Error(`The entry "${name}" was never started.`);
      count += chunk.length;
      await deflater.write(chunk);
    };
    const end = async (): Promise<void> => {
      try {
        await started;
        if (!deflater || !entryBase) throw new Error(`The entry "${name}" was never started.`);
        const entry: WrittenEntry = { ...entryBase, ...(await deflater.end()), streamed: true };
        await this.emit(dataDescriptor(entry));
        this.entries.push(entry);
        done();
      } catch (error) {
        done(error instanceof Error ? error : new Error(String(error)));
        throw error;
      }
    };
    const stream = new Writable({
      highWaterMark: 1 << 20,
      write: (chunk: Buffer, _encoding, callback) => void write(chunk).then(() => callback(), callback),
      final: (callback) => void end().then(() => callback(), callback),
      destroy: (error, callback) => {
        // After a normal end this changes nothing; before it, the archive cannot be completed.
        done(error ?? new Error(`The entry "${name}" was abandoned before it ended.`));
        callback(error);
      },
    });
    // A failed or destroyed entry fails the archive (finish/complete reject with the error); the
    // stream's own 'error' event must not also crash a process that has no listener for it.
    stream.on('error', () => undefined);
    return { stream, write, end, bytes: () => count };
  }

  /** Adds an entry whose bytes come from a readable stream. */
  addStream(name: string, readable: NodeJS.ReadableStream): void {
    const entry = this.openEntry(name);
    readable.on('error', (error: Error) => entry.stream.destroy(error));
    readable.pipe(entry.stream);
  }

  /** Writes the central directory and moves the archive into place. */
  async finish(): Promise<void> {
    await this.complete();
    await this.commit();
  }

  /**
   * Writes the central directory but leaves the archive under its temp name, so that several
   * archives can appear together (or not at all): then `commit` or `abort`.
   */
  async complete(): Promise<void> {
    if (this.finished) throw new Error('The zip is already finished.');
    this.finished = true;
    try {
      await this.turn;
      if (this.failure) throw this.failure;
      const cdOffset = this.offset;
      for (const entry of this.entries) await this.emit(centralDirectoryEntry(entry, this.options.forceZip64));
      const cdSize = this.offset - cdOffset;
      await this.emit(
        endOfCentralDirectory(
          this.entries.length,
          cdOffset,
          cdSize,
          this.options.forceZip64,
          Buffer.from(this.options.comment ?? '', 'latin1'),
        ),
      );
      await this.sink.end();
    } catch (error) {
      await this.abort();
      throw error;
    }
  }

  /** Moves a completed archive to its path (no-op for stream targets). */
  async commit(): Promise<void> {
    await this.file?.commit();
  }

  /** Drops everything written so far; the target path is left as it was. */
  async abort(): Promise<void> {
    this.finished = true;
    this.failure ??= new Error('The zip was aborted.');
    await this.file?.abort();
  }

  private enqueue(work: () => Promise<void>): void {
    this.turn = this.turn.then(async () => {
      if (this.failure) return;
      try {
        await work();
      } catch (error) {
        this.failure = error instanceof Error ? error : new Error(String(error));
      }
    });
  }

  private async emit(bytes: Buffer): Promise<void> {
    this.offset += bytes.length;
    await this.sink.write(bytes);
  }

  /** For block buffers the deflater reuses: waits until the destination has taken the bytes. */
  private async emitConsumed(bytes: Buffer): Promise<void> {
    this.offset += bytes.length;
    await this.sink.writeConsumed(bytes);
  }

  private base(name: string, nameBytes: Buffer) {
    return {
      name: nameBytes,
      utf8: !/^[\x20-\x7e]*$/.test(name),
      method: 8 as const,
      ...this.stamp,
      offset: this.offset,
    };
  }

  private claim(name: string): Buffer {
    if (this.failure) throw this.failure;
    if (this.finished) throw new Error('The zip is already finished.');
    const unsafe = unsafeEntryNameReason(name);
    if (unsafe) throw new Error(`Cannot add "${name}" to the package: ${unsafe}.`);
    if (this.names.has(name)) throw new Error(`"${name}" is already in the package.`);
    this.names.add(name);
    return Buffer.from(name, 'utf8');
  }
}
