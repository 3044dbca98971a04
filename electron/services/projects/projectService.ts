import { mkdir, readFile, readdir } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type { Publish } from '../../../shared/api/contract';
import type {
  EditEntry,
  EditInput,
  ProjectDocument,
  ProjectSummary,
  Recipe,
  RunRecord,
} from '../../../shared/api/domains/projects';
import { PROJECT_SCHEMA_VERSION, projectDocumentSchema, recipeSchema } from '../../../shared/api/domains/projects';
import { AppError } from '../../../shared/api/errors';
import { compareCycles } from '../../../shared/domain/jobs/cycles';
import { writeFileAtomic } from '../fs/atomicWrite';
import { migrateDocument } from './migrations';
import type { Migrations } from './migrations';

export const PROJECT_FILE = 'dmfw-project.json';
export const EDITS_FILE = 'edits.json';
export const RECIPES_FILE = 'recipes.json';
export const RUNS_DIR = 'runs';

/** Upgrades of dmfw-project.json from each older schema version to the next (none yet: v1 is the first). */
export const PROJECT_MIGRATIONS: Migrations = {};

interface Loaded {
  document: ProjectDocument;
  edits: EditEntry[];
  recipes: Recipe[];
}

/**
 * Workbench projects on disk (see shared/api/domains/projects.ts for the layout). Every change is
 * written atomically (temp file + rename, flushed) before the call answers, and changes to one
 * project are applied one at a time, so an acknowledged edit is never lost or reordered.
 */
export class ProjectService {
  readonly #publish: Publish;
  readonly #cache = new Map<string, Loaded>();
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(publish: Publish) {
    this.#publish = publish;
  }

  async create(dir: string, name: string): Promise<ProjectSummary> {
    const root = resolve(dir);
    return this.#serial(root, async () => {
      await mkdir(root, { recursive: true });
      if ((await readJson(join(root, PROJECT_FILE))) !== undefined) {
        throw new AppError('CONFLICT', `${join(root, PROJECT_FILE)} already exists. Open that project instead.`);
      }
      const document = projectDocumentSchema.parse({ schemaVersion: PROJECT_SCHEMA_VERSION, name });
      const loaded: Loaded = { document, edits: [], recipes: [] };
      await writeJson(join(root, PROJECT_FILE), document);
      await writeJson(join(root, EDITS_FILE), { schemaVersion: PROJECT_SCHEMA_VERSION, entries: [] });
      await writeJson(join(root, RECIPES_FILE), { schemaVersion: PROJECT_SCHEMA_VERSION, recipes: [] });
      await mkdir(join(root, RUNS_DIR), { recursive: true });
      this.#cache.set(root, loaded);
      return this.#changed(root, loaded);
    });
  }

  async open(dir: string): Promise<ProjectSummary> {
    const root = resolve(dir);
    return this.#serial(root, async () => this.#summary(root, await this.#load(root, true)));
  }

  async update(
    dir: string,
    change: Partial<Pick<ProjectDocument, 'name' | 'binding' | 'entities' | 'options'>>,
  ): Promise<ProjectSummary> {
    const root = resolve(dir);
    return this.#serial(root, async () => {
      const loaded = await this.#load(root);
      const defined = Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined));
      const document = projectDocumentSchema.parse({ ...loaded.document, ...defined });
      await writeJson(join(root, PROJECT_FILE), document);
      loaded.document = document;
      return this.#changed(root, loaded);
    });
  }

  /** Resolves once the edits are on disk: that is the acknowledgement. */
  async appendEdits(dir: string, edits: readonly EditInput[]): Promise<{ lastSeq: number }> {
    const root = resolve(dir);
    return this.#serial(root, async () => {
      const loaded = await this.#load(root);
      let seq = loaded.edits.at(-1)?.seq ?? 0;
      const at = new Date().toISOString();
      const entries = [...loaded.edits, ...edits.map((edit) => ({ seq: ++seq, at, ...edit }))];
      await writeJson(join(root, EDITS_FILE), { schemaVersion: PROJECT_SCHEMA_VERSION, entries });
      loaded.edits = entries;
      return { lastSeq: seq };
    });
  }

  async edits(dir: string, afterSeq: number, limit: number): Promise<{ total: number; edits: EditEntry[] }> {
    const root = resolve(dir);
    return this.#serial(root, async () => {
      const { edits } = await this.#load(root);
      return { total: edits.length, edits: edits.filter((e) => e.seq > afterSeq).slice(0, limit) };
    });
  }

  async recipes(dir: string): Promise<Recipe[]> {
    const root = resolve(dir);
    return this.#serial(root, async () => (await this.#load(root)).recipes);
  }

  async saveRecipe(dir: string, recipe: Recipe): Promise<Recipe[]> {
    return this.#changeRecipes(dir, (recipes) => [...recipes.filter((r) => r.id !== recipe.id), recipe]);
  }

  async deleteRecipe(dir: string, id: string): Promise<Recipe[]> {
    return this.#changeRecipes(dir, (recipes) => {
      if (!recipes.some((r) => r.id === id)) throw new AppError('NOT_FOUND', `The project has no recipe "${id}".`);
      return recipes.filter((r) => r.id !== id);
    });
  }

  /** One file per run, named by time and job, so that two runs never touch the same file. */
  async addRun(dir: string, run: RunRecord): Promise<void> {
    const root = resolve(dir);
    await this.#serial(root, async () => {
      await mkdir(join(root, RUNS_DIR), { recursive: true });
      const stamp = run.startedAt.replace(/[:.]/g, '-');
      await writeJson(join(root, RUNS_DIR, `${stamp}-${run.jobId}.json`), run);
      this.#publish('projects.changed', await this.#summary(root, await this.#load(root)));
    });
  }

  /** The run files as recorded (fingerprints included), oldest first: the cockpit reads them. */
  async runRecords(dir: string): Promise<RunRecord[]> {
    const root = resolve(dir);
    const runs: RunRecord[] = [];
    for (const file of (await listRunFiles(root)).sort()) {
      const run = (await readJson(join(root, RUNS_DIR, file))) as RunRecord | undefined;
      if (run !== undefined) runs.push(run);
    }
    return runs;
  }

  async runs(dir: string): Promise<RunRecord[]> {
    const runs: RunRecord[] = [];
    let previous: { jobId: string; fingerprints: readonly string[] } | null = null;
    for (const run of await this.runRecords(dir)) {
      const { fingerprints, ...rest } = run;
      // Runs recorded before fingerprints existed cannot be compared.
      const cycle = fingerprints && previous ? compareCycles(previous, fingerprints) : null;
      if (fingerprints) previous = { jobId: run.jobId, fingerprints };
      // Fingerprints stay in the run file: the history only needs the counts.
      runs.push({ ...rest, entities: rest.entities.map(({ fingerprints: _, ...entity }) => entity), cycle });
    }
    return runs.reverse();
  }

  /** A project entity's source file as an absolute path. */
  sourcePath(dir: string, sourceFile: string): string {
    return isAbsolute(sourceFile) ? sourceFile : join(resolve(dir), sourceFile);
  }

  async #changeRecipes(dir: string, change: (recipes: Recipe[]) => Recipe[]): Promise<Recipe[]> {
    const root = resolve(dir);
    return this.#serial(root, async () => {
      const loaded = await this.#load(root);
      const recipes = change(loaded.recipes).map((r) => recipeSchema.parse(r));
      await writeJson(join(root, RECIPES_FILE), { schemaVersion: PROJECT_SCHEMA_VERSION, recipes });
      loaded.recipes = recipes;
      this.#changed(root, loaded);
      return recipes;
    });
  }

  async #load(root: string, fresh = false): Promise<Loaded> {
    const cached = this.#cache.get(root);
    if (cached && !fresh) return cached;
    const file = join(root, PROJECT_FILE);
    const raw = await readJson(file);
    if (raw === undefined) {
      throw new AppError('NOT_FOUND', `${root} is not a workbench project (no ${PROJECT_FILE}). Create one first.`);
    }
    const document = parseIn(
      file,
      projectDocumentSchema,
      migrateDocument(file, raw, PROJECT_SCHEMA_VERSION, PROJECT_MIGRATIONS),
    );
    const editsRaw = (await readJson(join(root, EDITS_FILE))) as { entries?: unknown } | undefined;
    const recipesRaw = (await readJson(join(root, RECIPES_FILE))) as { recipes?: unknown } | undefined;
    const edits = Array.isArray(editsRaw?.entries) ? (editsRaw.entries as EditEntry[]) : [];
    checkJournal(join(root, EDITS_FILE), edits);
    const recipes = Array.isArray(recipesRaw?.recipes)
      ? (recipesRaw.recipes as unknown[]).map((r, i) =>
          parseIn(`${join(root, RECIPES_FILE)} (recipe ${i + 1})`, recipeSchema, r),
        )
      : [];
    const loaded = { document, edits, recipes };
    this.#cache.set(root, loaded);
    return loaded;
  }

  async #summary(root: string, loaded: Loaded): Promise<ProjectSummary> {
    return {
      dir: root,
      document: loaded.document,
      edits: loaded.edits.length,
      recipes: loaded.recipes.length,
      runs: (await listRunFiles(root)).length,
    };
  }

  async #changed(root: string, loaded: Loaded): Promise<ProjectSummary> {
    const summary = await this.#summary(root, loaded);
    this.#publish('projects.changed', summary);
    return summary;
  }

  /** Runs changes to one project one after another (two windows, a job's run record, the grid). */
  #serial<T>(root: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(root) ?? Promise.resolve();
    const next = previous.then(work, work);
    this.#queues.set(
      root,
      next.catch(() => undefined),
    );
    return next;
  }
}

async function writeJson(file: string, value: unknown): Promise<void> {
  // Two-space JSON with a final newline: small, stable diffs in git.
  await writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** undefined when the file does not exist; an AppError naming the file when it is not JSON. */
async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AppError(
      'INVALID_INPUT',
      `${file} is not valid JSON (${(error as Error).message}). Fix it (a merge conflict?) or restore it from git; nothing was overwritten.`,
    );
  }
}

function parseIn<T>(
  file: string,
  schema: {
    safeParse(
      v: unknown,
    ): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
  },
  value: unknown,
): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? ` at ${issue.path.map(String).join('.')}` : '';
  throw new AppError(
    'INVALID_INPUT',
    `${file} is not a valid workbench project file${where}: ${issue?.message ?? 'unknown problem'}.`,
  );
}

function checkJournal(file: string, edits: readonly EditEntry[]): void {
  edits.forEach((edit, i) => {
    if (typeof edit !== 'object' || edit === null || edit.seq !== i + 1 || typeof edit.op !== 'string') {
      throw new AppError(
        'INVALID_INPUT',
        `${file} is damaged at entry ${i + 1} (sequence numbers must run 1, 2, 3…). Restore it from git.`,
      );
    }
  });
}

async function listRunFiles(root: string): Promise<string[]> {
  try {
    return (await readdir(join(root, RUNS_DIR))).filter((f) => f.endsWith('.json'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
