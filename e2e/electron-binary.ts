import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export type ElectronLookup = { found: true; path: string } | { found: false; reason: string };

/**
 * Where the Electron binary is, found WITHOUT `require('electron')`: that package's index.js
 * starts a download when the binary is missing, and tests never download. Same rule as
 * src/cli/electron-binary.ts (kept separate so `tsc -p e2e` needs no built src project).
 */
export function findElectronBinary(repoRoot: string, env: NodeJS.ProcessEnv): ElectronLookup {
  const pkgDir = path.join(repoRoot, 'node_modules', 'electron');
  if (!existsSync(path.join(pkgDir, 'package.json'))) return { found: false, reason: 'the electron package is not installed' };
  const pathFile = path.join(pkgDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = env['ELECTRON_OVERRIDE_DIST_PATH'];
  if (override) {
    const candidate = path.join(override, relative || 'electron');
    return existsSync(candidate) ? { found: true, path: candidate } : { found: false, reason: `ELECTRON_OVERRIDE_DIST_PATH has no binary at ${candidate}` };
  }
  if (!relative) return { found: false, reason: 'node_modules/electron has no path.txt, so its binary download was skipped' };
  const candidate = path.join(pkgDir, 'dist', relative);
  return existsSync(candidate) ? { found: true, path: candidate } : { found: false, reason: `no file at ${candidate}` };
}
