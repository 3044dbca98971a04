/**
 * Where a table's valid F&O values come from, each saying so in its `origin`:
 * - the field's enum in the catalog (names, with labels: "Balance sheet" → BalanceSheet);
 * - the keys of the referenced entity in another entity of the project (its source file, as the
 *   grid shows it): customer groups loaded in the same cycle as the customers;
 * - the referenced entity's records in the project's environment, over OData (paged, key field
 *   only with its description, cross-company filtered to the legal entity, Retry-After honoured).
 */
import type { ProjectDocument } from '../../../shared/api/domains/projects';
import type { ValueTargets } from '../../../shared/api/domains/valueMaps';
import { MAX_STORED_TARGETS } from '../../../shared/api/domains/valueMaps';
import { AppError } from '../../../shared/api/errors';
import type { CatalogEntity, CatalogField, CatalogIndex } from '../../../shared/domain/catalog';
import { mapColumns } from '../../../shared/domain/validation';
import type { DmfClients } from '../dmf/dmfClients';
import type { EnvironmentService } from '../environments/environmentService';
import { openProjectSource } from '../jobs/packageEngineAdapter';
import type { PackageEnginePorts } from '../jobs/packageEngineAdapter';

/** Distinct keys read at most from a file or an environment before giving up on keeping them. */
const MAX_READ_KEYS = 1_000_000;
/** Fields that describe a key, in the order they are preferred as its label. */
const LABEL_FIELDS = ['DESCRIPTION', 'NAME', 'TXT'];

export interface Referenced {
  readonly entity: CatalogEntity;
  /** The referenced entity's field whose values are valid. */
  readonly field: string;
}

/** The entity and field a field refers to, from the catalog's relations. */
export function referencedBy(catalog: CatalogIndex, entity: CatalogEntity, field: string): Referenced | null {
  for (const relation of entity.relations) {
    const at = relation.fields.indexOf(field);
    if (at < 0) continue;
    const target = catalog.findEntity(relation.target);
    const targetField = relation.targetFields[at];
    if (target && targetField) return { entity: target, field: targetField };
  }
  return null;
}

export function enumTargets(
  catalog: CatalogIndex,
  field: CatalogField,
  origin: string,
  at: string,
): ValueTargets | null {
  if (!field.enumType) return null;
  const definition = catalog.findEnum(field.enumType);
  if (!definition) return null;
  const values = definition.values.map((v) => ({ value: v.name, ...(v.label !== v.name ? { label: v.label } : {}) }));
  return { kind: 'enum', origin: `enum ${definition.name}, ${origin}`, at, values, count: values.length };
}

/** Keeps distinct values with their first label; past MAX_STORED_TARGETS it only counts them. */
class TargetCollector {
  /** Folded value → the value as first written, and its label. */
  readonly #values = new Map<string, { value: string; label: string | undefined }>();
  readonly #seen = new Set<string>();

  add(value: string, label: string | undefined): void {
    const text = value.trim();
    const key = text.toLowerCase();
    if (key === '' || this.#seen.has(key)) return;
    this.#seen.add(key);
    if (this.#seen.size > MAX_READ_KEYS) {
      throw new AppError(
        'INVALID_INPUT',
        `More than ${MAX_READ_KEYS.toLocaleString('en-US')} distinct values: that is a key list, not the valid values of a code. Map this field through its own entity instead.`,
      );
    }
    if (this.#values.size < MAX_STORED_TARGETS)
      this.#values.set(key, { value: text, label: label?.trim() || undefined });
  }

  targets(kind: ValueTargets['kind'], origin: string, at: string): ValueTargets {
    const count = this.#seen.size;
    // A partial list would call valid values unmapped: keep all of them or none.
    const values =
      count <= MAX_STORED_TARGETS
        ? [...this.#values.values()].map((v) => ({ value: v.value, ...(v.label ? { label: v.label } : {}) }))
        : [];
    return { kind, origin, at, values, count };
  }
}

/** The valid values as the keys of another entity of the project, read from its source file. */
export async function projectEntityTargets(options: {
  readonly dir: string;
  readonly document: ProjectDocument;
  readonly referenced: Referenced;
  readonly editedRows: PackageEnginePorts['editedRows'];
  readonly at: string;
}): Promise<ValueTargets> {
  const { referenced } = options;
  const label = referenced.entity.label;
  const spec = options.document.entities.find((e) => e.label.toLowerCase() === label.toLowerCase());
  if (!spec) {
    throw new AppError(
      'NOT_FOUND',
      `The project has no entity "${label}" to read ${referenced.field} values from: add its source file in the package wizard, or read the values from the environment.`,
    );
  }
  const reader = await openProjectSource(options.dir, spec, options.editedRows);
  try {
    const columns = reader.columns;
    const mapped = spec.mapping
      ? columns.map((c) => ({
          column: c,
          field: spec.mapping?.find((m) => m.sourceColumn.toLowerCase() === c.toLowerCase())?.stagingField ?? null,
        }))
      : mapColumns(columns, referenced.entity);
    const keyAt = mapped.findIndex((m) => m.field?.toUpperCase() === referenced.field);
    if (keyAt < 0) {
      throw new AppError(
        'INVALID_INPUT',
        `${spec.sourceFile} (${spec.label}) has no column for ${referenced.field}: map it in the package wizard first.`,
      );
    }
    const labelAt = LABEL_FIELDS.map((f) => mapped.findIndex((m) => m.field?.toUpperCase() === f)).find((i) => i >= 0);
    const collector = new TargetCollector();
    for await (const batch of reader) {
      for (const row of batch.rows) collector.add(row[keyAt] ?? '', labelAt === undefined ? undefined : row[labelAt]);
    }
    return collector.targets(
      'entity',
      `${referenced.field} of ${spec.label} in ${spec.sourceFile} (this project), ${options.at.slice(0, 10)}`,
      options.at,
    );
  } finally {
    await reader.close();
  }
}

/** The valid values as the referenced entity's records in the project's environment, over OData. */
export async function environmentTargets(options: {
  readonly document: ProjectDocument;
  readonly referenced: Referenced;
  readonly environments: EnvironmentService;
  readonly dmf: DmfClients;
  readonly at: string;
  readonly signal?: AbortSignal;
}): Promise<ValueTargets> {
  const { document, referenced } = options;
  const name = document.binding.environment;
  if (!name) {
    throw new AppError(
      'INVALID_INPUT',
      'The project is bound to no environment: choose one in the package wizard, or read the values from a project entity.',
    );
  }
  const environment = options.environments.get(name);
  const company = document.binding.company ?? null;
  const entity = referenced.entity;
  const field = entity.fields.find((f) => f.name === referenced.field);
  if (!field) {
    throw new AppError('NOT_FOUND', `${entity.label} has no field ${referenced.field} in the catalog.`);
  }
  const labelField = LABEL_FIELDS.map((f) => entity.fields.find((x) => x.name === f)).find((f) => f !== undefined);
  const { dmf } = await options.dmf.open(environment.id);
  const collector = new TargetCollector();
  const filter = entity.companySpecific && company ? `dataAreaId eq '${company.replace(/'/g, "''")}'` : undefined;
  for await (const page of dmf.readCollection(
    entity.publicCollectionName,
    {
      select: [field.publicName, ...(labelField ? [labelField.publicName] : [])],
      crossCompany: entity.companySpecific,
      ...(filter ? { filter } : {}),
      pageSize: 10_000,
    },
    options.signal ? { signal: options.signal } : {},
  )) {
    for (const record of page) {
      const value = record[field.publicName];
      const label = labelField ? record[labelField.publicName] : undefined;
      if (value !== undefined && value !== null)
        collector.add(String(value), label === undefined || label === null ? undefined : String(label));
    }
  }
  const where = entity.companySpecific && company ? ` (${company})` : '';
  return collector.targets(
    'environment',
    `${referenced.field} of ${entity.label} in ${environment.name}${where}, ${options.at.slice(0, 16).replace('T', ' ')}`,
    options.at,
  );
}
