import { defineConfig } from 'vite';

// The renderer bundle. Served by the app:// protocol (desktop) or the browser-mode server, both
// with a strict CSP: no inline scripts or styles, so nothing here may inject any.
export default defineConfig({
  root: 'renderer',
  base: './',
  build: {
    outDir: '../out/renderer',
    emptyOutDir: true,
    target: 'chrome130',
    modulePreload: { polyfill: false },
    sourcemap: true,
  },
  oxc: { jsx: { runtime: 'automatic' } },
});
