import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { minimatch } from 'minimatch';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { APP_USER_MODEL_ID } from './desktop-options.js';

/**
 * electron-builder.yml checked without building an installer (no Electron binary here):
 * electron-builder's own schema validation, the targets the issue asks for, the icons, and
 * that the files main.ts opens at run time are packed (and the tray icons unpacked).
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const config = parse(readFileSync(`${root}/electron-builder.yml`, 'utf8')) as {
  appId: string;
  files: string[];
  asarUnpack: string[];
  icon: string;
  directories: { buildResources: string };
  linux: { target: string[] };
  win: { target: Array<{ target: string }> };
  mac: { target: Array<{ target: string }> };
  publish: Array<{ provider: string }>;
  extraResources: Array<{ from: string; to: string; filter: string[] }>;
};

/** electron-builder's rule: patterns apply in order, a `!` pattern excludes. */
function packed(file: string): boolean {
  let inside = false;
  for (const p of config.files) {
    if (p.startsWith('!')) {
      if (minimatch(file, p.slice(1), { dot: true })) inside = false;
    } else if (minimatch(file, p, { dot: true })) inside = true;
  }
  return inside;
}

function pngSize(file: string): { width: number; height: number } {
  const b = readFileSync(file);
  expect(b.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

describe('electron-builder.yml', () => {
  it('passes electron-builder’s own configuration schema', async () => {
    const { validateConfiguration } = (await import('app-builder-lib/out/util/config/config.js')) as {
      validateConfiguration(c: unknown, log: { isEnabled: boolean; add(k: string, v: unknown): void }): Promise<void>;
    };
    await expect(validateConfiguration(config, { isEnabled: false, add: () => undefined })).resolves.toBeUndefined();
  });

  it('builds AppImage + deb, NSIS and dmg (plus the zip macOS updates from), published where electron-updater looks', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target.map((t) => t.target)).toEqual(['nsis']);
    expect(config.mac.target.map((t) => t.target)).toEqual(['dmg', 'zip']);
    expect(config.publish[0]?.provider).toBe('github');
  });

  it('uses the appId main.ts gives Windows for notifications', () => {
    expect(config.appId).toBe(APP_USER_MODEL_ID);
  });

  it('has an icon big enough for electron-builder to derive .ico (≥256) and .icns (≥512) from it', () => {
    expect(config.icon).toBe('resources/icon.png');
    const { width, height } = pngSize(`${root}/${config.icon}`);
    expect(width).toBe(height);
    expect(width).toBeGreaterThanOrEqual(512);
  });

  it('packs what main.ts opens at run time, and nothing of the build or the tests', () => {
    for (const f of ['package.json', 'dist/electron/main.js', 'dist/electron/preload.cjs', 'dist/renderer/index.html', 'dist/renderer/assets/index-abc123.js', 'resources/icon.png']) expect(packed(f), f).toBe(true);
    for (const state of ['online', 'paused', 'gaming', 'offline', 'error', 'working']) {
      for (const f of [`resources/tray/${state}.png`, `resources/tray/${state}@2x.png`]) {
        expect(packed(f), f).toBe(true);
        expect(config.asarUnpack.some((p) => minimatch(f, p)), `${f} unpacked`).toBe(true);
        expect(pngSize(`${root}/${f}`).width).toBe(f.includes('@2x') ? 32 : 16);
      }
    }
    for (const f of ['dist/electron/main.js.map', 'dist/types/src/app/agent.d.ts', 'dist/.build/allowlists.mjs', 'dist/cli.js', 'src/app/agent.ts', 'test/fake-nvidia-smi/nvidia-smi', 'resources/stack/k3s-cuda/Dockerfile', 'release/RigLease.AppImage']) {
      expect(packed(f), f).toBe(false);
    }
  });

  it('ships the k3s image recipe where `stack up` looks for it to build the image on the user\'s engine', async () => {
    const { pinnedK3sSource } = await import('../src/provider/stack/k3s-image.js');
    const { existsSync } = await import('node:fs');
    const path = await import('node:path');
    const entry = config.extraResources.find((r) => r.from === 'resources/stack/k3s-cuda');
    const installed = '/opt/RigLease/resources';
    const rel = path.relative(installed, pinnedK3sSource(installed).contextDir);
    expect(entry?.to).toBe(rel);
    expect(existsSync(path.join(root, entry?.from ?? '?', 'Dockerfile'))).toBe(true);
    expect(entry?.filter.some((p) => minimatch('Dockerfile', p))).toBe(true);
  });

  it('ships every file demo mode reads as <resources>/demo, where the packaged app looks for it', async () => {
    const { demoFiles, resourcesDir } = await import('../src/app/demo/demo-resources.js');
    const { existsSync } = await import('node:fs');
    const path = await import('node:path');
    const entry = config.extraResources.find((r) => r.from === 'resources/demo');
    expect(entry?.to).toBe('demo');
    // In the package, resources/demo/<x> lands at <resourcesPath>/demo/<x>: the same relative paths.
    const installed = '/opt/RigLease/resources';
    const looked = demoFiles(resourcesDir({ appRoot: `${installed}/app.asar`, resourcesPath: installed, isPackaged: true }));
    for (const file of Object.values(looked)) {
      const rel = path.relative(path.join(installed, entry?.to ?? '?'), file);
      expect(existsSync(path.join(root, entry?.from ?? '?', rel)), rel).toBe(true);
      expect(entry?.filter.some((p) => minimatch(rel, p)), rel).toBe(true);
    }
  });
});
