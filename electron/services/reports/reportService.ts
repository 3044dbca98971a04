/**
 * Sign-off reports (contract `reports.signOff`): a cycle of a project is an import run and the
 * re-imports of its failed rows after it (projects.runs); its report gathers the run's counts,
 * the reconciliation kept with it, the errors still open at its end grouped by rule, the
 * project's value tables, and is saved into the project as reports/cycle-<N>.html and .pdf.
 */
import { copyFile, mkdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { RowError } from '../../../shared/api/domains/jobs';
import type { RunRecord } from '../../../shared/api/domains/projects';
import type { ReconciliationReport } from '../../../shared/api/domains/reconciliation';
import type { SignOffReportFiles } from '../../../shared/api/domains/reports';
import type { ValueMapSummary } from '../../../shared/api/domains/valueMaps';
import { AppError } from '../../../shared/api/errors';
import { writeFileAtomic } from '../fs/atomicWrite';
import type { JobRunner } from '../jobs/jobRunner';
import { readRowErrors } from '../jobs/kinds/importJob';
import type { JobServices } from '../jobs/services';
import type { ProjectService } from '../projects/projectService';
import { RECONCILIATIONS_DIR } from '../reconciliation/reconciliationService';
import type { PdfPrinter } from './pdf';
import { PdfUnavailableError } from './pdf';
import { renderSignOff } from './signOffHtml';
import type { ErrorRule, SignOffData } from './signOffHtml';

export const REPORTS_DIR = 'reports';
/** Error rules listed in a report; the rest are counted. */
const MAX_RULES = 60;

export interface ReportServiceOptions {
  readonly projects: ProjectService;
  readonly runner: JobRunner<JobServices>;
  readonly valueMaps: { list(dir: string): Promise<readonly ValueMapSummary[]> };
  readonly printPdf: PdfPrinter;
  /** Who prepares the report: the account signed in to the project's environment, else the OS user. */
  readonly actor: (dir: string) => Promise<string>;
  readonly now?: () => Date;
}

export class ReportService {
  readonly #o: ReportServiceOptions;

  constructor(options: ReportServiceOptions) {
    this.#o = options;
  }

  async signOff(request: {
    dir: string;
    cycle?: number;
    jobId?: string;
    pdf: boolean;
    out?: string;
    overwrite: boolean;
  }): Promise<SignOffReportFiles> {
    const dir = resolve(request.dir);
    const out = request.out ? resolve(request.out) : null;
    if (out && !request.overwrite && (await stat(out).catch(() => null))) {
      throw new AppError('CONFLICT', `${out} already exists. Choose another name, or replace it (--overwrite).`);
    }
    const data = await this.#gather(dir, request.cycle, request.jobId);
    const folder = join(dir, REPORTS_DIR);
    await mkdir(folder, { recursive: true });
    const html = join(folder, `cycle-${data.cycle}.html`);
    await writeFileAtomic(html, renderSignOff(data));
    const wantPdf = request.pdf || (out !== null && /\.pdf$/i.test(out));
    let pdf: string | null = null;
    let pdfProblem: string | null = null;
    if (wantPdf) {
      const target = join(folder, `cycle-${data.cycle}.pdf`);
      try {
        await this.#o.printPdf(html, target);
        pdf = target;
      } catch (error) {
        if (!(error instanceof PdfUnavailableError)) throw error;
        pdfProblem = error.message;
      }
    }
    if (out) {
      const asPdf = /\.pdf$/i.test(out);
      if (asPdf && !pdf)
        throw new AppError('CONFLICT', `The PDF could not be printed: ${pdfProblem ?? ''} Or ask for the .html.`);
      await copyFile(asPdf ? (pdf as string) : html, out);
    }
    return { cycle: data.cycle, jobId: data.run.jobId, html, pdf, pdfProblem, out };
  }

  async #gather(dir: string, wantedCycle: number | undefined, jobId: string | undefined): Promise<SignOffData> {
    const project = await this.#o.projects.open(dir);
    const runs = [...(await this.#o.projects.runs(dir))].reverse();
    const cycles = cyclesOf(runs);
    if (cycles.length === 0) {
      throw new AppError(
        'NOT_FOUND',
        `${project.document.name} has no import run yet: run the project's package (Package › Save or run, or dmfw import), then report on it.`,
      );
    }
    const index = jobId
      ? cycles.findIndex((c) => [c.run, ...c.reimports].some((r) => r.jobId === jobId))
      : (wantedCycle ?? cycles.length) - 1;
    const chosen = cycles[index];
    if (!chosen) {
      throw new AppError(
        'NOT_FOUND',
        jobId
          ? `Job ${jobId} is not a run of ${project.document.name}.`
          : `${project.document.name} has ${cycles.length} cycle${cycles.length === 1 ? '' : 's'}: choose --cycle 1 to ${cycles.length}.`,
      );
    }
    const { run, reimports } = chosen;
    const last = reimports.at(-1) ?? run;
    const rows = await this.#packageRows(run.jobId);
    const settings = run.settings as { company?: unknown; dataProject?: unknown };
    const previous = cycles[index - 1];
    return {
      project: { name: project.document.name, dir },
      cycle: index + 1,
      cycles: cycles.length,
      run,
      reimports,
      company: typeof settings.company === 'string' ? settings.company : (project.document.binding.company ?? null),
      dataProject: typeof settings.dataProject === 'string' ? settings.dataProject : null,
      comparedWith: run.cycle ? { ...run.cycle, cycle: previous ? index : null } : null,
      entities: run.entities.map((e) => {
        // Re-imports of the cycle load rows that failed: the entity stands where the last one left it.
        const later = reimports.flatMap((r) => r.entities.filter((x) => x.label === e.label));
        const loaded = e.targetRecords + later.reduce((s, x) => s + x.targetRecords, 0);
        const lastOne = later.at(-1);
        return {
          label: e.label,
          inPackage: rows?.[e.label] ?? null,
          staged: e.stagingRecords,
          loaded,
          stagingErrors: lastOne ? lastOne.stagingErrors : e.stagingErrors,
          targetErrors: lastOne ? lastOne.targetErrors : e.targetErrors,
        };
      }),
      reconciliation: await this.#reconciliation(dir, [last, ...reimports.slice(0, -1).reverse(), run]),
      errors: await this.#errors(last),
      valueTables: await this.#o.valueMaps.list(dir),
      generatedAt: (this.#o.now?.() ?? new Date()).toISOString(),
      preparedBy: await this.#o.actor(dir),
    };
  }

  async #packageRows(jobId: string): Promise<Readonly<Record<string, number>> | null> {
    try {
      const record = await this.#o.runner.record(jobId);
      return (record.data as { rows?: Record<string, number> }).rows ?? null;
    } catch {
      // The job was made on another machine (the project came through git): its run file is enough.
      return null;
    }
  }

  /** The newest reconciliation of the cycle's runs, latest run first. */
  async #reconciliation(dir: string, runs: readonly RunRecord[]): Promise<ReconciliationReport | null> {
    for (const run of runs) {
      try {
        const text = await readFile(
          join(dir, RECONCILIATIONS_DIR, `${run.jobId.replace(/[^\w.-]+/g, '_')}.json`),
          'utf8',
        );
        return JSON.parse(text) as ReconciliationReport;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    return null;
  }

  /** Errors of a run grouped by rule: from the job when it is here, else the run file's first ones. */
  async #errors(run: RunRecord): Promise<SignOffData['errors']> {
    let errors: readonly Pick<RowError, 'entity' | 'sourceFile' | 'sourceRow' | 'message'>[] = run.errors;
    try {
      await this.#o.runner.record(run.jobId);
      errors = await readRowErrors(this.#o.runner.dirOf(run.jobId));
    } catch {
      // Not on this machine: the run file keeps the first errors.
    }
    const rules = new Map<string, ErrorRule & { count: number }>();
    for (const e of errors) {
      const full = e as Partial<RowError>;
      const stage = full.stage ?? 'import';
      const field = full.field ?? null;
      const rule = ruleOf(e.message);
      const key = [e.entity, stage, field ?? '', rule].join('\u0000');
      const found = rules.get(key);
      if (found) found.count++;
      else
        rules.set(key, {
          entity: e.entity,
          stage,
          field,
          rule,
          count: 1,
          example: { sourceFile: e.sourceFile, sourceRow: e.sourceRow, message: e.message },
        });
    }
    const sorted = [...rules.values()].sort((a, b) => b.count - a.count);
    return { total: run.errorCount, rules: sorted.slice(0, MAX_RULES), more: Math.max(0, sorted.length - MAX_RULES) };
  }
}

/** F&O's message without the values it names: "PAYMENTTERMID='NOPE' does not exist" → "PAYMENTTERMID='…' does not exist". */
export function ruleOf(message: string): string {
  return message
    .replace(/'[^']*'/g, "'…'")
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\b(row|line|record)\s*#?\s*\d+\b/gi, '$1 …')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Runs oldest first → cycles: each import starts one; the re-imports of failed rows after it belong to it. */
export function cyclesOf(runs: readonly RunRecord[]): { run: RunRecord; reimports: RunRecord[] }[] {
  const cycles: { run: RunRecord; reimports: RunRecord[] }[] = [];
  for (const run of runs) {
    if (run.kind === 'import') cycles.push({ run, reimports: [] });
    else if (run.kind === 'reimport-failed') cycles.at(-1)?.reimports.push(run);
  }
  return cycles;
}
