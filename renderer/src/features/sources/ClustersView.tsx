/**
 * Clusters of a column's variants, as OpenRefine finds them: key collision (fingerprint, n-gram
 * fingerprint, sounds alike) and nearest neighbour (typing errors), computed by the row store over
 * the whole view. Each cluster shows its values with their rows; ticked values are merged to the
 * chosen one in one step (a set-value recipe step on the rows holding them), which replays on the
 * next extract.
 */
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useStore } from 'zustand';
import type { Client } from '../../../../shared/api/client';
import type { ClusterMethod, ClusterResult, DatasetInfo } from '../../../../shared/api/domains/datasets';
import type { ValueCluster } from '../../../../shared/domain/valueMapping/cluster';
import { ProgressBar } from '../../app/ProgressBar';
import type { SourcesStore } from './sourcesStore';
import { messageOf } from './sourcesStore';
import { ColumnSelect, count, setValueWhereIn, shownValue } from './columnValues';

const METHODS: readonly { id: ClusterMethod; label: string; hint: string }[] = [
  { id: 'fingerprint', label: 'Fingerprint', hint: 'case, punctuation, accents and word order' },
  { id: 'ngram-fingerprint', label: 'N-gram fingerprint', hint: 'spacing and short codes ("N 30", "N30")' },
  { id: 'metaphone', label: 'Sounds alike', hint: 'English words spelt differently (Metaphone)' },
  { id: 'levenshtein', label: 'Nearest neighbour', hint: 'typing errors (edit distance)' },
];
/** A set-value step's "in" filter holds at most this many values. */
const MAX_MERGED = 2000;

export function ClustersView(props: { store: SourcesStore; client: Client; info: DatasetInfo }) {
  const { store, client, info } = props;
  const column = useStore(store, (s) => s.column);
  const refresh = useStore(store, (s) => s.refresh);
  const gridView = useStore(store, (s) => s.gridView);
  const [method, setMethod] = useState<ClusterMethod>('fingerprint');
  const [radius, setRadius] = useState(1);
  /** The last answer and the request it answers: while they differ, clustering runs. */
  const [answer, setAnswer] = useState<{ key: string; result: ClusterResult | null; problem: string | null } | null>(
    null,
  );
  const current = info.columns[column];
  const key = JSON.stringify([info.id, column, method, radius, refresh, gridView]);

  useEffect(() => {
    if (info.state !== 'ready') return;
    let live = true;
    client
      .call('datasets.clusters', { id: info.id, view: store.getState().view(), column, method, radius, limit: 200 })
      .then(
        (result) => live && setAnswer({ key, result, problem: null }),
        // A newer request replaced this one in the row store: its own answer follows.
        (error: unknown) => live && setAnswer({ key, result: null, problem: messageOf(error) }),
      );
    return () => {
      live = false;
    };
  }, [client, store, info.id, info.state, column, method, radius, key]);
  const running = info.state === 'ready' && answer?.key !== key;
  const result = answer?.result ?? null;
  const problem = running ? null : (answer?.problem ?? null);

  const chosen = METHODS.find((m) => m.id === method);
  return (
    <div className="clusters">
      <ColumnSelect store={store} info={info} label="Column to cluster" />
      <fieldset className="clusters__methods">
        <legend>Method</legend>
        <div className="segmented clusters__segmented">
          {METHODS.map((m) => (
            <label key={m.id} title={m.hint}>
              <input
                type="radio"
                name="cluster-method"
                value={m.id}
                checked={method === m.id}
                onChange={() => setMethod(m.id)}
              />
              {m.label}
            </label>
          ))}
        </div>
        <p className="muted clusters__hint">Finds variants that differ by {chosen?.hint}.</p>
        {method === 'levenshtein' && (
          <label className="clusters__radius">
            Edits apart at most
            <select className="input" value={radius} onChange={(e) => setRadius(Number(e.target.value))}>
              {[1, 2, 3].map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </label>
        )}
      </fieldset>
      {running && <ProgressBar label={`Clustering the values of ${current?.name ?? ''}`} value={null} size="small" />}
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
      {result && !running && (
        <p className="muted" aria-label="Clusters found">
          {result.clusterCount === 0
            ? `No clusters among ${count(result.distinct)} distinct values of ${current?.name ?? ''}: try another method (nearest neighbour finds typing errors).`
            : `${count(result.clusterCount)} ${result.clusterCount === 1 ? 'cluster' : 'clusters'} among ${count(result.distinct)} distinct values in ${count(result.rows)} rows (${result.elapsedMs < 1000 ? `${result.elapsedMs} ms` : `${(result.elapsedMs / 1000).toFixed(1)} s`}).`}
        </p>
      )}
      {result && (
        <ol className="cluster-list" aria-label={`Clusters of ${current?.name ?? ''}`}>
          {result.clusters.map((cluster) => (
            <ClusterCard
              key={`${method}:${cluster.key}:${cluster.values.map((v) => v.value).join('\u0001')}`}
              cluster={cluster}
              readOnly={current?.readOnly ?? true}
              onMerge={(values, to) => setValueWhereIn(store, client, column, values, to)}
            />
          ))}
        </ol>
      )}
      {result && result.clusters.length < result.clusterCount && (
        <p className="muted">
          The {count(result.clusters.length)} biggest clusters are listed: merge them, the next ones follow.
        </p>
      )}
    </div>
  );
}

function ClusterCard(props: {
  cluster: ValueCluster;
  readOnly: boolean;
  onMerge: (values: string[], to: string) => Promise<void>;
}) {
  const { cluster } = props;
  const [ticked, setTicked] = useState<ReadonlySet<string>>(() => new Set(cluster.values.map((v) => v.value)));
  const [to, setTo] = useState(cluster.suggested);
  const merged = cluster.values.filter((v) => ticked.has(v.value) && v.value !== to);
  const rows = merged.reduce((sum, v) => sum + v.count, 0);
  const merge = (event: FormEvent) => {
    event.preventDefault();
    if (merged.length === 0) return;
    void props.onMerge(
      merged.slice(0, MAX_MERGED).map((v) => v.value),
      to,
    );
  };
  const title = `${count(cluster.rows)} rows in ${cluster.values.length} values`;
  return (
    <li className="cluster">
      <form onSubmit={merge} aria-label={`Cluster ${shownValue(cluster.suggested)}: ${title}`}>
        <p className="cluster__title">{title}</p>
        <ul className="cluster__values">
          {cluster.values.map((v) => (
            <li key={v.value}>
              <label className="cluster__value">
                <input
                  type="checkbox"
                  checked={ticked.has(v.value)}
                  onChange={(e) => {
                    const next = new Set(ticked);
                    if (e.target.checked) next.add(v.value);
                    else next.delete(v.value);
                    setTicked(next);
                  }}
                />
                <button
                  type="button"
                  className="cluster__pick"
                  onClick={() => setTo(v.value)}
                  aria-label={`Merge to ${shownValue(v.value)}`}
                  title="Merge the others to this value"
                >
                  {shownValue(v.value)}
                </button>
                <span className="cluster__count">{count(v.count)}</span>
              </label>
            </li>
          ))}
        </ul>
        {!props.readOnly && (
          <div className="cluster__merge">
            <input
              className="input"
              value={to}
              onChange={(e) => setTo(e.target.value)}
              aria-label={`Value to merge the cluster ${shownValue(cluster.suggested)} to`}
            />
            <button type="submit" className="button button--primary" disabled={merged.length === 0}>
              Merge {count(rows)} {rows === 1 ? 'row' : 'rows'}
            </button>
          </div>
        )}
      </form>
    </li>
  );
}
