import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli/main';
import { recordingIo } from '../../support/cliIo';
import { writeFiles } from '../../support/emulatorWorkbench';
import { REPO_ROOT } from '../../support/paths';

/** An environment's metadata: its lengths are F&O's own, so a value too long is an error. */
const METADATA = join(REPO_ROOT, 'tests', 'fixtures', 'metadata');

let dir: string;

async function run(...args: string[]) {
  const io = recordingIo(dir);
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dmfw-validate-project-'));
  await writeFiles(dir, {
    // Mapped by the project: "Group" feeds CUSTOMERGROUPID; row 2's key is longer than 10.
    'wave/legacy/groups.csv': 'Group,Name,Terms\nVP01,Fine,Net30\nVP02-KEY-TOO-LONG,Long key,Net30\n',
    // By name; row 1 has no DESCRIPTION, which the entity does not need.
    'wave/terms.csv': 'NAME,DESCRIPTION\nNet30,Net 30 days\nNet10,\n',
    // Disabled: never read (the file does not even exist).
    'wave/dmfw-project.json': JSON.stringify({
      schemaVersion: 1,
      name: 'Validate wave',
      entities: [
        {
          label: 'Customer groups',
          sourceFile: 'legacy/groups.csv',
          mapping: [
            { sourceColumn: 'Group', stagingField: 'CUSTOMERGROUPID' },
            { sourceColumn: 'Name', stagingField: 'DESCRIPTION' },
            { sourceColumn: 'Terms', stagingField: 'PAYMENTTERMID' },
          ],
        },
        { label: 'Terms of payment', sourceFile: 'terms.csv' },
        { label: 'Customers V3', sourceFile: 'missing.csv', enabled: false },
      ],
    }),
    'empty/dmfw-project.json': JSON.stringify({ schemaVersion: 1, name: 'Empty', entities: [] }),
    'broken/dmfw-project.json': JSON.stringify({
      schemaVersion: 1,
      name: 'Broken',
      entities: [{ label: 'Customer groups', sourceFile: 'nowhere.csv' }],
    }),
  });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('dmfw validate <project folder>', () => {
  it("checks every enabled entity's file with the project's mapping, exit 1 on errors", async () => {
    const { code, out } = await run('validate', 'wave', '--metadata', METADATA);
    expect(code).toBe(1);
    expect(out).toMatch(/error {2}row 2, Group {2}\[max-length\]/);
    expect(out).toContain('Customer groups: 2 rows in legacy/groups.csv: 1 error, 0 warnings.');
    expect(out).toContain('Terms of payment: 2 rows in terms.csv: 0 errors');
    expect(out).not.toContain('missing.csv');
  });

  it('grades a length only the built-in catalog knows as a warning (exit 0)', async () => {
    const { code, out } = await run('validate', 'wave');
    expect(code).toBe(0);
    expect(out).toMatch(/warning {2}row 2, Group {2}\[max-length\]/);
    expect(out).toContain('Customer groups: 2 rows in legacy/groups.csv: 0 errors, 1 warning.');
  });

  it('prints every entity as JSON with --json', async () => {
    const { out } = await run('validate', join(dir, 'wave'), '--json', '--metadata', METADATA);
    const json = JSON.parse(out) as {
      project: string;
      entities: { entity: string; file: string; summary: { rows: number; errors: number } }[];
    };
    expect(json.project).toBe('Validate wave');
    expect(json.entities.map((e) => [e.entity, e.file, e.summary.rows, e.summary.errors])).toEqual([
      ['Customer groups', 'legacy/groups.csv', 2, 1],
      ['Terms of payment', 'terms.csv', 2, 0],
    ]);
  });

  it('exits 2 with one line for a project without entities or with a file that is not there', async () => {
    const empty = await run('validate', 'empty');
    expect(empty).toMatchObject({ code: 2, err: expect.stringContaining('has no enabled entity to validate') });
    const broken = await run('validate', 'broken');
    expect(broken.code).toBe(2);
    expect(broken.err).toMatch(/^dmfw validate: Customer groups: nowhere\.csv/);
    expect(broken.err.split('\n').filter(Boolean)).toHaveLength(2);
  });
});
