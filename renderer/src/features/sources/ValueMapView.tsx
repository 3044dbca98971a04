/**
 * The value mapping table of the column: its distinct values beside the field's valid F&O values,
 * what each becomes, what is left unmapped, and suggestions to accept or correct. Tables belong to
 * a workbench project (value-maps/ in its folder); applying one is a recipe step that replays on
 * the next cycle's extract. Export and import hand the table to a client's process owner.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import { useStore } from 'zustand';
import type { Client } from '../../../../shared/api/client';
import type { CatalogFieldInfo } from '../../../../shared/api/domains/catalog';
import type { DatasetInfo } from '../../../../shared/api/domains/datasets';
import type {
  DraftValue,
  TargetKind,
  ValueMapDraft,
  ValueMapSummary,
  ValueRuleInput,
} from '../../../../shared/api/domains/valueMaps';
import { EmptyState } from '../../app/EmptyState';
import { PathDialog } from '../../app/PathDialog';
import { useRecentProjects } from '../../app/recentProjects';
import { NONE } from '../../app/workbench';
import type { SourcesStore } from './sourcesStore';
import { messageOf } from './sourcesStore';
import { ColumnSelect, count, shownValue } from './columnValues';

const STATUS_LABEL: Readonly<Record<DraftValue['status'], string>> = {
  unmapped: 'to map',
  legacy: 'mapped, not applied',
  valid: 'F&O value',
  blank: 'blank',
};
const STATUS_ORDER: Readonly<Record<DraftValue['status'], number>> = { unmapped: 0, legacy: 1, valid: 2, blank: 3 };
const TARGET_SOURCES: readonly { id: TargetKind; label: string }[] = [
  { id: 'environment', label: "the project's environment" },
  { id: 'entity', label: 'the referenced entity in this project' },
  { id: 'enum', label: "the field's enum" },
];

export function ValueMapView(props: { store: SourcesStore; client: Client; info: DatasetInfo }) {
  const { store, client, info } = props;
  const recent = useRecentProjects() ?? NONE;
  const column = useStore(store, (s) => s.column);
  const refresh = useStore(store, (s) => s.refresh);
  const [dir, setDir] = useState<string | null>(null);
  const [tables, setTables] = useState<readonly ValueMapSummary[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const project = dir ?? recent[0]?.dir ?? null;
  const columnName = info.columns[column]?.name ?? '';
  const entity = info.entity;

  const loadTables = useCallback(() => {
    if (!project) return;
    client.call('values.list', { dir: project }).then(
      (list) => {
        setTables(list);
        setProblem(null);
      },
      (error: unknown) => setProblem(messageOf(error)),
    );
  }, [client, project]);
  useEffect(loadTables, [loadTables]);
  useEffect(
    () => client.on('values.changed', (change) => change.dir === project && loadTables()),
    [client, project, loadTables],
  );

  const table = useMemo(() => {
    const lower = columnName.trim().toLowerCase();
    return (
      tables?.find(
        (t) =>
          t.entity === entity &&
          ((t.sourceColumn ?? '').toLowerCase() === lower || (!t.sourceColumn && t.field.toLowerCase() === lower)),
      ) ?? null
    );
  }, [tables, entity, columnName]);

  const draftKey =
    project && table && info.state === 'ready' ? JSON.stringify([project, table, info.id, columnName, refresh]) : null;
  const [answered, setAnswered] = useState<{ key: string; draft: ValueMapDraft } | null>(null);
  useEffect(() => {
    if (!draftKey || !project || !table) return;
    let live = true;
    client.call('values.draft', { dir: project, id: table.id, datasetId: info.id, column: columnName }).then(
      (result) => live && setAnswered({ key: draftKey, draft: result }),
      (error: unknown) => live && setProblem(messageOf(error)),
    );
    return () => {
      live = false;
    };
  }, [client, draftKey, project, table, info.id, columnName]);
  const draft = answered && answered.key === draftKey ? answered.draft : null;

  const run = async (work: () => Promise<string>) => {
    setProblem(null);
    try {
      setNotice(await work());
    } catch (error) {
      setNotice(null);
      setProblem(messageOf(error));
    }
  };

  if (recent.length === 0) {
    return (
      <EmptyState icon="folder" title="No project yet">
        <p>Value mapping tables live in a workbench project. Create or open one in Package (Ctrl+3), then come back.</p>
      </EmptyState>
    );
  }
  return (
    <div className="value-map">
      <label className="values-panel__column">
        Project
        <select
          className="input"
          value={project ?? ''}
          onChange={(e) => setDir(e.target.value)}
          aria-label="Project of the value tables"
        >
          {recent.map((p) => (
            <option key={p.dir} value={p.dir}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <ColumnSelect store={store} info={info} label="Column to map" />
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
      {notice && (
        <p className="value-map__notice" role="status">
          {notice}
        </p>
      )}
      {!entity ? (
        <p className="muted">
          Choose the entity these rows are for (Entity, above the grid): a table maps the values of one of its fields.
        </p>
      ) : table && project ? (
        <TableEditor
          client={client}
          dir={project}
          table={table}
          draft={draft}
          datasetId={info.id}
          column={columnName}
          run={run}
          applied={() => {
            store.setState((s) => ({ refresh: s.refresh + 1 }));
            void store.getState().loadRecipe();
          }}
        />
      ) : project && tables ? (
        <CreateTable client={client} dir={project} entity={entity} column={columnName} run={run} />
      ) : null}
    </div>
  );
}

function CreateTable(props: {
  client: Client;
  dir: string;
  entity: string;
  column: string;
  run: (work: () => Promise<string>) => Promise<void>;
}) {
  const { client, entity, column } = props;
  const [fields, setFields] = useState<readonly CatalogFieldInfo[]>([]);
  const [field, setField] = useState('');
  useEffect(() => {
    let live = true;
    client.call('catalog.fields', { entity }).then(
      (list) => {
        if (!live) return;
        setFields(list);
        const same = list.find(
          (f) => f.name.toLowerCase() === column.toLowerCase() || f.publicName.toLowerCase() === column.toLowerCase(),
        );
        setField(same?.name ?? '');
      },
      () => live && setFields([]),
    );
    return () => {
      live = false;
    };
  }, [client, entity, column]);
  const create = (event: FormEvent) => {
    event.preventDefault();
    if (!field) return;
    void props.run(async () => {
      const sameName = field.toLowerCase() === column.toLowerCase();
      const created = await client.call('values.create', {
        dir: props.dir,
        entity,
        field,
        ...(sameName ? {} : { sourceColumn: column }),
      });
      return `Created the table "${created.name}".`;
    });
  };
  return (
    <form className="value-map__create" onSubmit={create} aria-label="Create a value table">
      <p>
        No value table maps {column} yet. Which field of {entity} does it feed?
      </p>
      <select className="input" value={field} onChange={(e) => setField(e.target.value)} aria-label="Target field">
        <option value="">Choose the field…</option>
        {fields.map((f) => (
          <option key={f.name} value={f.name}>
            {f.name}
          </option>
        ))}
      </select>
      <button type="submit" className="button button--primary" disabled={!field}>
        Create the table
      </button>
    </form>
  );
}

function TableEditor(props: {
  client: Client;
  dir: string;
  table: ValueMapSummary;
  draft: ValueMapDraft | null;
  datasetId: string;
  column: string;
  run: (work: () => Promise<string>) => Promise<void>;
  applied: () => void;
}) {
  const { client, dir, table, draft, run } = props;
  const [edits, setEdits] = useState<Readonly<Record<string, string>>>({});
  const [source, setSource] = useState<TargetKind>('environment');
  const [choosing, setChoosing] = useState<'export' | 'import' | null>(null);
  const targets = draft?.table.file.targets?.values ?? [];
  const values = useMemo(
    () =>
      [...(draft?.values ?? [])].sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || b.count - a.count),
    [draft],
  );
  const pending = Object.entries(edits).filter(([, to]) => to.trim() !== '');
  const strong = values.filter(
    (v) => v.status === 'unmapped' && (v.suggestions[0]?.score ?? 0) >= 0.9 && !(v.value in edits),
  );
  const listId = `targets-${table.id}`;

  const save = (rules: ValueRuleInput[], done: string) =>
    run(async () => {
      await client.call('values.setRules', { dir, id: table.id, set: rules });
      setEdits({});
      return done;
    });

  return (
    <div className="value-map__table">
      <h3 className="value-map__name">{table.name}</h3>
      <p className="muted">
        {table.name === `${table.entity} ${table.field}` ? '' : `${table.entity} ${table.field} · `}
        {count(table.rules)} {table.rules === 1 ? 'rule' : 'rules'}
        {table.changedBy ? ` · last changed by ${table.changedBy}` : ''}
      </p>
      <p className="value-map__targets">
        {table.targets > 0
          ? `${count(table.targets)} valid values: ${table.targetsOrigin ?? ''}`
          : 'No valid values read yet: unmapped values cannot be told from valid ones.'}
      </p>
      <div className="value-map__read">
        <select
          className="input"
          value={source}
          onChange={(e) => setSource(e.target.value as TargetKind)}
          aria-label="Read valid values from"
        >
          {TARGET_SOURCES.map((s) => (
            <option key={s.id} value={s.id}>
              From {s.label}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="button"
          onClick={() =>
            void run(async () => {
              const read = await client.call('values.readTargets', { dir, id: table.id, from: source });
              return `Read ${count(read.targets)} valid values from ${read.targetsOrigin ?? ''}.`;
            })
          }
        >
          Read valid values
        </button>
      </div>
      {table.problems.map((p) => (
        <p key={p} className="form-error" role="alert">
          {p}
        </p>
      ))}
      {draft && (
        <p className="muted" aria-label="Mapping status">
          {count(draft.counts.unmapped)} to map · {count(draft.counts.legacy)} mapped, not applied ·{' '}
          {count(draft.counts.valid)} F&O values
          {draft.truncated ? ` (the ${count(draft.values.length)} most frequent of ${count(draft.distinct)})` : ''}
        </p>
      )}
      <div className="value-map__actions">
        <button
          type="button"
          className="button button--primary"
          disabled={pending.length === 0}
          onClick={() =>
            void save(
              pending.map(([from, to]) => ({ kind: 'exact', from, to: to.trim() })),
              `Saved ${pending.length} ${pending.length === 1 ? 'rule' : 'rules'}.`,
            )
          }
        >
          Save {pending.length > 0 ? count(pending.length) : ''} rules
        </button>
        {strong.length > 0 && (
          <button
            type="button"
            className="button"
            onClick={() =>
              void save(
                strong.map((v) => ({
                  kind: 'exact',
                  from: v.value,
                  to: v.suggestions[0]?.to ?? '',
                  note: `accepted suggestion: ${v.suggestions[0]?.reason ?? ''}`,
                })),
                `Accepted ${strong.length} suggestions.`,
              )
            }
          >
            Accept {count(strong.length)} strong suggestions
          </button>
        )}
        <button
          type="button"
          className="button"
          disabled={table.rules === 0}
          onClick={() =>
            void run(async () => {
              const result = await client.call('values.apply', {
                dir,
                id: table.id,
                datasetId: props.datasetId,
                column: props.column,
              });
              props.applied();
              const cells = result.steps.reduce((n, s) => n + s.cells, 0);
              return `Applied "${table.name}" to ${props.column}: ${count(cells)} ${cells === 1 ? 'cell' : 'cells'} changed. The step is in the recipe.`;
            })
          }
        >
          Apply to {props.column}
        </button>
        <button type="button" className="button button--ghost" onClick={() => setChoosing('export')}>
          Export…
        </button>
        <button type="button" className="button button--ghost" onClick={() => setChoosing('import')}>
          Import…
        </button>
      </div>
      <datalist id={listId}>
        {targets.map((t) => (
          <option key={t.value} value={t.value}>
            {t.label ?? ''}
          </option>
        ))}
      </datalist>
      <ul className="map-list" aria-label={`Values of ${props.column} and what they become`}>
        {values.map((v) => {
          const best = v.suggestions[0];
          const edit = edits[v.value];
          return (
            <li key={v.value} className={`map-row map-row--${v.status}`}>
              <span className="map-row__from" title={v.value}>
                {shownValue(v.value)}
              </span>
              <span className="map-row__count">{count(v.count)}</span>
              <span className={`badge map-row__status map-row__status--${v.status}`}>{STATUS_LABEL[v.status]}</span>
              {v.status === 'legacy' && <span className="map-row__to">→ {v.mappedTo}</span>}
              {v.status === 'unmapped' && (
                <span className="map-row__edit">
                  <input
                    className="input"
                    list={listId}
                    value={edit ?? ''}
                    placeholder={best ? best.to : 'F&O value'}
                    onChange={(e) => setEdits({ ...edits, [v.value]: e.target.value })}
                    aria-label={`F&O value for ${shownValue(v.value)}`}
                  />
                  {best && edit === undefined && (
                    <button
                      type="button"
                      className="button button--ghost map-row__accept"
                      onClick={() => setEdits({ ...edits, [v.value]: best.to })}
                      aria-label={`Accept ${best.to} for ${shownValue(v.value)} (${best.reason}, ${best.score.toFixed(2)})`}
                      title={`${best.label ?? best.to}: ${best.reason}, ${best.score.toFixed(2)}`}
                    >
                      {best.to} · {best.reason}
                    </button>
                  )}
                </span>
              )}
            </li>
          );
        })}
      </ul>
      {choosing && (
        <PathDialog
          mode={choosing === 'export' ? 'save' : 'file'}
          title={choosing === 'export' ? `Export "${table.name}"` : `Import into "${table.name}"`}
          start={dir}
          fileName={`${table.id}.xlsx`}
          extensions={['.csv', '.xlsx']}
          confirmLabel={choosing === 'export' ? 'Export' : 'Import'}
          onClose={() => setChoosing(null)}
          onChoose={(path) => {
            const what = choosing;
            setChoosing(null);
            void run(async () => {
              if (what === 'export') {
                const written = await client.call('values.export', {
                  dir,
                  id: table.id,
                  path,
                  datasetId: props.datasetId,
                  column: props.column,
                  overwrite: true,
                });
                return `Wrote ${count(written.rows)} rows to ${written.path}: fill in "F&O value", then import it.`;
              }
              const imported = await client.call('values.import', { dir, id: table.id, path });
              const skipped = imported.skipped.length > 0 ? ` Not taken: ${imported.skipped.join(' ')}` : '';
              return `Imported: ${imported.added} added, ${imported.changed} changed, ${imported.unchanged} unchanged; ${imported.notInFile} rules not in the file were kept.${skipped}`;
            });
          }}
        />
      )}
    </div>
  );
}
