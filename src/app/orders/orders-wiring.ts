import { localGpus } from '../pricing-wiring.js';
import type { Agent } from '../agent.js';
import { demoOrderLog } from '../demo/demo-order-log.js';
import { nodeOrderLog } from './node-order-log.js';
import { OrdersViewService } from './orders-view-service.js';

/** This rig's GPU models, and on a farm controller every member's too (the farm's provider bids for all). */
async function localModels(agent: Agent): Promise<string[]> {
  const own = localGpus(agent.hardware.last() ?? (await agent.hardware.scan({ maxAgeMs: 10 * 60_000 }).catch(() => null)));
  const all = (await agent.farm.pricingGpus(own).catch(() => null)) ?? own;
  return [...new Set(all.map((g) => g.akash?.model).filter((m): m is string => typeof m === 'string' && m !== ''))];
}

export function createOrdersViewService(agent: Agent): OrdersViewService {
  const openOrders = async (sinceMs: number) => {
    // No wallet: the chain is not asked (a fresh install stays offline, as the Dashboard does).
    if (!(await agent.walletExists())) return { orders: [], scanned: 0, unavailable: 'No wallet yet, so RigLease does not ask the chain for open orders.' };
    return (await agent.chain()).orders.open({ sinceMs });
  };
  const quote = (order: unknown) => agent.pricing.quote(order);
  const models = () => localModels(agent);
  const log = agent.deps.demo
    ? demoOrderLog({ openOrders, quote, models })
    : nodeOrderLog(
        () => agent.docker.client(),
        async () => (await agent.settings.all()).stack.namePrefix,
      );
  return new OrdersViewService({ log, openOrders, quote, localModels: models });
}
