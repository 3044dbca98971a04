/**
 * The source grid: ag-grid community with the Infinite row model fed by the row store. Rows
 * stay in the store; the grid asks for blocks of the current view (its own sort and column
 * filters, plus the facet values and findings filter kept in the Sources store). Cells are edited
 * with readOnlyEdit: the grid never changes its data, every edit goes to the store as a journaled
 * command and the grid reloads what it shows. Cells with validation findings are marked, with the
 * message and the fix on hover; cells edited since the file was read or saved are marked too.
 * Ranges are selected as in Excel (click, then Shift+click or Shift+arrows) and go to and from the
 * clipboard as tab-separated text (cellRange.ts).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { AgGridReact } from 'ag-grid-react';
import {
  CellStyleModule,
  EventApiModule,
  InfiniteRowModelModule,
  ModuleRegistry,
  RenderApiModule,
  RowApiModule,
  ScrollApiModule,
  TextEditorModule,
  TextFilterModule,
  TooltipModule,
  CellApiModule,
  ColumnApiModule,
  ColumnAutoSizeModule,
  LocaleModule,
} from 'ag-grid-community';
import type {
  CellClassParams,
  CellEditRequestEvent,
  CellFocusedEvent,
  ColumnResizedEvent,
  ColDef,
  GetRowIdParams,
  GridApi,
  GridReadyEvent,
  IDatasource,
  IGetRowsParams,
  ITooltipParams,
  SortModelItem,
} from 'ag-grid-community';
import type {
  CopyResult,
  DatasetFilter,
  DatasetInfo,
  DatasetRow,
  DatasetView,
  RowPage,
} from '../../../shared/api/domains/datasets';
import type { TextFilterOp } from '../../../shared/domain/datasets/cells';
import { TEXT_FILTER_OPS } from '../../../shared/domain/datasets/cells';
import { styleNonce } from '../api/connect';
import { gridTheme } from './gridTheme';
import { IssueTooltip } from './IssueTooltip';
import { issuesAt } from './issues';
import { useCellRange } from './cellRange';

ModuleRegistry.registerModules([
  InfiniteRowModelModule,
  TextEditorModule,
  TextFilterModule,
  CellStyleModule,
  TooltipModule,
  RenderApiModule,
  RowApiModule,
  ScrollApiModule,
  EventApiModule,
  CellApiModule,
  ColumnApiModule,
  ColumnAutoSizeModule,
  LocaleModule,
]);

const NO_ROWS = 'No rows match the filters in effect. Clear them (above the grid) to see every row.';
const NO_MATCHING_ROWS = { noMatchingRows: NO_ROWS };

/** Rows per block the grid asks the store for, and blocks it keeps (about 10k rows in memory). */
const BLOCK_ROWS = 200;
const MAX_BLOCKS = 50;

export const columnId = (index: number) => `c${index}`;
export const columnIndex = (colId: string) => (colId.startsWith('c') ? Number(colId.slice(1)) : -1);

/** What the grid needs from the Sources area. */
export interface GridPort {
  /** A page of the view: the grid's part (sort, filters) merged with the area's. */
  rows(
    gridView: Pick<DatasetView, 'sort' | 'filters'>,
    start: number,
    count: number,
  ): Promise<Pick<RowPage, 'rows' | 'total' | 'complete'>>;
  edit(row: number, column: number, value: string): Promise<boolean>;
  /** Pastes tab-separated text at a view position into these columns (the grid's order, from the first). */
  paste(
    position: number,
    columns: readonly number[],
    text: string,
    fill?: { rows: number; columns: number },
  ): Promise<boolean>;
  /** A range of the view as tab-separated text, from the row store. */
  copy(position: number, rows: number, columns: readonly number[]): Promise<CopyResult | null>;
  /** What went to the clipboard, or why nothing did. */
  copied(rows: number, columns: number, neutralized: number): void;
  /** The grid's sort or column filters changed. */
  viewChanged(gridView: Pick<DatasetView, 'sort' | 'filters'>): void;
  focused(column: number): void;
  failed(message: string): void;
}

function toSort(model: readonly SortModelItem[]): DatasetView['sort'] {
  return model.flatMap((m) => {
    const column = columnIndex(m.colId);
    return column >= 0 ? [{ column, desc: m.sort === 'desc' }] : [];
  });
}

function toFilters(model: Record<string, unknown>): DatasetFilter[] {
  return Object.entries(model).flatMap(([colId, raw]) => {
    const column = columnIndex(colId);
    const f = raw as { type?: string; filter?: unknown };
    if (column < 0 || !(TEXT_FILTER_OPS as readonly string[]).includes(f.type ?? '')) return [];
    return [{ column, op: f.type as TextFilterOp, value: typeof f.filter === 'string' ? f.filter : '' }];
  });
}

const FILTER_PARAMS = {
  filterOptions: [...TEXT_FILTER_OPS],
  maxNumConditions: 1,
  debounceMs: 350,
  buttons: ['reset'],
};

function cellClassRules(index: number) {
  return {
    // The row number is marked when any cell of the row is.
    'cell--edited': (p: CellClassParams<DatasetRow>) =>
      index < 0 ? (p.data?.edited?.length ?? 0) > 0 : (p.data?.edited?.includes(index) ?? false),
    'cell--error': (p: CellClassParams<DatasetRow>) => issuesAt(p.data, index).some((i) => i.severity === 'error'),
    'cell--warning': (p: CellClassParams<DatasetRow>) => {
      const issues = issuesAt(p.data, index);
      return issues.length > 0 && issues.every((i) => i.severity === 'warning');
    },
  };
}

const EDITED_NOTE = 'Changed since the file was read or last saved (Ctrl+Z undoes the last change).';

function issueTooltip(index: number) {
  return (p: ITooltipParams<DatasetRow>) => {
    const lines = issuesAt(p.data, index).map((i) => i.message);
    if (index >= 0 && p.data?.edited?.includes(index)) lines.push(EDITED_NOTE);
    return lines.length === 0 ? undefined : lines.join('\n');
  };
}

/**
 * A column's first width, from its header alone: measuring cells (ag-grid's auto-size) walks the
 * rendered rows and delays the first paint of a big file; F&O staging field names are short and
 * upper case, so the header is a good guide. A job's messages (read-only) get room to be read
 * without pushing the columns to fix out of view. Small files are sized to their content once
 * their rows are on screen (`fitSmallFile`).
 */
function initialWidth(column: { readonly name: string; readonly readOnly: boolean }): number {
  if (column.readOnly) return 360;
  const HEADER_CHAR_PX = 8.5;
  const HEADER_CHROME_PX = 44; // padding, sort indicator and the menu button
  return Math.min(280, Math.max(110, Math.round(column.name.length * HEADER_CHAR_PX + HEADER_CHROME_PX)));
}

/**
 * One object for the grid's whole life: a new one on every render makes ag-grid apply the column
 * definitions again, which puts every width the consultant (or the fit) gave back to its default.
 */
const DEFAULT_COLUMN: ColDef<DatasetRow> = {
  resizable: true,
  sortable: true,
  width: 160,
  tooltipComponent: IssueTooltip,
};

/** Files up to this many rows have every row rendered at once: their columns fit their content. */
const SMALL_FILE_ROWS = 200;
/** No column grows wider than this by itself (a long description must not hide the others). */
const MAX_FITTED_WIDTH = 420;

/**
 * Sizes the data columns of a small file to their header and values, as Excel's "AutoFit" does,
 * within MAX_FITTED_WIDTH; a job's read-only messages keep their reading width.
 */
function fitSmallFile(api: GridApi<DatasetRow>, info: DatasetInfo): void {
  const data = info.columns.filter((c) => !c.readOnly).map((c) => columnId(c.index));
  // The widths are known once ag-grid reports the auto-size done, not when the call returns.
  const cap = (event: ColumnResizedEvent<DatasetRow>) => {
    if (event.source !== 'autosizeColumns' || !event.finished) return;
    // ag-grid reports the resize asynchronously: the tab may have closed (the grid destroyed) since.
    if (api.isDestroyed()) return;
    api.removeEventListener('columnResized', cap);
    const state = api
      .getColumnState()
      .filter((c) => data.includes(c.colId) && (c.width ?? 0) > MAX_FITTED_WIDTH)
      .map((c) => ({ colId: c.colId, width: MAX_FITTED_WIDTH }));
    if (state.length > 0) api.applyColumnState({ state });
  };
  api.addEventListener('columnResized', cap);
  api.autoSizeColumns(data, false);
}

export function DataGrid(props: {
  info: DatasetInfo;
  port: GridPort;
  /** Bumped: reload the rows shown (cells changed). */
  refresh: number;
  /** Bumped: start over from the top (the view changed outside the grid). */
  reset: number;
  /** While a file loads in its own order: the rows loaded so far, so the scrollbar grows with them. */
  loadedRows: number | null;
  onReady?: (api: GridApi<DatasetRow>) => void;
}) {
  const { info, port } = props;
  const apiRef = useRef<GridApi<DatasetRow> | null>(null);
  /** The columns last fitted to their content: other columns (read again with other settings) fit again. */
  const fitted = useRef<string | null>(null);
  const columnKey = info.columns.map((c) => `${c.name}\u0000${c.readOnly}`).join('\u0001');
  const container = useRef<HTMLDivElement | null>(null);
  const range = useCellRange(apiRef, container, port, `${props.refresh}:${props.reset}`);

  const columnDefs = useMemo<ColDef<DatasetRow>[]>(
    () => [
      {
        colId: 'row',
        headerName: 'Row',
        headerTooltip: 'The row of the source file (its data rows counted from 1, the header not counted)',
        valueGetter: (p) => p.data?.id,
        pinned: 'left',
        width: 84,
        sortable: false,
        editable: false,
        suppressMovable: true,
        cellClass: 'cell--row-number',
        cellClassRules: { ...cellClassRules(-1), 'cell--selected': range.selected },
        tooltipValueGetter: issueTooltip(-1),
      },
      ...info.columns.map((column): ColDef<DatasetRow> => ({
        colId: columnId(column.index),
        headerName: column.name,
        headerTooltip: column.readOnly ? `${column.name} (read-only: it came with the rows)` : column.name,
        valueGetter: (p) => p.data?.cells[column.index],
        editable: !column.readOnly,
        filter: 'agTextColumnFilter',
        filterParams: FILTER_PARAMS,
        floatingFilter: true,
        minWidth: 90,
        width: initialWidth(column),
        cellClass: column.readOnly ? 'cell--read-only' : undefined,
        cellClassRules: { ...cellClassRules(column.index), 'cell--selected': range.selected },
        tooltipValueGetter: issueTooltip(column.index),
      })),
    ],
    // Column definitions change only when the columns do (a re-open with other settings).
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [columnKey],
  );

  const datasource = useMemo<IDatasource>(
    () => {
      return {
        getRows(params: IGetRowsParams) {
          const gridView = {
            sort: toSort(params.sortModel),
            filters: toFilters(params.filterModel as Record<string, unknown>),
          };
          port.rows(gridView, params.startRow, params.endRow - params.startRow).then(
            (page) => {
              params.successCallback([...page.rows], page.total);
              // Once, when the first page shows the whole of a small file (a big one answers its
              // first page while still loading, and keeps its header widths).
              const api = apiRef.current;
              if (fitted.current !== columnKey && api && page.complete && page.total <= SMALL_FILE_ROWS) {
                fitted.current = columnKey;
                requestAnimationFrame(() => {
                  // The view may have started over meanwhile (validation): measure rows, not placeholders.
                  if (api.getDisplayedRowAtIndex(0)?.data) fitSmallFile(api, info);
                  else fitted.current = null;
                });
              }
            },
            (error: unknown) => {
              params.failCallback();
              port.failed(error instanceof Error ? error.message : String(error));
            },
          );
        },
      };
    },
    // A new dataset (or new columns) is a new datasource; the port is stable per dataset.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [port, columnKey],
  );

  const [initialRows] = useState(() => Math.max(1, info.rowCount));

  const [mountedRefresh] = useState(props.refresh);
  useEffect(() => {
    if (props.refresh !== mountedRefresh) apiRef.current?.refreshInfiniteCache();
  }, [props.refresh, mountedRefresh]);

  useEffect(() => {
    if (props.loadedRows !== null) apiRef.current?.setRowCount(props.loadedRows, false);
  }, [props.loadedRows]);

  // Only later changes: the grid's first fetch already reads the view as it is at mount.
  const [mountedReset] = useState(props.reset);
  useEffect(() => {
    const api = apiRef.current;
    if (props.reset !== mountedReset && api) {
      api.purgeInfiniteCache();
      api.ensureIndexVisible(0, 'top');
    }
  }, [props.reset, mountedReset]);

  const reportView = (api: GridApi<DatasetRow>) => {
    const sort = toSort(
      api
        .getColumnState()
        .filter((c) => c.sort)
        .sort((a, b) => (a.sortIndex ?? 0) - (b.sortIndex ?? 0))
        .map((c) => ({ colId: c.colId, sort: c.sort as 'asc' | 'desc' })),
    );
    port.viewChanged({ sort, filters: toFilters(api.getFilterModel()) });
  };

  return (
    <div
      className="data-grid"
      ref={container}
      onMouseDownCapture={range.onMouseDownCapture}
      onKeyDownCapture={range.onKeyDownCapture}
    >
      <AgGridReact<DatasetRow>
        theme={gridTheme}
        styleNonce={styleNonce()}
        rowModelType="infinite"
        datasource={datasource}
        cacheBlockSize={BLOCK_ROWS}
        maxBlocksInCache={MAX_BLOCKS}
        infiniteInitialRowCount={initialRows}
        columnDefs={columnDefs}
        defaultColDef={DEFAULT_COLUMN}
        getRowId={(p: GetRowIdParams<DatasetRow>) => String(p.data.id)}
        readOnlyEdit
        animateRows={false}
        singleClickEdit={false}
        stopEditingWhenCellsLoseFocus
        enterNavigatesVerticallyAfterEdit
        tooltipShowDelay={250}
        tooltipInteraction
        suppressMultiSort={false}
        overlayNoRowsTemplate={`<span class="grid-empty">${NO_ROWS}</span>`}
        // With a column filter set, ag-grid shows its own "No Matching Rows" overlay instead.
        localeText={NO_MATCHING_ROWS}
        rowBuffer={4}
        onGridReady={(e: GridReadyEvent<DatasetRow>) => {
          apiRef.current = e.api;
          props.onReady?.(e.api);
        }}
        onSortChanged={(e) => reportView(e.api)}
        onFilterChanged={(e) => reportView(e.api)}
        onCellFocused={(e: CellFocusedEvent<DatasetRow>) => {
          const column = typeof e.column === 'object' && e.column ? columnIndex(e.column.getColId()) : -1;
          if (column >= 0) port.focused(column);
          range.focused(e);
        }}
        onCellEditRequest={(e: CellEditRequestEvent<DatasetRow>) => {
          const column = columnIndex(e.column.getColId());
          const value = e.newValue === null || e.newValue === undefined ? '' : String(e.newValue);
          if (e.data && column >= 0) void port.edit(e.data.id, column, value);
        }}
      />
    </div>
  );
}
