import { useId, useState } from 'react';
import type { ReactNode } from 'react';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { JobSummary } from '../../../../shared/api/domains/jobs';
import { isFinal } from '../../../../shared/domain/jobs/outcome';
import { JOB_STEPS } from '../../../../shared/domain/jobs/steps';
import { AreaHeader } from '../../app/AreaHeader';
import { ErrorAlert } from '../../app/ErrorAlert';
import { messageOf } from '../../app/errors';
import { Field } from '../../app/Field';
import { count, plural } from '../../app/format';
import { Icon } from '../../app/icons';
import { PathDialog } from '../../app/PathDialog';
import { PathField } from '../../app/PathField';
import { ProgressBar } from '../../app/ProgressBar';
import { RUN, shortcutAria, shortcutLabel, useShortcut } from '../../app/shortcuts';
import { TableHead, numeric, unseen } from '../../app/TableHead';
import { NONE, useFeatureStore, useWorkbench } from '../../app/workbench';
import type { Workbench } from '../../app/workbench';
import { EntityChooser, SidePicker } from '../copy/pickers';
import type { Side } from '../copy/pickers';
import { StateBadge } from '../jobs/JobDetail';
import { openInGrid } from './openInGrid';
import './export.css';

interface ExportState {
  readonly from: Side;
  /** The data project's name in F&O (created or updated with the entities when some are chosen). */
  readonly dataProject: string;
  readonly entities: readonly string[];
  /** Where the entity list comes from: the built-in catalog, or the environment's own metadata. */
  readonly entitiesFrom: 'catalog' | 'environment';
  readonly incremental: boolean;
  /** Where to save the package; empty: with the job (JobSummary.output says where). */
  readonly outFile: string;
  /** Records per entity of a preview. */
  readonly previewCount: number;
  readonly previewJobId: string | null;
  readonly exportJobId: string | null;
}

const exportStoreOf = (workbench: Workbench) => {
  const active = workbench.shell.getState().environments?.activeId ?? 'local-emulator';
  return createStore<ExportState>()(() => ({
    from: { environmentId: active, company: 'USMF' },
    dataProject: 'DMFW export',
    entities: [],
    entitiesFrom: 'catalog',
    incremental: false,
    outFile: '',
    previewCount: 10,
    previewJobId: null,
    exportJobId: null,
  }));
};

const MAX_PREVIEW = 1000;

function useJob(jobId: string | null) {
  const { jobs } = useWorkbench();
  const job = useStore(jobs, (s) => (jobId ? (s.jobs?.find((j) => j.id === jobId) ?? null) : null));
  const progress = useStore(jobs, (s) => (jobId ? (s.progress[jobId] ?? null) : null));
  return { job, progress };
}

/** Where an export job is: its step of JOB_STEPS.export as a bar, with the live message or bytes. */
function ExportProgress(props: { job: JobSummary; message: string | null; label: string }) {
  const steps = JOB_STEPS.export;
  const at = Math.max(
    0,
    steps.findIndex((s) => s.step === props.job.step),
  );
  const step = steps[at]?.label ?? props.job.step;
  return (
    <div className="copy-progress">
      <ProgressBar
        label={`${props.label} progress: ${step}`}
        value={at}
        max={steps.length}
        valueText={`${step}: step ${at + 1} of ${steps.length}`}
        tone={props.job.state === 'failed' ? 'danger' : 'accent'}
      />
      <span className="muted">
        {props.job.state === 'waiting' ? 'Waiting for another job on this environment' : step}
        {props.message ? ` · ${props.message}` : ''}
      </span>
    </div>
  );
}

/** Per entity, the records a preview or an export holds, each with a way into the grid. */
function EntityRecords(props: {
  job: JobSummary;
  label: string;
  capped: number | null;
  onOpen: (entity: string) => void;
}) {
  return (
    <table className="table export-table" aria-label={props.label}>
      <TableHead columns={['Entity', numeric('Records'), unseen('Open')]} />
      <tbody>
        {props.job.entities.map((e) => (
          <tr key={e.label}>
            <th scope="row">{e.label}</th>
            <td className="num">
              {count(e.stagingRecords)}
              {props.capped !== null && e.stagingRecords >= props.capped && (
                <span className="muted"> · the first {count(props.capped)}: there are more</span>
              )}
            </td>
            <td className="export-table__open">
              <button
                type="button"
                className="link-button"
                aria-label={`Open ${e.label} in the grid`}
                onClick={() => props.onOpen(e.label)}
              >
                Open in the grid
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function JobOutcome(props: { job: JobSummary; what: string }) {
  const { job } = props;
  if (!job.error) return null;
  return (
    <div className={`alert alert--${job.state === 'failed' ? 'error' : 'warning'}`} role="alert">
      <Icon name="alert" />
      <p>
        {props.what}: {job.error.message}
      </p>
    </div>
  );
}

/** The frame of a preview's or an export's result: its job, state, progress and failure. */
function JobPanel(props: {
  title: 'Preview' | 'Export';
  job: JobSummary;
  message: string | null;
  unfinished: string;
  live?: boolean;
  children: ReactNode;
}) {
  return (
    <section className="panel export-result" aria-label={props.title}>
      <div className="panel__header">
        <div>
          <h2 className="panel__title">{props.title}</h2>
          <span className="muted">{props.job.title}</span>
        </div>
        <StateBadge job={props.job} live={props.live ?? false} />
      </div>
      <div className="panel__body copy-result__body">
        {!isFinal(props.job.state) && <ExportProgress job={props.job} message={props.message} label={props.title} />}
        <JobOutcome job={props.job} what={props.unfinished} />
        {props.children}
      </div>
    </section>
  );
}

export function ExportArea() {
  const workbench = useWorkbench();
  const { client, jobs, shell } = workbench;
  const store = useFeatureStore(exportStoreOf);
  const state = useStore(store);
  const { from, dataProject, entities, entitiesFrom, incremental, outFile, previewCount } = state;
  const environments = useStore(shell, (s) => s.environments?.environments ?? NONE);
  const envName = environments.find((e) => e.id === from.environmentId)?.name ?? from.environmentId;
  const preview = useJob(state.previewJobId);
  const exported = useJob(state.exportJobId);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [browsing, setBrowsing] = useState(false);
  const pushId = useId();
  const set = (change: Partial<ExportState>) => store.setState(change);
  const running = [preview.job, exported.job].some((j) => j !== null && !isFinal(j.state));
  const ready = dataProject.trim().length > 0 && !busy && !running;
  const validCount = Number.isInteger(previewCount) && previewCount >= 1 && previewCount <= MAX_PREVIEW;

  const start = async (kind: 'preview' | 'export') => {
    if (!ready || (kind === 'preview' && !validCount)) return;
    setBusy(true);
    setProblem(null);
    try {
      const started = await client.call('jobs.startExport', {
        environmentId: from.environmentId,
        dataProject: dataProject.trim(),
        company: from.company,
        incremental,
        ...(entities.length ? { entities: [...entities] } : {}),
        ...(kind === 'preview' ? { preview: previewCount } : outFile.trim() ? { outFile: outFile.trim() } : {}),
      });
      set(kind === 'preview' ? { previewJobId: started.id } : { exportJobId: started.id });
    } catch (error) {
      setProblem(messageOf(error));
    } finally {
      setBusy(false);
    }
  };
  useShortcut(RUN, () => void start('export'), ready);
  const openJob = (job: JobSummary) => {
    jobs.getState().select(job.id);
    shell.getState().goTo('jobs');
  };
  /** The package of a job that ended well (null before, or when it failed). */
  const outputOf = (job: JobSummary | null) =>
    job && (job.state === 'succeeded' || job.state === 'partially-succeeded') ? job.output : null;
  const previewFile = outputOf(preview.job);
  const exportFile = outputOf(exported.job);
  const exportJob = exported.job;

  return (
    <>
      <AreaHeader
        title="Export"
        description="Export a data project from an environment to a data package: preview what it holds, run it full or incremental, and open the package in the grid."
      />
      <div className="copy-layout">
        <div className="copy-layout__setup">
          <section className="panel" aria-label="What to export">
            <div className="panel__body export-setup">
              <SidePicker
                title="Export from"
                side={from}
                onChange={(side) => set({ from: side, previewJobId: null })}
              />
              <Field
                label="Data project"
                hint="Created in F&O with the entities you choose, or updated. With no entity chosen, the data project is exported as F&O holds it."
              >
                {({ id, describedBy }) => (
                  <input
                    id={id}
                    aria-describedby={describedBy}
                    className="input"
                    value={dataProject}
                    maxLength={200}
                    onChange={(e) => set({ dataProject: e.target.value, previewJobId: null })}
                  />
                )}
              </Field>
              <fieldset className="fieldset export-push" aria-describedby={`${pushId}-hint`}>
                <legend>Push</legend>
                <label className="check">
                  <input
                    type="radio"
                    name={pushId}
                    checked={!incremental}
                    onChange={() => set({ incremental: false })}
                  />
                  <span className="check__text">
                    Full push
                    <span className="check__hint">Every record of the legal entity.</span>
                  </span>
                </label>
                <label className="check">
                  <input type="radio" name={pushId} checked={incremental} onChange={() => set({ incremental: true })} />
                  <span className="check__text">
                    Incremental push
                    <span className="check__hint">
                      Only what changed since this data project&apos;s last export (the first run is a full push).
                    </span>
                  </span>
                </label>
                <p id={`${pushId}-hint`} className="field__hint">
                  Incremental push needs change tracking on the entities in F&amp;O (Data entities &gt; Change
                  tracking).
                </p>
              </fieldset>
              <PathField
                label="Save the package as"
                value={outFile}
                onChange={(path) => set({ outFile: path })}
                onBrowse={() => setBrowsing(true)}
                placeholder="Empty: kept with the job"
                hint={
                  <span className="field__hint">
                    A .zip file; left empty, the package stays in the job&apos;s folder.
                  </span>
                }
              />
            </div>
          </section>
          <EntityChooser
            label="Entities to export"
            selected={entities}
            environmentId={entitiesFrom === 'environment' ? from.environmentId : null}
            onChange={(list) => set({ entities: list, previewJobId: null })}
          >
            <Field label="Entities from" className="export-from">
              {({ id }) => (
                <select
                  id={id}
                  className="input"
                  value={entitiesFrom}
                  onChange={(e) => set({ entitiesFrom: e.target.value === 'environment' ? 'environment' : 'catalog' })}
                >
                  <option value="catalog">The built-in catalog</option>
                  <option value="environment">{envName}&apos;s metadata</option>
                </select>
              )}
            </Field>
          </EntityChooser>
          <div className="copy-actions export-actions">
            <Field label="Records per entity">
              {({ id }) => (
                <input
                  id={id}
                  className="input export-actions__count"
                  type="number"
                  min={1}
                  max={MAX_PREVIEW}
                  value={Number.isNaN(previewCount) ? '' : previewCount}
                  onChange={(e) => set({ previewCount: e.target.valueAsNumber })}
                />
              )}
            </Field>
            <button
              type="button"
              className="button button--secondary"
              disabled={!ready || !validCount}
              onClick={() => void start('preview')}
            >
              <Icon name="search" size={16} />
              Preview
            </button>
            <button
              type="button"
              className="button button--primary"
              disabled={!ready}
              onClick={() => void start('export')}
              aria-keyshortcuts={shortcutAria(RUN)}
              title={`Export (${shortcutLabel(RUN)})`}
            >
              <Icon name="save" size={16} />
              {incremental ? 'Export incremental' : 'Export'}
              <kbd className="button__kbd">{shortcutLabel(RUN)}</kbd>
            </button>
          </div>
          {!validCount && (
            <p className="field__error" role="alert">
              A preview holds 1 to {MAX_PREVIEW} records per entity.
            </p>
          )}
        </div>

        <div className="copy-layout__result">
          <ErrorAlert problem={problem} />
          {!preview.job && !exported.job && (
            <section className="panel copy-empty" aria-label="Export result">
              <div className="panel__body">
                <Icon name="save" size={28} />
                <h2>Preview, then export</h2>
                <p className="muted">
                  Choose the environment, legal entity and data project, and tick the entities (or none, to export the
                  data project as it is). Preview runs F&amp;O&apos;s ExportToPackagePreview: the first records of each
                  entity, to see what the export holds. Export runs it all; the package opens in the grid.
                </p>
              </div>
            </section>
          )}
          {preview.job && (
            <JobPanel
              title="Preview"
              job={preview.job}
              message={preview.progress?.message ?? null}
              unfinished="The preview did not finish"
            >
              {previewFile !== null && (
                <>
                  <p className="muted" role="status" aria-label="Preview outcome">
                    {preview.job.entities.length === 0
                      ? 'The data project holds no entity: choose the entities to export.'
                      : `At most ${plural(previewCount, 'record')} of each entity, from ${preview.job.company ?? ''}.`}
                  </p>
                  <EntityRecords
                    job={preview.job}
                    label="Records in the preview"
                    capped={previewCount}
                    onOpen={(entity) => openInGrid(workbench, previewFile, entity)}
                  />
                </>
              )}
            </JobPanel>
          )}
          {exported.job && (
            <JobPanel
              title="Export"
              job={exported.job}
              message={exported.progress?.message ?? null}
              unfinished="The export did not finish"
              live
            >
              {exportFile !== null && (
                <>
                  <p className="export-saved" role="status" aria-label="Export outcome">
                    <Icon name="check" size={18} />
                    <span>
                      {plural(
                        exported.job.entities.reduce((n, e) => n + e.stagingRecords, 0),
                        'record',
                      )}{' '}
                      of {plural(exported.job.entities.length, 'entity', 'entities')} saved in{' '}
                      <span className="mono">{exported.job.output}</span>
                    </span>
                  </p>
                  <EntityRecords
                    job={exported.job}
                    label="Records in the package"
                    capped={null}
                    onOpen={(entity) => openInGrid(workbench, exportFile, entity)}
                  />
                </>
              )}
              <div className="copy-actions">
                {exportFile !== null && (
                  <>
                    <button
                      type="button"
                      className="button button--primary"
                      onClick={() => openInGrid(workbench, exportFile)}
                    >
                      <Icon name="grid" size={16} />
                      Open the package in the grid
                    </button>
                    <button
                      type="button"
                      className="button button--secondary"
                      onClick={() => void client.call('app.showInFolder', { path: exportFile })}
                    >
                      <Icon name="folder" size={16} />
                      Show in folder
                    </button>
                  </>
                )}
                <button type="button" className="link-button" onClick={() => exportJob && openJob(exportJob)}>
                  Open the job
                </button>
              </div>
            </JobPanel>
          )}
        </div>
      </div>
      {browsing && (
        <PathDialog
          mode="save"
          title="Save the exported package as"
          fileName={`${dataProject.trim() || 'export'}.zip`}
          confirmLabel="Save here"
          onClose={() => setBrowsing(false)}
          onChoose={(path) => {
            setBrowsing(false);
            set({ outFile: /\.zip$/i.test(path) ? path : `${path}.zip` });
          }}
        />
      )}
    </>
  );
}
