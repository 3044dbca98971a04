import type { CatalogIndex } from '../../shared/domain/catalog';
import type { DmfService } from '../fno/dmfService';
import { newProjectEntity } from '../fno/projects';
import type { RecurringService } from '../fno/recurring';
import { runImport, standaloneInput } from '../processing/importer';
import { INSTANT } from '../processing/schedule';
import type { RecordStore } from '../store/records';
import { demoData } from './demoData';

/** Loads the demo data through the import pipeline; throws if any seed row fails (a seed bug). */
export async function seedRecords(catalog: CatalogIndex, store: RecordStore): Promise<void> {
  for (const table of demoData()) {
    const entity = catalog.requireEntity(table.entity);
    const unknown = table.columns.filter((c) => !entity.fields.some((f) => f.name === c));
    if (unknown.length)
      throw new Error(`Seed ${table.entity}: ${unknown.join(', ')} are not staging fields of ${entity.targetEntity}.`);
    const result = await runImport(
      [
        standaloneInput(entity.targetEntity, async () => ({
          columns: table.columns,
          async *[Symbol.asyncIterator]() {
            yield { rows: table.rows, firstRow: 1 };
          },
        })),
      ],
      {
        executionId: 'seed',
        company: table.company ?? 'USMF',
        execute: true,
        stagingFailureRate: 0,
        targetFailureRate: 0,
      },
      catalog,
      store,
      INSTANT,
    );
    const problem = result.fatal ?? result.messages[0]?.ErrorMessage;
    if (problem) throw new Error(`Seed ${table.entity} (${table.company ?? 'shared'}): ${problem}`);
  }
}

/** Fixed ids, so a user's recurring-job settings survive emulator restarts. */
export const SEED_IMPORT_ACTIVITY = '0f9c6b1e-3a52-4d8e-9b7a-5c1d2e3f4a01';
export const SEED_EXPORT_ACTIVITY = '0f9c6b1e-3a52-4d8e-9b7a-5c1d2e3f4a02';
export const SEED_FILE_ACTIVITY = '0f9c6b1e-3a52-4d8e-9b7a-5c1d2e3f4a03';
export const SEED_IMPORT_PROJECT = 'Customer master import';
export const SEED_EXPORT_PROJECT = 'Customer groups export';
export const SEED_FILE_PROJECT = 'Customer group files';

/**
 * The seed data projects and the recurring jobs the startup output lists: a package import job,
 * a file import job (Customer groups, CSV) and an export job.
 */
export function seedProjects(dmf: DmfService, recurring: RecurringService, exportIntervalMinutes: number): void {
  dmf.projects.put({
    name: SEED_IMPORT_PROJECT,
    description: 'Customer groups, then customers (recurring import)',
    operationType: 'Import',
    generateDataPackage: true,
    truncateEntityData: false,
    entities: [
      newProjectEntity('Customer groups', 'CustCustomerGroupEntity', { level: 1, sequence: 1 }),
      newProjectEntity('Customers V3', 'CustCustomerV3Entity', { level: 2, sequence: 1 }),
    ],
    watermarks: {},
  });
  dmf.projects.put({
    name: SEED_EXPORT_PROJECT,
    description: 'Customer groups (recurring export)',
    operationType: 'Export',
    generateDataPackage: true,
    truncateEntityData: false,
    entities: [newProjectEntity('Customer groups', 'CustCustomerGroupEntity')],
    watermarks: {},
  });
  recurring.addJob({
    name: 'Customer master import',
    project: SEED_IMPORT_PROJECT,
    direction: 'import',
    activityId: SEED_IMPORT_ACTIVITY,
  });
  dmf.projects.put({
    name: SEED_FILE_PROJECT,
    description: 'Customer groups, one CSV file per message (recurring file import)',
    operationType: 'Import',
    generateDataPackage: false,
    truncateEntityData: false,
    entities: [newProjectEntity('Customer groups', 'CustCustomerGroupEntity', { sourceFormat: 'CSV' })],
    watermarks: {},
  });
  recurring.addJob({
    name: 'Customer group files',
    project: SEED_FILE_PROJECT,
    direction: 'import',
    dataSource: 'file',
    activityId: SEED_FILE_ACTIVITY,
  });
  recurring.addJob({
    name: 'Customer groups export',
    project: SEED_EXPORT_PROJECT,
    direction: 'export',
    activityId: SEED_EXPORT_ACTIVITY,
    intervalMinutes: exportIntervalMinutes,
  });
}
