/**
 * A range of cells as in Excel, and the clipboard. ag-grid community has no range selection (its
 * CellSelectionModule is enterprise), so the grid keeps its own: a click (or the keyboard) puts
 * the anchor on a cell, Shift+click or Shift+arrows extend the range from it, a click on a row
 * number takes whole rows. Ctrl+C and Ctrl+V are the DOM's copy and paste events, which carry
 * the clipboard in the desktop app and in the browser alike and need no clipboard permission
 * (the app grants the page none: electron/main/security.ts).
 *
 * Copy must fill the clipboard while its event runs, so the text is ready beforehand: from the
 * rows the grid holds when the range is loaded (whole cells), else read from the row store as
 * soon as the range is chosen. The spreadsheet gets formula-like cells neutralised (plain text);
 * the grid's own paste reads the exact copy (EXACT_TSV_TYPE). Paste goes to the row store as one
 * journaled edit: from the range's first cell, or repeated over a selected range (Excel's rule).
 */
import { useEffect, useMemo, useRef } from 'react';
import type { RefObject } from 'react';
import type { CellClassParams, CellFocusedEvent, GridApi } from 'ag-grid-community';
import type { CopyResult, DatasetRow } from '../../../shared/api/domains/datasets';
import { EXACT_TSV_TYPE, formatTsv, parseTsv } from '../../../shared/domain/datasets/tsv';
import type { GridPort } from './DataGrid';

/** The selected cells: view positions `top`..`bottom` and data columns in the grid's order. */
export interface CellRange {
  readonly top: number;
  readonly bottom: number;
  readonly columns: readonly number[];
  /** Column ids, for the cell marks. */
  readonly colIds: ReadonlySet<string>;
}

interface Corner {
  readonly row: number;
  readonly colId: string;
}

const ROW_COLUMN = 'row';
/** The most rows a copy builds from the grid's own rows; longer ranges are read from the store. */
const LOADED_COPY_ROWS = 5_000;

const dataIndex = (colId: string) => (colId.startsWith('c') ? Number(colId.slice(1)) : -1);

/** Data columns in the order the grid shows them (the consultant may have moved some). */
function shownColumns(api: GridApi<DatasetRow>): string[] {
  return api
    .getAllDisplayedColumns()
    .map((c) => c.getColId())
    .filter((id) => dataIndex(id) >= 0);
}

function rangeOf(api: GridApi<DatasetRow>, anchor: Corner, focus: Corner): CellRange {
  const shown = shownColumns(api);
  let colIds: string[];
  if (anchor.colId === ROW_COLUMN || focus.colId === ROW_COLUMN) colIds = shown;
  else {
    const a = shown.indexOf(anchor.colId);
    const f = shown.indexOf(focus.colId);
    colIds = a < 0 || f < 0 ? [] : shown.slice(Math.min(a, f), Math.max(a, f) + 1);
  }
  return {
    top: Math.min(anchor.row, focus.row),
    bottom: Math.max(anchor.row, focus.row),
    columns: colIds.map(dataIndex),
    colIds: new Set(colIds),
  };
}

const cells = (r: CellRange) => (r.bottom - r.top + 1) * r.columns.length;
const keyOf = (r: CellRange, generation: string) => `${r.top}:${r.bottom}:${r.columns.join(',')}:${generation}`;

/** The range's text from the rows the grid holds; null when some are not loaded or cut for the grid. */
function fromLoaded(api: GridApi<DatasetRow>, r: CellRange): CopyResult | null {
  if (r.bottom - r.top + 1 > LOADED_COPY_ROWS || r.columns.length === 0) return null;
  const rows: string[][] = [];
  for (let p = r.top; p <= r.bottom; p++) {
    const data = api.getDisplayedRowAtIndex(p)?.data;
    if (!data || data.clipped?.some((c) => r.columns.includes(c.column))) return null;
    rows.push(r.columns.map((c) => data.cells[c] ?? ''));
  }
  const exact = formatTsv(rows);
  const safe = formatTsv(rows, true);
  return {
    text: exact.text,
    spreadsheetText: safe.text,
    rows: rows.length,
    cells: rows.length * r.columns.length,
    neutralized: safe.neutralized,
  };
}

/** Whether focus is in a text field (a cell editor, a column filter): its own copy and paste apply. */
function typing(): boolean {
  const element = document.activeElement as HTMLElement | null;
  return !!element && (element.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName));
}

export function useCellRange(
  apiRef: RefObject<GridApi<DatasetRow> | null>,
  /** The element around the grid: copy and paste apply while the focus is in it. */
  container: RefObject<HTMLDivElement | null>,
  port: GridPort,
  /** Changes whenever the rows may have: a copy read before is stale. */
  generation: string,
) {
  const anchor = useRef<Corner | null>(null);
  const range = useRef<CellRange | null>(null);
  const extend = useRef(false);
  const prefetched = useRef<{ key: string; result: CopyResult } | null>(null);
  const generationRef = useRef(generation);
  useEffect(() => {
    generationRef.current = generation;
  }, [generation]);

  const state = useMemo(() => {
    const api = () => apiRef.current;
    const show = (next: CellRange | null) => {
      const before = range.current;
      range.current = next;
      // Only ranges of more than one cell are drawn (the focused cell has its own border).
      if ((before && cells(before) > 1) || (next && cells(next) > 1)) api()?.refreshCells({ force: true });
      prefetch(next);
    };
    const prefetch = (r: CellRange | null) => {
      const grid = api();
      if (!r || !grid || r.columns.length === 0 || fromLoaded(grid, r)) return;
      const key = keyOf(r, generationRef.current);
      if (prefetched.current?.key === key) return;
      void port.copy(r.top, r.bottom - r.top + 1, r.columns).then((result) => {
        if (result) prefetched.current = { key, result };
      });
    };
    return {
      selected: (p: CellClassParams<DatasetRow>) => {
        const r = range.current;
        const row = p.node.rowIndex;
        if (!r || row === null || cells(r) <= 1 || row < r.top || row > r.bottom) return false;
        const colId = p.column.getColId();
        return colId === ROW_COLUMN || r.colIds.has(colId);
      },
      focused(e: CellFocusedEvent<DatasetRow>) {
        const grid = api();
        const colId = typeof e.column === 'object' && e.column ? e.column.getColId() : null;
        if (!grid || e.rowIndex === null || e.rowIndex === undefined || colId === null) return;
        const at = { row: e.rowIndex, colId };
        if (!extend.current || !anchor.current) anchor.current = at;
        show(rangeOf(grid, anchor.current, at));
      },
      /** For the element around the grid: whether the next focused cell extends the range. */
      onMouseDownCapture: (e: { shiftKey: boolean }) => {
        extend.current = e.shiftKey;
      },
      onKeyDownCapture: (e: { shiftKey: boolean; key: string }) => {
        extend.current = e.shiftKey && /^(Arrow|Page|Home|End)/.test(e.key);
      },
      copy(event: ClipboardEvent) {
        const grid = api();
        const r = range.current;
        if (!grid || !r || r.columns.length === 0) return;
        event.preventDefault();
        const ready =
          prefetched.current?.key === keyOf(r, generationRef.current) ? prefetched.current.result : fromLoaded(grid, r);
        if (!ready) {
          prefetch(r);
          port.failed('The range is still being read from the file: press Ctrl+C again in a moment.');
          return;
        }
        event.clipboardData?.setData('text/plain', ready.spreadsheetText);
        event.clipboardData?.setData(EXACT_TSV_TYPE, ready.text);
        port.copied(ready.rows, r.columns.length, ready.neutralized);
      },
      paste(event: ClipboardEvent) {
        const grid = api();
        const r = range.current;
        if (!grid || !r || r.columns.length === 0) return;
        event.preventDefault();
        const data = event.clipboardData;
        const text = data?.getData(EXACT_TSV_TYPE) || data?.getData('text/plain') || '';
        const shown = shownColumns(grid).map(dataIndex);
        const columns = shown.slice(Math.max(0, shown.indexOf(r.columns[0] as number)));
        const fill = cells(r) > 1 ? { rows: r.bottom - r.top + 1, columns: r.columns.length } : undefined;
        void port.paste(r.top, columns, text, fill).then((ok) => {
          if (!ok) return;
          // The pasted cells become the range, as in Excel.
          const block = parseTsv(text);
          const height = Math.max(block.length, fill?.rows ?? 0);
          const width = Math.max(fill?.columns ?? 0, ...block.map((row) => row.length));
          const colIds = columns.slice(0, width).map((c) => `c${c}`);
          show({ top: r.top, bottom: r.top + height - 1, columns: columns.slice(0, width), colIds: new Set(colIds) });
        });
      },
    };
    // The port is stable per dataset; the api is read through its ref.
  }, [apiRef, port]);

  useEffect(() => {
    const inGrid = () => !!container.current && container.current.contains(document.activeElement) && !typing();
    const onCopy = (e: ClipboardEvent) => {
      if (inGrid() && (apiRef.current?.getEditingCells().length ?? 0) === 0) state.copy(e);
    };
    const onPaste = (e: ClipboardEvent) => {
      if (inGrid() && (apiRef.current?.getEditingCells().length ?? 0) === 0) state.paste(e);
    };
    document.addEventListener('copy', onCopy);
    document.addEventListener('paste', onPaste);
    return () => {
      document.removeEventListener('copy', onCopy);
      document.removeEventListener('paste', onPaste);
    };
  }, [state, apiRef, container]);

  return state;
}
