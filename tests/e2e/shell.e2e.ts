import { expect, snap, test } from './support/app';

const AREAS = ['Environments', 'Sources', 'Package', 'Jobs', 'Config copy', 'Export', 'Cockpit'] as const;
const HEADINGS: Record<(typeof AREAS)[number], string> = {
  Environments: 'Environments',
  Sources: 'Sources',
  Package: 'Package',
  Jobs: 'Jobs',
  'Config copy': 'Configuration copy',
  Export: 'Export',
  Cockpit: 'Migration cockpit',
};

test('the shell opens, shows the four areas and talks to the services', async ({ app }) => {
  const nav = app.getByRole('navigation', { name: 'Workbench areas' });
  for (const area of AREAS) await expect(nav.getByRole('button', { name: area })).toBeVisible();

  // A real call: app.info and environments.list came back through the WebSocket bridge.
  const status = app.getByRole('status', { name: 'Status' });
  await expect(status.getByLabel('Services')).toHaveText('Services connected');
  await expect(status.getByLabel('Version')).toContainText('Browser mode');
  await expect(status.getByLabel('Active environment')).toContainText('Local emulator');

  for (const area of AREAS) {
    await nav.getByRole('button', { name: area }).click();
    await expect(nav.getByRole('button', { name: area })).toHaveAttribute('aria-current', 'page');
    await expect(app.getByRole('main', { name: area })).toBeVisible();
    await expect(app.getByRole('heading', { level: 1, name: HEADINGS[area] })).toBeVisible();
    await snap(app, `shell/${area.toLowerCase().replace(' ', '-')}`);
  }
});

test('the Environments area lists the built-in Local emulator from the service', async ({ app }) => {
  // The workbench reopens the area it was closed in: go to Environments first.
  await app.getByRole('navigation', { name: 'Workbench areas' }).getByRole('button', { name: 'Environments' }).click();
  const list = app.getByRole('list', { name: 'Environments' });
  const card = list.getByRole('listitem', { name: 'Local emulator' });
  await expect(card).toBeVisible();
  await expect(card).toContainText('Built-in emulator');
  await expect(card).toContainText('USMF');
  await expect(card.getByRole('button', { name: 'Local emulator is the active environment' })).toBeDisabled();
});

test('keyboard shortcuts switch areas', async ({ app }) => {
  await expect(app.getByRole('status', { name: 'Status' }).getByLabel('Services')).toHaveText('Services connected');
  await app.keyboard.press('Control+3');
  await expect(app.getByRole('heading', { level: 1, name: 'Package' })).toBeVisible();
  await app.keyboard.press('Control+4');
  await expect(app.getByRole('heading', { level: 1, name: 'Jobs' })).toBeVisible();
});

test("the shortcut help lists the grid's range, copy and paste keys", async ({ app }) => {
  await expect(app.getByRole('status', { name: 'Status' }).getByLabel('Services')).toHaveText('Services connected');
  await app.keyboard.press('Control+/');
  const dialog = app.getByRole('dialog', { name: 'Keyboard shortcuts' });
  const grid = dialog.getByRole('region', { name: 'Source grid' });
  await expect(grid.getByText('Select a range of cells')).toBeVisible();
  await expect(grid.getByText('Ctrl+C', { exact: true })).toBeVisible();
  await expect(grid.getByText('Ctrl+V', { exact: true })).toBeVisible();
  await snap(app, 'shell/shortcut-help');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
});

test.describe('in the dark theme', () => {
  test.use({ colorScheme: 'dark' });
  test('the shell follows the operating system theme', async ({ app }) => {
    await expect(app.getByRole('status', { name: 'Status' }).getByLabel('Services')).toHaveText('Services connected');
    const background = await app.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(20, 24, 30)');
    await snap(app, 'shell/environments-dark');
  });
});
