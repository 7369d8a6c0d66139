import { z } from 'zod';

/**
 * Why the bid script answered "no bid", as a machine code. The generated script (jq half) and
 * exact-quote.ts produce the same code for the same order; the agreement test holds them to it.
 */
export const RefusalCode = z.enum([
  'paused',
  'price_too_low',
  'gpu_not_priced',
  'denom_not_supported',
  'no_akt_rate',
  'stale_akt_rate',
  'order_not_understood',
  'nothing_to_price',
  'config_missing',
  'config_damaged',
  'script_error',
]);
export type RefusalCode = z.infer<typeof RefusalCode>;

/** Each code in plain words, for the screen, the Dashboard line and the CLI. */
export const REFUSAL_WORDS: Record<RefusalCode, string> = {
  paused: 'paused',
  price_too_low: 'below your price',
  gpu_not_priced: 'no price for that GPU model',
  denom_not_supported: 'paid in a token RigLease does not take',
  no_akt_rate: 'no AKT price known',
  stale_akt_rate: 'AKT price too old',
  order_not_understood: 'order not understood',
  nothing_to_price: 'asks for nothing',
  config_missing: 'no price table on the provider',
  config_damaged: 'price table damaged',
  script_error: 'bid script could not run',
};

/** "1200.500000000000000000" → "1200.5", for reading. */
export function trimDec(amount: string): string {
  return /^\d+\.\d+$/.test(amount) ? amount.replace(/0+$/, '').replace(/\.$/, '') : amount;
}

/** A GPU ask that names no model, or the SDL's wildcard, takes any model. */
export function anyModel(model: string | null | undefined): boolean {
  return model === null || model === undefined || model === '' || model === '*';
}

const Text = z.string().max(2000);
/** One GPU the order asks for: model null = any model of that vendor (no model attribute). */
export const OrderGpu = z.object({
  vendor: z.string().max(128).nullable(),
  model: z.string().max(128).nullable(),
  ram: z.string().max(128).nullish(),
  interface: z.string().max(128).nullish(),
  units: z.number().nonnegative(),
});
export type OrderGpu = z.infer<typeof OrderGpu>;

/**
 * One line of `riglease-orders.jsonl`, written by the bid script for each order it sees
 * (bid-script.ts). Optional fields are absent when the order did not carry them in a readable form.
 */
export const OrderLogLine = z.object({
  v: z.literal(1),
  /** Unix seconds, the script's clock. */
  t: z.number().int().nonnegative(),
  owner: z.string().max(128).optional(),
  denom: z.string().max(128).optional(),
  /** The order's max price per block in `denom`, as the chain wrote it. */
  maxPrice: z.string().max(128).optional(),
  gpus: z.array(OrderGpu).max(8).optional(),
  cpuMilli: z.number().nonnegative().optional(),
  memoryBytes: z.number().nonnegative().optional(),
  decision: z.enum(['bid', 'refused']),
  /** Per-block price in `denom`: the bid, or what RigLease asks when the order pays too little. */
  price: z.string().max(128).optional(),
  code: RefusalCode.optional(),
  reason: Text.optional(),
});
export type OrderLogLine = z.infer<typeof OrderLogLine>;

/** One order as the app shows it (a log line with its time as ISO and the reason in words). */
export const OrderDecision = OrderLogLine.omit({ v: true, t: true }).extend({ at: z.string(), words: z.string() });
export type OrderDecision = z.infer<typeof OrderDecision>;

export const OrderLogSummary = z.object({
  total: z.number().int(),
  gpuOrders: z.number().int(),
  bid: z.number().int(),
  /** Refusals by code, most frequent first. */
  refused: z.array(z.object({ code: RefusalCode, words: z.string(), count: z.number().int() })),
  /** "12 GPU orders today: bid on 9, 3 below your price", or what is known instead. */
  line: z.string(),
});
export type OrderLogSummary = z.infer<typeof OrderLogSummary>;

export const OrderLogView = z.object({
  /** Where the log was read from, or why it could not be. */
  source: z.enum(['node', 'demo', 'no-stack']),
  message: z.string(),
  sinceHours: z.number(),
  orders: z.array(OrderDecision),
  /** Lines in the window that did not parse (skipped). */
  skipped: z.number().int(),
  summary: OrderLogSummary,
  /** Orders refused before the script (attribute mismatch, no capacity) never reach this log. */
  notSeen: z.string(),
});
export type OrderLogView = z.infer<typeof OrderLogView>;

/** An open order on chain for one of this rig's GPU models, with what the current table would bid. */
export const OpenOrderView = z.object({
  id: z.string(),
  owner: z.string(),
  dseq: z.string(),
  createdHeight: z.number().int(),
  createdAt: z.string().nullable(),
  gpus: z.array(OrderGpu),
  denom: z.string(),
  maxPrice: z.string(),
  wouldBid: z.boolean(),
  price: z.string().nullable(),
  code: RefusalCode.nullable(),
  reason: z.string().nullable(),
  words: z.string(),
});
export type OpenOrderView = z.infer<typeof OpenOrderView>;

export const OpenOrdersView = z.object({
  models: z.array(z.string()),
  sinceHours: z.number(),
  orders: z.array(OpenOrderView),
  /** How many open GPU orders were looked at in all (before the model filter). */
  scanned: z.number().int(),
  message: z.string(),
});
export type OpenOrdersView = z.infer<typeof OpenOrdersView>;
