/**
 * Where the grid's edits journal and saved recipes live. Behind small ports: the workbench
 * project folder (electron/services/projects) is their home once a project is open; until then,
 * and for files opened outside a project, the workbench's own data folder keeps them, so that
 * closing the app loses no edit.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { SavedRecipe } from '../../../shared/api/domains/datasets';
import { savedRecipeSchema } from '../../../shared/api/domains/datasets';
import { writeFileAtomic } from '../fs/atomicWrite';
import type { Logger } from '../logging/logger';
import type { JournalEntry } from './store/dataset';

/** A source file as it was when the edits were made: edits replay only onto the same bytes. */
export interface SourceKey {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
}

export interface JournalPort {
  /** The edits an earlier session made to this source (empty when the file changed since). */
  load(key: SourceKey): Promise<JournalEntry[]>;
  /** Resolves once the entries are on disk (acknowledged). */
  append(key: SourceKey, entries: readonly JournalEntry[]): Promise<void>;
  /** Forgets the edits of a source (re-opened with other options, or discarded). */
  reset(key: SourceKey): Promise<void>;
}

export interface RecipePort {
  list(): Promise<SavedRecipe[]>;
  save(recipe: SavedRecipe): Promise<SavedRecipe[]>;
  remove(id: string): Promise<SavedRecipe[]>;
}

interface JournalHeader {
  readonly journal: 1;
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
}

/**
 * One JSON-lines file per source under `dir`: a header naming the file (path, size, time) and one
 * entry per line, appended and flushed before the append resolves. A journal whose header no
 * longer matches the file (a fresh extract) is not replayed: that is what recipes are for.
 */
export function fileJournal(dir: string, logger: Logger): JournalPort {
  const fileOf = (key: SourceKey) =>
    join(dir, `${createHash('sha256').update(key.path).digest('hex').slice(0, 32)}.jsonl`);
  const same = (h: JournalHeader, key: SourceKey) =>
    h.path === key.path && h.size === key.size && Math.abs(h.mtimeMs - key.mtimeMs) < 1;
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const next = queue.then(task, task);
    queue = next.catch(() => undefined);
    return next;
  };

  async function read(key: SourceKey): Promise<{ header: JournalHeader | null; entries: JournalEntry[] }> {
    let text: string;
    try {
      text = await readFile(fileOf(key), 'utf8');
    } catch {
      return { header: null, entries: [] };
    }
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    const entries: JournalEntry[] = [];
    let header: JournalHeader | null = null;
    for (const [i, line] of lines.entries()) {
      try {
        const value = JSON.parse(line) as unknown;
        if (i === 0) header = value as JournalHeader;
        else entries.push(value as JournalEntry);
      } catch {
        // A line cut short by a crash mid-write: the entries before it stand.
        logger.warn(`Edits journal ${fileOf(key)}: line ${i + 1} is not JSON; ignoring it and what follows.`);
        break;
      }
    }
    return { header, entries };
  }

  return {
    load: (key) =>
      serial(async () => {
        const { header, entries } = await read(key);
        return header && same(header, key) ? entries : [];
      }),
    append: (key, entries) =>
      serial(async () => {
        await mkdir(dir, { recursive: true });
        const { header } = await read(key);
        const lines = entries.map((e) => `${JSON.stringify(e)}\n`).join('');
        if (!header || !same(header, key)) {
          const fresh: JournalHeader = { journal: 1, path: key.path, size: key.size, mtimeMs: key.mtimeMs };
          await writeFileAtomic(fileOf(key), `${JSON.stringify(fresh)}\n${lines}`);
          return;
        }
        const handle = await open(fileOf(key), 'a');
        try {
          await handle.writeFile(lines);
          await handle.datasync();
        } finally {
          await handle.close();
        }
      }),
    reset: (key) => serial(() => rm(fileOf(key), { force: true })),
  };
}

/** Saved recipes in one JSON file, written atomically. */
export function fileRecipes(file: string): RecipePort {
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const next = queue.then(task, task);
    queue = next.catch(() => undefined);
    return next;
  };
  async function read(): Promise<SavedRecipe[]> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      return [];
    }
    const raw = JSON.parse(text) as { recipes?: unknown[] };
    return (raw.recipes ?? []).flatMap((r) => {
      const parsed = savedRecipeSchema.safeParse(r);
      return parsed.success ? [parsed.data] : [];
    });
  }
  const write = async (recipes: SavedRecipe[]) => {
    await mkdir(dirname(file), { recursive: true });
    await writeFileAtomic(file, `${JSON.stringify({ recipes }, null, 2)}\n`);
    return recipes;
  };
  return {
    list: () => serial(read),
    save: (recipe) => serial(async () => write([...(await read()).filter((r) => r.id !== recipe.id), recipe])),
    remove: (id) => serial(async () => write((await read()).filter((r) => r.id !== id))),
  };
}

/** Folders files were opened from, newest first, kept in one small JSON file. */
export class RecentFolders {
  #folders: string[] | null = null;

  constructor(
    private readonly file: string,
    private readonly max = 8,
  ) {}

  async list(): Promise<string[]> {
    if (this.#folders === null) {
      try {
        const raw = JSON.parse(await readFile(this.file, 'utf8')) as { folders?: unknown };
        this.#folders = Array.isArray(raw.folders) ? raw.folders.filter((f): f is string => typeof f === 'string') : [];
      } catch {
        this.#folders = [];
      }
    }
    return this.#folders;
  }

  async add(folder: string): Promise<void> {
    const folders = [folder, ...(await this.list()).filter((f) => f !== folder)].slice(0, this.max);
    this.#folders = folders;
    await mkdir(dirname(this.file), { recursive: true });
    await writeFileAtomic(this.file, `${JSON.stringify({ folders })}\n`);
  }
}

/** The part of the project service (electron/services/projects) the grid's journal and recipes use. */
export interface ProjectStore {
  appendEdits(
    dir: string,
    edits: readonly { entity: string; sourceFile: string; op: string; payload: unknown }[],
  ): Promise<{ lastSeq: number }>;
  edits(
    dir: string,
    afterSeq: number,
    limit: number,
  ): Promise<{ total: number; edits: readonly { seq: number; sourceFile: string; op: string; payload: unknown }[] }>;
  recipes(
    dir: string,
  ): Promise<
    readonly { id: string; name: string; entity?: string; steps: readonly { op: string; payload: unknown }[] }[]
  >;
  saveRecipe(
    dir: string,
    recipe: { id: string; name: string; entity?: string; steps: { op: string; payload: unknown }[] },
  ): Promise<unknown>;
  deleteRecipe(dir: string, id: string): Promise<unknown>;
}

/** Journal entries in a project carry the file's size and time: they replay only onto the same bytes. */
interface ProjectEditPayload {
  readonly size: number;
  readonly mtimeMs: number;
  readonly entry?: JournalEntry;
}

const GRID_OP = 'grid';
const RESET_OP = 'grid.reset';

/**
 * The edits journal in a workbench project's edits.json (append-only, written before the call
 * answers). The source file is named as the project names it (relative to the project folder when
 * inside it); a reset (the file read again with other settings) is an entry too, so nothing is
 * ever rewritten.
 */
export function projectJournal(
  projects: ProjectStore,
  dir: string,
  entity: string,
  sourceFile: (key: SourceKey) => string,
): JournalPort {
  return {
    async load(key) {
      const file = sourceFile(key);
      const entries: JournalEntry[] = [];
      for (let after = 0; ;) {
        const page = await projects.edits(dir, after, 10_000);
        for (const edit of page.edits) {
          if (edit.sourceFile !== file) continue;
          const payload = edit.payload as ProjectEditPayload;
          if (edit.op === RESET_OP) entries.length = 0;
          else if (
            edit.op === GRID_OP &&
            payload.entry &&
            payload.size === key.size &&
            Math.abs(payload.mtimeMs - key.mtimeMs) < 1
          ) {
            entries.push(payload.entry);
          }
        }
        const last = page.edits.at(-1);
        if (!last) break;
        after = last.seq;
      }
      return entries;
    },
    async append(key, entries) {
      const file = sourceFile(key);
      await projects.appendEdits(
        dir,
        entries.map((entry) => ({
          entity,
          sourceFile: file,
          op: GRID_OP,
          payload: { size: key.size, mtimeMs: key.mtimeMs, entry },
        })),
      );
    },
    async reset(key) {
      await projects.appendEdits(dir, [
        { entity, sourceFile: sourceFile(key), op: RESET_OP, payload: { size: key.size, mtimeMs: key.mtimeMs } },
      ]);
    },
  };
}

/** Saved recipes in a workbench project's recipes.json: each step is stored with its op and itself as payload. */
export function projectRecipes(projects: ProjectStore, dir: string): RecipePort {
  const list = async (): Promise<SavedRecipe[]> =>
    (await projects.recipes(dir)).flatMap((r) => {
      const parsed = savedRecipeSchema.safeParse({ ...r, steps: r.steps.map((s) => s.payload) });
      return parsed.success ? [parsed.data] : [];
    });
  return {
    list,
    async save(recipe) {
      await projects.saveRecipe(dir, {
        ...recipe,
        steps: recipe.steps.map((step) => ({ op: step.op, payload: step })),
      });
      return list();
    },
    async remove(id) {
      await projects.deleteRecipe(dir, id);
      return list();
    },
  };
}
