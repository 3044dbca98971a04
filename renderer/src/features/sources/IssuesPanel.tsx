/**
 * Validation findings grouped by rule and by column. Clicking a group shows only the rows with
 * those findings in the grid (click again to show every row).
 */
import { useStore } from 'zustand';
import { plural } from '../../app/format';
import type { DatasetInfo, ValidationState } from '../../../../shared/api/domains/datasets';
import { RULE_LABELS } from '../../grid/issues';
import type { SourcesStore } from './sourcesStore';
// Also styles the grid tooltip's "Rule from" line.
import './issues.css';

const n = (value: number) => value.toLocaleString('en-US');

export function IssuesPanel(props: { store: SourcesStore; info: DatasetInfo }) {
  const { store, info } = props;
  const validation = useStore(store, (s) => s.validation);
  const filter = useStore(store, (s) => s.issueFilter);
  const setFilter = store.getState().setIssueFilter;
  const columnName = (column: number) =>
    column < 0 ? 'Whole row' : (info.columns[column]?.name ?? `Column ${column + 1}`);

  if (!validation) {
    return (
      <div className="side-panel__empty">
        <p>
          Choose the entity these rows are for (<strong>Validate against</strong>, above the grid) and every cell is
          checked before anything goes to F&amp;O: mandatory fields, types, lengths, enum values, duplicate keys and
          references.
        </p>
      </div>
    );
  }
  const running = validation.state === 'running';
  const total = validation.errors + validation.warnings;
  return (
    <div className="issues-panel">
      <p className="issues-panel__summary" role="status" aria-label="Validation summary">
        {running && validation.version === 0 ? (
          <>
            Checking {n(info.rowCount)} rows against {validation.entity}…
          </>
        ) : total === 0 ? (
          <>No findings: every row passes the {validation.entity} checks.</>
        ) : (
          <>
            <span className={validation.errors > 0 ? 'text-danger' : undefined}>
              {plural(validation.errors, 'error')}
            </span>
            , {plural(validation.warnings, 'warning')} in {plural(validation.rows, 'row')} against {validation.entity}
            {running && <span className="muted"> · re-checking…</span>}
          </>
        )}
      </p>
      <RuleSources knowledge={validation.knowledge} />
      {filter && (
        <button type="button" className="button button--ghost" onClick={() => setFilter(null)}>
          Show every row again
        </button>
      )}
      {validation.byRule.length > 0 && (
        <section aria-label="Findings by rule">
          <h3 className="side-panel__heading">By rule</h3>
          <ul className="issue-list">
            {validation.byRule.map((r) => {
              const active = filter?.rule === r.rule && filter.column === undefined;
              return (
                <li key={r.rule}>
                  <button
                    type="button"
                    className={`issue-row issue-row--${r.severity}`}
                    aria-pressed={active}
                    aria-label={`${RULE_LABELS[r.rule]}: ${n(r.count)}`}
                    title={`Rule from: ${r.sources.join(', ')}`}
                    onClick={() => setFilter(active ? null : { rule: r.rule })}
                  >
                    <span className={`severity-dot severity-dot--${r.severity}`} aria-hidden="true" />
                    <span className="issue-row__label">
                      {RULE_LABELS[r.rule]}
                      <span className="issue-row__source">{r.sources.join(' · ')}</span>
                    </span>
                    <span className="issue-row__count">{n(r.count)}</span>
                  </button>
                </li>
              );
            })}
          </ul>
        </section>
      )}
      {validation.byColumn.length > 0 && (
        <section aria-label="Findings by column">
          <h3 className="side-panel__heading">By column</h3>
          <ul className="issue-list">
            {validation.byColumn.map((c) => {
              const active = filter?.column === c.column && filter.rule === undefined;
              const rules = validation.byRuleAndColumn.filter((rc) => rc.column === c.column);
              return (
                <li key={c.column}>
                  <button
                    type="button"
                    className="issue-row"
                    aria-pressed={active}
                    aria-label={`${columnName(c.column)}: ${n(c.count)}`}
                    onClick={() => setFilter(active ? null : { column: c.column })}
                  >
                    <span className="issue-row__label">{columnName(c.column)}</span>
                    <span className="issue-row__count">{n(c.count)}</span>
                  </button>
                  {rules.length > 1 && (
                    <ul className="issue-list issue-list--nested">
                      {rules.map((rc) => {
                        const on = filter?.column === rc.column && filter.rule === rc.rule;
                        return (
                          <li key={rc.rule}>
                            <button
                              type="button"
                              className="issue-row issue-row--nested"
                              aria-pressed={on}
                              aria-label={`${columnName(rc.column)}, ${RULE_LABELS[rc.rule]}: ${n(rc.count)}`}
                              onClick={() => setFilter(on ? null : { rule: rc.rule, column: rc.column })}
                            >
                              <span className="issue-row__label">{RULE_LABELS[rc.rule]}</span>
                              <span className="issue-row__count">{n(rc.count)}</span>
                            </button>
                          </li>
                        );
                      })}
                    </ul>
                  )}
                </li>
              );
            })}
          </ul>
        </section>
      )}
      {validation.fileFindings.length > 0 && (
        <section aria-label="Findings about the file">
          <h3 className="side-panel__heading">About the columns</h3>
          <ul className="file-findings">
            {validation.fileFindings.map((f, i) => (
              <li key={i} className={`file-finding file-finding--${f.severity}`}>
                <span className={`severity-dot severity-dot--${f.severity}`} aria-hidden="true" />
                <span>
                  {f.message} <span className="issue-source">Rule from: {f.source}</span>
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {validation.truncated && (
        <p className="muted">
          Some findings were counted but not kept (over 100,000 of one rule in one column): fix the biggest groups
          first, the rest shows up as they go.
        </p>
      )}
      {validation.checkedReferences.length > 0 && (
        <p className="muted" aria-label="References checked">
          References checked:{' '}
          {validation.checkedReferences.map((r) => `${r.entity} against ${r.against.join(' and ')}`).join('; ')}.
        </p>
      )}
      {validation.uncheckedReferences.length > 0 && (
        <p className="muted">
          Not checked (not in this package, no reference snapshot of the environment): references to{' '}
          {validation.uncheckedReferences.join(', ')}.
        </p>
      )}
    </div>
  );
}

/**
 * Where the rules came from. Only an environment's own metadata makes a finding an error; a
 * built-in or learnt rule is a warning, and the panel says so.
 */
function RuleSources({ knowledge }: { knowledge: ValidationState['knowledge'] }) {
  if (knowledge.length === 0) return null;
  const verified = knowledge.some((k) => k.layer === 'metadata');
  return (
    <p className="issue-knowledge" aria-label="Rules from">
      Rules from: {knowledge.map((k) => k.label).join(' · ')}
      {!verified && (
        <span className="muted">
          {' '}
          — none from an environment&apos;s metadata, so every finding is at most a warning.
        </span>
      )}
    </p>
  );
}
