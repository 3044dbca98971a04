/**
 * The grid's toolbar: undo and redo, find, the bulk fixes of one column over the rows shown
 * (each one a recipe step), and the side panels.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useStore } from 'zustand';
import type { GridApi } from 'ag-grid-community';
import type { Client } from '../../../../shared/api/client';
import type { DatasetInfo, DatasetRow, Transform } from '../../../../shared/api/domains/datasets';
import { Icon } from '../../app/icons';
import { MOD_LABEL, isMac } from '../../app/areas';
import type { SidePanel, SourcesStore } from './sourcesStore';
import { messageOf } from './sourcesStore';

const CASES: readonly { value: Transform; label: string }[] = [
  { value: 'upper', label: 'UPPER CASE' },
  { value: 'lower', label: 'lower case' },
  { value: 'title', label: 'Title Case' },
  { value: 'collapseSpaces', label: 'Collapse spaces' },
];

const PANELS: readonly { id: SidePanel; label: string; icon: 'alert' | 'values' | 'recipe' }[] = [
  { id: 'issues', label: 'Issues', icon: 'alert' },
  { id: 'values', label: 'Values', icon: 'values' },
  { id: 'recipe', label: 'Recipe', icon: 'recipe' },
];

export function scopeText(viewRows: number | null, total: number, filtered: boolean): string {
  const rows = viewRows ?? total;
  return filtered ? `the ${rows.toLocaleString('en-US')} rows shown` : `all ${rows.toLocaleString('en-US')} rows`;
}

/** "Go to row": the source row number, wherever the sort put it. */
function GoToRow(props: { store: SourcesStore; client: Client; info: DatasetInfo; api: GridApi<DatasetRow> | null }) {
  const { store, client, info, api } = props;
  const [row, setRow] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const id = Number(row.replace(/[\s,.]/g, ''));
    if (!Number.isInteger(id) || id < 1) return;
    const view = store.getState().view();
    const show = (position: number | null) => {
      if (position === null) {
        const text =
          info.state === 'loading' && id > info.rowCount
            ? `Row ${id.toLocaleString('en-US')} is not loaded yet (${info.rowCount.toLocaleString('en-US')} rows so far).`
            : `Row ${id.toLocaleString('en-US')} is not among the rows shown: clear the filters to see it.`;
        store.setState({ notice: { kind: 'info', text } });
        return;
      }
      api?.ensureIndexVisible(position, 'top');
      api?.setFocusedCell(position, 'c0');
    };
    // A file in its own order, unfiltered: row N is at position N - 1, no need to ask.
    if (info.origin.kind === 'file' && view.sort.length === 0 && view.filters.length === 0 && !view.issues) {
      show(id <= info.rowCount ? id - 1 : null);
      return;
    }
    client.call('datasets.position', { id: info.id, view, row: id }).then(
      ({ position }) => show(position),
      (error: unknown) => store.setState({ notice: { kind: 'error', text: messageOf(error) } }),
    );
  };
  return (
    <form className="go-to-row" onSubmit={submit} role="search" aria-label="Go to row">
      <input
        className="input"
        inputMode="numeric"
        value={row}
        onChange={(e) => setRow(e.target.value)}
        placeholder="Go to row"
        aria-label="Row number to go to"
      />
    </form>
  );
}

/** Save (back to the source file, Ctrl+S) and Save as (another file). */
export function SaveButtons(props: { store: SourcesStore; info: DatasetInfo }) {
  const { store, info } = props;
  const busy = useStore(store, (s) => s.busy);
  const [asOpen, setAsOpen] = useState(false);
  const suggested = () => {
    const source = info.origin.kind === 'rows' ? info.name : info.origin.path;
    const base = source.replace(/\.(csv|tsv|txt|xlsx|xml|zip)$/i, '');
    return `${base}${info.origin.kind === 'package' ? ` - ${info.origin.entity}` : ''}.fixed.csv`;
  };
  const [path, setPath] = useState(suggested);
  const fromFile = info.origin.kind === 'file';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setAsOpen(false);
    void store.getState().saveAs(path.trim());
  };
  return (
    <>
      <button
        type="button"
        className="button button--secondary"
        onClick={() => void store.getState().save()}
        disabled={!fromFile || !info.unsaved || busy || info.state !== 'ready'}
        title={
          fromFile
            ? `Write the fixed rows back to ${info.origin.kind === 'file' ? info.origin.path : ''} (${MOD_LABEL}S)`
            : 'This data has no file of its own: use Save as'
        }
        aria-keyshortcuts={isMac ? 'Meta+S' : 'Control+S'}
      >
        {info.unsaved ? 'Save' : 'Saved'}
      </button>
      {!asOpen ? (
        <button
          type="button"
          className="button button--ghost"
          onClick={() => (setPath(suggested()), setAsOpen(true))}
          disabled={busy}
        >
          Save as…
        </button>
      ) : (
        <form className="grid-toolbar__inline" onSubmit={submit} aria-label="Save as another file">
          <input
            className="input save-as__path"
            autoFocus
            value={path}
            onChange={(e) => setPath(e.target.value)}
            aria-label="Save as file path"
          />
          <button type="submit" className="button button--primary" disabled={path.trim() === ''}>
            Write
          </button>
          <button type="button" className="button button--ghost" onClick={() => setAsOpen(false)}>
            Cancel
          </button>
        </form>
      )}
    </>
  );
}

export function Toolbar(props: {
  store: SourcesStore;
  client: Client;
  info: DatasetInfo;
  filtered: boolean;
  api: GridApi<DatasetRow> | null;
}) {
  const { store, client, info } = props;
  const column = useStore(store, (s) => s.column);
  const panel = useStore(store, (s) => s.panel);
  const busy = useStore(store, (s) => s.busy);
  const findOpen = useStore(store, (s) => s.findOpen);
  const viewRows = useStore(store, (s) => s.viewRows);
  const errors = useStore(store, (s) => (s.validation ? s.validation.errors + s.validation.warnings : null));
  // The first check of a file is still running: no count yet (later re-checks keep the last count).
  const checking = useStore(store, (s) => s.validation?.state === 'running' && s.validation.version === 0);
  const [setting, setSetting] = useState(false);
  const [value, setValue] = useState('');
  const loading = info.state === 'loading';
  const editable = info.columns.filter((c) => !c.readOnly);
  const current = info.columns[column];
  const columnName = current?.name ?? '';
  const disabled = busy || loading || !current || current.readOnly;
  const scope = scopeText(viewRows, info.rowCount, props.filtered);
  const redoKeys = isMac ? '⇧⌘Z' : 'Ctrl+Y';

  const transform = (t: Transform) =>
    void store
      .getState()
      .bulk((id, view) => client.call('datasets.transform', { id, view, columns: [column], transform: t }));
  const submitValue = (event: FormEvent) => {
    event.preventDefault();
    setSetting(false);
    void store.getState().bulk((id, view) => client.call('datasets.setValue', { id, view, column, value }));
  };

  return (
    <div className="grid-toolbar" role="toolbar" aria-label="Grid tools">
      <div className="grid-toolbar__group">
        <button
          type="button"
          className="button button--icon"
          onClick={() => void store.getState().undo()}
          disabled={!info.undo}
          aria-label={info.undo ? `Undo ${info.undo}` : 'Undo'}
          title={info.undo ? `Undo: ${info.undo} (${MOD_LABEL}Z)` : `Nothing to undo (${MOD_LABEL}Z)`}
          aria-keyshortcuts={isMac ? 'Meta+Z' : 'Control+Z'}
        >
          <Icon name="undo" size={18} />
        </button>
        <button
          type="button"
          className="button button--icon"
          onClick={() => void store.getState().redo()}
          disabled={!info.redo}
          aria-label={info.redo ? `Redo ${info.redo}` : 'Redo'}
          title={info.redo ? `Redo: ${info.redo} (${redoKeys})` : `Nothing to redo (${redoKeys})`}
          aria-keyshortcuts={isMac ? 'Meta+Shift+Z' : 'Control+Y Control+Shift+Z'}
        >
          <Icon name="redo" size={18} />
        </button>
        <button
          type="button"
          className={`button button--ghost${findOpen ? ' button--pressed' : ''}`}
          aria-pressed={findOpen}
          onClick={() => store.getState().setFindOpen(!findOpen)}
          title={`Find and replace (${MOD_LABEL}F)`}
          aria-keyshortcuts={isMac ? 'Meta+F' : 'Control+F'}
        >
          <Icon name="search" size={18} />
          Find
        </button>
        <GoToRow store={store} client={client} info={info} api={props.api} />
      </div>

      <div className="grid-toolbar__group grid-toolbar__fixes" role="group" aria-label="Fix a column">
        <label className="grid-toolbar__column">
          <span>Column</span>
          <select
            className="input"
            value={column}
            onChange={(e) => store.getState().setColumn(Number(e.target.value))}
            aria-label="Column to fix"
          >
            {info.columns.map((c) => (
              <option key={c.index} value={c.index} disabled={c.readOnly}>
                {c.name}
                {c.readOnly ? ' (read-only)' : ''}
              </option>
            ))}
          </select>
        </label>
        {!setting ? (
          <button
            type="button"
            className="button button--secondary"
            disabled={disabled}
            onClick={() => setSetting(true)}
          >
            Set value…
          </button>
        ) : (
          <form className="grid-toolbar__inline" onSubmit={submitValue} aria-label={`Set ${columnName} on ${scope}`}>
            <input
              className="input grid-toolbar__value"
              autoFocus
              value={value}
              onChange={(e) => setValue(e.target.value)}
              aria-label={`New value for ${columnName}`}
              placeholder="Value (empty clears)"
            />
            <button type="submit" className="button button--primary" title={`Set ${columnName} on ${scope}`}>
              Set on {scope}
            </button>
            <button type="button" className="button button--ghost" onClick={() => setSetting(false)}>
              Cancel
            </button>
          </form>
        )}
        {/* While a value is typed, the form takes the place of the other fixes (one line at 1440 px). */}
        {!setting && (
          <>
            <button
              type="button"
              className="button button--secondary"
              disabled={disabled}
              title={`Fill blank ${columnName} cells with the value above, on ${scope}`}
              onClick={() =>
                void store.getState().bulk((id, view) => client.call('datasets.fillDown', { id, view, column }))
              }
            >
              Fill down
            </button>
            <button
              type="button"
              className="button button--secondary"
              disabled={disabled}
              title={`Trim spaces around ${columnName} values, on ${scope}`}
              onClick={() => transform('trim')}
            >
              Trim
            </button>
            <select
              className="input grid-toolbar__case"
              disabled={disabled}
              value=""
              aria-label={`Change case of ${columnName}`}
              onChange={(e) => e.target.value && transform(e.target.value as Transform)}
            >
              <option value="">Case…</option>
              {CASES.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
            </select>
          </>
        )}
        {editable.length === 0 && <span className="muted">Every column is read-only.</span>}
      </div>

      <div className="grid-toolbar__group grid-toolbar__panels" role="group" aria-label="Side panels">
        {PANELS.map((p) => (
          <button
            key={p.id}
            type="button"
            className={`button button--ghost${panel === p.id ? ' button--pressed' : ''}`}
            aria-pressed={panel === p.id}
            title={p.id === 'values' ? 'Column values: distinct values with counts, click to filter' : undefined}
            onClick={() => store.getState().setPanel(panel === p.id ? null : p.id)}
          >
            <Icon name={p.icon} size={18} />
            {p.label}
            {p.id === 'issues' && errors !== null && (
              <span className={`count-badge${errors > 0 ? ' count-badge--danger' : ''}`}>
                {checking ? '…' : errors.toLocaleString('en-US')}
              </span>
            )}
          </button>
        ))}
      </div>
    </div>
  );
}
