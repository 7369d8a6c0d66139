import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCli, runBundledCli, type CliRun } from '../../test/cli-bundle.js';
import { TEST_DOCKER_HOST } from '../../test/docker/engine.js';
import { fakeNvidiaSmiEnv } from '../../test/fake-nvidia-smi/index.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUNDLE_DIR = path.join(ROOT, 'node_modules', '.cache', `riglease-join-cli-${process.pid}`);
let home: string;

beforeAll(async () => {
  await bundleCli(BUNDLE_DIR);
  home = await mkdtemp(path.join(os.tmpdir(), 'riglease-join-cli-'));
});
afterAll(async () => {
  await rm(BUNDLE_DIR, { recursive: true, force: true });
  await rm(home, { recursive: true, force: true });
});

const riglease = (args: string[], stdin?: string): Promise<CliRun> =>
  runBundledCli(path.join(BUNDLE_DIR, 'cli.js'), args, { ...fakeNvidiaSmiEnv({ xml: 'rtx4090_535.86.05_1gpu.xml' }), RIGLEASE_HOME: home, DOCKER_HOST: TEST_DOCKER_HOST }, stdin === undefined ? {} : { stdin });

describe('riglease farm join never takes the code as an argument', () => {
  it('a code in argv is refused before anything is read or done, and the refusal says how to paste it', async () => {
    const run = await riglease(['farm', 'join', 'RLJ1.eyJzZWNyZXQiOiJ4In0.deadbeef']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/not taken on the command line/);
    expect(run.stderr).toContain('riglease farm join - < code.txt');
    expect(run.stdout + run.stderr).not.toContain('eyJzZWNyZXQiOiJ4In0');
  });

  it('the code piped in is read (here: garbled, so refused with its reason)', async () => {
    const run = await riglease(['farm', 'join', '-'], 'RLJ1.garbled.00000000\n');
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/join code/i);
    const bare = await riglease(['farm', 'join'], 'not-a-code\n');
    expect(bare.stderr).toMatch(/not a RigLease join code/);
  });
});
