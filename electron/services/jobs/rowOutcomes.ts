import { basename } from 'node:path';
import type { ReimportLeftOut, RowError } from '../../../shared/api/domains/jobs';
import type { JobRecord } from './jobStore';
import { FINAL_STATES } from './jobStore';
import type { ImportData, ImportParams } from './kinds/importJob';
import type { Lineage } from './lineage';
import { findEntity } from './lineage';

/** A source row as lineage and row errors name it: entity label, source file, 1-based data row. */
export interface RowRef {
  readonly entity: string;
  readonly sourceFile: string;
  readonly sourceRow: number;
}

/**
 * What became of a row in one import job: in the target, failed again (with the messages), sent
 * with no known outcome (the job stopped after F&O took it), or in a job that has not ended.
 */
export type RowOutcome =
  | { readonly kind: 'imported'; readonly job: JobRecord }
  | { readonly kind: 'failed'; readonly job: JobRecord; readonly errors: readonly RowError[] }
  | { readonly kind: 'sent'; readonly job: JobRecord }
  | { readonly kind: 'importing'; readonly job: JobRecord };

/** An import job with the rows it sends (see coverageOf) and the rows that failed. */
export interface ImportMember {
  readonly record: JobRecord;
  readonly covers: (ref: RowRef) => boolean;
  readonly errors: readonly RowError[];
}

export const rowKey = (ref: RowRef): string =>
  `${ref.entity.toLowerCase()}\u0000${ref.sourceFile}\u0000${ref.sourceRow}`;

/** The failed rows of a job's errors, once each (execution errors that name no row are not rows). */
export function failedRows(errors: readonly RowError[]): Map<string, { ref: RowRef; errors: RowError[] }> {
  const rows = new Map<string, { ref: RowRef; errors: RowError[] }>();
  for (const error of errors) {
    if (error.stage === 'execution' || error.sourceFile === null || error.sourceRow === null) continue;
    const ref = { entity: error.entity, sourceFile: error.sourceFile, sourceRow: error.sourceRow };
    const key = rowKey(ref);
    const found = rows.get(key);
    if (found) found.errors.push(error);
    else rows.set(key, { ref, errors: [error] });
  }
  return rows;
}

/**
 * The import jobs that send rows of the same source into the same place as `job`: same
 * environment and legal entity, and the same origin (the project folder, or the ready package
 * a failed-rows re-import goes back to). A row of one of them is a row of the others.
 */
export function sameFamily(records: Iterable<JobRecord>, job: JobRecord): JobRecord[] {
  const byId = new Map([...records].map((r) => [r.id, r]));
  const key = familyKey(job, byId);
  return [...byId.values()]
    .filter((r) => r.kind === 'import' && familyKey(r, byId) === key)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

function familyKey(record: JobRecord, byId: ReadonlyMap<string, JobRecord>): string {
  return `${record.environmentId}\u0000${(record.company ?? '').toUpperCase()}\u0000${originOf(record, byId)}`;
}

/** A re-import of a package's failed rows goes back to the package of the job it re-imports. */
function originOf(record: JobRecord, byId: ReadonlyMap<string, JobRecord>): string {
  let params = record.params as unknown as ImportParams;
  const seen = new Set<string>();
  while (params.sourceKind === 'failed-rows' && params.reimportOf && !seen.has(params.reimportOf)) {
    seen.add(params.reimportOf);
    const parent = byId.get(params.reimportOf);
    if (!parent) return params.basePackage ?? params.source;
    params = parent.params as unknown as ImportParams;
  }
  return params.sourceKind === 'failed-rows' ? (params.basePackage ?? params.source) : params.source;
}

/**
 * The latest outcome of each row among `members` (oldest first): a later job that sent the row
 * decides, unless it ended without saying anything about it (failed before sending, cancelled,
 * a Failed execution that names other rows). Rows no member decides are absent.
 */
export function latestOutcomes(members: readonly ImportMember[], rows: readonly RowRef[]): Map<string, RowOutcome> {
  const latest = new Map<string, RowOutcome>();
  for (const member of members) {
    const failed = failedRows(member.errors);
    for (const ref of rows) {
      if (!member.covers(ref)) continue;
      const outcome = outcomeIn(member, failed.get(rowKey(ref))?.errors ?? null);
      if (outcome) latest.set(rowKey(ref), outcome);
    }
  }
  return latest;
}

function outcomeIn(member: ImportMember, errors: readonly RowError[] | null): RowOutcome | null {
  const job = member.record;
  if (!FINAL_STATES.has(job.state)) return { kind: 'importing', job };
  if (errors) return { kind: 'failed', job, errors };
  const params = job.params as unknown as ImportParams;
  if ((job.executionStatus === 'Succeeded' || job.executionStatus === 'PartiallySucceeded') && params.execute) {
    return { kind: 'imported', job };
  }
  // F&O took the package but the job never learnt how it ended: the row may be in the target.
  const sent = (job.data as ImportData).submitSentAt !== undefined;
  const ended = job.executionStatus === 'Failed' || job.executionStatus === 'Canceled';
  return sent && !ended && params.execute ? { kind: 'sent', job } : null;
}

/**
 * Which rows a job sends: those of its lineage once its package is built; a ready package's
 * rows are its data files' rows (named `<package>/<data file>`); before the build, what it was
 * asked to send (a selection), or for a job that has not ended, any row of its source.
 */
export function coverageOf(record: JobRecord, lineage: Lineage | null): (ref: RowRef) => boolean {
  const params = record.params as unknown as ImportParams;
  if (lineage) {
    return (ref) => {
      const entity = findEntity(lineage, ref.entity);
      const source = lineage.sources.indexOf(ref.sourceFile);
      return (
        entity !== undefined &&
        source >= 0 &&
        entity.segments.some(
          (s) => s.source === source && ref.sourceRow >= s.sourceRow && ref.sourceRow < s.sourceRow + s.count,
        )
      );
    };
  }
  if (params.sourceKind === 'package') {
    const prefix = `${basename(params.source)}/`;
    return (ref) => ref.sourceFile.startsWith(prefix);
  }
  if (params.sourceKind === 'project' && params.selection) {
    const selection = params.selection;
    return (ref) => {
      const files = Object.entries(selection).find(([label]) => label.toLowerCase() === ref.entity.toLowerCase());
      return files?.[1][ref.sourceFile]?.includes(ref.sourceRow) ?? false;
    };
  }
  const running = !FINAL_STATES.has(record.state);
  return () => running;
}

/** Why rows are left out of a re-import, grouped by the job that decided them. */
export function leftOutReasons(outcomes: Iterable<RowOutcome>): ReimportLeftOut[] {
  const groups = new Map<string, { outcome: RowOutcome; rows: number }>();
  for (const outcome of outcomes) {
    if (outcome.kind === 'failed') continue;
    const key = `${outcome.kind}\u0000${outcome.job.id}`;
    const group = groups.get(key);
    if (group) group.rows++;
    else groups.set(key, { outcome, rows: 1 });
  }
  return [...groups.values()].map(({ outcome, rows }) => ({
    reason: outcome.kind as ReimportLeftOut['reason'],
    jobId: outcome.job.id,
    rows,
    message: leftOutMessage(outcome, rows),
  }));
}

function leftOutMessage(outcome: RowOutcome, rows: number): string {
  const these = rows === 1 ? '1 row was' : `${rows.toLocaleString('en-US')} rows were`;
  const at = outcome.job.finishedAt ? ` on ${localTime(outcome.job.finishedAt)}` : '';
  switch (outcome.kind) {
    case 'imported':
      return `${these} imported since by job ${outcome.job.id}${at}: they are in the target and are not sent again.`;
    case 'importing':
      return `${these} left out: job ${outcome.job.id} is importing them now. Once it ends, re-import what still fails.`;
    default:
      return (
        `${these} left out: job ${outcome.job.id} sent them to F&O and stopped before it learnt the outcome, so ` +
        `they may be in the target. Resume it (dmfw resume ${outcome.job.id} --wait) to find out.`
      );
  }
}

/** What a failed-rows tab says of a row, from its latest outcome. */
export function outcomeNote(outcome: RowOutcome): string {
  const at = outcome.job.finishedAt ? ` on ${localTime(outcome.job.finishedAt)}` : '';
  switch (outcome.kind) {
    case 'imported':
      return `Imported since by job ${outcome.job.id}${at}: nothing to re-import.`;
    case 'importing':
      return `Being imported by job ${outcome.job.id} now.`;
    case 'sent':
      return `Sent again by job ${outcome.job.id}, whose outcome is not known: resume that job.`;
    default:
      return '';
  }
}

/** "2024-05-01 14:03" in the machine's time zone: what a consultant reads in a cell. */
function localTime(iso: string): string {
  const d = new Date(iso);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}
