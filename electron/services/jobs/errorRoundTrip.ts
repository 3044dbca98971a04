import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ErrorDataset, ErrorDatasets, JobSummary, RowError } from '../../../shared/api/domains/jobs';
import { AppError } from '../../../shared/api/errors';
import type { DatasetService } from '../datasets/datasetService';
import type { JobRunner } from './jobRunner';
import type { JobService } from './jobService';
import { FINAL_STATES } from './jobStore';
import type { ImportParams } from './kinds/importJob';
import { readRowErrors } from './kinds/importJob';
import { FAILED_ROWS_DIR } from './kinds/results';
import { sourcePathOf } from './packageEngineAdapter';
import type { JobServices } from './services';

/** The read-only column of an error dataset that carries each row's messages. */
export const ERRORS_COLUMN = 'Errors';
const PAGE = 5000;
const STAGE_LABEL = { staging: 'Staging', target: 'Target', execution: 'Execution' } as const;

interface Link {
  readonly jobId: string;
  readonly entity: string;
  readonly sourceFile: string;
  /** The source file's own dataset, where fixes are written back (null: a failed-rows file). */
  readonly sourcePath: string | null;
}

/**
 * The error round trip in the grid. "Open errors" puts a job's failed rows, as the source holds
 * them now, with their messages, into the grid: one dataset per entity and source file (a
 * project's import), or the job's failed-rows files (a ready package's). "Re-import" writes the
 * fixes made there back to the source files' datasets (journaled and undoable like any edit), then
 * starts the re-import of only those rows, which reads the sources as the grid shows them.
 */
export class ErrorRoundTrip {
  readonly #jobs: JobService;
  readonly #runner: JobRunner<JobServices>;
  readonly #datasets: DatasetService;
  readonly #links = new Map<string, Link>();

  constructor(options: { jobs: JobService; runner: JobRunner<JobServices>; datasets: DatasetService }) {
    this.#jobs = options.jobs;
    this.#runner = options.runner;
    this.#datasets = options.datasets;
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
    const datasets =
      params.sourceKind === 'project'
        ? await this.#openFromSources(jobId, params.source, errors)
        : await this.#openFailedRowFiles(jobId);
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

  /** Writes the fixes back into the sources, then re-imports only the failed rows. */
  async reimport(jobId: string, confirmProduction?: string): Promise<JobSummary & { readonly fixesApplied: number }> {
    let fixesApplied = 0;
    for (const [datasetId, link] of this.#links) {
      if (link.jobId !== jobId || link.sourcePath === null) continue;
      fixesApplied += await this.#writeBack(datasetId, link.sourcePath);
    }
    const job = await this.#jobs.reimportFailed(jobId, confirmProduction);
    return { ...job, fixesApplied };
  }

  async #openFromSources(jobId: string, projectDir: string, errors: readonly RowError[]): Promise<ErrorDataset[]> {
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
      await this.#datasets
        .attachColumn(
          source.id,
          ERRORS_COLUMN,
          found.ids.map((row) => ({ row, value: messagesOf(group.rows.get(row) ?? []) })),
        )
        .catch(() => undefined);
      const rows = found.rows.map((row, i) => [
        messagesOf(group.rows.get(found.ids[i] as number) ?? []),
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
      this.#links.set(info.id, { jobId, entity: group.entity, sourceFile: group.sourceFile, sourcePath });
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
  async #openFailedRowFiles(jobId: string): Promise<ErrorDataset[]> {
    const dir = join(this.#runner.dirOf(jobId), FAILED_ROWS_DIR);
    const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.toLowerCase().endsWith('.csv'));
    const opened: ErrorDataset[] = [];
    for (const file of files.sort()) {
      const info = await this.#datasets.open(join(dir, file), {});
      const entity = file.replace(/\.csv$/i, '');
      this.#links.set(info.id, { jobId, entity, sourceFile: file, sourcePath: null });
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

  async #sourceDataset(path: string) {
    const open = await this.#datasets.openedFile(path);
    if (open && open.state === 'ready') return withIndexes(open.columns, open.id);
    const opened = await this.#datasets.open(path, {});
    const settled = await this.#datasets.openedFile(path);
    return withIndexes((settled ?? opened).columns, (settled ?? opened).id);
  }

  /** Cells changed in the error dataset become edits of the source's dataset (one undoable step). */
  async #writeBack(datasetId: string, sourcePath: string): Promise<number> {
    const fixed = await this.#datasets.get(datasetId).catch(() => null);
    if (!fixed) return 0;
    const source = await this.#sourceDataset(sourcePath);
    const byName = new Map(source.columns.filter((c) => !c.readOnly).map((c) => [c.name, c.index]));
    const rows: { id: number; cells: readonly string[] }[] = [];
    for (let start = 0; ; start += PAGE) {
      const page = await this.#datasets.rows(datasetId, { sort: [], filters: [], issues: null }, start, PAGE);
      rows.push(...page.rows);
      if (start + PAGE >= page.total) break;
    }
    const current = await this.#datasets.rowsById(
      source.id,
      rows.map((r) => r.id),
    );
    const sourceRows = new Map(current.ids.map((id, i) => [id, current.rows[i] as string[]]));
    const edits: { row: number; column: number; value: string }[] = [];
    for (const row of rows) {
      const before = sourceRows.get(row.id);
      if (!before) continue;
      fixed.columns.forEach((column, i) => {
        const at = byName.get(column.name);
        if (column.readOnly || at === undefined) return;
        const value = row.cells[i] ?? '';
        if (value !== (before[at] ?? '')) edits.push({ row: row.id, column: at, value });
      });
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

/** A row's messages in one cell: "Target · PAYMENTTERMID: Payment terms 'BADTERM' do not exist." */
function messagesOf(errors: readonly RowError[]): string {
  return errors.map((e) => `${STAGE_LABEL[e.stage]}${e.field ? ` · ${e.field}` : ''}: ${e.message}`).join(' | ');
}
