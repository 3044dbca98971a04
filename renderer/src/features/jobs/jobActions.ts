import { useState } from 'react';
import type { JobSummary } from '../../../../shared/api/domains/jobs';
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
