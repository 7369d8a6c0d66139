import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export type ElectronLookup = { found: true; path: string } | { found: false; reason: string };

/**
 * Where the Electron binary is, without running the `electron` package's index.js: that file
 * starts a download when the binary is missing, and RigLease never downloads at runtime. So we
 * read what it would read (`path.txt`, `ELECTRON_OVERRIDE_DIST_PATH`) and check the file exists.
 */
export function findElectronBinary(appRoot: string, env: NodeJS.ProcessEnv): ElectronLookup {
  let pkgDir: string;
  try {
    pkgDir = path.dirname(createRequire(path.join(appRoot, 'package.json')).resolve('electron/package.json'));
  } catch {
    return { found: false, reason: 'the electron package is not installed' };
  }
  let relative = '';
  try {
    relative = readFileSync(path.join(pkgDir, 'path.txt'), 'utf8').trim();
  } catch {
    // No path.txt: the binary download was skipped (ELECTRON_SKIP_BINARY_DOWNLOAD) or failed.
  }
  const override = env['ELECTRON_OVERRIDE_DIST_PATH'];
  if (override) {
    const candidate = path.join(override, relative || 'electron');
    return existsSync(candidate) ? { found: true, path: candidate } : { found: false, reason: `ELECTRON_OVERRIDE_DIST_PATH has no binary at ${candidate}` };
  }
  if (!relative) return { found: false, reason: 'the electron package has no binary (its download was skipped)' };
  const candidate = path.join(pkgDir, 'dist', relative);
  return existsSync(candidate) ? { found: true, path: candidate } : { found: false, reason: `no file at ${candidate}` };
}
