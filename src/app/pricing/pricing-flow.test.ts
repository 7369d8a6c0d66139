import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeNvidiaSmiEnv } from '../../../test/fake-nvidia-smi/index.js';
import { testDockerEngine } from '../../../test/docker/engine.js';
import { stackStandIn } from '../../../test/stack/stack-env.js';
import { startMarketApi, type MarketApi } from '../../simulation/market-api/server.js';
import type { In, Method, Out } from '../../api/contract.js';
import { dispatch } from '../../api/dispatch.js';
import { RigError } from '../../api/errors.js';
import { BID_CONFIG_NAME, BID_SCRIPT_NAME } from '../../provider/pricing/bid-script.js';
import { PROVIDER_CONFIG_NODE_DIR, readNodeFile } from '../../provider/stack/node-file.js';
import { passphraseSecretStore } from '../../store/passphrase-secret-store.js';
import { pathsUnder } from '../../store/paths.js';
import { silentLogger } from '../../util/logger.js';
import { Agent } from '../agent.js';

/**
 * The whole path a user's price takes, through the same dispatch loop the UI and CLI use:
 * pricing.set → the table in the bid-script folder and on the provider's /config volume inside
 * the (stand-in) k3s container → the real generated script prints the price quote says.
 */

const engine = await testDockerEngine();
let market: MarketApi;
let home: string;
const agents: Agent[] = [];

const rtx4090Order = (denom = 'uact') => ({
  resources: [{ cpu: 4000, memory: 16 * 2 ** 30, gpu: { units: 1, attributes: { vendor: { nvidia: { model: 'rtx4090', ram: '24Gi', interface: 'pcie' } } } }, storage: [{ class: 'ephemeral', size: 100 * 2 ** 30 }], count: 1, endpoint_quantity: 1 }],
  price: { denom, amount: '1000000.000000000000000000' },
});

function makeAgent(extra: NodeJS.ProcessEnv = {}): Agent {
  const env = { ...fakeNvidiaSmiEnv({ xml: 'rtx4090_535.86.05_1gpu.xml' }), RIGLEASE_MARKET_URL: market.url, RIGLEASE_HOME: home, ...extra };
  const agent = new Agent({ host: 'cli', paths: pathsUnder(home), secrets: passphraseSecretStore(path.join(home, 'secrets'), async () => 'test passphrase'), logger: silentLogger, version: 'test', env });
  agents.push(agent);
  return agent;
}

async function call<M extends Method>(agent: Agent, method: M, input: In<M>): Promise<Out<M>> {
  const env = await dispatch(agent.handlers, method, input, { via: 'internal' });
  if (!env.ok) throw RigError.fromShape(env.error);
  return env.value as Out<M>;
}

function runScript(script: string, configFile: string, order: unknown): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', [script], { env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', AKASH_DENOM: 'uact', RIGLEASE_PRICING_CONFIG: configFile } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(JSON.stringify(order));
  });
}

beforeAll(async () => {
  market = await startMarketApi();
});
afterAll(async () => {
  await market.close();
});
beforeEach(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'riglease-pricing-flow-'));
});
afterEach(async () => {
  for (const a of agents.splice(0)) await a.stop();
  await rm(home, { recursive: true, force: true });
});

describe('pricing through the API', () => {
  it('shows defaults and the market beside each price, then works offline from the cached snapshot', async () => {
    const agent = makeAgent();
    const first = await call(agent, 'pricing.get', {});
    expect(first.market.snapshot).toBeNull();
    expect(first.resolved.gpus.find((g) => g.local)?.key).toBe('rtx4090.24Gi.pcie');
    const fresh = await call(agent, 'market.gpuPrices', { refresh: true });
    expect(fresh.offline).toBe(false);
    expect(market.hits).toContain('/v1/gpu-prices');
    const withMarket = await call(agent, 'pricing.get', {});
    const local = withMarket.resolved.gpus.find((g) => g.local)!;
    expect(local.marketMedianUsdPerHour).toBe(0.37);
    expect(local.floorUsdPerHour).toBeGreaterThan(0);

    market.mode = 'error500';
    const offline = await call(makeAgent(), 'market.gpuPrices', { refresh: true });
    expect(offline.offline).toBe(true);
    expect(offline.error).toMatch(/HTTP 500/);
    expect(offline.snapshot?.gpuPrices.models.length).toBe(5);
    expect(offline.ageSeconds).toBeGreaterThanOrEqual(0);
    market.mode = 'ok';
  });

  it('refreshes the market on a timer only while someone listens to market.updated', async () => {
    const agent = makeAgent();
    expect(agent.pricing.marketWatching).toBe(false);
    const before = market.hits.length;
    const got = new Promise<unknown>((resolve) => {
      const off = agent.hub.subscribe('market.updated', (view) => {
        off();
        resolve(view);
      });
      expect(agent.pricing.marketWatching).toBe(true);
    });
    // No snapshot yet, so the first listener gets a fresh one right away.
    expect(await got).toMatchObject({ offline: false });
    expect(market.hits.length).toBeGreaterThan(before);
    expect(agent.pricing.marketWatching).toBe(false);
  });

  it.each([
    ['a price 100× the market', { gpus: [{ key: 'rtx4090', usdPerHour: 37 }] }, /typo/],
    ['a negative price', { resources: { cpuThreadHour: -1 } }, /cpuThreadHour/],
    ['a price as text', { defaultGpuUsdPerHour: 'cheap' }, /defaultGpuUsdPerHour/],
    ['an unknown field', { colour: 'red' }, /colour|Unrecognized/i],
    ['an electricity price of 1000 per kWh', { power: { pricePerKwh: 1000 } }, /pricePerKwh/],
  ])('refuses %s and changes nothing', async (_name, patch, message) => {
    const agent = makeAgent();
    await call(agent, 'market.gpuPrices', { refresh: true });
    const before = await call(agent, 'settings.all', {});
    await expect(call(agent, 'pricing.set', { patch })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(message) as unknown });
    expect(await call(agent, 'settings.all', {})).toEqual(before);
  });

  it('warns (and still applies) a price 5× the market; holds the power floor unless overridden', async () => {
    const agent = makeAgent();
    await call(agent, 'market.gpuPrices', { refresh: true });
    const high = await call(agent, 'pricing.set', { patch: { gpus: [{ key: 'rtx4090', usdPerHour: 1.9 }] } });
    expect(high.issues.some((i) => i.severity === 'warn' && /rarely pick/.test(i.message))).toBe(true);
    const low = await call(agent, 'pricing.set', { patch: { gpus: [{ key: 'rtx4090', usdPerHour: 0.01 }], power: { pricePerKwh: 0.4 } } });
    const g = low.view.resolved.gpus.find((x) => x.local)!;
    // 450 W limit + 80 W rig share at 0.40/kWh = 0.212 $/h
    expect(g.floorUsdPerHour).toBeCloseTo(0.212, 6);
    expect(g.usdPerHour).toBeCloseTo(0.212, 6);
    const q = await call(agent, 'pricing.quote', { order: rtx4090Order() });
    expect(q.lines.find((l) => l.item.startsWith('GPU'))?.usdPerUnitHour).toBeCloseTo(0.212, 6);
    expect(q.netUsdPerHour).toBeCloseTo(q.grossUsdPerHour - q.powerUsdPerHour, 9);
    const over = await call(agent, 'pricing.set', { patch: { allowBelowFloor: true } });
    expect(over.view.resolved.gpus.find((x) => x.local)!.usdPerHour).toBe(0.01);
    expect(over.issues.some((i) => /loses money/.test(i.message))).toBe(true);
  });

  it('previews a change without applying it', async () => {
    const agent = makeAgent();
    const est = await call(agent, 'pricing.estimate', { utilizationPct: 50, patch: { gpus: [{ key: 'rtx4090', usdPerHour: 0.6 }] } });
    expect(est.proposed!.grossUsdPerMonth).toBeGreaterThan(est.current.grossUsdPerMonth);
    expect(est.proposed!.lines[0]!.usdPerHour).toBe(0.6);
    expect(est.deltaNetUsdPerMonth).toBeCloseTo(est.proposed!.netUsdPerMonth - est.current.netUsdPerMonth, 9);
    expect((await call(agent, 'pricing.get', {})).settings.gpus).toEqual([]);
  });

  it('the script written for the provider prints the price quote says, and refuses while paused', async () => {
    const agent = makeAgent();
    await call(agent, 'pricing.set', { patch: { gpus: [{ key: 'rtx4090', usdPerHour: 0.55 }] } });
    const view = await call(agent, 'pricing.get', {});
    const script = path.join(view.bidScript.dir, BID_SCRIPT_NAME);
    const config = path.join(view.bidScript.dir, BID_CONFIG_NAME);
    const q = await call(agent, 'pricing.quote', { order: rtx4090Order() });
    expect(q.bid).toBe(true);
    const run = await runScript(script, config, rtx4090Order());
    expect(run.stdout.trim()).toBe(q.price);

    await call(agent, 'availability.set', { mode: 'pause', forMinutes: 60 });
    expect(JSON.parse(await readFile(config, 'utf8'))).toMatchObject({ paused: true });
    const paused = await runScript(script, config, rtx4090Order());
    expect(paused.code).not.toBe(0);
    expect(paused.stderr).toMatch(/no bid: paused: Paused until/);
    expect((await call(agent, 'pricing.quote', { order: rtx4090Order() })).bid).toBe(false);

    await call(agent, 'availability.set', { mode: 'online' });
    expect((await runScript(script, config, rtx4090Order())).stdout.trim()).toBe(q.price);
  });

  it('a timed pause survives a restart and ends by itself, logged as automatic', async () => {
    let clock = Date.now();
    const agent = makeAgent();
    await call(agent, 'availability.set', { mode: 'pause', forMinutes: 60 });
    await agent.stop();
    // A new process (the app restarted) reads the pause from disk.
    const again = makeAgent();
    const status = await call(again, 'availability.get', {});
    expect(status.mode).toBe('paused');
    expect(status.bidding).toBe(false);
    expect(Date.parse(status.pausedUntil!)).toBeGreaterThan(clock + 59 * 60_000);
    // Move the stored end into the past, as if the hour went by while the app was closed.
    const stateFile = path.join(home, 'state', 'availability.json');
    const stored = JSON.parse(await readFile(stateFile, 'utf8')) as { data: { pausedUntil: string } };
    clock = Date.now() - 1000;
    stored.data.pausedUntil = new Date(clock).toISOString();
    await writeFile(stateFile, JSON.stringify(stored));
    const later = makeAgent();
    const back = await call(later, 'availability.get', {});
    expect(back.mode).toBe('online');
    expect(back.bidding).toBe(true);
    const history = await call(later, 'availability.history', { limit: 10 });
    expect(history[0]).toMatchObject({ automatic: true, to: 'online', bidding: true });
    expect(history[0]!.reason).toMatch(/pause until .* is over/);
    expect(history.some((h) => !h.automatic && /Paused by the user/.test(h.reason))).toBe(true);
  });

  it('outside the weekly schedule the rig does not bid, and says why', async () => {
    const agent = makeAgent();
    const otherDay = (new Date().getDay() + 3) % 7;
    await call(agent, 'settings.set', { key: 'availability.schedule', value: { enabled: true, windows: [{ days: [otherDay], start: '00:00', end: '00:00' }] } });
    const s = await call(agent, 'availability.get', {});
    expect(s).toMatchObject({ activity: 'scheduled', bidding: false, mode: 'online' });
    expect(s.reason).toMatch(/Outside the weekly bidding schedule/);
    const view = await call(agent, 'pricing.get', {});
    expect(view.bidScript.paused).toBe(true);
    await call(agent, 'settings.set', { key: 'availability.schedule.enabled', value: false });
    expect((await call(agent, 'availability.get', {})).bidding).toBe(true);
    expect((await call(agent, 'pricing.get', {})).bidScript.paused).toBe(false);
  });

  it('offline asks first, listing what would end, and changes nothing until confirmed', async () => {
    const agent = makeAgent();
    const ask = await call(agent, 'availability.set', { mode: 'offline' });
    expect(ask.confirmation).not.toBeNull();
    expect(ask.confirmation!.message).toMatch(/ends every lease|ends \d+ running lease|No lease is running/);
    expect(ask.status.mode).toBe('online');
    const done = await call(agent, 'availability.set', { mode: 'offline', confirm: true });
    expect(done.confirmation).toBeNull();
    expect(done.status).toMatchObject({ mode: 'offline', bidding: false, activity: 'offline' });
  });
});

const d = engine.ok ? describe : describe.skip;
if (!engine.ok) console.warn(`pricing delivery tests skipped: ${engine.reason}`);

d('the price table reaches the running provider (real Docker engine)', () => {
  let docker: Docker;
  let prefix: string;
  let container: Docker.Container;

  beforeAll(async () => {
    if (!engine.ok) return;
    docker = engine.docker;
    prefix = `rlp-${process.pid}`;
    const image = await stackStandIn(docker);
    container = await docker.createContainer({
      name: `${prefix}-k3s`,
      Image: image,
      Labels: { 'io.riglease.managed': 'true', 'io.riglease.stack': prefix, 'io.riglease.component': 'k3s' },
    });
    await container.start();
  });
  afterAll(async () => {
    await container?.remove({ force: true }).catch(() => undefined);
  });

  async function stackAgent(): Promise<Agent> {
    const agent = makeAgent({ DOCKER_HOST: engine.ok ? engine.host : '' });
    await call(agent, 'settings.set', { key: 'stack.namePrefix', value: prefix });
    return agent;
  }

  it('a new price is on the provider volume when pricing.set returns, without restarting anything', async () => {
    const agent = await stackAgent();
    const startedAt = (await container.inspect()).State.StartedAt;
    const t0 = performance.now();
    await call(agent, 'pricing.set', { patch: { gpus: [{ key: 'rtx4090', usdPerHour: 0.61 }] } });
    const ms = performance.now() - t0;
    const onNode = await readNodeFile(docker, prefix, `${PROVIDER_CONFIG_NODE_DIR}/${BID_CONFIG_NAME}`);
    expect(onNode).not.toBeNull();
    const view = await call(agent, 'pricing.get', {});
    expect(view.bidScript.provider.state).toBe('delivered');
    // What the provider pod reads at /config is what the script prices with.
    const copy = path.join(home, 'from-node.json');
    await writeFile(copy, onNode!);
    const q = await call(agent, 'pricing.quote', { order: rtx4090Order() });
    const run = await runScript(path.join(view.bidScript.dir, BID_SCRIPT_NAME), copy, rtx4090Order());
    expect(run.stdout.trim()).toBe(q.price);
    expect(q.lines.find((l) => l.item.startsWith('GPU'))!.usdPerUnitHour).toBe(0.61);
    const after = await container.inspect();
    expect(after.State.StartedAt).toBe(startedAt);
    expect(after.State.Running).toBe(true);
    console.info(`pricing.set → table on the provider volume: ${Math.round(ms)} ms`);
    expect(ms).toBeLessThan(120_000);
  });

  it('pause sets the flag on the provider volume; the stack keeps running', async () => {
    const agent = await stackAgent();
    await call(agent, 'availability.set', { mode: 'pause' });
    const onNode = JSON.parse((await readNodeFile(docker, prefix, `${PROVIDER_CONFIG_NODE_DIR}/${BID_CONFIG_NAME}`))!) as { paused: boolean; pausedReason: string };
    expect(onNode.paused).toBe(true);
    expect(onNode.pausedReason).toMatch(/no new bids, running leases continue/);
    expect((await container.inspect()).State.Running).toBe(true);
    await call(agent, 'availability.set', { mode: 'online' });
    expect(JSON.parse((await readNodeFile(docker, prefix, `${PROVIDER_CONFIG_NODE_DIR}/${BID_CONFIG_NAME}`))!)).toMatchObject({ paused: false });
  });

  it('offline stops the stack only after the confirmation; online starts it again', async () => {
    const agent = await stackAgent();
    const ask = await call(agent, 'availability.set', { mode: 'offline' });
    expect(ask.confirmation).not.toBeNull();
    expect((await container.inspect()).State.Running).toBe(true);
    await call(agent, 'availability.set', { mode: 'offline', confirm: true });
    expect((await container.inspect()).State.Running).toBe(false);
    expect(JSON.parse((await readNodeFile(docker, prefix, `${PROVIDER_CONFIG_NODE_DIR}/${BID_CONFIG_NAME}`))!)).toMatchObject({ paused: true });
    await call(agent, 'availability.set', { mode: 'online' });
    expect((await container.inspect()).State.Running).toBe(true);
  }, 60_000);

  it('puts the table back when the node lost it (e.g. a recreated container)', async () => {
    const agent = await stackAgent();
    await call(agent, 'pricing.get', {});
    await agent.pricing.publish();
    const exec = await container.exec({ Cmd: ['rm', '-f', `${PROVIDER_CONFIG_NODE_DIR}/${BID_CONFIG_NAME}`] });
    await exec.start({});
    await new Promise((r) => setTimeout(r, 200));
    expect(await readNodeFile(docker, prefix, `${PROVIDER_CONFIG_NODE_DIR}/${BID_CONFIG_NAME}`)).toBeNull();
    await agent.pricing.reconcile();
    expect(await readNodeFile(docker, prefix, `${PROVIDER_CONFIG_NODE_DIR}/${BID_CONFIG_NAME}`)).not.toBeNull();
  });
});
