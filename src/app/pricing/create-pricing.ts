import path from 'node:path';
import type { MarketView } from '../../api/schemas/pricing.js';
import type { HardwareReport } from '../../api/schemas/hardware.js';
import type { Settings } from '../../api/schemas/settings.js';
import type { PricingSettings } from '../../api/schemas/settings/pricing.js';
import { MarketClient, marketBaseUrl } from '../../provider/pricing/market-client.js';
import type { LocalGpu } from '../../provider/pricing/power-floor.js';
import { marketCacheFile } from '../../store/market-cache-file.js';
import type { Logger } from '../../util/logger.js';
import { PricingService, type BidConfigSink, type Bidding } from './pricing-service.js';

/** Hardware facts a few minutes old are fresh enough for prices; the floor needs the power limit, which does not move. */
const SCAN_MAX_AGE_MS = 10 * 60_000;

/** What the pricing room needs from the rest of the agent, and nothing more. */
export interface PricingRoomDeps {
  settings: () => Promise<Settings>;
  savePricing: (next: PricingSettings) => Promise<void>;
  /** The last hardware scan, or a fresh one when there is none (null when it fails). */
  hardware: { last(): HardwareReport | null; scan(opts: { maxAgeMs: number }): Promise<HardwareReport> };
  /** A farm controller prices every GPU of the farm; null when this machine is no controller. */
  farmGpus: (own: LocalGpu[]) => Promise<LocalGpu[] | null>;
  /** Asked once, before availability has said whether the rig bids. */
  initialBidding: () => Promise<Bidding>;
  /** Where the provider reads the table: the stack's node, or the demo's simulated provider. */
  sink: BidConfigSink;
  stateDir: string;
  env: NodeJS.ProcessEnv;
  onMarket: (view: MarketView) => void;
  logger: Logger;
}

export function localGpus(report: HardwareReport | null): LocalGpu[] {
  return (report?.gpus ?? []).map((g) => ({ name: g.name, akash: g.akash, powerDrawW: g.powerDrawW, powerLimitW: g.powerLimitW, powerMaxLimitW: g.powerMaxLimitW }));
}

/** Prices → the bid script's table → the provider (README "How a price reaches the provider"). */
export function createPricing(deps: PricingRoomDeps): PricingService {
  const log = deps.logger;
  const market = new MarketClient({
    baseUrl: async () => marketBaseUrl(deps.env, (await deps.settings()).pricing.marketUrl),
    cache: marketCacheFile(path.join(deps.stateDir, 'market.json'), (file, keptAs, reason) => log.warn('market cache could not be read; kept aside', { file, keptAs, reason })),
  });
  return new PricingService({
    settings: async () => (await deps.settings()).pricing,
    saveSettings: deps.savePricing,
    market,
    localGpus: async () => {
      const own = localGpus(deps.hardware.last() ?? (await deps.hardware.scan({ maxAgeMs: SCAN_MAX_AGE_MS }).catch(() => null)));
      // A farm controller's provider bids for every GPU of the farm: price each model, floor each machine's power.
      return (await deps.farmGpus(own).catch(() => null)) ?? own;
    },
    initialBidding: deps.initialBidding,
    bidDir: path.join(deps.stateDir, 'bid-script'),
    sink: deps.sink,
    onMarket: deps.onMarket,
    logger: log,
  });
}
