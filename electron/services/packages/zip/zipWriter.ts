/**
 * Writing flat zips with yazl: deflate, ZIP64 where needed (packages up to 5 GB), streamed
 * straight to a temp file that replaces the target only when the archive is complete, so a
 * failed or cancelled pack never leaves a half-written package behind.
 *
 * yazl deflates each entry through Node's zlib, which runs on the libuv thread pool: the
 * compression of one entry overlaps with the main thread producing the next bytes.
 */
import { Transform } from 'node:stream';
import type { Readable, Writable } from 'node:stream';
import yazl from 'yazl';
import { unsafeEntryNameReason } from '../../../../shared/domain/package/names';
import { createAtomicWriteStream } from '../../fs/atomicWrite';
import type { AtomicFileStream } from '../../fs/atomicWrite';

export interface ZipWriterOptions {
  /** zlib level 1–9 (default 6, as Info-ZIP and .NET's Optimal). */
  readonly level?: number;
  /** Modification time stamped on entries (default: now). */
  readonly mtime?: Date;
}

/** A streamed entry being written. End `stream` before adding the next entry. */
export interface ZipEntryStream {
  readonly stream: Writable;
  /** Uncompressed bytes written so far. */
  bytes(): number;
}

export class ZipWriter {
  private readonly zip = new yazl.ZipFile();
  private readonly names = new Set<string>();
  private failure: Error | undefined;
  private finished = false;
  private readonly outputDone: Promise<void>;

  private constructor(
    private readonly out: AtomicFileStream,
    private readonly options: ZipWriterOptions,
  ) {
    this.outputDone = new Promise<void>((resolve, reject) => {
      const fail = (error: Error) => {
        this.failure ??= error;
        reject(error);
      };
      this.zip.outputStream.on('error', fail);
      out.stream.on('error', fail);
      out.stream.on('finish', resolve);
      this.zip.outputStream.pipe(out.stream);
    });
    // The promise is awaited in finish(); keep an early failure from being reported as unhandled.
    this.outputDone.catch(() => undefined);
  }

  /** Starts a zip at `path` (written to a temp file beside it until `finish`). */
  static async create(path: string, options: ZipWriterOptions = {}): Promise<ZipWriter> {
    return new ZipWriter(await createAtomicWriteStream(path), options);
  }

  addBuffer(name: string, data: Buffer): void {
    this.claim(name);
    this.zip.addBuffer(data, name, this.entryOptions());
  }

  /** Adds an entry whose bytes come from `stream` (read when yazl gets to it). */
  addStream(name: string, stream: Readable, size?: number): void {
    this.claim(name);
    this.zip.addReadStreamLazy(name, { ...this.entryOptions(), ...(size === undefined ? {} : { size }) }, (cb) =>
      cb(null, stream),
    );
  }

  /**
   * Opens an entry to write into. Entries are written in the order they are added, so finish
   * writing one (end its stream) before opening the next; the stream applies backpressure.
   */
  openEntry(name: string): ZipEntryStream {
    let count = 0;
    const stream = new Transform({
      highWaterMark: 1 << 20,
      transform(chunk: Buffer, _encoding, callback) {
        count += chunk.length;
        callback(null, chunk);
      },
    });
    this.addStream(name, stream);
    return { stream, bytes: () => count };
  }

  /** Writes the central directory and moves the archive into place. */
  async finish(): Promise<void> {
    if (this.finished) throw new Error('The zip is already finished.');
    this.finished = true;
    this.zip.end();
    try {
      await this.outputDone;
      await this.out.commit();
    } catch (error) {
      await this.out.abort();
      throw error;
    }
  }

  /** Drops everything written so far; the target path is left as it was. */
  async abort(): Promise<void> {
    this.finished = true;
    this.zip.outputStream.unpipe();
    await this.out.abort();
  }

  private claim(name: string): void {
    if (this.failure) throw this.failure;
    if (this.finished) throw new Error('The zip is already finished.');
    const unsafe = unsafeEntryNameReason(name);
    if (unsafe) throw new Error(`Cannot add "${name}" to the package: ${unsafe}.`);
    if (this.names.has(name)) throw new Error(`"${name}" is already in the package.`);
    this.names.add(name);
  }

  private entryOptions() {
    return {
      compressionLevel: this.options.level ?? 6,
      mtime: this.options.mtime ?? new Date(),
      // F&O's packages (System.IO.Compression) carry only DOS timestamps, no extra fields.
      forceDosTimestamp: true,
    };
  }
}
