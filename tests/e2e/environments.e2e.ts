import { expectAccessibleNames } from './support/a11y';
import { expect, snap, test } from './support/app';
import { goTo } from './support/grid';

test('environments: add one (errors say what to do), test it, tag it PROD, remove it', async ({ app }) => {
  await goTo(app, 'Environments');
  await app.getByRole('button', { name: 'Add environment' }).click();
  const dialog = app.getByRole('dialog', { name: 'Add an environment' });
  await expect(dialog).toBeVisible();

  // Nothing filled in: each field says what it needs.
  await dialog.getByRole('button', { name: 'Add environment' }).click();
  await expect(dialog).toContainText('Give the environment a name you will recognise');
  await expect(dialog).toContainText('The application (client) ID of the app registration.');
  await expect(dialog.getByLabel('Name')).toHaveAttribute('aria-invalid', 'true');
  await expectAccessibleNames(app);

  // A plain-http address is refused by the service, with the fix.
  await dialog.getByLabel('Name').fill('Contoso UAT');
  await dialog.getByLabel('Environment URL').fill('http://contoso-uat.sandbox.operations.dynamics.com');
  await dialog.getByLabel('Tenant').fill('contoso.onmicrosoft.com');
  await dialog.getByLabel('Client ID').fill('00000000-0000-0000-0000-0000000000c1');
  await dialog.getByText('UAT', { exact: true }).click();
  await dialog.getByRole('button', { name: 'Add environment' }).click();
  await expect(dialog.getByRole('alert')).toContainText('must start with https://');
  await snap(app, 'environments/01-add-dialog-error');

  // A loopback address nobody listens on: added, but its connection test fails at the address.
  await dialog.getByLabel('Environment URL').fill('http://127.0.0.1:9');
  await dialog.getByRole('button', { name: 'Add environment' }).click();
  await expect(dialog).toBeHidden();
  const card = app.getByRole('list', { name: 'Environments' }).getByRole('listitem', { name: 'Contoso UAT' });
  await expect(card).toContainText('UAT');
  await expect(card.getByLabel('Session of Contoso UAT')).toContainText('Nobody signed in');
  await card.getByRole('button', { name: 'Test the connection to Contoso UAT' }).click();
  const tested = card.getByRole('region', { name: 'Connection test' });
  await expect(tested).toContainText('Connection test failed', { timeout: 30_000 });
  await expect(tested).toContainText('does not answer');
  await snap(app, 'environments/02-test-failed');
  await expectAccessibleNames(app);

  // Tagged PROD: the dialog warns that writes will ask for the name.
  await card.getByRole('button', { name: 'Edit Contoso UAT' }).click();
  const edit = app.getByRole('dialog', { name: 'Edit Contoso UAT' });
  await edit.getByText('PROD', { exact: true }).click();
  await expect(edit.getByRole('note')).toContainText('will ask you to type its name');
  await snap(app, 'environments/03-prod-tag');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(edit).toBeHidden();
  await expect(card.locator('.tag')).toHaveText('PROD');

  // Removed after a confirmation.
  await card.getByRole('button', { name: 'Remove Contoso UAT' }).click();
  const confirm = app.getByRole('dialog', { name: 'Remove Contoso UAT?' });
  await confirm.getByRole('button', { name: 'Remove environment' }).click();
  await expect(card).toHaveCount(0);
});
