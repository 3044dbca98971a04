import { useState } from 'react';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { CopyDiffEntity, JobSummary } from '../../../../shared/api/domains/jobs';
import { isFinal } from '../../../../shared/domain/jobs/outcome';
import { AreaHeader } from '../../app/AreaHeader';
import { ErrorAlert } from '../../app/ErrorAlert';
import { messageOf } from '../../app/errors';
import { plural } from '../../app/format';
import { Icon } from '../../app/icons';
import { ProgressBar } from '../../app/ProgressBar';
import { useProductionGuard } from '../../app/productionGuard';
import { RUN, shortcutAria, shortcutLabel, useShortcut } from '../../app/shortcuts';
import { useFeatureStore, useWorkbench } from '../../app/workbench';
import type { Workbench } from '../../app/workbench';
import { JOB_STEPS } from '../../../../shared/domain/jobs/steps';
import { StateBadge } from '../jobs/JobDetail';
import { PathDialog } from '../../app/PathDialog';
import { DiffTable } from './DiffTable';
import { EntityChooser, SidePicker } from './pickers';
import type { Side } from './pickers';
import { NO_CHOICE, RowDiff } from './RowDiff';
import type { EntityChoice } from './RowDiff';
import './copy.css';

interface CopyState {
  readonly from: Side;
  readonly to: Side;
  readonly entities: readonly string[];
  /** The copy job of this screen (its diff, then its run). */
  readonly jobId: string | null;
  /** The choices made while reviewing the diff of `jobId`, per entity label. */
  readonly choices: Readonly<Record<string, EntityChoice>>;
  /** Insert only: send only records the target does not have. */
  readonly insertOnly: boolean;
}

/** The configuration copy screen's choices, kept while the app runs. */
const copyStoreOf = (workbench: Workbench) => {
  const active = workbench.shell.getState().environments?.activeId ?? 'local-emulator';
  return createStore<CopyState>()(() => ({
    from: { environmentId: active, company: 'USMF' },
    to: { environmentId: active, company: 'DEMF' },
    entities: ['Terms of payment', 'Customer groups'],
    jobId: null,
    choices: {},
    insertOnly: false,
  }));
};

/** Records the copy would send of an entity, under the choices being made. */
function toSend(d: CopyDiffEntity, choice: EntityChoice, insertOnly: boolean): number {
  const skipped = Object.values(choice.skip);
  if (insertOnly) return d.new - skipped.filter((s) => s === 'new').length;
  return d.new + d.changed + d.same - skipped.length;
}

/** The choices as jobs.confirm takes them. */
function choicesOf(state: Pick<CopyState, 'choices' | 'insertOnly'>) {
  return {
    insertOnly: state.insertOnly,
    entities: Object.fromEntries(
      Object.entries(state.choices).map(([label, c]) => [
        label,
        { skip: Object.keys(c.skip), keepTarget: [...c.keep] },
      ]),
    ),
  };
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
  const { client, jobs, shell, toasts } = useWorkbench();
  const store = useFeatureStore(copyStoreOf);
  const { from, to, entities, jobId, choices, insertOnly } = useStore(store);
  const [exporting, setExporting] = useState(false);
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
      set({ jobId: started.id, choices: {}, insertOnly: false });
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
        .call('jobs.confirm', {
          jobId: job.id,
          choices: choicesOf(store.getState()),
          ...(confirmProduction ? { confirmProduction } : {}),
        })
        .catch((error: unknown) => setProblem(messageOf(error)));
    });
  };
  useShortcut(RUN, run, reviewing);
  const choiceOf = (label: string) => choices[label] ?? NO_CHOICE;
  const setChoice = (label: string, change: (c: EntityChoice) => EntityChoice) =>
    set({ choices: { ...store.getState().choices, [label]: change(choiceOf(label)) } });
  const sending = job?.diff?.reduce((n, d) => n + toSend(d, choiceOf(d.label), insertOnly), 0) ?? 0;
  const drilled = job?.diff?.find((d) => d.label === drill) ?? null;
  const nothingSent =
    isFinal(job?.state ?? 'queued') && job?.state === 'succeeded' && job.diff?.every((d) => d.sent === 0);
  const exportDiff = (path: string) => {
    if (!job) return;
    setExporting(false);
    client.call('jobs.exportDiff', { jobId: job.id, path }).then(
      (saved) =>
        toasts.getState().push({
          level: 'success',
          title: 'The diff is saved',
          body: `${plural(saved.rows, 'line')} in ${saved.path}. Values a spreadsheet would run as a formula start with an apostrophe.`,
        }),
      (error: unknown) => setProblem(messageOf(error)),
    );
  };

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
          <EntityChooser
            label="Entities to copy"
            selected={entities}
            onChange={(list) => set({ entities: list, jobId: null })}
          />
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
                <div className="copy-result__tools">
                  {job.diff && (
                    <button
                      type="button"
                      className="button button--secondary button--small"
                      onClick={() => setExporting(true)}
                    >
                      <Icon name="save" size={16} />
                      Export the diff…
                    </button>
                  )}
                  <StateBadge job={job} live />
                </div>
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
                  <label className="check copy-insert-only">
                    <input
                      type="checkbox"
                      checked={insertOnly}
                      onChange={(e) => set({ insertOnly: e.target.checked })}
                    />
                    <span className="check__text">
                      Insert only
                      <span className="check__hint">
                        Add the records the target does not have; never change an existing one.
                      </span>
                    </span>
                  </label>
                )}
                {reviewing && (
                  <p className="muted copy-sending" role="status" aria-label="What the copy sends">
                    The copy sends {plural(sending, 'record')}
                    {Object.values(choices).some((c) => c.keep.length > 0)
                      ? ', keeping the target values you chose'
                      : ''}
                    . Untick records or keep fields in the rows of an entity.
                  </p>
                )}
                {reviewing && (
                  <div className="copy-actions">
                    <button
                      type="button"
                      className="button button--primary"
                      disabled={sending === 0}
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
                {nothingSent && (
                  <p className="copy-verdict" role="status">
                    <Icon name="check" size={18} />
                    Nothing was copied: every record was left out. The target is as it was.
                  </p>
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
          {job?.diff && drilled && (
            <RowDiff
              jobId={job.id}
              entity={drilled}
              version={job.state}
              review={
                reviewing
                  ? {
                      choice: choiceOf(drilled.label),
                      insertOnly,
                      onRecord: (row, copy) =>
                        setChoice(drilled.label, (c) => {
                          const skip = Object.fromEntries(Object.entries(c.skip).filter(([key]) => key !== row.key));
                          if (!copy) skip[row.key] = row.status;
                          return { ...c, skip };
                        }),
                      onField: (field, keep) =>
                        setChoice(drilled.label, (c) => ({
                          ...c,
                          keep: keep ? [...c.keep, field] : c.keep.filter((f) => f !== field),
                        })),
                    }
                  : null
              }
            />
          )}
        </div>
      </div>
      {exporting && job && (
        <PathDialog
          mode="save"
          title="Export the diff"
          fileName={`copy-diff-${job.id}.xlsx`}
          confirmLabel="Save the diff"
          onClose={() => setExporting(false)}
          onChoose={(path) => exportDiff(/\.(csv|xlsx)$/i.test(path) ? path : `${path}.xlsx`)}
        />
      )}
      {dialog}
    </>
  );
}
