import { parseCommandArgs, type CliContext } from '../command.js';
import { UsageError } from '../errors.js';
import { formatOpenOrders, formatOrderLog } from '../format/orders.js';
import { callAndPrint } from '../run-method.js';

export const MARKET_ORDERS_HELP = `       riglease market orders [--since 24h] [--json]
       riglease market open-orders [--since 24h] [--json]

orders       every order your bid script saw and what it decided: bid at a price, or the reason
             it did not (below your price, paused, no price for that GPU, AKT price too old …),
             with a one-line summary. Orders the provider turned away before pricing (GPU model
             or attributes it does not offer, no free capacity) never reach the script.
open-orders  open orders on chain for this rig's GPU models, each with what your current prices
             would bid beside the order's max price.
--since      how far back: 90m, 24h, 7d (default 24h, at most 30d)`;

/** "24h", "90m", "7d" or a number of hours → hours. */
export function parseSince(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([mhd]?)$/.exec(text.trim());
  const hours = m ? Number(m[1]) * ({ m: 1 / 60, h: 1, d: 24, '': 1 } as const)[m[2] as 'm' | 'h' | 'd' | ''] : NaN;
  if (!Number.isFinite(hours) || hours <= 0 || hours > 720) throw new UsageError(`--since ${JSON.stringify(text)} is not a duration such as 90m, 24h or 7d (at most 30d).`, 'See `riglease market --help`.');
  return hours;
}

export async function runMarketOrders(sub: 'orders' | 'open-orders', args: string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommandArgs(`market ${sub}`, args, { json: { type: 'boolean', default: false }, since: { type: 'string', default: '24h' } });
  const sinceHours = parseSince(values.since);
  return sub === 'orders'
    ? callAndPrint(ctx, 'orders.log', { sinceHours }, { json: values.json, human: formatOrderLog })
    : callAndPrint(ctx, 'orders.open', { sinceHours }, { json: values.json, human: formatOpenOrders });
}
