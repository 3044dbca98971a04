/**
 * Find and replace (Ctrl+F) over the rows shown, in the grid's order. Find next and previous
 * move the grid's focus to the match; Replace changes the current match (an edit); Replace all
 * changes every match in the view (a recipe step).
 */
import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { GridApi } from 'ag-grid-community';
import type { Client } from '../../../../shared/api/client';
import type { DatasetInfo, DatasetRow } from '../../../../shared/api/domains/datasets';
import { replaceInCell } from '../../../../shared/domain/datasets/cells';
import { Icon } from '../../app/icons';
import { columnId, columnIndex } from '../../grid/DataGrid';
import type { SourcesStore } from './sourcesStore';
import { messageOf } from './sourcesStore';

interface Match {
  readonly position: number;
  readonly row: number;
  readonly column: number;
}

export function FindBar(props: {
  store: SourcesStore;
  client: Client;
  info: DatasetInfo;
  api: GridApi<DatasetRow> | null;
}) {
  const { store, client, info, api } = props;
  const [text, setText] = useState('');
  const [replacement, setReplacement] = useState('');
  const [matchCase, setMatchCase] = useState(false);
  const [wholeCell, setWholeCell] = useState(false);
  const [inColumn, setInColumn] = useState(false);
  const [status, setStatus] = useState<string>('');
  const [match, setMatch] = useState<Match | null>(null);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);

  const query = { text, matchCase, wholeCell };
  const columns = () => (inColumn ? [store.getState().column] : []);

  const find = async (backwards: boolean, count: boolean) => {
    if (text === '' && !wholeCell) return;
    const focused = api?.getFocusedCell();
    const from =
      match ?? (focused ? { position: focused.rowIndex, column: columnIndex(focused.column.getColId()) } : undefined);
    try {
      const result = await client.call('datasets.find', {
        id: info.id,
        view: store.getState().view(),
        query,
        columns: columns(),
        ...(from ? { from: { position: from.position, column: from.column } } : {}),
        backwards,
        count,
      });
      const found = result.match;
      setMatch(found);
      if (!found) {
        setStatus('No match in the rows shown.');
        return;
      }
      const counted =
        result.count === null
          ? ''
          : `${result.count.toLocaleString('en-US')} ${result.count === 1 ? 'match' : 'matches'} · `;
      setStatus(
        `${counted}row ${found.row}, ${info.columns[found.column]?.name ?? ''}${result.wrapped ? ' (from the top again)' : ''}`,
      );
      api?.ensureIndexVisible(found.position, 'middle');
      api?.ensureColumnVisible(columnId(found.column));
      api?.setFocusedCell(found.position, columnId(found.column));
    } catch (error) {
      setStatus(messageOf(error));
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void find(false, match === null);
  };

  const replaceCurrent = async () => {
    if (!match) return void find(false, true);
    const row = api?.getDisplayedRowAtIndex(match.position)?.data;
    const cell = row?.cells[match.column];
    if (cell === undefined) return;
    const ok = await store.getState().edit(match.row, match.column, replaceInCell(query, cell, replacement));
    if (ok) await find(false, false);
  };

  const replaceAll = () => {
    void store
      .getState()
      .bulk((id, view) => client.call('datasets.replace', { id, view, query, replacement, columns: columns() }))
      .then(() => {
        setMatch(null);
        setStatus('');
      });
  };

  const reset = () => {
    setMatch(null);
    setStatus('');
  };

  return (
    <form className="find-bar" role="search" aria-label="Find and replace" onSubmit={submit}>
      <div className="find-bar__row">
        <Icon name="search" size={18} />
        <input
          ref={input}
          className="input find-bar__input"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            reset();
          }}
          aria-label="Find"
          placeholder="Find in the rows shown"
          onKeyDown={(e) => {
            if (e.key === 'Escape') store.getState().setFindOpen(false);
            if (e.key === 'Enter' && e.shiftKey) {
              e.preventDefault();
              void find(true, false);
            }
          }}
        />
        <button
          type="button"
          className="button button--secondary"
          onClick={() => void find(true, match === null)}
          aria-label="Find previous"
        >
          ↑
        </button>
        <button type="submit" className="button button--secondary" aria-label="Find next">
          ↓
        </button>
        <label className="checkbox">
          <input type="checkbox" checked={matchCase} onChange={(e) => (setMatchCase(e.target.checked), reset())} />
          Match case
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={wholeCell} onChange={(e) => (setWholeCell(e.target.checked), reset())} />
          Whole cell
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={inColumn} onChange={(e) => (setInColumn(e.target.checked), reset())} />
          Only in {info.columns[store.getState().column]?.name ?? 'the column'}
        </label>
        <span className="find-bar__status" role="status" aria-label="Find result">
          {status}
        </span>
        <button
          type="button"
          className="button button--icon"
          onClick={() => store.getState().setFindOpen(false)}
          aria-label="Close find and replace"
        >
          <Icon name="close" size={16} />
        </button>
      </div>
      <div className="find-bar__row">
        <span className="find-bar__spacer" aria-hidden="true" />
        <input
          className="input find-bar__input"
          value={replacement}
          onChange={(e) => setReplacement(e.target.value)}
          aria-label="Replace with"
          placeholder="Replace with"
        />
        <button
          type="button"
          className="button button--secondary"
          onClick={() => void replaceCurrent()}
          disabled={text === '' && !wholeCell}
        >
          Replace
        </button>
        <button
          type="button"
          className="button button--primary"
          onClick={replaceAll}
          disabled={text === '' && !wholeCell}
        >
          Replace all
        </button>
      </div>
    </form>
  );
}
