import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, snap, test } from './support/app';
import { cell, openFile, shown } from './support/grid';
import { middle, textFits } from './support/layout';

/**
 * A Customers V3 extract with planted errors: two empty customer groups (rows 2 and 5), a credit
 * limit that is no number (row 2), a duplicate account (row 4), a currency code too long (row 4),
 * and cities with stray spaces.
 */
const EXTRACT = [
  'CUSTOMERACCOUNT;ORGANIZATIONNAME;CUSTOMERGROUPID;DELIVERYADDRESSCITY;CREDITLIMIT;SALESCURRENCYCODE;PAYMENTTERMS',
  'C001;Contoso Retail;10;Seattle;1000;USD;Net30',
  'C002;Fabrikam;;Redmond;lots;USD;Net30',
  'C003;Northwind Traders;20;Berlin ;75;EUR;Net10',
  'C001;Litware;10;Berlin;5;EUROS;Net30',
  'C005;Adventure Works;;Paris;0;EUR;Net30',
  'C006;Alpine Ski House;20;München;2500;EUR;Net45',
  'C007;Coho Winery;10;  Seattle;12000;USD;Net30',
].join('\r\n');

test('sources: open an extract with planted errors, fix cells and columns, undo, facets, recipe', async ({ app }) => {
  const dir = mkdtempSync(join(tmpdir(), 'dmfw-e2e-sources-'));
  const file = join(dir, 'customers.csv');
  writeFileSync(file, EXTRACT);

  // 1. The empty state says what to do.
  await app.getByRole('navigation', { name: 'Workbench areas' }).getByRole('button', { name: 'Sources' }).click();
  await expect(app.getByRole('region', { name: 'Open a source file' })).toBeVisible();
  await snap(app, 'sources/01-empty');

  // 2. Open it: the detected dialect is shown, rows appear with their source row numbers.
  await openFile(app, file);
  const facts = app.getByLabel('How the file was read');
  await expect(facts).toContainText('Semicolon');
  await expect(facts).toContainText('UTF-8');
  await expect(app.getByLabel('Rows', { exact: true })).toContainText('7 rows');
  await expect(cell(app, 7, 1)).toHaveText('Coho Winery');

  // 3. Validated against the entity whose fields match the columns; the planted errors are marked.
  await expect(app.getByLabel('Validate against entity')).toHaveValue('Customers V3');
  await expect(cell(app, 2, 2)).toHaveClass(/cell--warning/);
  await expect(cell(app, 2, 4)).toHaveClass(/cell--warning/);
  await expect(cell(app, 4, 5)).toHaveClass(/cell--warning/);
  await expect(cell(app, 1, 2)).not.toHaveClass(/cell--warning/);
  await expect(app.getByRole('button', { name: /^Issues/ })).toContainText('5');
  await cell(app, 2, 4).hover();
  const tooltip = app.getByRole('tooltip');
  await expect(tooltip).toContainText('Not a number');
  await expect(tooltip).toContainText('CREDITLIMIT "lots"');
  // Offline, every rule is the built-in catalog's word: warnings that say where they came from.
  await expect(tooltip).toContainText('Warning · Not a number');
  await expect(tooltip).toContainText('Rule from: built-in, unverified');
  await snap(app, 'sources/02-errors-marked');

  // 4. The issues panel groups findings; clicking a rule shows only those rows.
  await app.getByRole('button', { name: /^Issues/ }).click();
  const issues = app.getByRole('complementary', { name: 'Issues' });
  await expect(issues.getByRole('button', { name: 'Mandatory value missing: 2' })).toBeVisible();
  await expect(issues.getByLabel('Rules from')).toContainText('built-in, unverified');
  await expect(issues.getByLabel('Rules from')).toContainText('every finding is at most a warning');
  await expect(issues.getByRole('button', { name: 'CUSTOMERGROUPID: 2' })).toBeVisible();
  await issues.getByRole('button', { name: 'Mandatory value missing: 2' }).click();
  await expect.poll(() => shown(app)).toEqual([2, 5]);
  await expect(app.getByRole('group', { name: 'Filters in effect' })).toContainText('2 of 7 rows shown');
  await snap(app, 'sources/03-issues-filter');

  // 5. One bulk fix on the rows shown: set the customer group on both, and the findings go.
  await app.getByLabel('Column to fix').selectOption({ label: 'CUSTOMERGROUPID' });
  await app.getByRole('button', { name: 'Set value…' }).click();
  await app.getByLabel('New value for CUSTOMERGROUPID').fill('30');
  await app.getByRole('button', { name: 'Set on the 2 rows shown' }).click();
  await expect(app.getByRole('status').filter({ hasText: 'cells changed' })).toContainText(
    'Set CUSTOMERGROUPID to "30" where the row has "mandatory" findings: 2 cells changed in 2 rows',
  );
  await expect(issues.getByRole('button', { name: /^Mandatory value missing/ })).toHaveCount(0);
  await expect(app.getByRole('button', { name: /^Issues/ })).toContainText('3');
  await snap(app, 'sources/04-bulk-fix');
  await issues.getByRole('button', { name: 'Show every row again' }).click();
  await expect.poll(() => shown(app)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  await expect(cell(app, 5, 2)).toHaveText('30');

  // 6. Fix a cell by typing in it; the marking goes once the row is checked again.
  await cell(app, 2, 4).dblclick();
  await app.keyboard.press('ControlOrMeta+a');
  await app.keyboard.type('250');
  await app.keyboard.press('Enter');
  await expect(cell(app, 2, 4)).toHaveText('250');
  await expect(cell(app, 2, 4)).not.toHaveClass(/cell--warning/);

  // 7. Undo and redo, from the keyboard, after sorting the grid by another column.
  await app.getByRole('columnheader', { name: 'ORGANIZATIONNAME' }).locator('.ag-header-cell-label').click();
  await expect(app.getByRole('columnheader', { name: 'ORGANIZATIONNAME' })).toHaveAttribute('aria-sort', 'ascending');
  await cell(app, 1, 1).click();
  await app.keyboard.press('ControlOrMeta+z');
  await expect(cell(app, 2, 4)).toHaveText('lots');
  await expect(cell(app, 2, 4)).toHaveClass(/cell--warning/);
  await app.keyboard.press('ControlOrMeta+y');
  await expect(cell(app, 2, 4)).toHaveText('250');
  await snap(app, 'sources/05-undo-redo');

  // 8. Column values: distinct values with counts; a click filters the grid.
  await app.getByRole('button', { name: 'Values', exact: true }).click();
  const values = app.getByRole('complementary', { name: 'Column values' });
  await values.getByLabel('Column to count').selectOption({ label: 'DELIVERYADDRESSCITY' });
  await expect(values.getByRole('button', { name: 'Seattle: 1 rows', exact: true })).toBeVisible();
  await expect(values.getByRole('button', { name: '␣␣Seattle: 1 rows' })).toBeVisible();
  await expect(values.getByRole('button', { name: 'Berlin␣: 1 rows' })).toBeVisible();
  await values.getByRole('button', { name: 'Berlin: 1 rows', exact: true }).click();
  await expect.poll(() => shown(app)).toEqual([4]);
  await snap(app, 'sources/06-column-values');
  await values.getByRole('button', { name: 'Show all values of DELIVERYADDRESSCITY' }).click();
  await expect.poll(() => shown(app)).toEqual([1, 2, 3, 4, 5, 6, 7]);

  // 9. Trim the column (a second bulk fix): the stray spaces are gone, the counts merge.
  await app.getByLabel('Column to fix').selectOption({ label: 'DELIVERYADDRESSCITY' });
  await app.getByRole('button', { name: 'Trim', exact: true }).click();
  await expect(values.getByRole('button', { name: 'Seattle: 2 rows', exact: true })).toBeVisible();
  await expect(values.getByRole('button', { name: 'Berlin: 2 rows', exact: true })).toBeVisible();

  // 10. Find and replace all (Ctrl+F).
  await cell(app, 1, 1).click();
  await app.keyboard.press('ControlOrMeta+f');
  const find = app.getByRole('search', { name: 'Find and replace' });
  await find.getByLabel('Find', { exact: true }).fill('EUROS');
  await find.getByRole('button', { name: 'Find next' }).click();
  await expect(find.getByLabel('Find result')).toContainText('row 4, SALESCURRENCYCODE');
  await find.getByLabel('Replace with').fill('EUR');
  await find.getByRole('button', { name: 'Replace all' }).click();
  await expect(cell(app, 4, 5)).toHaveText('EUR');
  // The check runs again after the edit: the too-long currency code is no longer a finding.
  await expect(app.getByRole('button', { name: 'Issues 1', exact: true })).toBeVisible();
  await snap(app, 'sources/07-find-replace');

  // 11. The recipe lists the bulk fixes, replayable on next cycle's extract.
  await app.getByRole('button', { name: 'Recipe', exact: true }).click();
  const recipe = app.getByRole('list', { name: 'Recipe steps' });
  await expect(recipe.getByRole('listitem')).toHaveText([
    /Set CUSTOMERGROUPID to "30" where the row has "mandatory" findings\s*2 cells/,
    /Trim leading and trailing spaces: DELIVERYADDRESSCITY\s*2 cells/,
    /Replace "EUROS" with "EUR" in all columns\s*1 cell/,
  ]);
  await app.getByLabel('Recipe name').fill('Customers cycle clean-up');
  await app.getByRole('button', { name: 'Save recipe' }).click();
  await expect(app.getByRole('region', { name: 'Saved recipes' })).toContainText('Customers cycle clean-up');
  await snap(app, 'sources/08-recipe');

  // 12. Save (Ctrl+S): the fixes go back into the source file, in its own dialect.
  await cell(app, 1, 1).click();
  await app.keyboard.press('ControlOrMeta+s');
  await expect(app.getByRole('status').filter({ hasText: 'Saved 7 rows' })).toBeVisible();
  await expect(app.getByRole('button', { name: 'Saved', exact: true })).toBeDisabled();
  const saved = readFileSync(file, 'utf8').split('\r\n');
  expect(saved[0]).toBe(EXTRACT.split('\r\n')[0]);
  expect(saved[2]).toBe('C002;Fabrikam;30;Redmond;250;USD;Net30');
  expect(saved[4]).toBe('C001;Litware;10;Berlin;5;EUR;Net30');
  expect(saved[7]).toBe('C007;Coho Winery;10;Seattle;12000;USD;Net30');
});

test.describe('in the dark theme', () => {
  test.use({ colorScheme: 'dark' });
  test('the grid and its marks follow the theme', async ({ app }) => {
    const dir = mkdtempSync(join(tmpdir(), 'dmfw-e2e-sources-'));
    const file = join(dir, 'customers-dark.csv');
    writeFileSync(file, EXTRACT);
    await openFile(app, file);
    await expect(cell(app, 2, 2)).toHaveClass(/cell--warning/);
    const background = await cell(app, 1, 1).evaluate(
      (el) => getComputedStyle(el.closest('.ag-row') ?? el).backgroundColor,
    );
    expect(background).not.toBe('rgb(255, 255, 255)');
    await app.getByRole('button', { name: /^Issues/ }).click();
    await snap(app, 'sources/09-dark');
  });
});

test('sources: a small file fits its columns, whole texts, messages that belong, recipes of the entity', async ({
  app,
}) => {
  const dir = mkdtempSync(join(tmpdir(), 'dmfw-e2e-sources-small-'));
  const customers = join(dir, 'small-customers.csv');
  writeFileSync(customers, EXTRACT.replace('Northwind Traders', 'Northwind Traders International Wholesale Ltd'));
  const groups = join(dir, 'small-groups.csv');
  writeFileSync(groups, ['CUSTOMERGROUPID,DESCRIPTION,PAYMENTTERMID', '10,Retail customers,Net30'].join('\r\n'));

  // A small file: every column as wide as its longest value (or its header).
  await openFile(app, customers);
  await expect(app.getByLabel('Validate against entity')).toHaveValue('Customers V3');
  await expect(cell(app, 3, 1)).toHaveText('Northwind Traders International Wholesale Ltd');
  await expect.poll(async () => (await textFits(cell(app, 3, 1))).fits).toBe(true);
  expect(
    (await textFits(app.getByRole('columnheader', { name: 'SALESCURRENCYCODE' }).locator('.ag-header-cell-text'))).fits,
  ).toBe(true);

  // At 1440 px, with a side panel open, the column fixes stay on one line; while a value is
  // typed, its form takes their place, its placeholder whole.
  await app.getByRole('button', { name: /^Issues/ }).click();
  await app.getByLabel('Column to fix').selectOption({ label: 'ORGANIZATIONNAME' });
  const caseMenu = app.getByLabel('Change case of ORGANIZATIONNAME');
  expect(await middle(caseMenu)).toBeCloseTo(await middle(app.getByRole('button', { name: 'Trim', exact: true })), 0);
  expect(await middle(caseMenu)).toBeCloseTo(await middle(app.getByRole('button', { name: 'Find' })), 0);
  expect((await textFits(caseMenu)).fits).toBe(true);
  await snap(app, 'sources/10-small-file-fitted');
  await app.getByRole('button', { name: 'Set value…' }).click();
  const value = app.getByLabel('New value for ORGANIZATIONNAME');
  expect(await textFits(value)).toMatchObject({ fits: true, text: 'Value (empty clears)' });
  expect(await middle(value)).toBeCloseTo(await middle(app.getByRole('button', { name: 'Find' })), 0);
  expect(await middle(app.getByRole('button', { name: 'Cancel', exact: true }))).toBeCloseTo(await middle(value), 0);
  await app.getByRole('button', { name: 'Cancel', exact: true }).click();

  // A column filter that matches nothing: the app's message, not ag-grid's own.
  await app.getByRole('gridcell').first().waitFor();
  await app.getByLabel('ORGANIZATIONNAME Filter Input').fill('no such name');
  await expect(app.getByText('No rows match the filters in effect.')).toBeVisible();
  await expect(app.getByText('No Matching Rows')).toHaveCount(0);
  await snap(app, 'sources/11-no-matching-rows');
  await app.getByRole('button', { name: 'Clear all filters' }).click();

  // A path that does not open: the error is for that try only.
  await app.getByRole('button', { name: '+ Open file' }).click();
  await app.getByLabel('File path').fill(join(dir, 'missing.csv'));
  await app.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(app.getByRole('alert')).toContainText('There is no file');
  await app.getByRole('button', { name: 'Back to the grid' }).click();
  await expect(app.getByRole('alert').filter({ hasText: 'There is no file' })).toHaveCount(0);
  await app.getByRole('button', { name: '+ Open file' }).click();
  await expect(app.getByRole('alert').filter({ hasText: 'There is no file' })).toHaveCount(0);
  await app.getByRole('button', { name: 'Back to the grid' }).click();

  // A recipe made on Customers V3 is not offered on a Customer groups file.
  await app.getByLabel('Column to fix').selectOption({ label: 'DELIVERYADDRESSCITY' });
  await app.getByRole('button', { name: 'Trim', exact: true }).click();
  await app.getByRole('button', { name: 'Recipe', exact: true }).click();
  await app.getByLabel('Recipe name').fill('Small customers tidy');
  await app.getByRole('button', { name: 'Save recipe' }).click();
  const saved = app.getByRole('region', { name: 'Saved recipes' });
  await expect(saved.getByRole('button', { name: 'Apply Small customers tidy to small-customers.csv' })).toBeVisible();
  await openFile(app, groups);
  await app.getByLabel('Validate against entity').selectOption('Customer groups');
  // The side panel stays open from one file to the next.
  await expect(app.getByRole('button', { name: 'Recipe', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expect(saved.getByRole('button', { name: /^Apply Small customers tidy/ })).toBeHidden();
  await expect(saved.getByText(/recipes? made for other entities/)).toBeVisible();
  await snap(app, 'sources/12-recipes-by-entity');
});

test('sources: a folder typed into the path is opened, and "+ Open file" starts where the last file was', async ({
  app,
}) => {
  const dir = mkdtempSync(join(tmpdir(), 'dmfw-e2e-sources-folder-'));
  mkdirSync(join(dir, 'wave 2'));
  writeFileSync(join(dir, 'wave 2', 'terms.csv'), 'NAME,DESCRIPTION\r\nF-N30,Net 30');
  writeFileSync(join(dir, 'wave 2', 'groups.csv'), 'CUSTOMERGROUPID,DESCRIPTION\r\nF-RET,Retail');
  await openFile(app, join(dir, 'wave 2'));
  // Not refused: the folder's files are listed to choose from.
  await expect(app.getByRole('alert')).toHaveCount(0);
  await expect(app.getByLabel('Current folder')).toHaveText(join(dir, 'wave 2'));
  await expect(app.getByText('is a folder: choose a file in it below.')).toBeVisible();
  await snap(app, 'sources/13-folder-typed');
  await app.getByRole('button', { name: 'Open terms.csv' }).click();
  await expect(app.getByRole('tab', { name: 'terms.csv', selected: true })).toBeVisible();

  // The chooser starts in the folder the last file came from.
  await app.getByRole('button', { name: '+ Open file' }).click();
  await expect(app.getByLabel('Current folder')).toHaveText(join(dir, 'wave 2'));
  await expect(app.getByRole('button', { name: 'Open groups.csv' })).toBeVisible();
  // And after a reload too (the services remember recent folders).
  await app.reload();
  await app.getByRole('navigation', { name: 'Workbench areas' }).getByRole('button', { name: 'Sources' }).click();
  await app.getByRole('button', { name: '+ Open file' }).click();
  await expect(app.getByLabel('Current folder')).toHaveText(join(dir, 'wave 2'));
  await app.getByRole('button', { name: 'Back to the grid' }).click();
});
