import { createClient } from '../../shared/api/client';
import type { Client } from '../../shared/api/client';
import type { ExecutionReport, JobProgress, JobSummary } from '../../shared/api/domains/jobs';
import { createInProcessTransport } from '../rpc/inProcessTransport';
import { openWorkbench } from './context';
import { jsonText } from './commands/text';
import type { CliIo } from './io';

/**
 * Runs a command against the same services the app runs, through the typed contract (in
 * process), and closes them afterwards (the Local emulator stops with the command).
 */
export async function withClient<T>(io: CliIo, run: (client: Client) => Promise<T>): Promise<T> {
  const { workbench } = await openWorkbench(io, 'cli');
  try {
    return await run(createClient(createInProcessTransport(workbench.dispatcher, workbench.hub)));
  } finally {
    await workbench.close();
  }
}

const FINAL = new Set(['succeeded', 'partially-succeeded', 'failed', 'cancelled']);
const BAR = 28;

/**
 * Follows a job until it is over (or `until` says stop: e.g. once an import was sent), showing
 * progress on stderr: a bar redrawn in place on a terminal, plain lines otherwise.
 */
export async function followJob(
  client: Client,
  io: CliIo,
  job: JobSummary,
  until: (job: JobSummary) => boolean = (j) => FINAL.has(j.state) || (j.state === 'waiting' && j.step === 'pause'),
): Promise<JobSummary> {
  const view = progressView(io);
  let finish: (summary: JobSummary) => void = () => {};
  const done = new Promise<JobSummary>((resolve) => (finish = resolve));
  const check = (summary: JobSummary) => {
    if (summary.id !== job.id) return;
    view.step(summary);
    if (until(summary)) finish(summary);
  };
  const offChanged = client.on('jobs.changed', check);
  const offProgress = client.on('jobs.progress', ({ jobId, progress }) => {
    if (jobId === job.id) view.progress(progress);
  });
  // Ctrl+C stops this command, not the work: the job is saved after every step and F&O keeps what
  // it was sent. Say how to pick it up rather than vanish without a word.
  const interrupted = (signal: NodeJS.Signals) => {
    view.end();
    io.stderr(`\nStopped. ${job.title} goes on from where it was with: dmfw resume ${job.id} --wait\n`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    // The job may have moved on before the subscription: look once.
    check(await client.call('jobs.get', { jobId: job.id }));
    return await done;
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    offChanged();
    offProgress();
    view.end();
  }
}

function progressView(io: CliIo) {
  let lastLine = '';
  let lastMessage = '';
  let lastPercent = -25;
  let drawn = false;
  const clear = () => {
    if (drawn) io.stderr('\r\u001b[2K');
    drawn = false;
  };
  return {
    step(job: JobSummary) {
      const line = `${job.title}: ${job.step}${job.executionStatus ? ` (${job.executionStatus})` : ''} [${job.state}]`;
      if (line === lastLine) return;
      lastLine = line;
      lastPercent = -25;
      clear();
      io.stderr(`${line}\n`);
    },
    progress(progress: JobProgress) {
      // A job queued behind another process's import or export: say who holds the environment,
      // or "[waiting]" alone looks like a hang.
      if (progress.phase === 'waiting' && progress.message && progress.message !== lastMessage) {
        lastMessage = progress.message;
        clear();
        io.stderr(`${progress.message}\n`);
        return;
      }
      // Otherwise byte progress only: steps and F&O's status arrive as job changes.
      if (progress.totalBytes === undefined || progress.loadedBytes === undefined || progress.totalBytes === 0) return;
      const percent = Math.floor((100 * progress.loadedBytes) / progress.totalBytes);
      const text = `${progress.phase} ${megabytes(progress.loadedBytes)} / ${megabytes(progress.totalBytes)} MB`;
      if (io.interactive) {
        const filled = Math.round((BAR * percent) / 100);
        io.stderr(
          `\r\u001b[2K[${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ${String(percent).padStart(3)}% ${text}`,
        );
        drawn = true;
      } else if (percent >= lastPercent + 25 || (percent === 100 && lastPercent !== 100)) {
        // Plain lines for logs and CI: a line at 0, 25, 50, 75 and 100 %.
        lastPercent = percent - (percent % 25);
        io.stderr(`${text} (${percent}%)\n`);
      }
    },
    end: clear,
  };
}

const megabytes = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

/** The `--json` shape of `dmfw import` and `dmfw status`. */
export function reportJson(report: ExecutionReport): string {
  return jsonText({
    executionId: report.executionId,
    status: report.status,
    entities: report.entities.map((e) => ({
      label: e.label,
      status: e.status,
      stagingRecords: e.stagingRecords,
      targetRecords: e.targetRecords,
      stagingErrors: e.stagingErrors,
      targetErrors: e.targetErrors,
    })),
    errors: report.errors.map((e) => ({
      entity: e.entity,
      sourceFile: e.sourceFile,
      sourceRow: e.sourceRow,
      field: e.field,
      message: e.message,
    })),
  });
}

/** A human report of an execution: status, a table of entities, the first errors. */
export function reportText(
  report: ExecutionReport,
  table: (h: readonly string[], r: readonly (readonly string[])[]) => string,
): string {
  const lines = [`Execution ${report.executionId}: ${report.status}`, ''];
  if (report.entities.length) {
    lines.push(
      table(
        ['Entity', 'Status', 'Staging', 'Target', 'Staging errors', 'Target errors'],
        report.entities.map((e) => [
          e.label,
          e.status,
          String(e.stagingRecords),
          String(e.targetRecords),
          String(e.stagingErrors),
          String(e.targetErrors),
        ]),
      ),
    );
  }
  if (report.errorCount) {
    lines.push(
      `${report.errorCount} error${report.errorCount === 1 ? '' : 's'}${report.errors.length < report.errorCount ? ` (first ${report.errors.length})` : ''}:`,
    );
    for (const e of report.errors.slice(0, 50)) {
      const where = e.sourceFile ? `${e.sourceFile}:${e.sourceRow ?? '?'}` : e.entity || 'execution';
      lines.push(`  ${where}${e.field ? ` ${e.field}` : ''}: ${e.message}`);
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}
