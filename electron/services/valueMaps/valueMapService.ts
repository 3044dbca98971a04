/**
 * Value mapping tables of a project (contract `values.*`): created per entity and staging
 * field, filled by the consultant from a source column's distinct values and the suggestions,
 * applied to the grid's rows as a recipe step, checked in the grid (findings) and in the package
 * wizard, exported for and imported from a client's process owner. Every change records who made
 * it: the account signed in to the project's environment, else the operating-system user.
 */
import type { Publish } from '../../../shared/api/contract';
import type { DatasetInfo, DatasetView, RecipeApplyResult, RecipeStep } from '../../../shared/api/domains/datasets';
import type { ValueMapReadiness } from '../../../shared/api/domains/packages';
import type { ProjectDocument, ProjectEntity } from '../../../shared/api/domains/projects';
import type {
  DraftValue,
  TargetKind,
  ValueMapDetail,
  ValueMapDraft,
  ValueMapFile,
  ValueMapSummary,
  ValueRuleInput,
  ValueTargets,
} from '../../../shared/api/domains/valueMaps';
import { VALUE_MAP_SCHEMA_VERSION } from '../../../shared/api/domains/valueMaps';
import { AppError } from '../../../shared/api/errors';
import type { CatalogEntity, CatalogIndex } from '../../../shared/domain/catalog';
import { changeRules, suggestMappings, tableProblems, valueChecker } from '../../../shared/domain/valueMapping';
import type { ValueMappingTable, ValueRule, ValueStatus } from '../../../shared/domain/valueMapping';
import type { DatasetService, ValueMapPort } from '../datasets/datasetService';
import type { ValueCheck } from '../datasets/store/validation';
import type { DmfClients } from '../dmf/dmfClients';
import type { EnvironmentService } from '../environments/environmentService';
import { openProjectSource, sourcePathOf } from '../jobs/packageEngineAdapter';
import type { CatalogService } from '../metadata/liveCatalog';
import type { ValueMapReadinessPort } from '../projects/projectPackages';
import type { ProjectService } from '../projects/projectService';
import { exportTable, readTableFile } from './tableFiles';
import { enumTargets, environmentTargets, projectEntityTargets, referencedBy } from './targets';
import type { Referenced } from './targets';
import { ValueMapStore } from './valueMapStore';
import { stat } from 'node:fs/promises';

const HISTORY_KEPT = 2000;
/** Distinct values counted per column for the readiness check (a code column has far fewer). */
const READINESS_DISTINCT = 100_000;
/** Source files whose value counts are kept between two plans of the wizard. */
const COUNTS_CACHED = 8;
const ALL_ROWS: DatasetView = { sort: [], filters: [], issues: null };

export interface ValueMapServiceOptions {
  readonly projects: ProjectService;
  readonly catalogs: CatalogService;
  readonly environments: EnvironmentService;
  readonly datasets: DatasetService;
  readonly dmf: DmfClients;
  readonly publish: Publish;
  /** Who is making a change in a project: the signed-in account of its environment, else the OS user. */
  readonly actor: (project: ProjectDocument) => Promise<string>;
  readonly now?: () => Date;
}

/** The table as the domain functions take it. */
const domainTable = (file: ValueMapFile): ValueMappingTable => ({
  id: file.id,
  entity: file.entity,
  field: file.field,
  rules: file.rules,
});

const targetValues = (file: ValueMapFile): string[] | null =>
  file.targets && file.targets.values.length > 0 ? file.targets.values.map((t) => t.value) : null;

export function summaryOf(file: ValueMapFile): ValueMapSummary {
  const last = file.history.at(-1);
  return {
    id: file.id,
    name: file.name,
    entity: file.entity,
    field: file.field,
    sourceColumn: file.sourceColumn ?? null,
    rules: file.rules.length,
    targets: file.targets?.count ?? 0,
    targetsOrigin: file.targets?.origin ?? null,
    changedAt: last?.at ?? null,
    changedBy: last?.by ?? null,
    problems: tableProblems(domainTable(file)),
  };
}

const detailOf = (file: ValueMapFile): ValueMapDetail => ({ ...summaryOf(file), file });

/** "Customers V3" + "PAYMENTTERMS" → "customers-v3--paymentterms". */
function slug(entity: string, field: string): string {
  const part = (text: string) =>
    text
      .toLowerCase()
      .normalize('NFD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 45) || 'x';
  return `${part(entity)}--${part(field)}`;
}

export class ValueMapService implements ValueMapPort, ValueMapReadinessPort {
  readonly #o: ValueMapServiceOptions;
  readonly #store = new ValueMapStore();
  /** Value counts of unchanged source files, by path, size and time: the wizard plans after every change. */
  readonly #counts = new Map<string, Map<string, Map<string, number>>>();

  constructor(options: ValueMapServiceOptions) {
    this.#o = options;
  }

  get store(): ValueMapStore {
    return this.#store;
  }

  #now(): string {
    return (this.#o.now?.() ?? new Date()).toISOString();
  }

  async #project(dir: string): Promise<{ dir: string; document: ProjectDocument }> {
    const summary = await this.#o.projects.open(dir);
    return { dir: summary.dir, document: summary.document };
  }

  async #catalog(document: ProjectDocument): Promise<{ index: CatalogIndex; origin: string }> {
    const name = document.binding.environment;
    const id = name ? this.#o.environments.list().environments.find((e) => e.name === name)?.id : undefined;
    const loaded = await this.#o.catalogs.cachedOrBuiltIn(id);
    return {
      index: loaded.index,
      origin: loaded.origin === 'Built-in catalog' ? 'built-in catalog' : `${loaded.origin} metadata`,
    };
  }

  #entity(catalog: CatalogIndex, label: string): CatalogEntity {
    try {
      return catalog.requireEntity(label);
    } catch (error) {
      throw new AppError('NOT_FOUND', error instanceof Error ? error.message : String(error));
    }
  }

  async list(dir: string): Promise<ValueMapSummary[]> {
    await this.#project(dir);
    return (await this.#store.list(dir)).map(summaryOf);
  }

  async get(dir: string, id: string): Promise<ValueMapDetail> {
    return detailOf(await this.#store.get(dir, id));
  }

  async create(
    dir: string,
    spec: { entity: string; field: string; name?: string; sourceColumn?: string },
  ): Promise<ValueMapDetail> {
    const project = await this.#project(dir);
    const catalog = await this.#catalog(project.document);
    const entity = this.#entity(catalog.index, spec.entity);
    const field = catalog.index.findField(entity, spec.field);
    if (!field) {
      throw new AppError(
        'NOT_FOUND',
        `${entity.label} has no field ${spec.field} in the ${catalog.origin}: give its staging field name (e.g. ${entity.fields[0]?.name ?? 'ACCOUNT'}).`,
      );
    }
    const existing = await this.#store.list(project.dir);
    const taken = existing.find((t) => t.entity === entity.label && t.field === field.name);
    if (taken) {
      throw new AppError(
        'CONFLICT',
        `The project already maps ${entity.label} ${field.name} with the table "${taken.name}": change that one.`,
      );
    }
    const base = slug(entity.label, field.name);
    let id = base;
    for (let n = 2; existing.some((t) => t.id === id); n++) id = `${base}-${n}`;
    const at = this.#now();
    const by = await this.#o.actor(project.document);
    const file: ValueMapFile = {
      schemaVersion: VALUE_MAP_SCHEMA_VERSION,
      id,
      name: spec.name ?? `${entity.label} ${field.name}`,
      entity: entity.label,
      field: field.name,
      ...(spec.sourceColumn ? { sourceColumn: spec.sourceColumn } : {}),
      targets: enumTargets(catalog.index, field, catalog.origin, at),
      rules: [],
      history: [{ at, by, change: `created the table for ${entity.label} ${field.name}` }],
    };
    return this.#changed(project.dir, await this.#store.create(project.dir, file));
  }

  async setRules(
    dir: string,
    id: string,
    set: readonly ValueRuleInput[],
    remove: readonly Pick<ValueRule, 'kind' | 'from'>[],
    note?: string,
  ): Promise<ValueMapDetail> {
    const project = await this.#project(dir);
    const by = await this.#o.actor(project.document);
    const at = this.#now();
    const file = await this.#store.update(project.dir, id, (table) => {
      const { rules, changes } = changeRules(table.rules, set, remove, { changedBy: by, changedAt: at });
      if (changes.length === 0) return table;
      return this.#withHistory({ ...table, rules }, at, by, changes, note);
    });
    return this.#changed(project.dir, file);
  }

  #withHistory(table: ValueMapFile, at: string, by: string, changes: readonly string[], note?: string): ValueMapFile {
    // One history line per change, but a bulk change (an import) is one line saying how many.
    const lines =
      changes.length <= 20
        ? changes.map((change) => ({ at, by, change: note ? `${change} (${note})` : change }))
        : [
            {
              at,
              by,
              change: `${changes.length} changes${note ? ` (${note})` : ''}: ${changes.slice(0, 5).join('; ')}; …`,
            },
          ];
    return { ...table, history: [...table.history, ...lines].slice(-HISTORY_KEPT) };
  }

  async delete(dir: string, id: string): Promise<boolean> {
    const project = await this.#project(dir);
    const deleted = await this.#store.delete(project.dir, id);
    if (deleted) {
      this.#o.publish('values.changed', { dir: project.dir, id, table: null });
      await this.#o.datasets.refreshValueChecks(project.dir);
    }
    return deleted;
  }

  async readTargets(
    dir: string,
    id: string,
    from: TargetKind,
    options: { entity?: string; values?: readonly { value: string; label?: string }[] } = {},
  ): Promise<ValueMapDetail> {
    const project = await this.#project(dir);
    const table = await this.#store.get(project.dir, id);
    const catalog = await this.#catalog(project.document);
    const entity = this.#entity(catalog.index, table.entity);
    const at = this.#now();
    let targets: ValueTargets;
    if (from === 'manual') {
      const values = options.values ?? [];
      targets = {
        kind: 'manual',
        origin: `typed in the workbench, ${at.slice(0, 10)}`,
        at,
        values: [...values],
        count: values.length,
      };
    } else if (from === 'enum') {
      const field = catalog.index.findField(entity, table.field);
      const found = field ? enumTargets(catalog.index, field, catalog.origin, at) : null;
      if (!found) {
        throw new AppError(
          'INVALID_INPUT',
          `${entity.label} ${table.field} is not an enum field in the ${catalog.origin}: read its values from a project entity or the environment.`,
        );
      }
      targets = found;
    } else {
      const referenced = this.#referenced(catalog, entity, table.field, from === 'entity' ? options.entity : undefined);
      targets =
        from === 'entity'
          ? await projectEntityTargets({
              dir: project.dir,
              document: project.document,
              referenced,
              editedRows: (path) => this.#o.datasets.editedRows(path),
              at,
            })
          : await environmentTargets({
              document: project.document,
              referenced,
              environments: this.#o.environments,
              dmf: this.#o.dmf,
              at,
            });
    }
    const by = await this.#o.actor(project.document);
    const file = await this.#store.update(project.dir, id, (t) =>
      this.#withHistory({ ...t, targets }, at, by, [
        `read ${targets.count.toLocaleString('en-US')} valid values from ${targets.origin}${targets.values.length === 0 && targets.count > 0 ? ' (too many to keep in the file)' : ''}`,
      ]),
    );
    return this.#changed(project.dir, file);
  }

  /**
   * The entity and field holding a field's valid values: the one its relation names, or the
   * entity the consultant chose (its single key field).
   */
  #referenced(
    catalog: { index: CatalogIndex; origin: string },
    entity: CatalogEntity,
    field: string,
    chosenLabel: string | undefined,
  ): Referenced {
    const related = referencedBy(catalog.index, entity, field);
    if (chosenLabel === undefined) {
      if (related) return related;
      throw new AppError(
        'INVALID_INPUT',
        `The ${catalog.origin} knows no entity that ${entity.label} ${field} refers to: name the project entity that holds its values, or type them.`,
      );
    }
    const chosen = this.#entity(catalog.index, chosenLabel);
    if (related && related.entity === chosen) return related;
    const [key, ...more] = chosen.keys;
    if (!key || more.length > 0) {
      throw new AppError(
        'INVALID_INPUT',
        `${chosen.label} has ${chosen.keys.length === 0 ? 'no known key' : `a key of ${chosen.keys.length} fields`}: the values of ${field} cannot be read from it.`,
      );
    }
    return { entity: chosen, field: key };
  }

  /** The dataset column a table maps: the one named, else its source column, else one named like the field. */
  #column(info: DatasetInfo, table: ValueMapFile, catalogEntity: CatalogEntity | undefined, named?: string): number {
    const columns = info.columns.filter((c) => !c.readOnly);
    const find = (name: string) => columns.find((c) => c.name.trim().toLowerCase() === name.trim().toLowerCase());
    const publicName = catalogEntity?.fields.find((f) => f.name === table.field)?.publicName;
    const column = named
      ? find(named)
      : ((table.sourceColumn ? find(table.sourceColumn) : undefined) ??
        find(table.field) ??
        (publicName ? find(publicName) : undefined));
    if (!column) {
      throw new AppError(
        'INVALID_INPUT',
        named
          ? `${info.name} has no column ${named}: pick one of its columns.`
          : `${info.name} has no column for ${table.field}${table.sourceColumn ? ` (nor ${table.sourceColumn})` : ''}: say which column the table maps.`,
      );
    }
    return column.index;
  }

  async draft(
    dir: string,
    id: string,
    datasetId: string,
    columnName: string | undefined,
    limit: number,
  ): Promise<ValueMapDraft> {
    const project = await this.#project(dir);
    const table = await this.#store.get(project.dir, id);
    const catalog = await this.#catalog(project.document);
    await this.#o.datasets.useProject(datasetId, project.dir);
    const info = await this.#o.datasets.get(datasetId);
    const column = this.#column(info, table, catalog.index.findEntity(table.entity), columnName);
    const facet = await this.#o.datasets.facet(datasetId, ALL_ROWS, column, limit);
    const check = valueChecker(domainTable(table), targetValues(table));
    const counts: Record<ValueStatus, number> = { legacy: 0, valid: 0, unmapped: 0, blank: 0 };
    const checked = facet.values.map((v) => ({ ...v, checked: check(v.value) }));
    const unmapped = checked.filter((v) => v.checked.status === 'unmapped').map((v) => v.value);
    const labels = new Map((table.targets?.values ?? []).map((t) => [t.value, t.label ?? null]));
    const suggestions = new Map(
      suggestMappings(
        unmapped,
        (table.targets?.values ?? []).map((t) => ({ ...t, origin: table.targets?.origin ?? '' })),
        { limit: 3 },
      ).map((s) => [s.from, s.suggestions]),
    );
    const values: DraftValue[] = checked.map((v) => {
      counts[v.checked.status]++;
      return {
        value: v.value,
        count: v.count,
        status: v.checked.status,
        mappedTo: v.checked.to ?? null,
        rule: (v.checked.rule as DraftValue['rule'] | undefined) ?? null,
        suggestions: (suggestions.get(v.value) ?? []).map((s) => ({
          to: s.to,
          label: labels.get(s.to) ?? null,
          score: s.score,
          reason: s.reason,
        })),
      };
    });
    return {
      table: detailOf(table),
      column: info.columns[column]?.name ?? '',
      values,
      distinct: facet.distinct,
      rows: facet.rows,
      counts,
      truncated: facet.truncated || facet.values.length < facet.distinct,
    };
  }

  /** The recipe step that applies a table to a column. */
  #step(table: ValueMapFile, column: string): RecipeStep {
    return {
      op: 'mapValues',
      column,
      table: table.id,
      name: table.name,
      rules: [...table.rules],
      targets: targetValues(table) ?? [],
      where: { filters: [], issues: null },
    };
  }

  async apply(dir: string, id: string, datasetId: string, columnName?: string): Promise<RecipeApplyResult> {
    const project = await this.#project(dir);
    const table = await this.#store.get(project.dir, id);
    const problems = tableProblems(domainTable(table));
    if (problems.length > 0) {
      throw new AppError('INVALID_INPUT', `The value table "${table.name}" is ambiguous: ${problems.join(' ')}`);
    }
    if (table.rules.length === 0) {
      throw new AppError('INVALID_INPUT', `The value table "${table.name}" has no rules yet: map some values first.`);
    }
    const catalog = await this.#catalog(project.document);
    await this.#o.datasets.useProject(datasetId, project.dir);
    const info = await this.#o.datasets.get(datasetId);
    const column = this.#column(info, table, catalog.index.findEntity(table.entity), columnName);
    return this.#o.datasets.applyRecipe(datasetId, { steps: [this.#step(table, info.columns[column]?.name ?? '')] });
  }

  async export(
    dir: string,
    id: string,
    path: string,
    options: { datasetId?: string; column?: string; overwrite: boolean },
  ): Promise<{ path: string; rows: number }> {
    const project = await this.#project(dir);
    const table = await this.#store.get(project.dir, id);
    const draft = options.datasetId
      ? await this.draft(project.dir, id, options.datasetId, options.column, 20_000)
      : null;
    return exportTable(table, draft, path, options.overwrite);
  }

  async import(dir: string, id: string, path: string) {
    const project = await this.#project(dir);
    const table = await this.#store.get(project.dir, id);
    const read = await readTableFile(path, table);
    const by = await this.#o.actor(project.document);
    const at = this.#now();
    const file = await this.#store.update(project.dir, id, (t) => {
      const { rules, changes } = changeRules(t.rules, read.rules, [], { changedBy: by, changedAt: at });
      return changes.length === 0
        ? t
        : this.#withHistory({ ...t, rules }, at, by, changes, `imported from ${read.file}`);
    });
    const detail = this.#changed(project.dir, file);
    const listed = new Set(read.rules.map((r) => `${r.kind}\u0000${(r.from ?? '').trim().toLowerCase()}`));
    const before = new Map(table.rules.map((r) => [`${r.kind}\u0000${(r.from ?? '').trim().toLowerCase()}`, r]));
    let added = 0;
    let changed = 0;
    let unchanged = 0;
    for (const rule of read.rules) {
      const earlier = before.get(`${rule.kind}\u0000${(rule.from ?? '').trim().toLowerCase()}`);
      if (!earlier) added++;
      else if ((earlier.to ?? '') === (rule.to ?? '') && (earlier.note ?? '') === (rule.note ?? '')) unchanged++;
      else changed++;
    }
    const notInFile = table.rules.filter(
      (r) => !listed.has(`${r.kind}\u0000${(r.from ?? '').trim().toLowerCase()}`),
    ).length;
    return { table: detail, added, changed, unchanged, notInFile, skipped: read.skipped };
  }

  #changed(dir: string, file: ValueMapFile): ValueMapDetail {
    this.#o.publish('values.changed', { dir, id: file.id, table: summaryOf(file) });
    // The grid's findings follow the table.
    void this.#o.datasets.refreshValueChecks(dir).catch(() => undefined);
    return detailOf(file);
  }

  // ------------------------------------------------------------------ the wizard's readiness check

  /**
   * For each table over an entity of the project: the rows of its source (as the package would
   * be built from it: the grid's edits in) that still hold legacy values or values no rule maps.
   */
  async readiness(dir: string, spec: ProjectEntity, entity: CatalogEntity): Promise<ValueMapReadiness[]> {
    const tables = (await this.#store.list(dir)).filter((t) => t.entity === entity.label && t.rules.length > 0);
    if (tables.length === 0) return [];
    const path = sourcePathOf(dir, spec);
    const open = await this.#o.datasets.openedFile(path);
    const columns = open
      ? open.columns.filter((c) => !c.readOnly).map((c) => c.name)
      : await (async () => {
          const reader = await openProjectSource(dir, spec, undefined);
          await reader.close();
          return reader.columns;
        })();
    const wanted = new Map<ValueMapFile, string | null>(
      tables.map((t) => [t, this.#sourceColumn(t, spec, entity, columns)]),
    );
    const names = [...new Set([...wanted.values()].filter((c): c is string => c !== null))];
    const counts = open ? await this.#openCounts(open, names) : await this.#fileCounts(dir, spec, path, names);
    return tables.map((table) => {
      const column = wanted.get(table) ?? null;
      const check = valueChecker(domainTable(table), targetValues(table));
      let legacyRows = 0;
      let unmappedRows = 0;
      const unmapped: { value: string; count: number }[] = [];
      for (const [value, n] of (column ? counts.get(column) : undefined) ?? []) {
        const status = check(value).status;
        if (status === 'legacy') legacyRows += n;
        if (status === 'unmapped') {
          unmappedRows += n;
          unmapped.push({ value, count: n });
        }
      }
      unmapped.sort((a, b) => b.count - a.count);
      return {
        table: table.id,
        name: table.name,
        field: table.field,
        column,
        legacyRows,
        unmappedRows,
        unmapped: unmapped.slice(0, 5).map((u) => u.value),
      };
    });
  }

  /** The source column a table maps: its own, the project's mapping of the field, or one named like it. */
  #sourceColumn(
    table: ValueMapFile,
    spec: ProjectEntity,
    entity: CatalogEntity,
    columns: readonly string[],
  ): string | null {
    const mapped = spec.mapping?.find((m) => m.stagingField.toUpperCase() === table.field)?.sourceColumn;
    const publicName = entity.fields.find((f) => f.name === table.field)?.publicName;
    for (const name of [table.sourceColumn, mapped, table.field, publicName]) {
      const found = name ? columns.find((c) => c.trim().toLowerCase() === name.trim().toLowerCase()) : undefined;
      if (found) return found;
    }
    return null;
  }

  async #openCounts(open: DatasetInfo, names: readonly string[]): Promise<Map<string, Map<string, number>>> {
    const counts = new Map<string, Map<string, number>>();
    for (const name of names) {
      const column = open.columns.findIndex((c) => c.name === name);
      const facet = await this.#o.datasets.facet(open.id, ALL_ROWS, column, READINESS_DISTINCT);
      counts.set(name, new Map(facet.values.map((v) => [v.value, v.count])));
    }
    return counts;
  }

  async #fileCounts(
    dir: string,
    spec: ProjectEntity,
    path: string,
    names: readonly string[],
  ): Promise<Map<string, Map<string, number>>> {
    const info = await stat(path);
    const key = `${path}\u0000${info.size}\u0000${info.mtimeMs}\u0000${names.join('\u0001')}`;
    const cached = this.#counts.get(key);
    if (cached) return cached;
    const reader = await openProjectSource(dir, spec, (p) => this.#o.datasets.editedRows(p));
    const counts = new Map(names.map((n) => [n, new Map<string, number>()]));
    try {
      const at = names.map((n) => reader.columns.indexOf(n));
      for await (const batch of reader) {
        for (const row of batch.rows) {
          at.forEach((c, i) => {
            const values = counts.get(names[i] ?? '');
            if (c < 0 || !values) return;
            const value = row[c] ?? '';
            const n = values.get(value);
            if (n !== undefined) values.set(value, n + 1);
            else if (values.size < READINESS_DISTINCT) values.set(value, 1);
          });
        }
      }
    } finally {
      await reader.close();
    }
    this.#counts.set(key, counts);
    if (this.#counts.size > COUNTS_CACHED) this.#counts.delete(this.#counts.keys().next().value as string);
    return counts;
  }

  // ------------------------------------------------------------------ the grid's port

  async checks(project: string, entity: string, columns: readonly string[]): Promise<ValueCheck[]> {
    const { document } = await this.#project(project);
    const catalog = await this.#catalog(document);
    const wanted = catalog.index.findEntity(entity)?.label ?? entity;
    const lower = new Map(columns.map((c) => [c.trim().toLowerCase(), c]));
    const checks: ValueCheck[] = [];
    for (const table of await this.#store.list(project)) {
      if ((catalog.index.findEntity(table.entity)?.label ?? table.entity) !== wanted) continue;
      const publicName = catalog.index.findEntity(table.entity)?.fields.find((f) => f.name === table.field)?.publicName;
      const column = [table.sourceColumn, table.field, publicName]
        .filter((c): c is string => typeof c === 'string')
        .map((c) => lower.get(c.trim().toLowerCase()))
        .find((c) => c !== undefined);
      if (!column || table.rules.length === 0) continue;
      checks.push({ column, table: table.id, name: table.name, rules: table.rules, targets: targetValues(table) });
    }
    return checks;
  }

  async refresh(project: string, steps: readonly RecipeStep[]): Promise<RecipeStep[]> {
    const out: RecipeStep[] = [];
    for (const step of steps) {
      if (step.op !== 'mapValues' || !(await this.#store.exists(project, step.table))) {
        out.push(step);
        continue;
      }
      const table = await this.#store.get(project, step.table);
      out.push({ ...this.#step(table, step.column), where: step.where });
    }
    return out;
  }
}
