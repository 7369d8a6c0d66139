import { z } from 'zod';
import { method } from '../method.js';
import { OpenOrdersView, OrderLogView } from '../schemas/order-log.js';

/** Hours back from now, up to 30 days (the log keeps about 6,000 orders). */
const Since = z.object({ sinceHours: z.number().positive().max(720).default(24) }).strict();

/** Why an order got no bid: the bid script's own log, and the open orders on chain it would price. */
export const ordersMethods = {
  'orders.log': method({
    input: Since,
    output: OrderLogView,
    summary: 'Every order the bid script saw, with its decision (bid at X, or the reason it did not bid) and a summary by reason',
  }),
  'orders.open': method({
    input: Since,
    output: OpenOrdersView,
    summary: "Open orders on chain for this rig's GPU models, each with what the current prices would bid (or why not) beside the order's max price",
  }),
} as const;
