import { describe, expect, it } from 'vitest';
import { PricingSettings } from '../../api/schemas/settings/pricing.js';
import type { GpuPricesResponse } from '../../api/schemas/pricing.js';
import { marketFixture } from '../../simulation/market-api/server.js';
import { gpuWatts, powerCostUsdPerHour, type LocalGpu } from './power-floor.js';
import { resolvePrices } from './price-model.js';
import { gpuKeyCandidates } from './gpu-key.js';
import { earnings, estimate } from './estimate.js';

const market = { gpuPrices: marketFixture('test-data-gpu-prices') as GpuPricesResponse, aktUsd: 1.5 };
const rtx4090: LocalGpu = { name: 'RTX 4090', akash: { model: 'rtx4090', ram: '24Gi', interface: 'pcie' }, powerDrawW: 30, powerLimitW: 450, powerMaxLimitW: 600 };
const s = (over: Record<string, unknown>) => PricingSettings.parse(over);

describe('settings refuse absurd input', () => {
  it.each([
    ['negative CPU price', { resources: { cpuThreadHour: -1 } }],
    ['NaN GPU price', { gpus: [{ key: 'rtx4090', usdPerHour: Number.NaN }] }],
    ['Infinity GPU price', { gpus: [{ key: 'rtx4090', usdPerHour: Number.POSITIVE_INFINITY }] }],
    ['GPU price over $1000/h', { gpus: [{ key: 'rtx4090', usdPerHour: 5000 }] }],
    ['negative electricity', { power: { pricePerKwh: -0.1 } }],
    ['NaN electricity', { power: { pricePerKwh: Number.NaN } }],
    ['zero exchange rate', { power: { usdPerCurrencyUnit: 0 } }],
    ['follow-market 0 %', { followMarket: { percentOfMedian: 0 } }],
    ['bad GPU key', { gpus: [{ key: 'RTX 4090!', usdPerHour: 1 }] }],
    ['unknown field', { surprise: 1 }],
    ['utilization 150 %', { utilizationPct: 150 }],
  ])('%s', (_name, input) => {
    expect(PricingSettings.safeParse(input).success).toBe(false);
  });

  it('accepts zero prices (free resources are a choice, the floor still guards GPUs)', () => {
    expect(PricingSettings.safeParse({ resources: { cpuThreadHour: 0 }, gpus: [{ key: 'rtx4090', usdPerHour: 0 }] }).success).toBe(true);
  });
});

describe('power floor', () => {
  const power = s({}).power;
  it.each([
    ['limit source uses the power limit', { gpuWattsSource: 'limit' }, rtx4090, 450],
    ['measured source uses the draw', { gpuWattsSource: 'measured' }, rtx4090, 30],
    ['override wins', { gpuWattsOverride: 300 }, rtx4090, 300],
    ['no limit: max limit', {}, { ...rtx4090, powerLimitW: null }, 600],
    ['no readings at all', {}, { ...rtx4090, powerLimitW: null, powerMaxLimitW: null, powerDrawW: null }, null],
    ['zero readings are ignored', {}, { ...rtx4090, powerLimitW: 0, powerMaxLimitW: 0, powerDrawW: 25 }, 25],
    ['NaN readings are ignored', { gpuWattsSource: 'measured' }, { ...rtx4090, powerDrawW: Number.NaN }, 450],
  ] as const)('%s', (_n, over, gpu, watts) => {
    expect(gpuWatts(gpu, { ...power, ...over })).toBe(watts);
  });

  it.each([
    [0.15, 1, 450, 80, (0.15 * 530) / 1000],
    [0.3, 1.08, 450, 80, (0.3 * 1.08 * 530) / 1000],
    [0, 1, 450, 80, 0],
    [0.15, 1, 0, 0, 0],
  ])('%s/kWh × %s USD per unit, %s W + rig %s W', (price, fx, watts, rig, expected) => {
    expect(powerCostUsdPerHour(watts, { ...power, pricePerKwh: price, usdPerCurrencyUnit: fx, rigShareWatts: rig })).toBeCloseTo(expected, 12);
  });
});

describe('GPU key lookup order (as the official script)', () => {
  it.each([
    ['a100', '80Gi', 'sxm', ['a100.80Gi.sxm', 'a100.80Gi', 'a100']],
    ['a100', '80Gi', undefined, ['a100.80Gi', 'a100']],
    ['a100', undefined, 'sxm', ['a100.sxm', 'a100']],
    ['a100', '', 'sxm', ['a100.sxm', 'a100']],
    ['a100', null, null, ['a100']],
  ])('%s %s %s', (model, ram, iface, keys) => {
    expect(gpuKeyCandidates(model, ram, iface)).toEqual(keys);
  });
});

describe('resolvePrices', () => {
  const one = (settings: PricingSettings, local: LocalGpu[] = [rtx4090], m: typeof market | null = market) => resolvePrices(settings, m, local);
  const price = (r: ReturnType<typeof one>, key: string) => r.gpus.find((g) => g.key === key);
  // Floor of the 4090 at defaults: 0.15 $/kWh × (450 + 80) W = $0.0795/h.
  const floor = 0.0795;

  it.each([
    ['fixed above floor stays', { gpus: [{ key: 'rtx4090', usdPerHour: 0.4 }] }, 'rtx4090', 0.4, 'fixed'],
    ['fixed below floor is raised to it', { gpus: [{ key: 'rtx4090', usdPerHour: 0.05 }] }, 'rtx4090', floor, 'fixed'],
    ['zero price is raised to the floor', { gpus: [{ key: 'rtx4090', usdPerHour: 0 }] }, 'rtx4090', floor, 'fixed'],
    ['below floor allowed when explicitly set', { allowBelowFloor: true, gpus: [{ key: 'rtx4090', usdPerHour: 0.05 }] }, 'rtx4090', 0.05, 'fixed'],
    ['follow market 90 % of median 0.37', { strategy: 'follow-market', followMarket: { percentOfMedian: 90 } }, 'rtx4090.24Gi.pcie', 0.333, 'market'],
    ['follow market clamped to ceiling', { strategy: 'follow-market', followMarket: { percentOfMedian: 200, ceilingUsdPerHour: 0.5 } }, 'rtx4090.24Gi.pcie', 0.5, 'market'],
    ['follow market per-rule ceiling wins', { strategy: 'follow-market', followMarket: { percentOfMedian: 200, ceilingUsdPerHour: 0.5 }, gpus: [{ key: 'rtx4090', usdPerHour: 0.3, ceilingUsdPerHour: 0.45 }] }, 'rtx4090', 0.45, 'market'],
    ['follow market clamped to floor', { strategy: 'follow-market', followMarket: { percentOfMedian: 10 } }, 'rtx4090.24Gi.pcie', floor, 'market'],
    ['follow market without data falls back to fixed', { strategy: 'follow-market', gpus: [{ key: 't4', usdPerHour: 0.15 }] }, 't4', 0.15, 'fixed'],
    ['no rule: the market median, not the default price', { defaultGpuUsdPerHour: 0.25 }, 'rtx4090.24Gi.pcie', 0.369999, 'market'],
  ] as const)('%s', (_n, over, key, expected, source) => {
    const r = one(s(over));
    expect(price(r, key)?.usdPerHour).toBeCloseTo(expected, 6);
    expect(price(r, key)?.source).toBe(source);
  });

  it.each([
    ['below-median', 0.289999, 'likely'],
    ['median', 0.369999, 'likely'],
    ['above-median', 0.554999, 'unlikely'],
  ] as const)('market position %s: between the cheapest bid (0.21), the median (0.37) and the dearest (0.74)', (position, expected, verdict) => {
    const g = price(one(s({ marketPosition: position })), 'rtx4090.24Gi.pcie')!;
    expect(g.usdPerHour).toBe(expected);
    expect(g.win.verdict).toBe(verdict);
  });

  it('a price of your own above every bid is unlikely to win, and says so', () => {
    const g = price(one(s({ gpus: [{ key: 'rtx4090.24Gi.pcie', usdPerHour: 0.8 }] })), 'rtx4090.24Gi.pcie')!;
    expect(g.win).toMatchObject({ verdict: 'unlikely', reason: "$0.8/h is above every provider's bid for RTX 4090 24Gi (the dearest asks $0.74/h)." });
  });

  it('no rule and no market data for the model: the default price, and it says it cannot tell', () => {
    const t4: LocalGpu = { name: 'Tesla T4', akash: { model: 't4', ram: '16Gi', interface: 'pcie' }, powerDrawW: 10, powerLimitW: 70, powerMaxLimitW: 70 };
    const r = one(s({ defaultGpuUsdPerHour: 0.25 }), [t4]);
    expect(price(r, 't4.16Gi.pcie')).toMatchObject({ usdPerHour: 0.25, source: 'default', win: { verdict: 'unknown', reason: "No market data for T4 16Gi: we can't tell if this price wins." } });
  });

  it('floors keys that match no local GPU at the dearest local floor (any order rents one of ours)', () => {
    const r = one(s({ gpus: [{ key: 'h100', usdPerHour: 0.01 }] }));
    expect(price(r, 'h100')?.usdPerHour).toBeCloseTo(floor, 6);
    expect(price(r, 'h100')?.local).toBe(false);
  });

  it('electricity in another currency is converted with the user rate', () => {
    const r = one(s({ power: { pricePerKwh: 0.3, currency: 'EUR', usdPerCurrencyUnit: 1.1 }, gpus: [{ key: 'rtx4090', usdPerHour: 0 }] }));
    expect(price(r, 'rtx4090')?.usdPerHour).toBeCloseTo(0.3 * 1.1 * 0.53, 6);
  });

  it.each([
    ['1000× the market is refused', 370, 'refuse'],
    ['100× the market is refused', 37, 'refuse'],
    ['5× the market is a warning', 1.85, 'warn'],
    ['at the market nothing is said', 0.37, null],
  ] as const)('%s', (_n, usd, severity) => {
    const r = one(s({ gpus: [{ key: 'rtx4090.24Gi.pcie', usdPerHour: usd }] }));
    const issue = r.issues.find((i) => i.key === 'rtx4090.24Gi.pcie' && (i.severity === 'warn' || i.severity === 'refuse'));
    expect(issue?.severity ?? null).toBe(severity);
  });

  it('warns when below-floor pricing is allowed: each rented hour loses money', () => {
    const r = one(s({ allowBelowFloor: true, gpus: [{ key: 'rtx4090', usdPerHour: 0.01 }] }));
    expect(r.issues.some((i) => i.severity === 'warn' && /loses money/.test(i.message))).toBe(true);
  });

  it('warns when a GPU reports no power at all', () => {
    const r = one(s({}), [{ ...rtx4090, powerLimitW: null, powerMaxLimitW: null, powerDrawW: null }]);
    expect(r.issues.some((i) => /power draw of RTX 4090 is unknown/.test(i.message))).toBe(true);
  });

  it.each([
    ['highest', 0.9],
    ['default', 0.2],
    ['no-bid', null],
  ] as const)('unknown models with %s policy', (policy, expected) => {
    const r = one(s({ unknownGpu: policy, defaultGpuUsdPerHour: 0.2, gpus: [{ key: 'rtx4090', usdPerHour: 0.9 }] }));
    expect(r.gpuDefaultUsdPerHour).toBe(expected);
  });

  it('uses the market AKT price, else the manual one', () => {
    expect(one(s({ aktUsdOverride: 2 })).aktUsd).toBe(1.5);
    expect(one(s({ aktUsdOverride: 2 }), [rtx4090], null).aktUsd).toBe(2);
    expect(one(s({}), [rtx4090], null).aktUsd).toBeNull();
  });
});

describe('earnings estimate', () => {
  it('gross, power and net at a utilization, and the effect of a proposed change', () => {
    const cur = s({ gpus: [{ key: 'rtx4090', usdPerHour: 0.4 }] });
    const e = earnings(cur, market, [rtx4090, rtx4090], 50);
    expect(e.lines).toHaveLength(1);
    expect(e.grossUsdPerMonth).toBeCloseTo(0.4 * 730.488 * 0.5 * 2, 6);
    expect(e.powerUsdPerMonth).toBeCloseTo(0.0795 * 730.488 * 0.5 * 2, 6);
    expect(e.netUsdPerMonth).toBeCloseTo(e.grossUsdPerMonth - e.powerUsdPerMonth, 9);
    const est = estimate(cur, s({ gpus: [{ key: 'rtx4090', usdPerHour: 0.5 }] }), market, [rtx4090], 100);
    expect(est.deltaNetUsdPerMonth).toBeCloseTo(0.1 * 730.488, 6);
  });

  it.each([
    [0, 0],
    [-10, 0],
    [Number.NaN, 0],
    [250, 100],
  ])('utilization %s is treated as %s %%', (u, treated) => {
    expect(earnings(s({}), market, [rtx4090], u).utilizationPct).toBe(treated);
  });

  it('says so when there is no GPU to estimate', () => {
    expect(estimate(s({}), null, market, [], 50).note).toMatch(/No GPU/);
  });
});
