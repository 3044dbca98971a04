import { mkdir, stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type {
  BuiltPackageInfo,
  DownloadLink,
  ValueMapReadiness,
  PackagePlan,
  ReadinessReport,
  SourceReadiness,
  PlannedEntity,
  PlannedField,
  PlannedMapping,
} from '../../../shared/api/domains/packages';
import { DEFAULT_PROCESSING } from '../../../shared/api/domains/packages';
import type { ProjectDocument, ProjectEntity } from '../../../shared/api/domains/projects';
import { AppError } from '../../../shared/api/errors';
import type { CatalogEntity, CatalogIndex } from '../../../shared/domain/catalog';
import { planSequence } from '../../../shared/domain/sequencing';
import { createValidationSession, mapColumns } from '../../../shared/domain/validation';
import type { Finding } from '../../../shared/domain/validation';
import type { DatasetService } from '../datasets/datasetService';
import type { EnvironmentService } from '../environments/environmentService';
import type { PackageEngine } from '../jobs/packageEngine';
import { openProjectSource, sourcePathOf } from '../jobs/packageEngineAdapter';
import type { CatalogService } from '../metadata/liveCatalog';
import type { DownloadOffers } from '../web/downloads';
import type { ProjectService } from './projectService';
import { SourceTally } from './readiness';

/** The value mapping tables' part of the readiness check (electron/services/valueMaps). */
export interface ValueMapReadinessPort {
  readiness(dir: string, spec: ProjectEntity, entity: CatalogEntity): Promise<ValueMapReadiness[]>;
}

/**
 * The package wizard's two answers about a project: how its package would look (sources,
 * mapping, mandatory fields, options, sequence with reasons), and the package itself, built by
 * the same engine the import jobs use, so that "save" and "run" produce the same bytes.
 */
export class ProjectPackages {
  readonly #projects: ProjectService;
  readonly #catalogs: CatalogService;
  readonly #environments: EnvironmentService;
  readonly #datasets: DatasetService;
  readonly #packages: PackageEngine;
  readonly #downloads: DownloadOffers | null;
  /** Packages saved by build() in this run: the only files downloadLink() offers. */
  readonly #built = new Set<string>();
  readonly #valueMaps: ValueMapReadinessPort | null;

  constructor(options: {
    projects: ProjectService;
    catalogs: CatalogService;
    environments: EnvironmentService;
    datasets: DatasetService;
    packages: PackageEngine;
    /** Browser mode: files its page may download. */
    downloads?: DownloadOffers | null;
    valueMaps?: ValueMapReadinessPort;
  }) {
    this.#downloads = options.downloads ?? null;
    this.#valueMaps = options.valueMaps ?? null;
    this.#projects = options.projects;
    this.#catalogs = options.catalogs;
    this.#environments = options.environments;
    this.#datasets = options.datasets;
    this.#packages = options.packages;
  }

  /** The catalog the wizard plans with: an environment's metadata when chosen, else the bound one's or the built-in. */
  async #catalog(document: ProjectDocument, environmentId?: string | null) {
    return environmentId
      ? this.#catalogs.catalog(environmentId)
      : this.#catalogs.cachedOrBuiltIn(this.#boundEnvironment(document));
  }

  async plan(dir: string, environmentId?: string | null): Promise<PackagePlan> {
    const project = await this.#projects.open(dir);
    const document = project.document;
    const loaded = await this.#catalog(document, environmentId);
    const catalog = loaded.index;
    const entities: PlannedEntity[] = [];
    for (const spec of document.entities) entities.push(await this.#planEntity(project.dir, spec, catalog));
    const known = document.entities.filter((e) => e.enabled && catalog.findEntity(e.label));
    const plan = planSequence(
      known.map((e) => ({
        entity: e.label,
        ...(e.sequence
          ? {
              fixed: {
                executionUnit: e.sequence.unit,
                level: e.sequence.level,
                sequence: e.sequence.sequence,
                origin: 'override' as const,
              },
            }
          : {}),
      })),
      catalog,
    );
    return {
      dir: project.dir,
      document,
      catalogOrigin: loaded.origin,
      entities,
      sequence: { placements: plan.placements, units: plan.units, cycles: plan.cycles, warnings: plan.warnings },
    };
  }

  /**
   * The readiness check: every enabled entity's rows, read as the package build reads them (the
   * grid's rows when it holds the file), validated with the project's mapping against the entity,
   * references checked across the package's entities. Streams each source once.
   */
  async check(dir: string, environmentId?: string | null): Promise<ReadinessReport> {
    const project = await this.#projects.open(dir);
    const catalog = (await this.#catalog(project.document, environmentId)).index;
    const specs = project.document.entities.filter((e) => e.enabled && catalog.findEntity(e.label));
    const session = createValidationSession({
      catalog,
      packageEntities: specs.map((e) => catalog.requireEntity(e.label).label),
    });
    const tallies = new Map<string, SourceTally>();
    const sources: Omit<SourceReadiness, 'errors' | 'warnings' | 'rules'>[] = [];
    for (const spec of specs) {
      const entity = catalog.requireEntity(spec.label);
      const path = sourcePathOf(project.dir, spec);
      const tally = new SourceTally();
      tallies.set(entity.label, tally);
      let rows = 0;
      let fromGrid = false;
      let problem: string | null = null;
      try {
        const reader = await openProjectSource(project.dir, spec, (p) => this.#datasets.editedRows(p));
        try {
          fromGrid = 'dataset' in reader.info;
          // Only the columns the package carries are checked, with the fields they feed.
          const mapped = new Map(mappingOf(spec, reader.columns, entity).map((m) => [m.sourceColumn, m.stagingField]));
          const validator = session.validator(
            entity.label,
            reader.columns.map((column) => ({ column, field: mapped.get(column) ?? null })),
          );
          tally.see(validator.headerFindings);
          for await (const batch of reader) {
            // Rows are numbered as in the source (the grid's rows keep their ids), for the link into the grid.
            tally.see(validator.validateRows(batch.rows, batch.firstRow));
            rows += batch.rows.length;
          }
          tally.see(validator.finish());
          tally.count(validator.summary());
        } finally {
          await reader.close();
        }
        if (this.#valueMaps) tallyValueMaps(tally, await this.#valueMaps.readiness(project.dir, spec, entity));
      } catch (error) {
        problem = error instanceof AppError ? error.message : `${spec.sourceFile} cannot be read: ${String(error)}.`;
      }
      sources.push({ label: entity.label, sourceFile: spec.sourceFile, path, fromGrid, rows, problem });
    }
    for (const late of session.finish()) tallies.get(late.entity)?.late(late.findings);
    const checked = sources.map((s) => ({
      ...s,
      ...(tallies.get(s.label)?.result() ?? { errors: 0, warnings: 0, rules: [] }),
    }));
    return {
      dir: project.dir,
      sources: checked,
      errors: checked.reduce((n, s) => n + s.errors, 0),
      warnings: checked.reduce((n, s) => n + s.warnings, 0),
    };
  }

  async build(dir: string, out: string, overwrite: boolean): Promise<BuiltPackageInfo> {
    const project = await this.#projects.open(dir);
    const target = resolve(out);
    const existing = await stat(target).catch(() => null);
    if (existing?.isDirectory()) {
      throw new AppError('INVALID_INPUT', `${target} is a folder: give the package a file name ending in .zip.`);
    }
    if (existing && !overwrite) {
      throw new AppError('CONFLICT', `${target} already exists. Choose another name, or replace it.`);
    }
    await mkdir(dirname(target), { recursive: true });
    const built = await this.#packages.buildFromProject(project.dir, project.document, target, {
      ...(project.document.binding.dataProject ? { dataProject: project.document.binding.dataProject } : {}),
    });
    this.#built.add(target);
    return {
      path: target,
      bytes: (await stat(target)).size,
      definitionGroup: built.definitionGroup ?? project.document.name,
      entities: built.entities.map((e) => ({
        label: e.label,
        dataFile: e.dataFile,
        rows: built.rows[e.label] ?? 0,
        executionUnit: e.executionUnit,
        level: e.level,
        sequence: e.sequence,
      })),
    };
  }

  /** Browser mode: the address the page downloads a package saved here from. */
  async downloadLink(path: string): Promise<DownloadLink> {
    const file = resolve(path);
    if (!this.#downloads) {
      throw new AppError('FORBIDDEN', `There is nothing to download here: the package is on this computer at ${file}.`);
    }
    if (!this.#built.has(file)) {
      throw new AppError(
        'FORBIDDEN',
        `${file} was not saved by the package wizard in this session: only such packages can be downloaded. Save it again.`,
      );
    }
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) throw new AppError('NOT_FOUND', `There is no file ${file} any more: save the package again.`);
    const name = basename(file);
    return { url: this.#downloads.offer(file, name, 'application/zip'), name, bytes: info.size };
  }

  #boundEnvironment(document: ProjectDocument): string | null {
    const name = document.binding.environment;
    return name ? (this.#environments.list().environments.find((e) => e.name === name)?.id ?? null) : null;
  }

  async #planEntity(projectDir: string, spec: ProjectEntity, catalog: CatalogIndex): Promise<PlannedEntity> {
    const entity = catalog.findEntity(spec.label) ?? null;
    const path = sourcePathOf(projectDir, spec);
    let columns: readonly string[] = [];
    let rows: number | null = null;
    let source: PlannedEntity['source'] = 'file';
    let sourceProblem: string | null = null;
    try {
      const open = await this.#datasets.openedFile(path);
      if (open && open.state === 'ready') {
        columns = open.columns.filter((c) => !c.readOnly).map((c) => c.name);
        rows = open.rowCount;
        source = 'grid';
      } else {
        // Only the header is read; the rows are read when the package is built.
        const reader = await openProjectSource(projectDir, spec, undefined);
        columns = reader.columns;
        await reader.close();
      }
    } catch (error) {
      source = 'missing';
      sourceProblem =
        error instanceof AppError
          ? error.message
          : `${spec.sourceFile} cannot be read: ${error instanceof Error ? error.message : String(error)}.`;
    }
    const mapping = entity ? mappingOf(spec, columns, entity) : [];
    const mappedFields = new Map(mapping.map((m) => [m.stagingField, m.sourceColumn]));
    const fields: PlannedField[] = (entity?.fields ?? []).map((f) => ({
      name: f.name,
      type: f.type,
      maxLength: f.maxLength ?? null,
      mandatory: f.mandatory,
      key: entity?.keys.includes(f.name) ?? false,
      mappedFrom: mappedFields.get(f.name) ?? null,
    }));
    const used = new Set(mapping.map((m) => m.sourceColumn.toLowerCase()));
    const present = new Set(columns.map((c) => c.toLowerCase()));
    const gone =
      source === 'missing' ? [] : (spec.mapping ?? []).filter((m) => !present.has(m.sourceColumn.toLowerCase()));
    if (gone.length > 0 && sourceProblem === null) {
      sourceProblem = `${spec.sourceFile} has no column ${gone.map((m) => `"${m.sourceColumn}"`).join(', ')} any more: map its fields again.`;
    }
    const valueMaps =
      entity && source !== 'missing' && this.#valueMaps
        ? await this.#valueMaps.readiness(projectDir, spec, entity)
        : [];
    return {
      label: entity?.label ?? spec.label,
      targetEntity: entity?.targetEntity ?? null,
      enabled: spec.enabled,
      sourceFile: spec.sourceFile,
      source,
      sourceProblem:
        sourceProblem ??
        (entity
          ? null
          : `"${spec.label}" is not an entity of this catalog: choose the entity again, or read the environment's metadata.`),
      columns,
      rows,
      mapping,
      unmappedColumns: columns.filter((c) => c.trim() !== '' && !used.has(c.toLowerCase())),
      fields,
      missingMandatory: fields.filter((f) => f.mandatory && f.mappedFrom === null).map((f) => f.name),
      refreshType: spec.refreshType ?? 'FullPush',
      changeTracking: spec.changeTracking ?? 'none',
      processing: { ...DEFAULT_PROCESSING, ...spec.processing },
      valueMaps,
    };
  }
}

/**
 * The project's mapping where it has one (manual where it differs from the name match), else
 * columns named like a staging field or its public name, as DMF's "generate source mapping" does.
 */
function mappingOf(spec: ProjectEntity, columns: readonly string[], entity: CatalogEntity): PlannedMapping[] {
  const byName = new Map<string, string>();
  for (const m of mapColumns(columns, entity)) {
    if (m.field && entity.fields.some((f) => f.name === m.field)) byName.set(m.column.toLowerCase(), m.field);
  }
  if (spec.mapping) {
    const present = new Set(columns.map((c) => c.toLowerCase()));
    return spec.mapping
      .filter((m) => present.has(m.sourceColumn.toLowerCase()))
      .map((m) => ({
        sourceColumn: columns.find((c) => c.toLowerCase() === m.sourceColumn.toLowerCase()) ?? m.sourceColumn,
        stagingField: m.stagingField.toUpperCase(),
        origin: byName.get(m.sourceColumn.toLowerCase()) === m.stagingField.toUpperCase() ? 'name' : 'manual',
      }));
  }
  return columns
    .filter((c) => byName.has(c.toLowerCase()))
    .map((c) => ({ sourceColumn: c, stagingField: byName.get(c.toLowerCase()) as string, origin: 'name' as const }));
}

/** The value tables' rows still holding legacy or unmapped values, as warnings of the check (rule value-map). */
function tallyValueMaps(tally: SourceTally, maps: readonly ValueMapReadiness[]): void {
  for (const m of maps) {
    const column = m.column ?? m.field;
    const source = `the project's value table "${m.name}"`;
    const examples: Finding[] = [];
    if (m.legacyRows > 0) {
      examples.push({
        row: 0,
        column,
        field: m.field,
        rule: 'value-map',
        severity: 'warning',
        message: `${m.legacyRows} rows still hold legacy values: apply "${m.name}" (Sources › Values › Value mapping).`,
        source,
      });
    }
    if (m.unmappedRows > 0) {
      examples.push({
        row: 0,
        column,
        field: m.field,
        rule: 'value-map',
        severity: 'warning',
        message: `${m.unmappedRows} rows hold values "${m.name}" does not map (${m.unmapped.map((v) => `"${v}"`).join(', ')}).`,
        source,
      });
    }
    tally.counted('value-map', 'warning', m.legacyRows + m.unmappedRows, examples);
  }
}
