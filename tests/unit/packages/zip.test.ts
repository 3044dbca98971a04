import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { ZipArchive } from '../../../electron/services/packages/zip/zipReader';
import { ZipWriter } from '../../../electron/services/packages/zip/zipWriter';
import { rawZip } from '../../support/rawZip';
import { tempDirs } from '../../support/tempDir';

const temp = tempDirs();

async function errorOf(work: () => Promise<unknown>): Promise<{ code?: string; message: string; details?: unknown }> {
  try {
    await work();
  } catch (error) {
    return error as { code?: string; message: string };
  }
  throw new Error('expected an error');
}

async function drain(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe('zip writer and reader', () => {
  it('writes a flat deflated zip atomically and reads every entry back', async () => {
    const dir = await temp.make();
    const path = join(dir, 'p.zip');
    const zip = await ZipWriter.create(path, { mtime: new Date(2024, 0, 2, 3, 4, 6) });
    const entry = zip.openEntry('Customers V3.csv');
    entry.stream.write('A,B\r\n');
    entry.stream.end('1,2\r\n');
    zip.addBuffer('Manifest.xml', Buffer.from('<x/>'));
    // Until finish, only a temp file exists.
    expect((await readdir(dir)).some((n) => n === 'p.zip')).toBe(false);
    await zip.finish();
    expect(await readdir(dir)).toEqual(['p.zip']);
    expect(entry.bytes()).toBe(10);

    const archive = await ZipArchive.open(path);
    expect(archive.entries.map((e) => [e.name, e.size, e.compressionMethod, e.isDirectory])).toEqual([
      ['Customers V3.csv', 10, 8, false],
      ['Manifest.xml', 4, 8, false],
    ]);
    expect((await drain(await archive.openEntry('Customers V3.csv'))).toString()).toBe('A,B\r\n1,2\r\n');
    expect((await archive.readEntry('Manifest.xml', 100)).toString()).toBe('<x/>');
    archive.close();
    // No extra fields: DOS timestamps only, like System.IO.Compression.
    const bytes = await readFile(path);
    expect(bytes.readUInt16LE(28)).toBe(0);
  });

  it('abort leaves no file behind', async () => {
    const dir = await temp.make();
    const zip = await ZipWriter.create(join(dir, 'p.zip'));
    zip.addBuffer('a.txt', Buffer.from('a'));
    await zip.abort();
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses unsafe and duplicate names when writing', async () => {
    const dir = await temp.make();
    const zip = await ZipWriter.create(join(dir, 'p.zip'));
    expect(() => zip.addBuffer('../evil.csv', Buffer.alloc(0))).toThrow(/"\.\." segment/);
    expect(() => zip.addBuffer('/abs.csv', Buffer.alloc(0))).toThrow(/absolute/);
    expect(() => zip.addBuffer('C:/x.csv', Buffer.alloc(0))).toThrow(/drive letter/);
    zip.addBuffer('a.csv', Buffer.alloc(0));
    expect(() => zip.addBuffer('a.csv', Buffer.alloc(0))).toThrow(/already/);
    await zip.abort();
  });

  it('reads ZIP64 archives', async () => {
    const dir = await temp.make();
    const path = join(dir, 'z64.zip');
    const zip = new yazl.ZipFile();
    zip.addReadStreamLazy('big.csv', { forceZip64Format: true }, (cb) =>
      cb(null, Readable.from([Buffer.from('x'.repeat(100_000))])),
    );
    zip.addBuffer(Buffer.from('m'), 'Manifest.xml', { forceZip64Format: true });
    zip.end({ forceZip64Format: true } as yazl.EndOptions);
    await writeFile(path, await drain(zip.outputStream as unknown as Readable));
    const archive = await ZipArchive.open(path);
    expect(archive.find('big.csv')?.size).toBe(100_000);
    expect((await archive.readEntry('big.csv', 1 << 20)).length).toBe(100_000);
    archive.close();
  });

  it.each([
    ['a ".." path (zip-slip)', [{ name: '../../evil.csv', data: Buffer.from('x') }], /zip-slip/, '../../evil.csv'],
    ['an absolute path', [{ name: '/etc/evil.csv', data: Buffer.from('x') }], /zip-slip/, '/etc/evil.csv'],
    ['a backslash path', [{ name: '..\\evil.csv', data: Buffer.from('x') }], /zip-slip/, undefined],
    ['an encrypted entry', [{ name: 'a.csv', data: Buffer.from('x'), flags: 1 }], /encrypted/, 'a.csv'],
    ['an unknown method', [{ name: 'a.csv', data: Buffer.from('x'), method: 12 }], /compression method 12/, 'a.csv'],
    [
      'a duplicate name',
      [
        { name: 'a.csv', data: Buffer.from('x') },
        { name: 'a.csv', data: Buffer.from('y') },
      ],
      /twice/,
      'a.csv',
    ],
    [
      'a zip bomb ratio',
      [{ name: 'bomb.csv', data: Buffer.from('x'), claimedSize: 3_000_000_000 }],
      /zip bomb/,
      'bomb.csv',
    ],
  ])('refuses %s before inflating anything', async (_name, entries, message, entry) => {
    const dir = await temp.make();
    const path = join(dir, 'bad.zip');
    await writeFile(path, rawZip(entries));
    const error = await errorOf(() => ZipArchive.open(path, { displayName: 'bad.zip' }));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/^bad\.zip/);
    if (entry) expect((error.details as { entry?: string }).entry).toBe(entry);
  });

  it('refuses archives that expand beyond the total limit and have too many entries', async () => {
    const dir = await temp.make();
    const path = join(dir, 'many.zip');
    await writeFile(
      path,
      rawZip(Array.from({ length: 5 }, (_, i) => ({ name: `f${i}.csv`, data: Buffer.alloc(1000) }))),
    );
    expect((await errorOf(() => ZipArchive.open(path, { limits: { maxEntries: 4 } }))).message).toMatch(/5 entries/);
    expect((await errorOf(() => ZipArchive.open(path, { limits: { maxTotalBytes: 4500 } }))).message).toMatch(
      /zip bomb/,
    );
  });

  it('names the entry whose data is corrupt (CRC or size lies, garbage deflate data)', async () => {
    const dir = await temp.make();
    const crcPath = join(dir, 'crc.zip');
    await writeFile(crcPath, rawZip([{ name: 'a.csv', data: Buffer.from('hello world'), claimedCrc: 1234 }]));
    const archive = await ZipArchive.open(crcPath);
    const crcError = await errorOf(async () => drain(await archive.openEntry('a.csv')));
    expect(crcError.message).toMatch(/a\.csv is corrupt: its CRC-32/);
    archive.close();

    const sizePath = join(dir, 'size.zip');
    await writeFile(sizePath, rawZip([{ name: 'b.csv', data: Buffer.from('hello world'), claimedSize: 5 }]));
    const sized = await ZipArchive.open(sizePath);
    expect((await errorOf(async () => drain(await sized.openEntry('b.csv')))).message).toMatch(/b\.csv is corrupt/);
    sized.close();

    const data = Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 7919) % 251));
    const garbage = rawZip([{ name: 'c.csv', data }]);
    garbage.fill(0xff, 100, 140); // inside the deflate stream
    const garbagePath = join(dir, 'garbage.zip');
    await writeFile(garbagePath, garbage);
    const g = await ZipArchive.open(garbagePath);
    const gError = await errorOf(async () => drain(await g.openEntry('c.csv')));
    expect(gError.code).toBe('INVALID_INPUT');
    expect(gError.message).toMatch(/c\.csv is corrupt/);
    g.close();
  });

  it('explains truncated archives and files that are not zips', async () => {
    const dir = await temp.make();
    const good = rawZip([{ name: 'a.csv', data: Buffer.from('x'.repeat(1000)) }]);
    await writeFile(join(dir, 'cut.zip'), good.subarray(0, good.length - 30));
    await writeFile(join(dir, 'text.zip'), 'this is not a zip');
    await writeFile(join(dir, 'empty.zip'), '');
    for (const name of ['cut.zip', 'text.zip', 'empty.zip']) {
      const error = await errorOf(() => ZipArchive.open(join(dir, name), { displayName: name }));
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message).toMatch(new RegExp(`^${name.replace('.', '\\.')} is not a readable zip file`));
    }
    expect((await errorOf(() => ZipArchive.open(join(dir, 'missing.zip')))).message).toMatch(/does not exist/);
  });
});
