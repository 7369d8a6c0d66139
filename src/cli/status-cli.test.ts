import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCli, runBundledCli } from '../../test/cli-bundle.js';
import { fakeNvidiaSmiEnv } from '../../test/fake-nvidia-smi/index.js';
import { RigStatusReport } from '../api/schemas/dashboard.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUNDLE_DIR = path.join(ROOT, 'node_modules', '.cache', `riglease-status-test-${process.pid}`);
const MAIN = path.join(BUNDLE_DIR, 'cli.js');

let home: string;
beforeAll(async () => {
  await bundleCli(BUNDLE_DIR);
  home = await mkdtemp(path.join(os.tmpdir(), 'riglease-status-'));
});
afterAll(async () => {
  await rm(BUNDLE_DIR, { recursive: true, force: true });
  await rm(home, { recursive: true, force: true });
});

/** A bare machine: a GPU, but no Docker engine at all, no wallet and no provider. */
const bare = (): NodeJS.ProcessEnv => ({ ...fakeNvidiaSmiEnv({ xml: 'rtx4090_535.86.05_1gpu.xml' }), RIGLEASE_HOME: home, DOCKER_HOST: `unix://${path.join(home, 'no-docker.sock')}` });

describe('riglease status', () => {
  // Seen: a bare machine said "Online: bidding on new orders".
  it('on a bare machine names Docker first, exits 1, and never claims to be online', async () => {
    const run = await runBundledCli(MAIN, ['status'], bare());
    expect(run.code, run.stderr).toBe(1);
    const first = run.stdout.split('\n')[0];
    expect(first).toMatch(/^BLOCKED {2}Not ready: no Docker engine was found/);
    expect(run.stdout).toContain('What to do: Install Docker');
    expect(run.stdout).toContain('Not earning: no wallet yet');
    expect(run.stdout).not.toMatch(/Online|bidding on new orders/);
  });

  it('--json is the same report the app shows', async () => {
    const run = await runBundledCli(MAIN, ['status', '--json'], bare());
    const report = RigStatusReport.parse(JSON.parse(run.stdout));
    expect(report.status.state).toBe('not_ready');
    expect(report.alerts[0]?.id).toBe('ready:docker.engine');
  });
});
