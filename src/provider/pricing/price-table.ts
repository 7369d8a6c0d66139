import { z } from 'zod';
import type { ResolvedPrices } from '../../api/schemas/pricing.js';
import { PRICE_DIGITS, RATE_DIGITS, USD_DENOMS } from './constants.js';
import { toScaled } from './exact.js';

const Int = z.string().regex(/^[0-9]{1,40}$/);

/**
 * The bid script's config file: every price as an integer string of pico-USD per unit-hour and
 * the AKT price as nano-USD. Strings, because jq reads JSON numbers as doubles and these are
 * only ever pasted into `bc`. `quote` prices from this same table, so both sides see the same
 * integers.
 */
export const ScriptConfig = z
  .object({
    v: z.literal(1),
    paused: z.boolean(),
    pausedReason: z.string(),
    cpu: Int,
    memory: Int,
    storage: z.record(z.string(), Int),
    storageOther: Int,
    endpoint: Int,
    ip: Int,
    gpu: z.record(z.string(), Int),
    gpuDefault: Int.nullable(),
    aktUsdNano: Int.nullable(),
    /** Unix seconds the AKT price was taken; uakt bids stop once it is older than rateMaxAgeS. */
    rateAt: z.number().int().nonnegative(),
    rateMaxAgeS: z.number().int().positive(),
    usdDenoms: z.array(z.string()),
    generatedAt: z.string(),
  })
  .strict();
export type ScriptConfig = z.infer<typeof ScriptConfig>;

export interface TableOptions {
  paused: boolean;
  pausedReason?: string;
  /** When the AKT price was fetched (ms since epoch). */
  rateAtMs: number;
  rateMaxAgeHours: number;
  now: Date;
}

const pico = (usd: number) => toScaled(usd, PRICE_DIGITS).toString();

export function scriptConfig(prices: ResolvedPrices, opts: TableOptions): ScriptConfig {
  const storage: Record<string, string> = {};
  for (const [cls, usd] of Object.entries(prices.storageGbHour)) storage[cls] = pico(usd);
  const gpu: Record<string, string> = {};
  for (const g of prices.gpus) gpu[g.key] = pico(g.usdPerHour);
  const rate = prices.aktUsd !== null && prices.aktUsd > 0 ? toScaled(prices.aktUsd, RATE_DIGITS) : 0n;
  return {
    v: 1,
    paused: opts.paused,
    pausedReason: opts.pausedReason ?? (opts.paused ? 'paused: no new bids' : ''),
    cpu: pico(prices.cpuThreadHour),
    memory: pico(prices.memoryGbHour),
    storage,
    storageOther: pico(prices.storageOtherGbHour),
    endpoint: pico(prices.endpointHour),
    ip: pico(prices.ipHour),
    gpu,
    gpuDefault: prices.gpuDefaultUsdPerHour === null ? null : pico(prices.gpuDefaultUsdPerHour),
    aktUsdNano: rate > 0n ? rate.toString() : null,
    rateAt: Math.max(0, Math.floor(opts.rateAtMs / 1000)),
    rateMaxAgeS: Math.round(opts.rateMaxAgeHours * 3600),
    usdDenoms: [...USD_DENOMS],
    generatedAt: opts.now.toISOString(),
  };
}
