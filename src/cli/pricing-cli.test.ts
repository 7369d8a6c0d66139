import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleCli, runBundledCli, type CliRun } from '../../test/cli-bundle.js';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { fakeNvidiaSmiEnv } from '../../test/fake-nvidia-smi/index.js';
import { startMarketApi, type MarketApi } from '../simulation/market-api/server.js';
import { AvailabilitySetResult, AvailabilityStatus } from '../api/methods/availability.js';
import { MarketView, PricingView, Quote } from '../api/schemas/pricing.js';
import { BID_CONFIG_NAME, BID_SCRIPT_NAME } from '../provider/pricing/bid-script.js';
import { parseDuration, tomorrowMorning } from './commands/availability.js';
import { pricingPatch } from './commands/pricing.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUNDLE_DIR = path.join(ROOT, 'node_modules', '.cache', `riglease-pricing-cli-test-${process.pid}`);
const MAIN = path.join(BUNDLE_DIR, 'cli.js');

let market: MarketApi;
let home: string;

beforeAll(async () => {
  market = await startMarketApi();
  await bundleCli(path.dirname(MAIN));
});
afterAll(async () => {
  await market.close();
  await rm(BUNDLE_DIR, { recursive: true, force: true });
});
beforeEach(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'riglease-pricing-cli-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

function riglease(args: string[], stdin?: string): Promise<CliRun> {
  // No Docker engine here on purpose: the CLI must work (and say so) without a provider stack.
  const env = { ...fakeNvidiaSmiEnv({ xml: 'rtx4090_535.86.05_1gpu.xml' }), RIGLEASE_HOME: home, RIGLEASE_MARKET_URL: market.url, DOCKER_HOST: `unix://${path.join(home, 'no-docker.sock')}` };
  return runBundledCli(MAIN, args, env, { stdin: stdin ?? '' });
}

/** `--json` prints exactly one JSON object: parse all of stdout, nothing else may be there. */
const json = (run: CliRun): unknown => JSON.parse(run.stdout);

function runScript(dir: string, order: unknown): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', [path.join(dir, BID_SCRIPT_NAME)], { env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', AKASH_DENOM: 'uact' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(JSON.stringify(order));
  });
}

const order = {
  resources: [{ cpu: 2000, memory: 8 * 2 ** 30, gpu: { units: 1, attributes: { vendor: { nvidia: { model: 'rtx4090', ram: '24Gi', interface: 'pcie' } } } }, storage: [{ size: 50 * 2 ** 30 }], count: 1, endpoint_quantity: 1 }],
  price: { denom: 'uact', amount: '1000000' },
};

describe('riglease market / pricing', () => {
  it('market --json fetches and caches; with the API down it shows the snapshot as offline', async () => {
    const first = MarketView.parse(json(await riglease(['market', '--json'])));
    expect(first.offline).toBe(false);
    expect(first.snapshot?.gpuPrices.models.some((m) => m.model === 'rtx4090')).toBe(true);
    market.mode = 'error500';
    try {
      const down = await riglease(['market', '--json']);
      expect(down.code, down.stderr).toBe(0);
      const view = MarketView.parse(json(down));
      expect(view.offline).toBe(true);
      expect(view.snapshot?.fetchedAt).toBe(first.snapshot?.fetchedAt);
      const human = await riglease(['market', '--cached']);
      expect(human.stdout).toMatch(/rtx4090 24Gi pcie\s+\$0\.3700/);
      // From that snapshot, the 4090 (no price of its own) asks the median, likely to win.
      const table = await riglease(['pricing', 'show']);
      expect(table.stdout).toMatch(/rtx4090\.24Gi\.pcie \*\s+\$0\.3700\s+\$0\.3700\s+\$0\.0795\s+likely to win/);
      expect(table.stdout).toContain('rtx4090.24Gi.pcie: Likely to win. $0.37/h is at or below the market median ($0.37/h)');
    } finally {
      market.mode = 'ok';
    }
  }, 60_000);

  it('set → show → quote, and the written bid script prints the same price', async () => {
    await riglease(['market']);
    const set = await riglease(['pricing', 'set', '--gpu', 'rtx4090=0.52', 'power.pricePerKwh', '0.3', '--json']);
    expect(set.code, set.stderr).toBe(0);
    const show = PricingView.parse(json(await riglease(['pricing', 'show', '--json'])));
    expect(show.settings.gpus).toEqual([{ key: 'rtx4090', usdPerHour: 0.52, ceilingUsdPerHour: null }]);
    expect(show.settings.power.pricePerKwh).toBe(0.3);
    expect(show.bidScript.provider.state).toBe('no-stack');
    const file = path.join(home, 'order.json');
    await writeFile(file, JSON.stringify(order));
    const q = Quote.parse(json(await riglease(['pricing', 'quote', '--order', file, '--json'])));
    expect(q.bid).toBe(true);
    expect(q.lines.find((l) => l.item.startsWith('GPU'))?.usdPerUnitHour).toBe(0.52);
    const script = await runScript(show.bidScript.dir, order);
    expect(script.stdout.trim()).toBe(q.price);
    const fromStdin = await riglease(['pricing', 'quote', '--order', '-'], JSON.stringify(order));
    expect(fromStdin.stdout).toContain(`Bid: ${q.price} uact per block`);
    expect(fromStdin.stdout).toMatch(/GPU rtx4090\S*: 1 GPUs × \$0\.5200\/h/);
    const table = await riglease(['pricing', 'show']);
    expect(table.stdout).toMatch(/rtx4090\.24Gi\.pcie \*\s+\$0\.5200\s+\$0\.3700/);
  }, 60_000);

  it('refuses a price 100× the market (exit 2) and a bad order file, changing nothing', async () => {
    await riglease(['market']);
    const before = await readFile(path.join(home, 'settings.json'), 'utf8').catch(() => null);
    const bad = await riglease(['pricing', 'set', '--gpu', 'rtx4090=45']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: Not applied: .*typo/m);
    expect(bad.stderr).toMatch(/^fix: /m);
    expect(await readFile(path.join(home, 'settings.json'), 'utf8').catch(() => null)).toBe(before);
    const nan = await riglease(['pricing', 'set', '--gpu', 'rtx4090=NaN']);
    expect(nan.code).toBe(2);
    const neg = await riglease(['pricing', 'set', 'resources.cpuThreadHour', '-1']);
    expect(neg.code).toBe(2);
    const noFile = await riglease(['pricing', 'quote', '--order', path.join(home, 'missing.json')]);
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toMatch(/Cannot read the order file/);
  }, 60_000);
});

describe('riglease availability', () => {
  it('pause --for 1h stops bids (the script refuses) and online brings them back', async () => {
    const t0 = Date.now();
    const pause = AvailabilitySetResult.parse(json(await riglease(['availability', 'pause', '--for', '1h', '--json'])));
    expect(pause.status).toMatchObject({ mode: 'paused', bidding: false, activity: 'paused' });
    expect(Date.parse(pause.status.pausedUntil!) - t0).toBeGreaterThan(59 * 60_000);
    expect(Date.parse(pause.status.pausedUntil!) - t0).toBeLessThan(61 * 60_000);
    const now = AvailabilityStatus.parse(json(await riglease(['availability', '--json'])));
    expect(now.mode).toBe('paused');
    const config = JSON.parse(await readFile(path.join(home, 'state', 'bid-script', BID_CONFIG_NAME), 'utf8')) as { paused: boolean };
    expect(config.paused).toBe(true);
    expect((await runScript(path.join(home, 'state', 'bid-script'), order)).stderr).toMatch(/no bid: paused/);
    const online = AvailabilitySetResult.parse(json(await riglease(['availability', 'online', '--json'])));
    expect(online.status.bidding).toBe(true);
    expect((await runScript(path.join(home, 'state', 'bid-script'), order)).code).toBe(0);
  }, 60_000);

  it('offline without --yes lists what would end, exits 1 and changes nothing; --yes goes offline', async () => {
    const ask = await riglease(['availability', 'offline']);
    expect(ask.code).toBe(1);
    expect(ask.stdout).toMatch(/Nothing changed\. Run again with --yes/);
    expect(AvailabilityStatus.parse(json(await riglease(['availability', '--json']))).mode).toBe('online');
    const yes = await riglease(['availability', 'offline', '--yes', '--json']);
    expect(yes.code, yes.stderr).toBe(0);
    expect(AvailabilitySetResult.parse(json(yes)).status.mode).toBe('offline');
    const history = await riglease(['availability', 'history']);
    expect(history.stdout).toMatch(/Switched offline by the user/);
  }, 60_000);

  it('refuses a duration it cannot read', async () => {
    const bad = await riglease(['availability', 'pause', '--for', 'a while']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/expected a duration/);
  });
});

describe('command-line parsing', () => {
  it.each([
    ['90', 90],
    ['45m', 45],
    ['1h', 60],
    ['1h30m', 90],
    ['2d', 2880],
  ])('duration %s = %i min', (text, minutes) => {
    expect(parseDuration(text)).toBe(minutes);
  });
  it.each(['', '0', 'h', '1x', '-1h'])('refuses duration %j', (text) => {
    expect(() => parseDuration(text)).toThrow();
  });
  it('until tomorrow means 08:00 local the next day', () => {
    const t = tomorrowMorning(new Date(2026, 10, 30, 23, 30));
    expect([t.getDate(), t.getHours(), t.getMinutes()]).toEqual([1, 8, 0]);
  });
  it('builds a nested patch and replaces one GPU rule, keeping its ceiling', () => {
    const patch = pricingPatch(['power.pricePerKwh', '0.3', 'strategy', 'follow-market'], ['rtx4090=0.5', 'a100=1.2'], [{ key: 'rtx4090', usdPerHour: 0.4, ceilingUsdPerHour: 0.9 }]);
    expect(patch).toEqual({ power: { pricePerKwh: 0.3 }, strategy: 'follow-market', gpus: [{ key: 'rtx4090', usdPerHour: 0.5, ceilingUsdPerHour: 0.9 }, { key: 'a100', usdPerHour: 1.2, ceilingUsdPerHour: null }] });
    expect(() => pricingPatch(['power.pricePerKwh'], [], [])).toThrow(/KEY VALUE/);
    expect(() => pricingPatch([], ['RTX 4090=1'], [])).toThrow(/MODEL=USD/);
  });
});
