// `npm run build`: bundles the three Node-side entry points with esbuild, then the renderer with
// Vite (when the renderer exists). Seconds, not minutes. `--no-renderer` skips Vite.
//   src/cli/main.ts        → dist/cli.js                (ESM, node, dependencies external)
//   electron/main.ts       → dist/electron/main.js      (ESM, electron + dependencies external)
//   electron/preload.cts   → dist/electron/preload.cjs  (ONE CJS file, only `electron` external,
//                                                        so it runs under sandbox: true)
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const dist = path.join(root, 'dist');
const started = Date.now();
const skipRenderer = process.argv.includes('--no-renderer');

const common = { absWorkingDir: root, bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning', legalComments: 'none' };

/**
 * The preload's method and event allowlists come from the contract itself: bundle a tiny
 * module that exports the contract, import it here, and bake the names into the preload.
 */
async function contractAllowlists() {
  const out = path.join(dist, '.build', 'allowlists.mjs');
  await build({
    ...common,
    sourcemap: false,
    format: 'esm',
    packages: 'external',
    stdin: {
      contents: [
        "export { contract } from './src/api/contract.ts';",
        "export { events } from './src/api/events.ts';",
        "export { buildAllowlists } from './electron/allowlist.ts';",
      ].join('\n'),
      resolveDir: root,
      sourcefile: 'allowlists-entry.ts',
      loader: 'ts',
    },
    outfile: out,
  });
  const mod = await import(`${pathToFileURL(out).href}?t=${Date.now()}`);
  return mod.buildAllowlists(mod.contract, mod.events);
}

await mkdir(dist, { recursive: true });
await rm(path.join(dist, 'electron'), { recursive: true, force: true });
await rm(path.join(dist, 'chunks'), { recursive: true, force: true });
let allow;
try {
  allow = await contractAllowlists();
  await Promise.all([
    // Split, so a dynamic import() (the chain libraries, demo mode) stays out of start-up: an
    // agent that never touches the chain never loads chain-sdk and cosmjs (about 35 MiB).
    build({ ...common, format: 'esm', packages: 'external', entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist', splitting: true, chunkNames: 'chunks/[name]-[hash]' }),
    build({ ...common, format: 'esm', packages: 'external', external: ['electron'], entryPoints: ['electron/main.ts'], outfile: 'dist/electron/main.js' }),
    build({
      ...common,
      format: 'cjs',
      external: ['electron'],
      entryPoints: ['electron/preload.cts'],
      outfile: 'dist/electron/preload.cjs',
      define: {
        __RIGLEASE_METHODS__: JSON.stringify(allow.methods),
        __RIGLEASE_EVENTS__: JSON.stringify(allow.events),
      },
    }),
  ]);
} catch (err) {
  // esbuild has already printed the errors with their file and line; the stack adds nothing.
  if (!err?.errors) console.error(err);
  console.error('build failed');
  process.exit(1);
}
console.log(`built dist/cli.js, dist/electron/{main.js,preload.cjs} (${allow.methods.length} methods, ${allow.events.length} events) in ${Date.now() - started} ms`);

const viteConfig = path.join(root, 'renderer', 'vite.config.ts');
if (skipRenderer) {
  console.log('skipped the renderer (--no-renderer)');
} else if (existsSync(viteConfig)) {
  const t = Date.now();
  const vite = await import('vite');
  await vite.build({ configFile: viteConfig, logLevel: 'warn' });
  console.log(`built dist/renderer in ${Date.now() - t} ms`);
} else {
  console.log('no renderer/vite.config.ts yet: skipped the renderer build');
}
