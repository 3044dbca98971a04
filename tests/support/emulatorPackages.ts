import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PackageWriter } from '../../electron/services/packages/packageWriter';
import {
  createEntityMap,
  createManifest,
  createPackageEntity,
  createPackageHeader,
} from '../../shared/domain/package/model';

/** One entity of a test package: its rows under staging-field columns. */
export interface EntityData {
  readonly label: string;
  readonly target: string;
  readonly level: number;
  /** Execution unit (default 1). */
  readonly unit?: number;
  readonly columns: string[];
  readonly rows: string[][];
  /** No EntityMapList in the manifest (F&O then maps columns by name). */
  readonly noMap?: boolean;
}

/** A data package as F&O writes it (the package engine), built in `dir`; returns its bytes. */
export async function buildPackage(
  dir: string,
  name: string,
  entities: EntityData[],
  format = 'CSV-Unicode',
): Promise<Buffer> {
  const path = join(dir, `${name}.zip`);
  const writer = await PackageWriter.create(path);
  const written = [];
  for (const e of entities) {
    const entity = createPackageEntity({
      label: e.label,
      inputFilePath: `${e.label}.csv`,
      sourceFormat: format,
      maps: e.noMap ? [] : e.columns.map((c) => createEntityMap(c)),
      targetEntity: e.target,
      placement: { executionUnit: e.unit ?? 1, level: e.level },
    });
    await writer.writeRows(entity, e.columns, [e.rows]);
    written.push(entity);
  }
  await writer.finish(createPackageHeader(name), createManifest(name, written));
  return readFile(path);
}
