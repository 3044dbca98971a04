import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_IN_CATALOG, indexCatalog } from '../../../shared/domain/catalog';
import type { ProjectDocument } from '../../../shared/api/domains/projects';
import { projectDocumentSchema } from '../../../shared/api/domains/projects';
import { locate } from '../../../electron/services/jobs/lineage';
import { createPackageEngine } from '../../../electron/services/jobs/packageEngineAdapter';
import type { RowSource } from '../../../electron/services/jobs/rowErrors';
import { openPackage } from '../../../electron/services/packages/packageReader';

const engine = createPackageEngine(indexCatalog(BUILT_IN_CATALOG));
let dir: string;

async function all(source: RowSource): Promise<string[][]> {
  const rows: string[][] = [];
  try {
    for await (const batch of source) rows.push(...batch.rows.map((r) => [...r]));
  } finally {
    await source.close();
  }
  return rows;
}

function project(extra: Partial<ProjectDocument> = {}): ProjectDocument {
  return projectDocumentSchema.parse({
    schemaVersion: 1,
    name: 'Wave 1',
    entities: [
      // Listed in the "wrong" order: sequencing puts the payment terms first.
      {
        label: 'Customer groups',
        sourceFile: 'legacy/groups.csv',
        mapping: [
          { sourceColumn: 'Group', stagingField: 'CUSTOMERGROUPID' },
          { sourceColumn: 'Name', stagingField: 'DESCRIPTION' },
          { sourceColumn: 'Terms', stagingField: 'PAYMENTTERMID' },
        ],
      },
      { label: 'Terms of payment', sourceFile: 'legacy/terms.csv' },
    ],
    ...extra,
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dmfw-engine-'));
  await mkdir(join(dir, 'legacy'));
  await writeFile(
    join(dir, 'legacy', 'groups.csv'),
    'Group,Name,Terms,Ignored\r\nCG01,Wholesale,Net30,x\r\nCG02,"Retail, online",Net10,y\r\nCG03,Staff,Net14,z\r\nCG04,Export,Net30,w\r\nCG05,Government,Net45,v\r\n',
  );
  await writeFile(
    join(dir, 'legacy', 'terms.csv'),
    'NAME,DESCRIPTION,NUMBEROFDAYS\nNet30,Net 30 days,30\nNet10,Net 10 days,10\n',
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("the jobs' package engine", () => {
  it('builds a package from a project: staging columns, sequencing from references, lineage per row', async () => {
    const out = join(dir, 'built.zip');
    const built = await engine.buildFromProject(dir, project(), out);
    expect(built.entities.map((e) => [e.label, e.level])).toEqual([
      ['Terms of payment', 1],
      ['Customer groups', 2],
    ]);
    expect(built.rows).toEqual({ 'Customer groups': 5, 'Terms of payment': 2 });
    const groups = built.entities[1]!;
    expect(groups).toMatchObject({
      dataFile: 'Customer groups.csv',
      sourceFormat: 'CSV-Unicode',
      keyFields: ['CUSTOMERGROUPID'],
    });
    const rows = await engine.openRows(out, 'Customer groups');
    expect(rows.columns).toEqual(['CUSTOMERGROUPID', 'DESCRIPTION', 'PAYMENTTERMID']);
    expect((await all(rows))[1]).toEqual(['CG02', 'Retail, online', 'Net10']);
    expect(locate(built.lineage, 'Customer groups', 4)).toEqual({ sourceFile: 'legacy/groups.csv', sourceRow: 4 });
    // The package is a real F&O package: the package reader sees the same.
    const pkg = await openPackage(out);
    expect(pkg.manifest.definitionGroupName).toBe('Wave 1');
    await pkg.close();
    expect(await engine.describe(out)).toMatchObject({
      definitionGroup: 'Wave 1',
      entities: [{ label: 'Terms of payment' }, { label: 'Customer groups' }],
    });
  });

  it('keeps only the selected source rows and their lineage (re-import of failed rows)', async () => {
    const out = join(dir, 'selected.zip');
    const selection = new Map([['Customer groups', new Map([['legacy/groups.csv', new Set([2, 5])]])]]);
    const built = await engine.buildFromProject(dir, project(), out, { selection, dataProject: 'Fixes' });
    expect(built.rows).toEqual({ 'Customer groups': 2 });
    expect(await all(await engine.openRows(out, 'Customer groups'))).toEqual([
      ['CG02', 'Retail, online', 'Net10'],
      ['CG05', 'Government', 'Net45'],
    ]);
    expect(locate(built.lineage, 'Customer groups', 2)).toEqual({ sourceFile: 'legacy/groups.csv', sourceRow: 5 });
  });

  it('names the file and column when a mapping does not fit the source', async () => {
    const broken = project({
      entities: [
        {
          label: 'Customer groups',
          sourceFile: 'legacy/groups.csv',
          mapping: [{ sourceColumn: 'Nope', stagingField: 'DESCRIPTION' }],
          enabled: true,
        },
      ],
    });
    await expect(engine.buildFromProject(dir, broken, join(dir, 'x.zip'))).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('legacy/groups.csv has no column "Nope"'),
    });
    const unknown = project({ entities: [{ label: 'Spaceships', sourceFile: 'legacy/groups.csv', enabled: true }] });
    await expect(engine.buildFromProject(dir, unknown, join(dir, 'y.zip'))).rejects.toThrow(
      /The project "Wave 1" names an unknown entity: "Spaceships" is not an entity of the built-in catalog\./,
    );
  });

  it('writes the failed-rows dataset as UTF-8 CSV with a BOM', async () => {
    const file = join(dir, 'failed', 'Customer groups.csv');
    await engine.writeCsv(file, ['CUSTOMERGROUPID', '_ERRORS'], [[['CG02', 'Bad "value"']]]);
    const text = await readFile(file, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toContain('"CG02","Bad ""value"""');
    expect(await all(await engine.openDataFile(file, null))).toEqual([['CG02', 'Bad "value"']]);
  });
});
