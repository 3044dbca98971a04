import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { Icon } from '../../app/icons';
import { useProductionGuard } from '../../app/productionGuard';
import { RUN, shortcutAria, shortcutLabel, useShortcut } from '../../app/shortcuts';
import { useWorkbench } from '../../app/workbench';
import { nothingToReimport, useErrorRoundTrip, useReimportPlan } from './jobActions';
import './jobs.css';

interface Link {
  readonly jobId: string;
  readonly entity: string;
  readonly sourceFile: string;
}

/**
 * Above the grid when it shows a job's failed rows: where they come from, and the way back:
 * re-import only these rows (the fixes are written to the source first).
 */
export function ErrorRoundTripBar({ datasetId }: { datasetId: string }) {
  const { client, jobs, shell } = useWorkbench();
  const [link, setLink] = useState<Link | null>(null);
  const job = useStore(jobs, (s) => (link ? (s.jobs?.find((j) => j.id === link.jobId) ?? null) : null));
  const { reimport, busy } = useErrorRoundTrip();
  const plan = useReimportPlan(link?.jobId ?? null);
  // A later job imported every row of this tab: its button must not post them again.
  const done = nothingToReimport(plan);
  const { guard, dialog } = useProductionGuard();
  useEffect(() => {
    let live = true;
    client.call('jobs.errorLink', { datasetId }).then(
      (found) => live && setLink(found),
      () => live && setLink(null),
    );
    return () => {
      live = false;
    };
  }, [client, datasetId]);
  const start = () => {
    if (!link || !job || busy || done) return;
    guard(job.environmentId, 'Re-import failed rows', (confirm) => void reimport(link.jobId, confirm));
  };
  useShortcut(RUN, start, link !== null && job !== null && done === null);
  if (!link) return null;
  return (
    <section className="roundtrip-bar" aria-label="Failed rows of a job">
      <Icon name="retry" />
      <div className="roundtrip-bar__text">
        <strong>
          Failed rows of {link.entity} from {link.sourceFile}
        </strong>
        <span className="muted">
          {job ? `${job.title} · ${job.environmentName}${job.company ? ` · ${job.company}` : ''}. ` : ''}
          {done
            ? 'A later job imported these rows: the Errors column says which.'
            : 'Fix the cells the Errors column points at; the fixes go into the source, then only these rows are imported again.'}
        </span>
        {plan && plan.leftOut.length > 0 && (
          <span className="roundtrip-bar__left-out" role="note">
            {done ??
              `${plan.toSend} of ${plan.failedRows} rows would be sent. ${plan.leftOut.map((l) => l.message).join(' ')}`}
          </span>
        )}
      </div>
      <button
        type="button"
        className="button button--secondary"
        onClick={() => {
          jobs.getState().select(link.jobId);
          shell.getState().goTo('jobs');
        }}
      >
        Back to the job
      </button>
      <button
        type="button"
        className="button button--primary"
        disabled={!job || busy !== null || done !== null}
        onClick={start}
        aria-keyshortcuts={shortcutAria(RUN)}
        title={`Re-import failed rows (${shortcutLabel(RUN)})`}
      >
        <Icon name="play" size={16} />
        {busy === 'reimport' ? 'Starting…' : 'Re-import failed rows'}
      </button>
      {dialog}
    </section>
  );
}
