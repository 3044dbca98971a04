/**
 * Column values (a facet): the distinct values of one column in the rows shown, most frequent
 * first. Ticking values shows only their rows; "Change" sets a new value on every row holding the
 * old one (a recipe step), the quickest way to harmonise codes of a legacy extract.
 */
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useStore } from 'zustand';
import type { Client } from '../../../../shared/api/client';
import type { DatasetInfo, Facet } from '../../../../shared/api/domains/datasets';
import type { SourcesStore } from './sourcesStore';
import { messageOf } from './sourcesStore';
import { ColumnSelect, setValueWhereIn } from './columnValues';

const n = (value: number) => value.toLocaleString('en-US');
/** A value as the list shows it: blanks named, spaces at either end made visible (they are what needs trimming). */
const shown = (value: string) =>
  value === '' ? '(blank)' : value.replace(/^\s+|\s+$/g, (spaces) => '␣'.repeat(spaces.length));

export function ValuesPanel(props: { store: SourcesStore; client: Client; info: DatasetInfo }) {
  const { store, client, info } = props;
  const column = useStore(store, (s) => s.column);
  const refresh = useStore(store, (s) => s.refresh);
  const reset = useStore(store, (s) => s.reset);
  const gridView = useStore(store, (s) => s.gridView);
  const ticked = useStore(store, (s) => s.valueFilters[column]) ?? [];
  const [facet, setFacet] = useState<Facet | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [replacement, setReplacement] = useState('');
  const current = info.columns[column];

  useEffect(() => {
    let live = true;
    client.call('datasets.facet', { id: info.id, view: store.getState().view(), column, limit: 200 }).then(
      (result) => {
        if (!live) return;
        setFacet(result);
        setProblem(null);
      },
      (error: unknown) => live && setProblem(messageOf(error)),
    );
    return () => {
      live = false;
    };
  }, [client, store, info.id, info.rowCount, info.state, column, refresh, reset, gridView]);

  const change = (event: FormEvent) => {
    event.preventDefault();
    const from = editing;
    setEditing(null);
    if (from === null) return;
    void setValueWhereIn(store, client, column, [from], replacement);
  };

  const max = facet?.values[0]?.count ?? 1;
  return (
    <div className="values-panel">
      <ColumnSelect store={store} info={info} label="Column to count" />
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
      {facet && (
        <p className="muted" aria-label="Distinct values">
          {facet.truncated
            ? `Over ${n(facet.distinct)} distinct values (a key column?): use the column filter to find values.`
            : `${n(facet.distinct)} distinct values in ${n(facet.rows)} rows${facet.blank > 0 ? `, ${n(facet.blank)} blank` : ''}.`}
        </p>
      )}
      {ticked.length > 0 && (
        <button type="button" className="button button--ghost" onClick={() => store.getState().clearValues(column)}>
          Show all values of {current?.name}
        </button>
      )}
      <ul className="facet-list" aria-label={`Values of ${current?.name ?? ''}`}>
        {facet?.values.map((v) => {
          const on = ticked.includes(v.value);
          return (
            <li key={v.value} className="facet-row">
              {editing === v.value ? (
                <form className="facet-row__edit" onSubmit={change} aria-label={`Change ${shown(v.value)}`}>
                  <input
                    className="input"
                    autoFocus
                    value={replacement}
                    onChange={(e) => setReplacement(e.target.value)}
                    aria-label={`New value for the ${n(v.count)} rows with ${shown(v.value)}`}
                  />
                  <button type="submit" className="button button--primary">
                    Change {n(v.count)}
                  </button>
                  <button type="button" className="button button--ghost" onClick={() => setEditing(null)}>
                    Cancel
                  </button>
                </form>
              ) : (
                <>
                  <button
                    type="button"
                    className="facet-row__value"
                    aria-pressed={on}
                    aria-label={`${shown(v.value)}: ${n(v.count)} rows`}
                    onClick={() => store.getState().toggleValue(column, v.value)}
                  >
                    <span className={`facet-row__text${v.value.trim() === '' ? ' muted' : ''}`}>{shown(v.value)}</span>
                    <span className="facet-row__count">{n(v.count)}</span>
                    <meter className="facet-row__bar" min={0} max={max} value={v.count} aria-hidden="true" />
                  </button>
                  {current && !current.readOnly && (
                    <button
                      type="button"
                      className="button button--icon facet-row__change"
                      aria-label={`Change every ${shown(v.value)} in ${current.name}`}
                      title="Change this value on every row that has it"
                      onClick={() => {
                        setReplacement(v.value);
                        setEditing(v.value);
                      }}
                    >
                      ✎
                    </button>
                  )}
                </>
              )}
            </li>
          );
        })}
      </ul>
      {facet && facet.values.length < facet.distinct && !facet.truncated && (
        <p className="muted">The {n(facet.values.length)} most frequent values are listed.</p>
      )}
    </div>
  );
}
