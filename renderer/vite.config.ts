import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The renderer is a plain web page: Electron loads the built files from file:// (hence the
 * relative `base`), and the headless server serves the same files over http. Node-side file:
 * it is typechecked by the e2e project (which has Node types), not by the browser-only
 * renderer project.
 */
const here = import.meta.dirname; // Vite defines this for config files on every platform.

/**
 * The shell's chunk and what it imports are fetched from the page's first bytes, in parallel with
 * boot.ts, which imports them only after it has sent the early agent calls: else they would be
 * asked for after those calls, from a server busy answering them.
 */
function preloadShell(): Plugin {
  return {
    name: 'riglease-preload-shell',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const bundle = ctx.bundle;
        if (!bundle) return [];
        const shell = Object.values(bundle).find((c) => c.type === 'chunk' && c.facadeModuleId?.endsWith('/src/main.tsx'));
        if (!shell || shell.type !== 'chunk') return [];
        const files = new Set<string>();
        const visit = (file: string): void => {
          const chunk = bundle[file];
          // The entry (boot) is the page's own script already.
          if (files.has(file) || !chunk || chunk.type !== 'chunk' || chunk.isEntry) return;
          files.add(file);
          chunk.imports.forEach(visit);
        };
        visit(shell.fileName);
        // Its stylesheet too (the dynamic import would add it only once boot.ts has run).
        const css = [...files].flatMap((file) => {
          const chunk = bundle[file];
          return chunk?.type === 'chunk' ? [...(chunk.viteMetadata?.importedCss ?? [])] : [];
        });
        return [
          ...css.map((file) => ({ tag: 'link', attrs: { rel: 'stylesheet', crossorigin: true, href: `./${file}` }, injectTo: 'head' as const })),
          ...[...files].map((file) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `./${file}` }, injectTo: 'head' as const })),
        ];
      },
    },
  };
}

export default defineConfig({
  root: here,
  base: './',
  plugins: [react(), preloadShell()],
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
