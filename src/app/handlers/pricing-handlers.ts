import type { Handler } from '../../api/dispatch.js';
import type { Agent } from '../agent.js';

export function pricingHandlers(agent: Agent): {
  'pricing.get': Handler<'pricing.get'>;
  'pricing.set': Handler<'pricing.set'>;
  'pricing.quote': Handler<'pricing.quote'>;
  'pricing.estimate': Handler<'pricing.estimate'>;
  'market.gpuPrices': Handler<'market.gpuPrices'>;
} {
  return {
    'pricing.get': async () => agent.pricing.view(),
    'pricing.set': async ({ patch }) => agent.pricing.set(patch),
    'pricing.quote': async ({ order }) => agent.pricing.quote(order),
    'pricing.estimate': async ({ utilizationPct, patch }) => agent.pricing.estimate(utilizationPct, patch),
    'market.gpuPrices': async ({ refresh }) => agent.pricing.market(refresh),
  };
}
