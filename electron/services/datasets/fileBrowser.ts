/**
 * The file chooser of browser mode: a browser cannot show the native dialog of the machine the
 * services run on, so the grid lists folders through the contract. Only folders and the files
 * the grid opens are listed; hidden entries are left out.
 */
import { readdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { FolderEntry, FolderListing } from '../../../shared/api/domains/datasets';
import { AppError } from '../../../shared/api/errors';

export const OPENABLE_EXTENSIONS = ['.csv', '.tsv', '.txt', '.xlsx', '.xml', '.zip'] as const;
const MAX_ENTRIES = 2000;

export function isOpenable(name: string): boolean {
  const lower = name.toLowerCase();
  return OPENABLE_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

/** A path as the consultant typed it: `~` is the home folder; it must be absolute otherwise. */
export function resolveUserPath(path: string, home = homedir()): string {
  const trimmed = path.trim();
  if (trimmed === '~' || trimmed.startsWith('~/') || trimmed.startsWith('~\\')) return resolve(home, trimmed.slice(2));
  if (!isAbsolute(trimmed)) {
    throw new AppError(
      'INVALID_PARAMS',
      `"${trimmed}" is not a full path: start it with / (or a drive letter on Windows), or ~ for your home folder.`,
    );
  }
  return resolve(trimmed);
}

export async function listFolder(
  dir: string | undefined,
  recent: readonly string[],
  home = homedir(),
): Promise<FolderListing> {
  const folder = dir === undefined ? home : resolveUserPath(dir, home);
  let names: string[];
  try {
    const info = await stat(folder);
    if (!info.isDirectory())
      throw new AppError('INVALID_PARAMS', `${folder} is a file, not a folder: open it instead.`);
    names = await readdir(folder);
  } catch (error) {
    if (error instanceof AppError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new AppError(
      code === 'ENOENT' ? 'NOT_FOUND' : 'FORBIDDEN',
      code === 'ENOENT'
        ? `The folder ${folder} does not exist: check the path.`
        : `The folder ${folder} cannot be read (${code ?? 'error'}): choose another folder or check its permissions.`,
    );
  }
  const entries: FolderEntry[] = [];
  let truncated = false;
  for (const name of names.filter((n) => !n.startsWith('.')).sort((a, b) => a.localeCompare(b))) {
    if (entries.length >= MAX_ENTRIES) {
      truncated = true;
      break;
    }
    try {
      const info = await stat(join(folder, name));
      if (info.isDirectory()) entries.push({ name, kind: 'folder', size: null, modified: info.mtime.toISOString() });
      else if (info.isFile() && isOpenable(name))
        entries.push({ name, kind: 'file', size: info.size, modified: info.mtime.toISOString() });
    } catch {
      // A broken link or an entry that vanished: not listed.
    }
  }
  entries.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'folder' ? -1 : 1));
  const parent = dirname(folder);
  return { dir: folder, parent: parent === folder ? null : parent, home, recent, entries, truncated };
}
