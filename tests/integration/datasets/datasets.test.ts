import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../../shared/api/client';
import type { Client, ApiCallError } from '../../../shared/api/client';
import type { LoadProgress } from '../../../shared/api/domains/datasets';
import { createInProcessTransport } from '../../../electron/rpc/inProcessTransport';
import { createRowWriter } from '../../../electron/services/sources/dataFiles';
import { REAL_PACKAGE } from '../../support/paths';
import { createTestWorkbench } from '../../support/workbench';
import type { TestWorkbench } from '../../support/workbench';

/** A Customers V3 extract with planted errors: an empty group, a bad number, a duplicate key, a too-long city. */
const PLANTED = [
  'CUSTOMERACCOUNT;ORGANIZATIONNAME;CUSTOMERGROUPID;DELIVERYADDRESSCITY;CREDITLIMIT;SALESCURRENCYCODE',
  'C001;Contoso Retail;10;Seattle;1000;USD',
  'C002;Fabrikam;;Redmond;lots;USD',
  'C003;Northwind;20;Berlin ;75;EUR',
  'C001;Litware;10;Berlin;5;EUROS',
  'C005;Adventure Works;;Paris;0;EUR',
].join('\r\n');

function client(test: TestWorkbench): Client {
  return createClient(createInProcessTransport(test.workbench.dispatcher, test.workbench.hub));
}

async function opened(c: Client, path: string, options = {}) {
  const ready = new Promise<LoadProgress>((resolve) => {
    const off = c.on('datasets.progress', (p) => {
      if (p.state !== 'loading') {
        off();
        resolve(p);
      }
    });
  });
  const info = await c.call('datasets.open', { path, options });
  return { info, ready: info.state === 'loading' ? await ready : null };
}

describe('datasets over the contract (row store in its worker thread)', () => {
  let home: string;
  let files: string;
  let test: TestWorkbench;
  let c: Client;

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'dmfw-datasets-'));
    files = join(home, 'extracts');
    await mkdir(files);
    await writeFile(join(files, 'customers.csv'), PLANTED);
    test = await createTestWorkbench({ home });
    c = client(test);
  });

  afterAll(async () => {
    await test.dispose();
    await rm(home, { recursive: true, force: true });
  });

  it('opens a CSV, shows what it detected and pages rows with stable ids', async () => {
    const { info } = await opened(c, join(files, 'customers.csv'));
    expect(info).toMatchObject({
      name: 'customers.csv',
      origin: { kind: 'file', path: join(files, 'customers.csv') },
      detection: { kind: 'csv', encoding: 'utf-8', delimiter: ';', headerRow: true },
    });
    expect(info.columns.map((col) => col.name)).toEqual(PLANTED.split('\r\n')[0]?.split(';'));
    const page = await c.call('datasets.rows', {
      id: info.id,
      start: 1,
      count: 2,
      view: { sort: [{ column: 1, desc: true }] },
    });
    expect(page).toMatchObject({
      total: 5,
      complete: true,
      rows: [{ id: 4, cells: ['C001', 'Litware', '10', 'Berlin', '5', 'EUROS'] }, { id: 2 }],
    });
    // The folder is remembered in the background (the first rows do not wait for that write).
    await expect
      .poll(async () => (await c.call('datasets.browse', { dir: files })).recent, { timeout: 30_000 })
      .toEqual([files]);
    const listing = await c.call('datasets.browse', { dir: files });
    expect(listing).toMatchObject({ dir: files, parent: home, entries: [{ name: 'customers.csv', kind: 'file' }] });
  });

  it('validates against an entity and marks the planted errors, then counts them again after fixes', async () => {
    const { info } = await opened(c, join(files, 'customers.csv'));
    const entities = await c.call('datasets.entities', { id: info.id });
    expect(entities[0]).toMatchObject({ label: 'Customers V3', matchingColumns: 6 });
    const validated = new Promise<unknown>((resolve) => {
      const off = c.on('datasets.validated', (e) => {
        if (e.id === info.id) {
          off();
          resolve(e.validation);
        }
      });
    });
    await c.call('datasets.validate', { id: info.id, entity: 'customers v3' });
    const state = (await validated) as { byRule: { rule: string; count: number }[] };
    const counts = Object.fromEntries(state.byRule.map((r) => [r.rule, r.count]));
    expect(counts).toMatchObject({ mandatory: 2, real: 1, 'duplicate-key': 1, 'max-length': 1 });
    const marked = await c.call('datasets.rows', {
      id: info.id,
      start: 0,
      count: 10,
      view: { issues: { rule: 'mandatory' } },
    });
    expect(marked.rows.map((r) => r.id)).toEqual([2, 5]);
    // The built-in catalog's rules are unverified: warnings that name their source.
    expect(marked.rows[0]?.issues?.[0]).toMatchObject({
      column: 2,
      rule: 'mandatory',
      severity: 'warning',
      source: 'built-in, unverified',
    });
    expect(marked.rows[0]?.issues?.[0]?.message).toMatch(/CUSTOMERGROUPID is empty but mandatory/);

    // One bulk fix on the filtered rows, then the counts update.
    const revalidated = new Promise<unknown>((resolve) => {
      const off = c.on('datasets.validated', (e) => {
        if (e.id === info.id) {
          off();
          resolve(e.validation);
        }
      });
    });
    const fix = await c.call('datasets.setValue', {
      id: info.id,
      column: 2,
      value: '30',
      view: { issues: { rule: 'mandatory', column: 2 } },
    });
    expect(fix).toMatchObject({
      cells: 2,
      label: 'Set CUSTOMERGROUPID to "30" where CUSTOMERGROUPID has "mandatory" findings',
    });
    const after = (await revalidated) as { byRule: { rule: string }[] };
    expect(after.byRule.map((r) => r.rule)).not.toContain('mandatory');
  });

  it('journals edits, publishes changes, undoes and redoes, and restores the edits after a restart', async () => {
    const { info } = await opened(c, join(files, 'customers.csv'));
    const changes: string[] = [];
    const off = c.on('datasets.changed', (e) => {
      if (e.id === info.id) changes.push(`${e.reason}: ${e.label}`);
    });
    await c.call('datasets.edit', { id: info.id, edits: [{ row: 2, column: 4, value: '250' }] });
    await c.call('datasets.transform', { id: info.id, columns: [3], transform: 'trim' });
    await c.call('datasets.undo', { id: info.id });
    await c.call('datasets.redo', { id: info.id });
    await c.call('datasets.replace', {
      id: info.id,
      query: { text: 'EUROS', wholeCell: true },
      replacement: 'EUR',
      columns: [5],
    });
    off();
    expect(changes).toEqual([
      'edit: Edit CREDITLIMIT of row 2',
      'bulk: Trim leading and trailing spaces: DELIVERYADDRESSCITY',
      'undo: Undo Trim leading and trailing spaces: DELIVERYADDRESSCITY',
      'redo: Redo Trim leading and trailing spaces: DELIVERYADDRESSCITY',
      'bulk: Replace cells equal to "EUROS" with "EUR" in SALESCURRENCYCODE',
    ]);
    const recipe = await c.call('datasets.recipe', { id: info.id });
    expect(recipe.map((s) => s.step.op)).toEqual(['transform', 'replace']);
    await expect(
      c.call('datasets.edit', { id: info.id, edits: [{ row: 99, column: 0, value: 'x' }] }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });

    // A restart: the same home folder, the same unchanged file, the edits come back.
    const again = await createTestWorkbench({ home });
    try {
      const c2 = client(again);
      const restored = new Promise<string>((resolve) => c2.on('datasets.changed', (e) => resolve(e.label)));
      const { info: reopened } = await opened(c2, join(files, 'customers.csv'));
      await expect(restored).resolves.toMatch(/^Restored \d+ edits from the last session$/);
      const rows = await c2.call('datasets.rows', { id: reopened.id, start: 0, count: 10 });
      expect(rows.rows.map((r) => r.cells[4])).toEqual(['1000', '250', '75', '5', '0']);
      expect(rows.rows.map((r) => r.cells[5])).toEqual(['USD', 'USD', 'EUR', 'EUR', 'EUR']);
      expect(rows.rows[2]?.cells[3]).toBe('Berlin');
      expect((await c2.call('datasets.get', { id: reopened.id })).undo).toBe(
        'Replace cells equal to "EUROS" with "EUR" in SALESCURRENCYCODE',
      );
    } finally {
      await again.dispose();
    }
  });

  it("journals a project's file in the project's edits.json and keeps its recipes there", async () => {
    const dir = join(home, 'project');
    await c.call('projects.create', { dir, name: 'Contoso migration' });
    await mkdir(join(dir, 'extracts'));
    const file = join(dir, 'extracts', 'groups.csv');
    await writeFile(file, 'CUSTOMERGROUPID,DESCRIPTION\r\n10, Retail \r\n20,Wholesale\r\n');
    const ready = new Promise<void>((resolve) => {
      const off = c.on('datasets.progress', (p) => p.state === 'ready' && (off(), resolve()));
    });
    const info = await c.call('datasets.open', { path: file, project: dir });
    await ready;
    await c.call('datasets.transform', { id: info.id, columns: [1], transform: 'trim' });
    await c.call('datasets.edit', { id: info.id, edits: [{ row: 2, column: 1, value: 'Wholesale trade' }] });
    const journal = await c.call('projects.edits', { dir });
    expect(journal.edits.map((e) => [e.sourceFile, e.op, (e.payload as { entry: { op: string } }).entry.op])).toEqual([
      ['extracts/groups.csv', 'grid', 'bulk'],
      ['extracts/groups.csv', 'grid', 'cells'],
    ]);
    await c.call('datasets.saveRecipe', { id: info.id, name: 'Groups', project: dir });
    expect((await c.call('projects.recipes', { dir })).map((r) => [r.name, r.steps.map((s) => s.op)])).toEqual([
      ['Groups', ['transform']],
    ]);
    expect((await c.call('datasets.recipes', { project: dir })).map((r) => r.name)).toEqual(['Groups']);
    expect((await c.call('datasets.recipes', {})).map((r) => r.name)).not.toContain('Groups');

    // Opened again for the project: the project's journal brings the edits back.
    const restored = new Promise<string>((resolve) => {
      const off = c.on('datasets.changed', (e) => e.label.startsWith('Restored') && (off(), resolve(e.label)));
    });
    const again = await c.call('datasets.open', { path: file, project: dir });
    await expect(restored).resolves.toBe('Restored 2 edits from the last session');
    const rows = await c.call('datasets.rows', { id: again.id, start: 0, count: 5 });
    expect(rows.rows.map((r) => r.cells[1])).toEqual(['Retail', 'Wholesale trade']);
    await expect(c.call('datasets.open', { path: file, project: join(home, 'no-project') })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it("saves the recipe and replays it on the next cycle's extract", async () => {
    // The earlier test's fixes come back with the file (its journal), then two more.
    const { info } = await opened(c, join(files, 'customers.csv'));
    await c.call('datasets.transform', { id: info.id, columns: [1], transform: 'upper' });
    await c.call('datasets.fillDown', { id: info.id, column: 2 });
    const saved = await c.call('datasets.saveRecipe', { id: info.id, name: 'Customers clean-up' });
    const recipe = saved.find((r) => r.name === 'Customers clean-up');
    expect(recipe?.steps.map((s) => s.op)).toEqual(expect.arrayContaining(['transform', 'fillDown']));

    // Next week's extract: other rows, columns in another order.
    await writeFile(
      join(files, 'customers-cycle2.csv'),
      'CUSTOMERGROUPID,ORGANIZATIONNAME,CUSTOMERACCOUNT\r\n40,alpine ski house,C100\r\n,coho winery,C101\r\n',
    );
    const { info: fresh } = await opened(c, join(files, 'customers-cycle2.csv'));
    const applied = await c.call('datasets.applyRecipe', { id: fresh.id, recipeId: recipe?.id ?? '' });
    // Steps on columns this extract lacks are skipped, and say why.
    const skipped = applied.steps.filter((s) => s.skipped !== null);
    expect(skipped.length).toBeGreaterThan(0);
    for (const s of skipped)
      expect(s.skipped).toMatch(
        /names the column (DELIVERYADDRESSCITY|SALESCURRENCYCODE), which this dataset does not have/,
      );
    expect(applied.steps.filter((s) => s.skipped === null).map((s) => s.description)).toEqual([
      'UPPER CASE: ORGANIZATIONNAME',
      'Fill down blank CUSTOMERGROUPID cells',
    ]);
    const rows = await c.call('datasets.rows', { id: fresh.id, start: 0, count: 10 });
    expect(rows.rows.map((r) => r.cells)).toEqual([
      ['40', 'ALPINE SKI HOUSE', 'C100'],
      ['40', 'COHO WINERY', 'C101'],
    ]);
    expect(await c.call('datasets.recipes', {})).toHaveLength(1);
    await c.call('datasets.deleteRecipe', { recipeId: recipe?.id ?? '' });
    expect(await c.call('datasets.recipes', {})).toHaveLength(0);
  });

  it('re-opens a file with another delimiter, header row and encoding', async () => {
    const { info } = await opened(c, join(files, 'customers.csv'));
    const comma = await c.call('datasets.reopen', { id: info.id, options: { delimiter: ',', headerRow: false } });
    expect(comma.id).toBe(info.id);
    expect(comma.detection).toMatchObject({
      delimiter: ',',
      headerRow: false,
      overrides: { delimiter: ',', headerRow: false },
    });
    expect(comma.columns.map((col) => col.name)).toEqual(['COLUMN1']);
    // Windows-1252 bytes read as such when told.
    await writeFile(join(files, 'latin.csv'), Buffer.from('NAME\r\nM\xfcnchen\r\n', 'latin1'));
    const { info: latin } = await opened(c, join(files, 'latin.csv'));
    expect(latin.detection).toMatchObject({ encoding: 'windows-1252', encodingReason: 'not UTF-8' });
    const rows = await c.call('datasets.rows', { id: latin.id, start: 0, count: 1 });
    expect(rows.rows[0]?.cells).toEqual(['München']);
  });

  it('opens Excel and XML files with the package engine readers', async () => {
    const xlsx = join(files, 'groups.xlsx');
    const out = createWriteStream(xlsx);
    const writer = createRowWriter('xlsx', out, {
      columns: ['CUSTOMERGROUPID', 'DESCRIPTION'],
      file: 'groups.xlsx',
      sheetName: 'Groups',
    });
    await writer.write([
      ['10', 'Retail'],
      ['20', 'Wholesale'],
    ]);
    await writer.end();
    if (!out.closed) await once(out, 'close');
    const { info } = await opened(c, xlsx);
    expect(info.detection).toMatchObject({ kind: 'xlsx', sheet: 'Groups' });
    expect((await c.call('datasets.rows', { id: info.id, start: 0, count: 5 })).rows.map((r) => r.cells)).toEqual([
      ['10', 'Retail'],
      ['20', 'Wholesale'],
    ]);
    await writeFile(
      join(files, 'groups.xml'),
      '<?xml version="1.0" encoding="utf-8"?>\r\n<Document><CUSTCUSTOMERGROUPENTITY CUSTOMERGROUPID="10" DESCRIPTION="Retail" /></Document>',
    );
    const { info: xml } = await opened(c, join(files, 'groups.xml'));
    expect(xml.detection?.kind).toBe('xml-attribute');
    expect((await c.call('datasets.rows', { id: xml.id, start: 0, count: 5 })).rows[0]?.cells).toEqual([
      '10',
      'Retail',
    ]);
  });

  it('opens an entity of a real F&O-exported data package in place, and journals it apart', async () => {
    const contents = await c.call('datasets.packageEntities', { path: REAL_PACKAGE });
    expect(contents.entities).toHaveLength(1);
    const [only] = contents.entities;
    expect(only).toMatchObject({ sourceFormat: 'EXCEL', file: expect.stringMatching(/\.xlsx$/) });
    await expect(c.call('datasets.open', { path: REAL_PACKAGE })).rejects.toMatchObject({
      code: 'INVALID_PARAMS',
      message: expect.stringMatching(/is a data package with 1 entity .*: choose the entity to open/),
    });
    const { info } = await opened(c, REAL_PACKAGE, { entity: only?.entity });
    expect(info).toMatchObject({
      name: `${only?.entity} (usmf_asset-major-types-01.zip)`,
      origin: { kind: 'package', path: REAL_PACKAGE, entity: only?.entity },
      detection: { kind: 'xlsx' },
    });
    const rows = await c.call('datasets.rows', { id: info.id, start: 0, count: 50 });
    expect(rows.total).toBe(11);
    expect(rows.rows[0]?.id).toBe(1);
    await expect(
      c.call('datasets.open', { path: REAL_PACKAGE, options: { entity: 'Customers V3' } }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/has no entity "Customers V3"/),
    });
  });

  it('says what is wrong and what to do with bad paths and broken files', async () => {
    const fail = (promise: Promise<unknown>) => promise.catch((e: unknown) => e as ApiCallError);
    await expect(fail(c.call('datasets.open', { path: join(files, 'nope.csv') }))).resolves.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/There is no file .*nope\.csv/),
    });
    await expect(fail(c.call('datasets.open', { path: 'relative/file.csv' }))).resolves.toMatchObject({
      code: 'INVALID_PARAMS',
      message: expect.stringMatching(/not a full path/),
    });
    await expect(fail(c.call('datasets.open', { path: files }))).resolves.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/is a folder/),
    });
    await writeFile(join(files, 'old.xls'), 'x');
    await expect(fail(c.call('datasets.open', { path: join(files, 'old.xls') }))).resolves.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/save it as \.xlsx/),
    });
    await expect(fail(c.call('datasets.pickFile', {}))).resolves.toMatchObject({ code: 'FORBIDDEN' });
    await expect(fail(c.call('datasets.rows', { id: 'gone', start: 0, count: 1 }))).resolves.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(fail(c.call('datasets.browse', { dir: join(files, 'missing') }))).resolves.toMatchObject({
      code: 'NOT_FOUND',
    });
    // A ragged row after the first page: the file opens, the row flagged with the file's line and a fix.
    const ragged = ['A,B', ...Array.from({ length: 30_000 }, (_, i) => `${i},some text`), '1,2,3'].join('\n');
    await writeFile(join(files, 'ragged.csv'), ragged);
    const { info: partly, ready } = await opened(c, join(files, 'ragged.csv'));
    expect(partly.rowCount).toBeGreaterThan(0);
    expect(ready).toMatchObject({ state: 'ready', rowCount: 30_001 });
    expect((await c.call('datasets.get', { id: partly.id })).problems).toMatchObject({
      total: 1,
      first: [
        {
          kind: 'columns',
          row: 30_001,
          line: 30_002,
          message: expect.stringMatching(/data row 30001 has 3 values but the header has 2 columns/),
        },
      ],
    });
    // A value over the limit still ends the read, with the file, the line and the limit.
    await writeFile(join(files, 'huge.csv'), `A,B\n1,${'x'.repeat(9 * 1024 * 1024)}\n`);
    const { info: huge, ready: hugeEnd } = await opened(c, join(files, 'huge.csv'));
    expect(hugeEnd ?? huge).toMatchObject({
      state: 'failed',
      error: expect.stringMatching(/huge\.csv, line 2, column 2: a value here is longer than 8,388,608 characters/),
    });
    await writeFile(join(files, 'empty.csv'), '');
    const { info: empty } = await opened(c, join(files, 'empty.csv'));
    expect(empty).toMatchObject({ rowCount: 0, columns: [] });
  });

  it("saves the fixes back to the source file in its own dialect, writes other files, and shows a job's messages beside the rows", async () => {
    const file = join(files, 'save-me.csv');
    await writeFile(file, Buffer.from('\ufeffA;B\r\n1;x y\r\n2; z\r\n', 'utf8'));
    const { info } = await opened(c, file);
    expect(info.unsaved).toBe(false);
    await c.call('datasets.transform', { id: info.id, columns: [1], transform: 'upper' });
    await c.call('datasets.edit', { id: info.id, edits: [{ row: 1, column: 1, value: 'semi;colon' }] });
    expect((await c.call('datasets.get', { id: info.id })).unsaved).toBe(true);
    const attached = await c.call('datasets.attachColumn', {
      id: info.id,
      name: 'Error',
      values: [{ row: 2, value: "Value ' Z' is not valid." }],
    });
    expect(attached.columns.map((col) => [col.name, col.readOnly])).toEqual([
      ['A', false],
      ['B', false],
      ['Error', true],
    ]);
    expect(
      (
        await c.call('datasets.rows', {
          id: info.id,
          start: 0,
          count: 5,
          view: { filters: [{ column: 2, op: 'notBlank' }] },
        })
      ).rows.map((r) => r.id),
    ).toEqual([2]);
    await expect(c.call('datasets.attachColumn', { id: info.id, name: 'B', values: [] })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(
      c.call('datasets.attachColumn', { id: info.id, name: 'Error', values: [{ row: 9, value: 'x' }] }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const saved = await c.call('datasets.save', { id: info.id });
    expect(saved).toEqual({ path: file, rows: 2, neutralized: 0 });
    // Same BOM, delimiter and line ending; the read-only column is not written.
    expect(await readFile(file, 'utf8')).toBe('\ufeffA;B\r\n1;"semi;colon"\r\n2;" Z"\r\n');
    expect((await c.call('datasets.get', { id: info.id })).unsaved).toBe(false);

    const copy = join(files, 'save-me.fixed.xlsx');
    await expect(c.call('datasets.export', { id: info.id, path: copy })).resolves.toEqual({
      path: copy,
      rows: 2,
      neutralized: 0,
    });
    await expect(c.call('datasets.export', { id: info.id, path: copy })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/already exists/),
    });
    const { info: reread } = await opened(c, copy);
    expect((await c.call('datasets.rows', { id: reread.id, start: 0, count: 5 })).rows.map((r) => r.cells)).toEqual([
      ['1', 'semi;colon'],
      ['2', ' Z'],
    ]);
    await expect(c.call('datasets.export', { id: info.id, path: join(files, 'x.pdf') })).rejects.toMatchObject({
      code: 'INVALID_PARAMS',
    });
    // The file was rewritten: reopening it restores nothing (the edits are in the file).
    const { info: fresh } = await opened(c, file);
    expect(fresh.restoredEdits).toBe(0);
  });

  it('opens rows a service hands over, with a read-only Error column, keyed by their source rows', async () => {
    const info = await test.workbench.services.datasets.openRows(
      {
        name: 'Customers V3 – failed rows',
        source: 'Job 7: staging errors',
        columns: [
          { name: 'CUSTOMERACCOUNT', readOnly: false },
          { name: 'CUSTOMERGROUPID', readOnly: false },
          { name: 'Error', readOnly: true },
        ],
      },
      [
        {
          rows: [
            ['C002', '99', "Customer group '99' does not exist."],
            ['C017', '', 'Customer group must be filled in.'],
          ],
          ids: [2, 17],
        },
      ],
    );
    expect(info).toMatchObject({
      origin: { kind: 'rows', source: 'Job 7: staging errors' },
      state: 'ready',
      rowCount: 2,
      columns: [{ readOnly: false }, { readOnly: false }, { name: 'Error', readOnly: true }],
    });
    await c.call('datasets.edit', { id: info.id, edits: [{ row: 17, column: 1, value: '10' }] });
    await expect(
      c.call('datasets.edit', { id: info.id, edits: [{ row: 17, column: 2, value: '' }] }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const page = await c.call('datasets.rows', { id: info.id, start: 0, count: 5 });
    expect(page.rows).toEqual([
      { id: 2, cells: ['C002', '99', "Customer group '99' does not exist."] },
      // The fix of row 17 is marked as an edit not yet saved.
      { id: 17, cells: ['C017', '10', 'Customer group must be filled in.'], edited: [1] },
    ]);
    expect((await c.call('datasets.list', {})).some((d) => d.id === info.id)).toBe(true);
    await c.call('datasets.close', { id: info.id });
    expect((await c.call('datasets.list', {})).some((d) => d.id === info.id)).toBe(false);
  });
});
