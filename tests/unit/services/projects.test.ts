import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateDocument } from '../../../electron/services/projects/migrations';
import { EDITS_FILE, PROJECT_FILE, ProjectService } from '../../../electron/services/projects/projectService';
import { projectMethods } from '../../../shared/api/domains/projects';
import type { RunRecord } from '../../../shared/api/domains/projects';

describe('workbench projects', () => {
  let dir: string;
  let events: unknown[];
  let projects: ProjectService;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dmfw-project-'));
    events = [];
    projects = new ProjectService((_event, payload) => events.push(payload));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('creates a git-friendly folder with one JSON file per concern', async () => {
    const summary = await projects.create(dir, 'Contoso wave 1');
    expect(summary).toMatchObject({
      edits: 0,
      recipes: 0,
      runs: 0,
      document: { name: 'Contoso wave 1', entities: [] },
    });
    expect((await readdir(dir)).sort()).toEqual(['dmfw-project.json', 'edits.json', 'recipes.json', 'runs']);
    const text = await readFile(join(dir, PROJECT_FILE), 'utf8');
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n  "schemaVersion": 1,\n');
    await expect(projects.create(dir, 'again')).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('saves binding, entities and options atomically and reads them back in a new service', async () => {
    await projects.create(dir, 'P');
    await projects.update(dir, {
      binding: { environment: 'Contoso UAT', dataProject: 'Wave1', company: 'USMF' },
      entities: [
        { label: 'Customer groups', sourceFile: 'groups.csv', enabled: true },
        {
          label: 'Customers V3',
          sourceFile: 'legacy/customers.xlsx',
          sheet: 'Export',
          mapping: [{ sourceColumn: 'Account', stagingField: 'CUSTOMERACCOUNT' }],
          sequence: { unit: 1, level: 2, sequence: 1 },
          enabled: true,
        },
      ],
    });
    const reopened = await new ProjectService(() => {}).open(dir);
    expect(reopened.document.binding).toEqual({ environment: 'Contoso UAT', dataProject: 'Wave1', company: 'USMF' });
    expect(reopened.document.entities[1]).toMatchObject({ sheet: 'Export', sequence: { level: 2 } });
    expect(reopened.document.options).toEqual({ packageFormat: 'CSV-Unicode', execute: true, overwrite: true });
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps the binding when an update through the contract does not name it', async () => {
    await projects.create(dir, 'P');
    await projects.update(dir, { binding: { environment: 'Contoso UAT', dataProject: 'Wave1' } });
    const params = projectMethods['projects.update'].params.parse({ dir, entities: [] });
    expect(params).not.toHaveProperty('binding');
    const { dir: _dir, ...change } = params;
    const updated = await projects.update(dir, change);
    expect(updated.document.binding).toEqual({ environment: 'Contoso UAT', dataProject: 'Wave1' });
  });

  it('acknowledges edits only once they are on disk, in order, without losing any under concurrency', async () => {
    await projects.create(dir, 'P');
    const edit = (i: number) => ({
      entity: 'Customers V3',
      sourceFile: 'c.csv',
      op: 'setCell',
      payload: { row: i, column: 'NAME', value: `v${i}` },
    });
    const acks = await Promise.all(Array.from({ length: 50 }, (_, i) => projects.appendEdits(dir, [edit(i)])));
    expect(acks.map((a) => a.lastSeq).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    // Every acknowledged edit is in the file (what a crash right now would leave).
    const onDisk = JSON.parse(await readFile(join(dir, EDITS_FILE), 'utf8')) as {
      entries: { seq: number; payload: { row: number } }[];
    };
    expect(onDisk.entries.map((e) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(new Set(onDisk.entries.map((e) => e.payload.row)).size).toBe(50);
    const page = await new ProjectService(() => {}).edits(dir, 45, 10);
    expect(page.total).toBe(50);
    expect(page.edits.map((e) => e.seq)).toEqual([46, 47, 48, 49, 50]);
  });

  it('stores recipes generically by id', async () => {
    await projects.create(dir, 'P');
    await projects.saveRecipe(dir, {
      id: 'trim',
      name: 'Trim names',
      entity: 'Customers V3',
      steps: [{ op: 'trim', payload: { column: 'NAME' } }],
    });
    await projects.saveRecipe(dir, { id: 'trim', name: 'Trim all', steps: [{ op: 'trim', payload: {} }] });
    expect(await projects.recipes(dir)).toEqual([
      { id: 'trim', name: 'Trim all', steps: [{ op: 'trim', payload: {} }] },
    ]);
    await projects.deleteRecipe(dir, 'trim');
    await expect(projects.deleteRecipe(dir, 'trim')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('keeps one run file per run, newest first', async () => {
    await projects.create(dir, 'P');
    const run = (jobId: string, startedAt: string): RunRecord => ({
      jobId,
      kind: 'import',
      environment: 'Local emulator',
      executionId: `E-${jobId}`,
      status: 'Succeeded',
      startedAt,
      finishedAt: startedAt,
      durationMs: 1000,
      packageHash: 'sha256:abc',
      settings: { execute: true },
      entities: [],
      errorCount: 0,
      errors: [],
    });
    await projects.addRun(dir, run('a', '2026-11-20T10:00:00.000Z'));
    await projects.addRun(dir, run('b', '2026-11-21T10:00:00.000Z'));
    expect((await projects.runs(dir)).map((r) => r.jobId)).toEqual(['b', 'a']);
    expect((await projects.open(dir)).runs).toBe(2);
  });

  it('compares each run with the one before it, and keeps the fingerprints out of the answer', async () => {
    await projects.create(dir, 'P');
    const base = { kind: 'import', environment: 'UAT', executionId: null, status: 'PartiallySucceeded' };
    const run = (jobId: string, day: number, fingerprints?: string[]): RunRecord => ({
      ...base,
      jobId,
      startedAt: `2026-11-${day}T10:00:00.000Z`,
      finishedAt: `2026-11-${day}T10:05:00.000Z`,
      durationMs: 300_000,
      packageHash: null,
      settings: {},
      entities: [],
      errorCount: fingerprints?.length ?? 0,
      errors: [],
      ...(fingerprints ? { fingerprints } : {}),
    });
    await projects.addRun(dir, run('old', 10));
    await projects.addRun(dir, run('c1', 11, ['x', 'y', 'z']));
    await projects.addRun(dir, run('c2', 18, ['y', 'z', 'w']));
    await projects.addRun(dir, run('c3', 25, []));
    const runs = await projects.runs(dir);
    expect(runs.map((r) => [r.jobId, r.cycle])).toEqual([
      ['c3', { new: 0, carriedOver: 0, resolved: 3, comparedWith: 'c2' }],
      ['c2', { new: 1, carriedOver: 2, resolved: 1, comparedWith: 'c1' }],
      ['c1', null],
      ['old', null],
    ]);
    expect(runs.some((r) => 'fingerprints' in r)).toBe(false);
  });

  it('refuses damaged files by name and overwrites nothing', async () => {
    await projects.create(dir, 'P');
    await writeFile(join(dir, PROJECT_FILE), '{ "schemaVersion": 1, <<<<<<< HEAD');
    await expect(new ProjectService(() => {}).open(dir)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('dmfw-project.json is not valid JSON'),
    });
    await writeFile(
      join(dir, PROJECT_FILE),
      JSON.stringify({ schemaVersion: 1, name: 'P', entities: [{ label: 'X' }] }),
    );
    await expect(new ProjectService(() => {}).open(dir)).rejects.toThrow(/at entities\.0\.sourceFile/);
    await writeFile(join(dir, PROJECT_FILE), JSON.stringify({ schemaVersion: 9, name: 'P' }));
    await expect(new ProjectService(() => {}).open(dir)).rejects.toThrow(/newer DMF Workbench/);
    expect(await readFile(join(dir, PROJECT_FILE), 'utf8')).toBe(JSON.stringify({ schemaVersion: 9, name: 'P' }));
    await expect(new ProjectService(() => {}).open(join(dir, 'nothing'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('migrates older schema versions one step at a time', () => {
    const migrations = {
      1: (d: Record<string, unknown>) => ({ ...d, entities: (d.files as string[]).map((f) => ({ sourceFile: f })) }),
      2: (d: Record<string, unknown>) => ({ ...d, name: String(d.name).trim() }),
    };
    expect(migrateDocument('p.json', { schemaVersion: 1, name: ' P ', files: ['a.csv'] }, 3, migrations)).toEqual({
      schemaVersion: 3,
      name: 'P',
      files: ['a.csv'],
      entities: [{ sourceFile: 'a.csv' }],
    });
    expect(() => migrateDocument('p.json', { name: 'x' }, 3, migrations)).toThrow(/no valid schemaVersion/);
    expect(() => migrateDocument('p.json', { schemaVersion: 2 }, 3, {})).toThrow(/No migration/);
  });
});
