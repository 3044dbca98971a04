// Bundles the Electron main process, the row store's worker thread and the preload. The preload must be ONE CommonJS file: a
// sandboxed preload can require only 'electron' and a few built-ins.
import { build } from 'esbuild';

const common = { bundle: true, format: 'cjs', sourcemap: true, logLevel: 'warning', legalComments: 'none' };

await Promise.all([
  build({
    ...common,
    entryPoints: ['electron/main/main.ts'],
    outfile: 'out/main/main.cjs',
    platform: 'node',
    target: 'node22',
    packages: 'external',
  }),
  // The datasets worker (electron/services/datasets/worker.ts), started by the main bundle from
  // beside it. Electron loads worker scripts from app.asar since version 18 (electron#33216).
  build({
    ...common,
    entryPoints: ['electron/services/datasets/worker.ts'],
    outfile: 'out/main/datasetWorker.cjs',
    platform: 'node',
    target: 'node22',
    packages: 'external',
  }),
  build({
    ...common,
    entryPoints: ['electron/preload/preload.ts'],
    outfile: 'out/preload/preload.cjs',
    platform: 'browser',
    target: 'chrome130',
    external: ['electron'],
  }),
]);
