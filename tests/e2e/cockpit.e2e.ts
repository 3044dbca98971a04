import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expectAccessibleNames } from './support/a11y';
import { SCREENSHOT_DIR, expect, snap, test } from './support/app';
import { signInToLocalEmulator } from './support/emulator';
import { goTo } from './support/grid';
import { addFileEntity, createProject } from './support/wizard';

/** A new payment term, and customer groups that use it: the groups run a level after the terms. */
const TERMS = 'NAME,DESCRIPTION,NUMBEROFDAYS\r\nCK77,Cockpit 77 days,77\r\n';
const GROUPS = 'CUSTOMERGROUPID,DESCRIPTION,PAYMENTTERMID\r\n';
/** Cycle 1: two groups name payment terms F&O does not have. Cycle 2: one fixed, one not, one new. */
const CYCLE_1 = ['CK-A,First,CK77', 'CK-B,Second,NOPE1', 'CK-C,Third,NOPE2', 'CK-D,Fourth,Net30'];
const CYCLE_2 = ['CK-A,First,CK77', 'CK-B,Second,Net10', 'CK-C,Third,NOPE2', 'CK-D,Fourth,NOPE3'];

/** A screenshot of one chart (or any part of the screen) beside the full-page ones. */
async function snapPart(part: Locator, name: string): Promise<void> {
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  mkdirSync(dirname(path), { recursive: true });
  await part.screenshot({ path });
}

/**
 * Runs the project open in the wizard into USRT of the Local emulator, and waits for its end: not
 * USMF, whose payment terms the export and value-mapping tests count after this one.
 */
async function runProject(app: Page, title: RegExp): Promise<void> {
  await goTo(app, 'Package');
  const finish = app.getByRole('button', { name: 'Next: Save or run' });
  for (const next of ['Next: Mapping', 'Next: Sequence', 'Next: Options']) {
    const button = app.getByRole('button', { name: next });
    if (await button.isVisible()) await button.click();
  }
  if (await finish.isVisible()) await finish.click();
  await app.getByLabel('Environment', { exact: true }).selectOption('local-emulator');
  await app.getByLabel('Legal entity', { exact: true }).selectOption('USRT');
  // The unknown payment terms are known warnings of the readiness check: run anyway.
  await app.getByRole('button', { name: /^Run (import|anyway)/ }).click();
  const job = app.getByRole('article', { name: title }).first();
  await expect(job.getByRole('status', { name: 'Job state' })).toHaveText('Partially succeeded', { timeout: 120_000 });
}

const chart = (app: Page, title: string) => app.getByRole('figure', { name: new RegExp(`^${title}`) });
/** The drawing of a chart: the element named by its title and summary (Recharts' own SVG surfaces are images too). */
const drawing = (figure: Locator, title: string) => figure.getByRole('img', { name: new RegExp(`^${title}\\.`) });
/** Shows a chart card as its chart or as its table (the text alternative), as a person clicks it. */
async function show(figure: Locator, view: 'Chart' | 'Table'): Promise<void> {
  await figure.getByRole('radiogroup').getByText(view, { exact: true }).click();
  await expect(figure.getByRole('radio', { name: view })).toBeChecked();
}

/** The colour a chart's first bar is painted with, resolved from the theme's variables. */
const firstBarFill = (figure: Locator) =>
  figure
    .locator('svg .recharts-bar-rectangle path')
    .first()
    .evaluate((path) => getComputedStyle(path).fill);

/**
 * Issue 14, item 4: the migration cockpit of a project with two cycles: per entity rows, errors
 * by rule, new / carried over / resolved, the readiness matrix (reconciled from the job monitor),
 * and the three charts (errors per entity across cycles, burn-down of open errors, the run
 * schedule as F&O timed it), each with its table view, in the light and the dark theme; every
 * securitypolicyviolation event on the screen is collected and must be none.
 */
test('cockpit: two cycles of a project side by side, with readiness and charts', async ({ app }) => {
  test.setTimeout(420_000);
  await app.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) =>
      seen.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`),
    );
  });
  await app.reload();
  const root = mkdtempSync(join(tmpdir(), 'dmfw-e2e-cockpit-'));
  writeFileSync(join(root, 'terms.csv'), TERMS);
  writeFileSync(join(root, 'groups.csv'), GROUPS + CYCLE_1.join('\r\n'));
  await signInToLocalEmulator(app);
  await createProject(app, root, 'Cockpit wave');
  await addFileEntity(app, join(root, 'terms.csv'), 'Terms of payment');
  await addFileEntity(app, join(root, 'groups.csv'), 'Customer groups');

  // Before any run: the cockpit says what to do, entity by entity.
  await app.keyboard.press('ControlOrMeta+7');
  await expect(app.getByRole('heading', { name: 'Migration cockpit', level: 1 })).toBeVisible();
  await expect(app.getByRole('combobox', { name: 'Project' })).toContainText('Cockpit wave');
  await expect(app.getByRole('note')).toContainText('Cockpit wave has no run yet');
  const matrix = app.getByRole('table', { name: 'Readiness matrix' });
  await expect(matrix.getByRole('row', { name: /^Customer groups/ })).toContainText('Never run');
  await expect(chart(app, 'Errors per entity across cycles')).toContainText('No run yet');
  await expect(chart(app, 'Errors per entity across cycles').getByRole('img')).toHaveCount(0);
  await snap(app, 'cockpit/01-no-run');
  await expectAccessibleNames(app);

  // Two cycles: the second extract fixes one group, keeps one error and brings a new one.
  await runProject(app, /^Job: Import Cockpit wave/);
  writeFileSync(join(root, 'groups.csv'), GROUPS + CYCLE_2.join('\r\n'));
  await runProject(app, /^Job: Import Cockpit wave/);
  await goTo(app, 'Cockpit');
  const figures = app.getByLabel('Where the project stands');
  await expect(figures.getByRole('definition').first()).toHaveText('2', { timeout: 30_000 });
  await expect(figures.getByRole('definition')).toHaveText(['2', '2', '1 of 2', '0 of 2']);

  // The readiness matrix: the terms are loaded, the groups partly; nothing reconciled yet.
  await expect(matrix.getByRole('row', { name: /^Terms of payment/ })).toContainText('Loaded 1 of 1');
  const groups = matrix.getByRole('row', { name: /^Customer groups/ });
  await expect(groups).toContainText('Partly: 2 of 4');
  await expect(groups).toContainText('Not reconciled');
  await expect(groups).toContainText('#2');
  await app.getByRole('button', { name: 'Check the sources' }).click();
  await expect(groups.getByRole('cell').first()).not.toHaveText(/Not checked|Checking/, { timeout: 60_000 });

  // The latest cycle, entity by entity, and its errors by stage and rule.
  const latest = app.getByRole('table', { name: 'Entities in run #2' });
  const latestGroups = latest.getByRole('row', { name: /^Customer groups/ });
  // Source rows, staged, loaded, staging errors, target errors, new, carried over, resolved.
  await expect(latestGroups.getByRole('cell')).toHaveText(['4', '4', '2', '0', '2', '1', '1', '1']);
  const rules = app.getByRole('table', { name: 'Errors by stage and rule in run #2' });
  await expect(rules.getByRole('row', { name: /Customer groups/ })).toContainText('Target');
  await expect(rules).not.toContainText('NOPE');
  await snap(app, 'cockpit/02-two-cycles');
  // Who ran each cycle: the account F&O saw (the Local emulator's demo user), and the computer's user.
  const cycles = app.getByRole('table', { name: 'Runs of the project' });
  await expect(cycles.getByRole('row', { name: /^#1/ })).toContainText(/admin@contoso\.emulator\s*computer user \S+/);
  await expect(app.getByRole('region', { name: 'Run #2' })).toContainText(
    'ran by admin@contoso.emulator (computer user',
  );
  // The screen scrolls inside the shell: its lower sections get their own pictures.
  await snapPart(app.getByRole('region', { name: 'Cycles' }), 'cockpit/02-cycles');
  await snapPart(app.getByRole('region', { name: 'Run #2' }), 'cockpit/02-run-2');
  await expectAccessibleNames(app);

  // Chart 1: errors per entity across cycles; its tooltip and its table say the same.
  const errors = chart(app, 'Errors per entity across cycles');
  await expect(drawing(errors, 'Errors per entity across cycles')).toHaveAccessibleName(
    /2 runs; the latest, #2, has 2 errors, most in Customer groups/,
  );
  // Two runs × two entities, each bar labelled with its count (the terms' bars are a 0 on the axis).
  await expect(errors.locator('svg .recharts-bar-rectangle path')).toHaveCount(4);
  await expect(errors.locator('svg .recharts-label-list')).toHaveText(['00', '22']);
  await errors.locator('svg .recharts-bar-rectangle').last().hover();
  const tooltip = errors.locator('.recharts-tooltip-wrapper');
  await expect(tooltip).toContainText('#2');
  // In the project's order, as the legend.
  await expect(tooltip).toContainText(/Terms of payment : 0.*Customer groups : 2/);
  await expect(errors.locator('.recharts-legend-item-text')).toHaveText(['Terms of payment', 'Customer groups']);
  await snapPart(errors, 'cockpit/chart-errors-per-entity');
  await show(errors, 'Table');
  await expect(drawing(errors, 'Errors per entity across cycles')).toHaveCount(0);
  const errorsTable = errors.getByRole('table', { name: 'Errors per entity across cycles' });
  await expect(errorsTable.getByRole('row', { name: /^Customer groups/ }).getByRole('cell')).toHaveText(['2', '2']);
  await expect(errorsTable.getByRole('row', { name: /^Terms of payment/ }).getByRole('cell')).toHaveText(['0', '0']);
  await snapPart(errors, 'cockpit/chart-errors-per-entity-table');
  await show(errors, 'Chart');
  await expect(drawing(errors, 'Errors per entity across cycles')).toBeVisible();

  // Chart 2: burn-down of open errors.
  const burn = chart(app, 'Burn-down of open errors');
  await expect(drawing(burn, 'Burn-down of open errors')).toHaveAccessibleName(
    /Open errors went from 2 after #1 to 2 after #2; #2 resolved 1 distinct error and brought 1 new/,
  );
  await snapPart(burn, 'cockpit/chart-burn-down');
  await show(burn, 'Table');
  // Run, open errors, new, resolved.
  await expect(
    burn.getByRole('table', { name: 'Burn-down of open errors' }).getByRole('row', { name: /^#2/ }).getByRole('cell'),
  ).toHaveText(['2', '1', '1']);
  await show(burn, 'Chart');

  // Chart 3: the run schedule as a Gantt of units and levels, on F&O's own times.
  const gantt = chart(app, 'Run schedule');
  await expect(drawing(gantt, 'Run schedule')).toHaveAccessibleName(/#2: 2 entities in 1 execution unit/);
  await expect(gantt).toContainText('U1 · L1 · Terms of payment');
  await expect(gantt).toContainText('U1 · L2 · Customer groups');
  await snapPart(gantt, 'cockpit/chart-run-schedule');
  await show(gantt, 'Table');
  // Unit, level, sequence, staging, target.
  await expect(
    gantt
      .getByRole('table', { name: 'Run schedule' })
      .getByRole('row', { name: /^Customer groups/ })
      .getByRole('cell'),
  ).toHaveText(['1', '2', '1', /^[\d.]+ s → [\d.]+ s$/, /^[\d.]+ s → [\d.]+ s$/]);
  await show(gantt, 'Chart');

  // The dark theme: the charts follow (their colours are the theme's variables).
  expect(await firstBarFill(errors)).toBe('rgb(15, 108, 189)');
  await app.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(() => app.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(20, 24, 30)');
  await expect.poll(() => firstBarFill(errors)).toBe('rgb(79, 158, 232)');
  await snap(app, 'cockpit/03-dark');
  await snapPart(errors, 'cockpit/chart-errors-per-entity-dark');
  await snapPart(burn, 'cockpit/chart-burn-down-dark');
  await snapPart(gantt, 'cockpit/chart-run-schedule-dark');
  await app.emulateMedia({ colorScheme: 'light' });

  // Reconcile the latest cycle from the job monitor of a second window while the cockpit stays
  // open: its matrix follows the reconciliation.changed event (no reload, no navigation).
  const monitor = await app.context().newPage();
  await monitor.goto(process.env.DMFW_E2E_URL ?? '');
  await goTo(monitor, 'Jobs');
  const job = monitor.getByRole('article', { name: /^Job: Import Cockpit wave/ }).first();
  // The job card says who ran it, as the cockpit does.
  await expect(job.getByRole('definition').filter({ hasText: 'admin@contoso.emulator' })).toHaveText(
    /^admin@contoso\.emulator \(computer user \S+\)$/,
  );
  const panel = job.getByRole('region', { name: 'Reconciliation' });
  await panel.getByRole('button', { name: 'Reconcile', exact: true }).click();
  await expect(panel.getByRole('row', { name: /Customer groups/ })).toContainText('Differences', { timeout: 60_000 });
  await monitor.close();
  await expect(groups).toContainText('Differences', { timeout: 30_000 });
  await expect(matrix.getByRole('row', { name: /^Terms of payment/ })).toContainText('Reconciled');
  await expect(figures.getByRole('definition').last()).toHaveText('1 of 2');
  await snap(app, 'cockpit/04-reconciled');

  const violations = await app.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
  expect(violations).toEqual([]);
});
