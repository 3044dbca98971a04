import type { ErrorRoundTrip } from '../../services/jobs/errorRoundTrip';
import type { JobService } from '../../services/jobs/jobService';
import type { DomainHandlers } from '../dispatcher';

export function jobHandlers(jobs: JobService, roundTrip: ErrorRoundTrip): DomainHandlers<'jobs'> {
  return {
    'jobs.list': async () => jobs.runner.list(),
    'jobs.get': async ({ jobId }) => jobs.runner.get(jobId),
    'jobs.startImport': async (request) => jobs.startImport(request),
    'jobs.startExport': async (request) => jobs.startExport(request),
    'jobs.startCopy': async (request) => jobs.startCopy(request),
    'jobs.startEnqueue': async (request) => jobs.startEnqueue(request),
    'jobs.startDequeue': async (request) => jobs.startDequeue(request),
    'jobs.confirm': async ({ jobId, confirmProduction, choices }) => jobs.confirm(jobId, confirmProduction, choices),
    'jobs.exportDiff': async ({ jobId, path }) => jobs.exportDiff(jobId, path),
    'jobs.cancel': async ({ jobId }) => jobs.runner.cancel(jobId),
    'jobs.resume': async ({ jobId }) => jobs.runner.resume(jobId),
    'jobs.errors': async ({ jobId, offset, limit }) => jobs.errors(jobId, offset, limit),
    'jobs.reimportFailed': async ({ jobId, confirmProduction }) => roundTrip.reimport(jobId, confirmProduction),
    'jobs.reimportPlan': async ({ jobId }) => jobs.reimportPlan(jobId),
    'jobs.diffRows': async (request) => jobs.diffRows(request),
    'jobs.openErrors': async ({ jobId }) => roundTrip.open(jobId),
    'jobs.errorLink': async ({ datasetId }) => {
      const link = roundTrip.linkOf(datasetId);
      return link ? { jobId: link.jobId, entity: link.entity, sourceFile: link.sourceFile } : null;
    },
    'jobs.status': async ({ environmentId, executionId, limit }) => jobs.status(environmentId, executionId, limit),
    'jobs.saveErrors': async ({ environmentId, executionId, outDir }) =>
      jobs.saveErrors(environmentId, executionId, outDir),
  };
}
