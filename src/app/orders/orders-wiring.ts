import type { ChainService } from '../../provider/chain/index.js';
import type { DockerConnection } from '../../core/docker-connection.js';
import type { PricingService } from '../pricing/pricing-service.js';
import { demoOrderLog } from '../demo/demo-order-log.js';
import { nodeOrderLog } from './node-order-log.js';
import { OrdersViewService } from './orders-view-service.js';

/** What the orders room uses: the pricing (quotes, the GPUs it prices), the chain, and where the node's log is. */
export interface OrdersDeps {
  demo: boolean;
  pricing: Pick<PricingService, 'quote' | 'pricedGpus'>;
  walletExists: () => Promise<boolean>;
  chain: () => Promise<Pick<ChainService, 'orders'>>;
  docker: Pick<DockerConnection, 'client'>;
  namePrefix: () => Promise<string>;
}

/** This rig's GPU models, and on a farm controller every member's too (the farm's provider bids for all). */
async function localModels(pricing: OrdersDeps['pricing']): Promise<string[]> {
  const all = await pricing.pricedGpus();
  return [...new Set(all.map((g) => g.akash?.model).filter((m): m is string => typeof m === 'string' && m !== ''))];
}

export function createOrdersViewService(deps: OrdersDeps): OrdersViewService {
  const openOrders = async (sinceMs: number) => {
    // No wallet: the chain is not asked (a fresh install stays offline, as the Dashboard does).
    if (!(await deps.walletExists())) return { orders: [], scanned: 0, unavailable: 'No wallet yet, so RigLease does not ask the chain for open orders.' };
    return (await deps.chain()).orders.open({ sinceMs });
  };
  const quote = (order: unknown) => deps.pricing.quote(order);
  const models = () => localModels(deps.pricing);
  const log = deps.demo ? demoOrderLog({ openOrders, quote, models }) : nodeOrderLog(() => deps.docker.client(), deps.namePrefix);
  return new OrdersViewService({ log, openOrders, quote, localModels: models });
}
