import { z } from 'zod';
import { RefusalCode } from './order-log.js';
import { PricingSettings } from './settings/pricing.js';

/** Largest integer a JSON number carries exactly (both JS and jq read numbers as doubles). */
const MAX_EXACT = 9_007_199_254_740_991;
const uint = z.number().int().min(0).max(MAX_EXACT);
const optionalAttr = z.string().nullish();

/**
 * The JSON the provider's bid engine writes to the price script's stdin (AKASH.md §6,
 * provider bidengine/shellscript.go). Unknown fields are dropped, not refused, so a newer
 * provider that adds one does not stop bidding.
 */
export const BidOrderResource = z.object({
  cpu: uint,
  memory: uint,
  gpu: z
    .object({
      units: uint,
      attributes: z
        .object({
          vendor: z
            .record(z.string(), z.object({ model: z.string().min(1), ram: optionalAttr, interface: optionalAttr }))
            .nullish(),
        })
        .nullish(),
    })
    .nullish(),
  storage: z.array(z.object({ class: z.string().min(1).nullish(), size: uint })).nullish(),
  count: uint,
  endpoint_quantity: uint.nullish(),
  ip_lease_quantity: uint.nullish(),
});
export type BidOrderResource = z.infer<typeof BidOrderResource>;

/** A decimal amount as the chain writes it (LegacyDec: up to 18 decimals). */
export const DecAmount = z.string().regex(/^[0-9]{1,30}(\.[0-9]{1,18})?$/, 'an amount is a plain decimal such as 12.5');

export const BidOrder = z.object({
  resources: z.array(BidOrderResource).max(1000),
  price: z.object({ denom: z.string().min(1).max(128), amount: DecAmount }),
  price_precision: z.number().int().min(0).max(18).nullish(),
});
export type BidOrder = z.infer<typeof BidOrder>;

/** Akash Console API `GET /v1/gpu-prices` (console apps/api gpu.schema.ts), prices in USD per GPU-hour. */
const Avail = z.object({ total: z.number(), available: z.number() });
export const GpuPricesResponse = z.object({
  availability: Avail,
  models: z.array(
    z.object({
      vendor: z.string(),
      model: z.string(),
      ram: z.string(),
      interface: z.string(),
      availability: Avail,
      providerAvailability: Avail,
      price: z
        .object({ currency: z.string(), min: z.number(), max: z.number(), avg: z.number(), weightedAverage: z.number(), med: z.number() })
        .nullable(),
    }),
  ),
});
export type GpuPricesResponse = z.infer<typeof GpuPricesResponse>;

/** What RigLease keeps of the market: the GPU prices, the AKT price, and when each was fetched. */
export const MarketSnapshot = z.object({
  source: z.string(),
  fetchedAt: z.string(),
  gpuPrices: GpuPricesResponse,
  aktUsd: z.number().positive().nullable(),
  aktFetchedAt: z.string().nullable(),
});
export type MarketSnapshot = z.infer<typeof MarketSnapshot>;

export const MarketView = z.object({
  snapshot: MarketSnapshot.nullable(),
  ageSeconds: z.number().nullable(),
  /** True when the last refresh failed and the snapshot (if any) is older data. */
  offline: z.boolean(),
  error: z.string().nullable(),
});
export type MarketView = z.infer<typeof MarketView>;

export const PriceIssue = z.object({
  severity: z.enum(['info', 'warn', 'refuse']),
  key: z.string(),
  message: z.string(),
});
export type PriceIssue = z.infer<typeof PriceIssue>;

/** Whether a price is likely to win orders for its model, judged from the market's bids. */
export const WinChance = z.object({
  verdict: z.enum(['likely', 'unlikely', 'unknown']),
  /** "Likely to win", "Unlikely to win", "Can't tell". */
  label: z.string(),
  /** Why, in words, with the market figures it used. */
  reason: z.string(),
  /** The market for this model (USD per GPU-hour), or null without (fresh) data. */
  band: z.object({ min: z.number(), med: z.number(), max: z.number() }).nullable(),
});
export type WinChance = z.infer<typeof WinChance>;

export const ResolvedGpuPrice = z.object({
  key: z.string(),
  usdPerHour: z.number(),
  /** Before the floor: the fixed price or the market-following one. */
  baseUsdPerHour: z.number(),
  source: z.enum(['fixed', 'market', 'default']),
  floorUsdPerHour: z.number().nullable(),
  powerUsdPerHour: z.number().nullable(),
  marketMedianUsdPerHour: z.number().nullable(),
  /** True when one of this machine's GPUs is this model. */
  local: z.boolean(),
  win: WinChance,
});
export type ResolvedGpuPrice = z.infer<typeof ResolvedGpuPrice>;

/** The prices the bid script uses, all USD per unit-hour. */
export const ResolvedPrices = z.object({
  cpuThreadHour: z.number(),
  memoryGbHour: z.number(),
  storageGbHour: z.record(z.string(), z.number()),
  storageOtherGbHour: z.number(),
  endpointHour: z.number(),
  ipHour: z.number(),
  gpus: z.array(ResolvedGpuPrice),
  gpuDefaultUsdPerHour: z.number().nullable(),
  aktUsd: z.number().nullable(),
  issues: z.array(PriceIssue),
});
export type ResolvedPrices = z.infer<typeof ResolvedPrices>;

export const QuoteLine = z.object({
  item: z.string(),
  quantity: z.number(),
  unit: z.string(),
  usdPerUnitHour: z.number(),
  usdPerHour: z.number(),
});

export const Quote = z.object({
  bid: z.boolean(),
  /** Why not, in words a person understands; null when bidding. */
  reason: z.string().nullable(),
  /** The same refusal as a code (the bid script logs it with each order); null when bidding. */
  code: RefusalCode.nullable(),
  denom: z.string(),
  /** Per-block price in the order's denom exactly as the script prints it; null when it cannot be computed. */
  price: z.string().nullable(),
  maxPrice: z.string(),
  precision: z.number().int(),
  lines: z.array(QuoteLine),
  grossUsdPerHour: z.number(),
  powerUsdPerHour: z.number(),
  netUsdPerHour: z.number(),
  grossUsdPerMonth: z.number(),
  netUsdPerMonth: z.number(),
  steps: z.array(z.string()),
});
export type Quote = z.infer<typeof Quote>;

export const EarningsLine = z.object({
  key: z.string(),
  gpus: z.number().int(),
  usdPerHour: z.number(),
  grossUsdPerMonth: z.number(),
  powerUsdPerMonth: z.number(),
  netUsdPerMonth: z.number(),
});
export const Earnings = z.object({
  utilizationPct: z.number(),
  lines: z.array(EarningsLine),
  grossUsdPerMonth: z.number(),
  powerUsdPerMonth: z.number(),
  netUsdPerMonth: z.number(),
});
export type Earnings = z.infer<typeof Earnings>;

export const PricingEstimate = z.object({
  current: Earnings,
  proposed: Earnings.nullable(),
  /** proposed − current, per month; null without a proposal. */
  deltaNetUsdPerMonth: z.number().nullable(),
  proposedIssues: z.array(PriceIssue),
  note: z.string(),
});
export type PricingEstimate = z.infer<typeof PricingEstimate>;

/** How the price table reached the provider: RigLease writes it into the node; the script reads it per order. */
export const BidConfigDelivery = z.object({
  state: z.enum(['delivered', 'no-stack', 'failed', 'not-yet']),
  at: z.string().nullable(),
  message: z.string(),
});
export type BidConfigDelivery = z.infer<typeof BidConfigDelivery>;

export const PricingView = z.object({
  settings: PricingSettings,
  resolved: ResolvedPrices,
  market: MarketView,
  /** Where the bid script and its config were last written, and when. */
  bidScript: z.object({
    dir: z.string(),
    writtenAt: z.string().nullable(),
    paused: z.boolean(),
    pausedReason: z.string(),
    /** Whether the running provider has the table (on its /config volume), and since when. */
    provider: BidConfigDelivery,
  }),
});
export type PricingView = z.infer<typeof PricingView>;
