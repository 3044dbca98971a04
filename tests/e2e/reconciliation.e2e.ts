import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectAccessibleNames } from './support/a11y';
import { expect, snap, test } from './support/app';
import { signInToLocalEmulator } from './support/emulator';
import { cell, closeOpenSources, goTo } from './support/grid';
import { addFileEntity, createProject } from './support/wizard';

/** RC-WHOLE names payment terms F&O does not have: it fails staging → target and never lands. */
const GROUPS = [
  'CUSTOMERGROUPID,DESCRIPTION,PAYMENTTERMID',
  'RC-RETAIL,Retail,Net30',
  'RC-WHOLE,Wholesale,NOPE',
  'RC-STAFF,Staff,Net10',
].join('\r\n');

test.afterEach(({ app }) => closeOpenSources(app));

/** Issue 14 item 3: a finished import is reconciled from the job monitor, and what did not land opens in the grid. */
test('reconciliation: a load is read back from F&O, the missing key opens in the grid with its source row', async ({
  app,
}) => {
  test.setTimeout(240_000);
  const root = mkdtempSync(join(tmpdir(), 'dmfw-e2e-reconcile-'));
  mkdirSync(join(root, 'extracts'));
  const file = join(root, 'extracts', 'groups.csv');
  writeFileSync(file, GROUPS);
  await signInToLocalEmulator(app);
  await createProject(app, root, 'Reconcile wave');
  await addFileEntity(app, file, 'Customer groups');
  for (const next of ['Next: Mapping', 'Next: Sequence', 'Next: Options', 'Next: Save or run'])
    await app.getByRole('button', { name: next }).click();
  await app.getByLabel('Environment', { exact: true }).selectOption('local-emulator');
  await app.getByLabel('Legal entity', { exact: true }).selectOption('USMF');
  await app.getByRole('button', { name: /^Run import/ }).click();

  const job = app.getByRole('article', { name: /^Job: Import Reconcile wave into Local emulator/ });
  await expect(job.getByRole('status', { name: 'Job state' })).toHaveText('Partially succeeded', { timeout: 90_000 });
  const panel = job.getByRole('region', { name: 'Reconciliation' });
  await expect(panel).toContainText('Not reconciled yet');
  await panel.getByRole('button', { name: 'Reconcile', exact: true }).click();
  const entities = panel.getByRole('table', { name: 'Reconciled entities' });
  const row = entities.getByRole('row', { name: /Customer groups/ });
  await expect(row).toContainText('Differences', { timeout: 60_000 });
  // Sent, in F&O, F&O's own count, missing, changed.
  await expect(row.getByRole('cell')).toHaveText(['USMF', '3', '2', '2', '1', '0', 'Differences', /Open differences/]);
  await expect(panel.getByRole('button', { name: 'Reconcile again' })).toBeEnabled();
  // The cycle's sign-off report, printed by Chromium into the project.
  await panel.getByRole('button', { name: 'Sign-off report' }).click();
  await expect(panel.getByRole('status', { name: 'Sign-off report' })).toContainText(
    join(root, 'Reconcile wave', 'reports', 'cycle-1.pdf'),
    { timeout: 60_000 },
  );
  expect(
    readFileSync(join(root, 'Reconcile wave', 'reports', 'cycle-1.pdf'))
      .subarray(0, 5)
      .toString(),
  ).toBe('%PDF-');
  await panel.scrollIntoViewIfNeeded();
  await snap(app, 'reconciliation/01-job-monitor-differences');
  await expectAccessibleNames(app);

  await row.getByRole('button', { name: 'Open the differences of Customer groups in the grid' }).click();
  await expect(app.getByLabel('Rows', { exact: true })).toContainText('1 row');
  await expect(cell(app, 1, 0)).toHaveText('RC-WHOLE');
  await expect(cell(app, 1, 2)).toHaveText('missing');
  await expect(cell(app, 1, 7)).toHaveText('2');
  await snap(app, 'reconciliation/02-differences-in-the-grid');
  await goTo(app, 'Jobs');
});
