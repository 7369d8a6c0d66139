import { BidOrder } from '../../api/schemas/pricing.js';
import { formatZodError } from '../../api/errors.js';
import type { RefusalCode } from '../../api/schemas/order-log.js';
import { AKT_DENOM, BLOCKS_PER_MONTH, DEFAULT_PRECISION, GIB, HOURS_PER_MONTH_MILLI, PRICE_DIGITS } from './constants.js';
import { ceilDiv, formatScaled, parseDecimal, pow10 } from './exact.js';
import { gpuKeyCandidates } from './gpu-key.js';
import type { ScriptConfig } from './price-table.js';

export type ExactQuote =
  | { bid: true; price: string; precision: number; q: bigint }
  | { bid: false; code: RefusalCode; reason: string; price: string | null; precision: number };

const THOUSAND = 1000n;

/**
 * The per-block price for an order from the script's integer table: exactly what the generated
 * script prints (see bid-script.ts; the agreement test runs both). Sum S is kept in units of
 * pico-USD/hour × 1000 × 2^30 so CPU (millicpu) and bytes need no division until the very end:
 *   µUSD/block = S × 730488 / (2^30 × 10^12 × 429909)
 *   uakt/block = that × 10^9 / (AKT price in nano-USD)
 * rounded UP at the order's precision: a bid never undercuts the configured price.
 */
export function exactQuote(input: unknown, cfg: ScriptConfig, nowSeconds: number): ExactQuote {
  if (cfg.paused) return { bid: false, code: 'paused', reason: cfg.pausedReason || 'paused: no new bids', price: null, precision: DEFAULT_PRECISION };
  const parsed = BidOrder.safeParse(input);
  if (!parsed.success) return { bid: false, code: 'order_not_understood', reason: `order not understood: ${formatZodError(parsed.error)}`, price: null, precision: DEFAULT_PRECISION };
  const order = parsed.data;
  const p = order.price_precision ?? DEFAULT_PRECISION;
  const denom = order.price.denom;
  const usd = cfg.usdDenoms.includes(denom);
  if (!usd && denom !== AKT_DENOM) return { bid: false, code: 'denom_not_supported', reason: `denom not supported: ${denom}`, price: null, precision: p };
  if (!usd) {
    if (cfg.aktUsdNano === null) return { bid: false, code: 'no_akt_rate', reason: 'no AKT price known: no uakt bids', price: null, precision: p };
    if (nowSeconds - cfg.rateAt > cfg.rateMaxAgeS) return { bid: false, code: 'stale_akt_rate', reason: 'AKT price is too old: no uakt bids until RigLease refreshes it', price: null, precision: p };
  }

  let s = 0n;
  for (const r of order.resources) {
    const count = BigInt(r.count);
    let term = BigInt(r.cpu) * BigInt(cfg.cpu) * GIB + BigInt(r.memory) * BigInt(cfg.memory) * THOUSAND;
    for (const vol of r.storage ?? []) {
      const cls = vol.class ?? 'ephemeral';
      const price = Object.hasOwn(cfg.storage, cls) ? cfg.storage[cls]! : cfg.storageOther;
      term += BigInt(vol.size) * BigInt(price) * THOUSAND;
    }
    term += BigInt(r.endpoint_quantity ?? 0) * BigInt(cfg.endpoint) * THOUSAND * GIB;
    term += BigInt(r.ip_lease_quantity ?? 0) * BigInt(cfg.ip) * THOUSAND * GIB;
    const units = BigInt(r.gpu?.units ?? 0);
    if (units > 0n) {
      const price = gpuPrice(r.gpu?.attributes?.vendor ?? null, cfg);
      if (price === null) return { bid: false, code: 'gpu_not_priced', reason: 'GPU model not priced: no bid', price: null, precision: p };
      term += units * BigInt(price) * THOUSAND * GIB;
    }
    s += count * term;
  }
  if (s === 0n) return { bid: false, code: 'nothing_to_price', reason: 'nothing to price: the order asks for no resources', price: null, precision: p };

  let num = s * HOURS_PER_MONTH_MILLI * pow10(p);
  let den = GIB * pow10(PRICE_DIGITS) * BLOCKS_PER_MONTH;
  if (!usd) {
    num *= pow10(9);
    den *= BigInt(cfg.aktUsdNano!);
  }
  const q = ceilDiv(num, den);
  const price = formatScaled(q, p);
  const max = parseDecimal(order.price.amount, 18);
  if (q * pow10(18 - p) > max) {
    return { bid: false, code: 'price_too_low', reason: `requested rate is too low: the order pays at most ${order.price.amount}${denom} per block, RigLease asks ${price}${denom}`, price, precision: p };
  }
  return { bid: true, price, precision: p, q };
}

type Vendors = Record<string, { model: string; ram?: string | null | undefined; interface?: string | null | undefined }> | null;

function gpuPrice(vendor: Vendors, cfg: ScriptConfig): string | null {
  const nv = vendor && Object.hasOwn(vendor, 'nvidia') ? vendor['nvidia'] : undefined;
  if (nv) {
    for (const key of gpuKeyCandidates(nv.model, nv.ram, nv.interface)) {
      if (Object.hasOwn(cfg.gpu, key)) return cfg.gpu[key]!;
    }
  }
  return cfg.gpuDefault;
}
