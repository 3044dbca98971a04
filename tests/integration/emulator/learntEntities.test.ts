import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../emulator';
import type { Emulator } from '../../../emulator';
import { openPackage } from '../../../electron/services/packages/packageReader';
import { BUILT_IN_CATALOG, indexCatalog } from '../../../shared/domain/catalog';
import { appToken, dmfAction, pollStatus, uploadPackage } from '../../support/emulatorHttp';
import type { Json } from '../../support/emulatorHttp';
import { buildPackage } from '../../support/emulatorPackages';
import { REAL_PACKAGE } from '../../support/paths';

/**
 * The emulator knows any entity a package brings (issue #10 item 6): Microsoft's sample package
 * (Fixed asset major type, outside the built-in catalog) imports to Succeeded and exports back;
 * an entity is learnt from the manifest's map or the data file's header, its rows are inserted
 * (no key known), the job log says so, and the entity is kept with the emulator's state.
 */
let dir: string;
let dataDir: string;
let emulator: Emulator;
let token: string;
const lines: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dmfw-learnt-'));
  dataDir = join(dir, 'data');
  emulator = await startEmulator({ dataDir, speed: 'max', log: (line) => lines.push(line) });
  token = await appToken(emulator);
});
afterAll(async () => {
  await emulator?.stop();
  await rm(dir, { recursive: true, force: true });
});

const odata = async (path: string): Promise<Json> =>
  (await fetch(`${emulator.baseUrl}/data/${path}`, { headers: { authorization: `Bearer ${token}` } })).json();

async function importPackage(bytes: Buffer, project: string): Promise<string> {
  const packageUrl = await uploadPackage(emulator, token, `${project}.zip`, bytes);
  const started = await dmfAction(emulator, token, 'ImportFromPackage', {
    packageUrl,
    definitionGroupId: project,
    executionId: '',
    execute: true,
    overwrite: true,
    legalEntityId: 'USMF',
  });
  expect(started.status).toBe(200);
  return started.body.value as string;
}

async function exportEntity(project: string, entity: string, format: string): Promise<string> {
  const post = (set: string, body: unknown) =>
    fetch(`${emulator.baseUrl}/data/${set}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  expect((await post('DataManagementDefinitionGroups', { Name: project, OperationType: 'Export' })).status).toBe(201);
  const detail = await post('DataManagementDefinitionGroupDetails', {
    DefinitionGroupId: project,
    EntityName: entity,
    SourceFormat: format,
  });
  expect(detail.status, await detail.clone().text()).toBe(201);
  const id = (
    await dmfAction(emulator, token, 'ExportToPackage', {
      definitionGroupId: project,
      packageName: project,
      executionId: '',
      reExecute: false,
      legalEntityId: 'USMF',
    })
  ).body.value as string;
  expect(await pollStatus(emulator, token, id)).toBe('Succeeded');
  const url = (await dmfAction(emulator, token, 'GetExportedPackageUrl', { executionId: id })).body.value as string;
  const path = join(dir, `${project}.zip`);
  await writeFile(path, Buffer.from(await (await fetch(url)).arrayBuffer()));
  return path;
}

async function rowsOf(path: string): Promise<{ entity: string; columns: readonly string[]; rows: string[][] }> {
  const pkg = await openPackage(path);
  try {
    const entity = pkg.manifest.entities[0]!;
    const reader = await pkg.openRows(entity);
    const rows: string[][] = [];
    for await (const batch of reader) rows.push(...batch.rows.map((r) => [...r]));
    return { entity: entity.entityName, columns: reader.columns, rows };
  } finally {
    await pkg.close();
  }
}

describe('entities the emulator learns from packages', () => {
  it("imports Microsoft's sample package (Fixed asset major type) to Succeeded and exports it back", async () => {
    // If the built-in catalog ever knows the entity, this test proves less: say so.
    expect(indexCatalog(BUILT_IN_CATALOG).findEntity('Fixed asset major type')).toBeUndefined();
    const source = await rowsOf(REAL_PACKAGE);
    expect(source.rows.length).toBeGreaterThan(0);

    const id = await importPackage(await readFile(REAL_PACKAGE), 'Asset-Major-Types');
    expect(await pollStatus(emulator, token, id)).toBe('Succeeded');
    expect((await dmfAction(emulator, token, 'GetExecutionErrors', { executionId: id })).body.value).toBe('[]');
    expect(lines.some((l) => l.includes(`${id}: Entity 'Fixed asset major type' is not a data entity`))).toBe(true);
    expect(lines.find((l) => l.includes('Fixed asset major type'))).toContain(
      '2 staging fields: DESCRIPTION, MAJORTYPEID; values kept as text; no key known, so every row is inserted',
    );

    const exported = await rowsOf(await exportEntity('Asset major types out', 'Fixed asset major type', 'EXCEL'));
    expect(exported.entity).toBe('Fixed asset major type');
    const byColumn = (r: { columns: readonly string[]; rows: string[][] }) =>
      r.rows
        .map((row) => Object.fromEntries(r.columns.map((c, i) => [c.toUpperCase(), row[i] ?? ''])))
        .sort((a, b) => String(a.MAJORTYPEID).localeCompare(String(b.MAJORTYPEID)));
    expect(byColumn(exported)).toEqual(
      byColumn(source).map((r) => ({ DESCRIPTION: r.DESCRIPTION, MAJORTYPEID: r.MAJORTYPEID })),
    );

    // The environment now has the entity: $metadata and OData serve it.
    const metadata = await (
      await fetch(`${emulator.baseUrl}/data/$metadata`, { headers: { authorization: `Bearer ${token}` } })
    ).text();
    expect(metadata).toContain('<EntitySet Name="Fixedassetmajortype"');
    expect((await odata('Fixedassetmajortype?cross-company=true')).value).toHaveLength(source.rows.length);
  });

  it('learns an entity without a map from its header, inserts every row, and keeps it across a restart', async () => {
    const columns = ['ZONEID', 'NAME'];
    const zip = await buildPackage(dir, 'zones', [
      {
        label: 'Rehearsal zones',
        target: 'RehearsalZoneEntity',
        level: 1,
        columns,
        rows: [['Z1', 'North']],
        noMap: true,
      },
    ]);
    const first = await importPackage(zip, 'Zones');
    expect(await pollStatus(emulator, token, first)).toBe('Succeeded');
    // The same row again is a second record: with no key known, rows are inserted, never matched.
    const second = await importPackage(zip, 'Zones');
    expect(await pollStatus(emulator, token, second)).toBe('Succeeded');
    expect((await odata('RehearsalZoneEntity')).value).toEqual([
      expect.objectContaining({ dataAreaId: 'usmf', ZONEID: 'Z1', NAME: 'North' }),
      expect.objectContaining({ ZONEID: 'Z1' }),
    ]);

    await emulator.stop();
    emulator = await startEmulator({ dataDir, speed: 'max' });
    token = await appToken(emulator);
    expect((await odata('RehearsalZoneEntity')).value).toHaveLength(2);
    expect((await odata('Fixedassetmajortype?cross-company=true')).value.length).toBeGreaterThan(0);
  });
});
