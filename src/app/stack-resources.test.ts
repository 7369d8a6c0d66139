import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { shippedResourcesDir } from './stack-resources.js';

describe('where the shipped resources are', () => {
  it('in the repo: <repo>/resources, which holds the k3s image recipe', async () => {
    const repo = fileURLToPath(new URL('../..', import.meta.url));
    expect(await shippedResourcesDir()).toBe(path.join(repo, 'resources'));
  });

  it('in a package: the folder around app.asar (what process.resourcesPath is), found from the bundle inside it', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'rl-res-'));
    try {
      const asar = path.join(root, 'resources', 'app.asar');
      await mkdir(path.join(asar, 'dist', 'electron'), { recursive: true });
      await writeFile(path.join(asar, 'package.json'), JSON.stringify({ name: 'riglease', version: '1.0.0' }));
      expect(await shippedResourcesDir(path.join(asar, 'dist', 'electron'))).toBe(path.join(root, 'resources'));
      expect(await shippedResourcesDir(root)).toBeNull();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
