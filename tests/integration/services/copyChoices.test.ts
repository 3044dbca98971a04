import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../emulator';
import type { Emulator } from '../../../emulator';
import { openRowReader } from '../../../electron/services/sources/dataFiles';
import { fileSource } from '../../../electron/services/sources/rows';
import type { CopyDiffRow } from '../../../shared/api/domains/jobs';
import { emulatorBench, writeFiles } from '../../support/emulatorWorkbench';
import type { EmulatorBench } from '../../support/emulatorWorkbench';

/**
 * Issue 11, item 12: configuration copy under control. Records and fields chosen, insert only,
 * the before/after diff kept with the job, and the diff exported for a person.
 */
let emulator: Emulator;
let bench: EmulatorBench;
let work: string;

beforeAll(async () => {
  emulator = await startEmulator({ speed: 'max' });
  bench = await emulatorBench(emulator);
  work = await mkdtemp(join(tmpdir(), 'dmfw-copy-choices-'));
  // USMF gets three groups (one whose description a spreadsheet would run as a formula); DEMF
  // already has one of them, described in German.
  await importGroups('usmf', 'USMF', ['CC-EXIST,English,Net30', 'CC-NEW,Brand new,Net30', 'CC-FORMULA,=1+2,Net30']);
  await importGroups('demf', 'DEMF', ['CC-EXIST,Deutsch,Net30']);
});

afterAll(async () => {
  await bench?.dispose();
  await emulator?.stop();
  await rm(work, { recursive: true, force: true });
});

async function importGroups(name: string, company: string, rows: string[]): Promise<void> {
  const dir = join(work, name);
  await writeFiles(dir, { 'groups.csv': ['CUSTOMERGROUPID,DESCRIPTION,PAYMENTTERMID', ...rows].join('\n') });
  await bench.client.call('projects.create', { dir, name });
  await bench.client.call('projects.update', {
    dir,
    entities: [{ label: 'Customer groups', sourceFile: 'groups.csv', enabled: true }],
  });
  const job = await bench.finish(
    await bench.client.call('jobs.startImport', { environmentId: bench.env, source: dir, dataProject: name, company }),
  );
  expect(job.state).toBe('succeeded');
}

/** Descriptions of DEMF's records of an entity, by key field. */
async function demf(collection: string, key: string): Promise<Record<string, string>> {
  const { dmf } = await bench.test.workbench.services.dmf.open(bench.env);
  const found: Record<string, string> = {};
  for await (const page of dmf.readCollection(collection, { crossCompany: true, filter: "dataAreaId eq 'demf'" })) {
    for (const r of page) found[String(r[key])] = String(r.Description);
  }
  return found;
}

async function rows(jobId: string, entity: string): Promise<Record<string, CopyDiffRow>> {
  const { rows: list } = await bench.client.call('jobs.diffRows', { jobId, entity, limit: 500 });
  return Object.fromEntries(list.map((r) => [r.key, r]));
}

const copy = (entities: string[]) =>
  bench.client.call('jobs.startCopy', {
    from: { environmentId: bench.env, company: 'USMF' },
    to: { environmentId: bench.env, company: 'DEMF' },
    entities,
    review: true,
  });

describe('configuration copy under control', () => {
  let groupsCopy = '';

  it('insert only, with a record unticked: never overwrites, and the diff is kept after the run', async () => {
    const { client } = bench;
    const review = await bench.finish(await copy(['Customer groups']));
    expect(review).toMatchObject({ state: 'waiting', step: 'pause' });
    const before = await rows(review.id, 'Customer groups');
    expect(before['CC-EXIST']).toMatchObject({
      status: 'changed',
      copied: null,
      changes: [{ field: 'DESCRIPTION', target: 'Deutsch', copied: 'English', kept: false }],
    });
    expect(before['CC-NEW']?.status).toBe('new');
    const newOnes = review.diff![0]!.new;

    const done = await bench.finish(
      await client.call('jobs.confirm', {
        jobId: review.id,
        choices: { insertOnly: true, entities: { 'Customer groups': { skip: ['CC-NEW'], keepTarget: [] } } },
      }),
    );
    groupsCopy = done.id;
    expect(done).toMatchObject({ state: 'succeeded' });
    expect(done.diff![0]).toMatchObject({ sent: newOnes - 1, verified: newOnes - 1 });
    // The target: the existing record untouched, the unticked one not there, the others copied.
    const target = await demf('CustomerGroups', 'CustomerGroupId');
    expect(target['CC-EXIST']).toBe('Deutsch');
    expect(target['CC-NEW']).toBeUndefined();
    expect(target['CC-FORMULA']).toBe('=1+2');
    // The diff as it was before the copy, with what was sent and what the target then held.
    const after = await rows(done.id, 'Customer groups');
    expect(after['CC-EXIST']).toMatchObject({ status: 'changed', copied: false, after: null });
    expect(after['CC-NEW']).toMatchObject({ status: 'new', copied: false, after: null });
    expect(after['CC-FORMULA']).toMatchObject({ status: 'new', copied: true, after: 'matches' });
  });

  it("keeps the target's value of a field, leaves a record out, and verifies what it sent", async () => {
    const { client } = bench;
    const review = await bench.finish(await copy(['Terms of payment']));
    const terms = review.diff![0]!;
    // DEMF has USMF's payment terms, described in German: only DESCRIPTION differs.
    expect(terms).toMatchObject({ changed: 6, fields: [{ field: 'DESCRIPTION', records: 6 }] });
    const germanBefore = await demf('PaymentTerms', 'Name');
    const first = Object.keys(await rows(review.id, 'Terms of payment'))[0]!;
    const done = await bench.finish(
      await client.call('jobs.confirm', {
        jobId: review.id,
        choices: {
          insertOnly: false,
          entities: { 'Terms of payment': { skip: [first], keepTarget: ['DESCRIPTION'] } },
        },
      }),
    );
    expect(done).toMatchObject({ state: 'succeeded' });
    expect(done.diff![0]).toMatchObject({ sent: 5, verified: 5 });
    expect(await demf('PaymentTerms', 'Name')).toEqual(germanBefore);
    const after = await rows(done.id, 'Terms of payment');
    expect(after[first]).toMatchObject({ status: 'changed', copied: false, after: null });
    const sent = Object.values(after).filter((r) => r.copied);
    expect(sent).toHaveLength(5);
    for (const r of sent) {
      expect(r).toMatchObject({ status: 'changed', after: 'matches', changes: [{ field: 'DESCRIPTION', kept: true }] });
    }

    // The diff for a person, as Excel: one line per field, the choice and the outcome.
    const xlsx = join(work, 'terms-diff.xlsx');
    await expect(client.call('jobs.exportDiff', { jobId: done.id, path: xlsx })).resolves.toEqual({
      path: xlsx,
      rows: 6,
    });
    const reader = await openRowReader(await fileSource(xlsx), 'xlsx');
    const lines: string[][] = [];
    for await (const batch of reader) lines.push(...batch.rows.map((r) => [...r]));
    await reader.close();
    expect(reader.columns).toEqual([
      'Entity',
      'Key',
      'Before the copy',
      'Copied',
      'Field',
      'Value in the target before',
      'Copied value',
      "Target's value kept",
      'After the copy',
    ]);
    expect(lines.find((l) => l[1] === first)).toEqual([
      'Terms of payment',
      first,
      'Changed',
      'No',
      'DESCRIPTION',
      germanBefore[first],
      expect.any(String),
      'No',
      '',
    ]);
    expect(lines.filter((l) => l[7] === 'Yes' && l[8] === 'Matches')).toHaveLength(5);
  });

  it('exports the diff as CSV with formula-like cells neutralised', async () => {
    const csv = join(work, 'groups-diff.csv');
    await bench.client.call('jobs.exportDiff', { jobId: groupsCopy, path: csv });
    const text = await readFile(csv, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toContain(`"Customer groups","CC-FORMULA","New","Yes","DESCRIPTION","","'=1+2","No","Matches"`);
    await expect(
      bench.client.call('jobs.exportDiff', { jobId: groupsCopy, path: join(work, 'x.txt') }),
    ).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
  });
});
