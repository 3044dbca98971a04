import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { ProjectDocument } from '../../../shared/api/domains/projects';
import { expect } from './app';
import { goTo } from './grid';

/** Creates a workbench project `<root>/<name>` from the Package area (closing one already open). */
export async function createProject(page: Page, root: string, name: string): Promise<string> {
  await goTo(page, 'Package');
  const close = page.getByRole('button', { name: 'Close project' });
  if (await close.isVisible()) await close.click();
  await page.getByLabel('Project name').fill(name);
  await page.getByLabel('Location').fill(root);
  await page.getByRole('button', { name: 'Create project' }).click();
  await expect(page.getByLabel('Project', { exact: true })).toContainText(name);
  return join(root, name);
}

/** Adds an entity whose rows come from a file (not one open in the grid). */
export async function addFileEntity(page: Page, path: string, label: string): Promise<void> {
  const add = page.getByRole('region', { name: 'Add an entity' });
  await add.getByText('A file', { exact: true }).click();
  await add.getByLabel('File', { exact: true }).fill(path);
  await add.getByLabel('Entity').fill(label);
  await add.getByRole('option', { name: new RegExp(`^${label}`) }).click();
  await add.getByRole('button', { name: 'Add entity' }).click();
  await expect(
    page.getByRole('table', { name: 'Entities of the project' }).getByRole('row', { name: new RegExp(label) }),
  ).toBeVisible();
}

/** The project file as it is on disk now. */
export function projectDocument(dir: string): ProjectDocument {
  return JSON.parse(readFileSync(join(dir, 'dmfw-project.json'), 'utf8')) as ProjectDocument;
}
