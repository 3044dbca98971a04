import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests drive Debian's Chromium (no browser download) against browser mode
 * (`npm run serve`), started by ./support/globalSetup.ts on a free loopback port.
 */
export default defineConfig({
  testDir: '.',
  testMatch: '**/*.e2e.ts',
  // One server for all: the screens' own tests see it fresh; the journeys (which leave files open,
  // jobs and projects behind) run after them.
  projects: [
    { name: 'screens', testIgnore: 'journeys/**' },
    { name: 'journeys', testMatch: 'journeys/**/*.e2e.ts', dependencies: ['screens'] },
  ],
  outputDir: '../../test-results/playwright',
  globalSetup: './support/globalSetup.ts',
  fullyParallel: false,
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    headless: true,
    viewport: { width: 1440, height: 900 },
    colorScheme: 'light',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
});
