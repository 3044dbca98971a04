/**
 * The zip structures (APPNOTE.TXT 6.3): local file header, data descriptor, central directory
 * and its end records, with ZIP64 where a size or offset does not fit 32 bits. Entries are
 * written as F&O's System.IO.Compression writes them: version 2.0 made on MS-DOS/FAT, DOS
 * timestamps, no extra fields (except ZIP64 when needed), names in UTF-8 (flag bit 11) only when
 * they are not ASCII. Streamed entries set bit 3 and carry their sizes in a data descriptor.
 */

export interface WrittenEntry {
  readonly name: Buffer;
  readonly utf8: boolean;
  readonly method: 0 | 8;
  readonly dosTime: number;
  readonly dosDate: number;
  readonly offset: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  /** Sizes were not known when the local header was written (bit 3, data descriptor). */
  readonly streamed: boolean;
}

const MAX32 = 0xffffffff;
const MAX16 = 0xffff;
const VERSION_20 = 20;
const VERSION_ZIP64 = 45;
const FLAG_DATA_DESCRIPTOR = 0x0008;
const FLAG_UTF8 = 0x0800;

export function dosDateTime(date: Date): { dosDate: number; dosTime: number } {
  const year = Math.min(Math.max(date.getFullYear(), 1980), 2107);
  return {
    dosDate: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
    dosTime: (date.getHours() << 11) | (date.getMinutes() << 5) | Math.floor(date.getSeconds() / 2),
  };
}

function flags(entry: Pick<WrittenEntry, 'utf8' | 'streamed'>): number {
  return (entry.streamed ? FLAG_DATA_DESCRIPTOR : 0) | (entry.utf8 ? FLAG_UTF8 : 0);
}

/** The local header. Streamed entries leave CRC and sizes zero (they follow in the descriptor). */
export function localHeader(entry: Omit<WrittenEntry, 'offset'>): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(VERSION_20, 4);
  header.writeUInt16LE(flags(entry), 6);
  header.writeUInt16LE(entry.method, 8);
  header.writeUInt16LE(entry.dosTime, 10);
  header.writeUInt16LE(entry.dosDate, 12);
  if (!entry.streamed) {
    header.writeUInt32LE(entry.crc32 >>> 0, 14);
    header.writeUInt32LE(entry.compressedSize, 18);
    header.writeUInt32LE(entry.uncompressedSize, 22);
  }
  header.writeUInt16LE(entry.name.length, 26);
  header.writeUInt16LE(0, 28);
  return Buffer.concat([header, entry.name]);
}

/** The data descriptor after a streamed entry; 64-bit sizes when either size needs them. */
export function dataDescriptor(entry: Pick<WrittenEntry, 'crc32' | 'compressedSize' | 'uncompressedSize'>): Buffer {
  const big = entry.compressedSize >= MAX32 || entry.uncompressedSize >= MAX32;
  const d = Buffer.alloc(big ? 24 : 16);
  d.writeUInt32LE(0x08074b50, 0);
  d.writeUInt32LE(entry.crc32 >>> 0, 4);
  if (big) {
    d.writeBigUInt64LE(BigInt(entry.compressedSize), 8);
    d.writeBigUInt64LE(BigInt(entry.uncompressedSize), 16);
  } else {
    d.writeUInt32LE(entry.compressedSize, 8);
    d.writeUInt32LE(entry.uncompressedSize, 12);
  }
  return d;
}

export function centralDirectoryEntry(entry: WrittenEntry, forceZip64 = false): Buffer {
  const zip64: bigint[] = [];
  const needs = (value: number) => forceZip64 || value >= MAX32;
  if (needs(entry.uncompressedSize)) zip64.push(BigInt(entry.uncompressedSize));
  if (needs(entry.compressedSize)) zip64.push(BigInt(entry.compressedSize));
  if (needs(entry.offset)) zip64.push(BigInt(entry.offset));
  const extra = Buffer.alloc(zip64.length > 0 ? 4 + zip64.length * 8 : 0);
  if (zip64.length > 0) {
    extra.writeUInt16LE(0x0001, 0);
    extra.writeUInt16LE(zip64.length * 8, 2);
    zip64.forEach((v, i) => extra.writeBigUInt64LE(v, 4 + i * 8));
  }
  const c = Buffer.alloc(46);
  c.writeUInt32LE(0x02014b50, 0);
  c.writeUInt16LE(VERSION_20, 4); // made by: 2.0, MS-DOS (upper byte 0), as F&O's packages
  c.writeUInt16LE(zip64.length > 0 ? VERSION_ZIP64 : VERSION_20, 6);
  c.writeUInt16LE(flags(entry), 8);
  c.writeUInt16LE(entry.method, 10);
  c.writeUInt16LE(entry.dosTime, 12);
  c.writeUInt16LE(entry.dosDate, 14);
  c.writeUInt32LE(entry.crc32 >>> 0, 16);
  c.writeUInt32LE(needs(entry.compressedSize) ? MAX32 : entry.compressedSize, 20);
  c.writeUInt32LE(needs(entry.uncompressedSize) ? MAX32 : entry.uncompressedSize, 24);
  c.writeUInt16LE(entry.name.length, 28);
  c.writeUInt16LE(extra.length, 30);
  c.writeUInt16LE(0, 32); // comment
  c.writeUInt16LE(0, 34); // disk
  c.writeUInt16LE(0, 36); // internal attributes
  c.writeUInt32LE(0, 38); // external attributes
  c.writeUInt32LE(needs(entry.offset) ? MAX32 : entry.offset, 42);
  return Buffer.concat([c, entry.name, extra]);
}

/**
 * ZIP64 end record and locator when needed, then the classic end of central directory record,
 * with the archive comment (at most 65,535 bytes).
 */
export function endOfCentralDirectory(
  count: number,
  cdOffset: number,
  cdSize: number,
  forceZip64 = false,
  comment: Buffer = Buffer.alloc(0),
): Buffer {
  const zip64 = forceZip64 || count >= MAX16 || cdOffset >= MAX32 || cdSize >= MAX32;
  const parts: Buffer[] = [];
  if (zip64) {
    const record = Buffer.alloc(56);
    record.writeUInt32LE(0x06064b50, 0);
    record.writeBigUInt64LE(44n, 4);
    record.writeUInt16LE(VERSION_ZIP64, 12);
    record.writeUInt16LE(VERSION_ZIP64, 14);
    record.writeUInt32LE(0, 16);
    record.writeUInt32LE(0, 20);
    record.writeBigUInt64LE(BigInt(count), 24);
    record.writeBigUInt64LE(BigInt(count), 32);
    record.writeBigUInt64LE(BigInt(cdSize), 40);
    record.writeBigUInt64LE(BigInt(cdOffset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeUInt32LE(0, 4);
    locator.writeBigUInt64LE(BigInt(cdOffset + cdSize), 8);
    locator.writeUInt32LE(1, 16);
    parts.push(record, locator);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(zip64 ? MAX16 : count, 8);
  end.writeUInt16LE(zip64 ? MAX16 : count, 10);
  end.writeUInt32LE(zip64 ? MAX32 : cdSize, 12);
  end.writeUInt32LE(zip64 ? MAX32 : cdOffset, 16);
  end.writeUInt16LE(Math.min(comment.length, MAX16), 20);
  parts.push(end, comment.subarray(0, MAX16));
  return Buffer.concat(parts);
}
