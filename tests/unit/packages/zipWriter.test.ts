import { execFileSync, spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { BLOCK_BYTES } from '../../../electron/services/packages/zip/parallelDeflate';
import { ZipArchive } from '../../../electron/services/packages/zip/zipReader';
import { ZipWriter } from '../../../electron/services/packages/zip/zipWriter';
import { tempDirs } from '../../support/tempDir';

const temp = tempDirs();

/** Data that compresses somewhat but not trivially: lines with counters and a mixed alphabet. */
function sample(bytes: number): Buffer {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = `C-${i},Customer ${(i * 7919) % 100003},${(i * 31) % 977}.${i % 100},${'xyzw'.repeat(i % 5)}\r\n`;
    lines.push(line);
    size += line.length;
  }
  return Buffer.from(lines.join('')).subarray(0, bytes);
}

async function readAllEntries(path: string): Promise<Map<string, Buffer>> {
  const zip = await yauzl.openPromise(path, {});
  const out = new Map<string, Buffer>();
  for await (const entry of zip.eachEntry()) {
    const chunks: Buffer[] = [];
    for await (const c of await zip.openReadStreamPromise(entry)) chunks.push(c as Buffer);
    out.set(entry.fileName, Buffer.concat(chunks));
  }
  return out;
}

const hasTool = (cmd: string, args: string[]) => spawnSync(cmd, args).status === 0;

describe('zip writer (block-parallel deflate)', () => {
  it('writes entries of many blocks whose concatenated deflate streams inflate to the input', async () => {
    const dir = await temp.make();
    const path = join(dir, 'multi.zip');
    const big = sample(BLOCK_BYTES * 3 + 12345);
    const zip = await ZipWriter.create(path);
    const entry = zip.openEntry('big.csv');
    // Odd chunk sizes so blocks and chunks never line up.
    for (let i = 0; i < big.length; i += 70_001) await entry.write(big.subarray(i, i + 70_001));
    await entry.end();
    zip.addBuffer('small.xml', Buffer.from('<x/>'));
    const exact = zip.openEntry('exact.bin');
    await exact.write(sample(BLOCK_BYTES));
    await exact.end();
    const empty = zip.openEntry('empty.csv');
    await empty.end();
    await zip.finish();

    const entries = await readAllEntries(path);
    expect(entries.get('big.csv')!.equals(big)).toBe(true);
    expect(entries.get('exact.bin')!.equals(sample(BLOCK_BYTES))).toBe(true);
    expect(entries.get('small.xml')!.toString()).toBe('<x/>');
    expect(entries.get('empty.csv')!.length).toBe(0);
    // Our own reader checks CRC-32s too.
    const archive = await ZipArchive.open(path);
    expect(archive.find('big.csv')).toMatchObject({ size: big.length, crc32: crc32(big) >>> 0, compressionMethod: 8 });
    expect(archive.find('big.csv')!.compressedSize).toBeLessThan(big.length / 2);
    archive.close();
    if (hasTool('unzip', ['-v'])) expect(execFileSync('unzip', ['-t', path]).toString()).toMatch(/No errors detected/);
    if (hasTool('python3', ['--version'])) {
      expect(
        execFileSync('python3', ['-c', `import zipfile; print(zipfile.ZipFile(${JSON.stringify(path)}).testzip())`])
          .toString()
          .trim(),
      ).toBe('None');
    }
  });

  it('writes ZIP64 records that yauzl and Info-ZIP read', async () => {
    const dir = await temp.make();
    const path = join(dir, 'z64.zip');
    const zip = await ZipWriter.create(path, { forceZip64: true });
    const data = sample(300_000);
    zip.openEntry('a.csv').stream.end(data);
    zip.addBuffer('Manifest.xml', Buffer.from('<m/>'));
    await zip.finish();
    const bytes = await readFile(path);
    expect(bytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(true); // ZIP64 end record
    expect(bytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x07]))).toBe(true); // and its locator
    const entries = await readAllEntries(path);
    expect(entries.get('a.csv')!.equals(data)).toBe(true);
    if (hasTool('unzip', ['-v'])) expect(execFileSync('unzip', ['-t', path]).toString()).toMatch(/No errors detected/);
  });

  it('writes names in UTF-8 with the language flag, and an xlsx-style nested zip into a stream', async () => {
    const dir = await temp.make();
    const path = join(dir, 'names.zip');
    const zip = await ZipWriter.create(path);
    zip.addBuffer('Adresses de facturation – clients.csv', Buffer.from('x'));
    zip.addBuffer('plain.csv', Buffer.from('y'));
    await zip.finish();
    const bytes = await readFile(path);
    expect(bytes.readUInt16LE(6) & 0x800).toBe(0x800);
    expect([...(await readAllEntries(path)).keys()]).toEqual(['Adresses de facturation – clients.csv', 'plain.csv']);
  });

  it('fails the archive, leaving nothing behind, when an entry is abandoned', async () => {
    const dir = await temp.make();
    const zip = await ZipWriter.create(join(dir, 'a.zip'));
    const entry = zip.openEntry('a.csv');
    await entry.write(Buffer.from('partial'));
    entry.stream.destroy(new Error('the source went away'));
    await expect(zip.finish()).rejects.toThrow(/the source went away/);
    expect(spawnSync('ls', [dir]).stdout.toString().trim()).toBe('');
  });
});
