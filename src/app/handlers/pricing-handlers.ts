import type { Handler } from '../../api/dispatch.js';
import type { PricingService } from '../pricing/pricing-service.js';

/** The Pricing screen's and `riglease pricing`'s calls, answered by the pricing room alone. */
export function pricingHandlers(pricing: Pick<PricingService, 'view' | 'set' | 'quote' | 'estimate' | 'market'>): {
  'pricing.get': Handler<'pricing.get'>;
  'pricing.set': Handler<'pricing.set'>;
  'pricing.quote': Handler<'pricing.quote'>;
  'pricing.estimate': Handler<'pricing.estimate'>;
  'market.gpuPrices': Handler<'market.gpuPrices'>;
} {
  return {
    'pricing.get': async () => pricing.view(),
    // The settings store announces the new prices itself (settings.changed).
    'pricing.set': async ({ patch }) => pricing.set(patch),
    'pricing.quote': async ({ order }) => pricing.quote(order),
    'pricing.estimate': async ({ utilizationPct, patch }) => pricing.estimate(utilizationPct, patch),
    'market.gpuPrices': async ({ refresh }) => pricing.market(refresh),
  };
}
