import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator } from '@playwright/test';
import { expect, snap, test } from './support/app';
import { textFits } from './support/layout';
import { closeOpenSources, editCell, goTo, shown } from './support/grid';
import { addFileEntity, createProject, projectDocument } from './support/wizard';

const GROUPS = ['CUSTOMERGROUPID,DESCRIPTION', 'PK-RET,Retail', 'PK-WHS,Wholesale'].join('\r\n');
const CUSTOMERS = [
  'CUSTOMERACCOUNT,ORGANIZATIONNAME,CUSTOMERGROUPID,SALESCURRENCYCODE',
  'PK-0001,Alpine Ski House,PK-RET,USD',
  'PK-0002,Coho Winery,PK-WHS,USD',
].join('\r\n');

function extracts(prefix: string): { root: string; file: (name: string) => string } {
  const root = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(root, 'extracts'));
  const file = (name: string) => join(root, 'extracts', name);
  writeFileSync(file('groups.csv'), GROUPS);
  writeFileSync(file('customers.csv'), CUSTOMERS);
  return { root, file };
}

test('options: every per-entity option sticks, on screen and in dmfw-project.json', async ({ app }) => {
  const { root, file } = extracts('dmfw-e2e-options-');
  const dir = await createProject(app, root, 'Options wave');
  await addFileEntity(app, file('customers.csv'), 'Customers V3');
  await app.getByRole('button', { name: 'Options', exact: true }).click();
  const options = app.getByRole('table', { name: 'Options per entity' });

  await options.getByLabel('Change tracking of Customers V3').selectOption({ label: 'Entire entity' });
  await expect(options.getByLabel('Change tracking of Customers V3')).toHaveValue('entire-entity');
  await options.getByLabel('Push of Customers V3').selectOption({ label: 'Incremental push' });
  await expect(options.getByLabel('Push of Customers V3')).toHaveValue('IncrementalPush');
  await options.getByLabel('Fail level on error for Customers V3').check();
  await expect(options.getByLabel('Fail level on error for Customers V3')).toBeChecked();
  await options.getByLabel('Business logic for Customers V3').uncheck();
  await expect(options.getByLabel('Business logic for Customers V3')).not.toBeChecked();

  // Once the last change is planned again, the project file holds every choice.
  await expect
    .poll(() => projectDocument(dir).entities[0], { timeout: 15_000 })
    .toMatchObject({
      changeTracking: 'entire-entity',
      refreshType: 'IncrementalPush',
      processing: { failLevelOnError: true, runBusinessLogic: false },
    });
  // The entity's name reads as the row's own text, not as one more grey heading.
  const colour = (locator: Locator) => locator.evaluate((el) => getComputedStyle(el).color);
  const name = options.getByRole('rowheader', { name: /Customers V3/ });
  expect(await colour(name)).toBe(await colour(options.getByRole('cell').first()));
  expect(await colour(name)).not.toBe(await colour(options.getByRole('columnheader', { name: 'Entity' })));
  await snap(app, 'package/01-options-kept');

  // The environment's name is whole in its menu; how it connects is said beside it.
  await app.getByRole('button', { name: 'Save or run', exact: true }).click();
  const environment = app.getByLabel('Environment', { exact: true });
  await environment.selectOption('local-emulator');
  expect(await textFits(environment)).toMatchObject({ fits: true });
  await expect(app.getByText(/^Local emulator: (starts when used|signed in|signed out)$/)).toBeVisible();

  // Opened again, the screen shows what the file says.
  await app.reload();
  await app.getByRole('navigation', { name: 'Workbench areas' }).getByRole('button', { name: 'Package' }).click();
  await app.getByRole('button', { name: /Options wave/ }).click();
  await app.getByRole('button', { name: 'Options', exact: true }).click();
  await expect(options.getByLabel('Change tracking of Customers V3')).toHaveValue('entire-entity');
  await expect(options.getByLabel('Fail level on error for Customers V3')).toBeChecked();

  // Leaving an entity out sticks too (the Include box had the same late read).
  await app.getByRole('button', { name: 'Entities', exact: true }).click();
  await addFileEntity(app, file('groups.csv'), 'Customer groups');
  await app.getByLabel('Include Customer groups in the package').uncheck();
  await expect(app.getByLabel('Include Customer groups in the package')).not.toBeChecked();
  await expect
    .poll(() => projectDocument(dir).entities.find((e) => e.label === 'Customer groups')?.enabled, {
      timeout: 15_000,
    })
    .toBe(false);
});

test('sequence: a card dragged into "New unit" moves alone, and the board says what that breaks', async ({ app }) => {
  const { root, file } = extracts('dmfw-e2e-board-');
  await createProject(app, root, 'Board wave');
  await addFileEntity(app, file('groups.csv'), 'Customer groups');
  await addFileEntity(app, file('customers.csv'), 'Customers V3');
  await app.getByRole('button', { name: 'Sequence', exact: true }).click();
  const schedule = app.getByRole('table', { name: 'Schedule' });
  await expect(schedule.getByRole('cell', { name: 'Unit 1, level 1: Customer groups' })).toBeVisible();
  await expect(schedule.getByRole('cell', { name: 'Unit 1, level 2: Customers V3' })).toBeVisible();

  await schedule
    .getByRole('button', { name: /^Customers V3: unit 1, level 2/ })
    .dragTo(schedule.getByRole('cell', { name: 'Unit 2, level 1: empty' }));
  await expect(schedule.getByRole('cell', { name: 'Unit 2, level 1: Customers V3' })).toBeVisible();
  // Customer groups did not follow it: it stays where it was, alone in unit 1.
  await expect(schedule.getByRole('cell', { name: 'Unit 1, level 1: Customer groups' })).toBeVisible();
  await expect(schedule.getByRole('cell', { name: /^Unit 2, level \d+: .*Customer groups/ })).toHaveCount(0);
  await expect(app.getByRole('note').filter({ hasText: 'references Customer groups (unit 1)' })).toContainText(
    'execution units run in parallel',
  );
  await snap(app, 'package/02-card-moved-alone');
});

/** The screens' tests after this one expect no file open, even when this one failed half-way. */
test.afterEach(({ app }) => closeOpenSources(app));

test('save or run: the readiness check lists what the grid knows, links to it, and asks before running', async ({
  app,
}) => {
  const { root, file } = extracts('dmfw-e2e-readiness-');
  const long = `Bellows College ${'of Applied Arts '.repeat(7)}Ltd`.slice(0, 126);
  writeFileSync(file('customers.csv'), CUSTOMERS.replace('Coho Winery', long));
  await createProject(app, root, 'Ready wave');
  await addFileEntity(app, file('groups.csv'), 'Customer groups');
  await addFileEntity(app, file('customers.csv'), 'Customers V3');
  await app.getByRole('button', { name: 'Save or run', exact: true }).click();

  const known = app.getByRole('region', { name: 'Known problems in the sources' });
  // No environment chosen: the length is the built-in catalog's rule, so a warning (issue 10),
  // and the check still asks before running.
  await expect(known).toContainText('1 warning in 4 rows: rules the environment has not confirmed', {
    timeout: 30_000,
  });
  const rules = known.getByRole('list', { name: 'Findings in Customers V3 by rule' });
  await expect(rules.getByRole('listitem')).toHaveText([/^1\s*Longer than the field — row 2, ORGANIZATIONNAME:/]);
  await expect(rules.getByRole('listitem')).toContainText('Rule from built-in');
  await expect(app.getByRole('button', { name: /^Run anyway with 1 warning/ })).toBeVisible();
  await expect(app.getByRole('button', { name: /^Save anyway with 1 warning/ })).toBeVisible();
  await expect(app.getByRole('button', { name: /^Run import/ })).toHaveCount(0);
  await snap(app, 'package/03-readiness-known-error');

  // The link opens the rows in the grid, filtered on that rule.
  await rules
    .getByRole('button', { name: 'Show the rows of Customers V3 with "Longer than the field" in the grid' })
    .click();
  await expect(app.getByRole('tab', { name: 'customers.csv', selected: true })).toBeVisible();
  await expect(app.getByRole('group', { name: 'Filters in effect' })).toContainText('Rows with longer than the field');
  await expect.poll(() => shown(app)).toEqual([2]);
  await snap(app, 'package/04-readiness-in-grid');

  // Fixed there, the check is clean again and the buttons are the usual ones.
  await editCell(app, 2, 1, 'Bellows College');
  await goTo(app, 'Package');
  await expect(known).toContainText('No known problem: 4 rows checked', { timeout: 30_000 });
  await expect(app.getByRole('button', { name: /^Run import/ })).toBeVisible();

  // The grid's file goes back to disk (its tab is closed after the test, pass or fail).
  await goTo(app, 'Sources');
  await app.keyboard.press('ControlOrMeta+s');
  await expect(app.getByRole('button', { name: 'Saved', exact: true })).toBeDisabled();
});
