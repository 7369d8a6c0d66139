import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nvidiaFixture } from '../../../test/fake-nvidia-smi/index.js';
import { demoFiles, resourcesDir } from './demo-resources.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe('resourcesDir: where demo mode finds what the app ships', () => {
  it.each([
    ['a packaged Electron app: process.resourcesPath', { appRoot: '/opt/RigLease/resources/app.asar', resourcesPath: '/opt/RigLease/resources', isPackaged: true }, '/opt/RigLease/resources'],
    ['a packaged Windows app', { appRoot: 'C:/Users/a/AppData/Local/Programs/RigLease/resources/app.asar', resourcesPath: 'C:/Users/a/AppData/Local/Programs/RigLease/resources', isPackaged: true }, 'C:/Users/a/AppData/Local/Programs/RigLease/resources'],
    ['Electron in dev: its own resourcesPath (in node_modules) is not ours', { appRoot: '/src/riglease', resourcesPath: '/src/riglease/node_modules/electron/dist/resources', isPackaged: false }, '/src/riglease/resources'],
    ['plain node in the package layout (app.asar)', { appRoot: '/opt/RigLease/resources/app.asar' }, '/opt/RigLease/resources'],
    ['plain node in an unpacked package (asar: false)', { appRoot: '/opt/RigLease/resources/app' }, '/opt/RigLease/resources'],
    ['the repo, even when its folder is called app', { appRoot: '/home/me/app' }, '/home/me/app/resources'],
    ['the repo', { appRoot: '/home/me/riglease' }, '/home/me/riglease/resources'],
  ])('%s', (_what, input, expected) => {
    expect(resourcesDir(input)).toBe(expected);
  });

  it('finds the real captures in the repo in dev, byte for byte the ones the tests use', () => {
    const files = demoFiles(resourcesDir({ appRoot: repoRoot }));
    expect(readFileSync(files.nvidiaXml, 'utf8')).toBe(readFileSync(nvidiaFixture('rtx3090_525.147.05_1gpu.xml'), 'utf8'));
    const fixtures = path.join(repoRoot, 'src', 'simulation', 'market-api', 'fixtures');
    expect(readFileSync(files.gpuPrices, 'utf8')).toBe(readFileSync(path.join(fixtures, 'test-data-gpu-prices.json'), 'utf8'));
    expect(readFileSync(files.marketData, 'utf8')).toBe(readFileSync(path.join(fixtures, 'console-market-data-spec.json'), 'utf8'));
    for (const f of [files.gpuPrices, files.marketData]) expect(readFileSync(`${f}.source`, 'utf8')).toMatch(/Copied verbatim from src\/simulation\/market-api\/fixtures\//);
  });
});
