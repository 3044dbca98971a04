import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectAccessibleNames } from './support/a11y';
import { expect, snap, test } from './support/app';
import { signInToLocalEmulator } from './support/emulator';
import { closeOpenSources, goTo, shown } from './support/grid';

/** The screens' tests after this one expect no file open (the export opens one). */
test.afterEach(({ app }) => closeOpenSources(app));

/**
 * Issue 11, item 11: export in the app. A data project of two setup entities from USMF: the
 * ExportToPackagePreview count first (3 records per entity: there are more), then the whole
 * export saved where asked, on the job monitor, and its package opened in the grid.
 */
test('export: preview the records, export the data project, open the package in the grid', async ({ app }) => {
  test.setTimeout(180_000);
  await signInToLocalEmulator(app);

  // The empty screen says what to do; Ctrl+6 opens it from anywhere.
  await goTo(app, 'Jobs');
  await app.keyboard.press('ControlOrMeta+6');
  await expect(app.getByRole('heading', { name: 'Export', level: 1 })).toBeVisible();
  const result = app.getByRole('region', { name: 'Export result' });
  await expect(result).toContainText('Preview, then export');
  await snap(app, 'export/01-empty');
  await expectAccessibleNames(app);

  // What to export: USMF of the Local emulator, a data project of two entities, full push.
  const what = app.getByRole('region', { name: 'What to export' });
  const from = what.getByRole('group', { name: 'Export from' });
  await from.getByLabel('Environment').selectOption('local-emulator');
  await from.getByLabel('Legal entity').selectOption('USMF');
  await what.getByRole('textbox', { name: 'Data project' }).fill('E2E setup export');
  await expect(what.getByRole('radio', { name: /^Full push/ })).toBeChecked();
  const entities = app.getByRole('region', { name: 'Entities to export' });
  await entities.getByRole('checkbox', { name: /^Terms of payment/ }).check();
  await entities.getByLabel('Search entities').fill('customer groups');
  await entities.getByRole('checkbox', { name: /^Customer groups/ }).check();
  await expect(entities).toContainText('2 entities chosen');

  // The entities can also come from the environment's own metadata.
  await app.getByLabel('Entities from').selectOption('environment');
  await expect(entities.getByRole('checkbox', { name: /^Customer groups/ })).toBeChecked({ timeout: 60_000 });
  await app.getByLabel('Entities from').selectOption('catalog');

  // Preview: ExportToPackagePreview, 3 records per entity. USMF has six payment terms: there are more.
  await app.getByLabel('Records per entity').fill('3');
  await app.getByRole('button', { name: 'Preview', exact: true }).click();
  const preview = app.getByRole('region', { name: 'Preview' });
  await expect(preview.getByRole('status', { name: 'Preview outcome' })).toContainText(
    'At most 3 records of each entity, from USMF.',
    { timeout: 90_000 },
  );
  const previewed = preview.getByRole('table', { name: 'Records in the preview' });
  await expect(previewed.getByRole('row', { name: /^Terms of payment/ })).toContainText(
    '3 · the first 3: there are more',
  );
  await expect(previewed.getByRole('row', { name: /^Customer groups/ })).toBeVisible();
  await snap(app, 'export/02-preview');
  await expectAccessibleNames(app);

  // Export it all, saved where asked, with the keyboard (Ctrl+Enter).
  const folder = mkdtempSync(join(tmpdir(), 'dmfw-e2e-export-'));
  const file = join(folder, 'usmf-setup.zip');
  await what.getByLabel('Save the package as').fill(file);
  await app.keyboard.press('ControlOrMeta+Enter');
  const exported = app.getByRole('region', { name: 'Export', exact: true });
  await expect(exported.getByRole('status', { name: 'Job state' })).toHaveText('Succeeded', { timeout: 90_000 });
  await expect(exported.getByRole('status', { name: 'Export outcome' })).toContainText(`saved in ${file}`);
  await expect(
    exported.getByRole('table', { name: 'Records in the package' }).getByRole('row', { name: /^Terms of payment/ }),
  ).toContainText('6');
  expect(existsSync(file)).toBe(true);
  await snap(app, 'export/03-exported');
  await expectAccessibleNames(app);

  // The job on the monitor, with its package and the way into the grid.
  await exported.getByRole('button', { name: 'Open the job' }).click();
  const job = app.getByRole('article', { name: /^Job: Export of E2E setup export/ });
  await expect(job).toContainText(file);
  await expect(job.getByRole('table', { name: 'Entities' })).toContainText('Terms of payment');
  await expect(job.getByRole('button', { name: 'Open in the grid' })).toBeVisible();
  await snap(app, 'export/04-job');

  // The package opened in the grid: its six payment terms.
  await goTo(app, 'Export');
  await exported.getByRole('button', { name: 'Open Terms of payment in the grid' }).click();
  await expect.poll(() => shown(app), { timeout: 30_000 }).toEqual([1, 2, 3, 4, 5, 6]);
  await snap(app, 'export/05-grid');
});
