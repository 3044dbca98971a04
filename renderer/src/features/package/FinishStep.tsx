import { useId, useState } from 'react';
import { useStore } from 'zustand';
import type { DownloadLink, PackagePlan } from '../../../../shared/api/domains/packages';
import { ErrorAlert } from '../../app/ErrorAlert';
import { messageOf } from '../../app/errors';
import { Field } from '../../app/Field';
import { bytes, count, plural } from '../../app/format';
import { Icon } from '../../app/icons';
import { PathDialog } from '../../app/PathDialog';
import { PathField } from '../../app/PathField';
import { useProductionGuard } from '../../app/productionGuard';
import { RUN, SAVE, shortcutAria, shortcutLabel, useShortcut } from '../../app/shortcuts';
import { TableHead, numeric } from '../../app/TableHead';
import { useWorkbench } from '../../app/workbench';
import { useLegalEntities } from '../environments/useLegalEntities';
import { BuildButton, Readiness, useReadinessGate } from './Readiness';
import type { WizardStore } from './wizardStore';

const CONNECTION_NOTE: Record<string, string> = {
  'signed-in': 'signed in',
  'not-started': 'starts when used',
  'signed-out': 'signed out',
  starting: 'starting',
  'signing-in': 'signing in',
  error: 'connection problem',
};

function Checklist({ plan }: { plan: PackagePlan }) {
  const enabled = plan.entities.filter((e) => e.enabled);
  const unreadable = enabled.filter((e) => e.sourceProblem !== null);
  const missing = enabled.filter((e) => e.missingMandatory.length > 0);
  const known = enabled.filter((e) => e.rows !== null);
  const mapped = enabled.flatMap((e) => e.valueMaps.map((m) => ({ ...m, entity: e.label })));
  const notApplied = mapped.filter((m) => m.legacyRows > 0);
  const unmapped = mapped.filter((m) => m.unmappedRows > 0);
  const items = [
    {
      ok: enabled.length > 0,
      text:
        enabled.length > 0
          ? `${plural(enabled.length, 'entity', 'entities')}${known.length === enabled.length ? `, ${count(known.reduce((n, e) => n + (e.rows ?? 0), 0))} rows` : ''}`
          : 'No entity is included.',
    },
    {
      ok: unreadable.length === 0,
      text:
        unreadable.length === 0
          ? 'Every source can be read.'
          : `${unreadable.map((e) => e.label).join(', ')}: ${unreadable[0]?.sourceProblem ?? ''}`,
    },
    {
      ok: missing.length === 0,
      warn: true,
      text:
        missing.length === 0
          ? 'Every mandatory field has a column.'
          : `Mandatory fields without a column: ${missing.map((e) => `${e.label} (${e.missingMandatory.join(', ')})`).join('; ')}.`,
    },
    ...(mapped.length === 0
      ? []
      : [
          {
            ok: notApplied.length === 0 && unmapped.length === 0,
            warn: true,
            text:
              notApplied.length === 0 && unmapped.length === 0
                ? `${plural(mapped.length, 'value table')} applied, every value mapped.`
                : [
                    ...notApplied.map(
                      (m) =>
                        `${m.entity} ${m.column ?? m.field}: ${plural(m.legacyRows, 'row')} still hold legacy values; apply "${m.name}" (Sources › Values › Value mapping).`,
                    ),
                    ...unmapped.map(
                      (m) =>
                        `${m.entity} ${m.column ?? m.field}: ${plural(m.unmappedRows, 'row')} with values "${m.name}" does not map (${m.unmapped.map((v) => `"${v}"`).join(', ')}).`,
                    ),
                  ].join(' '),
          },
        ]),
    {
      ok: plan.sequence.cycles.length === 0,
      warn: true,
      text:
        plan.sequence.cycles.length === 0
          ? `${plural(new Set(plan.sequence.placements.map((p) => p.executionUnit)).size, 'execution unit')}, no cycle.`
          : `${plural(plan.sequence.cycles.length, 'cycle')} in the references: see Sequence.`,
    },
  ];
  return (
    <ul className="checklist" aria-label="Before you build">
      {items.map((item) => (
        <li key={item.text} className={item.ok ? 'is-ok' : item.warn ? 'is-warn' : 'is-error'}>
          <Icon name={item.ok ? 'check' : 'alert'} size={16} />
          <span>{item.text}</span>
        </li>
      ))}
    </ul>
  );
}

function SavePanel({ store, plan }: { store: WizardStore; plan: PackagePlan }) {
  const { client, toasts, shell } = useWorkbench();
  const saved = useStore(store, (s) => s.saved);
  const desktop = useStore(shell, (s) => s.appInfo?.mode === 'desktop');
  const name = (plan.document.binding.dataProject ?? plan.document.name).replace(/[^A-Za-z0-9 _.-]+/g, '') || 'package';
  const [out, setOut] = useState(`${plan.dir.replace(/[\\/]+$/, '')}/packages/${name}.zip`);
  const [replace, setReplace] = useState(true);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [browsing, setBrowsing] = useState(false);
  const [link, setLink] = useState<DownloadLink | null>(null);
  const titleId = useId();
  const ready = plan.entities.some((e) => e.enabled);
  const save = async () => {
    if (busy || !ready) return;
    setBusy(true);
    setProblem(null);
    try {
      await store.getState().freezeMappings();
      const built = await client.call('packages.build', { dir: plan.dir, out, overwrite: replace });
      store.getState().setSaved(built);
      // In browser mode the page cannot reach the file by its path: it downloads it from the server.
      setLink(
        desktop
          ? null
          : await client.call('packages.downloadLink', { path: built.path }).catch((error: unknown) => {
              toasts.getState().push({ level: 'error', title: 'No download link', body: messageOf(error) });
              return null;
            }),
      );
      toasts.getState().push({ level: 'success', title: 'Package saved', body: built.path });
    } catch (error) {
      setProblem(messageOf(error));
    } finally {
      setBusy(false);
    }
  };
  // With known errors only the explicit "Save anyway" button builds: no shortcut goes past the check.
  const gate = useReadinessGate(store);
  useShortcut(SAVE, () => void save(), ready && gate.state === 'clean');
  return (
    <section className="panel finish-panel" aria-labelledby={titleId}>
      <div className="panel__header">
        <h2 className="panel__title" id={titleId}>
          <Icon name="save" size={18} /> Save the package offline
        </h2>
      </div>
      <div className="panel__body form">
        <p className="muted">
          A .zip with Manifest.xml, PackageHeader.xml and one data file per entity. Import it later from the workbench,
          or in F&amp;O: Data management &gt; Import &gt; Package.
        </p>
        <PathField label="Save as" value={out} onChange={setOut} onBrowse={() => setBrowsing(true)} />
        <label className="check">
          <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} />
          <span>Replace the file if it exists</span>
        </label>
        <ErrorAlert problem={problem} />
        <div>
          <BuildButton
            store={store}
            action="Save"
            label="Save package"
            busyLabel="Saving…"
            icon="save"
            shortcut={{ aria: shortcutAria(SAVE), label: shortcutLabel(SAVE) }}
            ready={ready}
            busy={busy}
            onClick={() => void save()}
          />
        </div>
        {saved && (
          <div className="saved-package" role="status" aria-label="Saved package">
            <div className="saved-package__head">
              <Icon name="check" size={18} />
              <div>
                <strong>Saved {bytes(saved.bytes)}</strong>
                <div className="mono saved-package__path">{saved.path}</div>
              </div>
              {desktop && (
                <button
                  type="button"
                  className="button button--secondary button--small saved-package__reveal"
                  onClick={() =>
                    void client
                      .call('app.showInFolder', { path: saved.path })
                      .catch((error: unknown) =>
                        toasts.getState().push({ level: 'error', title: 'Not shown', body: messageOf(error) }),
                      )
                  }
                >
                  <Icon name="folder" size={16} />
                  Show in folder
                </button>
              )}
              {link && saved.path.endsWith(link.name) && (
                <a
                  className="button button--secondary button--small saved-package__reveal"
                  href={link.url}
                  download={link.name}
                >
                  <Icon name="save" size={16} />
                  Download {link.name}
                </a>
              )}
            </div>
            <table className="table" aria-label="Entities in the package">
              <TableHead columns={['Entity', 'Data file', numeric('Rows'), numeric('Unit.Level.Seq')]} />
              <tbody>
                {saved.entities.map((e) => (
                  <tr key={e.label}>
                    <td>{e.label}</td>
                    <td className="mono">{e.dataFile}</td>
                    <td className="num">{count(e.rows)}</td>
                    <td className="num mono">
                      {e.executionUnit}.{e.level}.{e.sequence}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p className="muted">
              Check it from a terminal: <code className="mono">dmfw inspect &quot;{saved.path}&quot;</code>
            </p>
          </div>
        )}
      </div>
      {browsing && (
        <PathDialog
          mode="save"
          title="Save the package as"
          start={plan.dir}
          fileName={out.split(/[\\/]/).at(-1) ?? `${name}.zip`}
          confirmLabel="Save here"
          onClose={() => setBrowsing(false)}
          onChoose={(path) => {
            setBrowsing(false);
            setOut(path.toLowerCase().endsWith('.zip') ? path : `${path}.zip`);
          }}
        />
      )}
    </section>
  );
}

function RunPanel({ store, plan }: { store: WizardStore; plan: PackagePlan }) {
  const { client, shell, jobs } = useWorkbench();
  const list = useStore(shell, (s) => s.environments);
  const { guard, dialog } = useProductionGuard();
  const bound = list?.environments.find((e) => e.name === plan.document.binding.environment);
  const [environmentId, setEnvironmentId] = useState<string>(bound?.id ?? list?.activeId ?? '');
  const env = list?.environments.find((e) => e.id === environmentId) ?? null;
  const [company, setCompany] = useState<string>(plan.document.binding.company ?? '');
  const [stagingOnly, setStagingOnly] = useState(!plan.document.options.execute);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const titleId = useId();
  const companies = useLegalEntities(environmentId, env?.connection);
  const chosenCompany = company || env?.defaultCompany || '';
  const dataProject = plan.document.binding.dataProject ?? plan.document.name;
  const ready = env !== null && plan.entities.some((e) => e.enabled);

  const run = () => {
    if (!env || busy || !ready) return;
    guard(env.id, 'Run the import', (confirmProduction) => {
      void (async () => {
        setBusy(true);
        setProblem(null);
        try {
          await store.getState().freezeMappings();
          await store.getState().changeBinding({
            environment: env.name,
            dataProject,
            ...(chosenCompany ? { company: chosenCompany } : {}),
          });
          const job = await client.call('jobs.startImport', {
            environmentId: env.id,
            source: plan.dir,
            dataProject,
            ...(chosenCompany ? { company: chosenCompany } : {}),
            execute: !stagingOnly,
            ...(confirmProduction ? { confirmProduction } : {}),
          });
          jobs.getState().select(job.id);
          shell.getState().goTo('jobs');
        } catch (error) {
          setProblem(messageOf(error));
        } finally {
          setBusy(false);
        }
      })();
    });
  };
  const gate = useReadinessGate(store);
  useShortcut(RUN, run, ready && gate.state === 'clean');

  return (
    <section className="panel finish-panel" aria-labelledby={titleId}>
      <div className="panel__header">
        <h2 className="panel__title" id={titleId}>
          <Icon name="play" size={18} /> Run it as an import job
        </h2>
      </div>
      <div className="panel__body form">
        <p className="muted">
          The workbench builds the package, uploads it, imports it once and follows it to the end. Failed rows come back
          onto their source rows.
        </p>
        <div className="form__row">
          <Field
            label="Environment"
            hint={env ? `${env.name}: ${CONNECTION_NOTE[env.connection] ?? env.connection}` : undefined}
          >
            {({ id, describedBy }) => (
              <select
                id={id}
                className="input"
                aria-describedby={describedBy}
                value={environmentId}
                onChange={(e) => {
                  setEnvironmentId(e.target.value);
                  setCompany('');
                }}
              >
                {(list?.environments ?? []).map((e) => (
                  <option key={e.id} value={e.id}>
                    {e.tag} · {e.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Legal entity">
            {({ id }) => (
              <select id={id} className="input" value={chosenCompany} onChange={(e) => setCompany(e.target.value)}>
                {[...new Set([chosenCompany, ...companies.map((c) => c.id)].filter(Boolean))].map((id) => {
                  const info = companies.find((c) => c.id === id);
                  return (
                    <option key={id} value={id}>
                      {id}
                      {info?.name ? ` · ${info.name}` : ''}
                    </option>
                  );
                })}
              </select>
            )}
          </Field>
        </div>
        <p className="muted">
          Data project <strong>{dataProject}</strong> · {plan.document.options.packageFormat}
        </p>
        <label className="check">
          <input type="checkbox" checked={stagingOnly} onChange={(e) => setStagingOnly(e.target.checked)} />
          <span className="check__text">
            Stop at staging
            <span className="check__hint">
              Load the staging tables only, to review them in F&amp;O before the target.
            </span>
          </span>
        </label>
        {env?.tag === 'PROD' && (
          <div className="alert alert--warning" role="note">
            <Icon name="alert" />
            <p>{env.name} is a production environment: you will be asked to type its name.</p>
          </div>
        )}
        {env && env.connection !== 'signed-in' && env.kind !== 'emulator' && (
          <div className="alert alert--info" role="note">
            <Icon name="info" />
            <p>Nobody is signed in to {env.name}: sign in from Environments first, or the job will ask you to.</p>
          </div>
        )}
        <ErrorAlert problem={problem} />
        <div>
          <BuildButton
            store={store}
            action="Run"
            label="Run import"
            busyLabel="Starting…"
            icon="play"
            shortcut={{ aria: shortcutAria(RUN), label: shortcutLabel(RUN) }}
            ready={ready}
            busy={busy}
            onClick={run}
          />
        </div>
      </div>
      {dialog}
    </section>
  );
}

export function FinishStep({ store, plan }: { store: WizardStore; plan: PackagePlan }) {
  return (
    <div className="finish-step">
      <Checklist plan={plan} />
      <Readiness store={store} plan={plan} />
      <div className="finish-step__panels">
        <SavePanel store={store} plan={plan} />
        <RunPanel store={store} plan={plan} />
      </div>
    </div>
  );
}
