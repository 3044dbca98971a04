import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../electron/services/fs/atomicWrite';
import type { ConnectorMessage } from '../fno/connector';
import type { MessageRegistry } from '../fno/connector';
import type { DmfService } from '../fno/dmfService';
import type { Execution } from '../fno/executions';
import type { DataProject } from '../fno/projects';
import type { RecurringJob, RecurringService } from '../fno/recurring';
import type { RecordStore, RecordStoreSnapshot } from './records';
import type { CatalogEntity } from '../../shared/domain/catalog';
import type { EmulatorCatalog } from './learntEntities';

/**
 * The emulator's state in its data dir: `state.json` (data projects, executions, messages,
 * recurring jobs) and `records.json` (target records), each written atomically, at most once per
 * `delayMs` after a change and once more on stop. Blobs live in Azurite's own folder beside them.
 */
interface StateFile {
  readonly version: 1;
  readonly projects: DataProject[];
  readonly executions: Execution[];
  readonly messages: ConnectorMessage[];
  readonly recurringJobs: RecurringJob[];
  /** Entities learnt from imported packages (absent in state saved by older emulators). */
  readonly learntEntities?: CatalogEntity[];
}

export interface Persistence {
  /** Something changed: schedule a save. */
  changed(): void;
  /** Saves now if anything changed since the last save. */
  flush(): Promise<void>;
}

export interface PersistedParts {
  readonly dmf: DmfService;
  readonly messages: MessageRegistry;
  readonly recurring: RecurringService;
  readonly store: RecordStore;
  readonly catalog: EmulatorCatalog;
}

/** Loads what an earlier run saved; false when the folder has no state yet (first start: seed). */
export async function loadState(dir: string, parts: PersistedParts): Promise<boolean> {
  let state: StateFile;
  let records: RecordStoreSnapshot;
  try {
    state = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')) as StateFile;
    records = JSON.parse(await readFile(join(dir, 'records.json'), 'utf8')) as RecordStoreSnapshot;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new Error(
      `The emulator data in ${dir} cannot be read (${(error as Error).message}). Move the folder away to start afresh.`,
      { cause: error },
    );
  }
  // Learnt entities first: their records are restored into their tables.
  parts.catalog.add(state.learntEntities ?? []);
  parts.store.restore(records);
  for (const p of state.projects) parts.dmf.projects.put(p);
  for (const x of state.executions) {
    // A job that was still being computed when the emulator stopped did not finish.
    if (x.outcome === null)
      Object.assign(x, {
        outcome: 'Failed',
        finishAt: x.pickupAt,
        log: `${x.log}The emulator stopped while this job ran.\n`,
      });
    parts.dmf.executions.add(x);
  }
  for (const m of state.messages) parts.messages.add(m);
  for (const j of state.recurringJobs) parts.recurring.addJob(olderImportJob(j) ? withoutInterval(j) : j);
  return true;
}

/**
 * Import jobs saved before imports ran on their recurrence (no `createdAt`) carry the export
 * default of 5 minutes, which meant nothing for them: they get the environment's default instead.
 */
const olderImportJob = (j: RecurringJob): boolean =>
  j.direction === 'import' && (j as Partial<RecurringJob>).createdAt === undefined;

function withoutInterval(j: RecurringJob): Omit<RecurringJob, 'intervalMinutes'> {
  const { intervalMinutes: _ignored, ...rest } = j;
  return rest;
}

export function createPersistence(dir: string, parts: PersistedParts, delayMs = 1000): Persistence {
  let dirty = false;
  let timer: NodeJS.Timeout | undefined;
  let saving: Promise<void> = Promise.resolve();

  async function save(): Promise<void> {
    if (!dirty) return;
    dirty = false;
    await mkdir(dir, { recursive: true });
    const state: StateFile = {
      version: 1,
      projects: parts.dmf.projects.list(),
      executions: parts.dmf.executions.list(),
      messages: parts.messages.list(),
      recurringJobs: parts.recurring.jobs(),
      learntEntities: [...parts.catalog.learnt()],
    };
    await writeFileAtomic(join(dir, 'state.json'), JSON.stringify(state));
    await writeFileAtomic(join(dir, 'records.json'), JSON.stringify(parts.store.snapshot()));
  }

  const run = (): Promise<void> => (saving = saving.then(save, save));
  return {
    changed() {
      dirty = true;
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        void run();
      }, delayMs);
      timer.unref();
    },
    async flush() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      await run();
    },
  };
}
