import { expectAccessibleNames } from './support/a11y';
import { expect, snap, test } from './support/app';
import { goTo } from './support/grid';

test('environments: each card says whether a metadata snapshot exists, and a failed pull says why', async ({ app }) => {
  await goTo(app, 'Environments');
  const cards = app.getByRole('list', { name: 'Environments' });
  const local = cards.getByRole('listitem', { name: 'Local emulator' });
  await expect(local.getByRole('region', { name: 'Metadata of Local emulator' })).toContainText(
    /No metadata snapshot yet|Metadata pulled/,
  );

  await app.getByRole('button', { name: 'Add environment' }).click();
  const dialog = app.getByRole('dialog', { name: 'Add an environment' });
  await dialog.getByLabel('Name').fill('Nowhere UAT');
  await dialog.getByLabel('Environment URL').fill('http://127.0.0.1:9');
  await dialog.getByLabel('Tenant').fill('contoso.onmicrosoft.com');
  await dialog.getByLabel('Client ID').fill('00000000-0000-0000-0000-0000000000c2');
  await dialog.getByRole('button', { name: 'Add environment' }).click();
  await expect(dialog).toBeHidden();

  const card = cards.getByRole('listitem', { name: 'Nowhere UAT' });
  const metadata = card.getByRole('region', { name: 'Metadata of Nowhere UAT' });
  await expect(metadata).toContainText('No metadata snapshot yet');
  await metadata.getByRole('button', { name: 'Pull the metadata of Nowhere UAT' }).click();
  // Nobody answers there: the pull ends in a problem that names it, and nothing is saved.
  await expect(metadata.getByRole('alert')).toBeVisible({ timeout: 60_000 });
  await expect(metadata).toContainText('No metadata snapshot yet');
  await expect(metadata.getByRole('button', { name: 'Pull the metadata of Nowhere UAT' })).toBeEnabled();
  await snap(app, 'environments/04-metadata-pull-failed');
  await expectAccessibleNames(app);

  await card.getByRole('button', { name: 'Remove Nowhere UAT' }).click();
  await app
    .getByRole('dialog', { name: 'Remove Nowhere UAT?' })
    .getByRole('button', { name: 'Remove environment' })
    .click();
  await expect(card).toHaveCount(0);
});
