import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The renderer is a plain web page: Electron loads the built files from file:// (hence the
 * relative `base`), and the headless server serves the same files over http. Node-side file:
 * it is typechecked by the e2e project (which has Node types), not by the browser-only
 * renderer project.
 */
const here = import.meta.dirname; // Vite defines this for config files on every platform.

export default defineConfig({
  root: here,
  base: './',
  plugins: [react()],
  resolve: {
    // Preact's React-compatible layer instead of react-dom: react-dom was 207 KB of the 245 KB the
    // browser parses and runs before the first screen (about 300 ms on a 2-core machine). The
    // code is still written and typechecked against React's API (@types/react).
    alias: [
      { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
      { find: /^react\/jsx-runtime$/, replacement: 'preact/compat/jsx-runtime' },
      { find: /^react\/jsx-dev-runtime$/, replacement: 'preact/compat/jsx-dev-runtime' },
      { find: /^react(-dom)?$/, replacement: 'preact/compat' },
    ],
  },
  build: {
    outDir: `${here}/../dist/renderer`,
    emptyOutDir: true,
    // Electron 45 runs Chromium 140; the headless UI targets current browsers too.
    target: 'es2022',
    sourcemap: true,
    // A strict CSP has no 'unsafe-inline': nothing may be inlined as a data: script.
    assetsInlineLimit: 0,
  },
  server: { host: '127.0.0.1', strictPort: false },
});
