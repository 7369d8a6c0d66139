import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The package folder: bundles go under its node_modules/.cache so they resolve dependencies like dist/cli.js. */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Bundles the `riglease` CLI the way `npm run build` does (one ESM entry, split chunks, packages
 * external) into `outDir`, giving `outDir/cli.js`. CLI tests spawn it as a user would; under tsx
 * every spawn would re-compile the sources, seconds each on a busy 2-core machine.
 */
export async function bundleCli(outDir: string): Promise<string> {
  await build({
    absWorkingDir: PACKAGE_ROOT,
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: outDir,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'silent',
  });
  return path.join(outDir, 'cli.js');
}
