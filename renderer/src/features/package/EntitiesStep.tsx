import { useEffect, useId, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import type { CatalogEntitySummary } from '../../../../shared/api/domains/catalog';
import type { PackagePlan, PlannedEntity } from '../../../../shared/api/domains/packages';
import { Field } from '../../app/Field';
import { count } from '../../app/format';
import { Icon } from '../../app/icons';
import { PathDialog } from '../../app/PathDialog';
import { PathField } from '../../app/PathField';
import { TableHead, numeric, unseen } from '../../app/TableHead';
import { NONE, useWorkbench } from '../../app/workbench';
import type { WizardStore } from './wizardStore';

const SOURCE_EXTENSIONS = ['.csv', '.tsv', '.txt', '.xlsx', '.xml'] as const;

/** A path inside the project folder is kept relative (the project moves with its files in git). */
export function projectRelative(dir: string, path: string): string {
  const base = dir.replace(/[\\/]+$/, '');
  return path.startsWith(`${base}/`) || path.startsWith(`${base}\\`) ? path.slice(base.length + 1) : path;
}

function SourceBadge({ entity }: { entity: PlannedEntity }) {
  if (entity.source === 'grid') return <span className="badge badge--accent">As in the grid</span>;
  if (entity.source === 'missing') return <span className="badge badge--danger">Unreadable</span>;
  return <span className="badge badge--plain">File</span>;
}

function CatalogPicker(props: {
  entities: readonly CatalogEntitySummary[];
  value: string | null;
  onChange: (label: string) => void;
  suggested: string | null;
}) {
  const [query, setQuery] = useState('');
  const matches = useMemo(() => {
    const q = query.trim().toLowerCase();
    const list = q
      ? props.entities.filter(
          (e) =>
            e.label.toLowerCase().includes(q) ||
            e.targetEntity.toLowerCase().includes(q) ||
            e.area.toLowerCase().includes(q),
        )
      : props.entities;
    const shown = list.slice(0, 60);
    // The chosen and the suggested entity stay in view wherever they sit in a catalog of hundreds.
    for (const label of [props.value, props.suggested]) {
      const entity = label === null ? undefined : list.find((e) => e.label === label);
      if (entity && !shown.includes(entity)) shown.unshift(entity);
    }
    return shown;
  }, [props.entities, props.value, props.suggested, query]);
  return (
    <Field label="Entity" className="catalog-picker">
      {({ id }) => (
        <>
          <input
            id={id}
            className="input"
            type="search"
            placeholder="Search by label, AOT name or area"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
          <ul className="catalog-picker__list" role="listbox" aria-label="Entities of the catalog">
            {matches.map((e) => (
              <li
                key={e.label}
                role="option"
                aria-selected={props.value === e.label}
                tabIndex={0}
                className="catalog-picker__option"
                onClick={() => props.onChange(e.label)}
                onKeyDown={(event) => {
                  if (event.key === 'Enter' || event.key === ' ') {
                    event.preventDefault();
                    props.onChange(e.label);
                  }
                }}
              >
                <span className="catalog-picker__label">
                  {e.label}
                  {props.suggested === e.label && <span className="badge badge--accent">Best match</span>}
                </span>
                <span className="muted catalog-picker__meta">
                  {e.targetEntity} · {e.area}
                  {e.references.length > 0 ? ` · needs ${e.references.join(', ')}` : ''}
                </span>
              </li>
            ))}
            {matches.length === 0 && <li className="muted catalog-picker__empty">No entity matches “{query}”.</li>}
          </ul>
        </>
      )}
    </Field>
  );
}

function AddEntity({ store, plan }: { store: WizardStore; plan: PackagePlan }) {
  const { client, sources } = useWorkbench();
  const catalog = useStore(store, (s) => s.catalog);
  const busy = useStore(store, (s) => s.busy);
  const datasets = useStore(sources, (s) => s.datasets);
  const open = useMemo(() => datasets.filter((d) => d.origin.kind === 'file' && d.state !== 'failed'), [datasets]);
  const activeId = useStore(sources, (s) => s.activeId);
  const [kind, setKind] = useState<'grid' | 'file'>(open.length > 0 ? 'grid' : 'file');
  // The file the consultant looked at last in Sources comes first.
  const [datasetId, setDatasetId] = useState<string>(open.find((d) => d.id === activeId)?.id ?? open[0]?.id ?? '');
  const [file, setFile] = useState('');
  const [entity, setEntity] = useState<string | null>(null);
  const [suggested, setSuggested] = useState<string | null>(null);
  const [browsing, setBrowsing] = useState(false);
  /** Changes after each add: the entity search starts empty again. */
  const [added, setAdded] = useState(0);
  const dataset = open.find((d) => d.id === datasetId) ?? null;
  const sourcePath = kind === 'grid' ? (dataset?.origin.kind === 'file' ? dataset.origin.path : '') : file.trim();

  useEffect(() => {
    if (kind !== 'grid' || !datasetId) return;
    let live = true;
    // The grid knows which entity's fields the columns match best.
    client.call('datasets.entities', { id: datasetId }).then(
      (choices) => {
        if (!live) return;
        const best = choices[0] && choices[0].matchingColumns > 0 ? choices[0].label : null;
        setSuggested(best);
        if (best) setEntity(best);
      },
      () => live && setSuggested(null),
    );
    return () => {
      live = false;
    };
  }, [client, kind, datasetId]);

  const taken = new Set(plan.document.entities.map((e) => e.label.toLowerCase()));
  const available = (catalog?.entities ?? []).filter((e) => !taken.has(e.label.toLowerCase()));
  const add = async () => {
    if (!entity || !sourcePath) return;
    const spec = { label: entity, sourceFile: projectRelative(plan.dir, sourcePath), enabled: true };
    // The form is ready for the next entity at once; the project is saved in the background.
    setEntity(null);
    setFile('');
    setAdded((n) => n + 1);
    await store.getState().changeEntities((entities) => [...entities, spec]);
  };

  return (
    <section className="panel add-entity" aria-label="Add an entity">
      <div className="panel__header">
        <h2 className="panel__title">Add an entity</h2>
      </div>
      <div className="panel__body add-entity__body">
        <fieldset className="fieldset">
          <legend>Source rows</legend>
          <div className="segmented">
            <label>
              <input type="radio" name="source-kind" checked={kind === 'grid'} onChange={() => setKind('grid')} />
              Open in the grid
            </label>
            <label>
              <input type="radio" name="source-kind" checked={kind === 'file'} onChange={() => setKind('file')} />A file
            </label>
          </div>
          {kind === 'grid' ? (
            open.length === 0 ? (
              <p className="muted">No file is open in Sources. Open one there to fix it first, or choose a file.</p>
            ) : (
              <Field label="Open file" hint="Rows are taken as the grid shows them, with your fixes.">
                {({ id }) => (
                  <select id={id} className="input" value={datasetId} onChange={(e) => setDatasetId(e.target.value)}>
                    {open.map((d) => (
                      <option key={d.id} value={d.id}>
                        {d.name} ({count(d.rowCount)} rows)
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            )
          ) : (
            <PathField
              label="File"
              value={file}
              onChange={setFile}
              onBrowse={() => setBrowsing(true)}
              placeholder="legacy/customers.csv"
            />
          )}
        </fieldset>
        {catalog ? (
          <CatalogPicker key={added} entities={available} value={entity} onChange={setEntity} suggested={suggested} />
        ) : (
          <p className="loading" role="progressbar" aria-label="Loading the catalog" />
        )}
        <div className="add-entity__actions">
          <span className="muted">
            {entity ? (
              <>
                <strong>{entity}</strong> from {sourcePath || '…'}
              </>
            ) : (
              'Choose the entity these rows load into.'
            )}
          </span>
          <button
            type="button"
            className="button button--primary"
            disabled={!entity || !sourcePath || busy}
            onClick={() => void add()}
          >
            <Icon name="plus" size={16} />
            Add entity
          </button>
        </div>
      </div>
      {browsing && (
        <PathDialog
          mode="file"
          title="Choose a source file"
          start={plan.dir}
          extensions={SOURCE_EXTENSIONS}
          confirmLabel="Choose"
          onClose={() => setBrowsing(false)}
          onChoose={(path) => {
            setBrowsing(false);
            setFile(path);
          }}
        />
      )}
    </section>
  );
}

export function EntitiesStep({ store, plan }: { store: WizardStore; plan: PackagePlan }) {
  const { shell } = useWorkbench();
  const environments = useStore(shell, (s) => s.environments?.environments ?? NONE);
  const catalogSource = useStore(store, (s) => s.catalogSource);
  const catalog = useStore(store, (s) => s.catalog);
  const catalogLoading = useStore(store, (s) => s.catalogLoading);
  const sourceId = useId();
  useEffect(() => {
    if (!catalog && !catalogLoading) void store.getState().loadCatalog(catalogSource);
  }, [store, catalog, catalogLoading, catalogSource]);
  const signedIn = environments.filter((e) => e.connection === 'signed-in');

  return (
    <div className="entities-step">
      <div className="catalog-source">
        <label className="field__label" htmlFor={sourceId}>
          Entities from
        </label>
        <select
          id={sourceId}
          className="input"
          value={catalogSource ?? ''}
          disabled={catalogLoading}
          onChange={(e) => void store.getState().loadCatalog(e.target.value || null)}
        >
          <option value="">Built-in catalog (works offline)</option>
          {signedIn.map((e) => (
            <option key={e.id} value={e.id}>
              Metadata of {e.name}
            </option>
          ))}
        </select>
        <span className="muted">
          {catalogLoading
            ? 'Reading the metadata…'
            : catalog
              ? `${count(catalog.entities.length)} entities · ${catalog.origin}`
              : ''}
          {signedIn.length === 0 && ' · Sign in to an environment to use its own metadata.'}
        </span>
      </div>

      {plan.entities.length === 0 ? (
        <p className="hint">
          <Icon name="info" />
          No entity yet. Add the entities to load below: for each, the file its rows come from (fix it in Sources first,
          if it needs fixing) and the entity it loads into.
        </p>
      ) : (
        <table className="table panel project-entities" aria-label="Entities of the project">
          <TableHead columns={['Include', 'Entity', 'Source', numeric('Rows'), unseen('Remove')]} />
          <tbody>
            {plan.entities.map((entity) => (
              <tr key={entity.label}>
                <td>
                  <input
                    type="checkbox"
                    checked={entity.enabled}
                    aria-label={`Include ${entity.label} in the package`}
                    onChange={(e) => {
                      // Read now: React resets the controlled box right after the event.
                      const enabled = e.target.checked;
                      void store.getState().changeEntity(entity.label, (spec) => ({ ...spec, enabled }));
                    }}
                  />
                </td>
                <th scope="row">
                  {entity.label}
                  <div className="muted mono">{entity.targetEntity ?? 'not in this catalog'}</div>
                </th>
                <td>
                  <div className="source-cell">
                    <span className="mono">{entity.sourceFile}</span>
                    <SourceBadge entity={entity} />
                  </div>
                  {entity.sourceProblem && <div className="field__error">{entity.sourceProblem}</div>}
                </td>
                <td className="num">{entity.rows === null ? '—' : count(entity.rows)}</td>
                <td>
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={`Remove ${entity.label}`}
                    onClick={() =>
                      void store.getState().changeEntities((list) => list.filter((e) => e.label !== entity.label))
                    }
                  >
                    <Icon name="trash" size={16} />
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <AddEntity store={store} plan={plan} />
    </div>
  );
}
