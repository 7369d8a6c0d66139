/**
 * The AKT→USD price earnings are shown in, and where it came from. Market data lives in the
 * pricing part of the Agent; the chain side only takes a rate through this typed seam.
 */
export interface UsdRate {
  usdPerAkt: number;
  /** `given`: passed with the call (CLI --usd-per-akt); `market`: the market snapshot; `manual`: pricing.aktUsdOverride. */
  source: 'given' | 'market' | 'manual';
  /** When the market price was fetched (null for given/manual). */
  at: string | null;
}

/** Supplies the current rate, or null when none is known (USD is then shown as unknown). */
export interface UsdRateSource {
  aktUsd(): Promise<UsdRate | null>;
}
