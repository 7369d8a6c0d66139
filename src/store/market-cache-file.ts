import { MarketSnapshot } from '../api/schemas/pricing.js';
import { VersionedJsonFile } from './json-file.js';

/** Where the pricing room keeps its last market snapshot; it gets this, never the store itself. */
export interface MarketCache {
  read(): Promise<MarketSnapshot | null>;
  write(snapshot: MarketSnapshot): Promise<void>;
}

/** The snapshot as a versioned JSON file (a damaged one is kept aside and reported, then treated as none). */
export function marketCacheFile(file: string, onCorrupt?: (file: string, keptAs: string, reason: string) => void): MarketCache {
  const json = new VersionedJsonFile({ file, schema: MarketSnapshot, version: 1, ...(onCorrupt ? { onCorrupt } : {}) });
  return {
    read: async () => (await json.read(() => null as unknown as MarketSnapshot)) ?? null,
    write: (snapshot) => json.write(snapshot),
  };
}
