import type { OrderLogLine } from '../../api/schemas/order-log.js';
import type { Quote } from '../../api/schemas/pricing.js';
import type { OpenOrder } from '../../provider/chain/orders-service.js';
import { reachesScript, type OrderLogSource } from '../orders/orders-view-service.js';

const DAY_MS = 24 * 3600_000;

/**
 * Demo mode has no provider to run the bid script, so its log is what the script would have
 * written for the demo chain's orders of the last day: each order the bid engine would pass to the
 * script (this rig's GPU model, any GPU, or no GPU) priced by the same quote the script agrees with,
 * written as log lines and read back through the same parser as a real log.
 */
export function demoOrderLog(deps: { openOrders: (sinceMs: number) => Promise<{ orders: OpenOrder[] }>; quote: (order: unknown) => Promise<Quote>; models: () => Promise<string[]> }): OrderLogSource {
  return {
    async read() {
      const [{ orders }, models] = await Promise.all([deps.openOrders(Date.now() - DAY_MS), deps.models()]);
      const lines: string[] = [];
      for (const o of orders.filter((x) => reachesScript(x, models))) {
        const q = await deps.quote(o.scriptInput);
        const line: OrderLogLine = {
          v: 1,
          // The bid engine prices an order within seconds of it opening.
          t: Math.floor((o.createdAtMs ?? Date.now()) / 1000) + 4,
          owner: o.owner,
          denom: o.scriptInput.price.denom,
          maxPrice: o.scriptInput.price.amount,
          gpus: o.gpus.map((g) => ({ vendor: g.vendor, model: g.model, ram: g.ram, interface: g.interface, units: g.units })),
          decision: q.bid ? 'bid' : 'refused',
          ...(q.price !== null && (q.bid || q.code === 'price_too_low') ? { price: q.price } : {}),
          ...(q.code ? { code: q.code } : {}),
          ...(q.reason ? { reason: q.reason } : {}),
        };
        lines.push(JSON.stringify(line));
      }
      return { source: 'demo' as const, files: [lines.join('\n')], message: 'Simulated (demo mode): what the bid script would have logged for the demo chain\'s orders.' };
    },
  };
}
