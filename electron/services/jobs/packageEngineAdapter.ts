import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { finished } from 'node:stream/promises';
import type { ProjectDocument, ProjectEntity } from '../../../shared/api/domains/projects';
import { AppError } from '../../../shared/api/errors';
import { UnknownEntityError } from '../../../shared/domain/catalog';
import type { CatalogEntity, CatalogIndex } from '../../../shared/domain/catalog';
import { CSV_UNICODE_DIALECT } from '../../../shared/domain/dialects/csvDialect';
import { dataFileKind, defaultFormatForFile } from '../../../shared/domain/package/formats';
import {
  comparePlacement,
  createEntityMap,
  createManifest,
  createPackageEntity,
  createPackageHeader,
  entityPlacement,
} from '../../../shared/domain/package/model';
import type { PackageEntity } from '../../../shared/domain/package/model';
import { dataFileName, manifestExcelSheetName } from '../../../shared/domain/package/names';
import { planSequence } from '../../../shared/domain/sequencing';
import { openPackage } from '../packages/packageReader';
import type { DataPackage } from '../packages/packageReader';
import { PackageWriter } from '../packages/packageWriter';
import { createRowWriter, openRowReader } from '../sources/dataFiles';
import { fileSource } from '../sources/rows';
import type { RowReader } from '../sources/rows';
import { fileSafe } from './fileNames';
import { LineageBuilder } from './lineage';
import type { BuiltPackage, PackageEngine, PackageEntitySummary, PackageSummary, RowSelection } from './packageEngine';
import type { RowSource } from './rowErrors';

/**
 * The jobs' package engine on the real one (electron/services/packages and /sources): the
 * package's data files hold the staging fields as columns (XMLField = EntityField, as F&O's own
 * exports do), in the catalog's header order.
 */
export interface PackageEnginePorts {
  /**
   * The rows of a source file as the consultant sees them in the grid (edits applied, read
   * options in force), or null when the grid holds nothing for it and the file is the truth.
   */
  readonly editedRows?: (path: string) => Promise<RowReader | null>;
  /** The catalog a project's entities come from (an environment's live metadata); default: `catalog`. */
  readonly catalogFor?: (project: ProjectDocument) => Promise<CatalogIndex>;
}

export function createPackageEngine(catalog: CatalogIndex, ports: PackageEnginePorts = {}): PackageEngine {
  const summarize = (pkg: DataPackage): PackageSummary => ({
    definitionGroup: pkg.manifest.definitionGroupName ?? null,
    entities: inExecutionOrder(pkg.manifest.entities, catalog),
  });

  return {
    async buildFromProject(projectDir, project, out, options = {}) {
      const entities = project.entities.filter((e) => e.enabled);
      if (entities.length === 0) {
        throw new AppError(
          'INVALID_INPUT',
          `The project "${project.name}" has no enabled entity to import. Add one first.`,
        );
      }
      const projectCatalog = (await ports.catalogFor?.(project)) ?? catalog;
      const resolved = entities.map((e) => ({
        spec: e,
        entity: requireEntity(projectCatalog, e.label, project.name),
      }));
      const plan = planSequence(
        resolved.map(({ spec, entity }) => ({
          entity: entity.label,
          ...(spec.sequence
            ? {
                fixed: {
                  executionUnit: spec.sequence.unit,
                  level: spec.sequence.level,
                  sequence: spec.sequence.sequence,
                  origin: 'override' as const,
                },
              }
            : {}),
        })),
        projectCatalog,
      );
      const format = project.options.packageFormat;
      // The manifest's data project, and what the summary reports: the same name.
      const name = options.dataProject ?? project.binding.dataProject ?? project.name;
      const writer = await PackageWriter.create(out);
      const lineage = new LineageBuilder();
      const manifestEntities: PackageEntity[] = [];
      const rows: Record<string, number> = {};
      try {
        for (const { spec, entity } of resolved) {
          const placement = plan.placements.find((p) => p.label === entity.label);
          const selection = options.selection?.get(entity.label) ?? options.selection?.get(spec.label);
          if (options.selection && !selection) continue;
          const kind = dataFileKind(
            format,
            `x${format === 'EXCEL' ? '.xlsx' : format.startsWith('XML') ? '.xml' : '.csv'}`,
          );
          if (!kind) throw new AppError('INVALID_INPUT', `"${format}" is not a format the workbench can write.`);
          const reader = await openProjectSource(projectDir, spec, ports.editedRows);
          try {
            const fields = mappedFields(entity, spec, reader.columns);
            const packageEntity: PackageEntity = {
              ...createPackageEntity({
                label: entity.label,
                inputFilePath: dataFileName(entity.label, kind),
                sourceFormat: format,
                maps: fields.map((f) => createEntityMap(f.stagingField, f.stagingField)),
                targetEntity: entity.targetEntity,
                placement: placement
                  ? { executionUnit: placement.executionUnit, level: placement.level, sequence: placement.sequence }
                  : undefined,
                ...(kind === 'xlsx' ? { excelSheetName: manifestExcelSheetName(entity.label) } : {}),
                ...(spec.refreshType ? { refreshType: spec.refreshType } : {}),
              }),
              ...spec.processing,
            };
            const trace = lineage.entity(entity.label, packageEntity.inputFilePath ?? '');
            const selected = selection?.get(spec.sourceFile);
            const projected = async function* () {
              for await (const batch of reader) {
                const out: string[][] = [];
                batch.rows.forEach((row, i) => {
                  const sourceRow = batch.firstRow + i;
                  if (selection && !selected?.has(sourceRow)) return;
                  out.push(fields.map((f) => row[f.sourceIndex] ?? ''));
                  trace.add(spec.sourceFile, sourceRow, 1);
                });
                if (out.length) yield out;
              }
            };
            const written = await writer.writeRows(
              packageEntity,
              fields.map((f) => f.stagingField),
              projected(),
            );
            trace.end();
            rows[entity.label] = written.rows;
            manifestEntities.push(packageEntity);
          } finally {
            await reader.close();
          }
        }
        await writer.finish(createPackageHeader(name), createManifest(name, manifestEntities));
      } catch (error) {
        await writer.abort();
        throw error;
      }
      const built = lineage.build();
      return {
        definitionGroup: name,
        entities: inExecutionOrder(manifestEntities, projectCatalog),
        lineage: built,
        rows,
      };
    },

    async describe(packagePath) {
      const pkg = await openPackage(packagePath);
      try {
        return summarize(pkg);
      } finally {
        await pkg.close();
      }
    },

    async openRows(packagePath, label) {
      const pkg = await openPackage(packagePath);
      try {
        const entity = pkg.manifest.entities.find((e) => e.entityName.toLowerCase() === label.toLowerCase());
        if (!entity) throw new AppError('NOT_FOUND', `The package ${basename(packagePath)} has no entity "${label}".`);
        return closingBoth(await pkg.openRows(entity), pkg);
      } catch (error) {
        await pkg.close();
        throw error;
      }
    },

    async openDataFile(path, sourceFormat) {
      const kind = dataFileKind(sourceFormat, path);
      if (!kind) throw new AppError('INVALID_INPUT', `${basename(path)} is not a data file the workbench can read.`);
      return openRowReader(await fileSource(path), kind);
    },

    async writeCsv(path, columns, rows) {
      await mkdir(dirname(path), { recursive: true });
      const temp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
      const stream = createWriteStream(temp);
      // UTF-8 with a BOM: Excel opens it with the right characters, and so does the grid.
      const writer = createRowWriter('csv', stream, {
        columns,
        file: basename(path),
        dialect: { ...CSV_UNICODE_DIALECT, encoding: 'utf-8', bom: true },
      });
      try {
        for await (const batch of rows) await writer.write(batch);
        await writer.end();
        await finished(stream);
        await rename(temp, path);
      } catch (error) {
        stream.destroy();
        await rm(temp, { force: true });
        throw error;
      }
    },

    async writeForPerson(path, columns, rows) {
      const kind = /\.xlsx$/i.test(path) ? 'xlsx' : 'csv';
      await mkdir(dirname(path), { recursive: true });
      const temp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
      const stream = createWriteStream(temp);
      const writer = createRowWriter(kind, stream, {
        columns: columns.map(forPerson),
        file: basename(path),
        ...(kind === 'csv' ? { dialect: { ...CSV_UNICODE_DIALECT, encoding: 'utf-8', bom: true } } : {}),
      });
      let count = 0;
      try {
        for await (const batch of rows) {
          count += batch.length;
          await writer.write(batch.map((row) => row.map(forPerson)));
        }
        await writer.end();
        await finished(stream);
        await rename(temp, path);
      } catch (error) {
        stream.destroy();
        await rm(temp, { force: true });
        throw error;
      }
      return { rows: count };
    },

    async buildFromFailedRows(basePackage, failedRowsDir, out, options = {}) {
      return repackage(basePackage, out, catalog, async (pkg, write) => {
        let written = 0;
        for (const entity of pkg.manifest.entities) {
          const file = join(failedRowsDir, `${fileSafe(entity.entityName)}.csv`);
          // Entities without a failed-rows file had no failures: nothing to import again.
          const source = await fileSource(file).catch(() => null);
          if (!source) continue;
          const leaveOut = [...(options.leaveOut ?? [])].find(
            ([label]) => label.toLowerCase() === entity.entityName.toLowerCase(),
          )?.[1];
          // Fixed in the grid: read as the grid shows it.
          const open = async () => (await ports.editedRows?.(file)) ?? (await openRowReader(source, 'csv'));
          if (leaveOut && !(await hasRowsLeft(await open(), file, leaveOut))) continue;
          const reader = await open();
          try {
            const { fileAt, rowAt, extra } = failedRowColumns(reader.columns, file);
            const kept = (row: readonly string[]) => !leaveOut?.get(row[fileAt] ?? '')?.has(Number(row[rowAt]) || 0);
            const columns = reader.columns.filter((_, i) => !extra.has(i));
            await write(entity, columns, async function* (trace) {
              for await (const batch of reader) {
                const rows = leaveOut ? batch.rows.filter(kept) : batch.rows;
                for (const row of rows) trace.add(row[fileAt] ?? '', Number(row[rowAt]) || 0, 1);
                yield rows.map((row) => row.filter((_, i) => !extra.has(i)));
              }
            });
            written++;
          } finally {
            await reader.close();
          }
        }
        if (written === 0) {
          throw new AppError(
            'NOT_FOUND',
            options.leaveOut
              ? `${failedRowsDir} holds no failed row that still needs importing: later jobs imported them all.`
              : `${failedRowsDir} holds no failed-rows file of the package's entities.`,
          );
        }
        return pkg.manifest.definitionGroupName ?? 'Failed rows';
      });
    },

    async rewritePackage(sourcePath, out, options) {
      return repackage(sourcePath, out, catalog, async (pkg, write) => {
        for (const wanted of options.labels) {
          const entity = pkg.manifest.entities.find((e) => e.entityName.toLowerCase() === wanted.toLowerCase());
          if (!entity) throw new AppError('NOT_FOUND', `The exported package has no entity "${wanted}".`);
          const reader = await pkg.openRows(entity);
          const sourceName = `${basename(sourcePath)}/${entity.inputFilePath ?? ''}`;
          try {
            const columns = reader.columns;
            const map = options.rows?.(entity.entityName, columns);
            await write(entity, columns, async function* (trace) {
              for await (const batch of reader) {
                if (!map) {
                  trace.add(sourceName, batch.firstRow, batch.rows.length);
                  yield batch.rows;
                  continue;
                }
                const kept: (readonly string[])[] = [];
                batch.rows.forEach((row, i) => {
                  const mapped = map(row, batch.firstRow - 1 + i);
                  if (mapped === null) return;
                  trace.add(sourceName, batch.firstRow + i, 1);
                  kept.push(mapped);
                });
                if (kept.length) yield kept;
              }
            });
          } finally {
            await reader.close();
          }
        }
        return options.dataProject;
      });
    },
  };
}

/**
 * A cell for a person's spreadsheet: a value that starts like a formula (= + - @, or a tab or
 * carriage return before one) is prefixed with an apostrophe, so Excel shows it instead of running
 * it (OWASP, CSV injection). Only for files people read: packages for F&O keep data exact.
 */
export function forPerson(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** Where a failed-rows file keeps each row's origin (the columns the package does not get). */
function failedRowColumns(columns: readonly string[], file: string) {
  const at = (name: string) => columns.findIndex((c) => c === name);
  const [fileAt, rowAt, errorsAt] = [at('_SOURCEFILE'), at('_SOURCEROW'), at('_ERRORS')];
  if (fileAt < 0 || rowAt < 0) {
    throw new AppError(
      'INVALID_INPUT',
      `${file} has no _SOURCEFILE and _SOURCEROW columns: it is not a failed-rows file.`,
    );
  }
  return { fileAt, rowAt, extra: new Set([fileAt, rowAt, errorsAt]) };
}

/** Does a failed-rows file keep a row once `leaveOut` is dropped? Reads it through, then closes it. */
async function hasRowsLeft(reader: RowReader, file: string, leaveOut: RowSelection): Promise<boolean> {
  try {
    const { fileAt, rowAt } = failedRowColumns(reader.columns, file);
    for await (const batch of reader) {
      if (batch.rows.some((row) => !leaveOut.get(row[fileAt] ?? '')?.has(Number(row[rowAt]) || 0))) return true;
    }
    return false;
  } finally {
    await reader.close();
  }
}

type Trace = ReturnType<LineageBuilder['entity']>;
type WriteEntity = (
  entity: PackageEntity,
  columns: readonly string[],
  rows: (trace: Trace) => AsyncIterable<readonly (readonly string[])[]>,
) => Promise<void>;

/**
 * A new package from entities of an existing one (their manifest entries kept): `fill` writes
 * the entities it wants and returns the data project name; lineage and row counts are recorded,
 * and nothing is left at `out` when anything fails.
 */
async function repackage(
  sourcePath: string,
  out: string,
  catalog: CatalogIndex,
  fill: (pkg: DataPackage, write: WriteEntity) => Promise<string>,
): Promise<BuiltPackage> {
  const pkg = await openPackage(sourcePath);
  const writer = await PackageWriter.create(out);
  const lineage = new LineageBuilder();
  const rows: Record<string, number> = {};
  const kept: PackageEntity[] = [];
  let name: string;
  try {
    name = await fill(pkg, async (entity, columns, produce) => {
      const trace = lineage.entity(entity.entityName, entity.inputFilePath ?? '');
      rows[entity.entityName] = (await writer.writeRows(entity, columns, produce(trace))).rows;
      trace.end();
      kept.push(entity);
    });
    await writer.finish(createPackageHeader(name), createManifest(name, kept));
  } catch (error) {
    await writer.abort();
    throw error;
  } finally {
    await pkg.close();
  }
  return {
    definitionGroup: name,
    entities: inExecutionOrder(kept, catalog),
    lineage: lineage.build(),
    rows,
  };
}

/** Summaries in the order F&O processes (and numbers) the entities: unit, level, sequence. */
function inExecutionOrder(entities: readonly PackageEntity[], catalog: CatalogIndex): PackageEntitySummary[] {
  return [...entities]
    .sort((a, b) => comparePlacement(entityPlacement(a), entityPlacement(b)))
    .map((e) => summaryOf(e, catalog));
}

function summaryOf(entity: PackageEntity, catalog: CatalogIndex): PackageEntitySummary {
  const known = catalog.findEntity(entity.targetEntity ?? '') ?? catalog.findEntity(entity.entityName);
  const placement = entityPlacement(entity);
  return {
    label: entity.entityName,
    targetEntity: entity.targetEntity ?? known?.targetEntity ?? null,
    dataFile: entity.inputFilePath ?? '',
    sourceFormat: entity.sourceFormat ?? '',
    executionUnit: placement.executionUnit,
    level: placement.level,
    sequence: placement.sequence,
    keyFields: known?.keys ?? [],
    maps: (entity.entityMapList ?? []).map((m) => ({ xmlField: m.xmlField ?? '', entityField: m.entityField ?? '' })),
  };
}

function requireEntity(catalog: CatalogIndex, label: string, project: string): CatalogEntity {
  try {
    return catalog.requireEntity(label);
  } catch (error) {
    if (!(error instanceof UnknownEntityError)) throw error;
    // The catalog's message suggests the closest labels ("Did you mean …?"): a typo is the usual cause.
    throw new AppError('INVALID_INPUT', `The project "${project}" names an unknown entity: ${error.message}`);
  }
}

/** A project entity's source rows: as edited in the grid when it holds edits, else the file itself. */
export async function openProjectSource(
  projectDir: string,
  spec: ProjectEntity,
  editedRows: PackageEnginePorts['editedRows'],
): Promise<RowReader> {
  const path = sourcePathOf(projectDir, spec);
  const edited = await editedRows?.(path);
  if (edited) return edited;
  const format = defaultFormatForFile(path);
  const kind = format ? dataFileKind(format, path) : undefined;
  if (!kind) {
    throw new AppError('INVALID_INPUT', `${spec.sourceFile} (${spec.label}) is not a CSV, Excel or XML file.`);
  }
  return openRowReader(await fileSource(path, spec.sourceFile), kind, spec.sheet ? { sheet: spec.sheet } : {});
}

/** Where a project entity's source file is (relative paths are relative to the project folder). */
export function sourcePathOf(projectDir: string, spec: Pick<ProjectEntity, 'sourceFile'>): string {
  return isAbsolute(spec.sourceFile) ? spec.sourceFile : join(projectDir, spec.sourceFile);
}

interface MappedField {
  readonly sourceIndex: number;
  readonly stagingField: string;
}

/**
 * Source columns → staging fields: the project's mapping, else columns named like a staging
 * field (case-insensitive). Fields in the catalog's header order (keys first), then any others.
 */
function mappedFields(entity: CatalogEntity, spec: ProjectEntity, columns: readonly string[]): MappedField[] {
  const lower = columns.map((c) => c.trim().toLowerCase());
  const pairs = spec.mapping
    ? spec.mapping.map((m) => {
        const sourceIndex = lower.indexOf(m.sourceColumn.trim().toLowerCase());
        if (sourceIndex < 0) {
          throw new AppError(
            'INVALID_INPUT',
            `${spec.sourceFile} has no column "${m.sourceColumn}" (mapped to ${m.stagingField} of ${spec.label}).`,
          );
        }
        return { sourceIndex, stagingField: m.stagingField.toUpperCase() };
      })
    : columns
        .map((c, sourceIndex) => ({ sourceIndex, stagingField: c.trim().toUpperCase() }))
        .filter((p) => p.stagingField !== '');
  const order = new Map(entity.fields.map((f, i) => [f.name, i]));
  const known = pairs.filter((p) => order.has(p.stagingField) || entity.fieldCoverage !== 'complete');
  if (known.length === 0) {
    throw new AppError(
      'INVALID_INPUT',
      `No column of ${spec.sourceFile} maps to a staging field of ${spec.label}. Map the columns in the project.`,
    );
  }
  return known.sort((a, b) => (order.get(a.stagingField) ?? Infinity) - (order.get(b.stagingField) ?? Infinity));
}

/** A row reader whose close also closes the package it reads from. */
function closingBoth(reader: RowReader, pkg: DataPackage): RowSource {
  return {
    columns: reader.columns,
    [Symbol.asyncIterator]: () => reader[Symbol.asyncIterator](),
    close: async () => {
      await reader.close();
      await pkg.close();
    },
  };
}
