import { defineConfig } from 'vitest/config';

// Unit tests: fast, no servers. Integration tests: real servers on loopback (bridge, emulator,
// Azurite), each started and stopped by its own test file.
export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          // A unit test's first import of the workbench (tsx transforms on the fly) takes over 5 s,
          // vitest's default, on a loaded 2-core CI machine: seen for the lint-rule and contract tests.
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
