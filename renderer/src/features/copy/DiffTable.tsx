import type { CopyDiffEntity } from '../../../../shared/api/domains/jobs';
import { count } from '../../app/format';
import { TableHead, numeric, unseen } from '../../app/TableHead';

/** One entity's new / changed / same as a stacked bar (widths through the style object, CSP-safe). */
function DiffBar({ entity }: { entity: CopyDiffEntity }) {
  const total = Math.max(1, entity.new + entity.changed + entity.same);
  const part = (n: number) => ({ width: `${((n / total) * 100).toFixed(2)}%` });
  return (
    <div className="diff-bar" aria-hidden="true">
      <span className="diff-bar__new" style={part(entity.new)} />
      <span className="diff-bar__changed" style={part(entity.changed)} />
      <span className="diff-bar__same" style={part(entity.same)} />
    </div>
  );
}

export function DiffTable(props: {
  diff: readonly CopyDiffEntity[];
  /** Drill into an entity's rows (the copy screen); without it the table only shows counts. */
  onDrill?: (entity: string) => void;
  selected?: string | null;
}) {
  const verified = props.diff.some((d) => d.verified !== null);
  // Once the choices were applied: how many records the import carried.
  const sent = props.diff.some((d) => d.sent !== null && d.sent !== undefined);
  return (
    <table className="table diff-table" aria-label="Diff per entity">
      <TableHead
        columns={[
          'Entity',
          ...['New', 'Changed', 'Same'].map(numeric),
          unseen('Share'),
          sent && numeric('Sent'),
          verified && numeric('Verified'),
          Boolean(props.onDrill) && unseen('Rows'),
        ]}
      />
      <tbody>
        {props.diff.map((d) => {
          const total = d.sent ?? d.new + d.changed + d.same;
          return (
            <tr key={d.label} className={props.selected === d.label ? 'is-selected' : undefined}>
              <th scope="row">{d.label}</th>
              <td className="num diff-table__new">{count(d.new)}</td>
              <td className="num diff-table__changed">{count(d.changed)}</td>
              <td className="num diff-table__same">{count(d.same)}</td>
              <td className="diff-table__bar">
                <DiffBar entity={d} />
              </td>
              {sent && <td className="num">{d.sent === null || d.sent === undefined ? '—' : count(d.sent)}</td>}
              {verified && (
                <td className={`num ${d.verified !== null && d.verified < total ? 'text-danger' : 'diff-table__ok'}`}>
                  {d.verified === null ? '—' : `${count(d.verified)} of ${count(total)}`}
                </td>
              )}
              {props.onDrill && (
                <td>
                  <button
                    type="button"
                    className="button button--ghost button--small"
                    aria-label={`Show the rows of ${d.label}`}
                    aria-pressed={props.selected === d.label}
                    onClick={() => props.onDrill?.(d.label)}
                  >
                    Rows
                  </button>
                </td>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
