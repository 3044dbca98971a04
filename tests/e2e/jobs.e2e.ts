import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectAccessibleNames } from './support/a11y';
import { expect, snap, test } from './support/app';
import { emulatorAdmin, signInToLocalEmulator } from './support/emulator';
import { cell, closeOpenSources, editCell, goTo } from './support/grid';

/** Rows 2 and 3 name payment terms F&O does not have: they fail staging → target. */
const GROUPS = [
  'CUSTOMERGROUPID,DESCRIPTION,PAYMENTTERMID',
  'JB-RETAIL,Retail,Net30',
  'JB-WHOLE,Wholesale,NOPE2',
  'JB-STAFF,Staff,NOPE3',
].join('\r\n');

/** The screens' tests after this one expect no file open (the round trip opens two). */
test.afterEach(({ app }) => closeOpenSources(app));

/**
 * Issue 11, defects 4, 5 and 10: a job started while Jobs shows Run history is shown (not "No
 * runs yet"), job cards say environment and legal entity, Run history speaks F&O's words, and
 * after the failed rows were re-imported the old failed-rows tab cannot post them again.
 */
test('jobs: a started job is shown, the run history speaks F&O, a stale failed-rows tab cannot post twice', async ({
  app,
}) => {
  test.setTimeout(240_000);
  const root = mkdtempSync(join(tmpdir(), 'dmfw-e2e-jobs-'));
  mkdirSync(join(root, 'extracts'));
  const file = join(root, 'extracts', 'groups.csv');
  writeFileSync(file, GROUPS);
  await signInToLocalEmulator(app);
  const admin = emulatorAdmin(app);

  // A project with one entity, read from the file.
  await goTo(app, 'Package');
  await app.getByLabel('Project name').fill('Jobs wave');
  await app.getByLabel('Location').fill(root);
  await app.getByRole('button', { name: 'Create project' }).click();
  const add = app.getByRole('region', { name: 'Add an entity' });
  await add.getByText('A file', { exact: true }).click();
  await add.getByLabel('File', { exact: true }).fill(file);
  await add.getByLabel('Entity').fill('Customer groups');
  await add.getByRole('option', { name: /^Customer groups/ }).click();
  await add.getByRole('button', { name: 'Add entity' }).click();
  await expect(app.getByRole('table', { name: 'Entities of the project' })).toContainText('Customer groups');

  // Jobs is left on Run history: the project has no run yet.
  await goTo(app, 'Jobs');
  await app.getByRole('tab', { name: 'Run history' }).click();
  await expect(app.getByRole('region', { name: 'Run history' })).toContainText('No runs yet');

  // Run it into USRT, held in F&O processing so that the run history is seen while it runs.
  await goTo(app, 'Package');
  for (const next of ['Next: Mapping', 'Next: Sequence', 'Next: Options', 'Next: Save or run'])
    await app.getByRole('button', { name: next }).click();
  await app.getByLabel('Environment', { exact: true }).selectOption('local-emulator');
  await app.getByLabel('Legal entity', { exact: true }).selectOption('USRT');
  await admin.faults({ stuckExecutions: 1 });
  await app.getByRole('button', { name: /^Run import/ }).click();

  // Defect 5: the started job is on screen, not Run history's "No runs yet".
  const first = app.getByRole('article', { name: /^Job: Import Jobs wave into Local emulator/ });
  await expect(first).toBeVisible();
  await expect(app.getByRole('tab', { name: 'Jobs', exact: true })).toHaveAttribute('aria-selected', 'true');
  const card = app.getByRole('list', { name: 'Jobs' }).getByRole('button', { name: /Import Jobs wave/ });
  await expect(card).toContainText('Local emulator · USRT');
  await expect(first.getByRole('list', { name: 'Steps' }).locator('[aria-current="step"]')).toContainText(
    'F&O processing',
    { timeout: 60_000 },
  );
  // The run history says the run is under way instead of "No runs yet".
  await app.getByRole('tab', { name: 'Run history' }).click();
  const underWay = app.getByRole('list', { name: 'Runs under way' });
  await expect(underWay).toContainText(
    'Import Jobs wave into Local emulator · USRT: it joins the history when it ends.',
  );
  await expect(app.getByRole('region', { name: 'Run history' })).not.toContainText('No runs yet');
  await snap(app, 'jobs/01-run-history-while-running');
  await underWay.getByRole('button', { name: 'Follow the job' }).click();
  const executionId = (await first.getByText(/^Jobswave-\d{8}-\d{6}-[0-9a-f]{8}$/).textContent()) ?? '';
  await admin.release(executionId);
  await expect(first.getByRole('status', { name: 'Job state' })).toHaveText('Partially succeeded', { timeout: 90_000 });
  await snap(app, 'jobs/02-partially-succeeded');
  await expectAccessibleNames(app);

  // Defect 10: Run history shows F&O's words with the status colour.
  await app.getByRole('tab', { name: 'Run history' }).click();
  const status = app.getByRole('table', { name: 'Runs' }).getByRole('row').nth(1).getByText('Partially succeeded');
  await expect(status).toHaveClass(/badge--warn/);
  await expect(app.getByRole('table', { name: 'Runs' })).not.toContainText('PartiallySucceeded');
  await snap(app, 'jobs/03-run-history-partially-succeeded');
  await app.getByRole('tab', { name: 'Jobs', exact: true }).click();

  // Open the errors, fix both rows in the tab, re-import them: Succeeded.
  await first.getByRole('button', { name: 'Open errors' }).click();
  const bar = app.getByRole('region', { name: 'Failed rows of a job' });
  await expect(app.getByLabel('Rows', { exact: true })).toContainText('2 rows');
  await editCell(app, 2, 3, 'Net10');
  await editCell(app, 3, 3, 'Net30');
  const sentBefore = await admin.calls('ImportFromPackage');
  await bar.getByRole('button', { name: 'Re-import failed rows' }).click();
  const again = app.getByRole('article', { name: /^Job: Re-import the failed rows of/ });
  await expect(again.getByRole('status', { name: 'Job state' })).toHaveText('Succeeded', { timeout: 90_000 });
  expect(await admin.calls('ImportFromPackage')).toBe(sentBefore + 1);

  // Defect 4: the old tab follows the latest outcome, and its button cannot post the rows again.
  await goTo(app, 'Sources');
  await app
    .getByRole('tablist', { name: 'Open files' })
    .getByRole('tab', { name: 'Customer groups: failed rows' })
    .click();
  await expect(cell(app, 2, 0)).toContainText('Imported since by job', { timeout: 30_000 });
  await expect(cell(app, 3, 0)).toContainText('Imported since by job');
  await expect(bar.getByRole('button', { name: 'Re-import failed rows' })).toBeDisabled();
  await expect(bar.getByRole('note')).toContainText('Nothing left to re-import: 2 rows were imported since by job');
  await app.keyboard.press('ControlOrMeta+Enter');
  await snap(app, 'jobs/04-stale-tab-cannot-post');
  await expectAccessibleNames(app);

  // The first job's own button is off too, and says why.
  await bar.getByRole('button', { name: 'Back to the job' }).click();
  await expect(first.getByRole('button', { name: 'Re-import failed rows' })).toBeDisabled();
  await expect(first.getByRole('note', { name: 'Re-import' })).toContainText('imported since by job');
  await snap(app, 'jobs/05-first-job-nothing-left');
  expect(await admin.calls('ImportFromPackage')).toBe(sentBefore + 1);
});
