import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInProcessTransport } from '../../../electron/rpc/inProcessTransport';
import { createClient } from '../../../shared/api/client';
import type { Client } from '../../../shared/api/client';
import { writeFiles } from '../../support/emulatorWorkbench';
import { createTestWorkbench } from '../../support/workbench';
import type { TestWorkbench } from '../../support/workbench';

let home: string;
let work: string;

const clientOf = (test: TestWorkbench): Client =>
  createClient(createInProcessTransport(test.workbench.dispatcher, test.workbench.hub));

/** Opens a file and waits until its rows are in (subscribed first: small files load at once). */
async function open(client: Client, path: string) {
  let loaded = () => {};
  const done = new Promise<void>((resolve) => (loaded = resolve));
  const off = client.on('datasets.progress', (p) => {
    if (p.state !== 'loading') loaded();
  });
  try {
    const info = await client.call('datasets.open', { path, options: {} });
    if (info.state === 'loading') await done;
    return info;
  } finally {
    off();
  }
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'dmfw-pj-home-'));
  work = await mkdtemp(join(tmpdir(), 'dmfw-pj-work-'));
  await writeFiles(work, {
    'wave/legacy/groups.csv': 'CUSTOMERGROUPID,DESCRIPTION\nCG01,Wholesale\nCG02,Retial\n',
    'loose/other.csv': 'A,B\n1,2\n',
  });
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
  await rm(work, { recursive: true, force: true });
});

describe("the grid's edits journal in a workbench project", () => {
  it('keeps edits to a source inside a project in its edits.json, and replays them after a restart', async () => {
    const first = await createTestWorkbench({ home, launchEmulator: null });
    const c = clientOf(first);
    await c.call('projects.create', { dir: join(work, 'wave'), name: 'Wave' });
    await c.call('projects.update', {
      dir: join(work, 'wave'),
      entities: [{ label: 'Customer groups', sourceFile: 'legacy/groups.csv', enabled: true }],
    });
    const info = await open(c, join(work, 'wave/legacy/groups.csv'));
    await c.call('datasets.edit', { id: info.id, edits: [{ row: 2, column: 1, value: 'Retail' }] });
    const loose = await open(c, join(work, 'loose/other.csv'));
    await c.call('datasets.edit', { id: loose.id, edits: [{ row: 1, column: 0, value: '9' }] });
    await first.dispose();

    const journal = JSON.parse(await readFile(join(work, 'wave/edits.json'), 'utf8')) as {
      entries: { seq: number; entity: string; sourceFile: string; op: string; payload: { entry: { op: string } } }[];
    };
    expect(journal.entries).toEqual([
      expect.objectContaining({ seq: 1, entity: 'Customer groups', sourceFile: 'legacy/groups.csv', op: 'cells' }),
    ]);
    // A file outside any project keeps its journal in the workbench's data folder.
    expect((await readdir(join(home, 'datasets', 'journals'))).length).toBe(1);

    const second = await createTestWorkbench({ home, launchEmulator: null });
    try {
      const c2 = clientOf(second);
      const again = await open(c2, join(work, 'wave/legacy/groups.csv'));
      // The service replays the journal once the rows are in.
      const cells = async () => JSON.stringify(await c2.call('datasets.rows', { id: again.id, start: 0, count: 10 }));
      await expect.poll(cells).toContain('"CG02","Retail"');
    } finally {
      await second.dispose();
    }
  });
});
