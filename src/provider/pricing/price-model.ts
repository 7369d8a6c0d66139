import type { MarketSnapshot, PriceIssue, ResolvedGpuPrice, ResolvedPrices } from '../../api/schemas/pricing.js';
import type { PricingSettings } from '../../api/schemas/settings/pricing.js';
import { gpuKeyCandidates, keyCovers } from './gpu-key.js';
import { marketBand } from './market-lookup.js';
import { gpuWatts, localGpuKey, powerCostUsdPerHour, type LocalGpu } from './power-floor.js';
import { gpuDisplayName, positionPrice, winChance, type MarketFreshness } from './win-chance.js';

/** Above this many times the market median a price is refused: it is a typo, not a strategy. */
export const ABSURD_MARKET_RATIO = 100;
/** Above this a price is allowed but the user is told tenants will rarely pick it. */
export const HIGH_MARKET_RATIO = 3;

interface Floor {
  floor: number | null;
  power: number | null;
}

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;

/**
 * Settings + market + this machine's GPUs → the prices the bid script will use. Pure. The floor
 * of a key is the power cost of the local GPU it would rent; a key that matches none of the
 * local GPUs takes the dearest local floor, because whatever the order names, it gets one of ours.
 * A model without a price of its own asks the market position the user picked (the median by
 * default), never more, unless the floor is above it, which an issue then says.
 * `freshness` (the Pricing view passes it) lets the win verdict say when the data is too old.
 */
export function resolvePrices(settings: PricingSettings, market: Pick<MarketSnapshot, 'gpuPrices' | 'aktUsd'> | null, local: LocalGpu[], freshness?: MarketFreshness): ResolvedPrices {
  const issues: PriceIssue[] = [];
  const power = settings.power;
  const localFloors = local.map((gpu) => {
    const watts = gpuWatts(gpu, power);
    if (watts === null) {
      issues.push({ severity: 'warn', key: gpu.name, message: `The power draw of ${gpu.name} is unknown, so its floor counts only the rig's ${power.rigShareWatts} W. Set the GPU watts in Pricing → Power.` });
    }
    const cost = powerCostUsdPerHour(watts ?? 0, power);
    return { gpu, key: localGpuKey(gpu), floor: cost };
  });
  const maxFloor = localFloors.reduce<number | null>((m, f) => (f.floor === null ? m : Math.max(m ?? 0, f.floor)), null);

  const floorFor = (key: string): Floor => {
    const matches = localFloors.filter((f) => f.gpu.akash && keyCovers(key, f.gpu.akash.model, f.gpu.akash.ram, f.gpu.akash.interface));
    const pool = matches.length > 0 ? matches : localFloors;
    const floor = pool.reduce<number | null>((m, f) => (f.floor === null ? m : Math.max(m ?? 0, f.floor)), null);
    return { floor, power: floor };
  };

  const rules = new Map(settings.gpus.map((r) => [r.key, r]));
  const keys = [...new Set([...settings.gpus.map((r) => r.key), ...localFloors.flatMap((f) => (f.key ? [f.key] : []))])];

  const gpus: ResolvedGpuPrice[] = keys.map((key) => {
    const { model, ram, iface } = partsOf(key);
    const rule = gpuKeyCandidates(model, ram, iface).map((k) => rules.get(k)).find((r) => r !== undefined);
    const band = marketBand(market?.gpuPrices ?? null, key);
    const median = band?.med ?? null;
    let base: number;
    let source: ResolvedGpuPrice['source'];
    if (settings.strategy === 'follow-market' && median !== null) {
      const ceiling = rule?.ceilingUsdPerHour ?? settings.followMarket.ceilingUsdPerHour ?? Infinity;
      base = Math.min((median * settings.followMarket.percentOfMedian) / 100, ceiling);
      source = 'market';
    } else {
      if (settings.strategy === 'follow-market') {
        issues.push({ severity: 'info', key, message: `No market price for ${key}; using the fixed price.` });
      }
      if (rule) {
        base = rule.usdPerHour;
        source = 'fixed';
      } else if (band !== null) {
        base = positionPrice(band, settings.marketPosition);
        source = 'market';
      } else {
        base = settings.defaultGpuUsdPerHour;
        source = 'default';
      }
    }
    base = round6(base);
    const { floor, power: powerCost } = floorFor(key);
    let price = base;
    if (floor !== null && base < floor) {
      if (settings.allowBelowFloor) {
        issues.push({ severity: 'warn', key, message: `${key} at $${base}/h is below its power cost of $${round6(floor)}/h: every rented hour loses money.` });
      } else {
        price = round6(Math.ceil(floor * 1e6) / 1e6);
        issues.push({ severity: 'info', key, message: `${key} raised from $${base}/h to the power floor $${price}/h.` });
      }
    }
    if (median !== null && floor !== null && floor > median && price >= floor) {
      issues.push({
        severity: 'warn',
        key,
        message: `This rig can't win ${gpuDisplayName(key)} orders at a price that covers its power: its electricity costs $${round6(floor)}/h and the market median is $${median}/h. It bids at $${price}/h, above the market.`,
      });
    }
    if (median !== null) {
      const ratio = price / median;
      if (ratio >= ABSURD_MARKET_RATIO) {
        issues.push({ severity: 'refuse', key, message: `${key} at $${price}/h is ${Math.round(ratio)}× the market median ($${median}/h). That looks like a typo.` });
      } else if (ratio > HIGH_MARKET_RATIO) {
        issues.push({ severity: 'warn', key, message: `${key} at $${price}/h is ${ratio.toFixed(1)}× the market median ($${median}/h): tenants will rarely pick it.` });
      }
    }
    return {
      key,
      usdPerHour: price,
      baseUsdPerHour: base,
      source,
      floorUsdPerHour: floor === null ? null : round6(floor),
      powerUsdPerHour: powerCost === null ? null : round6(powerCost),
      marketMedianUsdPerHour: median,
      local: localFloors.some((f) => f.key !== null && f.gpu.akash !== null && keyCovers(key, f.gpu.akash.model, f.gpu.akash.ram, f.gpu.akash.interface)),
      win: winChance(price, key, band, { floor, ...(freshness ? { freshness } : {}) }),
    };
  });

  const floorDefault = settings.allowBelowFloor || maxFloor === null ? settings.defaultGpuUsdPerHour : Math.max(settings.defaultGpuUsdPerHour, Math.ceil(maxFloor * 1e6) / 1e6);
  let gpuDefault: number | null;
  if (settings.unknownGpu === 'no-bid') gpuDefault = null;
  else if (settings.unknownGpu === 'default') gpuDefault = round6(floorDefault);
  else gpuDefault = round6(Math.max(floorDefault, ...gpus.map((g) => g.usdPerHour)));

  const r = settings.resources;
  const storage = { ...r.storageGbHour, ram: r.memoryGbHour };
  return {
    cpuThreadHour: r.cpuThreadHour,
    memoryGbHour: r.memoryGbHour,
    storageGbHour: storage,
    storageOtherGbHour: Math.max(...Object.values(storage)),
    endpointHour: r.endpointHour,
    ipHour: r.ipHour,
    gpus,
    gpuDefaultUsdPerHour: gpuDefault,
    aktUsd: market?.aktUsd ?? settings.aktUsdOverride ?? null,
    issues,
  };
}

function partsOf(key: string): { model: string; ram: string | null; iface: string | null } {
  const [model = key, a, b] = key.split('.');
  if (b !== undefined) return { model, ram: a ?? null, iface: b };
  if (a !== undefined && ['pcie', 'sxm', 'mig'].includes(a)) return { model, ram: null, iface: a };
  return { model, ram: a ?? null, iface: null };
}
