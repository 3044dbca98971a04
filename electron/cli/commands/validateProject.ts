import type { ProjectEntity } from '../../../shared/api/domains/projects';
import { UnknownEntityError } from '../../../shared/domain/catalog';
import type { CatalogEntity, CatalogIndex } from '../../../shared/domain/catalog';
import { createValidationSession, mapColumns } from '../../../shared/domain/validation';
import type {
  ColumnMapping,
  Finding,
  ValidationSummary,
  ValueFormats,
  ReferenceSnapshot,
} from '../../../shared/domain/validation';
import { openProjectSource } from '../../services/jobs/packageEngineAdapter';
import { ProjectService } from '../../services/projects/projectService';
import { InputFileError } from '../../services/sources/inputError';
import type { CliIo } from '../io';
import { UsageError } from '../io';

/** One entity file of a project, checked. */
export interface ValidatedEntity {
  readonly entity: string;
  readonly file: string;
  readonly summary: ValidationSummary;
  readonly findings: readonly Finding[];
}

/**
 * `dmfw validate <project folder>`: every enabled entity of a workbench project, each file read
 * with the project's sheet and mapping (or columns named like staging fields, as the package
 * build maps them), in one validation session, so references between the project's entities are
 * checked against each other's rows as the package will carry them.
 */
export async function validateProject(
  dir: string,
  catalog: CatalogIndex,
  formats: ValueFormats,
  io: CliIo,
  snapshot?: ReferenceSnapshot,
): Promise<{ project: string; entities: ValidatedEntity[] }> {
  const { document } = await new ProjectService(() => undefined).open(dir);
  const enabled = document.entities.filter((e) => e.enabled);
  if (enabled.length === 0) {
    throw new UsageError(`The project "${document.name}" has no enabled entity to validate. Add one first.`);
  }
  const resolved = enabled.map((spec) => ({ spec, entity: requireEntity(catalog, spec, document.name) }));
  const session = createValidationSession({
    catalog,
    packageEntities: resolved.map((r) => r.entity.label),
    formats,
    ...(snapshot ? { snapshot } : {}),
  });
  const checked: { spec: ProjectEntity; entity: CatalogEntity; validator: ReturnType<typeof session.validator> }[] = [];
  const findings = new Map<string, Finding[]>();
  for (const { spec, entity } of resolved) {
    const list: Finding[] = [];
    try {
      const reader = await openProjectSource(dir, spec, undefined);
      try {
        const validator = session.validator(entity.label, columnsOf(reader.columns, entity, spec));
        for await (const batch of reader) {
          list.push(...validator.validateRows(batch.rows, batch.firstRow));
          if (io.interactive)
            io.stderr(`\r${entity.label}: validated ${validator.summary().rows.toLocaleString('en-US')} rows`);
        }
        list.push(...validator.finish());
        checked.push({ spec, entity, validator });
      } finally {
        await reader.close();
      }
    } catch (error) {
      if (error instanceof InputFileError) throw new UsageError(`${spec.label}: ${error.message}`);
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new UsageError(`${spec.label}: ${spec.sourceFile} does not exist. Fix the path in dmfw-project.json.`);
      }
      throw error;
    }
    if (io.interactive) io.stderr('\n');
    findings.set(entity.label, list);
  }
  // References to entities validated after the referencing one are settled at the end.
  for (const late of session.finish()) findings.get(late.entity)?.push(...late.findings);
  return {
    project: document.name,
    entities: checked.map(({ spec, entity, validator }) => ({
      entity: entity.label,
      file: spec.sourceFile,
      summary: validator.summary(),
      findings: [...validator.headerFindings, ...(findings.get(entity.label) ?? []).sort((a, b) => a.row - b.row)],
    })),
  };
}

/** The project's mapping when it has one (columns it does not map are not imported), else by name. */
function columnsOf(header: readonly string[], entity: CatalogEntity, spec: ProjectEntity): ColumnMapping[] {
  if (!spec.mapping) return mapColumns(header, entity);
  const mapping = spec.mapping;
  return header.map((column) => ({
    column,
    field:
      mapping
        .find((m) => m.sourceColumn.trim().toLowerCase() === column.trim().toLowerCase())
        ?.stagingField.toUpperCase() ?? null,
  }));
}

function requireEntity(catalog: CatalogIndex, spec: ProjectEntity, project: string): CatalogEntity {
  try {
    return catalog.requireEntity(spec.label);
  } catch (error) {
    if (error instanceof UnknownEntityError) throw new UsageError(`The project "${project}": ${error.message}`);
    throw error;
  }
}
