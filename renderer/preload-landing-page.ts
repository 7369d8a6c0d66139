import type { Plugin } from 'vite';

/**
 * Lets the browser fetch the landing screen's chunk (and the chunks and CSS it imports) while it
 * is still fetching and running the shell, instead of after: without it the Dashboard's code is
 * asked for only once the shell has rendered, one round trip later. Node-side file (Vite plugin),
 * typechecked with vite.config.ts by the e2e project.
 */
export function preloadLandingPage(pageModuleSuffix: string): Plugin {
  return {
    name: 'riglease-preload-landing-page',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const bundle = ctx.bundle;
        if (!bundle) return [];
        const chunks = Object.values(bundle).flatMap((o) => (o.type === 'chunk' ? [o] : []));
        const page = chunks.find((c) => c.facadeModuleId?.endsWith(pageModuleSuffix));
        if (!page) throw new Error(`preloadLandingPage: no chunk for ${pageModuleSuffix}`);
        const entry = chunks.find((c) => c.isEntry);
        // What the entry already loads needs no second tag.
        const loaded = new Set([entry?.fileName, ...(entry?.imports ?? [])]);
        const scripts: string[] = [];
        const styles = new Set<string>();
        const visit = (file: string) => {
          if (loaded.has(file) || scripts.includes(file)) return;
          scripts.push(file);
          const chunk = chunks.find((c) => c.fileName === file);
          for (const css of chunk?.viteMetadata?.importedCss ?? []) styles.add(css);
          for (const dep of chunk?.imports ?? []) visit(dep);
        };
        visit(page.fileName);
        return [
          ...scripts.map((f) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `./${f}` }, injectTo: 'head' as const })),
          // Fetched now, applied when the screen's code adds its stylesheet (Vite's loader reuses the response).
          ...[...styles].map((f) => ({ tag: 'link', attrs: { rel: 'preload', as: 'style', crossorigin: true, href: `./${f}` }, injectTo: 'head' as const })),
        ];
      },
    },
  };
}
