import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { JobSummary, ReimportPlan } from '../../../../shared/api/domains/jobs';
import { messageOf } from '../../app/errors';
import { plural } from '../../app/format';
import { useWorkbench } from '../../app/workbench';

/** Open errors and re-import failed rows: from the job monitor and from the grid alike. */
export function useErrorRoundTrip() {
  const { client, shell, jobs, sources, toasts } = useWorkbench();
  const [busy, setBusy] = useState<'open' | 'reimport' | null>(null);

  const openErrors = async (jobId: string) => {
    setBusy('open');
    try {
      const opened = await client.call('jobs.openErrors', { jobId });
      // Every dataset of the job gets a tab; the first one is shown.
      for (const dataset of [...opened.datasets].reverse()) await sources.getState().show(dataset.datasetId);
      // The first column is the read-only Errors: the fixes start at the first data column.
      if (opened.datasets[0]?.sourceDatasetId) sources.getState().setColumn(1);
      toasts.getState().dismissKey(`job:${jobId}`);
      shell.getState().goTo('sources');
    } catch (error) {
      toasts.getState().push({ level: 'error', title: 'The failed rows could not be opened', body: messageOf(error) });
    } finally {
      setBusy(null);
    }
  };

  const reimport = async (jobId: string, confirmProduction?: string): Promise<JobSummary | null> => {
    setBusy('reimport');
    try {
      const job = await client.call('jobs.reimportFailed', {
        jobId,
        ...(confirmProduction ? { confirmProduction } : {}),
      });
      jobs.getState().select(job.id);
      shell.getState().goTo('jobs');
      if (job.leftOut.length > 0) {
        toasts.getState().push({
          level: 'info',
          title: 'Rows already imported were left out',
          body: job.leftOut.map((l) => l.message).join(' '),
        });
      }
      if (job.fixesApplied > 0) {
        toasts.getState().push({
          level: 'info',
          title: `${plural(job.fixesApplied, 'fix', 'fixes')} from the grid went into the sources`,
          body: 'They are edits of the source files in the grid: undo them there if needed.',
        });
      }
      return job;
    } catch (error) {
      toasts.getState().push({ level: 'error', title: 'The re-import did not start', body: messageOf(error) });
      return null;
    } finally {
      setBusy(null);
    }
  };

  return { openErrors, reimport, busy };
}

/**
 * What a re-import of a job's failed rows would send now (null while it is asked). Asked again
 * whenever an import starts or ends: a later job may have imported some of the rows meanwhile.
 */
export function useReimportPlan(jobId: string | null): ReimportPlan | null {
  const { client, jobs } = useWorkbench();
  const imports = useStore(jobs, (s) =>
    (s.jobs ?? [])
      .filter((j) => j.kind === 'import')
      .map((j) => `${j.id}:${j.state}`)
      .join(' '),
  );
  const [plan, setPlan] = useState<ReimportPlan | null>(null);
  useEffect(() => {
    if (!jobId) return;
    let live = true;
    client.call('jobs.reimportPlan', { jobId }).then(
      (answer) => live && setPlan(answer),
      () => live && setPlan(null),
    );
    return () => {
      live = false;
    };
  }, [client, jobId, imports]);
  return plan?.jobId === jobId ? plan : null;
}

/** Why a job's re-import button does nothing now, or null when it has rows to send. */
export function nothingToReimport(plan: ReimportPlan | null): string | null {
  if (!plan || plan.failedRows === 0 || plan.toSend > 0) return null;
  return `Nothing left to re-import: ${plan.leftOut.map((l) => l.message).join(' ')}`;
}
