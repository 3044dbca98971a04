import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, snap, test } from './support/app';
import { cell, closeOpenSources, editCell, openFile, shown } from './support/grid';

/** Customers V3 rows: C001 twice (rows 1 and 4), no customer group on rows 2 and 5. */
const EXTRACT = [
  'CUSTOMERACCOUNT;ORGANIZATIONNAME;CUSTOMERGROUPID;DELIVERYADDRESSCITY;CREDITLIMIT',
  'C001;Contoso Retail;10;Seattle;1000',
  'C002;Fabrikam;;Redmond;250',
  'C003;Northwind Traders;20;Berlin;75',
  'C001;Litware;10;Berlin;5',
  'C005;Adventure Works;;Paris;0',
  'C006;=HYPERLINK("x");20;München;2500',
].join('\r\n');

/** The page's clipboard, as a spreadsheet would read it (Chromium's own clipboard, permission granted). */
const readClipboard = (page: Page) => page.evaluate(() => navigator.clipboard.readText());
const writeClipboard = (page: Page, text: string) => page.evaluate((t) => navigator.clipboard.writeText(t), text);

test.beforeEach(async ({ app }) => {
  await app.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(app.url()).origin });
});
test.afterEach(({ app }) => closeOpenSources(app));

test('the grid like Excel: copy and paste ranges as tab-separated text, edit marks, undo in one step', async ({
  app,
}) => {
  const dir = mkdtempSync(join(tmpdir(), 'dmfw-e2e-excel-'));
  const file = join(dir, 'customers.csv');
  writeFileSync(file, EXTRACT);
  await openFile(app, file);
  await expect(app.getByLabel('Validate against entity')).toHaveValue('Customers V3');

  // 1. Copy a range (click, Shift+click): tab-separated with CRLF, as Excel reads it; a cell a
  //    spreadsheet would run as a formula goes there as text.
  await cell(app, 5, 1).click();
  await cell(app, 6, 3).click({ modifiers: ['Shift'] });
  await expect(cell(app, 6, 2)).toHaveClass(/cell--selected/);
  await expect(cell(app, 4, 2)).not.toHaveClass(/cell--selected/);
  await app.keyboard.press('ControlOrMeta+c');
  await expect(app.getByRole('status').filter({ hasText: 'Copied' })).toContainText(
    'Copied 6 cells (2 rows × 3 columns)',
  );
  expect(await readClipboard(app)).toBe('Adventure Works\t\tParis\r\n"\'=HYPERLINK(""x"")"\t20\tMünchen\r\n');
  await snap(app, 'sources/20-range-copied');

  // 2. Paste a range copied from Excel into the first cell: one journaled edit, marked cells.
  await writeClipboard(app, 'Fabrikam Inc\t30\r\nNorthwind\t20\r\n');
  await cell(app, 2, 1).click();
  await app.keyboard.press('ControlOrMeta+v');
  await expect(app.getByRole('status').filter({ hasText: 'Pasted' })).toContainText(
    'Pasted 4 cells in 2 rows (3 cells changed).',
  );
  await expect(cell(app, 2, 1)).toHaveText('Fabrikam Inc');
  await expect(cell(app, 2, 2)).toHaveText('30');
  await expect(cell(app, 3, 1)).toHaveText('Northwind');
  await expect(cell(app, 2, 1)).toHaveClass(/cell--edited/);
  await expect(cell(app, 2, 2)).toHaveClass(/cell--edited/);
  await expect(cell(app, 3, 2)).not.toHaveClass(/cell--edited/);
  await expect(cell(app, 1, 1)).not.toHaveClass(/cell--edited/);
  // The mandatory finding of row 2 went with the paste.
  await expect(cell(app, 2, 2)).not.toHaveClass(/cell--warning/);
  await snap(app, 'sources/21-range-pasted-marked');

  // One Ctrl+Z takes the whole paste back, and its marks.
  await app.keyboard.press('ControlOrMeta+z');
  await expect(cell(app, 2, 1)).toHaveText('Fabrikam');
  await expect(cell(app, 3, 1)).toHaveText('Northwind Traders');
  await expect(cell(app, 2, 1)).not.toHaveClass(/cell--edited/);
  await app.keyboard.press('ControlOrMeta+y');
  await expect(cell(app, 3, 1)).toHaveText('Northwind');

  // 3. A paste that does not fit says what it left out; nothing else is lost.
  await writeClipboard(app, 'Lyon\r\nNantes\r\nLille\r\n');
  await cell(app, 5, 3).click();
  await app.keyboard.press('ControlOrMeta+v');
  const refused = app.getByRole('alert').filter({ hasText: 'not pasted' });
  await expect(refused).toContainText('Pasted 2 cells in 2 rows');
  await expect(refused).toContainText('1 cell below the last row shown');
  await expect(cell(app, 6, 3)).toHaveText('Nantes');

  // 4. One value over a selected range fills it, as in Excel.
  await writeClipboard(app, 'EUR\r\n');
  await cell(app, 1, 4).click();
  await cell(app, 3, 4).click({ modifiers: ['Shift'] });
  await app.keyboard.press('ControlOrMeta+v');
  await expect(cell(app, 3, 4)).toHaveText('EUR');
  await expect(cell(app, 1, 4)).toHaveText('EUR');
  await expect(cell(app, 4, 4)).toHaveText('5');
  await app.keyboard.press('ControlOrMeta+z');
  await expect(cell(app, 1, 4)).toHaveText('1000');

  // 5. The grid's own copy pastes back exactly (no spreadsheet quote on the formula-like cell).
  await cell(app, 6, 1).click();
  await app.keyboard.press('ControlOrMeta+c');
  await cell(app, 4, 1).click();
  await app.keyboard.press('ControlOrMeta+v');
  await expect(cell(app, 4, 1)).toHaveText('=HYPERLINK("x")');

  // 6. Save: the marks go, the file holds the pasted values.
  await app.keyboard.press('ControlOrMeta+s');
  await expect(app.getByRole('status').filter({ hasText: 'Saved 6 rows' })).toBeVisible();
  await expect(cell(app, 4, 1)).not.toHaveClass(/cell--edited/);
  expect(readFileSync(file, 'utf8').split('\r\n')[2]).toBe('C002;Fabrikam Inc;30;Redmond;250');
});

test('the grid like Excel: a fixed row stays in the filtered view, duplicate sets, closing with unsaved edits', async ({
  app,
}) => {
  const dir = mkdtempSync(join(tmpdir(), 'dmfw-e2e-excel-'));
  const file = join(dir, 'customers-fix.csv');
  writeFileSync(file, EXTRACT);
  await openFile(app, file);
  await expect(app.getByLabel('Validate against entity')).toHaveValue('Customers V3');
  await app.getByRole('button', { name: /^Issues/ }).click();
  const issues = app.getByRole('complementary', { name: 'Issues' });

  // 1. The duplicate-key filter shows the whole set: the first row with the row repeating it.
  await issues.getByRole('button', { name: /^Duplicate key: 1/ }).click();
  await expect.poll(() => shown(app)).toEqual([1, 4]);
  await snap(app, 'sources/22-duplicate-set');
  await issues.getByRole('button', { name: 'Show every row again' }).click();

  // 2. Fix a row shown by the mandatory filter: it stays, with a note, until the view is refreshed.
  await issues.getByRole('button', { name: /^Mandatory value missing: 2/ }).click();
  await expect.poll(() => shown(app)).toEqual([2, 5]);
  await editCell(app, 2, 2, '10');
  await expect(cell(app, 2, 2)).not.toHaveClass(/cell--warning/);
  const note = app.getByRole('status').filter({ hasText: 'no longer matches the filters' });
  await expect(note).toContainText('1 row you changed no longer matches the filters');
  expect(await shown(app)).toEqual([2, 5]);
  await snap(app, 'sources/23-fixed-row-stays');
  await note.getByRole('button', { name: 'Refresh the view' }).click();
  await expect.poll(() => shown(app)).toEqual([5]);
  await expect(note).toHaveCount(0);

  // 3. Closing the tab with unsaved edits asks; Cancel keeps it open.
  await app.getByRole('button', { name: 'Close customers-fix.csv' }).click();
  const dialog = app.getByRole('dialog', { name: 'customers-fix.csv has unsaved edits' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Save and close' })).toBeVisible();
  await snap(app, 'sources/24-close-unsaved');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(app.getByRole('tab', { name: 'customers-fix.csv' })).toBeVisible();

  // Kept for later: they come back when the unchanged file is opened again.
  await app.getByRole('button', { name: 'Close customers-fix.csv' }).click();
  await dialog.getByRole('button', { name: 'Close, keep the edits for later' }).click();
  await expect(app.getByRole('region', { name: 'Open a source file' })).toBeVisible();
  await openFile(app, file);
  await expect(cell(app, 2, 2)).toHaveText('10');
  await expect(cell(app, 2, 2)).toHaveClass(/cell--edited/);

  // Discarded: gone, the file as it was.
  await app.getByRole('button', { name: 'Close customers-fix.csv' }).click();
  await dialog.getByRole('button', { name: 'Discard the edits' }).click();
  await openFile(app, file);
  await expect(cell(app, 2, 1)).toHaveText('Fabrikam');
  await expect(cell(app, 2, 2)).toHaveText('');
  await expect(app.getByRole('button', { name: 'Close customers-fix.csv' })).toBeVisible();
});
