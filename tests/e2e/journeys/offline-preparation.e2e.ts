import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { expectAccessibleNames } from '../support/a11y';
import { expect, snap, test } from '../support/app';
import { goTo } from '../support/grid';

const run = promisify(execFile);

/** A legacy extract whose headers are not F&O's: the mapping is chosen by hand. */
const GROUPS = ['Group,Name,Terms', 'OFF-RET,Offline retail,OFF-N30', 'OFF-WHS,Offline wholesale,OFF-N10'].join('\r\n');

async function writeTerms(path: string): Promise<void> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Terms');
  sheet.addRow(['NAME', 'DESCRIPTION', 'NUMBEROFDAYS']);
  sheet.addRow(['OFF-N30', 'Net 30 days', 30]);
  sheet.addRow(['OFF-N10', 'Net 10 days', 10]);
  await book.xlsx.writeFile(path);
}

/**
 * Journey 3, offline package preparation: nobody is signed in anywhere; a package is built from
 * a CSV and an Excel file with the built-in catalog, saved, and checked with `dmfw inspect`.
 */
test('offline preparation: build a package from two files with no sign-in, check it with dmfw inspect', async ({
  app,
}) => {
  test.setTimeout(180_000);
  const root = mkdtempSync(join(tmpdir(), 'dmfw-e2e-offline-'));
  mkdirSync(join(root, 'extracts'));
  writeFileSync(join(root, 'extracts', 'groups.csv'), GROUPS);
  await writeTerms(join(root, 'extracts', 'terms.xlsx'));

  // 1. Nobody is signed in (another journey may have signed in to the Local emulator).
  await goTo(app, 'Environments');
  const card = app.getByRole('list', { name: 'Environments' }).getByRole('listitem', { name: 'Local emulator' });
  const signOut = card.getByRole('button', { name: 'Sign out of Local emulator' });
  if (await signOut.isVisible()) await signOut.click();
  await expect(card.getByRole('button', { name: /^(Start and sign in|Sign in) to Local emulator$/ })).toBeVisible();
  await expect(app.getByRole('status', { name: 'Status' }).getByLabel('Connection state')).not.toHaveText('Signed in');

  // 2. A project, and its two entities from the built-in catalog.
  await goTo(app, 'Package');
  const close = app.getByRole('button', { name: 'Close project' });
  if (await close.isVisible()) await close.click();
  await app.getByLabel('Project name').fill('Offline wave');
  await app.getByLabel('Location').fill(root);
  await app.getByRole('button', { name: 'Create project' }).click();
  await expect(app.getByLabel('Entities from')).toHaveValue('');
  await expect(app.getByText('Sign in to an environment to use its own metadata.')).toBeVisible();
  const add = app.getByRole('region', { name: 'Add an entity' });
  for (const [file, label] of [
    ['groups.csv', 'Customer groups'],
    ['terms.xlsx', 'Terms of payment'],
  ] as const) {
    await add.getByText('A file', { exact: true }).click();
    await add.getByLabel('File', { exact: true }).fill(join(root, 'extracts', file));
    await add.getByLabel('Entity').fill(label);
    await add.getByRole('option', { name: new RegExp(`^${label}`) }).click();
    await add.getByRole('button', { name: 'Add entity' }).click();
    await expect(app.getByRole('table', { name: 'Entities of the project' })).toContainText(label);
  }
  const entities = app.getByRole('table', { name: 'Entities of the project' });
  await expect(entities.getByRole('row')).toHaveCount(3);
  await snap(app, 'offline-preparation/01-entities');
  await expectAccessibleNames(app);

  // 3. The CSV's own headers: map them by hand; the Excel sheet maps by name.
  await app.getByRole('button', { name: 'Next: Mapping' }).click();
  await app.getByRole('button', { name: /^Customer groups/ }).click();
  const mapping = app.getByRole('region', { name: 'Mapping of Customer groups' });
  await expect(mapping.getByRole('complementary', { name: 'Unmapped source columns' })).toContainText('Group');
  await mapping.getByLabel('Source column for CUSTOMERGROUPID').selectOption('Group');
  await expect(mapping.getByLabel('Source column for CUSTOMERGROUPID')).toHaveValue('Group');
  await mapping.getByRole('button', { name: 'Show the other 6 fields' }).click();
  await mapping.getByLabel('Source column for DESCRIPTION').selectOption('Name');
  await mapping.getByLabel('Source column for PAYMENTTERMID').selectOption('Terms');
  await expect(mapping.getByRole('complementary', { name: 'Unmapped source columns' })).toContainText(
    'Every column of the file feeds a field.',
  );
  await expect(mapping.getByRole('row', { name: /PAYMENTTERMID/ })).toContainText('Chosen');
  await snap(app, 'offline-preparation/02-manual-mapping');
  await expectAccessibleNames(app);
  await app.getByRole('button', { name: /^Terms of payment/ }).click();
  await expect(
    app.getByRole('region', { name: 'Mapping of Terms of payment' }).getByLabel('Source column for NAME'),
  ).toHaveValue('NAME');

  // 4. Sequenced from the catalog's relations: the terms first.
  await app.getByRole('button', { name: 'Next: Sequence' }).click();
  const schedule = app.getByRole('table', { name: 'Schedule' });
  await expect(schedule.getByRole('cell', { name: 'Unit 1, level 1: Terms of payment' })).toBeVisible();
  await expect(schedule.getByRole('cell', { name: 'Unit 1, level 2: Customer groups' })).toBeVisible();
  // Drag a card to another cell: Customer groups one level further down; then back to automatic.
  await schedule
    .getByRole('button', { name: /^Customer groups: unit 1, level 2/ })
    .dragTo(schedule.getByRole('cell', { name: 'Unit 1, level 3: empty' }));
  await expect(schedule.getByRole('cell', { name: 'Unit 1, level 3: Customer groups' })).toBeVisible();
  await app.getByRole('button', { name: 'Auto-sequence all' }).click();
  await expect(schedule.getByRole('cell', { name: 'Unit 1, level 2: Customer groups' })).toBeVisible();
  // The keyboard moves a card too: Customer groups to a unit of its own, then back to automatic.
  await schedule.getByRole('button', { name: /^Customer groups: unit 1, level 2/ }).click();
  await app.keyboard.press('Alt+ArrowRight');
  await expect(schedule.getByRole('cell', { name: 'Unit 2, level 2: Customer groups' })).toBeVisible();
  await expect(
    schedule.getByRole('button', { name: /^Customer groups: unit 2, level 2, sequence 1, placed by you/ }),
  ).toBeFocused();
  await snap(app, 'offline-preparation/03-sequence-moved');
  await expectAccessibleNames(app);
  await app.getByRole('button', { name: 'Auto-sequence all' }).click();
  await expect(schedule.getByRole('cell', { name: 'Unit 1, level 2: Customer groups' })).toBeVisible();

  // 5. Saved offline.
  await app.getByRole('button', { name: 'Next: Options' }).click();
  await app.getByRole('button', { name: 'Next: Save or run' }).click();
  const out = join(root, 'out', 'offline-wave.zip');
  await app.getByLabel('Save as').fill(out);
  // Saved with the keyboard: Ctrl+S.
  await app.keyboard.press('ControlOrMeta+s');
  const saved = app.getByRole('status', { name: 'Saved package' });
  await expect(saved).toContainText(out);
  await expect(saved.getByRole('row', { name: /Customer groups/ })).toContainText('1.2.1');
  // Browser mode: the page downloads the package from the workbench (it cannot open the path).
  const downloading = app.waitForEvent('download');
  await saved.getByRole('link', { name: 'Download offline-wave.zip' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('offline-wave.zip');
  expect(readFileSync(await download.path())).toEqual(readFileSync(out));
  await snap(app, 'offline-preparation/04-saved');
  await expectAccessibleNames(app);
  // Preparing offline started nothing: the Local emulator is still not running.
  await expect(app.getByRole('status', { name: 'Status' }).getByLabel('Connection state')).not.toHaveText(
    /Starting|Signed in/,
  );

  // 6. The package as dmfw inspect reads it: two entities, their rows, the mapping, no lint error.
  const { stdout } = await run(process.execPath, [join(process.cwd(), 'bin', 'dmfw.mjs'), 'inspect', out, '--json'], {
    env: { ...process.env, DMFW_HOME: join(root, 'cli-home') },
  });
  const inspected = JSON.parse(stdout) as {
    header: { description: string };
    entities: {
      label: string;
      format: string;
      level: number;
      rows: number;
      fields: { xmlField: string; entityField: string }[];
    }[];
    lint: { severity: string }[];
  };
  expect(inspected.header.description).toBe('Offline wave');
  expect(inspected.entities.map((e) => [e.label, e.level, e.rows, e.format])).toEqual([
    ['Terms of payment', 1, 2, 'CSV-Unicode'],
    ['Customer groups', 2, 2, 'CSV-Unicode'],
  ]);
  expect(inspected.entities[1]!.fields.map((f) => f.entityField)).toEqual([
    'CUSTOMERGROUPID',
    'DESCRIPTION',
    'PAYMENTTERMID',
  ]);
  expect(inspected.lint.filter((f) => f.severity === 'error')).toEqual([]);

  // 7. The same screen in the dark theme, chosen from the rail (remembered), then back to the system's.
  await app.getByRole('button', { name: /^Theme: System/ }).click();
  await app.getByRole('button', { name: /^Theme: Light/ }).click();
  await expect(app.getByRole('button', { name: /^Theme: Dark/ })).toBeVisible();
  await expect.poll(() => app.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(20, 24, 30)');
  await snap(app, 'offline-preparation/05-saved-dark');
  await app.getByRole('button', { name: /^Theme: Dark/ }).click();
  await expect(app.getByRole('button', { name: /^Theme: System/ })).toBeVisible();
});
