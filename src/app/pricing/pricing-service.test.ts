import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Settings } from '../../api/schemas/settings.js';
import { BID_CONFIG_NAME } from '../../provider/pricing/bid-script.js';
import { MarketClient } from '../../provider/pricing/market-client.js';
import type { LocalGpu } from '../../provider/pricing/power-floor.js';
import { silentLogger } from '../../util/logger.js';
import { PricingService } from './pricing-service.js';

/**
 * One price change is resolved once: the answer the Pricing screen shows is the table the
 * provider got. Here the farm's GPUs draw more each time they are read (a member's power limit
 * moving under load): a change that resolved the prices again for the table and again for the
 * view would show one floor and write another.
 */
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'riglease-pricing-once-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function service() {
  let settings = Settings.parse({});
  let reads = 0;
  const farmGpu = (): LocalGpu => ({ name: 'NVIDIA GeForce RTX 4090', akash: { model: 'rtx4090', ram: '24Gi', interface: 'pcie' }, powerDrawW: null, powerLimitW: 300 + 100 * reads++, powerMaxLimitW: null });
  const pricing = new PricingService({
    settings: {
      all: async () => structuredClone(settings),
      update: async (mutate) => {
        const next = structuredClone(settings);
        mutate(next);
        settings = next;
        return structuredClone(settings);
      },
    },
    // Offline: no snapshot on disk and no refresh asked, so nothing is fetched.
    market: new MarketClient({ baseUrl: async () => 'http://127.0.0.1:9', cache: { read: async () => null, write: async () => undefined } }),
    hardware: { last: () => null, scan: () => Promise.reject(new Error('no scan in this test')) },
    farmGpus: async () => [farmGpu()],
    initialBidding: async () => ({ paused: false, reason: '' }),
    bidDir: dir,
    sink: null,
    logger: silentLogger,
  });
  return { pricing, reads: () => reads };
}

describe('a price change', () => {
  it('reads the GPUs once, and the view it answers with shows the floor the table was written with', async () => {
    const { pricing, reads } = service();
    // Electricity dear enough that the power floor, not the default price, sets the GPU's price.
    const { view } = await pricing.set({ power: { pricePerKwh: 5 } });
    expect(reads()).toBe(1);
    const shown = view.resolved.gpus.find((g) => g.local);
    expect(shown?.floorUsdPerHour).toBeGreaterThan(0.3);
    expect(shown?.usdPerHour).toBe(shown?.floorUsdPerHour);
    const table = JSON.parse(await readFile(path.join(dir, BID_CONFIG_NAME), 'utf8')) as { gpu: Record<string, string> };
    // The table holds USD per hour in pico-dollars (price-table.ts).
    expect(Number(table.gpu[shown!.key]) / 1e12).toBeCloseTo(shown!.usdPerHour, 9);
  });
});
