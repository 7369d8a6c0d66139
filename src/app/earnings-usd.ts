import type { MarketView } from '../api/schemas/pricing.js';
import type { PricingSettings } from '../api/schemas/settings/pricing.js';
import type { UsdRate, UsdRateSource } from '../provider/chain/usd-rate.js';

export interface PricingUsdDeps {
  /** The pricing service's market view, read without a refresh (the cached snapshot). */
  market: () => Promise<MarketView>;
  settings: () => Promise<PricingSettings>;
}

/**
 * Earnings' AKT price from the pricing side, by the same rule bids use (PricingService.quote):
 * the market snapshot's AKT price first, else the manual AKT price from the pricing settings.
 * Never fetches: a stale snapshot is still shown, with its time, so the user can judge it.
 */
export function pricingUsdSource(deps: PricingUsdDeps): UsdRateSource {
  return {
    async aktUsd(): Promise<UsdRate | null> {
      const [view, settings] = await Promise.all([deps.market().catch(() => null), deps.settings()]);
      const snap = view?.snapshot;
      if (snap?.aktUsd != null && snap.aktUsd > 0) return { usdPerAkt: snap.aktUsd, source: 'market', at: snap.aktFetchedAt ?? snap.fetchedAt };
      if (settings.aktUsdOverride !== null) return { usdPerAkt: settings.aktUsdOverride, source: 'manual', at: null };
      return null;
    },
  };
}
