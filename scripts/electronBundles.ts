// The esbuild options of the desktop app's bundles, shared by scripts/build-electron.ts and the
// test that runs the CommonJS main bundle under Node (tests/integration/desktop/mainBundle.test.ts).
import type { BuildOptions } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import { basename } from 'node:path';

/**
 * Main-process code is bundled as CommonJS, where `import.meta.url` does not exist. Modules that
 * find files beside themselves (the emulator's Azurite child, the CLI's repository root) read it,
 * so the bundle defines it as its own file URL: files they look for must sit beside the bundle.
 */
export function nodeBundle(entry: string, outfile: string): BuildOptions {
  return {
    bundle: true,
    format: 'cjs',
    sourcemap: true,
    logLevel: 'warning',
    legalComments: 'none',
    entryPoints: [entry],
    outfile,
    platform: 'node',
    target: 'node22',
    packages: 'external',
    define: { 'import.meta.url': '__dmfwModuleUrl' },
    banner: { js: "const __dmfwModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  };
}

/** Files main-process modules open beside themselves at run time (see nodeBundle). */
export const MAIN_SIDE_FILES = ['emulator/blob/azuriteChild.cjs'];

export async function copyMainSideFiles(outDir: string): Promise<void> {
  await mkdir(outDir, { recursive: true });
  for (const file of MAIN_SIDE_FILES) await copyFile(file, `${outDir}/${basename(file)}`);
}
