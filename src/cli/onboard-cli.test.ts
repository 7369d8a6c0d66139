import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleCli, type CliRun } from '../../test/cli-bundle.js';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateMnemonic, addressOf } from '../provider/chain/mnemonic.js';
import { fakeNvidiaSmiEnv } from '../../test/fake-nvidia-smi/index.js';
import { dockerFor, testDockerEngine } from '../../test/docker/engine.js';
import { startTestChainNode } from '../simulation/chain-node/server.js';
import { cleanup, freePortRun, stackStandIn } from '../../test/stack/stack-env.js';

/**
 * `riglease onboard --config FILE` as a farm operator runs it: the real CLI in child processes,
 * the real Docker engine with the stand-in k3s image, the chain test node, a real capture.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUNDLE_DIR = path.join(ROOT, 'node_modules', '.cache', `riglease-onboard-cli-test-${process.pid}`);
const MAIN = path.join(BUNDLE_DIR, 'cli.js');
const CHAIN_ID = 'riglease-testnode-1';
const PASSPHRASE = 'onboard cli test passphrase';
/** Every block a provider can still run with; the ones this machine does not have are ignored. */
const SOFT_BLOCKS = ['cpu.threads', 'cpu.virtualization', 'memory.total', 'memory.per-gpu', 'disk.free', 'disk.per-gpu', 'docker.gpu-runtime', 'docker.toolkit', 'gpu.vram', 'gpu.cuda', 'gpu.whole', 'gpu.akash-model', 'gpu.same-model'];

const engine = await testDockerEngine();
const docker = engine.ok ? engine.docker : dockerFor('unix:///nonexistent');
let node: Awaited<ReturnType<typeof startTestChainNode>>;
let home: string;
const prefix = `rlo-${process.pid.toString(36)}`;

beforeAll(async () => {
  await bundleCli(path.dirname(MAIN));
  node = await startTestChainNode({ chainId: CHAIN_ID });
  home = await mkdtemp(path.join(os.tmpdir(), 'riglease-onboard-cli-'));
});
afterAll(async () => {
  await node?.stop();
  if (engine.ok) await cleanup(docker, prefix);
  await rm(BUNDLE_DIR, { recursive: true, force: true });
  if (home) await rm(home, { recursive: true, force: true });
});

function spawnCli(args: string[]): ChildProcess {
  return spawn(process.execPath, [MAIN, ...args], {
    env: { ...fakeNvidiaSmiEnv({ xml: 'rtx4090_535.86.05_1gpu.xml' }), PATH: process.env['PATH'] ?? '', RIGLEASE_HOME: home, DOCKER_HOST: engine.ok ? engine.host : '', RIGLEASE_CHAIN_RPC: node.url, RIGLEASE_CHAIN_ID: CHAIN_ID, RIGLEASE_PASSPHRASE: PASSPHRASE },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function riglease(args: string[], onStderr?: (text: string, child: ChildProcess) => void): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
      onStderr?.(stderr, child);
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

interface Result {
  finished: boolean;
  stoppedAt: { step: string; status: string; reason: string | null } | null;
  wallet: string | null;
  steps: { id: string; status: string; reason: string | null; attempts: number }[];
}
const parse = (r: CliRun): Result => JSON.parse(r.stdout) as Result;
const byId = (r: Result) => Object.fromEntries(r.steps.map((s) => [s.id, s]));

describe.skipIf(!engine.ok)('riglease onboard --config', () => {
  it('refuses a bad config naming every bad field, and changes nothing', async () => {
    const bad = path.join(home, 'bad.yaml');
    await writeFile(bad, stringify({ wallet: { mnemonicFile: 'm.txt' }, gpus: ['3090'], pricing: { gpus: [{ key: 'rtx4090', usdPerHour: -1 }], colour: 'red' }, network: { domain: 'not a domain' } }));
    const r = await riglease(['onboard', '--config', bad, '--json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('is not a valid onboarding config');
    expect(r.stderr).toMatch(/- gpus\.0: a GPU UUID/);
    expect(r.stderr).toMatch(/- pricing\.gpus\.0\.usdPerHour: /);
    expect(r.stderr).toMatch(/- pricing: Unrecognized key: "colour"/);
    expect(r.stderr).toMatch(/- network\.domain: a domain such as example\.com/);
    const noEmail = path.join(home, 'no-email.yaml');
    await writeFile(noEmail, stringify({ wallet: { existing: true }, network: { domain: 'example.com' } }));
    const e = await riglease(['onboard', '--config', noEmail, '--json']);
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(/- provider\.email: the provider's contact email/);
    const inline = path.join(home, 'inline.json');
    await writeFile(inline, JSON.stringify({ wallet: { mnemonic: 'legal winner thank year' }, network: { domain: 'example.com' } }));
    const phrase = await riglease(['onboard', '--config', inline]);
    expect(phrase.code).toBe(2);
    expect(phrase.stderr).toContain('never write the recovery phrase into the config');
    expect(phrase.stderr).not.toContain('legal winner');
    await expect(readFile(path.join(home, 'state', 'onboarding.json'), 'utf8')).rejects.toThrow();
  });

  it('stops at the unfunded wallet, finishes once funded, resumes after being killed mid-way without repeating anything', async () => {
    const base = await freePortRun(6);
    for (const [k, v] of [
      ['stack.namePrefix', prefix],
      ['stack.images.k3s', await stackStandIn(docker)],
      ['stack.readyTimeoutSec', '6'],
      ['stack.minFreeDiskGiB', '0'],
      ['stack.ports.nodePortStart', String(base + 4)],
      ['stack.ports.nodePortCount', '2'],
    ] as const) {
      expect((await riglease(['settings', 'set', k, v])).code).toBe(0);
    }
    const mnemonic = generateMnemonic();
    const address = await addressOf(mnemonic);
    await writeFile(path.join(home, 'phrase.txt'), `${mnemonic}\n`, { mode: 0o600 });
    const config = path.join(home, 'rig.yaml');
    await writeFile(
      config,
      stringify({
        wallet: { mnemonicFile: 'phrase.txt' },
        acceptBlockers: SOFT_BLOCKS,
        gpus: 'none',
        pricing: { gpus: [{ key: 'rtx4090', usdPerHour: 0.45 }], power: { pricePerKwh: 0.3 } },
        network: { domain: 'farm-rig.example.org', ports: { http: base, https: base + 1, gateway: base + 2, grpc: base + 3 }, acceptUntestedPorts: true },
        provider: { email: 'ops@farm-rig.example.org' },
      }),
    );

    // 1. Nothing funded yet: stops at the wallet with the exact amount and the address.
    const first = await riglease(['onboard', '--config', config, '--json']);
    expect(first.code, first.stderr).toBe(1);
    const r1 = parse(first);
    expect(r1.wallet).toBe(address);
    expect(r1.stoppedAt).toMatchObject({ step: 'wallet', status: 'todo' });
    expect(r1.stoppedAt?.reason).toContain('Add 1.5225 AKT');
    expect(r1.stoppedAt?.reason).toContain(address);
    expect(byId(r1)['readiness']?.status).toBe('done');
    const readinessAttempts = byId(r1)['readiness']?.attempts;
    expect(first.stderr).toContain(`wallet: imported ${address}`);
    expect(first.stderr).toMatch(/\[1\/7\] Check this computer: done/);
    expect(first.stderr).not.toContain(mnemonic.split(' ').slice(0, 4).join(' '));

    // 2. Funded; the run is killed while the stack waits for k3s (the action is under way).
    node.chain.fund(address, 'uakt', 5_000_000n);
    const killed = await riglease(['onboard', '--config', config, '--json'], (text, child) => {
      if (text.includes('Waiting for the k3s API') && child.exitCode === null) child.kill('SIGKILL');
    });
    expect(killed.code).toBeNull();
    expect(killed.stderr).toContain('review: GPUs offered: none (CPU only)');
    expect(killed.stderr).toMatch(/review: on chain: create \+ certificate, fee \d+ uakt/);
    expect(killed.stderr).toMatch(/pricing: rtx4090\S* at \$0\.45\/h \(power floor \$0\.159\/h\); about \$\d+\.\d\d a month/);
    const onDisk = JSON.parse(await readFile(path.join(home, 'state', 'onboarding.json'), 'utf8')) as { data?: { steps: Record<string, { status: string }> }; steps?: Record<string, { status: string }> };
    expect((onDisk.data ?? onDisk).steps?.['start-providing']?.status).toBe('running');
    const containerBefore = await docker.getContainer(`${prefix}-k3s`).inspect();
    expect(node.chain.acceptedTxs).toBe(0);

    // 3. Re-run: resumes at "Start providing"; nothing before it runs again; one container, one registration.
    const resumed = await riglease(['onboard', '--config', config, '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const r3 = parse(resumed);
    expect(r3.finished).toBe(true);
    expect(byId(r3)['readiness']).toMatchObject({ status: 'done', attempts: readinessAttempts });
    expect(byId(r3)['start-providing']).toMatchObject({ status: 'done', attempts: 2 });
    expect(resumed.stderr).not.toContain('Check this computer: running');
    expect(resumed.stderr).toContain('Signing and sending (MsgCreateProvider + MsgCreateCertificate)');
    expect((await docker.getContainer(`${prefix}-k3s`).inspect()).Id).toBe(containerBefore.Id);
    expect(node.chain.acceptedTxs).toBe(1);
    const provider = node.chain.state.providers.get(address);
    expect(provider?.hostUri).toBe('https://provider.farm-rig.example.org:8443');
    expect(node.chain.state.certificates.filter((c) => c.owner === address)).toHaveLength(1);

    // 4. Once more: finished stays finished, nothing is sent, no Docker object changes.
    const again = await riglease(['onboard', '--config', config, '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(parse(again).finished).toBe(true);
    expect(node.chain.acceptedTxs).toBe(1);
    expect((await docker.getContainer(`${prefix}-k3s`).inspect()).Id).toBe(containerBefore.Id);
  }, 180_000);
});
