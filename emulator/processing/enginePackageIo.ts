import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { CsvDialect } from '../../shared/domain/dialects/csvDialect';
import { dialectForFormat } from '../../shared/domain/dialects/csvDialect';
import { dataFileKind, fileExtension } from '../../shared/domain/package/formats';
import type { DataFileKind } from '../../shared/domain/package/formats';
import {
  createEntityMap,
  createManifest,
  createPackageEntity,
  createPackageHeader,
  entityPlacement,
} from '../../shared/domain/package/model';
import type { PackageEntity } from '../../shared/domain/package/model';
import { dataFileName, excelSheetName, manifestExcelSheetName } from '../../shared/domain/package/names';
import { openPackage } from '../../electron/services/packages/packageReader';
import { PackageWriter } from '../../electron/services/packages/packageWriter';
import { createRowWriter, openRowReader } from '../../electron/services/sources/dataFiles';
import { fileSource } from '../../electron/services/sources/rows';
import type { PackageEntityInfo, PackageIo, SourceInfo } from './packageIo';

/**
 * The emulator's package I/O is the workbench's package engine: packages are read the way the
 * workbench reads them and written exactly as F&O writes them (UTF-16 manifest and header,
 * EntityMap per column, F&O's file and sheet names).
 */
const kindOf = (sourceFormat: string, fileName: string): DataFileKind => {
  const kind = dataFileKind(sourceFormat, fileName);
  if (!kind)
    throw new Error(
      `The source format '${sourceFormat}' of '${fileName}' is not one the environment can read (CSV, EXCEL, XML).`,
    );
  return kind;
};

/** The dialect a CSV file was read with, so an error file repeats it byte for byte. */
function dialectOf(sourceFormat: string, info: SourceInfo | undefined): CsvDialect {
  const base = dialectForFormat(sourceFormat);
  if (!info) return base;
  const str = (k: string, fallback: string): string => (typeof info[k] === 'string' ? (info[k] as string) : fallback);
  const lineEnding = str('lineEnding', base.lineEnding);
  return {
    ...base,
    delimiter: str('delimiter', base.delimiter),
    qualifier: str('qualifier', base.qualifier),
    encoding: str('encoding', base.encoding),
    bom: typeof info.bom === 'boolean' ? info.bom : base.bom,
    lineEnding: lineEnding === '\n' ? '\n' : '\r\n',
  };
}

export const enginePackageIo: PackageIo = {
  async openPackage(path) {
    const pkg = await openPackage(path, { displayName: 'the package' });
    const originals = new Map<PackageEntityInfo, PackageEntity>();
    const entities = pkg.manifest.entities
      .filter((e) => e.disable !== true)
      .map((e) => {
        const placement = entityPlacement(e);
        const info: PackageEntityInfo = {
          entityName: e.entityName,
          targetEntity: e.targetEntity ?? null,
          sourceFormat: e.sourceFormat ?? '',
          inputFilePath: e.inputFilePath ?? '',
          executionUnit: placement.executionUnit,
          level: placement.level,
          sequence: placement.sequence,
          failLevelOnError: e.failLevelOnError ?? false,
          failExecutionUnitOnError: e.failExecutionUnitOnError ?? false,
          refreshType: e.defaultRefreshType === 'IncrementalPush' ? 'IncrementalPush' : 'FullPush',
          maps: e.entityMapList?.length
            ? e.entityMapList.map((m) => ({ xmlField: m.xmlField, entityField: m.entityField }))
            : null,
        };
        originals.set(info, e);
        return info;
      });
    return {
      definitionGroupName: pkg.manifest.definitionGroupName ?? null,
      entities,
      async openRows(info) {
        const original = originals.get(info);
        if (!original) throw new Error(`Entity '${info.entityName}' is not in this package.`);
        return pkg.openRows(original);
      },
      close: () => pkg.close(),
    };
  },

  async openDataFile(path, sourceFormat, entityName) {
    return openRowReader(await fileSource(path, `the file enqueued for ${entityName}`), kindOf(sourceFormat, path));
  },

  async writePackage(path, definitionGroupName, entities) {
    const writer = await PackageWriter.create(path);
    try {
      const written: PackageEntity[] = [];
      for (const e of entities) {
        const kind = kindOf(e.sourceFormat, '');
        const entity = createPackageEntity({
          label: e.entityName,
          inputFilePath: dataFileName(e.entityName, kind),
          sourceFormat: e.sourceFormat,
          maps: e.columns.map((c) => createEntityMap(c, c)),
          targetEntity: e.targetEntity,
          placement: { executionUnit: e.executionUnit, level: e.level, sequence: e.sequence },
          ...(kind === 'xlsx' ? { excelSheetName: manifestExcelSheetName(e.entityName) } : {}),
          refreshType: e.refreshType,
        });
        await writer.writeRows(entity, e.columns, e.rows);
        written.push(entity);
      }
      await writer.finish(createPackageHeader(definitionGroupName), createManifest(definitionGroupName, written));
    } catch (error) {
      await writer.abort();
      throw error;
    }
  },

  async writeDataFile(path, sourceFormat, entityName, columns, rows, info) {
    const kind = kindOf(sourceFormat, '');
    const out = createWriteStream(path);
    const writer = createRowWriter(kind, out, {
      columns,
      file: dataFileName(entityName, kind),
      ...(kind === 'csv' ? { dialect: dialectOf(sourceFormat, info) } : {}),
      sheetName: typeof info?.sheet === 'string' ? info.sheet : excelSheetName(entityName),
      recordElement:
        typeof info?.recordElement === 'string'
          ? info.recordElement
          : entityName.replace(/[^\p{L}\p{N}_]/gu, '').toUpperCase(),
    });
    await writer.write(rows);
    await writer.end();
    await finished(out);
  },

  extensionOf: (sourceFormat) => fileExtension(dataFileKind(sourceFormat, '') ?? 'csv'),
};
