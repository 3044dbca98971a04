import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli/main';
import { BUILT_IN_CATALOG } from '../../../shared/domain/catalog';
import type { CliIo } from '../../../electron/cli/io';
import { createRowWriter } from '../../../electron/services/sources/dataFiles';
import { REPO_ROOT } from '../../support/paths';

function captureIo(): CliIo & { out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out: () => out.join(''),
    err: () => err.join(''),
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    interactive: false,
    env: {},
    cwd: REPO_ROOT,
  };
}

async function run(...args: string[]) {
  const io = captureIo();
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

const METADATA = join('tests', 'fixtures', 'metadata');

describe('dmfw catalog', () => {
  it('lists every entity with target entity, collection, scope and key', async () => {
    const { code, out } = await run('catalog');
    expect(code).toBe(0);
    expect(out).toMatch(new RegExp(`^${BUILT_IN_CATALOG.entities.length} entities in the built-in catalog`));
    expect(out).toMatch(
      /Customers V3 +CustCustomerV3Entity +CustomersV3 +Accounts receivable +company +CUSTOMERACCOUNT/,
    );
  });

  it('shows one entity with fields in header order, references and sources', async () => {
    const { code, out } = await run('catalog', 'customer groups');
    expect(code).toBe(0);
    expect(out).toContain('Customer groups  (Accounts receivable, company-specific: DATAAREAID)');
    expect(out).toMatch(/CUSTOMERGROUPID +String +10 +key 1/);
    expect(out).toContain('PAYMENTTERMID → Terms of payment (NAME)');
    expect(out).toContain('Referenced by: Customers V3');
    expect(out).toMatch(/\[learn\] label, staging field names: MicrosoftDocs\/dynamics-365-unified-operations-public@/);
  });

  it('prints JSON with the entity and the enums it uses', async () => {
    const { code, out } = await run('catalog', 'CustomersV3', '--json');
    expect(code).toBe(0);
    const json = JSON.parse(out) as { entity: { targetEntity: string; fields: unknown[] }; enums: { name: string }[] };
    expect(json.entity.targetEntity).toBe('CustCustomerV3Entity');
    expect(json.enums.map((e) => e.name)).toEqual(expect.arrayContaining(['NoYes', 'CustVendorBlocked']));
    const list = JSON.parse((await run('catalog', '--json')).out) as { entities: unknown[] };
    expect(list.entities).toHaveLength(BUILT_IN_CATALOG.entities.length);
  });

  it('exits 2 with suggestions for an unknown entity and for too many arguments', async () => {
    const unknown = await run('catalog', 'Custmer groups');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('Did you mean "Customer groups"');
    expect((await run('catalog', 'a', 'b')).code).toBe(2);
  });

  it("reads an environment's saved metadata, and exits 2 for an unreadable folder", async () => {
    const { code, out } = await run('catalog', '--metadata', METADATA);
    expect(code).toBe(0);
    expect(out).toMatch(/^3 entities in the tests\/fixtures\/metadata catalog|^3 entities in the .*metadata catalog/);
    const missing = await run('catalog', '--metadata', 'no/such/folder');
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/has no \$metadata\.xml/);
  });
});

describe('dmfw sequence', () => {
  it('prints the plan with a reason per entity and a unit per independent group', async () => {
    const { code, out } = await run(
      'sequence',
      'Customers V3',
      'Customer groups',
      'Terms of payment',
      'Sites',
      'Warehouses',
    );
    expect(code).toBe(0);
    expect(out).toMatch(
      /1 +3 +1 +Customers V3 +Customers V3 is on level 3 because CUSTOMERGROUPID references Customer groups on level 2/,
    );
    expect(out).toMatch(
      /2 +2 +1 +Warehouses +Warehouses is on level 2 because OPERATIONALSITEID references Sites on level 1/,
    );
    expect(out).toContain('Execution unit 2 (Sites, Warehouses) shares no references with the other units');
  });

  it('prints JSON and keeps fixed placements', async () => {
    const { code, out } = await run(
      'sequence',
      'Customer groups',
      '--set',
      'Terms of payment=1.10.5',
      '--level-step',
      '10',
      '--json',
    );
    expect(code).toBe(0);
    const plan = JSON.parse(out) as {
      placements: { label: string; executionUnit: number; level: number; sequence: number; origin: string }[];
    };
    expect(plan.placements.map((p) => [p.label, p.executionUnit, p.level, p.sequence, p.origin])).toEqual([
      ['Terms of payment', 1, 10, 5, 'override'],
      ['Customer groups', 1, 20, 1, 'auto'],
    ]);
  });

  it('exits 1 when a fixed placement breaks a reference', async () => {
    const { code, out } = await run('sequence', 'Customers V3', 'Customer groups', '--set', 'Customers V3=1.1.1');
    expect(code).toBe(1);
    expect(out).toMatch(/Warning: Customers V3 is on level 1 but references Customer groups on level 1/);
  });

  it('exits 2 for no entity, an unknown entity, a bad --set or a bad --level-step', async () => {
    expect((await run('sequence')).code).toBe(2);
    const unknown = await run('sequence', 'Customer grups');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('Did you mean "Customer groups"');
    const badSet = await run('sequence', 'Currencies', '--set', 'Currencies=first');
    expect(badSet.code).toBe(2);
    expect(badSet.err).toContain('--set takes "<entity>=<unit>.<level>.<sequence>"');
    expect((await run('sequence', 'Currencies', '--level-step', '0')).code).toBe(2);
  });
});

describe('dmfw validate', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dmfw-validate-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const file = async (name: string, content: string | Buffer) => {
    const path = join(dir, name);
    await writeFile(path, content);
    return path;
  };
  const HEADER = 'CUSTOMERACCOUNT,CUSTOMERGROUPID,SALESCURRENCYCODE,CREDITLIMIT,ONHOLDSTATUS,INVOICEACCOUNT';

  it('exits 0 for a clean file and reports the row count', async () => {
    const path = await file('good.csv', `${HEADER}\r\nC1,10,USD,100.5,No,\r\nC2,10,USD,.5,Invoice,C1\r\n`);
    const { code, out } = await run('validate', '--entity', 'Customers V3', path);
    expect(code).toBe(0);
    expect(out).toContain('Customers V3: 2 rows in');
    expect(out).toContain('0 errors, 0 warnings.');
    expect(out).toContain('References to Customer groups, Currencies were not checked');
  });

  it("exits 1 and lists each finding with row, column, rule, fix and the rule's source", async () => {
    const path = await file('bad.csv', `${HEADER}\nC1,10,USD,abc,Blocked,\nc1 ,10,USD,1,No,C9\n\nC3,,EUR,1,No,\n`);
    const listed = (out: string) =>
      out
        .split('\n')
        .filter((l) => /^(error|warning)/.test(l))
        .map((l) => {
          const parts = l.replace(/\s{2,}/g, '|').split('|');
          return [...parts.slice(0, 3), parts.at(-1)];
        });
    // Against an environment's metadata, its rules are errors; what only the built-in catalog
    // knows (the INVOICEACCOUNT self reference) stays a warning.
    const meta = await run('validate', '--entity', 'customersv3', path, '--metadata', METADATA);
    expect(meta.code).toBe(1);
    const source = `(rule: metadata saved in ${join(REPO_ROOT, METADATA)})`;
    expect(listed(meta.out)).toEqual([
      ['error', 'row 1, CREDITLIMIT', '[real]', source],
      ['error', 'row 1, ONHOLDSTATUS', '[enum]', source],
      ['error', 'row 2, CUSTOMERACCOUNT', '[duplicate-key]', source],
      ['warning', 'row 2, INVOICEACCOUNT', '[reference]', '(rule: built-in, unverified)'],
      // Blank lines are not data rows (the package engine's numbering, used for lineage everywhere).
      ['error', 'row 3, CUSTOMERGROUPID', '[mandatory]', source],
    ]);
    // The built-in catalog alone is never F&O's word: the same findings, as warnings (exit 0).
    const builtIn = await run('validate', '--entity', 'customersv3', path);
    expect(builtIn.code).toBe(0);
    expect(listed(builtIn.out).map((l) => [l[0], l[2], l[3]])).toEqual(
      ['[real]', '[enum]', '[duplicate-key]', '[reference]', '[mandatory]'].map((r) => [
        'warning',
        r,
        '(rule: built-in, unverified)',
      ]),
    );
    const json = JSON.parse((await run('validate', '--entity', 'Customers V3', path, '--json')).out) as {
      summary: { rows: number; errors: number; warnings: number };
      findings: { row: number; rule: string; source: string }[];
    };
    expect(json.summary).toMatchObject({ rows: 3, errors: 0, warnings: 5 });
    expect(json.findings.map((f) => f.rule)).toContain('duplicate-key');
    expect(new Set(json.findings.map((f) => f.source))).toEqual(new Set(['built-in, unverified']));
  });

  it('reads CSV-Unicode (UTF-16LE with BOM, semicolons) and reports header problems', async () => {
    const text = 'CUSTOMERGROUPID;DESCRIPTION;BOGUS\r\n10;Ten;x\r\n';
    const path = await file('unicode.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const { code, out } = await run('validate', '--entity', 'Customer groups', path);
    expect(code).toBe(0);
    expect(out).toMatch(/warning {2}header, BOGUS {2}\[unknown-column\]/);
    expect(out).toContain('Customer groups: 1 rows in');
  });

  it('validates against saved metadata when given', async () => {
    const path = await file('meta.csv', 'CUSTOMERACCOUNT,CUSTOMERGROUPID,ONHOLDSTATUS\nC1,10,Payment\nC2,10,Never\n');
    const { code, out } = await run('validate', '--entity', 'Customers V3', path, '--metadata', METADATA);
    expect(code).toBe(1);
    expect(out).toMatch(
      /row 2, ONHOLDSTATUS {2}\[enum\] {2}ONHOLDSTATUS "Never" is not a value of CustVendorBlocked: use one of No, Invoice, All, Payment\./,
    );
  });

  it('reads Excel and XML data files with the package engine readers', async () => {
    const columns = ['CUSTOMERGROUPID', 'DESCRIPTION'];
    const rows = [
      ['10', 'Wholesale'],
      ['10', 'Duplicate key'],
    ];
    for (const [name, kind] of [
      ['groups.xlsx', 'xlsx'],
      ['groups.xml', 'xml-attribute'],
    ] as const) {
      const path = join(dir, name);
      const out = createWriteStream(path);
      const writer = createRowWriter(kind, out, { columns, file: name, sheetName: 'Customer_groups' });
      await writer.write(rows);
      await writer.end();
      const { code, out: text } = await run('validate', '--entity', 'Customer groups', path);
      expect(code).toBe(0);
      expect(text).toMatch(/warning {2}row 2, CUSTOMERGROUPID {2}\[duplicate-key\]/);
    }
  });

  it('exits 2 for a missing, empty or unsupported file, an unknown entity and bad options', async () => {
    const missing = await run('validate', '--entity', 'Customers V3', join(dir, 'nope.csv'));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/nope\.csv: does not exist/);
    const empty = await run('validate', '--entity', 'Customers V3', await file('empty.csv', ''));
    expect(empty.code).toBe(2);
    expect(empty.err).toMatch(/empty\.csv: is empty/);
    expect((await run('validate', '--entity', 'Customers V3', join(dir, 'x.json'))).err).toMatch(
      /give a CSV \(\.csv, \.txt, \.tsv\), Excel \(\.xlsx\) or XML/,
    );
    expect((await run('validate', '--entity', 'Custmers V3', await file('a.csv', 'A\n'))).err).toContain(
      'Did you mean "Customers V3"',
    );
    expect((await run('validate', join(dir, 'a.csv'))).code).toBe(2);
    expect((await run('validate', '--entity', 'Currencies', join(dir, 'a.csv'), '--decimal', ';')).code).toBe(2);
  });
});
