import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../api/dispatch.js';
import { parseNvidiaSmiXml } from '../../hardware/nvidia/parse-xml.js';
import { passphraseSecretStore } from '../../store/passphrase-secret-store.js';
import { pathsUnder } from '../../store/paths.js';
import { silentLogger } from '../../util/logger.js';
import { startTestChainNode } from '../../simulation/chain-node/server.js';
import { fakeNvidiaSmiEnv, nvidiaFixture } from '../../../test/fake-nvidia-smi/index.js';
import { toBech32 } from '@cosmjs/encoding';
import type { FarmStatus } from '../../api/schemas/farm.js';
import { Agent } from '../agent.js';
import { fleetGpuOf } from './farm-attributes.js';
import { FarmStateStore, type MemberRecord } from './farm-state.js';

const CHAIN_ID = 'riglease-testnode-1';
const PHRASE = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
/** Nothing listens here: the market is unreachable, prices fall back to settings and floors. */
const DEAD = 'http://127.0.0.1:9';

/** Members' GPUs as their heartbeats carry them: real captures through the same scan parser. */
const fleet = (file: string) => parseNvidiaSmiXml(readFileSync(nvidiaFixture(file), 'utf8')).gpus.map((g) => fleetGpuOf(g, undefined));

function member(hostname: string, gpus: ReturnType<typeof fleet>): MemberRecord {
  return {
    machineId: `id-${hostname}`,
    hostname,
    nodeName: `rl-${hostname}`,
    advertisedAddress: null,
    seenFrom: null,
    k3sVersion: 'v1.31.4+k3s1',
    rigleaseVersion: '0.0.0-test',
    joinedAt: new Date().toISOString(),
    lastSeen: new Date().toISOString(),
    keyHash: 'x'.repeat(64),
    previousKeyHash: null,
    previousKeyUntil: null,
    gpus,
    availability: 'online',
    availabilitySince: null,
    agentContainer: 'running',
    bench: null,
    intent: { manual: false, state: 'schedulable', reason: null, command: ['kubectl', 'uncordon', `rl-${hostname}`], applied: false, note: null },
  };
}

let node: Awaited<ReturnType<typeof startTestChainNode>>;
const homes: string[] = [];
const agents: Agent[] = [];

beforeAll(async () => {
  node = await startTestChainNode({ chainId: CHAIN_ID });
});
afterAll(async () => {
  for (const a of agents) await a.stop();
  await node?.stop();
  for (const h of homes) await rm(h, { recursive: true, force: true });
});

/** A controller (this machine: one RTX 3090, fake nvidia-smi on the real capture) with or without two members. */
async function controller(members: MemberRecord[] | null): Promise<Agent> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'riglease-farm-reg-'));
  homes.push(home);
  const paths = pathsUnder(home);
  if (members) {
    await mkdir(paths.stateDir, { recursive: true });
    const store = new FarmStateStore(paths.stateDir);
    await store.update((st) => {
      st.role = 'controller';
      st.controller = { createdAt: new Date().toISOString(), pairings: [], members, selfIntent: null };
    });
  }
  const agent = new Agent({
    host: 'cli',
    paths,
    secrets: passphraseSecretStore(path.join(home, 'secrets'), async () => 'farm registration test passphrase'),
    logger: silentLogger,
    version: '0.0.0-test',
    env: { ...fakeNvidiaSmiEnv({ xml: 'rtx3090_590.44.01_1gpu.xml' }, {}), RIGLEASE_HOME: home, PATH: process.env['PATH'] ?? '', RIGLEASE_CHAIN_ID: CHAIN_ID, RIGLEASE_CHAIN_RPC: node.url, RIGLEASE_MARKET_URL: DEAD },
  });
  agents.push(agent);
  return agent;
}

const models = (attrs: { key: string }[]) => [...new Set(attrs.flatMap((a) => /^capabilities\/gpu\/vendor\/nvidia\/model\/([^/]+)$/.exec(a.key)?.[1] ?? []))].sort();

async function plan(agent: Agent): Promise<{ attributes: { key: string; value: string }[]; warnings: string[] }> {
  expect((await dispatch(agent.handlers, 'wallet.import', { mnemonic: PHRASE }, { via: 'internal' })).ok).toBe(true);
  const r = await dispatch(agent.handlers, 'provider.register', { dryRun: true }, { via: 'internal' });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return (r.value as { plan: { attributes: { key: string; value: string }[]; warnings: string[] } }).plan;
}

describe('farm.status reads the provider\'s leases from the chain', () => {
  it('each lease with what it accrued (price × blocks, as earnings.get); with no answer from the cluster none is placed on a machine', async () => {
    const agent = await controller([member('m-4090', fleet('rtx4090_535.86.05_1gpu.xml'))]);
    expect((await dispatch(agent.handlers, 'wallet.import', { mnemonic: PHRASE }, { via: 'internal' })).ok).toBe(true);
    const provider = await (await agent.chain()).wallet.address();
    const tenant = toBech32('akash', new Uint8Array(20).fill(7));
    const h = node.chain.state.height;
    node.chain.seed({ leases: [{ owner: tenant, dseq: 501, provider, pricePerBlock: '2.5', createdAt: h }, { owner: tenant, dseq: 502, provider, pricePerBlock: '10', createdAt: h }] });
    node.chain.advance(40);
    const blocks = node.chain.state.height - h;
    const r = await dispatch(agent.handlers, 'farm.status', {}, { via: 'internal' });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    const s = r.value as FarmStatus;
    expect(s.leases?.chainNote).toBeNull();
    expect(s.leases?.total).toBe(2);
    expect(s.leases?.unplaced.map((l) => [l.key, l.accruedMicro]).sort()).toEqual([[`${tenant}/501/1/1`, 2.5 * blocks], [`${tenant}/502/1/1`, 10 * blocks]].map(([k, v]) => [k, Math.floor(v as number)]));
    expect(s.machines.map((m) => m.leases?.known)).toEqual([false, false]);
  }, 60_000);
});

describe('a farm controller registers and prices the GPUs of the whole farm', () => {
  it('provider.register (dry run) on a controller with RTX 4090 and 2× RTX 2080 members announces all three models', async () => {
    const agent = await controller([member('m-4090', fleet('rtx4090_535.86.05_1gpu.xml')), member('m-2080', fleet('rtx2080_590.44.01_2gpu.xml'))]);
    const p = await plan(agent);
    expect(models(p.attributes)).toEqual(['rtx2080', 'rtx3090', 'rtx4090']);
    expect(p.attributes.find((a) => a.key === 'capabilities/gpu')?.value).toBe('nvidia');
    // The controller's own facts still come from its own scan.
    expect(p.attributes.find((a) => a.key === 'capabilities/cpu/arch')).toBeDefined();
    expect(p.warnings.join(' ')).not.toMatch(/one GPU model per node/);
  }, 60_000);

  it('a machine outside any farm announces only its own GPU (the chain\'s own attributes, unchanged)', async () => {
    const p = await plan(await controller(null));
    expect(models(p.attributes)).toEqual(['rtx3090']);
  }, 60_000);

  it('the price table covers every model of the farm, each floor from that machine\'s own power limit', async () => {
    const agent = await controller([member('m-4090', fleet('rtx4090_535.86.05_1gpu.xml')), member('m-2080', fleet('rtx2080_590.44.01_2gpu.xml'))]);
    const r = await dispatch(agent.handlers, 'pricing.get', {}, { via: 'internal' });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    const gpus = (r.value as { resolved: { gpus: { key: string; floorUsdPerHour: number | null }[] } }).resolved.gpus;
    const byModel = (m: string) => gpus.find((g) => g.key.startsWith(`${m}.`));
    for (const m of ['rtx3090', 'rtx4090', 'rtx2080']) expect(byModel(m), m).toBeDefined();
    // Different cards, different limits (4090 450 W vs 2080 limits from its capture): different floors.
    const f4090 = byModel('rtx4090')?.floorUsdPerHour;
    const f2080 = byModel('rtx2080')?.floorUsdPerHour;
    expect(f4090).not.toBeNull();
    expect(f2080).not.toBeNull();
    expect(f4090).not.toBe(f2080);

    const alone = await controller(null);
    const a = await dispatch(alone.handlers, 'pricing.get', {}, { via: 'internal' });
    if (!a.ok) throw new Error(JSON.stringify(a.error));
    const aloneKeys = (a.value as { resolved: { gpus: { key: string }[] } }).resolved.gpus.map((g) => g.key);
    expect(aloneKeys.some((k) => k.startsWith('rtx4090.'))).toBe(false);
  }, 60_000);
});
