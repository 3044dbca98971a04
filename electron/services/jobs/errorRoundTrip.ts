import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  ErrorDataset,
  ErrorDatasets,
  JobSummary,
  ReimportLeftOut,
  RowError,
} from '../../../shared/api/domains/jobs';
import { AppError } from '../../../shared/api/errors';
import type { DatasetService } from '../datasets/datasetService';
import type { Logger } from '../logging/logger';
import type { JobRunner } from './jobRunner';
import type { JobService } from './jobService';
import { isLater } from './jobService';
import { FINAL_STATES } from './jobStore';
import type { JobRecord } from './jobStore';
import type { ImportParams } from './kinds/importJob';
import { readRowErrors } from './kinds/importJob';
import { FAILED_ROWS_DIR, FAILED_ROW_COLUMNS } from './kinds/results';
import { sourcePathOf } from './packageEngineAdapter';
import type { ImportMember, RowOutcome, RowRef } from './rowOutcomes';
import { failedRows, latestOutcomes, outcomeNote, rowKey } from './rowOutcomes';
import type { JobServices } from './services';

/** The read-only column of an error dataset that carries each row's messages. */
export const ERRORS_COLUMN = 'Errors';
/** The read-only column a ready package's failed-rows file gets once a later job decided some of its rows. */
export const OUTCOME_COLUMN = 'Latest outcome';
const PAGE = 5000;
const STAGE_LABEL = { staging: 'Staging', target: 'Target', execution: 'Execution' } as const;

interface Link {
  readonly jobId: string;
  readonly entity: string;
  readonly sourceFile: string;
  /** The source file's own dataset, where fixes are written back (null: a failed-rows file). */
  readonly sourcePath: string | null;
  /**
   * The tab's cells as they were opened (or last written back), by row: only what the consultant
   * changed in the tab goes back to the source, never a stale copy over a newer fix made there.
   */
  readonly written?: Map<number, readonly string[]>;
}

/**
 * The error round trip in the grid. "Open errors" puts a job's failed rows, as the source holds
 * them now, with their messages, into the grid: one dataset per entity and source file (a
 * project's import), or the job's failed-rows files (a ready package's). "Re-import" writes the
 * fixes made there back to the source files' datasets (journaled and undoable like any edit), then
 * starts the re-import of only those rows, which reads the sources as the grid shows them.
 *
 * Both the tab and the source's Errors column follow each row's latest outcome: when a later
 * import of the same rows ends, a row it imported says so (the source's cell is cleared), a row
 * that failed again shows the new messages, and the tab's re-import leaves the imported rows out.
 */
export class ErrorRoundTrip {
  readonly #jobs: JobService;
  readonly #runner: JobRunner<JobServices>;
  readonly #datasets: DatasetService;
  readonly #logger: Logger | null;
  readonly #links = new Map<string, Link>();
  /** Refreshes after job ends run one at a time, in order. */
  #refreshing: Promise<void> = Promise.resolve();

  constructor(options: {
    jobs: JobService;
    runner: JobRunner<JobServices>;
    datasets: DatasetService;
    /** Job changes (jobs.changed): an import that ends refreshes the tabs and columns of its rows. */
    onJobChanged?: (listener: (job: JobSummary) => void) => void;
    logger?: Logger;
  }) {
    this.#jobs = options.jobs;
    this.#runner = options.runner;
    this.#datasets = options.datasets;
    this.#logger = options.logger ?? null;
    options.onJobChanged?.((job) => {
      if (job.kind !== 'import' || !FINAL_STATES.has(job.state)) return;
      this.#refreshing = this.#refreshing
        .then(() => this.refreshAfter(job.id))
        .catch((error: unknown) => this.#logger?.warn(`The failed rows of job ${job.id} were not refreshed`, error));
    });
  }

  /** Resolves once the refreshes of the job ends seen so far are done. */
  settled(): Promise<void> {
    return this.#refreshing;
  }

  async open(jobId: string): Promise<ErrorDatasets> {
    const record = await this.#runner.record(jobId);
    if (record.kind !== 'import' || !FINAL_STATES.has(record.state)) {
      throw new AppError('CONFLICT', `Job ${jobId} is not a finished import: it has no failed rows to open.`);
    }
    // Datasets opened for this job before are closed: the grid shows the errors once.
    await this.#closeLinked(jobId);
    const params = record.params as unknown as ImportParams;
    const errors = await readRowErrors(this.#runner.dirOf(jobId));
    const unplaced = errors.filter((e) => e.sourceFile === null || e.sourceRow === null);
    const family = await this.#jobs.importFamily(record);
    const datasets =
      params.sourceKind === 'project'
        ? await this.#openFromSources(record, params.source, errors, family)
        : await this.#openFailedRowFiles(record, family);
    if (datasets.length === 0) {
      throw new AppError(
        'NOT_FOUND',
        unplaced.length > 0
          ? `The ${unplaced.length} errors of job ${jobId} name no source row: read them in the job's error list.`
          : `Job ${jobId} has no failed rows.`,
      );
    }
    return {
      jobId,
      datasets,
      unplacedErrors: unplaced.map((e) => `${e.entity ? `${e.entity}: ` : ''}${e.message}`).slice(0, 50),
    };
  }

  /** The job and entity an error dataset belongs to (null: not an error dataset). */
  linkOf(datasetId: string): (Link & { readonly datasetId: string }) | null {
    const link = this.#links.get(datasetId);
    return link ? { ...link, datasetId } : null;
  }

  /**
   * Writes the fixes back into the sources, then re-imports only the failed rows that still
   * fail. Nothing is written when nothing is left to re-import (the plan says why).
   */
  async reimport(
    jobId: string,
    confirmProduction?: string,
  ): Promise<JobSummary & { readonly fixesApplied: number; readonly leftOut: readonly ReimportLeftOut[] }> {
    const plan = await this.#jobs.reimportPlan(jobId);
    if (plan.failedRows > 0 && plan.toSend === 0) {
      throw new AppError(
        'CONFLICT',
        `Nothing left to re-import from job ${jobId}: ${plan.leftOut.map((l) => l.message).join(' ')}`,
      );
    }
    let fixesApplied = 0;
    for (const [datasetId, link] of this.#links) {
      if (link.jobId !== jobId || link.sourcePath === null) continue;
      fixesApplied += await this.#writeBack(datasetId, { ...link, sourcePath: link.sourcePath });
    }
    const job = await this.#jobs.reimportFailed(jobId, confirmProduction);
    return { ...job, fixesApplied };
  }

  /**
   * An import ended: the tabs of earlier jobs of the same rows, and the Errors column of their
   * source files, show each row's latest outcome.
   */
  async refreshAfter(jobId: string): Promise<void> {
    const ended = await this.#runner.record(jobId);
    const family = await this.#jobs.importFamily(ended);
    const ids = new Set(family.map((m) => m.record.id));
    const sources = new Set<string>();
    for (const [datasetId, link] of [...this.#links]) {
      if (!ids.has(link.jobId) || link.jobId === jobId) continue;
      const record = family.find((m) => m.record.id === link.jobId)?.record;
      if (!record) continue;
      const later = family.filter((m) => isLater(m.record, record));
      if (link.sourcePath !== null) sources.add(`${link.entity}\u0000${link.sourceFile}\u0000${link.sourcePath}`);
      try {
        if (link.sourcePath === null) await this.#refreshFailedRowsFile(datasetId, link.entity, later);
        else await this.#refreshTab(datasetId, link, record, later);
      } catch (error) {
        // The tab was closed in the grid: nothing shows it any more.
        if (!(await this.#datasets.get(datasetId).catch(() => null))) this.#links.delete(datasetId);
        else throw error;
      }
    }
    for (const key of sources) {
      const [entity, sourceFile, sourcePath] = key.split('\u0000') as [string, string, string];
      await this.#refreshSource(sourcePath, entity, sourceFile, family);
    }
  }

  async #openFromSources(
    record: JobRecord,
    projectDir: string,
    errors: readonly RowError[],
    family: readonly ImportMember[],
  ): Promise<ErrorDataset[]> {
    const jobId = record.id;
    const later = family.filter((m) => isLater(m.record, record));
    const groups = new Map<string, { entity: string; sourceFile: string; rows: Map<number, RowError[]> }>();
    for (const error of errors) {
      if (error.sourceFile === null || error.sourceRow === null) continue;
      const key = `${error.entity}\u0000${error.sourceFile}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { entity: error.entity, sourceFile: error.sourceFile, rows: new Map() }));
      const list = group.rows.get(error.sourceRow) ?? [];
      list.push(error);
      group.rows.set(error.sourceRow, list);
    }
    const opened: ErrorDataset[] = [];
    for (const group of groups.values()) {
      const sourcePath = sourcePathOf(projectDir, { sourceFile: group.sourceFile });
      const source = await this.#sourceDataset(sourcePath);
      const editable = source.columns.filter((c) => !c.readOnly);
      const ids = [...group.rows.keys()].sort((a, b) => a - b);
      const found = await this.#datasets.rowsById(source.id, ids);
      // The source file itself shows the messages too, beside the rows they belong to.
      await this.#refreshSource(sourcePath, group.entity, group.sourceFile, family);
      const refs = found.ids.map((sourceRow) => ({ entity: group.entity, sourceFile: group.sourceFile, sourceRow }));
      const outcomes = latestOutcomes(later, refs);
      const rows = found.rows.map((row, i) => [
        tabMessage(group.rows.get(found.ids[i] as number) ?? [], outcomes.get(rowKey(refs[i] as RowRef))),
        ...editable.map((c) => row[c.index] ?? ''),
      ]);
      const info = await this.#datasets.openRows(
        {
          name: `${group.entity}: failed rows`,
          source: `Job ${jobId}: failed rows of ${group.entity} in ${group.sourceFile}`,
          columns: [
            { name: ERRORS_COLUMN, readOnly: true },
            ...editable.map((c) => ({ name: c.name, readOnly: false })),
          ],
        },
        [{ rows, ids: found.ids }],
      );
      this.#links.set(info.id, {
        jobId,
        entity: group.entity,
        sourceFile: group.sourceFile,
        sourcePath,
        written: new Map(rows.map((row, i) => [found.ids[i] as number, row])),
      });
      // The grid's own checks too: a fix that breaks another rule shows before the re-import.
      await this.#datasets.validate(info.id, group.entity).catch(() => undefined);
      opened.push({
        datasetId: info.id,
        entity: group.entity,
        sourceFile: group.sourceFile,
        sourceDatasetId: source.id,
        rows: found.ids.length,
        errors: [...group.rows.values()].reduce((n, list) => n + list.length, 0),
      });
    }
    return opened;
  }

  /** A ready package's failed rows: the job's failed-rows files, fixed in the grid and read from it. */
  async #openFailedRowFiles(record: JobRecord, family: readonly ImportMember[]): Promise<ErrorDataset[]> {
    const jobId = record.id;
    const later = family.filter((m) => isLater(m.record, record));
    const dir = join(this.#runner.dirOf(jobId), FAILED_ROWS_DIR);
    const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.toLowerCase().endsWith('.csv'));
    const opened: ErrorDataset[] = [];
    for (const file of files.sort()) {
      const info = await this.#datasets.open(join(dir, file), {});
      const entity = file.replace(/\.csv$/i, '');
      this.#links.set(info.id, { jobId, entity, sourceFile: file, sourcePath: null });
      await this.#refreshFailedRowsFile(info.id, entity, later);
      opened.push({
        datasetId: info.id,
        entity,
        sourceFile: file,
        sourceDatasetId: null,
        rows: info.rowCount,
        errors: info.rowCount,
      });
    }
    return opened;
  }

  /** A project tab's Errors column: the job's messages, or what a later job did with the row. */
  async #refreshTab(datasetId: string, link: Link, record: JobRecord, later: readonly ImportMember[]): Promise<void> {
    const own = failedRows(await readRowErrors(this.#runner.dirOf(record.id)));
    const ids = await this.#rowIds(datasetId);
    const refs = ids.map((sourceRow) => ({ entity: link.entity, sourceFile: link.sourceFile, sourceRow }));
    const outcomes = latestOutcomes(later, refs);
    await this.#datasets.attachColumn(
      datasetId,
      ERRORS_COLUMN,
      refs.map((ref) => ({
        row: ref.sourceRow,
        value: tabMessage(own.get(rowKey(ref))?.errors ?? [], outcomes.get(rowKey(ref))),
      })),
    );
  }

  /**
   * A ready package's failed-rows file names each row's origin in _SOURCEFILE/_SOURCEROW; once a
   * later job decided some of them, a read-only column says what became of each.
   */
  async #refreshFailedRowsFile(datasetId: string, entity: string, later: readonly ImportMember[]): Promise<void> {
    if (later.length === 0) return;
    const info = await this.#datasets.get(datasetId);
    const [fileAt, rowAt] = FAILED_ROW_COLUMNS.slice(0, 2).map((name) =>
      info.columns.findIndex((c) => c.name === name),
    );
    if (fileAt === undefined || rowAt === undefined || fileAt < 0 || rowAt < 0) return;
    const rows = await this.#allRows(datasetId);
    const refs = rows.map((r) => ({
      entity,
      sourceFile: r.cells[fileAt] ?? '',
      sourceRow: Number(r.cells[rowAt]) || 0,
    }));
    const outcomes = latestOutcomes(later, refs);
    if (outcomes.size === 0) return;
    await this.#datasets.attachColumn(
      datasetId,
      OUTCOME_COLUMN,
      rows.map((r, i) => {
        const outcome = outcomes.get(rowKey(refs[i] as RowRef));
        return { row: r.id, value: outcome ? tabMessage([], outcome) : '' };
      }),
    );
  }

  /**
   * The source file's Errors column, when the grid has it open: every row that failed in an
   * import of the family, with its latest outcome (blank once imported).
   */
  async #refreshSource(
    sourcePath: string,
    entity: string,
    sourceFile: string,
    family: readonly ImportMember[],
  ): Promise<void> {
    const source = await this.#datasets.openedFile(sourcePath);
    if (!source || source.state !== 'ready') return;
    const rows = new Map<string, RowRef>();
    for (const member of family) {
      for (const [key, { ref }] of failedRows(member.errors)) {
        if (ref.sourceFile === sourceFile && ref.entity.toLowerCase() === entity.toLowerCase()) rows.set(key, ref);
      }
    }
    const refs = [...rows.values()];
    const present = new Set(
      (
        await this.#datasets.rowsById(
          source.id,
          refs.map((r) => r.sourceRow),
        )
      ).ids,
    );
    const outcomes = latestOutcomes(family, refs);
    await this.#datasets
      .attachColumn(
        source.id,
        ERRORS_COLUMN,
        refs
          .filter((ref) => present.has(ref.sourceRow))
          .map((ref) => {
            const outcome = outcomes.get(rowKey(ref));
            return {
              row: ref.sourceRow,
              value: !outcome || outcome.kind === 'imported' ? '' : tabMessage([], outcome),
            };
          }),
      )
      .catch((error: unknown) => this.#logger?.warn(`The Errors column of ${sourcePath} was not updated`, error));
  }

  async #allRows(datasetId: string): Promise<{ id: number; cells: readonly string[] }[]> {
    const rows: { id: number; cells: readonly string[] }[] = [];
    for (let start = 0; ; start += PAGE) {
      const page = await this.#datasets.rows(datasetId, { sort: [], filters: [], issues: null }, start, PAGE);
      rows.push(...page.rows);
      if (start + PAGE >= page.total) break;
    }
    return rows;
  }

  async #rowIds(datasetId: string): Promise<number[]> {
    return (await this.#allRows(datasetId)).map((r) => r.id);
  }

  async #sourceDataset(path: string) {
    const open = await this.#datasets.openedFile(path);
    if (open && open.state === 'ready') return withIndexes(open.columns, open.id);
    const opened = await this.#datasets.open(path, {});
    const settled = await this.#datasets.openedFile(path);
    return withIndexes((settled ?? opened).columns, (settled ?? opened).id);
  }

  /** Cells changed in the error dataset become edits of the source's dataset (one undoable step). */
  async #writeBack(datasetId: string, link: Link & { readonly sourcePath: string }): Promise<number> {
    const { sourcePath, written } = link;
    const fixed = await this.#datasets.get(datasetId).catch(() => null);
    if (!fixed) return 0;
    const source = await this.#sourceDataset(sourcePath);
    const byName = new Map(source.columns.filter((c) => !c.readOnly).map((c) => [c.name, c.index]));
    const rows = await this.#allRows(datasetId);
    const current = await this.#datasets.rowsById(
      source.id,
      rows.map((r) => r.id),
    );
    const sourceRows = new Map(current.ids.map((id, i) => [id, current.rows[i] as string[]]));
    const edits: { row: number; column: number; value: string }[] = [];
    for (const row of rows) {
      const before = sourceRows.get(row.id);
      if (!before) continue;
      const opened = written?.get(row.id);
      fixed.columns.forEach((column, i) => {
        const at = byName.get(column.name);
        if (column.readOnly || at === undefined) return;
        const value = row.cells[i] ?? '';
        if (opened && value === (opened[i] ?? '')) return;
        if (value !== (before[at] ?? '')) edits.push({ row: row.id, column: at, value });
      });
      written?.set(row.id, row.cells);
    }
    if (edits.length > 0) await this.#datasets.edit(source.id, edits);
    return edits.length;
  }

  async #closeLinked(jobId: string): Promise<void> {
    for (const [datasetId, link] of [...this.#links]) {
      if (link.jobId !== jobId) continue;
      this.#links.delete(datasetId);
      await this.#datasets.close(datasetId).catch(() => false);
    }
  }
}

function withIndexes(columns: readonly { name: string; readOnly: boolean }[], id: string) {
  return { id, columns: columns.map((c, index) => ({ ...c, index })) };
}

/**
 * A tab's cell for a row: what a later job did with it (imported, importing, sent), the later
 * job's messages when it failed again, else the job's own messages.
 */
function tabMessage(own: readonly RowError[], outcome: RowOutcome | undefined): string {
  if (!outcome) return messagesOf(own);
  if (outcome.kind === 'failed') return `${messagesOf(outcome.errors)} (again in job ${outcome.job.id})`;
  return outcomeNote(outcome);
}

/** A row's messages in one cell: "Target · PAYMENTTERMID: Payment terms 'BADTERM' do not exist." */
function messagesOf(errors: readonly RowError[]): string {
  return errors.map((e) => `${STAGE_LABEL[e.stage]}${e.field ? ` · ${e.field}` : ''}: ${e.message}`).join(' | ');
}
