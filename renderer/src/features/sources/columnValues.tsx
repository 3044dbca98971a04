/** Pieces the Values panel's views share: the column chooser, counts, values as shown, a set-value step. */
import { useStore } from 'zustand';
import type { Client } from '../../../../shared/api/client';
import type { DatasetInfo } from '../../../../shared/api/domains/datasets';
import type { SourcesStore } from './sourcesStore';

/** The column the views work on: the same one the grid's focus and the toolbar's bulk fixes use. */
export function ColumnSelect(props: { store: SourcesStore; info: DatasetInfo; label: string }) {
  const { store, info } = props;
  const column = useStore(store, (s) => s.column);
  return (
    <label className="values-panel__column">
      Column
      <select
        className="input"
        value={column}
        onChange={(e) => store.getState().setColumn(Number(e.target.value))}
        aria-label={props.label}
      >
        {info.columns.map((c) => (
          <option key={c.index} value={c.index}>
            {c.name}
          </option>
        ))}
      </select>
    </label>
  );
}

export const count = (value: number) => value.toLocaleString('en-US');

/**
 * Sets one value on every row of the view whose cell in `column` is one of `values` (a set-value
 * recipe step): a value changed in the list, a cluster merged.
 */
export function setValueWhereIn(
  store: SourcesStore,
  client: Client,
  column: number,
  values: readonly string[],
  value: string,
): Promise<void> {
  return store.getState().bulk((id, view) =>
    client.call('datasets.setValue', {
      id,
      view: {
        ...view,
        filters: [
          ...view.filters.filter((f) => !(f.column === column && f.op === 'in')),
          { column, op: 'in', values: [...values] },
        ],
      },
      column,
      value,
    }),
  );
}

/** A value as the lists show it: blanks named, spaces at either end made visible. */
export const shownValue = (value: string) =>
  value === '' ? '(blank)' : value.replace(/^\s+|\s+$/g, (spaces) => '␣'.repeat(spaces.length));
