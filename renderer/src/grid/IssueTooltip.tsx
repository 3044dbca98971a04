import type { CustomTooltipProps } from 'ag-grid-react';
import type { DatasetRow } from '../../../shared/api/domains/datasets';
import { RULE_LABELS, issuesAt, splitMessage } from './issues';

/** The hover card of a marked cell: each finding with its rule, what is wrong, how to fix it and where the rule came from. */
export function IssueTooltip(props: CustomTooltipProps<DatasetRow>) {
  const colId = props.column && 'getColId' in props.column ? props.column.getColId() : 'row';
  const index = colId === 'row' ? -1 : Number(colId.slice(1));
  const issues = issuesAt(props.data, index);
  if (issues.length === 0) return null;
  return (
    <div className="issue-tooltip" role="tooltip">
      {issues.map((issue, i) => {
        const { problem, fix } = splitMessage(issue.message);
        return (
          <div key={i} className={`issue-tooltip__item issue-tooltip__item--${issue.severity}`}>
            <div className="issue-tooltip__rule">
              {issue.severity === 'error' ? 'Error' : 'Warning'} · {RULE_LABELS[issue.rule]}
            </div>
            <div className="issue-tooltip__problem">{problem}</div>
            {fix && <div className="issue-tooltip__fix">{fix}</div>}
            <div className="issue-tooltip__source">Rule from: {issue.source}</div>
          </div>
        );
      })}
    </div>
  );
}
