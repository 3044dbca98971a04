import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { copyMainSideFiles, nodeBundle } from '../../../scripts/electronBundles';
import { REPO_ROOT } from '../../support/paths';

/**
 * The desktop app runs its main process from a CommonJS bundle, which Electron cannot run here.
 * This runs the same kind of bundle under Node, so a module that finds files beside itself
 * (import.meta.url) or loads the emulator lazily is proven to work bundled, not only from sources.
 */
describe('the CommonJS main-process bundle', () => {
  it('starts the built-in Local emulator (Azurite child and all) and stops it', async () => {
    // Inside the repository so that the bundle finds node_modules as the app finds its own.
    const outDir = join(REPO_ROOT, 'out', 'test-main-bundle');
    const dataDir = await mkdtemp(join(tmpdir(), 'dmfw-bundle-'));
    try {
      await build({
        ...nodeBundle('tests/support/desktopBundleHarness.ts', join(outDir, 'harness.cjs')),
        absWorkingDir: REPO_ROOT,
        sourcemap: false,
        logLevel: 'error',
      });
      await copyMainSideFiles(outDir);
      const { stdout } = await promisify(execFile)('node', [join(outDir, 'harness.cjs'), dataDir], {
        cwd: tmpdir(),
        timeout: 60_000,
      });
      const result = JSON.parse(stdout.trim()) as { baseUrl: string; metadataStatus: number };
      expect(result.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      // Unauthenticated: F&O answers 401, which proves the emulator's HTTP surface is up.
      expect(result.metadataStatus).toBe(401);
    } finally {
      await rm(outDir, { recursive: true, force: true });
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
