import { AppError } from '../../../shared/api/errors';

/** From schema version n to n + 1, keyed by n. Each is a pure function of the parsed JSON. */
export type Migrations = Readonly<Record<number, (document: Record<string, unknown>) => Record<string, unknown>>>;

/**
 * Brings a document written by an older workbench up to `current`, one version at a time. A
 * document from a newer workbench is refused rather than guessed at (saving it would lose what
 * this version does not know). The migrated form is written on the next save.
 */
export function migrateDocument(file: string, raw: unknown, current: number, migrations: Migrations): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new AppError('INVALID_INPUT', `${file} does not hold a JSON object.`);
  }
  let document = raw as Record<string, unknown>;
  let version = document.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new AppError('INVALID_INPUT', `${file} has no valid schemaVersion (a whole number from 1).`);
  }
  if (version > current) {
    throw new AppError(
      'INVALID_INPUT',
      `${file} was written by a newer DMF Workbench (schema version ${version}; this one reads up to ${current}). Update the workbench.`,
    );
  }
  while (version < current) {
    const step = migrations[version];
    if (!step) throw new AppError('INTERNAL', `No migration of ${file} from schema version ${version}.`);
    document = { ...step(document), schemaVersion: version + 1 };
    version += 1;
  }
  return document;
}
