// Bundles the Electron main process, the row store's worker thread and the preload. The preload
// must be ONE CommonJS file: a sandboxed preload can require only 'electron' and a few built-ins.
import { build } from 'esbuild';
import { copyMainSideFiles, nodeBundle } from './electronBundles';

await Promise.all([
  build(nodeBundle('electron/main/main.ts', 'out/main/main.cjs')),
  // The datasets worker (electron/services/datasets/worker.ts), started by the main bundle from
  // beside it. Electron loads worker scripts from app.asar since version 18 (electron#33216).
  build(nodeBundle('electron/services/datasets/worker.ts', 'out/main/datasetWorker.cjs')),
  build({
    bundle: true,
    format: 'cjs',
    sourcemap: true,
    logLevel: 'warning',
    legalComments: 'none',
    entryPoints: ['electron/preload/preload.ts'],
    outfile: 'out/preload/preload.cjs',
    platform: 'browser',
    target: 'chrome130',
    external: ['electron'],
  }),
  copyMainSideFiles('out/main'),
]);
