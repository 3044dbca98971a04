import { expectAccessibleNames } from '../support/a11y';
import { expect, snap, test } from '../support/app';
import { goTo } from '../support/grid';

/**
 * Journey 2, configuration copy between legal entities: payment terms and customer groups from
 * USMF to DEMF of the Local emulator, with the diff reviewed (down to single records) before the
 * copy runs, and the result verified against the target.
 */
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

  // 5. Run the copy into DEMF: imported and verified record by record.
  // Run with the keyboard: Ctrl+Enter.
  await expect(result.getByRole('button', { name: /^Run the copy into DEMF/ })).toBeEnabled();
  await app.keyboard.press('ControlOrMeta+Enter');
  await expect(result.getByRole('status', { name: 'Job state' })).toHaveText('Succeeded', { timeout: 90_000 });
  await expect(result.getByRole('status').filter({ hasText: 'Verified' })).toContainText(
    'every copied record now matches in the target',
  );
  await expect(diff.getByRole('columnheader', { name: 'Verified' })).toBeVisible();
  // The records, compared with the target again: now the same.
  await expect(records.getByRole('row').nth(1)).toContainText('Same');
  await snap(app, 'config-copy/05-verified');
  await expectAccessibleNames(app);

  // 6. The same copy again finds nothing left to change.
  await app.getByRole('button', { name: 'Compare again' }).click();
  await expect(result.getByRole('status', { name: 'Job state' })).toHaveText('Waiting for review', { timeout: 90_000 });
  await expect(terms.getByRole('cell').nth(0)).toHaveText('0');
  await expect(terms.getByRole('cell').nth(1)).toHaveText('0');
  await result.getByRole('button', { name: 'Discard' }).click();
});
