import type { ReconciliationService } from '../../services/reconciliation/reconciliationService';
import type { DomainHandlers } from '../dispatcher';

export function reconciliationHandlers(reconciliation: ReconciliationService): DomainHandlers<'reconciliation'> {
  return {
    'reconciliation.run': async ({ jobId, sums }) => reconciliation.run(jobId, sums),
    'reconciliation.get': async ({ jobId }) => reconciliation.get(jobId),
    'reconciliation.list': async ({ dir }) => reconciliation.list(dir),
    'reconciliation.openDifferences': async ({ jobId, entity }) => reconciliation.openDifferences(jobId, entity),
  };
}
