import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli/main';
import { recordingIo } from '../../support/cliIo';
import { REAL_PACKAGE, REPO_ROOT } from '../../support/paths';
import { tempDirs } from '../../support/tempDir';

const temp = tempDirs();

const GROUPS = 'CUSTOMERGROUPID,DESCRIPTION,PAYMENTTERMID\r\n10,Wholesale,Net30\r\n20,"Retail, small",Net10\r\n';
const CUSTOMERS =
  'CUSTOMERACCOUNT,CUSTOMERGROUPID,SALESCURRENCYCODE,OrganizationName,CREDITLIMIT\r\n' +
  'C-001,10,USD,Contoso,1000.50\r\nC-002,20,USD,Fabrikam,0\r\nC-003,10,EUR,Litware,250\r\n';

async function setup(): Promise<string> {
  const dir = await temp.make();
  await writeFile(join(dir, 'groups.csv'), GROUPS);
  await writeFile(join(dir, 'customers.csv'), CUSTOMERS);
  return dir;
}

async function run(dir: string, ...argv: string[]) {
  const io = recordingIo(dir);
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe('dmfw pack, inspect and lint', () => {
  it('packs with auto-sequencing, and inspect shows the same entities, sequence and mapping', async () => {
    const dir = await setup();
    const packed = await run(
      dir,
      'pack',
      '--out',
      'setup.zip',
      '--auto-sequence',
      '--entity',
      'Customers V3=customers.csv',
      '--entity',
      'customer groups=groups.csv',
    );
    expect(packed.code).toBe(0);
    expect(packed.out).toMatch(
      /Customers V3 is on level 2 because CUSTOMERGROUPID references Customer groups on level 1/,
    );
    expect(packed.out).toMatch(/Wrote .*setup\.zip\./);

    const inspected = await run(dir, 'inspect', 'setup.zip', '--json');
    expect(inspected.code).toBe(0);
    const json = JSON.parse(inspected.out) as {
      header: Record<string, unknown>;
      entities: Record<string, unknown>[];
      lint: unknown[];
    };
    expect(Object.keys(json)).toEqual(['header', 'entities', 'lint']);
    expect(json.header).toEqual({ description: 'setup', packageType: 'DefinitionGroup', packageVersion: 2 });
    expect(json.entities).toEqual([
      {
        label: 'Customer groups',
        targetEntity: 'CustCustomerGroupEntity',
        file: 'Customer groups.csv',
        format: 'CSV',
        executionUnit: 1,
        level: 1,
        sequence: 1,
        rows: 2,
        fields: ['CUSTOMERGROUPID', 'DESCRIPTION', 'PAYMENTTERMID'].map((f) => ({ xmlField: f, entityField: f })),
      },
      {
        label: 'Customers V3',
        targetEntity: 'CustCustomerV3Entity',
        file: 'Customers V3.csv',
        format: 'CSV',
        executionUnit: 1,
        level: 2,
        sequence: 1,
        rows: 3,
        fields: [
          { xmlField: 'CREDITLIMIT', entityField: 'CREDITLIMIT' },
          { xmlField: 'CUSTOMERACCOUNT', entityField: 'CUSTOMERACCOUNT' },
          { xmlField: 'CUSTOMERGROUPID', entityField: 'CUSTOMERGROUPID' },
          { xmlField: 'OrganizationName', entityField: 'ORGANIZATIONNAME' },
          { xmlField: 'SALESCURRENCYCODE', entityField: 'SALESCURRENCYCODE' },
        ],
      },
    ]);
    expect(json.lint).toEqual([]);
    const text = await run(dir, 'inspect', 'setup.zip');
    expect(text.out).toMatch(/1\.2\.1\s+Customers V3\s+CustCustomerV3Entity\s+CSV\s+Customers V3\.csv\s+3\s+5/);
    expect(text.out).toMatch(/OrganizationName → ORGANIZATIONNAME/);
    expect((await run(dir, 'lint', 'setup.zip')).code).toBe(0);
  });

  it.each(['CSV-Unicode', 'EXCEL', 'XML-Attribute', 'XML-Element'])(
    'packs into %s and reads the rows back',
    async (format) => {
      const dir = await setup();
      const packed = await run(
        dir,
        'pack',
        '--out',
        'p.zip',
        '--format',
        format.toLowerCase(),
        '--entity',
        'Customer groups=groups.csv',
      );
      expect(packed.code).toBe(0);
      const json = JSON.parse((await run(dir, 'inspect', 'p.zip', '--json')).out) as {
        entities: { format: string; rows: number; file: string }[];
        lint: unknown[];
      };
      expect(json.entities[0]).toMatchObject({ format, rows: 2 });
      expect(json.lint).toEqual([]);
    },
  );

  it("writes nothing and exits 1 when the environment's metadata finds errors, unless --no-validate", async () => {
    const dir = await setup();
    const metadata = join(REPO_ROOT, 'tests', 'fixtures', 'metadata');
    await writeFile(join(dir, 'bad.csv'), 'CUSTOMERGROUPID,DESCRIPTION\r\n10,A\r\n10,B\r\n,C\r\n');
    const failed = await run(
      dir,
      'pack',
      '--out',
      'p.zip',
      '--entity',
      'Customer groups=bad.csv',
      '--metadata',
      metadata,
    );
    expect(failed.code).toBe(1);
    expect(failed.out).toMatch(/Validation: 2 errors/);
    expect(failed.out).toMatch(/duplicate|repeats/i);
    expect(failed.out).toMatch(/\[metadata saved in .*fixtures\/metadata\]/);
    expect(failed.out).toMatch(/Nothing written/);
    expect(await readdir(dir)).not.toContain('p.zip');
    const forced = await run(dir, 'pack', '--out', 'p.zip', '--no-validate', '--entity', 'Customer groups=bad.csv');
    expect(forced.code).toBe(0);
    const lint = await run(dir, 'lint', 'p.zip', '--json', '--metadata', metadata);
    expect(lint.code).toBe(1);
    expect(JSON.parse(lint.out)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          code: 'DUPLICATE_KEY',
          entity: 'Customer groups',
          file: 'Customer groups.csv',
          source: expect.stringMatching(/^metadata saved in /) as unknown,
        }),
      ]),
    );
  });

  it('writes the package when only the built-in catalog finds problems: its rules are warnings, with their source', async () => {
    const dir = await setup();
    await writeFile(join(dir, 'bad.csv'), 'CUSTOMERGROUPID,DESCRIPTION\r\n10,A\r\n10,B\r\n,C\r\n');
    const packed = await run(dir, 'pack', '--out', 'p.zip', '--entity', 'Customer groups=bad.csv');
    expect(packed.code).toBe(0);
    expect(packed.out).toMatch(/Validation: 0 errors, 2 warnings/);
    expect(packed.out).toMatch(/warning Customer groups, row 2, CUSTOMERGROUPID: .* \[built-in, unverified\]/);
    expect(await readdir(dir)).toContain('p.zip');
    const lint = await run(dir, 'lint', 'p.zip');
    expect(lint.code).toBe(0);
    expect(lint.out).toMatch(
      /warning DUPLICATE_KEY \(Customer groups · Customer groups\.csv\)[\s\S]*rule: built-in, unverified/,
    );
  });

  it('splits a big data file across packages to import in order', async () => {
    const dir = await setup();
    const rows = Array.from({ length: 40_000 }, (_, i) => `G${i},Group number ${i} with a longer description,Net30`);
    await writeFile(join(dir, 'many.csv'), `CUSTOMERGROUPID,DESCRIPTION,PAYMENTTERMID\r\n${rows.join('\r\n')}\r\n`);
    const packed = await run(
      dir,
      'pack',
      '--out',
      'many.zip',
      '--split-mb',
      '1',
      '--entity',
      'Customer groups=many.csv',
    );
    expect(packed.code).toBe(0);
    const parts = (await readdir(dir)).filter((f) => f.startsWith('many') && f.endsWith('.zip')).sort();
    expect(parts.length).toBeGreaterThan(1);
    let total = 0;
    for (const part of parts) {
      const json = JSON.parse((await run(dir, 'inspect', part, '--json')).out) as { entities: { rows: number }[] };
      total += json.entities[0]!.rows;
    }
    expect(total).toBe(40_000);
    expect(packed.err).toMatch(/Split: continuing in many-2\.zip/);
  });

  it('inspects the real F&O package', async () => {
    const result = await run(process.cwd(), 'inspect', REAL_PACKAGE);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/1\.1\.1\s+Fixed asset major type\s+EXCEL\s+Fixed asset major type\.xlsx\s+11\s+2/);
  });

  it('exits 2 with a clear message for usage mistakes and unreadable packages', async () => {
    const dir = await setup();
    await writeFile(join(dir, 'broken.zip'), 'not a zip');
    const cases: [string[], RegExp][] = [
      [['pack', '--entity', 'Customer groups=groups.csv'], /Name the package to write with --out/],
      [['pack', '--out', 'x.zip'], /at least one --entity/],
      [['pack', '--out', 'x.zip', '--entity', 'groups.csv'], /--entity takes "<label>=<file>"/],
      [
        ['pack', '--out', 'x.zip', '--format', 'PDF', '--entity', 'Customer groups=groups.csv'],
        /--format must be one of CSV, CSV-Unicode, EXCEL, XML-Attribute, XML-Element/,
      ],
      [
        ['pack', '--out', 'x.zip', '--split-mb', 'lots', '--entity', 'Customer groups=groups.csv'],
        /--split-mb must be a whole number/,
      ],
      [['pack', '--out', 'x.zip', '--entity', 'Customer groups=missing.csv'], /missing\.csv does not exist/],
      [['inspect'], /Name the package/],
      [['inspect', 'broken.zip'], /broken\.zip is not a readable zip file/],
      [['lint', 'nowhere.zip'], /nowhere\.zip cannot be opened: it does not exist/],
    ];
    for (const [argv, message] of cases) {
      const result = await run(dir, ...argv);
      expect([argv.join(' '), result.code]).toEqual([argv.join(' '), 2]);
      expect(result.err).toMatch(message);
    }
  });
});

describe('the command registry', () => {
  it('loads, for every registered name, the command of that name', async () => {
    const { COMMANDS } = await import('../../../electron/cli/main');
    for (const entry of COMMANDS) expect((await entry.load()).name).toBe(entry.name);
  });
});
