/**
 * Data projects (definition groups): what DataManagementDefinitionGroups and
 * DataManagementDefinitionGroupDetails expose over OData, and what ImportFromPackage with
 * overwrite=true (re)writes from a package manifest.
 */
export type RefreshType = 'FullPush' | 'IncrementalPush';

export interface ProjectEntity {
  /** The entity label ("Customers V3"). */
  entityName: string;
  /** AOT name (CustCustomerV3Entity). */
  targetEntity: string;
  sourceFormat: string;
  executionUnit: number;
  level: number;
  sequence: number;
  failLevelOnError: boolean;
  failExecutionUnitOnError: boolean;
  defaultRefreshType: RefreshType;
  disable: boolean;
  runBusinessLogic: boolean;
  runBusinessValidation: boolean;
  skipStaging: boolean;
  /** Source column → staging field; null maps by name. */
  maps: { xmlField: string; entityField: string }[] | null;
}

export interface DataProject {
  name: string;
  description: string;
  operationType: 'Import' | 'Export';
  generateDataPackage: boolean;
  truncateEntityData: boolean;
  entities: ProjectEntity[];
  /** Change tracking: `targetEntity|company` → the change version of the last export. */
  watermarks: Record<string, number>;
}

export function newProjectEntity(
  label: string,
  targetEntity: string,
  overrides: Partial<ProjectEntity> = {},
): ProjectEntity {
  return {
    entityName: label,
    targetEntity,
    sourceFormat: 'CSV-Unicode',
    executionUnit: 1,
    level: 1,
    sequence: 1,
    failLevelOnError: false,
    failExecutionUnitOnError: false,
    defaultRefreshType: 'FullPush',
    disable: false,
    runBusinessLogic: true,
    runBusinessValidation: true,
    skipStaging: false,
    maps: null,
    ...overrides,
  };
}

export class ProjectRegistry {
  readonly #projects = new Map<string, DataProject>();

  /** Project names are case-insensitive, like every F&O key. */
  get(name: string): DataProject | undefined {
    return this.#projects.get(name.toLowerCase());
  }

  put(project: DataProject): void {
    this.#projects.set(project.name.toLowerCase(), project);
  }

  delete(name: string): boolean {
    return this.#projects.delete(name.toLowerCase());
  }

  list(): DataProject[] {
    return [...this.#projects.values()];
  }
}
