import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from './app';
import { goTo } from './grid';

/**
 * Starts the Local emulator and signs in to it from the Environments area (once per server), and
 * answers its address: its admin API (faults, executions, the call log) is under /admin.
 */
export async function signInToLocalEmulator(app: Page): Promise<string> {
  await goTo(app, 'Environments');
  const card = app.getByRole('list', { name: 'Environments' }).getByRole('listitem', { name: 'Local emulator' });
  const signIn = card.getByRole('button', { name: /^(Start and sign in|Sign in) to Local emulator$/ });
  if (await signIn.isVisible()) await signIn.click();
  await expect(card.getByLabel('Session of Local emulator')).toContainText('Signed in', { timeout: 60_000 });
  const address = card.getByText(/^http:\/\/127\.0\.0\.1:\d+$/);
  await expect(address).toBeVisible({ timeout: 60_000 });
  return (await address.textContent()) ?? '';
}

/**
 * The Local emulator's admin API, with the per-run token it left in the data folder
 * (`<DMFW_HOME>/emulator/admin.json`). Every call checks its answer: a refused fault would
 * otherwise let a test pass or fail for the wrong reason.
 */
export function emulatorAdmin(app: Page) {
  const home = process.env.DMFW_E2E_HOME;
  if (!home) throw new Error('DMFW_E2E_HOME is not set: run the e2e tests through their Playwright config.');
  const { adminUrl, adminToken } = JSON.parse(readFileSync(join(home, 'emulator', 'admin.json'), 'utf8')) as {
    adminUrl: string;
    adminToken: string;
  };
  const headers = { authorization: `Bearer ${adminToken}` };
  // Admin requests are JSON, an empty one included (the emulator refuses text/plain: no preflight).
  const post = async (path: string, data: unknown = {}) => {
    const answer = await app.request.post(`${adminUrl}${path}`, { headers, data });
    expect(answer.status(), `POST /admin${path}: ${await answer.text()}`).toBeLessThan(300);
  };
  return {
    /** Adds faults (POST /admin/faults), e.g. `{ stuckExecutions: 1 }`. */
    faults: (faults: Record<string, unknown>) => post('/faults', faults),
    /** Lets a held execution go on. */
    release: (executionId: string) => post(`/executions/${encodeURIComponent(executionId)}/release`),
    /** How many times the emulator was asked an action (e.g. ImportFromPackage) since it started. */
    calls: async (operation: string): Promise<number> => {
      const answer = await app.request.get(`${adminUrl}/calls?operation=${encodeURIComponent(operation)}`, { headers });
      expect(answer.status(), `GET /admin/calls: ${await answer.text()}`).toBe(200);
      const { value } = (await answer.json()) as { value: unknown[] };
      return value.length;
    },
  };
}
