import { crc32, deflateRawSync } from 'node:zlib';

/**
 * A minimal zip builder for tests that need archives no well-behaved writer produces: unsafe
 * names, lying sizes, encryption flags, exotic methods. Not for production use.
 */
export interface RawEntry {
  readonly name: string;
  readonly data: Buffer;
  /** 0 stored, 8 deflate (default), anything else is written as is. */
  readonly method?: number;
  /** Overrides of what the headers claim. */
  readonly claimedSize?: number;
  readonly claimedCrc?: number;
  readonly flags?: number;
}

/** `comment`: the archive comment (F&O writes none; the workbench writes its marker). */
export function rawZip(entries: readonly RawEntry[], comment = ''): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const method = e.method ?? 8;
    const payload = method === 8 ? deflateRawSync(e.data) : e.data;
    const name = Buffer.from(e.name, 'utf8');
    const crc = e.claimedCrc ?? crc32(e.data);
    const size = e.claimedSize ?? e.data.length;
    const flags = (e.flags ?? 0) | 0x800;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(0, 10);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(payload.length, 18);
    local.writeUInt32LE(size >>> 0, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(0, 12);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(payload.length, 20);
    central.writeUInt32LE(size >>> 0, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, payload);
    centrals.push(central, name);
    offset += local.length + name.length + payload.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  const text = Buffer.from(comment, 'latin1');
  end.writeUInt16LE(text.length, 20);
  return Buffer.concat([...locals, cd, end, text]);
}
