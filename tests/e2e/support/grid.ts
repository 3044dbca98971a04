import type { Page } from '@playwright/test';
import { expect } from './app';

/** A cell of the source grid by row id (the source's data row) and column index. */
export const cell = (page: Page, row: number, column: number) =>
  page.locator(`[role="row"][row-id="${row}"] [role="gridcell"][col-id="c${column}"]`);

/** Row ids of the rows the grid shows, sorted. */
export const shown = async (page: Page) =>
  page
    .locator('[role="row"][row-id] [role="gridcell"][col-id="row"]')
    .allInnerTexts()
    .then((ids) => ids.map(Number).sort((a, b) => a - b));

/** Goes to an area from the navigation rail. */
export async function goTo(page: Page, area: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Workbench areas' }).getByRole('button', { name: area }).click();
}

/**
 * Closes every open source file, discarding unsaved edits: the screens' tests after a test that
 * opened files expect none open. A reload first lists every dataset the services hold (a source
 * file opened behind a tab, too).
 */
export async function closeOpenSources(page: Page): Promise<void> {
  await page.reload();
  await goTo(page, 'Sources');
  const tabs = page.getByRole('tablist', { name: 'Open files' });
  const empty = page.getByRole('region', { name: 'Open a source file' });
  await expect(tabs.or(empty).first()).toBeVisible();
  while (await tabs.isVisible()) {
    await tabs
      .getByRole('button', { name: /^Close / })
      .first()
      .click();
    const discard = page.getByRole('dialog').getByRole('button', { name: /discard|without saving|close anyway/i });
    if (await discard.isVisible()) await discard.click();
    await expect(tabs.or(empty).first()).toBeVisible();
  }
}

/** Opens a file from the Sources area, whether or not other files are open already. */
export async function openFile(page: Page, path: string): Promise<void> {
  await goTo(page, 'Sources');
  const another = page.getByRole('button', { name: '+ Open file' });
  const field = page.getByLabel('File path');
  await expect(another.or(field).first()).toBeVisible();
  if (await another.isVisible()) await another.click();
  await field.fill(path);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
}

/** Types a new value into a grid cell. */
export async function editCell(page: Page, row: number, column: number, value: string): Promise<void> {
  // The editor opens on a double click; one that lands while the grid re-renders its rows (a filter
  // just applied, a page arriving) opens nothing, so the click is repeated until the editor shows.
  const target = cell(page, row, column);
  const editor = target.locator('input, textarea');
  await expect(async () => {
    if (!(await editor.isVisible())) await target.dblclick();
    await expect(editor).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(value);
  await page.keyboard.press('Enter');
  await expect(cell(page, row, column)).toHaveText(value);
}
