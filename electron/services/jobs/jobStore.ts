import { mkdir, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  CopyDiffEntity,
  EntityOutcome,
  ExecutionStatusName,
  JobKind,
  JobState,
  JobTimelineEntry,
} from '../../../shared/api/domains/jobs';
import type { ApiError } from '../../../shared/api/errors';
import { FINAL_JOB_STATES } from '../../../shared/domain/jobs/outcome';
import { writeFileAtomic } from '../fs/atomicWrite';
import type { Logger } from '../logging/logger';

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
  readonly params: Record<string, unknown>;
  data: Record<string, unknown>;
}

export const FINAL_STATES: ReadonlySet<JobState> = FINAL_JOB_STATES;

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

  /** Every readable job; an unreadable job.json is reported and skipped, never deleted. */
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
      const file = join(this.#root, name, JOB_FILE);
      try {
        const record = JSON.parse(await readFile(file, 'utf8')) as JobRecord;
        if (record.schemaVersion !== JOB_SCHEMA_VERSION || record.id !== name) {
          this.#logger.warn(`Skipping ${file}: it is not a job of this workbench version.`);
          continue;
        }
        records.push(record);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
        this.#logger.warn(`Skipping ${file}: it cannot be read.`, error instanceof Error ? error.message : error);
      }
    }
    return records.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
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
