import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { finished } from 'node:stream/promises';
import type { CopyChoices, CopyDiffRow } from '../../../../shared/api/domains/jobs';
import type { CatalogField } from '../../../../shared/domain/catalog';
import { writeFileAtomic } from '../../fs/atomicWrite';
import { fileSafe } from '../fileNames';

/**
 * A configuration copy's diff, kept with the job: every record of every entity as it was before
 * the copy (one JSON line each, in the package's order), and after the verification what the
 * target then held of it. The copy screen and the diff export read these files, so the diff does
 * not turn into "Same" for every record once the copy ran.
 */
const DIFF_DIR = 'diff';

/** What the verification found for a record the copy sent. */
export type AfterStatus = NonNullable<CopyDiffRow['after']>;

const beforeFile = (dir: string, label: string) => join(dir, DIFF_DIR, `${fileSafe(label)}.jsonl`);
const afterFile = (dir: string, label: string) => join(dir, DIFF_DIR, `${fileSafe(label)}.after.json`);

/** Writes an entity's records before the copy, streamed (one line per record), atomically. */
export async function writeBefore(dir: string, label: string, rows: AsyncIterable<CopyDiffRow>): Promise<void> {
  const file = beforeFile(dir, label);
  await mkdir(join(dir, DIFF_DIR), { recursive: true });
  const temp = `${file}.tmp`;
  const out = createWriteStream(temp);
  try {
    for await (const row of rows) {
      if (!out.write(`${JSON.stringify(row)}\n`))
        await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
    out.end();
    await finished(out);
    await rename(temp, file);
  } catch (error) {
    out.destroy();
    await rm(temp, { force: true });
    throw error;
  }
}

/** The records as they were before the copy (see hasBefore). */
export async function* readBefore(dir: string, label: string): AsyncGenerator<CopyDiffRow> {
  const input = createReadStream(beforeFile(dir, label), { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of lines) if (line) yield JSON.parse(line) as CopyDiffRow;
  } finally {
    lines.close();
    input.destroy();
  }
}

/** Did the job keep its diff? (Jobs from before the workbench kept it do not.) */
export function hasBefore(dir: string, label: string): Promise<boolean> {
  return stat(beforeFile(dir, label)).then(
    () => true,
    () => false,
  );
}

export async function writeAfter(dir: string, label: string, after: ReadonlyMap<string, AfterStatus>): Promise<void> {
  await mkdir(join(dir, DIFF_DIR), { recursive: true });
  await writeFileAtomic(afterFile(dir, label), JSON.stringify(Object.fromEntries(after)));
}

/** Record key → what the verification found (empty before the copy ran). */
export async function readAfter(dir: string, label: string): Promise<Map<string, AfterStatus>> {
  try {
    return new Map(
      Object.entries(JSON.parse(await readFile(afterFile(dir, label), 'utf8')) as Record<string, AfterStatus>),
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
}

/** An entity's choices (records left out, fields whose target value is kept), case-insensitive label. */
export function choicesFor(choices: CopyChoices | null, label: string): { skip: Set<string>; keep: Set<string> } {
  const found = Object.entries(choices?.entities ?? {}).find(([l]) => l.toLowerCase() === label.toLowerCase())?.[1];
  return { skip: new Set(found?.skip ?? []), keep: new Set((found?.keepTarget ?? []).map((f) => f.toUpperCase())) };
}

/**
 * Whether the copy sends a record, under the consultant's choices: not when it was unticked,
 * not when it already exists and the copy is insert-only.
 */
export function sendsRecord(row: Pick<CopyDiffRow, 'key' | 'status'>, choices: CopyChoices | null, skip: Set<string>) {
  if (skip.has(row.key)) return false;
  return !(choices?.insertOnly && row.status !== 'new');
}

/** A record as the copy screen shows it: before, what the choices make of it, and after. */
export function withChoices(
  row: CopyDiffRow,
  choices: CopyChoices | null,
  entity: { skip: Set<string>; keep: Set<string> },
  after: ReadonlyMap<string, AfterStatus>,
  decided: boolean,
): CopyDiffRow {
  const copied = decided ? sendsRecord(row, choices, entity.skip) : null;
  // A record left out keeps every value of the target: "kept" says which the copy chose to keep.
  const keeps = row.status === 'changed' && copied !== false;
  return {
    ...row,
    copied,
    changes: row.changes.map((c) => ({ ...c, kept: keeps && entity.keep.has(c.field) })),
    after: after.get(row.key) ?? null,
  };
}

/**
 * An OData value as a package cell (what F&O's exports write), so that "keep the target's value"
 * imports exactly what the target holds: dates without the time zone suffix, Yes/No, numbers as
 * text; 1900-01-01 is F&O's "no date", an empty cell [INFER from F&O's exports of empty dates].
 */
export function packageText(field: CatalogField | undefined, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'object') return JSON.stringify(value);
  const text = String(value);
  if (field?.type === 'Date') return text === '1900-01-01' ? '' : text;
  if (field?.type === 'UtcDateTime') {
    const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?Z?$/.exec(text);
    if (!m) return text;
    return m[1] === '1900-01-01' ? '' : `${m[1]} ${m[2]}`;
  }
  return text;
}
