import type { JobSummary } from '../../shared/api/domains/jobs';

/** A job as the contract reports it: a queued import into "Contoso UAT" with nothing done yet. */
export function jobSummary(fields: Partial<JobSummary> = {}): JobSummary {
  return {
    id: 'j1',
    kind: 'import',
    title: 'Import Wave 1 into Contoso UAT',
    environmentId: 'e',
    environmentName: 'Contoso UAT',
    targetEnvironmentId: null,
    state: 'queued',
    step: 'build',
    executionId: null,
    executionStatus: null,
    dataProject: null,
    company: 'USMF',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: null,
    progress: null,
    entities: [],
    errorCount: 0,
    output: null,
    diff: null,
    messageId: null,
    error: null,
    rows: null,
    timeline: [],
    projectDir: null,
    ranBy: { account: 'anna@contoso.com', machineUser: 'anna' },
    ...fields,
  };
}
