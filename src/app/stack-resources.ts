import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resourcesDir } from './demo/demo-resources.js';

/**
 * The folder electron-builder's `extraResources` ship (resources/ in the repo), found from this
 * bundle's own place: the nearest package.json named `riglease` is the app root (the repo, or
 * `<resources>/app.asar` in a package), and demo-resources.ts maps that to the resources folder.
 * Null when no such package.json is found (then `up` can pull but not build the k3s image).
 */
export async function shippedResourcesDir(from: string = path.dirname(fileURLToPath(import.meta.url))): Promise<string | null> {
  let dir = from;
  for (;;) {
    try {
      const json = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown };
      if (json.name === 'riglease') return resourcesDir({ appRoot: dir });
    } catch {
      // No package.json here, or not ours: keep walking up.
    }
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}
