import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PricingSettings } from '../../api/schemas/settings/pricing.js';
import type { GpuPricesResponse } from '../../api/schemas/pricing.js';
import { OrderLogLine, RefusalCode } from '../../api/schemas/order-log.js';
import { bidScriptFiles, BID_SCRIPT_NAME, ORDER_LOG_NAME } from './bid-script.js';
import { USD_DENOMS } from './constants.js';
import { quote } from './quote.js';
import type { LocalGpu } from './power-floor.js';

/**
 * The generated script, run for real with `sh`, must print exactly what `quote` says for a wide
 * set of orders and price tables, and refuse exactly when `quote` refuses. Every run also
 * appends one line to its order log, which must say the same decision, price and refusal code.
 * Needs jq and bc (Debian packages `jq` and `bc`), which the akash provider image ships.
 */

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MARKET: GpuPricesResponse = {
  availability: { total: 10, available: 4 },
  models: [
    { vendor: 'nvidia', model: 'rtx4090', ram: '24Gi', interface: 'pcie', availability: { total: 4, available: 1 }, providerAvailability: { total: 2, available: 1 }, price: { currency: 'USD', min: 0.2, max: 0.6, avg: 0.38, weightedAverage: 0.37, med: 0.36 } },
    { vendor: 'nvidia', model: 'a100', ram: '80Gi', interface: 'sxm', availability: { total: 4, available: 2 }, providerAvailability: { total: 1, available: 1 }, price: { currency: 'USD', min: 0.9, max: 1.5, avg: 1.1, weightedAverage: 1.05, med: 1.07 } },
    { vendor: 'nvidia', model: 'rtx3090', ram: '24Gi', interface: 'PCIe', availability: { total: 2, available: 1 }, providerAvailability: { total: 1, available: 1 }, price: null },
  ],
};

const LOCAL: LocalGpu[] = [
  { name: 'NVIDIA GeForce RTX 4090', akash: { model: 'rtx4090', ram: '24Gi', interface: 'pcie' }, powerDrawW: 31.5, powerLimitW: 450, powerMaxLimitW: 600 },
];

interface Scenario {
  name: string;
  settings: PricingSettings;
  aktUsd: number | null;
  rateAtMs: number;
  paused: boolean;
  local: LocalGpu[];
  dir?: string;
}

function randomSettings(r: () => number, i: number): PricingSettings {
  const price = (max: number) => Math.round(r() * max * 1e6) / 1e6;
  const models = ['rtx4090', 'rtx4090.24Gi', 'rtx4090.24Gi.pcie', 'a100.80Gi', 'a100.80Gi.sxm', 'rtx3090', 'h100.pcie', 't4'];
  const gpus = models.filter(() => r() < 0.5).map((key) => ({ key, usdPerHour: price(3), ceilingUsdPerHour: r() < 0.3 ? price(2) : null }));
  return PricingSettings.parse({
    strategy: i % 3 === 0 ? 'follow-market' : 'fixed',
    resources: {
      cpuThreadHour: price(0.05),
      memoryGbHour: price(0.01),
      storageGbHour: { ephemeral: price(0.001), beta1: price(0.001), beta2: price(0.001), beta3: price(0.001) },
      endpointHour: price(0.01),
      ipHour: price(0.05),
    },
    gpus,
    defaultGpuUsdPerHour: price(2),
    unknownGpu: (['highest', 'default', 'no-bid'] as const)[i % 3],
    followMarket: { percentOfMedian: 50 + Math.round(r() * 100) },
    power: { pricePerKwh: price(0.6), rigShareWatts: Math.round(r() * 200) },
    allowBelowFloor: r() < 0.3,
  });
}

const CLASSES = ['ephemeral', 'beta1', 'beta2', 'beta3', 'ram', 'default', 'nvme-fast', undefined, null];
const GPU_MODELS = ['rtx4090', 'a100', 'rtx3090', 'h100', 'unknownxyz', 't4'];

function randomOrder(r: () => number): Record<string, unknown> {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const n = 1 + Math.floor(r() * 4);
  const resources = Array.from({ length: n }, () => {
    const units = r() < 0.5 ? 0 : 1 + Math.floor(r() * 8);
    const vendor: Record<string, unknown> = {};
    if (units > 0 && r() < 0.85) {
      const attrs: Record<string, unknown> = { model: pick(GPU_MODELS) };
      if (r() < 0.6) attrs['ram'] = pick(['24Gi', '80Gi', '40Gi', '']);
      if (r() < 0.5) attrs['interface'] = pick(['pcie', 'sxm', '']);
      vendor[r() < 0.9 ? 'nvidia' : 'amd'] = attrs;
    }
    const storage = Array.from({ length: Math.floor(r() * 4) }, () => {
      const cls = pick(CLASSES);
      const vol: Record<string, unknown> = { size: Math.floor(r() * 2 ** (20 + Math.floor(r() * 22))) };
      if (cls !== undefined) vol['class'] = cls;
      return vol;
    });
    return {
      cpu: pick([0, 100, 250, 1000, 2000, 8000, Math.floor(r() * 64000)]),
      memory: Math.floor(r() * 2 ** (20 + Math.floor(r() * 20))),
      gpu: { units, attributes: Object.keys(vendor).length > 0 ? { vendor } : {} },
      storage,
      count: Math.floor(r() * 6),
      endpoint_quantity: Math.floor(r() * 4),
      ip_lease_quantity: r() < 0.2 ? 1 : 0,
    };
  });
  const denom = pick(['uakt', 'uakt', ...USD_DENOMS, 'uusdc']);
  const order: Record<string, unknown> = { resources, price: { denom, amount: pick(['1000000000.000000000000000000', '1000000.5', '1000000', '5000', '100.5', '0.000001']) } };
  const prec = pick([undefined, null, 0, 1, 3, 6, 6, 9, 18]);
  if (prec !== undefined) order['price_precision'] = prec;
  return order;
}

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runScript(dir: string, stdin: string, denom: string, env: Record<string, string> = {}, shell = 'sh'): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(shell, [path.join(dir, BID_SCRIPT_NAME)], {
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', AKASH_DENOM: denom, AKASH_OWNER: OWNER, ...env },
      timeout: 10_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/** A tenant address as the chain writes it (bech32). */
const OWNER = 'akash1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5wrtx6f';
let logSerial = 0;
/** Every code a real run wrote to its log, so the last test can require all of them. */
const codesSeen = new Set<string>();

/** Runs the script with a log file of its own and returns the run plus the one line it logged. */
async function runLogged(dir: string, stdin: string, denom: string, env: Record<string, string> = {}, shell = 'sh'): Promise<RunResult & { line: OrderLogLine }> {
  const log = path.join(root.dir, `order-${logSerial++}.jsonl`);
  const run = await runScript(dir, stdin, denom, { RIGLEASE_ORDER_LOG: log, ...env }, shell);
  const lines = (await readFile(log, 'utf8')).split('\n').filter((l) => l !== '');
  expect(lines, `one log line for ${stdin.slice(0, 200)}`).toHaveLength(1);
  const line = OrderLogLine.parse(JSON.parse(lines[0]!));
  if (line.code) codesSeen.add(line.code);
  return { ...run, line };
}

async function pool<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

const now = new Date();
const root = { dir: '' };
const scenarios: Scenario[] = [];

beforeAll(async () => {
  root.dir = await mkdtemp(path.join(tmpdir(), 'riglease-bidscript-'));
  const r = rng(20261125);
  for (let i = 0; i < 12; i++) {
    scenarios.push({ name: `random-${i}`, settings: randomSettings(r, i), aktUsd: Math.round((0.05 + r() * 20) * 1e9) / 1e9, rateAtMs: now.getTime() - 60_000, paused: false, local: i % 2 === 0 ? LOCAL : [] });
  }
  scenarios.push({ name: 'defaults', settings: PricingSettings.parse({}), aktUsd: 1.234567891, rateAtMs: now.getTime(), paused: false, local: LOCAL });
  scenarios.push({ name: 'paused', settings: PricingSettings.parse({}), aktUsd: 2, rateAtMs: now.getTime(), paused: true, local: LOCAL });
  scenarios.push({ name: 'no-rate', settings: PricingSettings.parse({}), aktUsd: null, rateAtMs: now.getTime(), paused: false, local: [] });
  scenarios.push({ name: 'stale-rate', settings: PricingSettings.parse({ aktRateMaxAgeHours: 1 }), aktUsd: 3, rateAtMs: now.getTime() - 3 * 3600_000, paused: false, local: [] });
  for (const s of scenarios) {
    s.dir = path.join(root.dir, s.name);
    const files = bidScriptFiles({ settings: s.settings, market: { gpuPrices: MARKET, aktUsd: s.aktUsd }, rateAtMs: s.rateAtMs, local: s.local, paused: s.paused, now });
    await mkdir(s.dir, { recursive: true });
    await writeFile(path.join(s.dir, BID_SCRIPT_NAME), files.script);
    await chmod(path.join(s.dir, BID_SCRIPT_NAME), 0o755);
    await writeFile(path.join(s.dir, 'riglease-pricing.json'), files.config);
  }
});

afterAll(async () => {
  if (root.dir) await rm(root.dir, { recursive: true, force: true });
});

function quoteFor(s: Scenario, order: unknown) {
  return quote(order, s.settings, { gpuPrices: MARKET }, s.aktUsd, { local: s.local, paused: s.paused, now, rateAtMs: s.rateAtMs });
}

async function expectAgreement(s: Scenario, orderText: string, parsed: unknown): Promise<{ bid: boolean }> {
  const q = quoteFor(s, parsed);
  const denom = (parsed as { price?: { denom?: string } } | null)?.price?.denom ?? '';
  const run = await runLogged(s.dir!, orderText, typeof denom === 'string' ? denom : '');
  const { line } = run;
  const label = `${s.name}: ${orderText.slice(0, 400)}\nquote=${JSON.stringify({ bid: q.bid, price: q.price, reason: q.reason, code: q.code })}\nscript=${JSON.stringify(run)}`;
  if (q.bid) {
    expect(run.code, label).toBe(0);
    expect(run.stdout.trim(), label).toBe(q.price);
    expect(line, label).toMatchObject({ decision: 'bid', price: q.price });
    expect(line.code, label).toBeUndefined();
  } else {
    expect(run.code, label).not.toBe(0);
    expect(run.stdout.trim(), label).toBe('');
    expect(run.stderr, label).toMatch(/^no bid: /);
    expect(line, label).toMatchObject({ decision: 'refused', code: q.code });
    if (q.code === 'price_too_low') expect(line.price, label).toBe(q.price);
  }
  // What the order asked, as the log keeps it.
  if (q.denom !== '?') expect(line, label).toMatchObject({ denom: q.denom, maxPrice: q.maxPrice, owner: OWNER });
  return { bid: q.bid };
}

describe('generated bid script agrees with quote', () => {
  it('on hundreds of seeded random orders across random price tables and every denom', async () => {
    const r = rng(4242);
    const cases: Array<{ s: Scenario; order: Record<string, unknown> }> = [];
    const total = Number(process.env['RIGLEASE_AGREEMENT_CASES'] ?? 300);
    for (let i = 0; i < total; i++) cases.push({ s: scenarios[i % scenarios.length]!, order: randomOrder(r) });
    let bids = 0;
    let refusals = 0;
    await pool(cases, 4, async ({ s, order }) => {
      const res = await expectAgreement(s, JSON.stringify(order), order);
      if (res.bid) bids++;
      else refusals++;
    });
    // The generator must exercise both outcomes, or the test proves little.
    expect(bids).toBeGreaterThan(total / 4);
    expect(refusals).toBeGreaterThan(total / 10);
  }, 240_000);

  it('at the exact max-price boundary: equal bids, one unit less does not', async () => {
    const r = rng(99);
    const cases: Array<{ s: Scenario; order: Record<string, unknown> }> = [];
    for (let i = 0; i < 30; i++) {
      const s = scenarios[i % 12]!;
      const order = randomOrder(r);
      (order['price'] as Record<string, string>)['amount'] = '999999999999.000000000000000000';
      const q = quoteFor(s, order);
      if (!q.bid || q.price === null) continue;
      const digits = q.precision;
      const units = BigInt(q.price.replace('.', ''));
      const fmt = (v: bigint) => (digits === 0 ? v.toString() : `${v.toString().padStart(digits + 1, '0').slice(0, -digits)}.${v.toString().padStart(digits + 1, '0').slice(-digits)}`);
      cases.push({ s, order: { ...order, price: { ...(order['price'] as object), amount: q.price } } });
      cases.push({ s, order: { ...order, price: { ...(order['price'] as object), amount: fmt(units - 1n) } } });
    }
    expect(cases.length).toBeGreaterThan(20);
    const outcomes: boolean[] = [];
    await pool(cases, 4, async ({ s, order }) => {
      outcomes.push((await expectAgreement(s, JSON.stringify(order), order)).bid);
    });
    expect(outcomes.filter(Boolean).length).toBe(cases.length / 2);
  }, 120_000);

  const gpuOrder = (denom: string, extra: Record<string, unknown> = {}) => ({
    resources: [{ cpu: 4000, memory: 16 * 2 ** 30, gpu: { units: 1, attributes: { vendor: { nvidia: { model: 'rtx4090', ram: '24Gi', interface: 'pcie' } } } }, storage: [{ class: 'ephemeral', size: 100 * 2 ** 30 }], count: 1, endpoint_quantity: 2, ip_lease_quantity: 0 }],
    price: { denom, amount: '100000.000000000000000000' },
    ...extra,
  });

  it.each([
    ['paused refuses every order', 'paused', gpuOrder('uakt'), /paused: no new bids/],
    ['no AKT price refuses uakt', 'no-rate', gpuOrder('uakt'), /no AKT price/],
    ['no AKT price still bids in uact', 'no-rate', gpuOrder('uact'), null],
    ['stale AKT price refuses uakt', 'stale-rate', gpuOrder('uakt'), /too old/],
    ['unsupported denom', 'defaults', gpuOrder('uatom'), /denom not supported/],
    ['empty resources', 'defaults', { resources: [], price: { denom: 'uakt', amount: '1' } }, /nothing to price/],
    ['count 0', 'defaults', { ...gpuOrder('uakt'), resources: [{ ...gpuOrder('uakt').resources[0], count: 0 }] }, /nothing to price/],
    ['negative cpu', 'defaults', { ...gpuOrder('uakt'), resources: [{ ...gpuOrder('uakt').resources[0], cpu: -1 }] }, /not understood/],
    ['fractional memory', 'defaults', { ...gpuOrder('uakt'), resources: [{ ...gpuOrder('uakt').resources[0], memory: 1.5 }] }, /not understood/],
    ['cpu as a string', 'defaults', { ...gpuOrder('uakt'), resources: [{ ...gpuOrder('uakt').resources[0], cpu: '1000' }] }, /not understood/],
    ['amount in exponent form', 'defaults', { ...gpuOrder('uakt'), price: { denom: 'uakt', amount: '1e5' } }, /not understood/],
    ['amount with a shell payload', 'defaults', { ...gpuOrder('uakt'), price: { denom: 'uakt', amount: '1;touch /tmp/x' } }, /not understood/],
    ['precision 19', 'defaults', gpuOrder('uakt', { price_precision: 19 }), /not understood/],
    ['precision 0', 'defaults', gpuOrder('uakt', { price_precision: 0 }), null],
    ['precision 18', 'defaults', gpuOrder('uact', { price_precision: 18 }), null],
    ['memory at the exact-integer limit', 'defaults', { ...gpuOrder('uakt'), resources: [{ ...gpuOrder('uakt').resources[0], memory: 9007199254740991 }], price: { denom: 'uakt', amount: '999999999999999999999999999999' } }, null],
    ['memory above the exact-integer limit', 'defaults', { ...gpuOrder('uakt'), resources: [{ ...gpuOrder('uakt').resources[0], memory: 9007199254740993 }] }, /not understood/],
    ['no price field', 'defaults', { resources: gpuOrder('uakt').resources }, /not understood/],
    ['gpu vendor without model', 'defaults', { ...gpuOrder('uakt'), resources: [{ ...gpuOrder('uakt').resources[0], gpu: { units: 1, attributes: { vendor: { nvidia: {} } } } }] }, /not understood/],
    ['gpu with no attributes (any model)', 'defaults', { ...gpuOrder('uakt'), resources: [{ ...gpuOrder('uakt').resources[0], gpu: { units: 2, attributes: {} } }] }, null],
    ['storage null, extra fields ignored', 'defaults', { ...gpuOrder('uakt'), extra: true, resources: [{ ...gpuOrder('uakt').resources[0], storage: null, future_field: 1 }] }, null],
    ['mainnet USDC', 'defaults', gpuOrder(USD_DENOMS[1]!), null],
    ['sandbox USDC', 'defaults', gpuOrder(USD_DENOMS[2]!), null],
  ])('%s', async (_name, scenarioName, order, reason) => {
    const s = scenarios.find((x) => x.name === scenarioName)!;
    const q = quoteFor(s, order);
    expect(q.bid).toBe(reason === null);
    if (reason) expect(q.reason).toMatch(reason);
    const run = await runScript(s.dir!, JSON.stringify(order), 'uakt');
    if (reason) expect(run.stderr).toMatch(reason);
    await expectAgreement(s, JSON.stringify(order), order);
  });

  it('refuses input that is not one JSON object, as quote does', async () => {
    const s = scenarios.find((x) => x.name === 'defaults')!;
    for (const text of ['not json', '', '{"resources":[]}{"resources":[]}', '[1,2]', 'null']) {
      const run = await runLogged(s.dir!, text, 'uakt');
      expect(run.code, text).not.toBe(0);
      expect(run.stdout, text).toBe('');
      expect(run.line, text).toMatchObject({ decision: 'refused', code: 'order_not_understood' });
    }
    expect(quoteFor(s, null).bid).toBe(false);
    expect(quoteFor(s, [1, 2]).bid).toBe(false);
  });

  it('logs a missing table, a damaged table and a provider image without jq, each with its code', async () => {
    const s = scenarios.find((x) => x.name === 'defaults')!;
    const order = JSON.stringify(gpuOrder('uact'));
    const missing = await runLogged(s.dir!, order, 'uact', { RIGLEASE_PRICING_CONFIG: path.join(root.dir, 'nowhere', 'riglease-pricing.json') });
    expect(missing.code).not.toBe(0);
    expect(missing.line).toMatchObject({ decision: 'refused', code: 'config_missing', owner: OWNER });
    const damagedDir = path.join(root.dir, 'damaged');
    await mkdir(damagedDir, { recursive: true });
    await writeFile(path.join(damagedDir, 'riglease-pricing.json'), '{"v":2}\n');
    const damaged = await runLogged(s.dir!, order, 'uact', { RIGLEASE_PRICING_CONFIG: path.join(damagedDir, 'riglease-pricing.json') });
    expect(damaged.line).toMatchObject({ decision: 'refused', code: 'config_damaged', denom: 'uact' });
    // A PATH with the few tools the script needs but no jq: it must say so, not misprice.
    const bin = path.join(root.dir, 'bin-without-jq');
    await mkdir(bin, { recursive: true });
    for (const tool of ['date', 'wc', 'mv']) await symlink(`/usr/bin/${tool}`, path.join(bin, tool)).catch(() => symlink(`/bin/${tool}`, path.join(bin, tool)));
    const noJq = await runLogged(s.dir!, order, 'uact', { PATH: bin }, '/bin/sh');
    expect(noJq.stderr).toMatch(/jq is not installed/);
    expect(noJq.line).toMatchObject({ decision: 'refused', code: 'script_error', reason: 'jq is not installed in the provider image' });
  });

  it('a log that cannot be written changes neither the price nor the exit code', async () => {
    const s = scenarios.find((x) => x.name === 'defaults')!;
    const unwritable = { RIGLEASE_ORDER_LOG: s.dir! }; // a directory: every append fails
    for (const order of [gpuOrder('uact'), { ...gpuOrder('uact'), price: { denom: 'uact', amount: '1' } }, gpuOrder('uatom')]) {
      const text = JSON.stringify(order);
      const logged = await runLogged(s.dir!, text, 'uact');
      const blind = await runScript(s.dir!, text, 'uact', unwritable);
      expect(blind).toEqual({ code: logged.code, stdout: logged.stdout, stderr: logged.stderr });
    }
  });

  it('keeps the log bounded: past the cap it moves to .1 and starts again', async () => {
    const s = scenarios.find((x) => x.name === 'defaults')!;
    const dir = path.join(root.dir, 'rotation');
    await mkdir(dir, { recursive: true });
    const log = path.join(dir, ORDER_LOG_NAME);
    const env = { RIGLEASE_ORDER_LOG: log, RIGLEASE_ORDER_LOG_MAX_BYTES: '700' };
    const prices = ['100000', '1', '100000', '2', '100000', '3', '100000'];
    for (const amount of prices) await runScript(s.dir!, JSON.stringify({ ...gpuOrder('uact'), price: { denom: 'uact', amount } }), 'uact', env);
    const current = (await readFile(log, 'utf8')).split('\n').filter(Boolean).map((l) => OrderLogLine.parse(JSON.parse(l)));
    const older = (await readFile(`${log}.1`, 'utf8')).split('\n').filter(Boolean).map((l) => OrderLogLine.parse(JSON.parse(l)));
    // A line is ~300 bytes: a file never holds more than the cap plus the line that crossed it.
    expect(current.length).toBeLessThanOrEqual(3);
    expect(older.length).toBeLessThanOrEqual(3);
    expect(current.at(-1)?.maxPrice).toBe(prices.at(-1));
    expect([...older, ...current].map((l) => l.maxPrice)).toEqual(prices.slice(-(older.length + current.length)));
  });

  it('every refusal code was written by a real run of the script', () => {
    expect([...codesSeen].sort()).toEqual([...RefusalCode.options].sort());
  });
});
