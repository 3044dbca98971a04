import type { RanBy } from '../../../shared/api/domains/jobs';
import type { CatalogIndex } from '../../../shared/domain/catalog';
import type { DmfClients } from '../dmf/dmfClients';
import type { EnvironmentService } from '../environments/environmentService';
import type { Logger } from '../logging/logger';
import type { FetchLike } from '../net/fetch';
import type { ProjectService } from '../projects/projectService';
import type { ExecutionServices } from './execution';
import type { StepContext } from './jobRunner';
import type { PackageEngine } from './packageEngine';

/** What job steps may use. */
export interface JobServices extends ExecutionServices {
  readonly environments: EnvironmentService;
  readonly dmf: DmfClients;
  readonly projects: ProjectService;
  readonly packages: PackageEngine;
  readonly catalog: CatalogIndex;
  readonly logger: Logger;
  /**
   * Blob transfers: block size and parallel blocks of package uploads (defaults: 8 MiB, 4), and the
   * network port they send through (Electron's net.fetch in the app).
   */
  readonly transfer: { readonly blockSize?: number; readonly concurrency?: number; readonly fetch: FetchLike };
  /** Who runs a job in an environment (ranBy.ts): fills in an account signed in during the job. */
  readonly ranBy?: (environmentId: string) => Promise<RanBy>;
}

export type JobContext = StepContext<JobServices>;
