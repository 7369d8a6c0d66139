import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCli, runBundledCli, type CliRun } from '../../test/cli-bundle.js';
import { TEST_DOCKER_HOST } from '../../test/docker/engine.js';
import { fakeNvidiaSmiEnv } from '../../test/fake-nvidia-smi/index.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUNDLE_DIR = path.join(ROOT, 'node_modules', '.cache', `riglease-egress-cli-${process.pid}`);
let home: string;

beforeAll(async () => {
  await bundleCli(BUNDLE_DIR);
  home = await mkdtemp(path.join(os.tmpdir(), 'riglease-egress-cli-'));
});
afterAll(async () => {
  await rm(BUNDLE_DIR, { recursive: true, force: true });
  await rm(home, { recursive: true, force: true });
});

const riglease = (args: string[]): Promise<CliRun> => runBundledCli(path.join(BUNDLE_DIR, 'cli.js'), args, { ...fakeNvidiaSmiEnv({ xml: 'rtx4090_535.86.05_1gpu.xml' }), RIGLEASE_HOME: home, DOCKER_HOST: TEST_DOCKER_HOST });
const current = async (): Promise<unknown> => JSON.parse((await riglease(['settings', 'get', 'stack.allowPrivateEgress', '--json'])).stdout).value;

describe('riglease settings set stack.allowPrivateEgress (the tenants\' fence)', () => {
  it('refuses 0.0.0.0/0 outright, even with --yes', async () => {
    const run = await riglease(['settings', 'set', 'stack.allowPrivateEgress', '["0.0.0.0/0"]', '--yes']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/whole network/);
    expect(await current()).toEqual([]);
  });

  it('opens a LAN address only when confirmed, and the refusal says what would open', async () => {
    const refused = await riglease(['settings', 'set', 'stack.allowPrivateEgress', '["192.168.1.10/32"]']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('192.168.1.10/32');
    expect(refused.stderr).toMatch(/every tenant's containers/);
    expect(refused.stderr).toContain('--yes');
    expect(await current()).toEqual([]);
    const single = await riglease(['settings', 'set', 'stack.allowPrivateEgress.0', '"192.168.1.10/32"']);
    expect(single.code).not.toBe(0);
    const ok = await riglease(['settings', 'set', 'stack.allowPrivateEgress', '["192.168.1.10/32"]', '--yes']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(await current()).toEqual(['192.168.1.10/32']);
    // Closing it again needs nothing.
    const closed = await riglease(['settings', 'set', 'stack.allowPrivateEgress', '[]']);
    expect(closed.code, closed.stderr).toBe(0);
  });
});
