import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCli, runBundledCli, type CliRun } from '../../../test/cli-bundle.js';
import { testDockerEngine } from '../../../test/docker/engine.js';
import { fakeNvidiaSmiEnv } from '../../../test/fake-nvidia-smi/index.js';
import { cleanup, freePortRun, objectsOf, stackStandIn } from '../../../test/stack/stack-env.js';
import type { RepairCliResult } from './repair.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const BUNDLE_DIR = path.join(ROOT, 'node_modules', '.cache', `riglease-repair-cli-test-${process.pid}`);
const MAIN = path.join(BUNDLE_DIR, 'cli.js');

const engine = await testDockerEngine();
const d = engine.ok ? describe : describe.skip;
if (!engine.ok) console.warn(`repair CLI tests skipped: ${engine.reason}`);

let home: string;
const prefix = `rlr-${process.pid.toString(36)}`;

const riglease = (args: string[]): Promise<CliRun> =>
  runBundledCli(MAIN, args, { ...fakeNvidiaSmiEnv({ xml: 'rtx4090_535.86.05_1gpu.xml' }), RIGLEASE_HOME: home, DOCKER_HOST: engine.ok ? engine.host : '' });

/** --json prints exactly one JSON object: the whole of stdout parses as one. */
const one = (run: CliRun): RepairCliResult => JSON.parse(run.stdout) as RepairCliResult;
const containerId = async () => (engine.ok ? (await engine.docker.getContainer(`${prefix}-k3s`).inspect()).Id : '');

d('riglease repair (the real CLI against the real Docker engine, stand-in k3s)', () => {
  beforeAll(async () => {
    if (!engine.ok) return;
    const standIn = await stackStandIn(engine.docker);
    await bundleCli(BUNDLE_DIR);
    home = await mkdtemp(path.join(os.tmpdir(), 'riglease-repair-cli-'));
    const base = await freePortRun(6);
    const stack = { namePrefix: prefix, images: { k3s: standIn }, gpus: [], ports: { http: base, https: base + 1, gateway: base + 2, grpc: base + 3, nodePortStart: base + 4, nodePortCount: 2 }, readyTimeoutSec: 0, minFreeDiskGiB: 0 };
    await writeFile(path.join(home, 'settings.json'), JSON.stringify({ version: 1, data: { stack } }));
    // A user's data folder after a while: the wallet's secret beside state.
    await mkdir(path.join(home, 'secrets'), { recursive: true });
    await mkdir(path.join(home, 'state'), { recursive: true });
    await writeFile(path.join(home, 'secrets', 'wallet.mnemonic.secret'), 'encrypted-phrase');
    await writeFile(path.join(home, 'state', 'onboarding.json'), '{}');
  }, 120_000);
  afterAll(async () => {
    if (engine.ok) await cleanup(engine.docker, prefix);
    await rm(BUNDLE_DIR, { recursive: true, force: true });
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('without --yes: says what it deletes and keeps, changes nothing, exits 1; with --yes: does it, steps on stderr', async () => {
    if (!engine.ok) return;
    const up = await riglease(['stack', 'up', '--json']);
    expect(up.code, up.stderr).toBe(0);
    // The placeholder wallet file is not a readable wallet: the plan says so, and the stack still works.
    const planned = await riglease(['stack', 'plan', '--json']);
    expect((JSON.parse(planned.stdout) as { notes: string[] }).notes.join('\n')).toMatch(/The provider wallet cannot be read \(The secret file .* is damaged/);
    const before = await objectsOf(engine.docker, prefix);
    const oldId = await containerId();

    const preview = await riglease(['repair', 'reset-k3s', '--json']);
    expect(preview.code, preview.stderr).toBe(1);
    const p = one(preview);
    expect(p.ran).toBe(false);
    expect(p.task).toBeNull();
    expect(p.plan.deletes.join('\n')).toContain(`Docker container ${prefix}-k3s`);
    for (const v of before.volumes) expect(p.plan.deletes.join('\n')).toContain(`Docker volume ${v}`);
    expect(p.plan.keeps.join('\n')).toMatch(/wallet and the provider key/);
    // The one-time token never leaves the process that previewed.
    expect(preview.stdout).not.toMatch(/confirmToken/);
    expect(await containerId()).toBe(oldId);

    const human = await riglease(['repair', 'factory-reset']);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain('Deletes:');
    expect(human.stdout).toContain('settings.json (every setting back to its default)');
    expect(human.stdout).toContain('state/onboarding.json');
    expect(human.stdout).toMatch(/Keeps:\n {2}- the wallet: secrets\//);
    expect(human.stdout).toContain('Nothing was changed. Read the list above; to do it, run: riglease repair factory-reset --yes');
    expect(existsSync(path.join(home, 'state', 'onboarding.json'))).toBe(true);

    const reset = await riglease(['repair', 'reset-k3s', '--yes', '--json']);
    expect(reset.code, reset.stderr).toBe(0);
    const r = one(reset);
    expect(r.ran).toBe(true);
    expect(r.task).toMatchObject({ kind: 'repair.reset-k3s', state: 'succeeded', step: 3, of: 3 });
    // The list, then each step and what was removed, on stderr while it ran (stdout stays one JSON object).
    expect(reset.stderr).toContain('Deletes:');
    expect(reset.stderr).toContain('[2/3] Removing the k3s container, network and data volumes…');
    expect(reset.stderr).toContain('[3/3] Creating a fresh cluster (stack up)…');
    expect(await containerId()).not.toBe(oldId);
    expect(await readFile(path.join(home, 'secrets', 'wallet.mnemonic.secret'), 'utf8')).toBe('encrypted-phrase');

    const factory = await riglease(['repair', 'factory-reset', '--yes']);
    expect(factory.code, factory.stderr).toBe(0);
    expect(factory.stdout).toBe('Done: Wallet kept. Restart RigLease to start from scratch.\n');
    expect(factory.stderr).toContain('[1/4] Removing the provider stack and its data volumes…');
    expect(await objectsOf(engine.docker, prefix)).toEqual({ containers: [], volumes: [], networks: [] });
    expect(existsSync(path.join(home, 'state', 'onboarding.json'))).toBe(false);
    expect(await readdir(path.join(home, 'secrets'))).toEqual(['wallet.mnemonic.secret']);
  }, 180_000);

  it('refuses what it cannot do, with a fix: an unknown action (usage, exit 2), a wallet wipe outside a factory reset, no stack to reset', async () => {
    if (!engine.ok) return;
    const bad = await riglease(['repair', 'reboot-everything']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('restart-stack, reset-k3s, factory-reset');
    const wipe = await riglease(['repair', 'reset-k3s', '--wipe-wallet', '--yes']);
    expect(wipe.code).not.toBe(0);
    expect(wipe.stderr).toContain('Only a factory reset can erase the wallet.');
    // The first test left no stack (factory reset): nothing to reset, and nothing deleted.
    const none = await riglease(['repair', 'reset-k3s', '--yes', '--json']);
    expect(none.code).not.toBe(0);
    expect(none.stderr).toMatch(/not installed/);
  }, 60_000);
});
