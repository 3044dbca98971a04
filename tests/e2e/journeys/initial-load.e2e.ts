import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectAccessibleNames } from '../support/a11y';
import type { Page } from '@playwright/test';
import { expect, snap, test } from '../support/app';
import { emulatorAdmin } from '../support/emulator';
import { cell, editCell, goTo, openFile } from '../support/grid';
import { projectDocument } from '../support/wizard';

/**
 * Journey 1, the initial data load of a migration cycle: a legacy customer extract with planted
 * errors is fixed in the grid (a range pasted from a spreadsheet and one bulk fix; the name too long is left, and the
 * readiness check says so), three related entities are auto-sequenced, an option is set, the
 * package is imported into the Local emulator anyway, three rows fail in F&O (the known one among
 * them), they are fixed in the grid and only they are imported again.
 */
const TERMS = ['NAME,DESCRIPTION,NUMBEROFDAYS', 'W1-NET30,Net 30 days,30', 'W1-NET10,Net 10 days,10'].join('\r\n');
const GROUPS = [
  'CUSTOMERGROUPID,DESCRIPTION,PAYMENTTERMID',
  'W1RETAIL,Retail customers,W1-NET30',
  'W1WHOLE,Wholesale customers,W1-NET10',
].join('\r\n');
/**
 * Planted: row 2 has a name too long and a credit limit that is no number (the grid marks both);
 * rows 3 and 6 have a lower-case group (a bulk fix); row 4 has payment terms F&O does not know
 * and row 5 a group that is nowhere (both only F&O finds).
 */
const CUSTOMERS = [
  'CUSTOMERACCOUNT,ORGANIZATIONNAME,CUSTOMERGROUPID,PAYMENTTERMS,SALESCURRENCYCODE,CREDITLIMIT,ADDRESSCOUNTRYREGIONID',
  'W1-0001,Alpine Ski House,W1RETAIL,W1-NET30,USD,5000,USA',
  'W1-0002,Bellows College of Applied Arts and Sciences for Students Who Need Much Longer Names Than Most People Do Ltd,W1RETAIL,W1-NET30,USD,abc,USA',
  'W1-0003,Coho Winery,w1retail,W1-NET30,USD,1000,USA',
  'W1-0004,Datum Corporation,W1WHOLE,NET99,USD,2500,USA',
  'W1-0005,Fabrikam Inc.,W1DISTRIB,W1-NET10,USD,7500,USA',
  'W1-0006,Litware Inc.,w1whole,W1-NET10,USD,12000,USA',
].join('\r\n');

/** Starts the Local emulator if needed, and comes back to Package. */
async function startLocalEmulator(app: Page): Promise<void> {
  await goTo(app, 'Environments');
  const card = app.getByRole('list', { name: 'Environments' }).getByRole('listitem', { name: 'Local emulator' });
  const start = card.getByRole('button', { name: 'Start and sign in to Local emulator' });
  if (await start.isVisible()) await start.click();
  const address = card.getByText(/^http:\/\/127\.0\.0\.1:\d+$/);
  await expect(address).toBeVisible({ timeout: 60_000 });
  await goTo(app, 'Package');
}

test('initial load: fix the extract, auto-sequence, import, fix the failed rows in the grid, re-import', async ({
  app,
}) => {
  test.setTimeout(240_000);
  const root = mkdtempSync(join(tmpdir(), 'dmfw-e2e-initial-load-'));
  mkdirSync(join(root, 'extracts'));
  const file = (name: string) => join(root, 'extracts', name);
  writeFileSync(file('terms.csv'), TERMS);
  writeFileSync(file('groups.csv'), GROUPS);
  writeFileSync(file('customers.csv'), CUSTOMERS);

  // 1. The extract opens in the grid, validated against Customers V3: the planted errors are marked.
  await openFile(app, file('customers.csv'));
  await expect(app.getByLabel('Validate against entity')).toHaveValue('Customers V3');
  await expect(cell(app, 2, 1)).toHaveClass(/cell--warning/);
  await expect(cell(app, 2, 5)).toHaveClass(/cell--warning/);
  await snap(app, 'initial-load/01-extract-with-errors');
  await expectAccessibleNames(app);

  // 2. The credit limits fixed from a spreadsheet: a range copied from Excel (tab-separated)
  // pasted over the currency and credit limit of rows 2 and 3 (the name too long is left for
  // later); then one bulk fix: the customer groups in upper case.
  await app.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(app.url()).origin });
  await app.evaluate(() => navigator.clipboard.writeText('USD\t2500\r\nUSD\t1000\r\n'));
  await cell(app, 2, 4).click();
  await app.keyboard.press('ControlOrMeta+v');
  await expect(app.getByRole('status').filter({ hasText: 'Pasted' })).toContainText(
    'Pasted 4 cells in 2 rows (1 cell changed).',
  );
  await expect(cell(app, 2, 5)).toHaveText('2500');
  await expect(cell(app, 2, 5)).toHaveClass(/cell--edited/);
  await expect(cell(app, 2, 5)).not.toHaveClass(/cell--warning/);
  // Offline, against the built-in catalog, the length is a warning: the rule is not F&O's own yet.
  await expect(cell(app, 2, 1)).toHaveClass(/cell--warning/);
  await app.getByLabel('Column to fix').selectOption({ label: 'CUSTOMERGROUPID' });
  await app.getByLabel('Change case of CUSTOMERGROUPID').selectOption({ label: 'UPPER CASE' });
  await expect(cell(app, 3, 2)).toHaveText('W1RETAIL');
  await expect(cell(app, 6, 2)).toHaveText('W1WHOLE');
  await snap(app, 'initial-load/02-extract-fixed');

  // 3. A workbench project for the wave.
  await goTo(app, 'Package');
  await app.getByLabel('Project name').fill('Wave 1');
  await app.getByLabel('Location').fill(root);
  await app.getByRole('button', { name: 'Create project' }).click();
  await expect(app.getByRole('navigation', { name: 'Package wizard steps' })).toContainText('Entities');
  await expect(app.getByLabel('Project', { exact: true })).toContainText('Wave 1');

  // 4. Three entities: the fixed extract as the grid shows it, and two files.
  const add = app.getByRole('region', { name: 'Add an entity' });
  await expect(add.getByRole('option', { name: /Customers V3/ })).toHaveAttribute('aria-selected', 'true');
  await add.getByRole('button', { name: 'Add entity' }).click();
  const entities = app.getByRole('table', { name: 'Entities of the project' });
  await expect(entities.getByRole('row', { name: /Customers V3/ })).toContainText('As in the grid');
  for (const [name, label] of [
    ['groups.csv', 'Customer groups'],
    ['terms.csv', 'Terms of payment'],
  ] as const) {
    await add.getByText('A file', { exact: true }).click();
    await add.getByLabel('File', { exact: true }).fill(file(name));
    await add.getByLabel('Entity').fill(label);
    await add.getByRole('option', { name: new RegExp(`^${label}`) }).click();
    await add.getByRole('button', { name: 'Add entity' }).click();
    await expect(entities.getByRole('row', { name: new RegExp(label) })).toBeVisible();
  }
  await snap(app, 'initial-load/03-entities');
  await expectAccessibleNames(app);

  // 5. Mapping: every column maps by name; the mandatory fields are fed.
  await app.getByRole('button', { name: 'Next: Mapping' }).click();
  const mapping = app.getByRole('region', { name: 'Mapping of Customers V3' });
  await expect(mapping.getByLabel('Source column for CUSTOMERGROUPID')).toHaveValue('CUSTOMERGROUPID');
  await expect(mapping.getByLabel('Source column for SALESCURRENCYCODE')).toHaveValue('SALESCURRENCYCODE');
  await expect(mapping.getByRole('complementary', { name: 'Unmapped source columns' })).toContainText(
    'Every column of the file feeds a field.',
  );
  await snap(app, 'initial-load/04-mapping');
  await expectAccessibleNames(app);

  // 6. Auto-sequence: terms, then groups, then customers, each with the reason.
  await app.getByRole('button', { name: 'Next: Sequence' }).click();
  const schedule = app.getByRole('table', { name: 'Schedule' });
  await expect(schedule.getByRole('cell', { name: 'Unit 1, level 1: Terms of payment' })).toBeVisible();
  await expect(schedule.getByRole('cell', { name: 'Unit 1, level 2: Customer groups' })).toBeVisible();
  await expect(schedule.getByRole('cell', { name: 'Unit 1, level 3: Customers V3' })).toBeVisible();
  await expect(app.getByRole('complementary', { name: 'Why this order' })).toContainText(
    'CUSTOMERGROUPID references Customer groups',
  );
  await snap(app, 'initial-load/05-sequence');
  await expectAccessibleNames(app);

  // 7. Options: Customers V3 needs change tracking on the entire entity (kept in the project).
  await app.getByRole('button', { name: 'Next: Options' }).click();
  const options = app.getByRole('table', { name: 'Options per entity' });
  await options.getByLabel('Change tracking of Customers V3').selectOption({ label: 'Entire entity' });
  await expect(options.getByLabel('Change tracking of Customers V3')).toHaveValue('entire-entity');
  await expect
    .poll(() => projectDocument(join(root, 'Wave 1')).entities.find((e) => e.label === 'Customers V3')?.changeTracking)
    .toBe('entire-entity');

  // 8. Save or run: the readiness check knows the name left too long, and asks before running.
  await app.getByRole('button', { name: 'Next: Save or run' }).click();
  await expect(app.getByRole('list', { name: 'Before you build' })).toContainText(
    'Every mandatory field has a column.',
  );
  const known = app.getByRole('region', { name: 'Known problems in the sources' });
  // (At least the name: reference checks inside the package may know more.)
  await expect(known).toContainText(/\d+ (known errors?|warnings?) in \d+ rows/, { timeout: 30_000 });
  await expect(known.getByRole('list', { name: 'Findings in Customers V3 by rule' })).toContainText(
    'Longer than the field — row 2, ORGANIZATIONNAME',
  );
  await app.getByLabel('Environment', { exact: true }).selectOption('local-emulator');
  await snap(app, 'initial-load/06-run');
  await expectAccessibleNames(app);
  // The emulator holds the execution in Executing until it is released: the monitor is seen mid-run.
  await startLocalEmulator(app);
  const admin = emulatorAdmin(app);
  await admin.faults({ stuckExecutions: 1 });
  // Offline the length is the built-in catalog's rule: a warning, asked about all the same.
  await app.getByRole('button', { name: /^Run anyway with \d+ (known errors?|warnings?)/ }).click();

  // 9. The job monitor follows it: running in F&O, then PartiallySucceeded: three rows failed in F&O.
  const job = app.getByRole('article', { name: /^Job: Import Wave 1 into Local emulator/ });
  await expect(job.getByRole('list', { name: 'Steps' }).locator('[aria-current="step"]')).toContainText(
    'F&O processing',
    { timeout: 60_000 },
  );
  await expect(job.getByRole('status', { name: 'Job state' })).toHaveText('Running');
  await snap(app, 'initial-load/07-running');
  await expectAccessibleNames(app);
  const executionId = (await job.getByText(/^Wave1-\d{8}-\d{6}-[0-9a-f]{8}$/).textContent()) ?? '';
  await admin.release(executionId);
  await expect(job.getByRole('status', { name: 'Job state' })).toHaveText('Partially succeeded', { timeout: 90_000 });
  await expect(job.getByRole('table', { name: 'Entities' }).getByRole('row', { name: /Customers V3/ })).toContainText(
    '6',
  );
  await expect(job.getByRole('table', { name: 'First errors' })).toContainText('NET99');
  await expect(job.getByRole('table', { name: 'First errors' })).toContainText('ORGANIZATIONNAME');
  await snap(app, 'initial-load/08-partially-succeeded');
  await expectAccessibleNames(app);

  // 10. Open errors: the three failed rows, with their messages, in the grid.
  await job.getByRole('button', { name: 'Open errors' }).click();
  const bar = app.getByRole('region', { name: 'Failed rows of a job' });
  await expect(bar).toContainText('Failed rows of Customers V3 from');
  await expect(app.getByLabel('Rows', { exact: true })).toContainText('3 rows');
  await expect(cell(app, 2, 0)).toContainText('ORGANIZATIONNAME');
  await expect(cell(app, 4, 0)).toContainText('PAYMENTTERMS');
  await expect(cell(app, 5, 0)).toContainText('CUSTOMERGROUPID');
  await snap(app, 'initial-load/09-errors-in-grid');
  await expectAccessibleNames(app);

  // 11. Fix them there, and re-import only those rows: Succeeded.
  await editCell(app, 2, 2, 'Bellows College');
  await editCell(app, 4, 4, 'W1-NET30');
  await editCell(app, 5, 3, 'W1WHOLE');
  await bar.getByRole('button', { name: 'Re-import failed rows' }).click();
  const again = app.getByRole('article', { name: /^Job: Re-import the failed rows of/ });
  await expect(again.getByRole('status', { name: 'Job state' })).toHaveText('Succeeded', { timeout: 90_000 });
  await expect(again.getByRole('table', { name: 'Entities' }).getByRole('row', { name: /Customers V3/ })).toContainText(
    '3',
  );
  await snap(app, 'initial-load/10-reimport-succeeded');

  // 12. The run history compares the two runs: the three errors are resolved.
  await app.getByRole('tab', { name: 'Run history' }).click();
  const runs = app.getByRole('table', { name: 'Runs' });
  await expect(runs.getByRole('row')).toHaveCount(3);
  await expect(runs.getByRole('row').nth(1)).toContainText('Re-import of failed rows');
  await snap(app, 'initial-load/11-run-history');
  await expectAccessibleNames(app);
  await app.getByRole('tab', { name: 'Jobs', exact: true }).click();
});
