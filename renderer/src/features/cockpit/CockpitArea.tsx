import { useEffect, useState } from 'react';
import type { CockpitRun, CockpitView, EntityReadiness } from '../../../../shared/api/domains/cockpit';
import type { ReadinessReport } from '../../../../shared/api/domains/packages';
import { executionStatusLabel, executionStatusTone } from '../../../../shared/domain/jobs/outcome';
import { ranByText } from '../../../../shared/domain/jobs/ranBy';
import { AreaHeader } from '../../app/AreaHeader';
import { EmptyState } from '../../app/EmptyState';
import { ErrorAlert } from '../../app/ErrorAlert';
import { messageOf } from '../../app/errors';
import { count, dateTime, duration, plural } from '../../app/format';
import { Icon } from '../../app/icons';
import { useRecentProjects } from '../../app/recentProjects';
import { TableHead, numeric } from '../../app/TableHead';
import { NONE, useWorkbench } from '../../app/workbench';
import { BurnDownChart, ErrorsPerEntityChart, ScheduleChart, runLabel } from './charts';
import './cockpit.css';

/** The cockpit of one project folder, read again whenever the project gets a run or a reconciliation. */
function useCockpit(dir: string | null) {
  const { client } = useWorkbench();
  const [loaded, setLoaded] = useState<{ dir: string; view: CockpitView | null; problem: string | null }>();
  useEffect(() => {
    if (!dir) return;
    let live = true;
    const load = () =>
      client.call('cockpit.project', { dir }).then(
        (view) => live && setLoaded({ dir, view, problem: null }),
        (error: unknown) => live && setLoaded({ dir, view: null, problem: messageOf(error) }),
      );
    void load();
    const offProjects = client.on('projects.changed', (summary) => {
      if (summary.dir === dir) void load();
    });
    // A run reconciled from the job monitor changes the matrix's "Reconciled" column.
    const offReconciled = client.on('reconciliation.changed', (summary) => {
      if (summary.projectDir === dir) void load();
    });
    return () => {
      live = false;
      offProjects();
      offReconciled();
    };
  }, [client, dir]);
  return loaded?.dir === dir ? loaded : null;
}

type Check =
  | { state: 'idle' }
  | { state: 'checking' }
  | { state: 'done'; report: ReadinessReport }
  | { state: 'failed'; problem: string };

/** "Validated clean" of the matrix: the readiness check of the sources as they are now (packages.check). */
function validatedCell(label: string, check: Check) {
  if (check.state === 'checking') return <span className="muted">Checking…</span>;
  if (check.state !== 'done') return <span className="badge">Not checked</span>;
  const source = check.report.sources.find((s) => s.label === label);
  if (!source) return <span className="badge">Not in the project</span>;
  if (source.problem)
    return (
      <span className="badge badge--danger" title={source.problem}>
        Not readable
      </span>
    );
  if (source.errors > 0) return <span className="badge badge--danger">{plural(source.errors, 'error')}</span>;
  if (source.warnings > 0) return <span className="badge badge--warn">{plural(source.warnings, 'warning')}</span>;
  return (
    <span className="badge badge--ok">
      <Icon name="check" size={12} />
      Clean
    </span>
  );
}

function loadedCell(r: EntityReadiness) {
  const of = r.sourceRows === null ? '' : ` of ${count(r.sourceRows)}`;
  switch (r.loaded) {
    case 'loaded':
      return (
        <span className="badge badge--ok">
          <Icon name="check" size={12} />
          Loaded {count(r.loadedRows)}
          {of}
        </span>
      );
    case 'partly':
      return (
        <span className="badge badge--warn">
          Partly: {count(r.loadedRows)}
          {of}
        </span>
      );
    default:
      return <span className="badge">{r.lastRun === null ? 'Never run' : 'Not loaded'}</span>;
  }
}

function reconciledCell(r: EntityReadiness, available: boolean) {
  if (r.reconciled === 'reconciled')
    return (
      <span className="badge badge--ok">
        <Icon name="check" size={12} />
        Reconciled
      </span>
    );
  if (r.reconciled === 'differences') return <span className="badge badge--danger">Differences</span>;
  if (r.reconciled === 'not-checked') return <span className="badge badge--warn">Not checked in F&amp;O</span>;
  return (
    <span
      className="badge"
      title={available ? 'Reconcile the run from the job monitor.' : 'This workbench cannot reconcile runs yet.'}
    >
      Not reconciled
    </span>
  );
}

function ReadinessMatrix({ view, check, onCheck }: { view: CockpitView; check: Check; onCheck: () => void }) {
  return (
    <section className="panel" aria-label="Readiness per entity">
      <div className="panel__header">
        <div>
          <h2 className="panel__title">Readiness per entity</h2>
          <span className="muted">
            Validated clean: the sources as they are now. Loaded and reconciled: each entity&apos;s latest run.
          </span>
        </div>
        <button
          type="button"
          className="button button--secondary button--small"
          disabled={check.state === 'checking'}
          onClick={onCheck}
        >
          <Icon name="check" size={16} />
          {check.state === 'done' ? 'Check the sources again' : 'Check the sources'}
        </button>
      </div>
      {check.state === 'failed' && <ErrorAlert problem={check.problem} />}
      <table className="table cockpit-table cockpit-matrix" aria-label="Readiness matrix">
        <TableHead
          columns={['Entity', 'Validated clean', 'Loaded', 'Reconciled', numeric('Open errors'), 'Last run']}
        />
        <tbody>
          {view.readiness.map((r) => (
            <tr key={r.label}>
              <th scope="row">{r.label}</th>
              <td>{validatedCell(r.label, check)}</td>
              <td>{loadedCell(r)}</td>
              <td>{reconciledCell(r, view.reconciliationAvailable)}</td>
              <td className={`num${r.openErrors ? ' text-danger' : ''}`}>{count(r.openErrors)}</td>
              <td>{r.lastRun === null ? '—' : `#${r.lastRun}`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

const dash = (n: number | null) => (n === null ? '—' : count(n));

function RunDetail({ run }: { run: CockpitRun }) {
  const rules = run.entities.flatMap((e) => (e.rules ?? []).map((r) => ({ entity: e.label, ...r })));
  return (
    <section className="panel" aria-label={`Run ${runLabel(run)}`}>
      <div className="panel__header">
        <div>
          <h2 className="panel__title">
            Run {runLabel(run)} <span className="muted">· {dateTime(run.startedAt)}</span>
          </h2>
          <span className="muted">
            {run.environment}
            {run.company ? ` · ${run.company}` : ''} · {duration(run.durationMs)} · ran by {ranByText(run.ranBy)}
            {run.packageHash ? ` · package ${run.packageHash.slice(0, 19)}…` : ''}
          </span>
        </div>
        <span className={`badge badge--${executionStatusTone(run.status)}`}>{executionStatusLabel(run.status)}</span>
      </div>
      <table className="table cockpit-table" aria-label={`Entities in run ${runLabel(run)}`}>
        <TableHead
          columns={[
            'Entity',
            ...[
              'Source rows',
              'Staged',
              'Loaded',
              'Staging errors',
              'Target errors',
              'New',
              'Carried over',
              'Resolved',
            ].map(numeric),
          ]}
        />
        <tbody>
          {run.entities.map((e) => (
            <tr key={e.label}>
              <th scope="row">{e.label}</th>
              <td className="num">{dash(e.sourceRows)}</td>
              <td className="num">{count(e.staged)}</td>
              <td className="num">{count(e.loaded)}</td>
              <td className={`num${e.stagingErrors ? ' text-danger' : ''}`}>{count(e.stagingErrors)}</td>
              <td className={`num${e.targetErrors ? ' text-danger' : ''}`}>{count(e.targetErrors)}</td>
              <td className="num">{dash(e.new)}</td>
              <td className="num">{dash(e.carriedOver)}</td>
              <td className="num">{dash(e.resolved)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3 className="cockpit-subtitle">Errors by stage and rule</h3>
      {rules.length === 0 ? (
        <p className="muted cockpit-none">
          {run.entities.some((e) => e.rules === null)
            ? 'This run was recorded before rules were kept: see its job for the errors.'
            : 'No errors in this run.'}
        </p>
      ) : (
        <table className="table cockpit-table" aria-label={`Errors by stage and rule in run ${runLabel(run)}`}>
          <TableHead columns={['Entity', 'Stage', 'Rule (F&O’s message, values left out)', numeric('Rows')]} />
          <tbody>
            {rules.map((r, i) => (
              <tr key={i}>
                <td>{r.entity}</td>
                <td>
                  <span className={`badge badge--${r.stage === 'target' ? 'warn' : 'danger'}`}>
                    {r.stage === 'staging' ? 'Staging' : r.stage === 'target' ? 'Target' : 'Execution'}
                  </span>
                </td>
                <td>{r.rule}</td>
                <td className="num">{count(r.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Cycles({
  view,
  selected,
  onSelect,
}: {
  view: CockpitView;
  selected: string | null;
  onSelect: (id: string) => void;
}) {
  return (
    <section className="panel" aria-label="Cycles">
      <div className="panel__header">
        <h2 className="panel__title">Cycles</h2>
        <span className="muted">Every run of the project, oldest first. Choose one to see its entities and rules.</span>
      </div>
      <table className="table cockpit-table" aria-label="Runs of the project">
        <TableHead
          columns={[
            'Run',
            'Started',
            'Environment',
            'Ran by',
            'F&O status',
            numeric('Duration'),
            numeric('Open errors after'),
          ]}
        />
        <tbody>
          {view.runs.map((run) => (
            <tr key={run.jobId} className={run.jobId === selected ? 'is-selected' : undefined}>
              <th scope="row">
                <button
                  type="button"
                  className="link-button"
                  aria-pressed={run.jobId === selected}
                  onClick={() => onSelect(run.jobId)}
                >
                  {runLabel(run)}
                </button>
              </th>
              <td>{dateTime(run.startedAt)}</td>
              <td>
                {run.environment}
                {run.company ? ` · ${run.company}` : ''}
              </td>
              <td className={run.ranBy ? undefined : 'muted'}>
                {run.ranBy ? (
                  <>
                    {run.ranBy.account ?? 'No user account'}
                    <span className="cockpit-machine-user">computer user {run.ranBy.machineUser}</span>
                  </>
                ) : (
                  ranByText(null)
                )}
              </td>
              <td>
                <span className={`badge badge--${executionStatusTone(run.status)}`}>
                  {executionStatusLabel(run.status)}
                </span>
              </td>
              <td className="num">{duration(run.durationMs)}</td>
              <td className="num">{count(run.openErrors)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Figures({ view }: { view: CockpitView }) {
  const last = view.runs.at(-1);
  const n = view.readiness.length;
  const loaded = view.readiness.filter((r) => r.loaded === 'loaded').length;
  const reconciled = view.readiness.filter((r) => r.reconciled === 'reconciled').length;
  const figures = [
    ['Cycles', count(view.runs.length)],
    ['Open errors', count(last?.openErrors ?? 0)],
    ['Entities loaded', `${loaded} of ${n}`],
    ['Entities reconciled', `${reconciled} of ${n}`],
  ] as const;
  return (
    <dl className="cockpit-figures" aria-label="Where the project stands">
      {figures.map(([label, value]) => (
        <div key={label} className="cockpit-figure">
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function CockpitArea() {
  const { client, shell } = useWorkbench();
  // Read again when a project changes: one created in the wizard shows at once.
  const recent = useRecentProjects() ?? NONE;
  const [chosen, setChosen] = useState<string | null>(null);
  const dir = chosen ?? recent[0]?.dir ?? null;
  const loaded = useCockpit(dir);
  const view = loaded?.view ?? null;
  const [selected, setSelected] = useState<string | null>(null);
  const [scheduled, setScheduled] = useState<string | null>(null);
  const [check, setCheck] = useState<{ dir: string; check: Check } | null>(null);
  const checked: Check = check?.dir === dir ? check.check : { state: 'idle' };
  const runCheck = () => {
    if (!dir) return;
    setCheck({ dir, check: { state: 'checking' } });
    client.call('packages.check', { dir }).then(
      (report) => setCheck({ dir, check: { state: 'done', report } }),
      (error: unknown) => setCheck({ dir, check: { state: 'failed', problem: messageOf(error) } }),
    );
  };
  const runs = view?.runs ?? [];
  const run = runs.find((r) => r.jobId === selected) ?? runs.at(-1) ?? null;
  const withSchedule = runs.filter((r) => r.schedule?.length);
  const scheduleRun = withSchedule.find((r) => r.jobId === scheduled) ?? withSchedule.at(-1) ?? null;

  return (
    <>
      <AreaHeader
        title="Migration cockpit"
        description="Where each entity of a project stands across its cycles: rows sent, staged and loaded, errors by rule, what is new, carried over or resolved, and the run schedule as F&O ran it."
        actions={
          recent.length > 0 && (
            <label className="cockpit-project">
              <span className="field__label">Project</span>
              <select className="input" value={dir ?? ''} onChange={(e) => setChosen(e.target.value)}>
                {recent.map((p) => (
                  <option key={p.dir} value={p.dir}>
                    {p.name} ({p.dir})
                  </option>
                ))}
              </select>
            </label>
          )
        }
      />
      {recent.length === 0 ? (
        <EmptyState
          icon="cockpit"
          title="No project yet"
          steps={[
            'Create a project in the Package area: its entities, source files and mapping.',
            'Run it: each run is a cycle, recorded in the project folder (runs/).',
            'Come back here to see every cycle side by side, and each entity’s readiness.',
          ]}
        >
          <p>The cockpit reads a workbench project&apos;s runs.</p>
          <button type="button" className="button button--primary" onClick={() => shell.getState().goTo('package')}>
            <Icon name="package" size={16} />
            Create a project
          </button>
        </EmptyState>
      ) : (
        <div className="cockpit" aria-busy={loaded === null}>
          <ErrorAlert problem={loaded?.problem ?? null} />
          {loaded === null && <p className="loading" role="progressbar" aria-label="Loading the cockpit" />}
          {view && (
            <>
              <Figures view={view} />
              {view.runs.length === 0 && (
                <div className="alert alert--info" role="note">
                  <Icon name="info" />
                  <p>
                    {view.name} has no run yet. Run it from the Package area (Save or run): each run becomes a cycle
                    here, with its counts, errors and schedule.
                  </p>
                </div>
              )}
              <ReadinessMatrix view={view} check={checked} onCheck={runCheck} />
              <div className="cockpit-charts">
                <ErrorsPerEntityChart view={view} />
                <BurnDownChart view={view} />
              </div>
              <ScheduleChart run={scheduleRun} runs={runs} onRun={setScheduled} />
              {view.runs.length > 0 && <Cycles view={view} selected={run?.jobId ?? null} onSelect={setSelected} />}
              {run && <RunDetail run={run} />}
            </>
          )}
        </div>
      )}
    </>
  );
}
