/**
 * Issue 11, defects 6 and 7, through the contract and the row store's worker thread: a file with
 * bad rows opens with every problem listed and its rows flagged (F&O skips such rows, DMF2050);
 * bytes that are not in the file's encoding are shown, flagged and never converted silently, in
 * the grid and in packages; the encoding reason says what the whole file holds.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../../shared/api/client';
import type { ApiCallError, Client } from '../../../shared/api/client';
import type { DatasetInfo, LoadProgress } from '../../../shared/api/domains/datasets';
import { createInProcessTransport } from '../../../electron/rpc/inProcessTransport';
import { openCsvReader } from '../../../electron/services/sources/csv/csvReader';
import { fileSource } from '../../../electron/services/sources/rows';
import { createTestWorkbench } from '../../support/workbench';
import type { TestWorkbench } from '../../support/workbench';
import { readAll } from '../../support/rowSources';

/** A short row (line 3), a long row (line 5) and an unclosed qualifier (line 6). */
const BAD_ROWS = [
  'CUSTOMERACCOUNT,ORGANIZATIONNAME,CUSTOMERGROUPID',
  'C001,Contoso,10',
  'C002,Fabrikam',
  'C003,Northwind,20',
  'C004,Litware, Inc.,30',
  'C005,"Adventure Works,40',
  'C006,Tailspin,10',
].join('\r\n');

async function failure(promise: Promise<unknown>): Promise<ApiCallError> {
  try {
    await promise;
  } catch (error) {
    return error as ApiCallError;
  }
  throw new Error('expected a failure');
}

describe('opening files with bad rows and mixed encodings', () => {
  let dir: string;
  let test: TestWorkbench;
  let c: Client;

  async function open(name: string, options = {}): Promise<DatasetInfo> {
    const ended = new Promise<LoadProgress>((resolve) => {
      const off = c.on('datasets.progress', (p) => {
        if (p.state !== 'loading') {
          off();
          resolve(p);
        }
      });
    });
    const info = await c.call('datasets.open', { path: join(dir, name), options });
    if (info.state === 'loading') await ended;
    return c.call('datasets.get', { id: info.id });
  }

  const cells = async (info: DatasetInfo) =>
    (await c.call('datasets.rows', { id: info.id, start: 0, count: 100 })).rows.map((r) => r.cells);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dmfw-readproblems-'));
    test = await createTestWorkbench({ home: dir });
    c = createClient(createInProcessTransport(test.workbench.dispatcher, test.workbench.hub));
  });

  afterAll(async () => {
    await test.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('opens a CSV with a short row, a long row and an unclosed qualifier, every problem listed and its row flagged', async () => {
    await writeFile(join(dir, 'bad-rows.csv'), BAD_ROWS);
    const info = await open('bad-rows.csv');
    expect(info.state).toBe('ready');
    expect(info.rowCount).toBe(6);
    expect(info.problems).toMatchObject({
      total: 3,
      byKind: { columns: 2, qualifier: 1, encoding: 0 },
      first: [
        {
          kind: 'columns',
          row: 2,
          line: 3,
          message: expect.stringMatching(/has 2 values but the header has 3 columns \(F&O skips such rows, DMF2050\)/),
        },
        { kind: 'columns', row: 4, line: 5, message: expect.stringMatching(/has 4 values .* Beyond the header: "30"/) },
        {
          kind: 'qualifier',
          row: 5,
          line: 6,
          message: expect.stringMatching(/text qualifier " opened in value 2 is never closed/),
        },
      ],
    });
    // The rows after the unclosed qualifier are read (it did not swallow them).
    const column = info.problems?.column ?? -1;
    expect(info.columns[column]).toEqual({ index: column, name: 'Read problem', readOnly: true });
    const rows = await cells(info);
    expect(rows.map((r) => r.slice(0, 2))).toEqual([
      ['C001', 'Contoso'],
      ['C002', 'Fabrikam'],
      ['C003', 'Northwind'],
      ['C004', 'Litware'],
      ['C005', 'Adventure Works,40'],
      ['C006', 'Tailspin'],
    ]);
    const flagged = await c.call('datasets.rows', {
      id: info.id,
      start: 0,
      count: 100,
      view: { filters: [{ column, op: 'notBlank' }] },
    });
    expect(flagged.rows.map((r) => r.id)).toEqual([2, 4, 5]);
    // Writing the rows out would change the flagged ones: refused, with the way out.
    const saved = await failure(c.call('datasets.save', { id: info.id }));
    expect(saved).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/has 3 rows that could not be read as F&O would take them/),
    });
    const exported = await failure(c.call('datasets.export', { id: info.id, path: join(dir, 'copy.csv') }));
    expect(exported.code).toBe('CONFLICT');
  });

  it('flags the rows of a mostly-UTF-8 file that hold a Windows-1252 byte, and never reads it as Windows-1252', async () => {
    // The file: UTF-8 "Café" and "Müller Großhandel", Windows-1252 "è" (0xE8) and "û" on line 3.
    const bytes = Buffer.concat([
      Buffer.from('NAME,CITY\r\nCafé,Zürich\r\n', 'utf8'),
      iconv.encode('Crème brûlée,Lyon\r\n', 'windows-1252'),
      Buffer.from('Müller Großhandel,Köln\r\n', 'utf8'),
    ]);
    await writeFile(join(dir, 'mixed.csv'), bytes);
    const info = await open('mixed.csv');
    expect(info.detection).toMatchObject({ encoding: 'utf-8', encodingReason: 'mixed' });
    expect(await cells(info)).toEqual([
      ['Café', 'Zürich', ''],
      ['Cr\ufffdme br\ufffdl\ufffde', 'Lyon', expect.stringMatching(/bytes that are not valid utf-8/)],
      ['Müller Großhandel', 'Köln', ''],
    ]);
    expect(info.problems).toMatchObject({
      total: 1,
      byKind: { encoding: 1 },
      first: [{ kind: 'encoding', row: 2, line: 3 }],
      suggestedEncoding: 'windows-1252',
    });
    // Read as the offered encoding, on request only: then nothing is flagged.
    const again = await c.call('datasets.reopen', { id: info.id, options: { encoding: 'windows-1252' } });
    expect(again.detection).toMatchObject({ encoding: 'windows-1252', encodingReason: 'override' });
    // Packages: the strict reader refuses a mixed file instead of turning "é" into "Ã©".
    const strict = await failure(
      (async () => readAll(await openCsvReader(await fileSource(join(dir, 'mixed.csv')))))(),
    );
    expect(strict.message).toMatch(
      /mixed\.csv, line 3: a byte \(0xE8\) here is not UTF-8, but line 2 has UTF-8 characters: the file mixes encodings/,
    );
  });

  it('flags bytes that are not UTF-8 past the first 64 KiB, and says the file is not all ASCII', async () => {
    const ascii = Array.from({ length: 3000 }, (_, i) => `C${i},plain ascii text for the first 64 KiB`).join('\r\n');
    await writeFile(
      join(dir, 'late.csv'),
      Buffer.concat([
        Buffer.from(`ID,NAME\r\n${ascii}\r\n`),
        Buffer.from('U1,Müller Großhandel\r\n', 'utf8'),
        iconv.encode('W1,Société\r\n', 'windows-1252'),
      ]),
    );
    const info = await open('late.csv');
    expect(info.rowCount).toBe(3002);
    // Was "UTF-8 · ASCII" for a file holding "Müller Großhandel".
    expect(info.detection).toMatchObject({ encoding: 'utf-8', encodingReason: 'valid UTF-8' });
    expect(info.problems).toMatchObject({
      total: 1,
      first: [{ kind: 'encoding', row: 3002, line: 3003 }],
      suggestedEncoding: 'windows-1252',
    });
  });

  it('opens a binary or UTF-16 file without a BOM when its encoding is chosen at open time', async () => {
    // UTF-16LE without a BOM, and with so many non-Latin characters that the zero-byte pattern is not there.
    const text = 'NAME\r\n' + '日本語のテキスト\r\n'.repeat(50);
    await writeFile(join(dir, 'utf16.csv'), Buffer.from(text, 'utf16le'));
    const refused = await failure(c.call('datasets.open', { path: join(dir, 'utf16.csv') }));
    expect(refused).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/NUL character.*\(try utf-16le\)/),
    });
    const info = await open('utf16.csv', { encoding: 'utf-16le' });
    expect(info).toMatchObject({ state: 'ready', rowCount: 50, problems: null });
    expect((await cells(info))[0]).toEqual(['日本語のテキスト']);
  });
});
