import { describe, expect, it } from 'vitest';
import type { JobSummary } from '../../../shared/api/domains/jobs';
import { describeJobEnd, jobEndWatcher } from '../../../shared/domain/jobs/outcome';
import { jobSummary } from '../../support/jobSummary';

function job(id: string, state: JobSummary['state'], extra: Partial<JobSummary> = {}): JobSummary {
  return jobSummary({ id, state, step: 'poll', ...extra });
}

describe('job end notices', () => {
  it('reports a job once, when it moves from running to a final state here', () => {
    const ended: string[] = [];
    const watch = jobEndWatcher((j) => ended.push(`${j.id}:${j.state}`));
    watch(job('old', 'succeeded')); // finished before this window looked: not news
    watch(job('a', 'queued'));
    watch(job('a', 'running'));
    watch(job('b', 'running'));
    watch(job('a', 'partially-succeeded'));
    watch(job('a', 'partially-succeeded')); // the same end published again
    watch(job('b', 'failed'));
    expect(ended).toEqual(['a:partially-succeeded', 'b:failed']);
  });

  it('says what happened and what to do next', () => {
    const partial = describeJobEnd(job('a', 'partially-succeeded', { errorCount: 12 }));
    expect(partial).toMatchObject({ level: 'warning', title: 'Import partially succeeded' });
    expect(partial.body).toContain('12 rows failed');
    expect(partial.body).toContain('re-import only those rows');
    const ok = describeJobEnd(
      job('b', 'succeeded', {
        entities: [
          {
            label: 'Customer groups',
            status: 'Succeeded',
            stagingRecords: 6,
            targetRecords: 6,
            stagingErrors: 0,
            targetErrors: 0,
          },
          {
            label: 'Customers V3',
            status: 'Succeeded',
            stagingRecords: 1200,
            targetRecords: 1200,
            stagingErrors: 0,
            targetErrors: 0,
          },
        ],
      }),
    );
    expect(ok).toMatchObject({ level: 'info', body: 'Import Wave 1 into Contoso UAT: 1,206 records in target. Done.' });
    // An export's records are in the package it saved, not in a target.
    const exported = describeJobEnd(
      job('f', 'succeeded', {
        kind: 'export',
        title: 'Export of Setup from UAT',
        entities: [
          {
            label: 'Units',
            status: 'Finished',
            stagingRecords: 9,
            targetRecords: 9,
            stagingErrors: 0,
            targetErrors: 0,
          },
        ],
      }),
    );
    expect(exported).toMatchObject({ title: 'Export succeeded' });
    expect(exported.body).toBe('Export of Setup from UAT: 9 records in the package. Done.');
    const failed = describeJobEnd(
      job('c', 'failed', { error: { code: 'UNAUTHORIZED', message: 'Sign in to Contoso UAT first.' } }),
    );
    expect(failed).toMatchObject({
      level: 'error',
      body: 'Import Wave 1 into Contoso UAT: Sign in to Contoso UAT first.',
    });
  });
});
