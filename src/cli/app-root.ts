import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface AppRoot {
  /** The folder holding RigLease's package.json (the repo, or the installed package). */
  dir: string;
  version: string;
}

/**
 * Finds the package folder by walking up from this file. The same code runs as
 * `src/cli/…` under tsx and as the bundled `dist/cli.js`, so a fixed `../..` would be wrong in one of them.
 */
export function findAppRoot(from: string = path.dirname(fileURLToPath(import.meta.url))): AppRoot {
  let dir = from;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        const json = JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown; version?: unknown };
        if (json.name === 'riglease') return { dir, version: typeof json.version === 'string' ? json.version : '0.0.0' };
      } catch {
        // Not ours or unreadable: keep walking.
      }
    }
    const up = path.dirname(dir);
    if (up === dir) return { dir: from, version: '0.0.0' };
    dir = up;
  }
}
