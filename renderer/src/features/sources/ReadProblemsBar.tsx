/**
 * The problems found while opening a file, listed at once (issue 11, defect 6): rows with the
 * wrong number of values (F&O skips them, DMF2050), broken text qualifiers, bytes the encoding
 * does not have. Each row is flagged in the read-only "Read problem" column; "Show these rows"
 * filters the grid to them, and an encoding that would read the file cleanly is offered (never
 * applied by itself).
 */
import { useState } from 'react';
import type { GridApi } from 'ag-grid-community';
import type { DatasetInfo, DatasetRow, ReadProblem } from '../../../../shared/api/domains/datasets';
import { Icon } from '../../app/icons';
import { encodingLabel } from './encodings';
import type { SourcesStore } from './sourcesStore';
import './readProblems.css';

const n = (value: number) => value.toLocaleString('en-US');

const KIND_WORDS: Record<ReadProblem['kind'], string> = {
  columns: 'with the wrong number of values',
  qualifier: 'with a broken text qualifier',
  encoding: 'with bytes that are not in the encoding',
};

/** Lines shown before "Show all": the list stays a glance, the grid column has every row. */
const SHOWN = 8;

export function ReadProblemsBar(props: { store: SourcesStore; info: DatasetInfo; api: GridApi<DatasetRow> | null }) {
  const { store, info, api } = props;
  const [all, setAll] = useState(false);
  const problems = info.problems;
  if (!problems || info.state === 'loading') return null;
  const kinds = (Object.keys(KIND_WORDS) as ReadProblem['kind'][])
    .filter((k) => problems.byKind[k] > 0)
    .map((k) => `${n(problems.byKind[k])} ${KIND_WORDS[k]}`);
  const shown = all ? problems.first : problems.first.slice(0, SHOWN);
  const column = problems.column;
  const showRows = () => {
    if (!api || column === null) return;
    void api.setColumnFilterModel(`c${column}`, { type: 'notBlank' }).then(() => api.onFilterChanged());
  };
  const suggested = problems.suggestedEncoding;
  return (
    <section className="read-problems" aria-label="Read problems">
      <div className="read-problems__head">
        <Icon name="alert" />
        <p className="read-problems__summary">
          <strong>
            {n(problems.total)} {problems.total === 1 ? 'row' : 'rows'} of {info.name} could not be read as F&amp;O
            would take {problems.total === 1 ? 'it' : 'them'}
          </strong>{' '}
          ({kinds.join(', ')}). F&amp;O skips such rows (DMF2050). {problems.total === 1 ? 'It is' : 'They are'} flagged
          in the “Read problem” column; saving is off until the file is fixed.
        </p>
        <div className="read-problems__actions">
          <button
            type="button"
            className="button button--secondary"
            onClick={showRows}
            disabled={!api || column === null}
          >
            Show these rows
          </button>
          {suggested && (
            <button
              type="button"
              className="button button--primary"
              onClick={() => void store.getState().reopen({ encoding: suggested })}
            >
              Read it as {encodingLabel(suggested)}
            </button>
          )}
        </div>
      </div>
      <ol className="read-problems__list" aria-label="Problems, in file order">
        {shown.map((p) => (
          <li key={`${p.row}-${p.kind}`}>
            <span className="read-problems__where">
              Line {n(p.line)} · row {n(p.row)}
            </span>{' '}
            {p.message}
          </li>
        ))}
      </ol>
      {problems.first.length > SHOWN && (
        <button type="button" className="button button--ghost" onClick={() => setAll(!all)} aria-expanded={all}>
          {all ? 'Show fewer' : `Show all ${n(problems.first.length)}`}
        </button>
      )}
      {problems.total > problems.first.length && (
        <p className="muted">
          The first {n(problems.first.length)} are listed; filter the “Read problem” column for the other{' '}
          {n(problems.total - problems.first.length)}.
        </p>
      )}
    </section>
  );
}
