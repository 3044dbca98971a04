import { mkdir, readFile, readdir, rename, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type {
  CopyDiffEntity,
  EntityOutcome,
  ExecutionStatusName,
  JobKind,
  JobState,
  JobTimelineEntry,
  RanBy,
} from '../../../shared/api/domains/jobs';
import type { ApiError } from '../../../shared/api/errors';
import { FINAL_JOB_STATES } from '../../../shared/domain/jobs/outcome';
import { removeAbandonedTemps, writeFileAtomic } from '../fs/atomicWrite';
import type { Logger } from '../logging/logger';
import { jobRecordSchema, recordProblems } from './jobRecordSchema';

export const JOB_SCHEMA_VERSION = 1;
const JOB_FILE = 'job.json';

/**
 * A job as it is persisted after every step: enough to resume it after a crash. `params` is what
 * was asked (per kind); `data` is what the steps learned (execution id sent or not, blocks
 * staged, files downloaded…). Never a token or a SAS URL: those are asked for again.
 */
export interface JobRecord {
  readonly schemaVersion: typeof JOB_SCHEMA_VERSION;
  readonly id: string;
  readonly kind: JobKind;
  title: string;
  environmentId: string;
  environmentName: string;
  targetEnvironmentId: string | null;
  state: JobState;
  step: string;
  readonly createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
  executionId: string | null;
  executionStatus: ExecutionStatusName | null;
  dataProject: string | null;
  company: string | null;
  entities: EntityOutcome[];
  errorCount: number;
  output: string | null;
  diff: CopyDiffEntity[] | null;
  messageId: string | null;
  error: ApiError | null;
  /** Step and state changes, appended on save (absent in jobs saved before it existed). */
  timeline?: JobTimelineEntry[];
  /**
   * Who ran it, from its creation (absent in jobs saved before it existed: "not recorded"); an
   * account signed in only during the job is filled in at its end (ranBy.ts).
   */
  ranBy?: RanBy;
  readonly params: Record<string, unknown>;
  data: Record<string, unknown>;
}

export const FINAL_STATES: ReadonlySet<JobState> = FINAL_JOB_STATES;

/** A job.json is a few KB to a few MB (a copy's diff examples); beyond this it is not a job record. */
const MAX_RECORD_BYTES = 64 * 1024 * 1024;

type RecordRead = 'missing' | { ok: true; value: unknown } | { ok: false; problem: string };

async function readRecord(file: string): Promise<RecordRead> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR')
      return 'missing';
    return { ok: false, problem: error instanceof Error ? error.message : String(error) };
  }
  if (size > MAX_RECORD_BYTES)
    return { ok: false, problem: `it is ${size.toLocaleString('en-US')} bytes, more than a job record can be` };
  try {
    return { ok: true, value: JSON.parse(await readFile(file, 'utf8')) as unknown };
  } catch (error) {
    return { ok: false, problem: `it is not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Jobs on disk: one folder per job (`job.json` plus the files the job made), written atomically. */
export class JobStore {
  readonly #root: string;
  readonly #logger: Logger;
  readonly #writes = new Map<string, Promise<unknown>>();

  constructor(root: string, logger: Logger) {
    this.#root = root;
    this.#logger = logger;
  }

  dirOf(id: string): string {
    return join(this.#root, id);
  }

  /**
   * Every valid job. A job.json that cannot be read as a job of this version (not JSON, a field
   * missing or of the wrong type, too large) is set aside as `job.json.invalid` with a warning
   * naming what is wrong, never deleted; one of another schema version (a newer workbench) is
   * skipped and left as it is. Temp files left by a process killed mid-write are removed.
   */
  async list(): Promise<JobRecord[]> {
    let names: string[];
    try {
      names = await readdir(this.#root);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const records: JobRecord[] = [];
    for (const name of names) {
      const dir = join(this.#root, name);
      await removeAbandonedTemps(dir, JOB_FILE).catch(() => undefined);
      const file = join(dir, JOB_FILE);
      const read = await readRecord(file);
      if (read === 'missing') continue;
      if (read.ok === false) {
        await this.#setAside(file, read.problem);
        continue;
      }
      const value = read.value as { schemaVersion?: unknown; id?: unknown };
      if (value.schemaVersion !== JOB_SCHEMA_VERSION) {
        this.#logger.warn(
          `Skipping ${file}: it is a job of another workbench version (schema ${String(value.schemaVersion)}).`,
        );
        continue;
      }
      const parsed = jobRecordSchema.safeParse(read.value);
      if (!parsed.success) {
        await this.#setAside(file, recordProblems(parsed.error));
        continue;
      }
      if (parsed.data.id !== name) {
        await this.#setAside(file, `its id ${parsed.data.id} is not its folder's name ${name}`);
        continue;
      }
      records.push(parsed.data as unknown as JobRecord);
    }
    return records.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** Moves a job.json that cannot be loaded out of the way (kept beside it), and says why. */
  async #setAside(file: string, problem: string): Promise<void> {
    let target = `${file}.invalid`;
    if (await exists(target)) target = `${file}.invalid-${Date.now()}`;
    try {
      await rename(file, target);
      this.#logger.warn(
        `Set aside ${file} as ${basename(target)}: it is not a job this workbench can load (${problem}). The job's other files are untouched.`,
      );
    } catch (error) {
      this.#logger.warn(
        `Skipping ${file}: it is not a job this workbench can load (${problem}); it could not be set aside.`,
        error instanceof Error ? error.message : error,
      );
    }
  }

  /** Persists the record as it is now; writes of one job are applied in order. */
  save(record: JobRecord): Promise<void> {
    const snapshot = `${JSON.stringify(record, null, 2)}\n`;
    const dir = this.dirOf(record.id);
    const previous = this.#writes.get(record.id) ?? Promise.resolve();
    const next = previous.then(async () => {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await writeFileAtomic(join(dir, JOB_FILE), snapshot, { mode: 0o600 });
    });
    this.#writes.set(
      record.id,
      next.catch(() => undefined),
    );
    return next;
  }
}
