import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';

/**
 * Writes a file so that readers see the old content or the new, never half of it: write a temp
 * file beside the target, flush it to disk, then rename over the target (atomic on one volume).
 */
export async function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  options: { mode?: number } = {},
): Promise<void> {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temp, 'w', options.mode ?? 0o644);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Removes the temp files of writes to `dir/<name>` that a killed process left (`kill -9` between
 * writing the temp file and renaming it): those whose writer pid is no longer running. A temp of
 * this process, or of one still alive, may be a write in progress and is left alone.
 */
export async function removeAbandonedTemps(dir: string, name: string): Promise<number> {
  const prefix = `.${name}.`;
  let removed = 0;
  for (const entry of await readdir(dir)) {
    if (!entry.startsWith(prefix) || !entry.endsWith('.tmp')) continue;
    const pid = Number(entry.slice(prefix.length).split('.')[0]);
    if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid || processAlive(pid)) continue;
    await rm(join(dir, entry), { force: true });
    removed++;
  }
  return removed;
}

/** Whether a process of this machine runs with that pid (EPERM: it does, as another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A file being written as a stream that appears at its path only once `commit` succeeds. */
export interface AtomicFileStream {
  readonly stream: Writable;
  /** Flushes to disk and renames over the target. */
  commit(): Promise<void>;
  /** Stops writing and removes the temp file; the target is untouched. */
  abort(): Promise<void>;
}

/**
 * The streaming form of writeFileAtomic, for outputs too big to hold (data packages): the bytes
 * go to a temp file beside the target, which replaces the target only on commit.
 */
export async function createAtomicWriteStream(
  file: string,
  options: { mode?: number } = {},
): Promise<AtomicFileStream> {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  // `flush`: fsync before the descriptor closes, so the rename never exposes unwritten data.
  const stream = createWriteStream(temp, { mode: options.mode ?? 0o644, flush: true, highWaterMark: 1 << 20 });
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', reject);
  });
  const closed = new Promise<void>((resolve, reject) => {
    stream.once('close', resolve);
    stream.once('error', reject);
  });
  closed.catch(() => undefined);
  let settled = false;
  return {
    stream,
    async commit() {
      if (settled) throw new Error('The file was already committed or aborted.');
      settled = true;
      try {
        if (!stream.writableEnded) stream.end();
        await closed;
        await rename(temp, file);
      } catch (error) {
        stream.destroy();
        await rm(temp, { force: true });
        throw error;
      }
    },
    async abort() {
      if (settled) return;
      settled = true;
      stream.destroy();
      await closed.catch(() => undefined);
      await rm(temp, { force: true });
    },
  };
}
