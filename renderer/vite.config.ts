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
 * What boot.ts imports: they travel in a small chunk of their own, since anything boot.ts takes
 * from the shell's chunk would hold the early agent calls until the whole shell has arrived (the
 * build fails when that happens: preloadShell).
 */
const BOOT_MODULES = /\/renderer\/src\/(api\/early-calls|api\/session-token|components\/theme-choice)\.ts$/;

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
        const shell = Object.values(bundle).find((c) => c.type === 'chunk' && c.moduleIds.some((id) => id.endsWith('/src/main.tsx')));
        if (!shell || shell.type !== 'chunk') return [];
        const files = new Set<string>();
        // The entry (boot) is the page's own script, and Vite preloads what it imports already.
        const entry = Object.values(bundle).find((c) => c.type === 'chunk' && c.isEntry);
        const bootImports = new Set(entry?.type === 'chunk' ? entry.imports : []);
        if (bootImports.has(shell.fileName)) {
          throw new Error("boot.ts imports from the shell's chunk, so its early calls would wait for the whole shell: add every module it imports to BOOT_MODULES.");
        }
        const visit = (file: string): void => {
          const chunk = bundle[file];
          if (files.has(file) || bootImports.has(file) || !chunk || chunk.type !== 'chunk' || chunk.isEntry) return;
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
    rolldownOptions: {
      output: {
        codeSplitting: {
          // The shell and everything it imports statically travel as ONE file: left to itself the
          // bundler cuts it into a dozen small chunks shared with the lazy screens, and a browser
          // fetches at most six at once from one host, so the first agent calls queued behind them.
          // What boot.ts itself needs stays out of it, so the early calls leave before it arrives.
          groups: [
            { name: 'boot', test: (id) => BOOT_MODULES.test(id) || id.includes('vite/preload-helper'), priority: 2 },
            { name: 'shell', test: /\/renderer\/src\/main\.tsx$/, includeDependenciesRecursively: true, priority: 1 },
          ],
        },
      },
    },
  },
  server: { host: '127.0.0.1', strictPort: false },
});
