/**
 * Where the grid's edits journal and saved recipes live. Behind small ports: the workbench
 * project folder (electron/services/projects) is their home once a project is open; until then,
 * and for files opened outside a project, the workbench's own data folder keeps them, so that
 * closing the app loses no edit.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { SavedRecipe } from '../../../shared/api/domains/datasets';
import { recipeStepSchema, savedRecipeSchema } from '../../../shared/api/domains/datasets';
import { AppError } from '../../../shared/api/errors';
import { z } from '../../../shared/api/zod';
import { writeFileAtomic } from '../fs/atomicWrite';
import { readTextWithin } from '../fs/boundedRead';
import type { Logger } from '../logging/logger';
import type { JournalEntry } from './store/dataset';

/** A source file as it was when the edits were made: edits replay only onto the same bytes. */
export interface SourceKey {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
}

export interface JournalPort {
  /**
   * The edits an earlier session made to this source (none when the file changed since).
   * `damaged`: lines that could not be read (a crash mid-write), skipped and logged.
   */
  load(key: SourceKey): Promise<JournalLoad>;
  /** Resolves once the entries are on disk (acknowledged). */
  append(key: SourceKey, entries: readonly JournalEntry[]): Promise<void>;
  /** Forgets the edits of a source (re-opened with other options, or discarded). */
  reset(key: SourceKey): Promise<void>;
}

export interface JournalLoad {
  readonly entries: JournalEntry[];
  readonly damaged: number;
}

export interface RecipePort {
  list(): Promise<SavedRecipe[]>;
  save(recipe: SavedRecipe): Promise<SavedRecipe[]>;
  remove(id: string): Promise<SavedRecipe[]>;
}

const journalHeaderSchema = z
  .object({ journal: z.literal(1), path: z.string(), size: z.number(), mtimeMs: z.number() })
  .strict();
type JournalHeader = z.output<typeof journalHeaderSchema>;

/** A journal entry as dataset.ts writes it: anything else on a line is damage, not an edit. */
const journalEntrySchema = z.discriminatedUnion('op', [
  z
    .object({
      op: z.literal('cells'),
      edits: z.array(
        z.object({ row: z.number().int().min(0), column: z.string(), before: z.string(), after: z.string() }).strict(),
      ),
    })
    .strict(),
  z.object({ op: z.literal('bulk'), step: recipeStepSchema }).strict(),
  z.object({ op: z.literal('undo') }).strict(),
  z.object({ op: z.literal('redo') }).strict(),
]);

/**
 * One journal line at most: far above a paste of 10,000 cells. A longer line is damage (or an
 * entry that cannot be journaled, refused when written): skipped without being held whole.
 */
export const MAX_JOURNAL_LINE_CHARS = 64 * 1024 * 1024;
const MAX_RECIPES_BYTES = 64 * 1024 * 1024;

/**
 * One JSON-lines file per source under `dir`: a header naming the file (path, size, time) and one
 * entry per line, appended and flushed before the append resolves. A journal whose header no
 * longer matches the file (a fresh extract) is not replayed: that is what recipes are for.
 *
 * Torn writes: a crash mid-append leaves a last line without its line break. The next append
 * first cuts the file back to its last complete line (appending after the torn text would make
 * the next entry unreadable too); loading skips any line that is not an entry, logs it, and goes
 * on with the lines after it, so one damaged line never costs the edits flushed after it.
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

  async function read(key: SourceKey, withEntries: boolean): Promise<{ header: JournalHeader | null } & JournalLoad> {
    const file = fileOf(key);
    const entries: JournalEntry[] = [];
    let header: JournalHeader | null = null;
    const damagedLines: number[] = [];
    try {
      for await (const { number, text } of jsonLines(file, MAX_JOURNAL_LINE_CHARS)) {
        if (text !== null && text.trim() === '') continue;
        const value = text === null ? undefined : parseJson(text);
        if (number === 1) {
          const parsed = journalHeaderSchema.safeParse(value);
          if (!parsed.success) break; // no header: nothing in it can be trusted to belong to this file
          header = parsed.data;
          if (!withEntries || !same(header, key)) break;
          continue;
        }
        const parsed = journalEntrySchema.safeParse(value);
        if (parsed.success) entries.push(parsed.data as JournalEntry);
        else damagedLines.push(number);
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { header: null, entries: [], damaged: 0 };
      throw error;
    }
    if (damagedLines.length > 0) {
      logger.warn(
        `Edits journal ${file}: ${damagedLines.length === 1 ? 'line' : 'lines'} ${damagedLines.slice(0, 10).join(', ')}${damagedLines.length > 10 ? ', …' : ''} could not be read (a write cut short); skipped them and kept the others.`,
      );
    }
    return { header, entries, damaged: damagedLines.length };
  }

  return {
    load: (key) =>
      serial(async () => {
        const { header, entries, damaged } = await read(key, true);
        return header && same(header, key) ? { entries, damaged } : { entries: [], damaged: 0 };
      }),
    append: (key, entries) =>
      serial(async () => {
        const lines = entries.map((e) => `${JSON.stringify(e)}\n`).join('');
        if (lines.length > MAX_JOURNAL_LINE_CHARS) {
          throw new AppError(
            'INVALID_INPUT',
            'This change is too large to keep in the edits journal: make it in smaller steps (fewer cells at a time).',
          );
        }
        await mkdir(dir, { recursive: true, mode: 0o700 });
        const { header } = await read(key, false);
        if (!header || !same(header, key)) {
          const fresh: JournalHeader = { journal: 1, path: key.path, size: key.size, mtimeMs: key.mtimeMs };
          await writeFileAtomic(fileOf(key), `${JSON.stringify(fresh)}\n${lines}`, { mode: 0o600 });
          return;
        }
        const handle = await open(fileOf(key), 'r+');
        try {
          const end = await completeLinesEnd(handle);
          await handle.truncate(end);
          await handle.write(lines, end, 'utf8');
          await handle.datasync();
        } finally {
          await handle.close();
        }
      }),
    reset: (key) => serial(() => rm(fileOf(key), { force: true })),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The lines of a UTF-8 file, streamed; a line longer than `maxChars` comes as `text: null`
 * (skipped, never held whole). Line numbers are 1-based.
 */
async function* jsonLines(file: string, maxChars: number): AsyncGenerator<{ number: number; text: string | null }> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let tooLong = false;
  let number = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    let text = decoder.write(chunk as Buffer);
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n')) {
      number++;
      yield { number, text: tooLong || pending.length + nl > maxChars ? null : pending + text.slice(0, nl) };
      pending = '';
      tooLong = false;
      text = text.slice(nl + 1);
    }
    if (!tooLong && pending.length + text.length > maxChars) {
      tooLong = true;
      pending = '';
    } else if (!tooLong) pending += text;
  }
  const rest = pending + decoder.end();
  if (rest !== '' || tooLong) yield { number: number + 1, text: tooLong ? null : rest };
}

/** Where the file's last complete line ends: a crash mid-append leaves text after it. */
async function completeLinesEnd(handle: FileHandle): Promise<number> {
  const { size } = await handle.stat();
  const buffer = Buffer.alloc(64 * 1024);
  for (let end = size; end > 0;) {
    const start = Math.max(0, end - buffer.length);
    const { bytesRead } = await handle.read(buffer, 0, end - start, start);
    const nl = buffer.subarray(0, bytesRead).lastIndexOf(0x0a);
    if (nl >= 0) return start + nl + 1;
    end = start;
  }
  return 0;
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
    // Saved recipes are small (steps, not rows): 64 MB is thousands of them.
    const text = await readTextWithin(file, MAX_RECIPES_BYTES, 'the saved recipes file');
    if (text === undefined) return [];
    let raw: { recipes?: unknown };
    try {
      raw = JSON.parse(text) as { recipes?: unknown };
    } catch (error) {
      // Refused, not replaced: saving a recipe now would overwrite the ones in the damaged file.
      throw new AppError(
        'INVALID_INPUT',
        `${file} is not JSON (${error instanceof Error ? error.message : String(error)}): the saved recipes in it cannot be read. Repair it, or move it aside to start a new one.`,
        { file },
      );
    }
    return (Array.isArray(raw.recipes) ? raw.recipes : []).flatMap((r) => {
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
  /**
   * The list, read once: the promise is kept, not its result, so that a read still under way
   * cannot overwrite a folder added meanwhile (that race once lost the first folder for good).
   */
  #folders: Promise<string[]> | null = null;
  #writes: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly max = 8,
  ) {}

  list(): Promise<string[]> {
    // Eight paths: a file over 1 MB is not ours, and starts over like a damaged one.
    this.#folders ??= readTextWithin(this.file, 1024 * 1024, 'the recent folders file').then(
      (text) => {
        try {
          const raw = JSON.parse(text ?? '{}') as { folders?: unknown };
          return Array.isArray(raw.folders) ? raw.folders.filter((f): f is string => typeof f === 'string') : [];
        } catch {
          return [];
        }
      },
      () => [],
    );
    return this.#folders;
  }

  add(folder: string): Promise<void> {
    const next = this.#writes.then(async () => {
      const folders = [folder, ...(await this.list()).filter((f) => f !== folder)].slice(0, this.max);
      this.#folders = Promise.resolve(folders);
      await mkdir(dirname(this.file), { recursive: true });
      await writeFileAtomic(this.file, `${JSON.stringify({ folders })}\n`);
    });
    this.#writes = next.catch(() => undefined);
    return next;
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
      let damaged = 0;
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
            const parsed = journalEntrySchema.safeParse(payload.entry);
            if (parsed.success) entries.push(parsed.data as JournalEntry);
            else damaged++;
          }
        }
        const last = page.edits.at(-1);
        if (!last) break;
        after = last.seq;
      }
      return { entries, damaged };
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
