import { z } from 'zod';
import { method } from '../method.js';
import { BmeStatus, ConvertPreview, ConvertResult } from '../schemas/bme.js';

/** ACT in whole units with up to 6 decimals, as a person types it ("12.5"). */
const ActAmount = z.string().regex(/^\d+(\.\d{1,6})?$/, 'an amount of ACT such as 12.5 (up to 6 decimals)');

/**
 * ACT → AKT through the chain's burn-mint equilibrium (x/bme MsgBurnACT). Leases pay in ACT; gas
 * and bid deposits can need AKT. Nothing converts without `confirm: true`.
 */
export const bmeMethods = {
  'wallet.conversions': method({
    input: z.object({}).strict(),
    output: BmeStatus,
    summary: "The chain's ACT → AKT conversion state: circuit breaker, spread, epoch, AKT price, and this wallet's queued and settled conversions",
  }),
  'earnings.csv': method({
    input: z.object({}).strict(),
    output: z.object({ csv: z.string() }),
    summary: 'Income per lease (earned, withdrawn, pending, USD) and ACT → AKT conversions (with the AKT price they executed at) as CSV',
  }),
  'wallet.convertPreview': method({
    input: z.object({ amount: ActAmount }).strict(),
    output: ConvertPreview,
    summary: 'What converting this much ACT to AKT would pay (at the current oracle price, minus the spread), when it settles, the fee — or why not now',
  }),
  'wallet.convert': method({
    input: z.object({ amount: ActAmount, confirm: z.literal(true, 'Converting needs confirm: true (see wallet.convertPreview).') }).strict(),
    output: ConvertResult,
    summary: 'Queue an ACT → AKT conversion (MsgBurnACT); it settles at the next conversion epoch',
  }),
} as const;
