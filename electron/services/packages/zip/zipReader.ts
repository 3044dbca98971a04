/**
 * Reading zips (packages, and xlsx files, which are zips too) with yauzl, for untrusted input:
 * entry names that could escape a folder (zip-slip), encrypted or exotic entries, and zip bombs
 * (too many entries, too much expanded data, an implausible compression ratio) are refused
 * before any data is inflated; every entry's size and CRC-32 are checked while it streams, so a
 * corrupt archive fails on the entry that is corrupt. ZIP64 (packages up to 5 GB) is read as is.
 */
import { Transform } from 'node:stream';
import type { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import { unsafeEntryNameReason } from '../../../../shared/domain/package/names';
import { InputFileError } from '../../sources/inputError';
import type { InputLocation } from '../../sources/inputError';
import type { ByteSource } from '../../sources/rows';

export interface ZipLimits {
  /** At most this many entries (default 10,000; a package has a few hundred at most). */
  readonly maxEntries: number;
  /** The entries may expand to at most this many bytes in total (default 64 GiB). */
  readonly maxTotalBytes: number;
  /** An entry bigger than `ratioFloorBytes` may expand at most this many times (default 1,000). */
  readonly maxRatio: number;
  readonly ratioFloorBytes: number;
}

/**
 * Defaults sized for real packages: 5 GB of zip holding CSV that deflates 10:1 is 50 GB of data.
 * Deflate cannot exceed about 1,032:1, so a higher declared ratio is a forged header; real CSV
 * and inline-string sheets stay under 100:1.
 */
export const DEFAULT_ZIP_LIMITS: ZipLimits = Object.freeze({
  maxEntries: 10_000,
  maxTotalBytes: 64 * 1024 ** 3,
  maxRatio: 1_000,
  ratioFloorBytes: 1024 * 1024,
});

export interface ZipEntryInfo {
  readonly name: string;
  /** Uncompressed size (checked while streaming). */
  readonly size: number;
  readonly compressedSize: number;
  readonly isDirectory: boolean;
  /** 0 stored, 8 deflate. */
  readonly compressionMethod: number;
  readonly crc32: number;
}

export interface OpenZipOptions {
  /** How to name the archive in messages (default: the path). */
  readonly displayName?: string;
  readonly limits?: Partial<ZipLimits>;
}

export class ZipArchive {
  private readonly byName: Map<string, Entry>;

  private constructor(
    private readonly zip: ZipFile,
    readonly location: InputLocation,
    readonly entries: readonly ZipEntryInfo[],
    raw: readonly Entry[],
  ) {
    this.byName = new Map(raw.map((e) => [e.fileName, e]));
  }

  /** The archive comment ('' when none). */
  get comment(): string {
    return this.zip.comment ?? '';
  }

  static async open(path: string, options: OpenZipOptions = {}): Promise<ZipArchive> {
    const location = { file: options.displayName ?? path };
    let zip: ZipFile;
    try {
      zip = await yauzl.openPromise(path, { autoClose: false, strictFileNames: false });
    } catch (error) {
      throw notAZip(error, location);
    }
    return ZipArchive.index(zip, location, options);
  }

  static async fromBuffer(buffer: Buffer, options: OpenZipOptions & { displayName: string }): Promise<ZipArchive> {
    const location = { file: options.displayName };
    let zip: ZipFile;
    try {
      zip = await yauzl.fromBufferPromise(buffer, { strictFileNames: false });
    } catch (error) {
      throw notAZip(error, location);
    }
    return ZipArchive.index(zip, location, options);
  }

  private static async index(zip: ZipFile, location: InputLocation, options: OpenZipOptions): Promise<ZipArchive> {
    const limits = { ...DEFAULT_ZIP_LIMITS, ...options.limits };
    const raw: Entry[] = [];
    const infos: ZipEntryInfo[] = [];
    let total = 0;
    try {
      if (zip.entryCount > limits.maxEntries) {
        throw new InputFileError(
          location,
          `has ${zip.entryCount.toLocaleString('en-US')} entries; more than ${limits.maxEntries.toLocaleString('en-US')} is not a data package (a zip bomb?).`,
        );
      }
      for await (const entry of eachEntry(zip, location)) {
        const name = entry.fileName;
        const unsafe = unsafeEntryNameReason(name);
        if (unsafe)
          throw new InputFileError(
            { ...location, entry: name },
            `${unsafe}; such an entry could be written outside the target folder (zip-slip). Rebuild the package with plain file names.`,
          );
        if (entry.isEncrypted())
          throw new InputFileError(
            { ...location, entry: name },
            'is encrypted; F&O packages are never encrypted. Rebuild the zip without a password.',
          );
        if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
          throw new InputFileError(
            { ...location, entry: name },
            `uses compression method ${entry.compressionMethod}; only stored (0) and deflate (8) are read, as F&O writes. Re-create the zip with deflate.`,
          );
        }
        if (raw.some((e) => e.fileName === name))
          throw new InputFileError(
            { ...location, entry: name },
            'appears twice in the archive. Rebuild the zip so each name appears once.',
          );
        const size = entry.uncompressedSize;
        if (size > limits.ratioFloorBytes && size / Math.max(entry.compressedSize, 1) > limits.maxRatio) {
          throw new InputFileError(
            { ...location, entry: name },
            `claims to expand ${Math.round(size / Math.max(entry.compressedSize, 1)).toLocaleString('en-US')} times (${formatBytes(entry.compressedSize)} → ${formatBytes(size)}), more than the ${limits.maxRatio}:1 allowed: this looks like a zip bomb.`,
          );
        }
        total += size;
        if (total > limits.maxTotalBytes) {
          throw new InputFileError(
            location,
            `would expand to more than ${formatBytes(limits.maxTotalBytes)}, the limit for a package: this looks like a zip bomb.`,
          );
        }
        raw.push(entry);
        infos.push({
          name,
          size,
          compressedSize: entry.compressedSize,
          isDirectory: name.endsWith('/'),
          compressionMethod: entry.compressionMethod,
          crc32: entry.crc32,
        });
      }
    } catch (error) {
      zip.close();
      throw error;
    }
    return new ZipArchive(zip, location, infos, raw);
  }

  find(name: string): ZipEntryInfo | undefined {
    return this.entries.find((e) => e.name === name);
  }

  /** Streams an entry's data, inflated, with its size and CRC-32 checked. */
  async openEntry(name: string): Promise<Readable> {
    const entry = this.byName.get(name);
    const location = { ...this.location, entry: name };
    if (!entry) throw new InputFileError(location, 'is not in the archive.');
    let stream: Readable;
    try {
      stream = await this.zip.openReadStreamPromise(entry);
    } catch (error) {
      throw corrupt(error, location);
    }
    const check = crcCheck(entry.crc32, location);
    stream.on('error', (error) => check.destroy(corrupt(error, location)));
    // A reader that stops early destroys `check`; release the entry stream too (unpipe first, as yauzl asks).
    check.on('close', () => {
      if (!stream.destroyed) {
        stream.unpipe(check);
        stream.destroy();
      }
    });
    return stream.pipe(check);
  }

  /** Reads a whole entry into memory; refuses entries bigger than `maxBytes`. */
  async readEntry(name: string, maxBytes: number): Promise<Buffer> {
    const info = this.find(name);
    const location = { ...this.location, entry: name };
    if (!info) throw new InputFileError(location, 'is not in the archive.');
    if (info.size > maxBytes)
      throw new InputFileError(
        location,
        `is ${formatBytes(info.size)}, more than the ${formatBytes(maxBytes)} this file may have.`,
      );
    const chunks: Buffer[] = [];
    for await (const chunk of await this.openEntry(name)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  /** An entry as a ByteSource for the data file readers. */
  source(name: string): ByteSource {
    const info = this.find(name);
    return {
      location: { ...this.location, entry: name },
      ...(info ? { size: info.size } : {}),
      open: () => this.openEntry(name),
    };
  }

  close(): void {
    if (this.zip.isOpen) this.zip.close();
  }
}

async function* eachEntry(zip: ZipFile, location: InputLocation): AsyncGenerator<Entry> {
  const iterator = zip.eachEntry();
  for (;;) {
    let next: IteratorResult<Entry>;
    try {
      next = await iterator.next();
    } catch (error) {
      throw entryError(error, location);
    }
    if (next.done) return;
    yield next.value;
  }
}

/** Passes bytes through and fails at the end if their CRC-32 differs from the central directory's. */
function crcCheck(expected: number, location: InputLocation): Transform {
  let crc = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      crc = crc32(chunk, crc);
      callback(null, chunk);
    },
    flush(callback) {
      if (crc >>> 0 !== expected >>> 0) {
        callback(
          new InputFileError(
            location,
            'is corrupt: its CRC-32 does not match the one recorded in the zip. Download or copy the package again.',
          ),
        );
      } else callback();
    },
  });
}

function notAZip(error: unknown, location: InputLocation): InputFileError {
  const reason = error instanceof Error ? error.message : String(error);
  if ((error as NodeJS.ErrnoException)?.code === 'ENOENT')
    return new InputFileError(location, 'does not exist.', { cause: error });
  return new InputFileError(
    location,
    `is not a readable zip file (${reason}). It may be truncated or not a zip at all: download or copy it again.`,
    { cause: error },
  );
}

function entryError(error: unknown, location: InputLocation): InputFileError {
  if (error instanceof InputFileError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  const path = /(?:invalid relative path|absolute path|invalid characters in fileName): (.*)$/.exec(reason);
  if (path) {
    return new InputFileError(
      { ...location, entry: path[1] ?? '' },
      `has an unsafe name (${reason}); such an entry could be written outside the target folder (zip-slip). Rebuild the package with plain file names.`,
      { cause: error },
    );
  }
  return new InputFileError(
    location,
    `has a corrupt central directory (${reason}). Download or copy the package again.`,
    { cause: error },
  );
}

function corrupt(error: unknown, location: InputLocation): InputFileError {
  if (error instanceof InputFileError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new InputFileError(location, `is corrupt (${reason}). Download or copy the package again.`, { cause: error });
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
