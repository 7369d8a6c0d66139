import type { Earnings, MarketSnapshot, PricingEstimate } from '../../api/schemas/pricing.js';
import type { PricingSettings } from '../../api/schemas/settings/pricing.js';
import { HOURS_PER_MONTH } from './constants.js';
import { localGpuKey, type LocalGpu } from './power-floor.js';
import { resolvePrices } from './price-model.js';

/**
 * Monthly earnings of this machine's GPUs at a utilization: GPU price × rented hours, minus the
 * electricity of those hours. CPU, memory and storage a tenant also pays for are left out, so
 * the figure errs low; idle power is not charged because the rig would draw it anyway.
 */
export function earnings(settings: PricingSettings, market: Pick<MarketSnapshot, 'gpuPrices' | 'aktUsd'> | null, local: LocalGpu[], utilizationPct: number): Earnings {
  const u = Number.isFinite(utilizationPct) ? Math.min(100, Math.max(0, utilizationPct)) / 100 : 0;
  const resolved = resolvePrices(settings, market, local);
  const groups = new Map<string, number>();
  for (const gpu of local) {
    const key = localGpuKey(gpu) ?? gpu.name;
    groups.set(key, (groups.get(key) ?? 0) + 1);
  }
  const lines = [...groups].map(([key, gpus]) => {
    const hit = resolved.gpus.find((g) => g.key === key);
    const price = hit?.usdPerHour ?? resolved.gpuDefaultUsdPerHour ?? 0;
    const hours = HOURS_PER_MONTH * u * gpus;
    const gross = price * hours;
    const power = (hit?.powerUsdPerHour ?? 0) * hours;
    return { key, gpus, usdPerHour: price, grossUsdPerMonth: gross, powerUsdPerMonth: power, netUsdPerMonth: gross - power };
  });
  const sum = (f: (l: (typeof lines)[number]) => number) => lines.reduce((s, l) => s + f(l), 0);
  return {
    utilizationPct: u * 100,
    lines,
    grossUsdPerMonth: sum((l) => l.grossUsdPerMonth),
    powerUsdPerMonth: sum((l) => l.powerUsdPerMonth),
    netUsdPerMonth: sum((l) => l.netUsdPerMonth),
  };
}

/** The current estimate and, for a proposed settings change, what it would become: shown before applying. */
export function estimate(current: PricingSettings, proposed: PricingSettings | null, market: Pick<MarketSnapshot, 'gpuPrices' | 'aktUsd'> | null, local: LocalGpu[], utilizationPct: number): PricingEstimate {
  const now = earnings(current, market, local, utilizationPct);
  const next = proposed ? earnings(proposed, market, local, utilizationPct) : null;
  return {
    current: now,
    proposed: next,
    deltaNetUsdPerMonth: next ? next.netUsdPerMonth - now.netUsdPerMonth : null,
    proposedIssues: proposed ? resolvePrices(proposed, market, local).issues : [],
    note:
      local.length === 0
        ? 'No GPU found in the last hardware scan, so there is nothing to estimate yet.'
        : 'GPU rent only (CPU, memory and storage pay extra); electricity counted for rented hours only.',
  };
}
