import type { Page } from '@playwright/test';
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

/** How many times the emulator was asked an action (e.g. ImportFromPackage) since it started. */
export async function emulatorCalls(app: Page, emulatorUrl: string, operation: string): Promise<number> {
  const answer = await app.request.get(`${emulatorUrl}/admin/calls?operation=${encodeURIComponent(operation)}`);
  const { value } = (await answer.json()) as { value: unknown[] };
  return value.length;
}
