import { useEffect, useState } from 'react';
import type { JobSummary } from '../../../../shared/api/domains/jobs';
import type { ReconciledEntity, ReconciliationReport } from '../../../../shared/api/domains/reconciliation';
import type { SignOffReportFiles } from '../../../../shared/api/domains/reports';
import { messageOf } from '../../app/errors';
import { count, dateTime, plural } from '../../app/format';
import { Icon } from '../../app/icons';
import { ProgressBar } from '../../app/ProgressBar';
import { TableHead, numeric, unseen } from '../../app/TableHead';
import { useWorkbench } from '../../app/workbench';
import './reconciliation.css';

const STATUS: Record<ReconciledEntity['status'], { label: string; tone: string }> = {
  reconciled: { label: 'Reconciled', tone: 'ok' },
  differences: { label: 'Differences', tone: 'danger' },
  'not-checked': { label: 'Not checked', tone: 'warn' },
};

/**
 * The job monitor's reconciliation step for a finished import: read every sent key back from
 * F&O (reconciliation.run) and show, per entity and legal entity, what landed against what was
 * sent, with the differences openable in the grid.
 */
export function ReconciliationPanel({ job }: { job: JobSummary }) {
  const { client, sources, shell, toasts } = useWorkbench();
  const [report, setReport] = useState<ReconciliationReport | null | undefined>(undefined);
  const [running, setRunning] = useState(false);
  const [files, setFiles] = useState<SignOffReportFiles | null>(null);
  const [printing, setPrinting] = useState(false);
  useEffect(() => {
    let live = true;
    client.call('reconciliation.get', { jobId: job.id }).then(
      (found) => live && setReport(found),
      () => live && setReport(null),
    );
    return () => {
      live = false;
    };
  }, [client, job.id]);
  const run = async () => {
    setRunning(true);
    try {
      setReport(await client.call('reconciliation.run', { jobId: job.id }));
    } catch (error) {
      toasts.getState().push({ level: 'error', title: 'The load was not reconciled', body: messageOf(error) });
    } finally {
      setRunning(false);
    }
  };
  const open = async (entity: string) => {
    try {
      const opened = await client.call('reconciliation.openDifferences', { jobId: job.id, entity });
      await sources.getState().show(opened.datasetId);
      shell.getState().goTo('sources');
    } catch (error) {
      toasts.getState().push({ level: 'error', title: 'The differences could not be opened', body: messageOf(error) });
    }
  };
  const signOff = async () => {
    if (!job.projectDir) return;
    setPrinting(true);
    try {
      setFiles(await client.call('reports.signOff', { dir: job.projectDir, jobId: job.id, pdf: true }));
    } catch (error) {
      toasts.getState().push({ level: 'error', title: 'The sign-off report was not written', body: messageOf(error) });
    } finally {
      setPrinting(false);
    }
  };
  const sent = Object.values(job.rows ?? {}).reduce((n, r) => n + r, 0);
  return (
    <section className="job-section" aria-label="Reconciliation">
      <h3 className="job-section__title">
        Reconciliation
        {report && <span className={`badge badge--${STATUS[report.status].tone}`}>{STATUS[report.status].label}</span>}
      </h3>
      {report === undefined ? null : report === null ? (
        <p className="muted job-section__hint">
          Not reconciled yet. Reconcile reads every key this job sent back from {job.environmentName} and compares
          counts and amounts: did what was sent arrive?
        </p>
      ) : (
        <p className="muted job-section__hint">
          Reconciled {dateTime(report.reconciledAt)} by {report.by}, {plural(report.requests, 'OData request')}.
        </p>
      )}
      {running && (
        <ProgressBar
          label="Reconciling"
          value={null}
          valueText={`Reading ${count(sent)} sent rows back`}
          size="small"
        />
      )}
      {report && report.entities.length > 0 && <Entities report={report} onOpen={(e) => void open(e)} />}
      <div className="reconciliation__actions">
        <button
          type="button"
          className={`button button--${report ? 'secondary' : 'primary'}`}
          disabled={running}
          onClick={() => void run()}
        >
          <Icon name="check" size={16} />
          {running ? 'Reconciling…' : report ? 'Reconcile again' : 'Reconcile'}
        </button>
        {job.projectDir && (
          <button type="button" className="button button--secondary" disabled={printing} onClick={() => void signOff()}>
            <Icon name="file" size={16} />
            {printing ? 'Writing the report…' : 'Sign-off report'}
          </button>
        )}
      </div>
      {files && (
        <p className="reconciliation__report" role="status" aria-label="Sign-off report">
          Cycle {files.cycle} sign-off report saved in the project:{' '}
          <span className="mono">{files.pdf ?? files.html}</span>
          {files.pdfProblem ? ` (${files.pdfProblem})` : ''}
        </p>
      )}
    </section>
  );
}

function Entities({ report, onOpen }: { report: ReconciliationReport; onOpen: (entity: string) => void }) {
  return (
    <>
      <table className="table reconciliation-table" aria-label="Reconciled entities">
        <TableHead
          columns={[
            'Entity',
            'Legal entity',
            ...['Sent', 'In F&O', 'F&O count', 'Missing', 'Changed'].map(numeric),
            'Status',
            unseen('Differences'),
          ]}
        />
        <tbody>
          {report.entities.map((e) => (
            <tr key={`${e.label}\u0000${e.company ?? ''}`}>
              <th scope="row">{e.label}</th>
              <td>{e.company ?? 'Shared'}</td>
              <td className="num">{count(e.sent)}</td>
              <td className="num">{count(e.landed)}</td>
              <td className="num">{e.counted === null ? '—' : count(e.counted)}</td>
              <td className={`num${e.missingCount ? ' text-danger' : ''}`}>{count(e.missingCount)}</td>
              <td className={`num${e.changedCount ? ' text-danger' : ''}`}>{count(e.changedCount)}</td>
              <td>
                <span className={`badge badge--${STATUS[e.status].tone}`} title={e.problem ?? undefined}>
                  {STATUS[e.status].label}
                </span>
              </td>
              <td>
                {e.missingCount + e.changedCount > 0 && (
                  <button
                    type="button"
                    className="button button--ghost"
                    onClick={() => onOpen(e.label)}
                    aria-label={`Open the differences of ${e.label} in the grid`}
                  >
                    <Icon name="grid" size={14} />
                    Open differences
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {report.entities.some((e) => e.problem) && (
        <ul className="reconciliation__problems">
          {report.entities
            .filter((e) => e.problem)
            .map((e) => (
              <li key={`${e.label}\u0000${e.company ?? ''}`}>
                <strong>{e.label}:</strong> {e.problem}
              </li>
            ))}
        </ul>
      )}
      {report.entities.some((e) => e.sums.length > 0) && (
        <table className="table reconciliation-table" aria-label="Sums">
          <TableHead columns={['Entity', 'Field', ...['Sent', 'In F&O', 'Difference'].map(numeric)]} />
          <tbody>
            {report.entities.flatMap((e) =>
              e.sums.map((s) => (
                <tr key={`${e.label}\u0000${e.company ?? ''}\u0000${s.field}`}>
                  <th scope="row">
                    {e.label}
                    {e.company ? ` · ${e.company}` : ''}
                  </th>
                  <td className="mono">{s.field}</td>
                  <td className="num mono">{s.sent}</td>
                  <td className="num mono">{s.landed}</td>
                  <td className={`num mono${/^-?0(\.0*)?$/.test(s.difference) ? '' : ' text-danger'}`}>
                    {s.difference}
                  </td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      )}
    </>
  );
}
