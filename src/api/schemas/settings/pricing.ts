import { z } from 'zod';

/**
 * A price in USD per unit-hour. zod 4 refuses NaN and ±Infinity for z.number(); the upper bounds
 * catch typos (a misplaced decimal point) before they reach the bid engine.
 */
const usd = (max: number) => z.number().min(0).max(max);

/** `model`, `model.ram`, `model.interface` or `model.ram.interface`, as the official price script keys them. */
export const GpuPriceKey = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_+-]*(\.[A-Za-z0-9_+-]+){0,2}$/, 'a GPU key is model[.ram][.interface], e.g. rtx4090 or rtx4090.24Gi.pcie');

export const GpuPriceRule = z
  .object({
    key: GpuPriceKey,
    /** The fixed price, and the fallback when following the market and the market has no data. */
    usdPerHour: usd(1000),
    /** Follow-market never goes above this; null = the global ceiling. */
    ceilingUsdPerHour: usd(1000).nullable().default(null),
  })
  .strict();
export type GpuPriceRule = z.infer<typeof GpuPriceRule>;

// Defaults are the official price script's USD/month targets divided by 730.488 h/month.
export const ResourcePrices = z
  .object({
    cpuThreadHour: usd(10).default(0.0022),
    memoryGbHour: usd(10).default(0.0011),
    storageGbHour: z
      .object({
        ephemeral: usd(1).default(0.000027),
        beta1: usd(1).default(0.000014),
        beta2: usd(1).default(0.000041),
        beta3: usd(1).default(0.000055),
      })
      .strict()
      .prefault({}),
    endpointHour: usd(10).default(0.000068),
    ipHour: usd(100).default(0.0068),
  })
  .strict();

export const PowerSettings = z
  .object({
    /** Electricity price per kWh in the user's own currency. */
    pricePerKwh: z.number().min(0).max(100).default(0.15),
    currency: z.string().regex(/^[A-Z]{3}$/).default('USD'),
    /** How many USD one unit of that currency is worth (1 for USD); the user sets it, nothing is fetched. */
    usdPerCurrencyUnit: z.number().positive().max(10_000).default(1),
    /** Watts of the rest of the rig (CPU, board, fans, PSU loss) charged to each rented GPU. */
    rigShareWatts: z.number().min(0).max(5000).default(80),
    /** `limit`: the board power limit (safe: a tenant can run it flat out); `measured`: the last draw reading. */
    gpuWattsSource: z.enum(['limit', 'measured']).default('limit'),
    /** Overrides whatever nvidia-smi says, for every GPU. */
    gpuWattsOverride: z.number().positive().max(5000).nullable().default(null),
  })
  .strict();

/**
 * Where a GPU model without a price of its own sits in the market: the median of the providers'
 * cheapest recent bids, halfway between it and the cheapest, or halfway between it and the dearest.
 */
export const MarketPosition = z.enum(['below-median', 'median', 'above-median']);
export type MarketPosition = z.infer<typeof MarketPosition>;

export const PricingSettings = z
  .object({
    strategy: z.enum(['fixed', 'follow-market']).default('fixed'),
    resources: ResourcePrices.prefault({}),
    gpus: z.array(GpuPriceRule).max(200).default([]),
    /** Price for a GPU model no rule names (fixed strategy, or no market data). */
    defaultGpuUsdPerHour: usd(1000).default(0.3),
    /** The price of a model without a rule, when the market knows it (the floor still guards it). */
    marketPosition: MarketPosition.default('median'),
    /** Orders for a model no rule names: bid the highest GPU price (as the official script), the default, or not at all. */
    unknownGpu: z.enum(['highest', 'default', 'no-bid']).default('highest'),
    followMarket: z
      .object({
        percentOfMedian: z.number().min(1).max(1000).default(95),
        ceilingUsdPerHour: usd(1000).nullable().default(null),
      })
      .strict()
      .prefault({}),
    power: PowerSettings.prefault({}),
    /** Only when set may a GPU-hour be bid below what its electricity costs. */
    allowBelowFloor: z.boolean().default(false),
    /** Utilization the earnings estimate assumes. */
    utilizationPct: z.number().min(0).max(100).default(50),
    /** Console API base URL; the env RIGLEASE_MARKET_URL wins. */
    marketUrl: z.url().nullable().default(null),
    /** A manual AKT price in USD, used when no market price is known. */
    aktUsdOverride: z.number().positive().max(1_000_000).nullable().default(null),
    /** uakt bids stop when the AKT price RigLease last wrote is older than this. */
    aktRateMaxAgeHours: z.number().int().min(1).max(24 * 14).default(48),
  })
  .strict();
export type PricingSettings = z.infer<typeof PricingSettings>;
