import type { CatalogIndex } from '../../../shared/domain/catalog';
import type { DmfClients } from '../dmf/dmfClients';
import type { EnvironmentService } from '../environments/environmentService';
import type { Logger } from '../logging/logger';
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
  /** Block size and parallel blocks of package uploads (defaults: 8 MiB, 4). */
  readonly transfer: { readonly blockSize?: number; readonly concurrency?: number };
}

export type JobContext = StepContext<JobServices>;
