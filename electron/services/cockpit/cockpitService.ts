import type { CockpitView } from '../../../shared/api/domains/cockpit';
import type { ReconciliationSummary } from '../../../shared/api/domains/reconciliation';
import type { ProjectService } from '../projects/projectService';
import { cockpitView } from './cockpitView';

/**
 * Where the cockpit reads the reconciliations of a project's runs: the reconciliation service's
 * `list(dir)` (reconciliation.list), one summary per reconciled job. Until that service is wired
 * there is none, and every entity is "not reconciled".
 */
export interface ReconciliationPort {
  list(dir: string): Promise<readonly ReconciliationSummary[]>;
}

/** The migration cockpit of a project: its run files read and put side by side (cockpitView). */
export class CockpitService {
  readonly #projects: ProjectService;
  readonly #reconciliation: ReconciliationPort | null;

  constructor(options: { projects: ProjectService; reconciliation?: ReconciliationPort | null }) {
    this.#projects = options.projects;
    this.#reconciliation = options.reconciliation ?? null;
  }

  async project(dir: string): Promise<CockpitView> {
    const summary = await this.#projects.open(dir);
    const runs = await this.#projects.runRecords(dir);
    // Newest first: the first summary of a job is its latest reconciliation.
    const reconciliations = new Map<string, ReconciliationSummary>();
    for (const r of this.#reconciliation ? await this.#reconciliation.list(summary.dir) : []) {
      if (!reconciliations.has(r.jobId)) reconciliations.set(r.jobId, r);
    }
    return cockpitView({
      dir: summary.dir,
      name: summary.document.name,
      entities: summary.document.entities.filter((e) => e.enabled).map((e) => e.label),
      runs,
      reconciliations,
      reconciliationAvailable: this.#reconciliation !== null,
    });
  }
}
