/**
 * An open dataset: its tabs, how it was read, the toolbar, the grid and the side panels.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import type { GridApi } from 'ag-grid-community';
import type { Client } from '../../../../shared/api/client';
import type { DatasetInfo, DatasetRow, EntityChoice } from '../../../../shared/api/domains/datasets';
import { Dialog } from '../../app/Dialog';
import { Icon } from '../../app/icons';
import { isMac } from '../../app/areas';
import { DataGrid } from '../../grid/DataGrid';
import { ErrorRoundTripBar } from '../jobs/ErrorRoundTripBar';
import type { GridPort } from '../../grid/DataGrid';
import { RULE_LABELS } from '../../grid/issues';
import { FindBar } from './FindBar';
import { IssuesPanel } from './IssuesPanel';
import { ReadProblemsBar } from './ReadProblemsBar';
import { ReadSettings } from './ReadSettings';
import { RecipePanel } from './RecipePanel';
import type { SidePanel, SourcesStore } from './sourcesStore';
import { SaveButtons, Toolbar } from './Toolbar';
import { ValuesTabs } from './ValuesTabs';

const n = (value: number) => value.toLocaleString('en-US');

const PANEL_TITLES: Record<SidePanel, string> = { issues: 'Issues', values: 'Column values', recipe: 'Recipe' };

function isTyping(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  if (!element) return false;
  return element.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName);
}

/** Ctrl+Z / Ctrl+Y / Ctrl+Shift+Z, Ctrl+F and Ctrl+S (Cmd on macOS); undo and redo outside text fields. */
function useShortcuts(store: SourcesStore) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const mod = isMac ? event.metaKey : event.ctrlKey;
      if (!mod || event.altKey) return;
      const key = event.key.toLowerCase();
      if (key === 'f') {
        event.preventDefault();
        store.getState().setFindOpen(true);
        return;
      }
      if (key === 's' && !event.shiftKey) {
        // The browser's "save page" would be useless here: save the rows instead.
        event.preventDefault();
        const s = store.getState();
        const info = s.datasets.find((d) => d.id === s.activeId);
        if (info?.origin.kind === 'file' && info.unsaved && !s.busy) void s.save();
        return;
      }
      if (isTyping(event.target)) return;
      if (key === 'z' && !event.shiftKey) {
        event.preventDefault();
        void store.getState().undo();
      } else if ((key === 'z' && event.shiftKey) || (key === 'y' && !event.shiftKey)) {
        event.preventDefault();
        void store.getState().redo();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);
}

function LoadBar({ info }: { info: DatasetInfo }) {
  if (info.state !== 'loading') return null;
  const percent = info.totalBytes ? Math.min(100, Math.round((info.bytesRead / info.totalBytes) * 100)) : null;
  const label = `Loading ${info.name}: ${n(info.rowCount)} rows${percent === null ? '' : ` (${percent}%)`}`;
  return (
    <div className="load-bar">
      <progress className="load-bar__progress" max={100} value={percent ?? undefined} aria-label={label} />
      <span className="load-bar__text" aria-hidden="true">
        {label}
      </span>
    </div>
  );
}

function EntityPicker(props: { store: SourcesStore; client: Client; info: DatasetInfo }) {
  const { store, client, info } = props;
  const [choices, setChoices] = useState<readonly EntityChoice[]>([]);
  useEffect(() => {
    let live = true;
    client.call('datasets.entities', { id: info.id }).then(
      (result) => live && setChoices(result),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [client, info.id, info.columns.length]);
  const matching = choices.filter((c) => c.matchingColumns > 0);
  const others = choices.filter((c) => c.matchingColumns === 0);
  return (
    <label className="entity-picker">
      <span>Validate against</span>
      <select
        className="input"
        value={info.entity ?? ''}
        onChange={(e) => void store.getState().validate(e.target.value === '' ? null : e.target.value)}
        aria-label="Validate against entity"
      >
        <option value="">No entity (no checks)</option>
        {matching.length > 0 && (
          <optgroup label="Matching the columns">
            {matching.map((c) => (
              <option key={c.label} value={c.label}>
                {c.label} ({c.matchingColumns} {c.matchingColumns === 1 ? 'column' : 'columns'})
              </option>
            ))}
          </optgroup>
        )}
        <optgroup label="Other entities">
          {others.map((c) => (
            <option key={c.label} value={c.label}>
              {c.label}
            </option>
          ))}
        </optgroup>
      </select>
    </label>
  );
}

function FilterChips(props: { store: SourcesStore; info: DatasetInfo; api: GridApi<DatasetRow> | null }) {
  const { store, info, api } = props;
  const values = useStore(store, (s) => s.valueFilters);
  const issue = useStore(store, (s) => s.issueFilter);
  const gridView = useStore(store, (s) => s.gridView);
  const viewRows = useStore(store, (s) => s.viewRows);
  const name = (column: number) => (column < 0 ? 'the row' : (info.columns[column]?.name ?? ''));
  const chips: { key: string; label: string; clear: () => void }[] = [];
  for (const [column, list] of Object.entries(values)) {
    const shown = list.slice(0, 2).map((v) => (v === '' ? '(blank)' : v));
    chips.push({
      key: `v${column}`,
      label: `${name(Number(column))} is ${shown.join(' or ')}${list.length > 2 ? ` or ${list.length - 2} more` : ''}`,
      clear: () => store.getState().clearValues(Number(column)),
    });
  }
  if (issue) {
    const what = issue.rule ? RULE_LABELS[issue.rule].toLowerCase() : 'findings';
    chips.push({
      key: 'issues',
      label: issue.column === undefined ? `Rows with ${what}` : `${name(issue.column)}: ${what}`,
      clear: () => store.getState().setIssueFilter(null),
    });
  }
  for (const f of gridView.filters) {
    chips.push({
      key: `g${f.column}`,
      label: `${name(f.column)} ${f.op === 'in' ? 'is one of' : f.op.replace(/([A-Z])/g, ' $1').toLowerCase()}${'value' in f && f.value ? ` "${f.value}"` : ''}`,
      clear: () => api?.setColumnFilterModel(`c${f.column}`, null).then(() => api.onFilterChanged()),
    });
  }
  if (chips.length === 0) return null;
  return (
    <div className="filter-chips" role="group" aria-label="Filters in effect">
      <Icon name="filter" size={16} />
      <span className="muted">{viewRows === null ? '' : `${n(viewRows)} of ${n(info.rowCount)} rows shown:`}</span>
      {chips.map((chip) => (
        <span key={chip.key} className="chip chip--filter">
          {chip.label}
          <button
            type="button"
            className="chip__clear"
            onClick={chip.clear}
            aria-label={`Remove the filter: ${chip.label}`}
          >
            ✕
          </button>
        </span>
      ))}
      <button
        type="button"
        className="button button--ghost"
        onClick={() => {
          store.getState().clearFilters();
          api?.setFilterModel(null);
        }}
      >
        Clear all filters
      </button>
    </div>
  );
}

/**
 * Rows fixed while shown stay where they are, so that the consultant sees the fix land; once
 * some no longer match the filters (or no longer have the finding the view shows), say so.
 */
function OutdatedNote({ store }: { store: SourcesStore }) {
  const outdated = useStore(store, (s) => s.outdated);
  if (outdated === 0) return null;
  return (
    <div className="notice notice--info" role="status">
      <span>
        {outdated === 1
          ? '1 row you changed no longer matches the filters: it stays in view until you refresh it.'
          : `${n(outdated)} rows you changed no longer match the filters: they stay in view until you refresh it.`}
      </span>
      <button type="button" className="button button--ghost" onClick={() => void store.getState().refreshView()}>
        Refresh the view
      </button>
    </div>
  );
}

/** Closing a tab with edits not saved to the file: save them, keep them for later, or drop them. */
function CloseDialog({ store, info }: { store: SourcesStore; info: DatasetInfo }) {
  const close = (edits: 'keep' | 'discard') => void store.getState().close(info.id, edits);
  // Stable: the dialog opens once (a new callback on every render would close and reopen it).
  const cancel = useCallback(() => store.getState().cancelClose(), [store]);
  const canSave = info.origin.kind === 'file' && info.problems === null && info.state === 'ready';
  const journaled = info.origin.kind !== 'rows';
  return (
    <Dialog
      title={`${info.name} has unsaved edits`}
      wide
      onClose={cancel}
      actions={
        <>
          <button type="button" className="button button--secondary" onClick={cancel}>
            Cancel
          </button>
          <button type="button" className="button button--danger" onClick={() => close('discard')}>
            Discard the edits
          </button>
          {journaled && (
            <button type="button" className="button button--secondary" onClick={() => close('keep')}>
              Close, keep the edits for later
            </button>
          )}
          {canSave && (
            <button
              type="button"
              className="button button--primary"
              onClick={() => void store.getState().saveAndClose(info.id)}
              autoFocus
            >
              Save and close
            </button>
          )}
        </>
      }
    >
      <p>
        {canSave ? 'Save writes them to the file. ' : ''}
        {journaled
          ? 'Kept for later, they come back when you open the unchanged file again (they are in the edits journal); discarded, they are gone.'
          : 'These rows have no file of their own: closed, the edits are gone. Re-import or save them first.'}
      </p>
    </Dialog>
  );
}

export function Workspace(props: { store: SourcesStore; client: Client; info: DatasetInfo }) {
  const { store, client, info } = props;
  const datasets = useStore(store, (s) => s.datasets);
  const panel = useStore(store, (s) => s.panel);
  const findOpen = useStore(store, (s) => s.findOpen);
  const notice = useStore(store, (s) => s.notice);
  const refresh = useStore(store, (s) => s.refresh);
  const reset = useStore(store, (s) => s.reset);
  const busy = useStore(store, (s) => s.busy);
  const closing = useStore(store, (s) => s.closing);
  const closingInfo = datasets.find((d) => d.id === closing) ?? null;
  const filtered = useStore(
    store,
    (s) => s.gridView.filters.length > 0 || Object.keys(s.valueFilters).length > 0 || s.issueFilter !== null,
  );
  const sorted = useStore(store, (s) => s.gridView.sort.length > 0);
  const [api, setApi] = useState<GridApi<DatasetRow> | null>(null);
  useShortcuts(store);

  const port = useMemo<GridPort>(
    () => ({
      async rows(gridView, start, count) {
        const s = store.getState();
        s.setGridView(gridView);
        const view = s.view();
        const page = await client.call('datasets.rows', { id: info.id, view, start, count });
        store.getState().setViewRows(page.total, page.outdated);
        return page;
      },
      edit: (row, column, value) => store.getState().edit(row, column, value),
      paste: (position, columns, text, fill) => store.getState().paste(position, columns, text, fill),
      copy: (position, rows, columns) => store.getState().copy(position, rows, columns),
      copied: (rows, columns, neutralized) => store.getState().copied(rows, columns, neutralized),
      viewChanged: (gridView) => store.getState().setGridView(gridView),
      focused: (column) => store.getState().setColumn(column),
      failed: (message) => store.setState({ notice: { kind: 'error', text: message } }),
    }),
    [store, client, info.id],
  );

  return (
    <div className="sources">
      {closingInfo && <CloseDialog store={store} info={closingInfo} />}
      <div className="dataset-tabs" role="tablist" aria-label="Open files">
        {datasets.map((d) => (
          <div key={d.id} className={`dataset-tab${d.id === info.id ? ' dataset-tab--active' : ''}`}>
            <button
              type="button"
              role="tab"
              aria-selected={d.id === info.id}
              className="dataset-tab__name"
              onClick={() => d.id !== info.id && void store.getState().show(d.id)}
              title={d.origin.kind === 'rows' ? d.origin.source : d.origin.path}
            >
              <Icon name="file" size={16} />
              {d.name}
            </button>
            <button
              type="button"
              className="dataset-tab__close"
              onClick={() => void store.getState().close(d.id)}
              aria-label={`Close ${d.name}`}
            >
              ✕
            </button>
          </div>
        ))}
        <button
          type="button"
          className="button button--ghost dataset-tabs__open"
          onClick={() => store.getState().setOpening(true)}
        >
          + Open file
        </button>
      </div>

      <header className="dataset-head">
        <div className="dataset-head__title">
          <h2 className="dataset-head__name">{info.name}</h2>
          <span className="dataset-head__rows" aria-label="Rows">
            {n(info.rowCount)} rows · {info.columns.length} columns
            {info.origin.kind === 'rows' ? ` · ${info.origin.source}` : ''}
          </span>
        </div>
        <ReadSettings
          key={`${info.id}-${info.version}-${info.detection?.delimiter ?? ''}`}
          info={info}
          busy={busy}
          onReopen={(o) => void store.getState().reopen(o)}
        />
        <EntityPicker store={store} client={client} info={info} />
        <div className="dataset-head__save" role="group" aria-label="Save">
          <SaveButtons store={store} info={info} />
        </div>
      </header>

      <LoadBar info={info} />
      <ErrorRoundTripBar datasetId={info.id} />
      {info.state === 'failed' && info.error && (
        <div className="banner banner--error" role="alert">
          <Icon name="alert" />
          <span>
            Loading stopped after {n(info.rowCount)} rows. {info.error}
          </span>
        </div>
      )}

      <ReadProblemsBar store={store} info={info} api={api} />
      <Toolbar store={store} client={client} info={info} filtered={filtered} api={api} />
      {findOpen && <FindBar store={store} client={client} info={info} api={api} />}
      <FilterChips store={store} info={info} api={api} />
      <OutdatedNote store={store} />
      {notice && (
        <div className={`notice notice--${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
          <span>{notice.text}</span>
          {notice.undoable && info.undo && (
            <button type="button" className="button button--ghost" onClick={() => void store.getState().undo()}>
              Undo
            </button>
          )}
          <button
            type="button"
            className="button button--icon"
            onClick={() => store.getState().dismissNotice()}
            aria-label="Dismiss the message"
          >
            <Icon name="close" size={14} />
          </button>
        </div>
      )}

      <div className="sources__body">
        <section className="sources__grid" aria-label={`Rows of ${info.name}`}>
          {info.columns.length === 0 ? (
            <div className="side-panel__empty">
              <p>
                {info.name} has no columns: it is empty. Open the file in a text editor to check it, or choose another
                one.
              </p>
            </div>
          ) : (
            <DataGrid
              key={info.id}
              info={info}
              port={port}
              refresh={refresh}
              reset={reset}
              loadedRows={info.state === 'loading' && !filtered && !sorted ? info.rowCount : null}
              onReady={setApi}
            />
          )}
        </section>
        {panel && (
          <aside className="side-panel" aria-label={PANEL_TITLES[panel]}>
            <div className="side-panel__head">
              <h2 className="side-panel__title">{PANEL_TITLES[panel]}</h2>
              <button
                type="button"
                className="button button--icon"
                onClick={() => store.getState().setPanel(null)}
                aria-label={`Close ${PANEL_TITLES[panel]}`}
              >
                <Icon name="close" size={16} />
              </button>
            </div>
            <div className="side-panel__body">
              {panel === 'issues' && <IssuesPanel store={store} info={info} />}
              {panel === 'values' && <ValuesTabs store={store} client={client} info={info} />}
              {panel === 'recipe' && <RecipePanel store={store} info={info} />}
            </div>
          </aside>
        )}
      </div>
    </div>
  );
}
