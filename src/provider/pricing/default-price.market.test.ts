import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { marketFixture, startMarketApi, type MarketApi } from '../../simulation/market-api/server.js';
import { PricingSettings } from '../../api/schemas/settings/pricing.js';
import type { MarketView } from '../../api/schemas/pricing.js';
import { marketCacheFile } from '../../store/market-cache-file.js';
import { BID_SCRIPT_NAME, bidScriptFiles } from './bid-script.js';
import { BLOCKS_PER_MONTH, HOURS_PER_MONTH_MILLI } from './constants.js';
import { MarketClient, marketBaseUrl } from './market-client.js';
import type { LocalGpu } from './power-floor.js';
import { resolvePrices } from './price-model.js';

/**
 * The price the wizard proposes, from the Console API's own recorded response served over HTTP
 * (src/simulation/market-api), and the generated bid script run for real (sh, jq, bc) on orders at it.
 * In that response `gpu0` (nvidia, 1024, pcie) has a median of $0.58/h and `gpu1` no price.
 */
const gpu0: LocalGpu = { name: 'NVIDIA gpu0', akash: { model: 'gpu0', ram: '1024', interface: 'pcie' }, powerDrawW: 20, powerLimitW: 200, powerMaxLimitW: 250 };
const gpu1: LocalGpu = { name: 'NVIDIA gpu1', akash: { model: 'gpu1', ram: '2048', interface: 'sxm' }, powerDrawW: 20, powerLimitW: 200, powerMaxLimitW: 250 };
const KEY0 = 'gpu0.1024.pcie';
const MEDIAN = 0.58;

let dir: string;
let api: MarketApi;
const clock = new Date('2026-12-01T12:00:00Z');
const client = () => new MarketClient({ baseUrl: async () => marketBaseUrl({ RIGLEASE_MARKET_URL: api.url }, null), cache: marketCacheFile(path.join(dir, 'market.json')), timeoutMs: 2000, now: () => clock });
const freshness = (v: MarketView) => ({ present: v.snapshot !== null, ageSeconds: v.ageSeconds });

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'riglease-default-price-'));
  api = await startMarketApi({ gpuPrices: marketFixture('console-gpu-spec-gpu-prices') });
});
afterAll(async () => {
  await api.close();
  await rm(dir, { recursive: true, force: true });
});

/** uact per block for a USD-per-hour price, as a decimal at 18 digits rounded up (what a tenant offering that much writes). */
function uactPerBlock(usdPerHour: number): string {
  const num = BigInt(Math.round(usdPerHour * 1e6)) * HOURS_PER_MONTH_MILLI * 10n ** 18n;
  const den = 1000n * BLOCKS_PER_MONTH;
  const scaled = (num + den - 1n) / den;
  const text = scaled.toString().padStart(19, '0');
  return `${text.slice(0, -18)}.${text.slice(-18)}`;
}

function gpuOrder(amount: string): string {
  return JSON.stringify({
    resources: [{ cpu: 0, memory: 0, gpu: { units: 1, attributes: { vendor: { nvidia: { model: 'gpu0', ram: '1024', interface: 'pcie' } } } }, storage: [], count: 1, endpoint_quantity: 0 }],
    price: { denom: 'uact', amount },
  });
}

function runScript(scriptDir: string, stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', [path.join(scriptDir, BID_SCRIPT_NAME)], { env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', AKASH_DENOM: 'uact', AKASH_OWNER: 'akash1test' }, timeout: 10_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe("the wizard's default price bids on the market (Console API's recorded response)", () => {
  it('is at most the median, says "likely to win", and the real bid script bids on an order offering the median', async () => {
    const view = await client().refresh();
    expect(view.offline).toBe(false);
    const settings = PricingSettings.parse({});
    const resolved = resolvePrices(settings, view.snapshot, [gpu0], freshness(view));
    const g = resolved.gpus.find((x) => x.key === KEY0)!;
    expect(g.marketMedianUsdPerHour).toBe(MEDIAN);
    expect(g.usdPerHour).toBeLessThanOrEqual(MEDIAN);
    expect(g.usdPerHour).toBeGreaterThanOrEqual(g.floorUsdPerHour!);
    expect(g.win).toMatchObject({ verdict: 'likely', label: 'Likely to win', band: { min: 0.58, med: 0.58, max: 0.58 } });

    const scriptDir = path.join(dir, 'script');
    const files = bidScriptFiles({ settings, market: view.snapshot, rateAtMs: clock.getTime(), local: [gpu0], paused: false, now: clock });
    const { mkdir } = await import('node:fs/promises');
    await mkdir(scriptDir, { recursive: true });
    await writeFile(path.join(scriptDir, BID_SCRIPT_NAME), files.script);
    await chmod(path.join(scriptDir, BID_SCRIPT_NAME), 0o755);
    await writeFile(path.join(scriptDir, 'riglease-pricing.json'), files.config);

    const atMedian = await runScript(scriptDir, gpuOrder(uactPerBlock(MEDIAN)));
    expect(atMedian.stderr).toBe('');
    expect(atMedian.code).toBe(0);
    expect(Number(atMedian.stdout.trim())).toBeLessThanOrEqual(Number(uactPerBlock(MEDIAN)));
    // It does not give money away either: an order offering 10 % less than the median gets no bid.
    const below = await runScript(scriptDir, gpuOrder(uactPerBlock(MEDIAN * 0.9)));
    expect(below.code).not.toBe(0);
    expect(below.stderr).toMatch(/^no bid: /);
  }, 30_000);

  it('says plainly when the model has no market data, and when the market was never reached', async () => {
    const view = await client().refresh();
    const none = resolvePrices(PricingSettings.parse({}), view.snapshot, [gpu1], freshness(view)).gpus[0]!;
    expect(none.win).toEqual({ verdict: 'unknown', label: "Can't tell", reason: "No market data for GPU 1 2048: we can't tell if this price wins.", band: null });
    expect(none.source).toBe('default');

    api.mode = 'error500';
    try {
      const fresh = new MarketClient({ baseUrl: async () => api.url, cache: marketCacheFile(path.join(dir, 'never.json')), timeoutMs: 2000, now: () => clock });
      const down = await fresh.refresh();
      expect(down.offline).toBe(true);
      const g = resolvePrices(PricingSettings.parse({}), down.snapshot, [gpu0], freshness(down)).gpus[0]!;
      expect(g.win.verdict).toBe('unknown');
      expect(g.win.reason).toMatch(/^No market data yet \(the Akash market has not been reached\): we can't tell if \$0\.3\/h wins orders for GPU 0 1024\.$/);
    } finally {
      api.mode = 'ok';
    }
  });

  it('a snapshot older than two days cannot tell, though the price still follows it', async () => {
    await client().refresh();
    const later = new Date(clock.getTime() + 3 * 86_400_000);
    const old = await new MarketClient({ baseUrl: async () => api.url, cache: marketCacheFile(path.join(dir, 'market.json')), now: () => later }).view();
    const g = resolvePrices(PricingSettings.parse({}), old.snapshot, [gpu0], freshness(old)).gpus[0]!;
    expect(g.usdPerHour).toBe(0.579999);
    expect(g.win.verdict).toBe('unknown');
    expect(g.win.reason).toMatch(/market data is 3 days old/);
  });

  it('when electricity costs more than the market, it says the rig cannot win at a price that covers its power', async () => {
    const view = await client().refresh();
    // 3.00 per kWh × (200 W + 80 W) = $0.84/h, above the $0.58/h median.
    const resolved = resolvePrices(PricingSettings.parse({ power: { pricePerKwh: 3 } }), view.snapshot, [gpu0], freshness(view));
    const g = resolved.gpus[0]!;
    expect(g.usdPerHour).toBeCloseTo(0.84, 6);
    expect(g.win.verdict).toBe('unlikely');
    expect(g.win.reason).toMatch(/can't win GPU 0 1024 orders at a price that covers its power/);
    expect(resolved.issues.find((i) => i.key === KEY0 && i.severity === 'warn')?.message).toMatch(/can't win GPU 0 1024 orders at a price that covers its power: its electricity costs \$0\.84\/h and the market median is \$0\.58\/h/);
  });
});
