import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectAccessibleNames } from './support/a11y';
import { expect, snap, test } from './support/app';
import { cell, openFile } from './support/grid';
import { createProject } from './support/wizard';

/** A legacy extract: company names with planted variants, payment terms in the legacy system's codes. */
const EXTRACT = [
  'CUSTOMERACCOUNT,ORGANIZATIONNAME,CUSTOMERGROUPID,SALESCURRENCYCODE,PAYMENTTERMS',
  'VM-001,Contoso Ltd,10,USD,NET 30',
  'VM-002,CONTOSO LTD,10,USD,30 days',
  'VM-003,Contoso Ltd.,10,USD,N10',
  'VM-004,Fabrikam Inc,20,USD,NET 30',
  'VM-005,Fabrikam Inc,20,USD,Net 45 days',
  'VM-006,Northwind,20,USD,COD',
].join('\r\n');

test('values: cluster variants and merge them, build a value table from suggestions and apply it', async ({ app }) => {
  test.setTimeout(180_000);
  const root = mkdtempSync(join(tmpdir(), 'dmfw-e2e-values-'));
  const file = join(root, 'customers.csv');
  writeFileSync(file, EXTRACT);
  const dir = await createProject(app, root, 'Value mapping');
  // The project imports into the Local emulator's USMF, whose payment terms are the valid values.
  const projectFile = join(dir, 'dmfw-project.json');
  const document = JSON.parse(readFileSync(projectFile, 'utf8')) as Record<string, unknown>;
  writeFileSync(
    projectFile,
    JSON.stringify({ ...document, binding: { environment: 'Local emulator', company: 'USMF' } }, null, 2),
  );

  await openFile(app, file);
  await expect(app.getByLabel('Validate against entity')).toHaveValue('Customers V3');
  await app.getByRole('button', { name: 'Values', exact: true }).click();
  const panel = app.getByRole('complementary', { name: 'Column values' });

  // 1. Clusters: the variants of Contoso with their rows, merged to the most frequent in one step.
  await panel.getByRole('tab', { name: 'Clusters' }).click();
  await panel.getByLabel('Column to cluster').selectOption({ label: 'ORGANIZATIONNAME' });
  const cluster = panel.getByRole('form', { name: /^Cluster Contoso Ltd/ });
  await expect(cluster).toContainText('3 rows in 3 values');
  await expect(panel.getByLabel('Clusters found')).toContainText('1 cluster among 5 distinct values in 6 rows');
  await snap(app, 'values/01-clusters');
  await cluster.getByRole('button', { name: 'Merge 2 rows' }).click();
  await expect(cell(app, 2, 1)).toHaveText('Contoso Ltd');
  await expect(cell(app, 3, 1)).toHaveText('Contoso Ltd');
  await expect(panel.getByLabel('Clusters found')).toContainText('No clusters among 3 distinct values');

  // 2. Value mapping: a table for PAYMENTTERMS, the valid values read from the environment.
  await panel.getByRole('tab', { name: 'Value mapping' }).click();
  await expect(panel.getByLabel('Project of the value tables')).toHaveValue(dir);
  await panel.getByLabel('Column to map').selectOption({ label: 'PAYMENTTERMS' });
  await expect(panel.getByLabel('Target field')).toHaveValue('PAYMENTTERMS');
  await panel.getByRole('button', { name: 'Create the table' }).click();
  await expect(panel.getByRole('heading', { name: 'Customers V3 PAYMENTTERMS' })).toBeVisible();
  await panel.getByRole('button', { name: 'Read valid values' }).click();
  await expect(panel.getByRole('status')).toContainText(
    'Read 6 valid values from NAME of Terms of payment in Local emulator (USMF)',
    {
      timeout: 60_000,
    },
  );
  await expect(panel.getByText(/valid values: NAME of Terms of payment in Local emulator \(USMF\)/)).toBeVisible();
  const status = panel.getByLabel('Mapping status');
  await expect(status).toContainText('4 to map');
  await expect(panel.getByRole('button', { name: /^Accept Net30 for 30 days/ })).toBeVisible();
  await snap(app, 'values/02-suggestions');

  // 3. Accepting the strong suggestions makes rules ("NET 30": same letters, "Net 45 days": same label);
  //    "30 days" and "N10" are accepted one by one.
  await panel.getByRole('button', { name: 'Accept 2 strong suggestions' }).click();
  await expect(status).toContainText('2 to map');
  await panel.getByRole('button', { name: /^Accept Net30 for 30 days/ }).click();
  await panel.getByRole('button', { name: /^Accept Net10 for N10/ }).click();
  await panel.getByRole('button', { name: 'Save 2 rules' }).click();
  await expect(status).toContainText('0 to map · 4 mapped, not applied');
  // Five rows hold legacy values (warnings), and "Net 45 days" is longer than PAYMENTTERMS takes.
  await expect(app.getByRole('button', { name: /^Issues/ })).toContainText('6');
  await panel.getByRole('button', { name: 'Apply to PAYMENTTERMS' }).click();
  await expect(panel.getByRole('status')).toContainText('cells changed. The step is in the recipe.');
  await expect(cell(app, 1, 4)).toHaveText('Net30');
  await expect(cell(app, 2, 4)).toHaveText('Net30');
  await expect(cell(app, 3, 4)).toHaveText('Net10');
  await expect(cell(app, 5, 4)).toHaveText('Net45');
  await expect(cell(app, 6, 4)).toHaveText('COD');
  await expect(status).toContainText('0 to map · 0 mapped, not applied');
  const table = JSON.parse(readFileSync(join(dir, 'value-maps', 'customers-v3--paymentterms.json'), 'utf8')) as {
    rules: { from: string; to: string; changedBy: string }[];
  };
  expect(table.rules.map((r) => [r.from, r.to])).toEqual([
    ['30 days', 'Net30'],
    ['N10', 'Net10'],
    ['NET 30', 'Net30'],
    ['Net 45 days', 'Net45'],
  ]);
  expect(table.rules.every((r) => r.changedBy.length > 0)).toBe(true);
  await expectAccessibleNames(app);
  // The legacy values were warnings in the grid until the table was applied.
  await expect(app.getByRole('button', { name: /^Issues/ })).toContainText('0');
  await snap(app, 'values/03-applied');
});
