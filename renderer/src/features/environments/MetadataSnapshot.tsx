import { useCallback, useEffect, useState } from 'react';
import type { MetadataPullProgress, MetadataSnapshotSummary } from '../../../../shared/api/domains/catalog';
import { snapshotAge } from '../../../../shared/domain/catalog/age';
import type { EnvironmentSummary } from '../../../../shared/domain/environments';
import { ErrorAlert } from '../../app/ErrorAlert';
import { messageOf } from '../../app/errors';
import { Icon } from '../../app/icons';
import { ProgressBar } from '../../app/ProgressBar';
import { useWorkbench } from '../../app/workbench';
import './metadata.css';

const MB = 2 ** 20;

/**
 * An environment's metadata snapshot on its card: how old it is, what it holds, and the action
 * that pulls it (or refreshes it). With a snapshot, validation, mapping and the wizard use the
 * environment's own rules offline.
 */
export function MetadataSnapshot({ env }: { env: EnvironmentSummary }) {
  const { client, toasts } = useWorkbench();
  const [latest, setLatest] = useState<MetadataSnapshotSummary | null | undefined>(undefined);
  const [pulling, setPulling] = useState(false);
  const [progress, setProgress] = useState<MetadataPullProgress | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    let live = true;
    client.call('catalog.metadataSnapshots', { environmentId: env.id }).then(
      ({ snapshots }) => live && setLatest(snapshots[0] ?? null),
      (error: unknown) => live && (setLatest(null), setProblem(messageOf(error))),
    );
    return () => {
      live = false;
    };
  }, [client, env.id]);
  useEffect(
    () =>
      client.on('catalog.metadataProgress', (p) => {
        if (p.environmentId === env.id && p.phase !== 'done') setProgress(p);
      }),
    [client, env.id],
  );
  // The age moves on while the screen stays open.
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);

  const pull = useCallback(async () => {
    setPulling(true);
    setProblem(null);
    setProgress(null);
    try {
      const pulled = await client.call('catalog.pullMetadata', { environmentId: env.id });
      setLatest(pulled);
      setNow(Date.now());
      toasts.getState().push({
        level: 'success',
        title: `Metadata of ${env.name} saved`,
        body: `${pulled.entities.toLocaleString()} entities; validation uses them offline from now on.`,
      });
    } catch (error) {
      setProblem(messageOf(error));
    } finally {
      setPulling(false);
      setProgress(null);
    }
  }, [client, env.id, env.name, toasts]);

  const unmatched = latest ? latest.matching.unmatched.reduce((n, u) => n + u.fields.length, 0) : 0;
  return (
    <section className="env-metadata" aria-label={`Metadata of ${env.name}`}>
      <div className="env-metadata__head">
        <Icon name="info" size={16} />
        {latest === undefined ? (
          <span className="muted">Looking for a metadata snapshot…</span>
        ) : latest === null ? (
          <span>
            No metadata snapshot yet. Pull one to validate and map against {env.name}&apos;s own entities, also offline.
          </span>
        ) : (
          <span>
            <strong>Metadata pulled {snapshotAge(latest.pulledAt, now)}</strong>
            <span className="muted">
              {' '}
              · {latest.entities.toLocaleString()} entities
              {latest.version.application ? ` · application ${latest.version.application}` : ''}
              {latest.version.platform ? ` · platform ${latest.version.platform}` : ''}
            </span>
          </span>
        )}
        <button
          type="button"
          className="button button--secondary button--small"
          disabled={pulling}
          onClick={() => void pull()}
          aria-label={latest ? `Refresh the metadata of ${env.name}` : `Pull the metadata of ${env.name}`}
        >
          <Icon name="refresh" size={16} />
          {latest ? 'Refresh metadata' : 'Pull metadata'}
        </button>
      </div>
      {pulling && (
        <ProgressBar
          label={`Pulling the metadata of ${env.name}`}
          size="small"
          value={progress?.phase === 'download' && progress.total ? progress.bytes : null}
          max={progress?.total ?? undefined}
          valueText={
            progress
              ? progress.phase === 'download'
                ? `${progress.document ?? ''}: ${(progress.bytes / MB).toFixed(1)} MB`
                : progress.message
              : 'Starting…'
          }
        />
      )}
      {pulling && progress && (
        <p className="muted env-metadata__step" role="status">
          {progress.phase === 'download'
            ? `Downloading ${progress.document ?? ''} (${(progress.bytes / MB).toFixed(1)} MB)`
            : progress.message}
        </p>
      )}
      {latest && !pulling && (unmatched > 0 || latest.matching.missingEntities.length > 0) && (
        <details className="env-metadata__matching">
          <summary>
            {unmatched} staging field{unmatched === 1 ? '' : 's'} the workbench knows matched no OData property;{' '}
            {latest.matching.missingEntities.length} built-in entit
            {latest.matching.missingEntities.length === 1 ? 'y is' : 'ies are'} not in {env.name}
          </summary>
          <ul>
            {latest.matching.unmatched.slice(0, 50).map((u) => (
              <li key={u.entity}>
                <strong>{u.entity}</strong>: {u.fields.join(', ')}
              </li>
            ))}
          </ul>
          {latest.matching.missingEntities.length > 0 && (
            <p className="muted">
              Not in {env.name}: {latest.matching.missingEntities.slice(0, 40).join(', ')}
            </p>
          )}
        </details>
      )}
      <ErrorAlert
        problem={problem}
        dismiss={{ label: `Dismiss the metadata problem of ${env.name}`, onDismiss: () => setProblem(null) }}
      />
    </section>
  );
}
