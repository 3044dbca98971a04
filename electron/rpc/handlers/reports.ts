import type { ReportService } from '../../services/reports/reportService';
import type { DomainHandlers } from '../dispatcher';

export function reportHandlers(reports: ReportService): DomainHandlers<'reports'> {
  return {
    'reports.signOff': async ({ dir, cycle, jobId, pdf, out, overwrite }) =>
      reports.signOff({
        dir,
        pdf,
        overwrite,
        ...(cycle !== undefined ? { cycle } : {}),
        ...(jobId ? { jobId } : {}),
        ...(out ? { out } : {}),
      }),
  };
}
