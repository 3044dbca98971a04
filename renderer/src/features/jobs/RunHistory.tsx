import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { RunRecord } from '../../../../shared/api/domains/projects';
import { ErrorAlert } from '../../app/ErrorAlert';
import { messageOf } from '../../app/errors';
import { executionStatusLabel, executionStatusTone, isFinal } from '../../../../shared/domain/jobs/outcome';
import { count, dateTime, duration } from '../../app/format';
import { Icon } from '../../app/icons';
import { TableHead, numeric } from '../../app/TableHead';
import { NONE, useWorkbench } from '../../app/workbench';

const KIND_LABEL: Record<string, string> = { import: 'Import', 'reimport-failed': 'Re-import of failed rows' };

/** The runs of a workbench project, each compared with the run before it: the cycle ledger. */
export function RunHistory() {
  const { client, shell, jobs } = useWorkbench();
  const recent = useStore(shell, (s) => s.preferences?.recentProjects ?? NONE);
  const [chosen, setDir] = useState<string | null>(null);
  const dir = chosen ?? recent[0]?.dir ?? null;
  // A run is recorded when it ends: an import of the project still under way is listed apart.
  const running = useStore(jobs, (s) => s.jobs ?? NONE).filter(
    (j) => j.projectDir !== null && j.projectDir === dir && !isFinal(j.state),
  );
  /** The answer for one project folder: a stale answer for another folder is not shown. */
  const [loaded, setLoaded] = useState<{ dir: string; runs: readonly RunRecord[] | null; problem: string | null }>();
  const runs = loaded?.dir === dir ? loaded.runs : null;
  const problem = loaded?.dir === dir ? loaded.problem : null;
  useEffect(() => {
    if (!dir) return;
    let live = true;
    const load = () =>
      client.call('projects.runs', { dir }).then(
        (result) => live && setLoaded({ dir, runs: result, problem: null }),
        (error: unknown) => live && setLoaded({ dir, runs: null, problem: messageOf(error) }),
      );
    void load();
    const off = client.on('projects.changed', (summary) => {
      if (summary.dir === dir) void load();
    });
    return () => {
      live = false;
      off();
    };
  }, [client, dir]);

  if (recent.length === 0) {
    return (
      <p className="hint">
        <Icon name="info" />
        Run history belongs to a workbench project. Create or open one in the Package area; its imports appear here,
        each compared with the run before it.
      </p>
    );
  }
  return (
    <section className="panel run-history" aria-label="Run history">
      <div className="panel__header">
        <label className="run-history__project">
          <span className="field__label">Project</span>
          <select className="input" value={dir ?? ''} onChange={(e) => setDir(e.target.value)}>
            {recent.map((p) => (
              <option key={p.dir} value={p.dir}>
                {p.name} ({p.dir})
              </option>
            ))}
          </select>
        </label>
        <p className="muted run-history__legend">
          Cycle over cycle: errors <strong>new</strong> in a run, <strong>carried over</strong> from the run before, and{' '}
          <strong>resolved</strong> since.
        </p>
      </div>
      <ErrorAlert problem={problem} />
      {runs === null && !problem && <p className="loading" role="progressbar" aria-label="Loading the run history" />}
      {running.length > 0 && (
        <ul className="run-history__running" aria-label="Runs under way">
          {running.map((job) => (
            <li key={job.id}>
              <span className="badge badge--accent">Running</span> {job.title}
              {job.company ? ` · ${job.company}` : ''}: it joins the history when it ends.{' '}
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  jobs.getState().select(job.id);
                }}
              >
                Follow the job
              </button>
            </li>
          ))}
        </ul>
      )}
      {runs && runs.length === 0 && running.length === 0 && (
        <p className="panel__body muted">No runs yet: run the project as an import job.</p>
      )}
      {runs && runs.length > 0 && (
        <table className="table run-table" aria-label="Runs">
          <TableHead
            columns={[
              'Started',
              'Run',
              'Environment',
              'Status',
              ...['Duration', 'In target', 'Errors', 'New', 'Carried over', 'Resolved'].map(numeric),
            ]}
          />
          <tbody>
            {runs.map((run) => (
              <tr key={run.jobId}>
                <td>{dateTime(run.startedAt)}</td>
                <td>{KIND_LABEL[run.kind] ?? run.kind}</td>
                <td>{run.environment}</td>
                <td>
                  <span className={`badge badge--${executionStatusTone(run.status)}`}>
                    {executionStatusLabel(run.status)}
                  </span>
                </td>
                <td className="num">{duration(run.durationMs)}</td>
                <td className="num">{count(run.entities.reduce((n, e) => n + e.targetRecords, 0))}</td>
                <td className="num">{count(run.errorCount)}</td>
                <td className={`num${run.cycle?.new ? ' text-danger' : ''}`}>
                  {run.cycle ? count(run.cycle.new) : '—'}
                </td>
                <td className="num">{run.cycle ? count(run.cycle.carriedOver) : '—'}</td>
                <td className={`num${run.cycle?.resolved ? ' diff-table__ok' : ''}`}>
                  {run.cycle ? count(run.cycle.resolved) : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
