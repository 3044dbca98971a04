import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectAccessibleNames } from '../support/a11y';
import { expect, snap, test } from '../support/app';
import { cell, closeOpenSources, goTo, shown } from '../support/grid';

/**
 * Journey 2, configuration copy between legal entities: payment terms and customer groups from
 * USMF to DEMF of the Local emulator, with the diff reviewed (down to single records) before the
 * copy runs: DEMF's German descriptions of the payment terms are kept, one customer group is left
 * out. The result is verified against the target, the diff stays with the job, and is exported.
 */
/** The journeys after this one expect no file open (the export is opened in the grid). */
test.afterEach(({ app }) => closeOpenSources(app));

test('configuration copy: USMF to DEMF with the diff, run and verified', async ({ app }) => {
  test.setTimeout(180_000);

  // 1. The environment: start the Local emulator, sign in, test the connection.
  await goTo(app, 'Environments');
  const card = app.getByRole('list', { name: 'Environments' }).getByRole('listitem', { name: 'Local emulator' });
  const signIn = card.getByRole('button', { name: /^(Start and sign in|Sign in) to Local emulator$/ });
  if (await signIn.isVisible()) await signIn.click();
  await expect(card.getByLabel('Session of Local emulator')).toContainText('Signed in', { timeout: 60_000 });
  await card.getByRole('button', { name: 'Test the connection to Local emulator' }).click();
  const tested = card.getByRole('region', { name: 'Connection test' });
  await expect(tested).toContainText('Connection works');
  await expect(tested).toContainText('3 legal entities: DEMF, USMF, USRT.');
  await snap(app, 'config-copy/01-environment-signed-in');
  await expectAccessibleNames(app);

  // 2. From USMF to DEMF, two setup entities.
  await goTo(app, 'Config copy');
  const sides = app.getByRole('region', { name: 'From and to' });
  const from = sides.getByRole('group', { name: 'From' });
  const to = sides.getByRole('group', { name: 'To' });
  await from.getByLabel('Environment').selectOption('local-emulator');
  await to.getByLabel('Environment').selectOption('local-emulator');
  await from.getByLabel('Legal entity').selectOption('USMF');
  await to.getByLabel('Legal entity').selectOption('DEMF');
  await expect(to).toContainText('Contoso Entertainment System Germany');
  const entities = app.getByRole('region', { name: 'Entities to copy' });
  await expect(entities.getByRole('checkbox', { name: /^Terms of payment/ })).toBeChecked();
  await expect(entities.getByRole('checkbox', { name: /^Customer groups/ })).toBeChecked();
  await snap(app, 'config-copy/02-from-to-entities');
  await expectAccessibleNames(app);

  // 3. Compare: export, remap and diff, then wait for review. Nothing is written yet.
  await app.getByRole('button', { name: 'Compare', exact: true }).click();
  const result = app.getByRole('region', { name: 'Diff' });
  await expect(result.getByRole('status', { name: 'Job state' })).toHaveText('Waiting for review', { timeout: 90_000 });
  const diff = result.getByRole('table', { name: 'Diff per entity' });
  const terms = diff.getByRole('row', { name: /^Terms of payment/ });
  await expect(terms).toBeVisible();
  // DEMF has the same payment terms as USMF, described in German: they are changed records.
  await expect(terms.getByRole('cell').nth(1)).not.toHaveText('0');
  await snap(app, 'config-copy/03-diff');

  // 4. Drill into the records of one entity: each change, target value and copied value.
  await diff.getByRole('button', { name: 'Show the rows of Terms of payment' }).click();
  const records = app.getByRole('table', { name: 'Records of Terms of payment' });
  await expect(records.getByRole('row').nth(1)).toContainText('Changed');
  await expect(records.getByRole('row').nth(1)).toContainText('DESCRIPTION');
  await expect(records.locator('del').first()).toBeVisible();
  await snap(app, 'config-copy/04-records');
  await expectAccessibleNames(app);

  // 5. Under control: DEMF keeps its own (German) descriptions, and one customer group stays out.
  await app.getByRole('checkbox', { name: /^Keep the target's DESCRIPTION/ }).check();
  await expect(records.getByRole('row').nth(1)).toContainText("target's value kept");
  await expect(records.locator('del')).toHaveCount(0);
  const sends = result.getByRole('status', { name: 'What the copy sends' });
  const before = Number(/sends (\d+) record/.exec((await sends.textContent()) ?? '')?.[1]);
  await diff.getByRole('button', { name: 'Show the rows of Customer groups' }).click();
  const groups = app.getByRole('table', { name: 'Records of Customer groups' });
  const firstGroup = groups.getByRole('row').nth(1);
  const leftOut = ((await firstGroup.getByRole('rowheader').textContent()) ?? '').trim();
  await groups.getByRole('checkbox', { name: `Copy ${leftOut}` }).uncheck();
  await expect(firstGroup).toContainText('Left out');
  await expect(sends).toContainText(`sends ${before - 1} records, keeping the target values you chose`);
  await snap(app, 'config-copy/05-choices');
  await expectAccessibleNames(app);

  // 6. Run the copy into DEMF: imported and verified record by record.
  // Run with the keyboard: Ctrl+Enter.
  await expect(result.getByRole('button', { name: /^Run the copy into DEMF/ })).toBeEnabled();
  await app.keyboard.press('ControlOrMeta+Enter');
  await expect(result.getByRole('status', { name: 'Job state' })).toHaveText('Succeeded', { timeout: 90_000 });
  await expect(result.getByRole('status').filter({ hasText: 'Verified' })).toContainText(
    'every copied record now matches in the target',
  );
  await expect(diff.getByRole('columnheader', { name: 'Verified' })).toBeVisible();
  // The diff is kept with the job: before the copy, what it did, and what the target then held.
  await expect(groups.getByRole('columnheader', { name: 'After the copy' })).toBeVisible();
  const leftOutRow = groups
    .getByRole('row')
    .filter({ has: app.getByRole('rowheader', { name: leftOut, exact: true }) });
  await expect(leftOutRow).toContainText('Not sent');
  await diff.getByRole('button', { name: 'Show the rows of Terms of payment' }).click();
  await expect(records.getByRole('row').nth(1)).toContainText('Changed');
  await expect(records.getByRole('row').nth(1)).toContainText("target's value kept");
  await expect(records.getByRole('row').nth(1)).toContainText('Matches');
  await snap(app, 'config-copy/06-verified');
  await expectAccessibleNames(app);

  // 7. The diff for a person: exported as CSV.
  const folder = mkdtempSync(join(tmpdir(), 'dmfw-e2e-copy-diff-'));
  await result.getByRole('button', { name: 'Export the diff…' }).click();
  const save = app.getByRole('dialog', { name: 'Export the diff' });
  await save.getByRole('textbox', { name: 'Folder' }).fill(folder);
  await save.getByRole('textbox', { name: 'Folder' }).press('Enter');
  await expect(save.getByRole('list', { name: `Contents of ${folder}` })).toBeVisible();
  await save.getByLabel('File name').fill('diff.csv');
  await save.getByRole('button', { name: 'Save the diff' }).click();
  await expect(app.getByRole('region', { name: 'Notifications' })).toContainText('The diff is saved');
  const file = join(folder, 'diff.csv');
  await expect.poll(() => existsSync(file), { timeout: 30_000 }).toBe(true);
  const csv = readFileSync(file, 'utf8');
  expect(csv).toContain('"Entity","Key","Before the copy","Copied","Field"');
  expect(csv).toMatch(new RegExp(`"Customer groups","${leftOut}","[A-Za-z]+","No"`));

  // 8. The same copy again: the kept descriptions still differ, the group left out is still new.
  await app.getByRole('button', { name: 'Compare again' }).click();
  await expect(result.getByRole('status', { name: 'Job state' })).toHaveText('Waiting for review', { timeout: 90_000 });
  await expect(terms.getByRole('cell').nth(1)).not.toHaveText('0');
  await result.getByRole('button', { name: 'Discard' }).click();

  // 9. What DEMF now holds, exported from the app and opened in the grid: its six payment terms.
  await goTo(app, 'Export');
  const what = app.getByRole('region', { name: 'What to export' });
  await what.getByRole('group', { name: 'Export from' }).getByLabel('Legal entity').selectOption('DEMF');
  await what.getByRole('textbox', { name: 'Data project' }).fill('Journey DEMF setup');
  await app
    .getByRole('region', { name: 'Entities to export' })
    .getByRole('checkbox', { name: /^Terms of payment/ })
    .check();
  await app.keyboard.press('ControlOrMeta+Enter');
  const exported = app.getByRole('region', { name: 'Export', exact: true });
  await expect(exported.getByRole('status', { name: 'Export outcome' })).toContainText('6 records of 1 entity', {
    timeout: 90_000,
  });
  await snap(app, 'config-copy/07-exported');
  await exported.getByRole('button', { name: 'Open Terms of payment in the grid' }).click();
  await expect.poll(() => shown(app), { timeout: 30_000 }).toEqual([1, 2, 3, 4, 5, 6]);
  // DEMF kept its own (German) descriptions through the copy.
  await expect(cell(app, 1, 1)).toContainText('Tage netto');
  await snap(app, 'config-copy/08-export-in-grid');
});
