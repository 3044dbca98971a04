import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { expect, snap, test } from './support/app';
import { cell, closeOpenSources, openFile, shown } from './support/grid';

/** The screens' tests after this one expect no file open. */
test.afterEach(({ app }) => closeOpenSources(app));

/**
 * Issue 11, defects 6 and 7 on screen: a file with bad rows opens with every problem listed and
 * the rows flagged; a file that mixes encodings shows its bad bytes and offers the encoding; a
 * file that cannot be read is offered the encoding chooser at open time.
 */
test('sources: bad rows and mixed encodings are listed on open, flagged, and the encoding can be chosen', async ({
  app,
}) => {
  const dir = mkdtempSync(join(tmpdir(), 'dmfw-e2e-readproblems-'));
  const badRows = join(dir, 'bad-rows.csv');
  writeFileSync(
    badRows,
    [
      'CUSTOMERACCOUNT,ORGANIZATIONNAME,CUSTOMERGROUPID',
      'C001,Contoso,10',
      'C002,Fabrikam',
      'C003,Northwind,20',
      'C004,Litware, Inc.,30',
      'C005,"Adventure Works,40',
      'C006,Tailspin,10',
    ].join('\r\n'),
  );

  // 1. A short row, a long row and an unclosed qualifier: the file opens, the three are listed.
  await openFile(app, badRows);
  const problems = app.getByRole('region', { name: 'Read problems' });
  await expect(problems).toContainText('3 rows of bad-rows.csv could not be read as F&O would take them');
  await expect(problems).toContainText('DMF2050');
  const list = problems.getByRole('list', { name: 'Problems, in file order' });
  await expect(list.getByRole('listitem')).toHaveCount(3);
  await expect(list.getByRole('listitem').nth(0)).toContainText('Line 3 · row 2');
  await expect(list.getByRole('listitem').nth(1)).toContainText('Beyond the header: "30"');
  await expect(list.getByRole('listitem').nth(2)).toContainText('never closed');
  // The rows after the unclosed qualifier are there, and the grid flags the bad ones.
  await expect(cell(app, 6, 1)).toHaveText('Tailspin');
  await expect(cell(app, 2, 3)).toContainText('has 2 values but the header has 3 columns');
  await snap(app, 'sources/read-problems-01-bad-rows');
  await problems.getByRole('button', { name: 'Show these rows' }).click();
  await expect.poll(() => shown(app), { timeout: 30_000 }).toEqual([2, 4, 5]);
  await snap(app, 'sources/read-problems-02-flagged-rows');

  // 2. A UTF-8 file with one Windows-1252 row: shown with its bad bytes flagged, Windows-1252 offered.
  const mixed = join(dir, 'mixed.csv');
  writeFileSync(
    mixed,
    Buffer.concat([
      Buffer.from('NAME,CITY\r\nMüller Großhandel,Köln\r\n', 'utf8'),
      iconv.encode('Crème brûlée,Lyon\r\n', 'windows-1252'),
    ]),
  );
  await openFile(app, mixed);
  await expect(app.getByLabel('How the file was read')).toContainText('mixed encodings');
  const mixedProblems = app.getByRole('region', { name: 'Read problems' });
  await expect(mixedProblems).toContainText('1 row of mixed.csv');
  await expect(cell(app, 1, 0)).toHaveText('Müller Großhandel');
  await expect(cell(app, 2, 0)).toHaveText('Cr\ufffdme br\ufffdl\ufffde');
  await snap(app, 'sources/read-problems-03-mixed-encodings');
  await mixedProblems.getByRole('button', { name: 'Read it as Windows-1252 (Western)' }).click();
  await expect(app.getByLabel('How the file was read')).toContainText('Windows-1252');
  await expect(cell(app, 2, 0)).toHaveText('Crème brûlée');

  // 3. UTF-16 without a BOM cannot be detected: the failure offers the encoding chooser.
  const utf16 = join(dir, 'unicode-no-bom.csv');
  writeFileSync(utf16, Buffer.from(`NAME\r\n${'日本語のテキスト\r\n'.repeat(20)}`, 'utf16le'));
  await openFile(app, utf16);
  await expect(app.getByRole('alert')).toContainText('NUL character');
  const retry = app.getByRole('form', { name: 'Open again in another encoding' });
  await expect(retry.getByLabel('Encoding to read it in')).toHaveValue('utf-16le');
  await snap(app, 'sources/read-problems-04-encoding-chooser');
  await retry.getByRole('button', { name: 'Open again' }).click();
  await expect(app.getByLabel('Rows', { exact: true })).toContainText('20 rows');
  await expect(cell(app, 1, 0)).toHaveText('日本語のテキスト');
});
