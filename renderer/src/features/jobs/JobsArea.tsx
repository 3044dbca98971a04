import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { JobSummary } from '../../../../shared/api/domains/jobs';
import { JOB_KIND_LABEL, isFinal } from '../../../../shared/domain/jobs/outcome';
import { AreaHeader } from '../../app/AreaHeader';
import { EmptyState } from '../../app/EmptyState';
import { ago } from '../../app/format';
import { Icon } from '../../app/icons';
import { useNow } from '../../app/useNow';
import { useWorkbench } from '../../app/workbench';
import { JobDetail, StateBadge } from './JobDetail';
import { RunHistory } from './RunHistory';
import './jobs.css';

type Tab = 'jobs' | 'history';

/**
 * Where a job works: environment and legal entity, so that imports into USRT and USMF of the
 * same environment do not look alike (a copy: its source environment and its target company).
 */
function placeOf(job: JobSummary): string {
  if (!job.company) return job.environmentName;
  return job.kind === 'copy' ? `${job.environmentName} → ${job.company}` : `${job.environmentName} · ${job.company}`;
}

function JobList(props: { jobs: readonly JobSummary[]; selectedId: string | null; onSelect: (id: string) => void }) {
  const now = useNow(true, 30_000);
  return (
    <ul className="job-list" aria-label="Jobs">
      {props.jobs.map((job) => (
        <li key={job.id}>
          <button
            type="button"
            className={`job-list__item${job.id === props.selectedId ? ' is-selected' : ''}`}
            aria-current={job.id === props.selectedId ? 'true' : undefined}
            onClick={() => props.onSelect(job.id)}
          >
            <span className="job-list__top">
              <span className="job-list__kind">{JOB_KIND_LABEL[job.kind]}</span>
              <StateBadge job={job} />
            </span>
            <span className="job-list__title">{job.title}</span>
            <span className="job-list__meta">
              <span className="job-list__place">{placeOf(job)}</span>
              {job.ranBy && <> · {job.ranBy.account ?? job.ranBy.machineUser}</>} · {ago(job.createdAt, now)}
              {!isFinal(job.state) && <span className="job-list__live" aria-hidden="true" />}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}

export function JobsArea() {
  const { jobs, shell, toasts } = useWorkbench();
  const list = useStore(jobs, (s) => s.jobs);
  const selectedId = useStore(jobs, (s) => s.selectedId);
  const progress = useStore(jobs, (s) => (s.selectedId ? (s.progress[s.selectedId] ?? null) : null));
  const remembered = useStore(shell, (s) => s.preferences?.layout['jobs.tab']);
  const reveal = useStore(jobs, (s) => s.reveal);
  // A job chosen elsewhere (just started, a notification) is shown, whatever tab was left open.
  const [tab, setTab] = useState<Tab>(() => (remembered === 'history' && !jobs.getState().reveal ? 'history' : 'jobs'));
  const selected = list?.find((j) => j.id === selectedId) ?? list?.[0] ?? null;
  const shownId = tab === 'jobs' ? selected?.id : undefined;
  useEffect(() => {
    if (shownId) toasts.getState().dismissKey(`job:${shownId}`);
  }, [toasts, shownId, selected?.state]);
  const choose = (next: Tab) => {
    setTab(next);
    shell.getState().setLayout('jobs.tab', next);
  };
  // Adjusted while rendering (not in an effect): the job shows at once, without a frame of history.
  if (reveal && tab !== 'jobs') setTab('jobs');
  useEffect(() => {
    if (reveal) jobs.getState().revealed();
  }, [jobs, reveal]);

  return (
    <>
      <AreaHeader
        title="Jobs"
        description="Imports, exports and configuration copies, with their progress, the rows that failed, and the run history of your project."
        actions={
          <div className="tabs" role="tablist" aria-label="Jobs views">
            {(
              [
                ['jobs', 'Jobs'],
                ['history', 'Run history'],
              ] as const
            ).map(([id, label]) => (
              <button
                key={id}
                type="button"
                role="tab"
                id={`jobs-tab-${id}`}
                aria-selected={tab === id}
                aria-controls={`jobs-panel-${id}`}
                className="tabs__tab"
                onClick={() => choose(id)}
              >
                {label}
              </button>
            ))}
          </div>
        }
      />
      {tab === 'history' ? (
        <div role="tabpanel" id="jobs-panel-history" aria-labelledby="jobs-tab-history">
          <RunHistory />
        </div>
      ) : (
        <div role="tabpanel" id="jobs-panel-jobs" aria-labelledby="jobs-tab-jobs">
          {list === null ? (
            <p className="loading" role="progressbar" aria-label="Loading jobs" />
          ) : list.length === 0 ? (
            <EmptyState
              icon="jobs"
              title="No jobs yet"
              steps={[
                'Build a package in the Package area and run it as an import job, or start a configuration copy.',
                'Follow upload, staging and target progress here.',
                'Open the errors in the grid, fix them, and re-import only the failed rows.',
              ]}
            >
              <p>Jobs keep running in the background and resume after the workbench restarts.</p>
              <button type="button" className="button button--primary" onClick={() => shell.getState().goTo('package')}>
                <Icon name="package" size={16} />
                Build a package
              </button>
            </EmptyState>
          ) : (
            <div className="jobs-layout">
              <JobList jobs={list} selectedId={selected?.id ?? null} onSelect={(id) => jobs.getState().select(id)} />
              {selected && <JobDetail key={selected.id} job={selected} progress={progress} />}
            </div>
          )}
        </div>
      )}
    </>
  );
}
