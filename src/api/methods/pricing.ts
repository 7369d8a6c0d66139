import { z } from 'zod';
import { method } from '../method.js';
import { MarketView, PriceIssue, PricingEstimate, PricingView, Quote } from '../schemas/pricing.js';

/** A partial pricing section, merged onto the current one and then validated as a whole. */
const PricingPatch = z.record(z.string(), z.unknown());

export const pricingMethods = {
  'pricing.get': method({ input: z.object({}).strict(), output: PricingView, summary: 'Prices, the resolved bid table, the market beside them and the bid script state' }),
  'pricing.set': method({
    input: z.object({ patch: PricingPatch }).strict(),
    output: z.object({ view: PricingView, issues: z.array(PriceIssue) }),
    summary: 'Change prices; refused when absurd (e.g. 100× the market), live on the provider within two minutes',
  }),
  'pricing.quote': method({
    input: z.object({ order: z.unknown() }).strict(),
    output: Quote,
    summary: 'The exact per-block price RigLease would bid for a bid-engine order, with the arithmetic',
  }),
  'pricing.estimate': method({
    input: z.object({ utilizationPct: z.number().min(0).max(100).optional(), patch: PricingPatch.optional() }).strict(),
    output: PricingEstimate,
    summary: 'Monthly earnings (gross and net of power) at a utilization, and the effect of a proposed change',
  }),
  'market.gpuPrices': method({
    input: z.object({ refresh: z.boolean().default(false) }).strict(),
    output: MarketView,
    summary: 'GPU prices on the Akash market (Console API), cached with their age',
  }),
} as const;
