/**
 * A real ZIP64 package: one data file over 4 GiB, written and read back in bounded memory. Slow
 * (tens of seconds) but the only proof that the 64-bit paths work with real sizes and offsets.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZipArchive } from '../../../electron/services/packages/zip/zipReader';
import { ZipWriter } from '../../../electron/services/packages/zip/zipWriter';

const MB = 1024 * 1024;
const TOTAL = 4 * 1024 * MB + 64 * MB; // past the 32-bit limit

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dmfw-zip64-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function chunk(): Buffer {
  let text = '';
  for (let i = 0; text.length < MB; i++) text += `C-${i % 99991},Customer ${i},${(i * 37) % 10007}\r\n`;
  return Buffer.from(text).subarray(0, MB);
}

describe('ZIP64 beyond 4 GiB', () => {
  it('writes and reads back a 4.06 GiB entry with bounded memory', { timeout: 600_000 }, async () => {
    const path = join(dir, 'big.zip');
    const block = chunk();
    let peak = process.memoryUsage.rss();
    const start = peak;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage.rss());
    }, 100);
    const t0 = performance.now();
    try {
      const zip = await ZipWriter.create(path, { level: 1 });
      const entry = zip.openEntry('Customers V3.csv');
      let expectedCrc = 0;
      for (let n = 0; n < TOTAL; n += MB) {
        await entry.write(block);
        expectedCrc = crc32(block, expectedCrc);
      }
      await entry.end();
      zip.addBuffer('Manifest.xml', Buffer.from('<m/>'));
      await zip.finish();
      expect((await stat(path)).size).toBeLessThan(TOTAL);

      const archive = await ZipArchive.open(path);
      expect(archive.find('Customers V3.csv')).toMatchObject({ size: TOTAL, crc32: expectedCrc >>> 0 });
      const written = { seconds: (performance.now() - t0) / 1000, peak };
      const t1 = performance.now();
      let read = 0;
      // The reader checks the CRC-32 of every byte against the one recorded at write time.
      for await (const piece of await archive.openEntry('Customers V3.csv')) read += (piece as Buffer).length;
      console.log(
        `ZIP64: wrote ${(TOTAL / MB).toFixed(0)} MB in ${written.seconds.toFixed(1)} s, read it back in ${((performance.now() - t1) / 1000).toFixed(1)} s; ` +
          `RSS grew at most ${((Math.max(written.peak, peak) - start) / MB).toFixed(0)} MB`,
      );
      expect(read).toBe(TOTAL);
      expect((await archive.readEntry('Manifest.xml', 100)).toString()).toBe('<m/>');
      archive.close();
    } finally {
      clearInterval(sampler);
    }
    expect(peak - start).toBeLessThan(200 * MB);
  });
});
