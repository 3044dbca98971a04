import { useEffect, useState } from 'react';
import type { CopyDiffEntity, CopyDiffRow } from '../../../../shared/api/domains/jobs';
import { ErrorAlert } from '../../app/ErrorAlert';
import { messageOf } from '../../app/errors';
import { count, plural } from '../../app/format';
import { TableHead, unseen } from '../../app/TableHead';
import { useWorkbench } from '../../app/workbench';

/** What the consultant chose for one entity while reviewing: records left out, fields kept. */
export interface EntityChoice {
  /** Record key → its status before the copy (for the counts). */
  readonly skip: Readonly<Record<string, CopyDiffRow['status']>>;
  readonly keep: readonly string[];
}

export const NO_CHOICE: EntityChoice = { skip: {}, keep: [] };

const STATUS = {
  new: { label: 'New', tone: 'accent' },
  changed: { label: 'Changed', tone: 'warn' },
  same: { label: 'Same', tone: 'plain' },
} as const;

const AFTER = {
  matches: { label: 'Matches', tone: 'ok' },
  differs: { label: 'Still differs', tone: 'danger' },
  missing: { label: 'Missing', tone: 'danger' },
} as const;

/** Review mode: the choices being made (the copy has not run), and how to change them. */
export interface Review {
  readonly choice: EntityChoice;
  readonly insertOnly: boolean;
  onRecord(row: CopyDiffRow, copy: boolean): void;
  onField(field: string, keep: boolean): void;
}

/**
 * One entity's records as they were before the copy (kept with the job): each change with the
 * target's value and the copied one. Under review, a record can be unticked and a field's target
 * value kept; once the copy ran, what it sent and what the target then held. `version` asks again
 * when the job moves on.
 */
export function RowDiff(props: { jobId: string; entity: CopyDiffEntity; version: string; review: Review | null }) {
  const { client } = useWorkbench();
  const { jobId, review } = props;
  const label = props.entity.label;
  const [status, setStatus] = useState<'changed' | 'new' | 'same' | 'all'>('all');
  const [loaded, setLoaded] = useState<{ key: string; total: number; rows: readonly CopyDiffRow[] } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const key = `${jobId}|${label}|${status}|${props.version}`;
  useEffect(() => {
    let live = true;
    client.call('jobs.diffRows', { jobId, entity: label, limit: 200, ...(status === 'all' ? {} : { status }) }).then(
      (result) => live && setLoaded({ key, ...result }),
      (error: unknown) => live && setProblem(messageOf(error)),
    );
    return () => {
      live = false;
    };
  }, [client, jobId, label, status, key]);
  const rows = loaded?.key === key ? loaded : null;
  const decided = !review && rows?.rows.some((r) => r.copied !== null && r.copied !== undefined);
  const fields = props.entity.fields ?? [];
  return (
    <section className="panel row-diff" aria-label={`Rows of ${label}`}>
      <div className="panel__header">
        <h3 className="panel__title">{label}: record by record</h3>
        <div className="tabs" role="tablist" aria-label="Which records">
          {(['all', 'new', 'changed', 'same'] as const).map((s) => (
            <button
              key={s}
              type="button"
              role="tab"
              aria-selected={status === s}
              className="tabs__tab"
              onClick={() => setStatus(s)}
            >
              {s === 'all' ? 'All' : STATUS[s].label}
            </button>
          ))}
        </div>
      </div>
      {review && fields.length > 0 && (
        <fieldset className="row-diff__keep">
          <legend>Keep the target&apos;s value of a field</legend>
          <p className="muted">
            The copy then leaves that field as the target has it (a localised description, say). New records still get
            the copied value.
          </p>
          <div className="row-diff__fields">
            {fields.map((f) => (
              <label key={f.field} className="check">
                <input
                  type="checkbox"
                  checked={review.choice.keep.includes(f.field)}
                  onChange={(e) => review.onField(f.field, e.target.checked)}
                />
                <span className="check__text">
                  <span>
                    Keep the target&apos;s <span className="mono">{f.field}</span>
                  </span>
                  <span className="check__hint">differs in {plural(f.records, 'record')}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
      )}
      <ErrorAlert problem={problem} />
      {!rows && !problem && <p className="loading" role="progressbar" aria-label="Comparing the records" />}
      {rows && (
        <table className="table" aria-label={`Records of ${label}`}>
          <TableHead
            columns={[
              Boolean(review) && unseen('Copy'),
              'Key',
              decided ? 'Before the copy' : 'In the target',
              decided ? 'What the copy did' : 'What the copy does',
              Boolean(decided) && 'After the copy',
            ]}
          />
          <tbody>
            {rows.rows.map((row) => {
              const skipped = review ? row.key in review.choice.skip : row.copied === false;
              const existingUnderInsertOnly = Boolean(review?.insertOnly) && row.status !== 'new';
              return (
                <tr key={row.key} className={skipped || existingUnderInsertOnly ? 'row-diff__left-out' : undefined}>
                  {review && (
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`Copy ${row.key}`}
                        checked={!skipped && !existingUnderInsertOnly}
                        disabled={existingUnderInsertOnly}
                        title={
                          existingUnderInsertOnly ? 'Insert only: an existing record is never changed.' : undefined
                        }
                        onChange={(e) => review.onRecord(row, e.target.checked)}
                      />
                    </td>
                  )}
                  <th scope="row" className="mono">
                    {row.key}
                  </th>
                  <td>
                    <span className={`badge badge--${STATUS[row.status].tone}`}>{STATUS[row.status].label}</span>
                  </td>
                  <td>
                    <Changes
                      row={row}
                      skipped={skipped}
                      insertOnly={existingUnderInsertOnly}
                      keep={review ? review.choice.keep : null}
                    />
                  </td>
                  {decided && (
                    <td>
                      {row.after ? (
                        <span className={`badge badge--${AFTER[row.after].tone}`}>{AFTER[row.after].label}</span>
                      ) : (
                        <span className="muted">Not sent</span>
                      )}
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
          {rows.total > rows.rows.length && (
            <tfoot>
              <tr>
                <td colSpan={5} className="muted">
                  The first {count(rows.rows.length)} of {count(rows.total)} records.
                </td>
              </tr>
            </tfoot>
          )}
        </table>
      )}
    </section>
  );
}

/** What the copy does (or did) to a record's fields: kept target values are shown as kept. */
function Changes(props: { row: CopyDiffRow; skipped: boolean; insertOnly: boolean; keep: readonly string[] | null }) {
  const { row } = props;
  if (props.insertOnly) return <span className="muted">Left out: insert only never changes an existing record.</span>;
  if (props.skipped) return <span className="muted">Left out: the target keeps this record as it is.</span>;
  if (row.status === 'same') return <span className="muted">Nothing: it is already the same.</span>;
  return (
    <ul className="field-changes">
      {row.changes.slice(0, 6).map((c) => {
        const kept = props.keep ? row.status === 'changed' && props.keep.includes(c.field) : Boolean(c.kept);
        return (
          <li key={c.field}>
            <span className="mono">{c.field}</span>{' '}
            {kept ? (
              <>
                <span>{c.target || '(empty)'}</span>{' '}
                <span className="badge badge--plain">target&apos;s value kept</span>
              </>
            ) : (
              <>
                {c.target !== null && (
                  <>
                    <del>{c.target || '(empty)'}</del> →{' '}
                  </>
                )}
                <ins>{c.copied || '(empty)'}</ins>
              </>
            )}
          </li>
        );
      })}
      {row.changes.length > 6 && <li className="muted">and {row.changes.length - 6} more fields</li>}
    </ul>
  );
}
