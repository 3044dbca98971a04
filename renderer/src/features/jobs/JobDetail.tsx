import { useEffect, useState } from 'react';
import type { EntityOutcome, JobProgress, JobSummary, RowError } from '../../../../shared/api/domains/jobs';
import {
  JOB_KIND_LABEL,
  JOB_STATE_LABEL,
  executionStatusLabel,
  executionStatusTone,
  isFinal,
} from '../../../../shared/domain/jobs/outcome';
import { ranByText } from '../../../../shared/domain/jobs/ranBy';
import { JOB_STEPS, stepStatuses } from '../../../../shared/domain/jobs/steps';
import { messageOf } from '../../app/errors';
import { bytes, clock, count, dateTime, duration, plural } from '../../app/format';
import { Icon } from '../../app/icons';
import { ProgressBar } from '../../app/ProgressBar';
import { useProductionGuard } from '../../app/productionGuard';
import { RUN, shortcutAria, shortcutLabel, useShortcut } from '../../app/shortcuts';
import { TableHead, numeric } from '../../app/TableHead';
import { useNow } from '../../app/useNow';
import { useWorkbench } from '../../app/workbench';
import { DiffTable } from '../copy/DiffTable';
import { ReconciliationPanel } from '../reconciliation/ReconciliationPanel';
import { RowDiff } from '../copy/RowDiff';
import { openInGrid } from '../export/openInGrid';
import { nothingToReimport, useErrorRoundTrip, useReimportPlan } from './jobActions';

export const STATE_TONE: Record<JobSummary['state'], 'accent' | 'ok' | 'warn' | 'danger' | 'muted'> = {
  queued: 'muted',
  running: 'accent',
  waiting: 'warn',
  succeeded: 'ok',
  'partially-succeeded': 'warn',
  failed: 'danger',
  cancelled: 'muted',
};

/** The job's state; `live` (the detail's header) announces changes to screen readers. */
export function StateBadge({ job, live = false }: { job: JobSummary; live?: boolean }) {
  const tone = STATE_TONE[job.state];
  const label = job.state === 'waiting' && job.step === 'pause' ? 'Waiting for review' : JOB_STATE_LABEL[job.state];
  return (
    <span
      className={`badge badge--${tone === 'muted' ? 'plain' : tone}`}
      {...(live ? { role: 'status', 'aria-label': 'Job state' } : {})}
    >
      {label}
    </span>
  );
}

function elapsedOf(job: JobSummary, now: number): number {
  const end = job.finishedAt ? Date.parse(job.finishedAt) : isFinal(job.state) ? Date.parse(job.updatedAt) : now;
  return end - Date.parse(job.createdAt);
}

/** Rows F&O has dealt with (in the target, or failed) out of the package's, while it processes them. */
function rowsProcessed(job: JobSummary): { done: number; total: number } | null {
  if (job.step !== 'poll' || !job.rows || job.entities.length === 0) return null;
  const total = Object.values(job.rows).reduce((n, r) => n + r, 0);
  const done = job.entities.reduce((n, e) => n + e.targetRecords + e.stagingErrors + e.targetErrors, 0);
  return total > 0 ? { done: Math.min(done, total), total } : null;
}

/** The bar of the step the job is in: bytes for transfers, rows or the F&O status while it processes. */
function StepProgress(props: {
  progress: JobProgress | null;
  label: string;
  rows: { done: number; total: number } | null;
}) {
  const { progress, label, rows } = props;
  if (rows) {
    return (
      <div className="step__progress">
        <ProgressBar
          label={label}
          value={rows.done}
          max={rows.total}
          valueText={`${count(rows.done)} of ${count(rows.total)} rows`}
          size="small"
        />
        <span className="step__metric">
          {count(rows.done)} of {count(rows.total)} rows
          {progress?.message ? ` · ${progress.message}` : ''}
        </span>
      </div>
    );
  }
  if (!progress) return <ProgressBar label={label} value={null} size="small" />;
  if (progress.totalBytes !== undefined && progress.loadedBytes !== undefined) {
    return (
      <div className="step__progress">
        <ProgressBar
          label={label}
          value={progress.loadedBytes}
          max={progress.totalBytes || 1}
          valueText={`${bytes(progress.loadedBytes)} of ${bytes(progress.totalBytes)}`}
          size="small"
        />
        <span className="step__metric">
          {bytes(progress.loadedBytes)} of {bytes(progress.totalBytes)}
        </span>
      </div>
    );
  }
  return (
    <div className="step__progress">
      <ProgressBar label={label} value={null} size="small" />
      {progress.message && <span className="step__metric">{progress.message}</span>}
    </div>
  );
}

function StepTrack({ job, progress }: { job: JobSummary; progress: JobProgress | null }) {
  const visited = new Set(job.timeline.map((t) => t.step));
  const steps = stepStatuses(job.kind, job.step, job.state, visited);
  const at = (step: string) => job.timeline.find((t) => t.step === step)?.at ?? null;
  return (
    <ol className="steps" aria-label="Steps">
      {steps.map(({ info, status }, i) => {
        const started = at(info.step);
        const following = steps[i + 1];
        const next = following ? at(following.info.step) : job.finishedAt;
        return (
          <li
            key={info.step}
            className={`step step--${status}`}
            aria-current={status === 'current' ? 'step' : undefined}
          >
            <span className="step__marker" aria-hidden="true">
              {status === 'done' ? <Icon name="check" size={14} /> : status === 'failed' ? '!' : i + 1}
            </span>
            <div className="step__body">
              <div className="step__head">
                <span className="step__label" title={info.detail}>
                  {info.label}
                  <span className="visually-hidden">: {status}</span>
                </span>
                {status === 'done' && started && next && (
                  <span className="step__time">{duration(Date.parse(next) - Date.parse(started))}</span>
                )}
                {status === 'skipped' && <span className="step__time">Not needed</span>}
              </div>
              {status === 'current' && job.state === 'running' && (
                <StepProgress progress={progress} label={`${info.label} progress`} rows={rowsProcessed(job)} />
              )}
              {status === 'current' && job.state === 'waiting' && (
                <span className="step__metric">
                  {job.step === 'pause'
                    ? 'Review the diff, then run the copy.'
                    : // Another process's job says who holds the environment (the app or dmfw, its pid).
                      (progress?.message ?? 'Waiting for another job on this environment.')}
                </span>
              )}
            </div>
          </li>
        );
      })}
    </ol>
  );
}

function EntityCounts({ entities, rows }: { entities: readonly EntityOutcome[]; rows: JobSummary['rows'] }) {
  return (
    <table className="table entity-table" aria-label="Entities">
      <TableHead
        columns={[
          'Entity',
          'F&O status',
          ...['In package', 'Staging', 'Target', 'Staging errors', 'Target errors'].map(numeric),
          'Processed',
        ]}
      />
      <tbody>
        {entities.map((e) => {
          const total = rows?.[e.label] ?? e.stagingRecords + e.stagingErrors;
          const errors = e.stagingErrors + e.targetErrors;
          return (
            <tr key={e.label}>
              <th scope="row">{e.label}</th>
              <td>
                <span className={`badge badge--${ENTITY_TONE[e.status] ?? executionStatusTone(e.status)}`}>
                  {executionStatusLabel(e.status)}
                </span>
              </td>
              <td className="num">{count(total)}</td>
              <td className="num">{count(e.stagingRecords)}</td>
              <td className="num">{count(e.targetRecords)}</td>
              <td className={`num${e.stagingErrors ? ' text-danger' : ''}`}>{count(e.stagingErrors)}</td>
              <td className={`num${e.targetErrors ? ' text-danger' : ''}`}>{count(e.targetErrors)}</td>
              <td className="entity-table__bar">
                <ProgressBar
                  label={`${e.label}: ${count(e.targetRecords)} of ${count(total)} rows in target`}
                  value={e.targetRecords}
                  max={Math.max(1, total)}
                  valueText={`${count(e.targetRecords)} in target, ${plural(errors, 'error')}`}
                  tone={errors ? 'warn' : 'ok'}
                  size="small"
                />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** F&O's entity execution states that are not execution statuses (those have executionStatusTone). */
const ENTITY_TONE: Record<string, string> = {
  Finished: 'ok',
  Error: 'danger',
};

const STAGE_LABEL = { staging: 'Staging', target: 'Target', execution: 'Execution' } as const;

function ErrorPreview({ job }: { job: JobSummary }) {
  const { client } = useWorkbench();
  const [errors, setErrors] = useState<readonly RowError[] | null>(null);
  useEffect(() => {
    let live = true;
    client.call('jobs.errors', { jobId: job.id, limit: 8 }).then(
      (page) => live && setErrors(page.errors),
      () => live && setErrors([]),
    );
    return () => {
      live = false;
    };
  }, [client, job.id, job.errorCount]);
  if (!errors || errors.length === 0) return null;
  return (
    <table className="table error-table" aria-label="First errors">
      <TableHead columns={['Entity', 'Source row', 'Stage', 'Message']} />
      <tbody>
        {errors.map((e, i) => (
          <tr key={i}>
            <td>{e.entity}</td>
            <td className="mono" title={e.sourceFile ?? undefined}>
              {e.sourceRow === null ? '—' : `${(e.sourceFile ?? '').split(/[\\/]/).at(-1) ?? ''}, row ${e.sourceRow}`}
            </td>
            <td>
              <span className={`badge badge--${e.stage === 'target' ? 'warn' : 'danger'}`}>{STAGE_LABEL[e.stage]}</span>
            </td>
            <td>
              {e.field && <span className="mono">{e.field}: </span>}
              {e.message}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Timeline({ job }: { job: JobSummary }) {
  const labels = new Map(JOB_STEPS[job.kind].map((s) => [s.step, s.label]));
  return (
    <ol className="timeline" aria-label="Timeline">
      {job.timeline.map((t, i) => (
        <li key={i} className={`timeline__item timeline__item--${t.state}`}>
          <time dateTime={t.at}>{clock(t.at)}</time>
          <span>
            {t.step === 'done' ? 'Finished' : (labels.get(t.step) ?? t.step)}
            <span className="muted"> · {JOB_STATE_LABEL[t.state]}</span>
          </span>
        </li>
      ))}
    </ol>
  );
}

export function JobDetail({ job, progress }: { job: JobSummary; progress: JobProgress | null }) {
  const workbench = useWorkbench();
  const { client, toasts } = workbench;
  const now = useNow(!isFinal(job.state));
  const { openErrors, reimport, busy } = useErrorRoundTrip();
  const { guard, dialog } = useProductionGuard();
  const [acting, setActing] = useState(false);
  const [drill, setDrill] = useState<string | null>(null);
  const drilled = job.diff?.find((d) => d.label === drill) ?? null;
  const finishedImport = job.kind === 'import' && isFinal(job.state);
  const exported =
    job.kind === 'export' && (job.state === 'succeeded' || job.state === 'partially-succeeded') ? job.output : null;
  const canReimport = finishedImport && job.errorCount > 0;
  const plan = useReimportPlan(canReimport ? job.id : null);
  const done = nothingToReimport(plan);
  const act = async (work: () => Promise<unknown>, failure: string) => {
    setActing(true);
    try {
      await work();
    } catch (error) {
      toasts.getState().push({ level: 'error', title: failure, body: messageOf(error) });
    } finally {
      setActing(false);
    }
  };
  const startReimport = () =>
    guard(job.environmentId, 'Re-import failed rows', (confirm) => void reimport(job.id, confirm));
  useShortcut(RUN, startReimport, canReimport && busy === null && done === null);

  return (
    <article className="job-detail" aria-label={`Job: ${job.title}`}>
      <header className="job-detail__header">
        <div className="job-detail__title">
          <span className="job-detail__kind">{JOB_KIND_LABEL[job.kind]}</span>
          <h2>{job.title}</h2>
          <StateBadge job={job} live />
        </div>
        <div className="job-detail__actions">
          {canReimport && (
            <>
              <button
                type="button"
                className="button button--secondary"
                disabled={busy !== null}
                onClick={() => void openErrors(job.id)}
              >
                <Icon name="grid" size={16} />
                {busy === 'open' ? 'Opening…' : 'Open errors'}
              </button>
              <button
                type="button"
                className="button button--primary"
                disabled={busy !== null || done !== null}
                onClick={startReimport}
                aria-keyshortcuts={shortcutAria(RUN)}
                title={`Re-import failed rows (${shortcutLabel(RUN)})`}
              >
                <Icon name="retry" size={16} />
                Re-import failed rows
              </button>
            </>
          )}
          {exported !== null && (
            <>
              <button type="button" className="button button--primary" onClick={() => openInGrid(workbench, exported)}>
                <Icon name="grid" size={16} />
                Open in the grid
              </button>
              <button
                type="button"
                className="button button--secondary"
                onClick={() => void client.call('app.showInFolder', { path: exported })}
              >
                <Icon name="folder" size={16} />
                Show in folder
              </button>
            </>
          )}
          {!isFinal(job.state) && !(job.state === 'waiting' && job.step === 'pause') && (
            <button
              type="button"
              className="button button--secondary"
              disabled={acting}
              onClick={() => void act(() => client.call('jobs.cancel', { jobId: job.id }), 'The job was not cancelled')}
            >
              <Icon name="stop" size={16} />
              Cancel
            </button>
          )}
          {job.state === 'failed' && (
            <button
              type="button"
              className="button button--secondary"
              disabled={acting}
              onClick={() => void act(() => client.call('jobs.resume', { jobId: job.id }), 'The job did not resume')}
            >
              <Icon name="refresh" size={16} />
              Resume
            </button>
          )}
        </div>
      </header>

      <dl className="job-facts">
        <div>
          <dt>Environment</dt>
          <dd>
            {job.environmentName}
            {job.company ? ` · ${job.company}` : ''}
          </dd>
        </div>
        <div>
          <dt>Execution id</dt>
          <dd className="mono">{job.executionId ?? '—'}</dd>
        </div>
        <div>
          <dt>Data project</dt>
          <dd>{job.dataProject ?? '—'}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{dateTime(job.createdAt)}</dd>
        </div>
        <div>
          <dt>Elapsed</dt>
          <dd aria-live="off">{duration(elapsedOf(job, now))}</dd>
        </div>
        <div>
          <dt>Ran by</dt>
          <dd className={job.ranBy ? undefined : 'muted'}>{ranByText(job.ranBy)}</dd>
        </div>
        <div>
          <dt>F&amp;O status</dt>
          <dd>
            {job.executionStatus ? (
              <span className={`badge badge--${executionStatusTone(job.executionStatus)}`}>
                {executionStatusLabel(job.executionStatus)}
              </span>
            ) : (
              '—'
            )}
          </dd>
        </div>
        {job.kind === 'export' && job.output && (
          <div className="job-facts__wide">
            <dt>Package</dt>
            <dd className="mono">{job.output}</dd>
          </div>
        )}
      </dl>

      {plan && plan.leftOut.length > 0 && (
        <div className="alert alert--info" role="note" aria-label="Re-import">
          <Icon name="info" />
          <p>
            {done ??
              `A re-import sends ${plan.toSend} of the ${plan.failedRows} failed rows. ${plan.leftOut.map((l) => l.message).join(' ')}`}
          </p>
        </div>
      )}

      {job.error && (
        <div className={`alert alert--${job.state === 'failed' ? 'error' : 'warning'}`} role="alert">
          <Icon name="alert" />
          <p>{job.error.message}</p>
        </div>
      )}

      <section className="job-section" aria-label="Progress">
        <StepTrack job={job} progress={progress} />
      </section>

      {job.entities.length > 0 && (
        <section className="job-section">
          <h3 className="job-section__title">Entities</h3>
          <EntityCounts entities={job.entities} rows={job.rows} />
        </section>
      )}

      {job.diff && (
        <section className="job-section">
          <h3 className="job-section__title">Diff with the target</h3>
          <DiffTable diff={job.diff} onDrill={setDrill} selected={drill} />
          {drilled && <RowDiff jobId={job.id} entity={drilled} version={job.state} review={null} />}
        </section>
      )}

      {job.errorCount > 0 && (
        <section className="job-section">
          <h3 className="job-section__title">
            Errors <span className="badge badge--danger">{count(job.errorCount)}</span>
          </h3>
          <p className="muted job-section__hint">
            Each error is mapped back to its source file and row. Open them in the grid to fix them, then re-import only
            those rows.
          </p>
          <ErrorPreview job={job} />
        </section>
      )}

      {finishedImport && <ReconciliationPanel job={job} />}

      <section className="job-section">
        <h3 className="job-section__title">Timeline</h3>
        <Timeline job={job} />
      </section>
      {dialog}
    </article>
  );
}
