import { GpuPricesResponse, MarketSnapshot, type MarketView } from '../../api/schemas/pricing.js';
import { RigError, formatZodError } from '../../api/errors.js';
import { z } from 'zod';

/** The Console API host the Akash Console uses (AKASH.md §9: host unconfirmed from source). */
export const DEFAULT_MARKET_URL = 'https://console-api.akash.network';

/** `GET /v1/market-data` (console apps/api market-data): AKT price in USD and 24 h change. */
const MarketDataResponse = z.object({ price: z.number().positive().max(1_000_000) });

export interface MarketClientOptions {
  /** Env `RIGLEASE_MARKET_URL` first, then the setting, then the default. */
  baseUrl: () => Promise<string>;
  /** The last snapshot on disk (the app passes the store's file; pricing never opens the store). */
  cache: { read(): Promise<MarketSnapshot | null>; write(snapshot: MarketSnapshot): Promise<void> };
  timeoutMs?: number;
  now?: () => Date;
  fetchImpl?: typeof fetch;
}

export function marketBaseUrl(env: NodeJS.ProcessEnv, setting: string | null): string {
  const fromEnv = env['RIGLEASE_MARKET_URL'];
  return (fromEnv && fromEnv.trim() !== '' ? fromEnv.trim() : setting ?? DEFAULT_MARKET_URL).replace(/\/+$/, '');
}

/**
 * Market data from the Akash Console API, kept on disk so pricing works offline from the last
 * snapshot. A refresh that fails keeps the old snapshot and says so; it never erases it.
 */
export class MarketClient {
  private cached: MarketSnapshot | null | undefined;
  private lastError: string | null = null;
  private readonly now: () => Date;

  constructor(private readonly opts: MarketClientOptions) {
    this.now = opts.now ?? (() => new Date());
  }

  async snapshot(): Promise<MarketSnapshot | null> {
    if (this.cached === undefined) this.cached = await this.opts.cache.read();
    return this.cached;
  }

  async view(): Promise<MarketView> {
    const snap = await this.snapshot();
    return {
      snapshot: snap,
      ageSeconds: snap ? Math.max(0, Math.round((this.now().getTime() - Date.parse(snap.fetchedAt)) / 1000)) : null,
      offline: this.lastError !== null,
      error: this.lastError,
    };
  }

  /** Fetches GPU prices and the AKT price; on failure the last snapshot stays and the view says offline. */
  async refresh(signal?: AbortSignal): Promise<MarketView> {
    const base = await this.opts.baseUrl();
    try {
      const gpuPrices = GpuPricesResponse.parse(await this.getJson(`${base}/v1/gpu-prices`, signal));
      let aktUsd: number | null = null;
      let aktFetchedAt: string | null = null;
      try {
        aktUsd = MarketDataResponse.parse(await this.getJson(`${base}/v1/market-data`, signal)).price;
        aktFetchedAt = this.now().toISOString();
      } catch {
        // GPU prices alone are still worth keeping; keep the previous AKT price if there was one.
        const prev = await this.snapshot();
        aktUsd = prev?.aktUsd ?? null;
        aktFetchedAt = prev?.aktFetchedAt ?? null;
      }
      const snap: MarketSnapshot = { source: base, fetchedAt: this.now().toISOString(), gpuPrices, aktUsd, aktFetchedAt };
      await this.opts.cache.write(snap);
      this.cached = snap;
      this.lastError = null;
    } catch (err) {
      this.lastError = err instanceof z.ZodError ? `The market API answered in an unexpected shape: ${formatZodError(err)}` : err instanceof Error ? err.message : String(err);
    }
    return this.view();
  }

  private async getJson(url: string, signal?: AbortSignal): Promise<unknown> {
    const timeout = AbortSignal.timeout(this.opts.timeoutMs ?? 10_000);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const doFetch = this.opts.fetchImpl ?? fetch;
    let res: Response;
    try {
      res = await doFetch(url, { signal: combined, headers: { accept: 'application/json' } });
    } catch (err) {
      if (timeout.aborted) throw new RigError('timeout', `The market API at ${url} did not answer within ${(this.opts.timeoutMs ?? 10_000) / 1000} s.`);
      throw new RigError('unavailable', `Cannot reach the market API at ${url}: ${(err as Error).message}`, 'Check the internet connection or the market URL in Pricing settings.');
    }
    if (!res.ok) throw new RigError('unavailable', `The market API at ${url} answered HTTP ${res.status}.`);
    try {
      return await res.json();
    } catch {
      throw new RigError('unavailable', `The market API at ${url} did not answer with JSON.`);
    }
  }
}
