import path from 'node:path';
import type { MarketView } from '../../api/schemas/pricing.js';
import { MarketClient, marketBaseUrl } from '../../provider/pricing/market-client.js';
import { marketCacheFile } from '../../store/market-cache-file.js';
import type { Logger } from '../../util/logger.js';
import { PricingService, type PricingServiceDeps } from './pricing-service.js';

/** What the pricing room needs from the rest of the agent, and nothing more. */
export interface PricingRoomDeps extends Pick<PricingServiceDeps, 'settings' | 'hardware' | 'farmGpus' | 'initialBidding' | 'sink'> {
  stateDir: string;
  env: NodeJS.ProcessEnv;
  onMarket: (view: MarketView) => void;
  logger: Logger;
}

/**
 * Prices → the bid script's table → the provider (src/provider/pricing/README.md, "How a price
 * reaches the provider"). Built once; at run time the service talks to its deps directly.
 */
export function createPricing(deps: PricingRoomDeps): PricingService {
  const log = deps.logger;
  const market = new MarketClient({
    baseUrl: async () => marketBaseUrl(deps.env, (await deps.settings.all()).pricing.marketUrl),
    cache: marketCacheFile(path.join(deps.stateDir, 'market.json'), (file, keptAs, reason) => log.warn('market cache could not be read; kept aside', { file, keptAs, reason })),
  });
  return new PricingService({
    settings: deps.settings,
    market,
    hardware: deps.hardware,
    farmGpus: deps.farmGpus,
    initialBidding: deps.initialBidding,
    bidDir: path.join(deps.stateDir, 'bid-script'),
    sink: deps.sink,
    onMarket: deps.onMarket,
    logger: log,
  });
}
