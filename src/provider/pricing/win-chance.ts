import type { WinChance } from '../../api/schemas/pricing.js';
import type { MarketPosition } from '../../api/schemas/settings/pricing.js';
import type { MarketBand } from './market-lookup.js';
import { splitGpuKey } from './gpu-key.js';

/**
 * Market data older than this says nothing about today's bids. The same limit as the AKT price
 * the bid script accepts (settings `aktRateMaxAgeHours` default), so both go stale together.
 */
export const MARKET_MAX_AGE_HOURS = 48;

/** How fresh the snapshot behind a band is; absent = the caller vouches for it (a quote, the script). */
export interface MarketFreshness {
  /** False when no snapshot was ever fetched (market unreachable since install). */
  present: boolean;
  ageSeconds: number | null;
}

const BRANDS = new Set(['rtx', 'gtx', 'gpu', 'tesla', 'quadro', 'titan']);

/** `rtx3060.12Gi.pcie` → "RTX 3060", `a100.80Gi` → "A100 80Gi", the way people write them. */
export function gpuDisplayName(key: string): string {
  const { model, rest } = splitGpuKey(key);
  const m = /^([a-z]+)(\d.*)$/i.exec(model);
  const name = m && BRANDS.has(m[1]!.toLowerCase()) ? `${m[1]!.toUpperCase()} ${m[2]!.toUpperCase()}` : model.toUpperCase();
  const ram = rest.find((p) => /^\d+(Gi|G|Mi)?$/i.test(p));
  return ram ? `${name} ${ram}` : name;
}

const usd = (n: number) => `$${(Math.round(n * 1000) / 1000).toString()}/h`;

/**
 * The price a model without a rule asks at a market position (USD per GPU-hour, before the floor).
 * One micro-dollar under the market figure: the bid script rounds its per-block price up (to the
 * order's precision, 6 decimals by default), which would put a price equal to the median a
 * fraction above an order that offers exactly the median, and lose it.
 */
export function positionPrice(band: MarketBand, position: MarketPosition): number {
  const target = position === 'below-median' ? (band.min + band.med) / 2 : position === 'above-median' ? (band.med + band.max) / 2 : band.med;
  return Math.max(0, Math.floor(Math.round(target * 1e7) / 10) - 1) / 1e6;
}

/**
 * Likely to win when the price is at or below the market median: Console's median is over one
 * best (cheapest) bid per provider, so such a price undercuts at least half of the providers that
 * bid on this model. Above it, more than half ask less; above the dearest, all of them do.
 * Without a (fresh) band it says it cannot tell rather than guess.
 */
export function winChance(price: number, key: string, band: MarketBand | null, opts: { floor: number | null; freshness?: MarketFreshness }): WinChance {
  const name = gpuDisplayName(key);
  const f = opts.freshness;
  if (f && !f.present) {
    return unknown(`No market data yet (the Akash market has not been reached): we can't tell if ${usd(price)} wins orders for ${name}.`);
  }
  if (f && f.ageSeconds !== null && f.ageSeconds > MARKET_MAX_AGE_HOURS * 3600) {
    return unknown(`The market data is ${Math.round(f.ageSeconds / 86_400)} days old: we can't tell if ${usd(price)} wins orders for ${name}. Refresh the market.`);
  }
  if (band === null) return unknown(`No market data for ${name}: we can't tell if this price wins.`);
  const shown = { min: band.min, med: band.med, max: band.max };
  if (opts.floor !== null && opts.floor > band.med && price >= opts.floor) {
    return {
      verdict: 'unlikely',
      label: 'Unlikely to win',
      reason: `This rig can't win ${name} orders at a price that covers its power: electricity costs ${usd(opts.floor)}, and half of the providers ask ${usd(band.med)} or less.`,
      band: shown,
    };
  }
  if (price <= band.med) {
    const where = price <= band.min ? `at or below the cheapest provider's bid (${usd(band.min)})` : `at or below the market median (${usd(band.med)})`;
    return { verdict: 'likely', label: 'Likely to win', reason: `${usd(price)} is ${where}: cheaper than at least half of the providers bidding on ${name}.`, band: shown };
  }
  const why = price > band.max ? `above every provider's bid for ${name} (the dearest asks ${usd(band.max)})` : `above the market median (${usd(band.med)}): more than half of the providers bidding on ${name} ask less`;
  return { verdict: 'unlikely', label: 'Unlikely to win', reason: `${usd(price)} is ${why}.`, band: shown };
}

function unknown(reason: string): WinChance {
  return { verdict: 'unknown', label: "Can't tell", reason, band: null };
}
