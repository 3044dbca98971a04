import { useEffect, useId, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { CatalogEntitySummary } from '../../../../shared/api/domains/catalog';
import type { CopyDiffRow, JobSummary } from '../../../../shared/api/domains/jobs';
import { isFinal } from '../../../../shared/domain/jobs/outcome';
import { AreaHeader } from '../../app/AreaHeader';
import { ErrorAlert } from '../../app/ErrorAlert';
import { messageOf } from '../../app/errors';
import { Field } from '../../app/Field';
import { count, plural } from '../../app/format';
import { Icon } from '../../app/icons';
import { ProgressBar } from '../../app/ProgressBar';
import { useProductionGuard } from '../../app/productionGuard';
import { RUN, shortcutAria, shortcutLabel, useShortcut } from '../../app/shortcuts';
import { TableHead } from '../../app/TableHead';
import { NONE, useFeatureStore, useWorkbench } from '../../app/workbench';
import type { Workbench } from '../../app/workbench';
import { JOB_STEPS } from '../../../../shared/domain/jobs/steps';
import { useLegalEntities } from '../environments/useLegalEntities';
import { StateBadge } from '../jobs/JobDetail';
import { DiffTable } from './DiffTable';

interface Side {
  readonly environmentId: string;
  readonly company: string;
}

interface CopyState {
  readonly from: Side;
  readonly to: Side;
  readonly entities: readonly string[];
  /** The copy job of this screen (its diff, then its run). */
  readonly jobId: string | null;
}

/** The configuration copy screen's choices, kept while the app runs. */
const copyStoreOf = (workbench: Workbench) => {
  const active = workbench.shell.getState().environments?.activeId ?? 'local-emulator';
  return createStore<CopyState>()(() => ({
    from: { environmentId: active, company: 'USMF' },
    to: { environmentId: active, company: 'DEMF' },
    entities: ['Terms of payment', 'Customer groups'],
    jobId: null,
  }));
};

/** Setup entities consultants copy most (offered first). */
const COMMON = new Set([
  'Terms of payment',
  'Customer groups',
  'Vendor groups',
  'Payment methods',
  'Methods of payment',
  'Delivery terms',
  'Modes of delivery',
  'Units',
  'Currencies',
]);

function SidePicker(props: { title: string; side: Side; onChange: (side: Side) => void }) {
  const { shell } = useWorkbench();
  const environments = useStore(shell, (s) => s.environments?.environments ?? NONE);
  const env = environments.find((e) => e.id === props.side.environmentId);
  const companies = useLegalEntities(props.side.environmentId, env?.connection);
  const options = [...new Set([props.side.company, ...companies.map((c) => c.id)])];
  return (
    <fieldset className="fieldset copy-side">
      <legend>{props.title}</legend>
      <Field label="Environment">
        {({ id }) => (
          <select
            id={id}
            className="input"
            value={props.side.environmentId}
            onChange={(e) => props.onChange({ ...props.side, environmentId: e.target.value })}
          >
            {environments.map((e) => (
              <option key={e.id} value={e.id}>
                {e.tag} · {e.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Legal entity">
        {({ id }) => (
          <>
            <select
              id={id}
              className="input"
              value={props.side.company}
              onChange={(e) => props.onChange({ ...props.side, company: e.target.value })}
            >
              {options.map((id) => (
                <option key={id} value={id}>
                  {id}
                </option>
              ))}
            </select>
            <span className="field__hint">
              {companies.find((c) => c.id === props.side.company)?.name ?? (env ? env.name : '')}
            </span>
          </>
        )}
      </Field>
    </fieldset>
  );
}

function EntityChooser(props: { selected: readonly string[]; onChange: (entities: string[]) => void }) {
  const { client } = useWorkbench();
  const [all, setAll] = useState<readonly CatalogEntitySummary[] | null>(null);
  const [query, setQuery] = useState('');
  const searchId = useId();
  useEffect(() => {
    let live = true;
    client.call('catalog.entities', {}).then(
      (listing) => live && setAll(listing.entities),
      () => live && setAll([]),
    );
    return () => {
      live = false;
    };
  }, [client]);
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    const list = (all ?? []).filter((e) => !q || e.label.toLowerCase().includes(q) || e.area.toLowerCase().includes(q));
    // What is chosen first, then the common setup entities, then the rest by area.
    const rank = (e: CatalogEntitySummary) => (props.selected.includes(e.label) ? 0 : COMMON.has(e.label) ? 1 : 2);
    return [...list].sort(
      (a, b) => rank(a) - rank(b) || a.area.localeCompare(b.area) || a.label.localeCompare(b.label),
    );
  }, [all, query, props.selected]);
  const toggle = (label: string, on: boolean) =>
    props.onChange(on ? [...props.selected, label] : props.selected.filter((l) => l !== label));
  return (
    <section className="panel copy-entities" aria-label="Entities to copy">
      <div className="panel__header">
        <h2 className="panel__title">Entities</h2>
        <span className="muted">{plural(props.selected.length, 'entity', 'entities')} chosen</span>
      </div>
      <div className="panel__body copy-entities__body">
        <label className="visually-hidden" htmlFor={searchId}>
          Search entities
        </label>
        <input
          id={searchId}
          className="input"
          type="search"
          placeholder="Search entities by name or area"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        {all === null ? (
          <p className="loading" role="progressbar" aria-label="Loading the catalog" />
        ) : (
          <ul className="copy-entities__list" aria-label="Catalog entities">
            {shown.map((e) => (
              <li key={e.label}>
                <label className="check">
                  <input
                    type="checkbox"
                    checked={props.selected.includes(e.label)}
                    onChange={(event) => toggle(e.label, event.target.checked)}
                  />
                  <span className="check__text">
                    {e.label}
                    <span className="check__hint">
                      {e.area}
                      {e.companySpecific ? '' : ' · shared by all legal entities'}
                    </span>
                  </span>
                </label>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}

/** One entity's records compared with the target now (`state`: compared again when the job moves on). */
function RowDiff({ jobId, entity, state }: { jobId: string; entity: string; state: string }) {
  const { client } = useWorkbench();
  const [status, setStatus] = useState<'changed' | 'new' | 'same' | 'all'>('all');
  const [loaded, setLoaded] = useState<{ key: string; total: number; rows: readonly CopyDiffRow[] } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const key = `${jobId}|${entity}|${status}|${state}`;
  useEffect(() => {
    let live = true;
    client.call('jobs.diffRows', { jobId, entity, limit: 200, ...(status === 'all' ? {} : { status }) }).then(
      (result) => live && setLoaded({ key, ...result }),
      (error: unknown) => live && setProblem(messageOf(error)),
    );
    return () => {
      live = false;
    };
  }, [client, jobId, entity, status, key]);
  const rows = loaded?.key === key ? loaded : null;
  return (
    <section className="panel row-diff" aria-label={`Rows of ${entity}`}>
      <div className="panel__header">
        <h3 className="panel__title">{entity}: record by record</h3>
        <div className="tabs" role="tablist" aria-label="Which records">
          {(['all', 'new', 'changed', 'same'] as const).map((s) => (
            <button
              key={s}
              type="button"
              role="tab"
              aria-selected={status === s}
              className="tabs__tab"
              onClick={() => setStatus(s)}
            >
              {s === 'all' ? 'All' : s[0]?.toUpperCase() + s.slice(1)}
            </button>
          ))}
        </div>
      </div>
      <ErrorAlert problem={problem} />
      {!rows && !problem && <p className="loading" role="progressbar" aria-label="Comparing the records" />}
      {rows && (
        <table className="table" aria-label={`Records of ${entity}`}>
          <TableHead columns={['Key', 'In the target', 'What the copy does']} />
          <tbody>
            {rows.rows.map((row) => (
              <tr key={row.key}>
                <th scope="row" className="mono">
                  {row.key}
                </th>
                <td>
                  <span
                    className={`badge ${row.status === 'new' ? 'badge--accent' : row.status === 'changed' ? 'badge--warn' : 'badge--plain'}`}
                  >
                    {row.status === 'new' ? 'New' : row.status === 'changed' ? 'Changed' : 'Same'}
                  </span>
                </td>
                <td>
                  {row.status === 'same' ? (
                    <span className="muted">Nothing: it is already the same.</span>
                  ) : (
                    <ul className="field-changes">
                      {row.changes.slice(0, 6).map((c) => (
                        <li key={c.field}>
                          <span className="mono">{c.field}</span>{' '}
                          {c.target !== null && (
                            <>
                              <del>{c.target || '(empty)'}</del> →{' '}
                            </>
                          )}
                          <ins>{c.copied || '(empty)'}</ins>
                        </li>
                      ))}
                      {row.changes.length > 6 && <li className="muted">and {row.changes.length - 6} more fields</li>}
                    </ul>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
          {rows.total > rows.rows.length && (
            <tfoot>
              <tr>
                <td colSpan={3} className="muted">
                  The first {count(rows.rows.length)} of {count(rows.total)} records.
                </td>
              </tr>
            </tfoot>
          )}
        </table>
      )}
    </section>
  );
}

function CopyProgress({ job, progressMessage }: { job: JobSummary; progressMessage: string | null }) {
  const steps = JOB_STEPS.copy;
  const at = Math.max(
    0,
    steps.findIndex((s) => s.step === job.step),
  );
  const label = steps[at]?.label ?? job.step;
  const done = job.step === 'done';
  return (
    <div className="copy-progress" aria-label="Copy progress">
      <ProgressBar
        label={`Copy progress: ${label}`}
        value={done ? steps.length : at}
        max={steps.length}
        valueText={done ? 'Done' : `${label}: step ${at + 1} of ${steps.length}`}
        tone={job.state === 'failed' ? 'danger' : done ? 'ok' : 'accent'}
      />
      <span className="muted">
        {done ? 'Done' : label}
        {progressMessage ? ` · ${progressMessage}` : ''}
      </span>
    </div>
  );
}

export function CopyArea() {
  const { client, jobs, shell } = useWorkbench();
  const store = useFeatureStore(copyStoreOf);
  const { from, to, entities, jobId } = useStore(store);
  const job = useStore(jobs, (s) => (jobId ? (s.jobs?.find((j) => j.id === jobId) ?? null) : null));
  const progress = useStore(jobs, (s) => (jobId ? (s.progress[jobId] ?? null) : null));
  const [drill, setDrill] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const { guard, dialog } = useProductionGuard();
  const set = (change: Partial<CopyState>) => store.setState(change);
  const sameSide = from.environmentId === to.environmentId && from.company === to.company;
  const reviewing = job?.state === 'waiting' && job.step === 'pause';
  const running = job !== null && !isFinal(job.state) && !reviewing;

  const compare = async () => {
    setBusy(true);
    setProblem(null);
    setDrill(null);
    try {
      const started = await client.call('jobs.startCopy', {
        from: { environmentId: from.environmentId, company: from.company },
        to: { environmentId: to.environmentId, company: to.company },
        entities: [...entities],
        review: true,
      });
      set({ jobId: started.id });
    } catch (error) {
      setProblem(messageOf(error));
    } finally {
      setBusy(false);
    }
  };
  const run = () => {
    if (!job || !reviewing) return;
    guard(to.environmentId, 'Run the copy', (confirmProduction) => {
      setProblem(null);
      client
        .call('jobs.confirm', { jobId: job.id, ...(confirmProduction ? { confirmProduction } : {}) })
        .catch((error: unknown) => setProblem(messageOf(error)));
    });
  };
  useShortcut(RUN, run, reviewing);

  return (
    <>
      <AreaHeader
        title="Configuration copy"
        description="Copy setup entities from one environment or legal entity to another: see what is new, changed or the same before anything is written, then run it and check the result."
      />
      <div className="copy-layout">
        <div className="copy-layout__setup">
          <section className="panel copy-sides" aria-label="From and to">
            <div className="panel__body copy-sides__body">
              <SidePicker title="From" side={from} onChange={(side) => set({ from: side, jobId: null })} />
              <span className="copy-sides__arrow" aria-hidden="true">
                <Icon name="chevronRight" size={28} />
              </span>
              <SidePicker title="To" side={to} onChange={(side) => set({ to: side, jobId: null })} />
            </div>
            {sameSide && (
              <div className="alert alert--warning copy-sides__alert" role="note">
                <Icon name="alert" />
                <p>From and to are the same legal entity of the same environment: choose another target.</p>
              </div>
            )}
          </section>
          <EntityChooser selected={entities} onChange={(list) => set({ entities: list, jobId: null })} />
          <div className="copy-actions">
            <button
              type="button"
              className="button button--primary"
              disabled={busy || running || sameSide || entities.length === 0}
              onClick={() => void compare()}
            >
              <Icon name="diff" size={16} />
              {job ? 'Compare again' : 'Compare'}
            </button>
            <span className="muted">Exports from the source and reads the target. Nothing is written yet.</span>
          </div>
        </div>

        <div className="copy-layout__result">
          <ErrorAlert problem={problem} />
          {!job ? (
            <section className="panel copy-empty" aria-label="Diff">
              <div className="panel__body">
                <Icon name="diff" size={28} />
                <h2>The diff appears here</h2>
                <p className="muted">
                  Choose where from and where to, pick the entities, and Compare. Each record is shown as new, changed
                  or the same in the target, and you can look at them one by one before you run the copy.
                </p>
              </div>
            </section>
          ) : (
            <section className="panel copy-result" aria-label="Diff">
              <div className="panel__header">
                <div>
                  <h2 className="panel__title">
                    {from.company} → {to.company}
                  </h2>
                  <span className="muted">{job.title}</span>
                </div>
                <StateBadge job={job} live />
              </div>
              <div className="panel__body copy-result__body">
                {!isFinal(job.state) && !reviewing && (
                  <CopyProgress job={job} progressMessage={progress?.message ?? null} />
                )}
                {job.error && (
                  <div className={`alert alert--${job.state === 'failed' ? 'error' : 'warning'}`} role="alert">
                    <Icon name="alert" />
                    <p>{job.error.message}</p>
                  </div>
                )}
                {job.diff && <DiffTable diff={job.diff} onDrill={setDrill} selected={drill} />}
                {reviewing && (
                  <div className="copy-actions">
                    <button
                      type="button"
                      className="button button--primary"
                      onClick={run}
                      aria-keyshortcuts={shortcutAria(RUN)}
                      title={`Run the copy (${shortcutLabel(RUN)})`}
                    >
                      <Icon name="play" size={16} />
                      Run the copy into {to.company}
                      <kbd className="button__kbd">{shortcutLabel(RUN)}</kbd>
                    </button>
                    <button
                      type="button"
                      className="button button--secondary"
                      onClick={() =>
                        void client.call('jobs.cancel', { jobId: job.id }).then(() => set({ jobId: null }))
                      }
                    >
                      Discard
                    </button>
                  </div>
                )}
                {isFinal(job.state) && job.diff?.some((d) => d.verified !== null) && (
                  <p className={`copy-verdict copy-verdict--${job.state}`} role="status">
                    <Icon name={job.state === 'succeeded' ? 'check' : 'alert'} size={18} />
                    {job.state === 'succeeded'
                      ? 'Verified: every copied record now matches in the target.'
                      : 'Some copied records do not match in the target: see the Verified column and the job.'}
                    <button
                      type="button"
                      className="link-button"
                      onClick={() => {
                        jobs.getState().select(job.id);
                        shell.getState().goTo('jobs');
                      }}
                    >
                      Open the job
                    </button>
                  </p>
                )}
              </div>
            </section>
          )}
          {job?.diff && drill && <RowDiff jobId={job.id} entity={drill} state={job.state} />}
        </div>
      </div>
      {dialog}
    </>
  );
}
