import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInProcessTransport } from '../../../electron/rpc/inProcessTransport';
import { createClient } from '../../../shared/api/client';
import type { Client } from '../../../shared/api/client';
import { createTestWorkbench } from '../../support/workbench';
import type { TestWorkbench } from '../../support/workbench';

let test: TestWorkbench;
let client: Client;
let work: string;

const LONG_NAME = `Bellows College ${'of Applied Arts '.repeat(7)}Ltd`.slice(0, 126);
const CUSTOMERS = [
  'CUSTOMERACCOUNT,ORGANIZATIONNAME,CUSTOMERGROUPID,SALESCURRENCYCODE',
  'RD-0001,Alpine Ski House,RD-RET,USD',
  `RD-0002,${LONG_NAME},RD-RET,USD`,
].join('\r\n');
/** Headers that are not F&O's: the project maps them by hand. */
const GROUPS = ['Group,Name', 'RD-RET,Retail', 'RD-RET,Retail again'].join('\r\n');

beforeAll(async () => {
  test = await createTestWorkbench({ launchEmulator: null, datasets: { worker: null } });
  client = createClient(createInProcessTransport(test.workbench.dispatcher, test.workbench.hub));
  work = await mkdtemp(join(tmpdir(), 'dmfw-readiness-'));
  await writeFile(join(work, 'customers.csv'), CUSTOMERS);
  await writeFile(join(work, 'groups.csv'), GROUPS);
  await client.call('projects.create', { dir: join(work, 'Ready'), name: 'Ready' });
  await client.call('projects.update', {
    dir: join(work, 'Ready'),
    entities: [
      { label: 'Customers V3', sourceFile: join(work, 'customers.csv'), enabled: true },
      {
        label: 'Customer groups',
        sourceFile: join(work, 'groups.csv'),
        enabled: true,
        mapping: [
          { sourceColumn: 'Group', stagingField: 'CUSTOMERGROUPID' },
          { sourceColumn: 'Name', stagingField: 'DESCRIPTION' },
        ],
      },
    ],
  });
});

afterAll(async () => {
  await test?.dispose();
  await rm(work, { recursive: true, force: true });
});

describe('the readiness check before building', () => {
  it('lists the open findings per source and rule, with the mapping the package uses', async () => {
    const report = await client.call('packages.check', { dir: join(work, 'Ready') });
    // Offline, the rules are the built-in catalog's: listed as warnings, never passed in silence.
    expect(report).toMatchObject({ errors: 0, warnings: 2 });
    const customers = report.sources.find((s) => s.label === 'Customers V3')!;
    expect(customers).toMatchObject({ path: join(work, 'customers.csv'), fromGrid: false, rows: 2, warnings: 1 });
    expect(customers.rules).toEqual([
      {
        rule: 'max-length',
        severity: 'warning',
        count: 1,
        examples: [
          {
            row: 2,
            column: 'ORGANIZATIONNAME',
            message: expect.stringContaining('100'),
            // Each example says where its rule came from (issue 10): here the built-in catalog.
            source: expect.stringMatching(/^built-in/),
          },
        ],
      },
    ]);
    // Mapped by hand: "Group" is checked as CUSTOMERGROUPID (its repeat is a duplicate key).
    const groups = report.sources.find((s) => s.label === 'Customer groups')!;
    expect(groups.rules.map((r) => [r.rule, r.count, r.examples[0]?.row])).toEqual([['duplicate-key', 1, 2]]);
  });

  it('checks the rows as the grid holds them: a fix there clears the finding', async () => {
    const info = await client.call('datasets.open', { path: join(work, 'customers.csv') });
    await expect
      .poll(async () => (await client.call('datasets.get', { id: info.id })).state, { timeout: 30_000 })
      .toBe('ready');
    await client.call('datasets.edit', { id: info.id, edits: [{ row: 2, column: 1, value: 'Bellows College' }] });
    const report = await client.call('packages.check', { dir: join(work, 'Ready') });
    expect(report.sources.find((s) => s.label === 'Customers V3')).toMatchObject({
      fromGrid: true,
      errors: 0,
      warnings: 0,
      rules: [],
    });
    await client.call('datasets.close', { id: info.id });
  });

  it('says which source cannot be checked, and why', async () => {
    await client.call('projects.update', {
      dir: join(work, 'Ready'),
      entities: [{ label: 'Customers V3', sourceFile: join(work, 'gone.csv'), enabled: true }],
    });
    const report = await client.call('packages.check', { dir: join(work, 'Ready') });
    expect(report.sources[0]).toMatchObject({ label: 'Customers V3', errors: 0 });
    expect(report.sources[0]!.problem).toMatch(/gone\.csv/);
  });
});
