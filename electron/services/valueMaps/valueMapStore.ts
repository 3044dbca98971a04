/**
 * Value mapping tables on disk: one JSON file per table in the project's `value-maps/` folder,
 * written atomically, two-space JSON with a final newline (small diffs in git), one change at a
 * time per project. A damaged file (a merge conflict) is named with how to repair it, never
 * overwritten.
 */
import { mkdir, readFile, readdir, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ValueMapFile } from '../../../shared/api/domains/valueMaps';
import { VALUE_MAP_SCHEMA_VERSION, valueMapFileSchema } from '../../../shared/api/domains/valueMaps';
import { AppError } from '../../../shared/api/errors';
import { writeFileAtomic } from '../fs/atomicWrite';

export const VALUE_MAPS_DIR = 'value-maps';
/** A table file larger than this is not read (50,000 rules and 20,000 valid values fit in a few MB). */
const MAX_FILE_BYTES = 32 * 2 ** 20;

export class ValueMapStore {
  readonly #queues = new Map<string, Promise<unknown>>();

  folder(dir: string): string {
    return join(resolve(dir), VALUE_MAPS_DIR);
  }

  fileOf(dir: string, id: string): string {
    return join(this.folder(dir), `${id}.json`);
  }

  async list(dir: string): Promise<ValueMapFile[]> {
    let names: string[];
    try {
      names = (await readdir(this.folder(dir))).filter((n) => n.endsWith('.json')).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const tables: ValueMapFile[] = [];
    for (const name of names) {
      const table = await this.#read(join(this.folder(dir), name));
      if (table) tables.push(table);
    }
    return tables;
  }

  async get(dir: string, id: string): Promise<ValueMapFile> {
    const table = await this.#read(this.fileOf(dir, id));
    if (!table) {
      throw new AppError(
        'NOT_FOUND',
        `The project has no value mapping table "${id}" (${this.fileOf(dir, id)}): it was deleted or renamed. Pick another table.`,
      );
    }
    return table;
  }

  async exists(dir: string, id: string): Promise<boolean> {
    return (await stat(this.fileOf(dir, id)).catch(() => null)) !== null;
  }

  /** Reads, changes and writes one table, one change at a time per project. */
  update(dir: string, id: string, change: (table: ValueMapFile) => ValueMapFile): Promise<ValueMapFile> {
    return this.#serial(dir, async () => this.#write(dir, change(await this.get(dir, id))));
  }

  create(dir: string, table: ValueMapFile): Promise<ValueMapFile> {
    return this.#serial(dir, async () => {
      if (await this.exists(dir, table.id)) {
        throw new AppError('CONFLICT', `${this.fileOf(dir, table.id)} already exists: open that table instead.`);
      }
      return this.#write(dir, table);
    });
  }

  delete(dir: string, id: string): Promise<boolean> {
    return this.#serial(dir, async () => {
      if (!(await this.exists(dir, id))) return false;
      await rm(this.fileOf(dir, id));
      return true;
    });
  }

  async #write(dir: string, table: ValueMapFile): Promise<ValueMapFile> {
    const checked = valueMapFileSchema.parse(table);
    await mkdir(this.folder(dir), { recursive: true });
    await writeFileAtomic(this.fileOf(dir, checked.id), `${JSON.stringify(checked, null, 2)}\n`);
    return checked;
  }

  async #read(file: string): Promise<ValueMapFile | null> {
    const info = await stat(file).catch(() => null);
    if (!info) return null;
    if (info.size > MAX_FILE_BYTES) {
      throw new AppError(
        'INVALID_INPUT',
        `${file} is ${(info.size / 2 ** 20).toFixed(0)} MB, more than a value mapping table holds (${MAX_FILE_BYTES / 2 ** 20} MB): restore it from git.`,
      );
    }
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      throw new AppError(
        'INVALID_INPUT',
        `${file} is not valid JSON (${(error as Error).message}). Fix it (a merge conflict?) or restore it from git; nothing was overwritten.`,
      );
    }
    const version = (raw as { schemaVersion?: unknown } | null)?.schemaVersion;
    if (typeof version === 'number' && version > VALUE_MAP_SCHEMA_VERSION) {
      throw new AppError(
        'INVALID_INPUT',
        `${file} was written by a newer DMF Workbench (table schema ${version}; this one reads ${VALUE_MAP_SCHEMA_VERSION}). Update the workbench.`,
      );
    }
    const parsed = valueMapFileSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? ` at ${issue.path.map(String).join('.')}` : '';
      throw new AppError(
        'INVALID_INPUT',
        `${file} is not a valid value mapping table${where}: ${issue?.message ?? 'unknown problem'}. Fix it or restore it from git.`,
      );
    }
    return parsed.data;
  }

  #serial<T>(dir: string, work: () => Promise<T>): Promise<T> {
    const key = resolve(dir);
    const previous = this.#queues.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    this.#queues.set(
      key,
      next.catch(() => undefined),
    );
    return next;
  }
}
