import { createHash, randomUUID } from 'node:crypto';
import { chmod, link, mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { processAlive } from '../fs/atomicWrite';
import { readTextWithin } from '../fs/boundedRead';

/** A holder record is about 200 bytes; a lock file far bigger is damaged (or not ours). */
const MAX_LOCK_BYTES = 64 * 1024;

/** What a lock file says about the process holding an environment. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
  /** The holding program, e.g. `dmfw` or `DMF Workbench`. */
  readonly program: string;
  readonly jobId: string;
  /** What the job does there (import, export, copy…). */
  readonly kind: string;
  readonly environment: string;
}

export type LockAttempt = { readonly taken: true } | { readonly taken: false; readonly holder: LockHolder | null };

/**
 * Advisory locks across processes sharing a data dir (the app and `dmfw`): one per F&O
 * environment (EnvironmentQueue), one per job being run (JobRunner). Advisory: only workbench
 * processes honour them.
 */
export interface EnvironmentLocks {
  tryTake(
    key: string,
    owner: { readonly jobId: string; readonly kind: string; readonly environment: string },
  ): Promise<LockAttempt>;
  /** Removes the lock when this process's `jobId` holds it (never another process's). */
  release(key: string, jobId: string): Promise<void>;
}

/** A lock file that stays unreadable this long was left by a process that died while writing it. */
const PARTIAL_GRACE_MS = 30_000;

/**
 * Lock files `<dir>/<hash of the key>.lock`, created with `wx` (atomic: fails when one exists) and
 * holding pid, host and start time. A lock is stale when its pid is gone on this host, or is this
 * process's own (the in-process queue already decided: it is a leftover). A lock from another host
 * (a shared folder) is never taken over: its pid cannot be checked from here.
 */
export function fileEnvironmentLocks(dir: string, program: string): EnvironmentLocks {
  const host = hostname();
  const pathOf = (key: string) => join(dir, `${createHash('sha256').update(key).digest('hex').slice(0, 24)}.lock`);
  let made: Promise<void> | null = null;
  // Only this user's processes: the folder is 0700 (also one made 0755 by an older version).
  const makeDir = () =>
    (made ??= mkdir(dir, { recursive: true, mode: 0o700 }).then(() => chmod(dir, 0o700).catch(() => undefined)));
  return {
    async tryTake(key, owner) {
      await makeDir().catch((error: unknown) => {
        made = null;
        throw error;
      });
      const path = pathOf(key);
      const mine: LockHolder = {
        pid: process.pid,
        host,
        startedAt: new Date().toISOString(),
        program,
        ...owner,
      };
      // A few rounds: a stale lock removed by us may be taken by another process in between.
      for (let round = 0; round < 3; round++) {
        if (await create(path, mine)) return { taken: true };
        const seen = await readHolder(path);
        if (seen === 'gone') continue;
        if (!(await isStale(path, seen, host))) return { taken: false, holder: seen };
        await removeStale(path, seen);
      }
      const last = await readHolder(path);
      return { taken: false, holder: last === 'gone' ? null : last };
    },
    async release(key, jobId) {
      const path = pathOf(key);
      const seen = await readHolder(path);
      if (seen !== 'gone' && seen?.pid === process.pid && seen.host === host && seen.jobId === jobId) {
        await unlink(path).catch(ignoreMissing);
      }
    },
  };
}

async function create(path: string, holder: LockHolder): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(JSON.stringify(holder, null, 2));
  } catch (error) {
    // An empty lock would hold the environment until it is old: take it back at once.
    await handle.close();
    await unlink(path).catch(() => undefined);
    throw error;
  }
  await handle.close();
  return true;
}

/** The holder; null when the file cannot be read as one (being written, or damaged); 'gone' when there is none. */
async function readHolder(path: string): Promise<LockHolder | null | 'gone'> {
  let text: string | undefined;
  try {
    text = await readTextWithin(path, MAX_LOCK_BYTES, 'the lock');
  } catch (error) {
    // Too big to be a holder: damaged, as a half-written one is (stale after the grace period).
    if ((error as { code?: unknown }).code === 'INVALID_INPUT') return null;
    throw error;
  }
  if (text === undefined) return 'gone';
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    return typeof value.pid === 'number' && typeof value.host === 'string' ? (value as LockHolder) : null;
  } catch {
    return null;
  }
}

async function isStale(path: string, holder: LockHolder | null, host: string): Promise<boolean> {
  if (holder === null) {
    const info = await stat(path).catch(() => null);
    return info !== null && Date.now() - info.mtimeMs > PARTIAL_GRACE_MS;
  }
  if (holder.host !== host) return false;
  return holder.pid === process.pid || !processAlive(holder.pid);
}

/**
 * Moves the stale lock aside before deleting it, and checks it is the one judged stale: another
 * process may have removed it and taken a fresh lock in between; that one is put back.
 */
async function removeStale(path: string, seen: LockHolder | null): Promise<void> {
  const aside = `${path}.${randomUUID()}.stale`;
  try {
    await rename(path, aside);
  } catch (error) {
    ignoreMissing(error);
    return;
  }
  const moved = await readHolder(aside);
  const same =
    moved !== 'gone' &&
    (moved === null || seen === null
      ? moved === seen
      : moved.pid === seen.pid && moved.host === seen.host && moved.startedAt === seen.startedAt);
  // link, unlike rename, does not replace a lock created meanwhile.
  if (!same) await link(aside, path).catch(() => undefined);
  await unlink(aside).catch(ignoreMissing);
}

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
}

/**
 * One F&O instance, however an environment entry spells its URL: the app and `dmfw` keep separate
 * settings (different ids), and two entries may name one instance.
 */
export function environmentKey(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname.replace(/\/+$/, '')}`.toLowerCase();
  } catch {
    return url.trim().toLowerCase();
  }
}

/** "dmfw (pid 4242 on HOST)": the other process, for a waiting job's message. */
export function describeHolder(holder: LockHolder | null): string {
  return holder ? `${holder.program} (pid ${holder.pid} on ${holder.host})` : 'another workbench process';
}
