import { BidOrder, type MarketSnapshot, type Quote, type ResolvedPrices } from '../../api/schemas/pricing.js';
import type { PricingSettings } from '../../api/schemas/settings/pricing.js';
import { AKT_DENOM, BLOCKS_PER_MONTH, DEFAULT_PRECISION, HOURS_PER_MONTH, USD_DENOMS } from './constants.js';
import { exactQuote } from './exact-quote.js';
import { gpuKeyCandidates } from './gpu-key.js';
import type { LocalGpu } from './power-floor.js';
import { resolvePrices } from './price-model.js';
import { scriptConfig } from './price-table.js';

export interface QuoteContext {
  local: LocalGpu[];
  paused: boolean;
  pausedReason?: string;
  now: Date;
  /** When the AKT price was taken (ms); defaults to `now`. */
  rateAtMs?: number;
}

const GIB = 1024 ** 3;
const usd = (n: number) => `$${n < 0.01 ? n.toPrecision(4) : n.toFixed(4)}`;

/**
 * The price RigLease would bid for an order, in the order's denom, with the arithmetic spelled
 * out. `price` comes from the exact integer path the bid script also follows; the lines and
 * steps are the same sum in readable dollars.
 */
export function quote(order: unknown, settings: PricingSettings, market: Pick<MarketSnapshot, 'gpuPrices'> | null, aktUsd: number | null, ctx: QuoteContext): Quote {
  const resolved = resolvePrices(settings, market ? { gpuPrices: market.gpuPrices, aktUsd } : { gpuPrices: { availability: { total: 0, available: 0 }, models: [] }, aktUsd }, ctx.local);
  const cfg = scriptConfig(resolved, {
    paused: ctx.paused,
    ...(ctx.pausedReason !== undefined ? { pausedReason: ctx.pausedReason } : {}),
    rateAtMs: ctx.rateAtMs ?? ctx.now.getTime(),
    rateMaxAgeHours: settings.aktRateMaxAgeHours,
    now: ctx.now,
  });
  const exact = exactQuote(order, cfg, Math.floor(ctx.now.getTime() / 1000));
  const parsed = BidOrder.safeParse(order);
  const denom = parsed.success ? parsed.data.price.denom : '?';
  const maxPrice = parsed.success ? parsed.data.price.amount : '?';
  const { lines, powerUsdPerHour } = parsed.success ? describe(parsed.data, resolved) : { lines: [], powerUsdPerHour: 0 };
  const gross = lines.reduce((sum, l) => sum + l.usdPerHour, 0);
  const steps = lines.map((l) => `${l.item}: ${l.quantity} ${l.unit} × ${usd(l.usdPerUnitHour)}/h = ${usd(l.usdPerHour)}/h`);
  if (lines.length > 0) {
    const perBlockUsd = (gross * HOURS_PER_MONTH) / Number(BLOCKS_PER_MONTH);
    steps.push(`Total ${usd(gross)}/h × ${HOURS_PER_MONTH} h/month = ${usd(gross * HOURS_PER_MONTH)}/month`);
    steps.push(`÷ ${BLOCKS_PER_MONTH} blocks/month = $${perBlockUsd.toPrecision(8)} per block`);
    if (denom === AKT_DENOM && resolved.aktUsd) {
      steps.push(`÷ $${resolved.aktUsd}/AKT × 1,000,000 = ${((perBlockUsd / resolved.aktUsd) * 1e6).toPrecision(10)} uakt per block`);
    } else if (USD_DENOMS.includes(denom)) {
      steps.push(`× 1,000,000 (1 ${denom === 'uact' ? 'ACT' : 'USDC'} = $1) = ${(perBlockUsd * 1e6).toPrecision(10)} ${denom} per block`);
    }
    if (exact.price !== null) steps.push(`Rounded up to ${exact.precision} decimals: ${exact.price} ${denom} per block (the order allows at most ${maxPrice})`);
    if (powerUsdPerHour > 0) steps.push(`Electricity for the GPUs: ${usd(powerUsdPerHour)}/h → net ${usd(gross - powerUsdPerHour)}/h`);
  }
  return {
    bid: exact.bid,
    reason: exact.bid ? null : exact.reason,
    code: exact.bid ? null : exact.code,
    denom,
    price: exact.price,
    maxPrice,
    precision: exact.precision ?? DEFAULT_PRECISION,
    lines,
    grossUsdPerHour: gross,
    powerUsdPerHour,
    netUsdPerHour: gross - powerUsdPerHour,
    grossUsdPerMonth: gross * HOURS_PER_MONTH,
    netUsdPerMonth: (gross - powerUsdPerHour) * HOURS_PER_MONTH,
    steps,
  };
}

function describe(order: BidOrder, r: ResolvedPrices): { lines: Quote['lines']; powerUsdPerHour: number } {
  const lines: Quote['lines'] = [];
  let power = 0;
  const maxPower = Math.max(0, ...r.gpus.map((g) => g.powerUsdPerHour ?? 0));
  const add = (item: string, quantity: number, unit: string, price: number) => {
    if (quantity > 0) lines.push({ item, quantity, unit, usdPerUnitHour: price, usdPerHour: quantity * price });
  };
  order.resources.forEach((res, i) => {
    const tag = order.resources.length > 1 ? ` #${i + 1}` : '';
    const n = res.count;
    add(`CPU${tag}`, (res.cpu / 1000) * n, 'threads', r.cpuThreadHour);
    add(`Memory${tag}`, (res.memory / GIB) * n, 'GiB', r.memoryGbHour);
    for (const vol of res.storage ?? []) {
      const cls = vol.class ?? 'ephemeral';
      add(`Storage ${cls}${tag}`, (vol.size / GIB) * n, 'GiB', r.storageGbHour[cls] ?? r.storageOtherGbHour);
    }
    add(`Endpoints${tag}`, (res.endpoint_quantity ?? 0) * n, 'endpoints', r.endpointHour);
    add(`IP leases${tag}`, (res.ip_lease_quantity ?? 0) * n, 'IPs', r.ipHour);
    const units = (res.gpu?.units ?? 0) * n;
    if (units > 0) {
      const nv = res.gpu?.attributes?.vendor?.['nvidia'];
      const keys = nv ? gpuKeyCandidates(nv.model, nv.ram, nv.interface) : [];
      const hit = keys.map((k) => r.gpus.find((g) => g.key === k)).find((g) => g !== undefined);
      const price = hit?.usdPerHour ?? r.gpuDefaultUsdPerHour ?? 0;
      add(`GPU ${hit?.key ?? nv?.model ?? 'any model'}${tag}`, units, 'GPUs', price);
      power += units * (hit?.powerUsdPerHour ?? maxPower);
    }
  });
  return { lines, powerUsdPerHour: power };
}
