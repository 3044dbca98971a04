import { stat } from 'node:fs/promises';
import { basename, dirname, relative, sep } from 'node:path';
import type { JournalPort, SourceKey } from '../datasets/persistence';
import type { JournalEntry } from '../datasets/store/dataset';
import type { ProjectService } from './projectService';
import { PROJECT_FILE } from './projectService';

/** Journal op that forgets a source's earlier edits (the grid re-opened it differently). */
const RESET = 'reset';
/** How far up from a source file a project folder is looked for. */
const MAX_DEPTH = 8;

interface Payload {
  readonly entry: JournalEntry;
  /** The source file's size and time when edited: edits replay only onto the same bytes. */
  readonly size: number;
  readonly mtimeMs: number;
}

/**
 * The grid's edits journal (the datasets service's JournalPort), kept in the workbench project
 * a source file belongs to: a file inside a project folder journals into that project's
 * edits.json (op = the grid's op, payload = the grid's entry and the file version), so the edits
 * travel with the project in git. Files outside any project use `fallback` (the data folder).
 */
export function projectJournal(projects: ProjectService, fallback: JournalPort): JournalPort {
  return {
    async load(key) {
      const place = await placeOf(key.path);
      if (!place) return fallback.load(key);
      const { edits } = await projects.edits(place.dir, 0, Number.MAX_SAFE_INTEGER);
      let entries: JournalEntry[] = [];
      for (const edit of edits) {
        if (edit.sourceFile !== place.sourceFile) continue;
        if (edit.op === RESET) {
          entries = [];
          continue;
        }
        const payload = edit.payload as Payload;
        if (payload.size === key.size && Math.abs(payload.mtimeMs - key.mtimeMs) < 1) entries.push(payload.entry);
      }
      return entries;
    },
    async append(key, entries) {
      const place = await placeOf(key.path);
      if (!place) return fallback.append(key, entries);
      const entity = await entityOf(projects, place);
      await projects.appendEdits(
        place.dir,
        entries.map((entry) => ({
          entity,
          sourceFile: place.sourceFile,
          op: entry.op,
          payload: { entry, size: key.size, mtimeMs: key.mtimeMs } satisfies Payload,
        })),
      );
    },
    async reset(key: SourceKey) {
      const place = await placeOf(key.path);
      if (!place) return fallback.reset(key);
      const entity = await entityOf(projects, place);
      await projects.appendEdits(place.dir, [{ entity, sourceFile: place.sourceFile, op: RESET, payload: {} }]);
    },
  };
}

interface Place {
  readonly dir: string;
  /** The file relative to the project folder, with `/` (as the project names its sources). */
  readonly sourceFile: string;
}

/** The project folder above a source file, if any. */
async function placeOf(path: string): Promise<Place | null> {
  let dir = dirname(path);
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    try {
      await stat(`${dir}${sep}${PROJECT_FILE}`);
      return { dir, sourceFile: relative(dir, path).split(sep).join('/') };
    } catch {
      const parent = dirname(dir);
      if (parent === dir) return null;
      dir = parent;
    }
  }
  return null;
}

/** The label of the project entity fed by this file; the file name when none is (yet). */
async function entityOf(projects: ProjectService, place: Place): Promise<string> {
  const document = await projects.document(place.dir);
  return document.entities.find((e) => e.sourceFile === place.sourceFile)?.label ?? basename(place.sourceFile);
}
