import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { RigError, formatZodError } from '../../api/errors.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { z } from 'zod';
import { BidConfigDelivery, BidOrder, type MarketSnapshot, type MarketView, type PriceIssue, type PricingEstimate, type PricingView, type Quote, type ResolvedPrices } from '../../api/schemas/pricing.js';
import type { HardwareReport } from '../../api/schemas/hardware.js';
import type { Settings } from '../../api/schemas/settings.js';
import { PricingSettings } from '../../api/schemas/settings/pricing.js';
import { BID_CONFIG_NAME, BID_SCRIPT_NAME, bidScript, bidScriptFiles } from '../../provider/pricing/bid-script.js';
import { estimate } from '../../provider/pricing/estimate.js';
import type { MarketClient } from '../../provider/pricing/market-client.js';
import type { LocalGpu } from '../../provider/pricing/power-floor.js';
import { resolvePrices } from '../../provider/pricing/price-model.js';
import { quote } from '../../provider/pricing/quote.js';
import type { Logger } from '../../util/logger.js';
import { mergePatch } from './merge-patch.js';

/** Where the provider reads the price table from: the stack's node (see provider/stack/node-file.ts). */
export interface BidConfigSink {
  write(config: string): Promise<{ delivered: boolean; message: string }>;
  /** The table the provider has now; null = none; 'no-stack' = there is no provider to hold one. */
  read(): Promise<string | null | 'no-stack'>;
}

export interface Bidding {
  paused: boolean;
  reason: string;
}

/** Hardware facts a few minutes old are fresh enough for prices; the floor needs the power limit, which does not move. */
const SCAN_MAX_AGE_MS = 10 * 60_000;

export interface PricingServiceDeps {
  /** The settings store: prices are read from and written to its `pricing` section (it announces the change). */
  settings: { all(): Promise<Settings>; update(mutate: (draft: Settings) => void): Promise<Settings> };
  market: MarketClient;
  /** The last hardware scan, or a fresh one when there is none. */
  hardware: { last(): HardwareReport | null; scan(opts: { maxAgeMs: number }): Promise<HardwareReport> };
  /** A farm controller prices every GPU of the farm; null when this machine is no controller. */
  farmGpus: (own: LocalGpu[]) => Promise<LocalGpu[] | null>;
  /** Asked once when nothing has told the service yet whether the rig bids (availability decides). */
  initialBidding: () => Promise<Bidding>;
  /** Local copy of the script and table (what `pricing.get` names and support can read). */
  bidDir: string;
  sink: BidConfigSink | null;
  onMarket?: (view: MarketView) => void;
  now?: () => Date;
  logger: Logger;
}

/** One resolution of the prices and what it was made from: a change shows, checks and writes this same one. */
interface Resolution {
  settings: PricingSettings;
  market: MarketView;
  local: LocalGpu[];
  resolved: ResolvedPrices;
}

const DELIVERY_FILE = 'delivery.json';
const DeliveryRecord = z.object({ writtenAt: z.string().nullable(), delivery: BidConfigDelivery });

/** Market refresh while someone listens (the Pricing screen); the Console API caches 15 min itself. */
export const MARKET_REFRESH_MS = 15 * 60_000;
/** How often the table on the node is checked (a recreated k3s container starts without it). */
export const RECONCILE_MS = 60_000;

/**
 * Prices → the bid script's table → the running provider. Every change (a price, the market, a
 * pause) rewrites the table; the provider's script reads it on each order, so the next bid uses
 * it without a restart. See README "How a price reaches the provider".
 */
export class PricingService {
  private bidding: Bidding | null = null;
  private writtenAt: string | null = null;
  private delivery: BidConfigDelivery = { state: 'not-yet', at: null, message: 'The price table has not been written yet.' };
  private lastConfig: string | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private marketTimer: NodeJS.Timeout | null = null;
  private reconcileTimer: NodeJS.Timeout | null = null;
  private readonly now: () => Date;

  constructor(private readonly deps: PricingServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** The script the stack installs (`bidpricescript`); it never changes with prices. */
  passthrough(): { script: string; env: Record<string, string> } {
    return { script: bidScript(), env: {} };
  }

  async view(): Promise<PricingView> {
    return this.viewOf(await this.resolve(await this.settings()));
  }

  private async viewOf({ settings, market, resolved: prices }: Resolution): Promise<PricingView> {
    const resolved = { ...prices, issues: [...prices.issues, ...this.rateIssues(settings, market.snapshot)] };
    const bidding = this.bidding ?? { paused: false, reason: '' };
    if (this.writtenAt === null) await this.loadLastDelivery();
    return {
      settings,
      resolved,
      market,
      bidScript: { dir: this.deps.bidDir, writtenAt: this.writtenAt, paused: bidding.paused, pausedReason: bidding.paused ? bidding.reason : '', provider: this.delivery },
    };
  }

  /** Applies a partial change. Invalid or absurd (≥ 100× the market) → refused, nothing written. */
  async set(patch: Record<string, unknown>): Promise<{ view: PricingView; issues: PriceIssue[] }> {
    const next = await this.proposed(patch);
    await this.currentBidding();
    // Resolved once: the same prices decide the refusal, fill the table and come back as the view.
    // In the queue, so a market refresh written meanwhile is never overwritten with older figures.
    const done = await this.serial(async () => {
      const r = await this.resolve(next);
      const refused = r.resolved.issues.filter((i) => i.severity === 'refuse');
      if (refused.length > 0) {
        throw new RigError('invalid_input', `Not applied: ${refused.map((i) => i.message).join(' ')}`, 'Check the number (a misplaced decimal point?) and set it again; nothing was changed.');
      }
      await this.deps.settings.update((draft) => void (draft.pricing = next));
      await this.publishNow(r);
      return r;
    });
    return { view: await this.viewOf(done), issues: done.resolved.issues };
  }

  async quote(order: unknown): Promise<Quote> {
    // A quote is asked by a person: a malformed order is their mistake, said plainly, not a zero bid.
    // (The bid script itself still answers every order the provider sends; see exactQuote.)
    const checked = BidOrder.safeParse(order);
    if (!checked.success) {
      throw new RigError('invalid_input', `This is not a bid-engine order: ${formatZodError(checked.error)}.`, 'An order is the JSON the provider gives the price script: {"resources":[…],"price":{"denom":"uact","amount":"1000"}} (see `riglease pricing --help`).');
    }
    const [settings, market, local] = await Promise.all([this.settings(), this.deps.market.snapshot(), this.localGpus()]);
    const bidding = await this.currentBidding();
    const aktUsd = market?.aktUsd ?? settings.aktUsdOverride ?? null;
    return quote(order, settings, market, aktUsd, {
      local,
      paused: bidding.paused,
      ...(bidding.paused ? { pausedReason: scriptReason(bidding) } : {}),
      now: this.now(),
      rateAtMs: this.rateAtMs(settings, market),
    });
  }

  async estimate(utilizationPct: number | undefined, patch: Record<string, unknown> | undefined): Promise<PricingEstimate> {
    const [current, market, local] = await Promise.all([this.settings(), this.deps.market.snapshot(), this.localGpus()]);
    const proposed = patch ? await this.proposed(patch) : null;
    return estimate(current, proposed, market, local, utilizationPct ?? current.utilizationPct);
  }

  async market(refresh: boolean): Promise<MarketView> {
    if (!refresh) return this.deps.market.view();
    const view = await this.deps.market.refresh();
    this.deps.onMarket?.(view);
    // Follow-market prices and the AKT rate move with the market: the table follows.
    await this.publish().catch((err: unknown) => this.deps.logger.warn('price table not written after market refresh', { err: String(err) }));
    return view;
  }

  /** Availability tells the service whether the rig bids; the table's paused flag follows at once. */
  async setBidding(paused: boolean, reason: string): Promise<void> {
    this.bidding = { paused, reason };
    await this.serial(() => this.publishNow());
  }

  /** Rewrites the local script + table and delivers the table to the provider. */
  async publish(): Promise<BidConfigDelivery> {
    await this.currentBidding();
    return this.serial(() => this.publishNow());
  }

  /**
   * Writes the table when a provider exists and lacks this process's table: at start, and when
   * the node lost it (e.g. the k3s container was recreated). No provider: nothing is computed.
   */
  async reconcile(): Promise<void> {
    if (!this.deps.sink) return;
    const onNode = await this.deps.sink.read().catch(() => null);
    if (onNode === 'no-stack') {
      if (this.delivery.state !== 'no-stack') this.delivery = { state: 'no-stack', at: this.delivery.at, message: 'The provider stack is not installed or not reachable; the table is written when it is.' };
      return;
    }
    // First check after start (nothing written by this process yet) or the node lost it: write.
    if (this.lastConfig === null || onNode !== this.lastConfig) await this.publish();
    else if (this.delivery.state !== 'delivered') this.delivery = { state: 'delivered', at: this.now().toISOString(), message: "On the provider's /config volume; the next order is priced with it." };
  }

  /** Market refresh on a timer, for as long as someone listens (the hub calls these). */
  startMarketTimer(): void {
    if (this.marketTimer) return;
    // A snapshot younger than one period is shown as it is; older ones are refreshed now.
    void this.deps.market
      .view()
      .then((v) => (v.ageSeconds === null || v.ageSeconds * 1000 >= MARKET_REFRESH_MS ? this.market(true) : undefined))
      .catch(() => undefined);
    this.marketTimer = setInterval(() => void this.market(true).catch(() => undefined), MARKET_REFRESH_MS);
    this.marketTimer.unref();
  }

  /** True while the market refreshes on its timer (someone listens to `market.updated`). */
  get marketWatching(): boolean {
    return this.marketTimer !== null;
  }

  stopMarketTimer(): void {
    if (this.marketTimer) clearInterval(this.marketTimer);
    this.marketTimer = null;
  }

  /** True while the provider holds our table: only then do background checks (gaming scans) matter. */
  providerPresent(): boolean {
    return this.delivery.state === 'delivered';
  }

  startReconcile(): void {
    if (this.reconcileTimer) return;
    this.reconcileTimer = setInterval(() => void this.reconcile().catch((err: unknown) => this.deps.logger.warn('price table check failed', { err: String(err) })), RECONCILE_MS);
    this.reconcileTimer.unref();
  }

  stop(): void {
    this.stopMarketTimer();
    if (this.reconcileTimer) clearInterval(this.reconcileTimer);
    this.reconcileTimer = null;
  }

  private async settings(): Promise<PricingSettings> {
    return (await this.deps.settings.all()).pricing;
  }

  /** The GPUs this rig's provider prices: its own, and on a farm controller every member's. */
  async pricedGpus(): Promise<LocalGpu[]> {
    return this.localGpus();
  }

  private async localGpus(): Promise<LocalGpu[]> {
    const own = localGpus(this.deps.hardware.last() ?? (await this.deps.hardware.scan({ maxAgeMs: SCAN_MAX_AGE_MS }).catch(() => null)));
    // A farm controller's provider bids for every GPU of the farm: price each model, floor each machine's power.
    return (await this.deps.farmGpus(own).catch(() => null)) ?? own;
  }

  private async currentBidding(): Promise<Bidding> {
    if (!this.bidding) {
      const b = await this.deps.initialBidding();
      this.bidding ??= b;
    }
    return this.bidding;
  }

  private async proposed(patch: Record<string, unknown>): Promise<PricingSettings> {
    const current = await this.settings();
    const parsed = PricingSettings.safeParse(mergePatch(current, patch));
    if (!parsed.success) throw new RigError('invalid_input', `Price settings not valid: ${formatZodError(parsed.error)}`, 'Prices are USD per hour, from 0; nothing was changed.');
    return parsed.data;
  }

  private rateAtMs(settings: PricingSettings, market: MarketSnapshot | null): number {
    if (market?.aktUsd != null && market.aktFetchedAt) return Date.parse(market.aktFetchedAt);
    // A manual AKT price is the user's current word; it does not age.
    return settings.aktUsdOverride !== null ? this.now().getTime() : 0;
  }

  private rateIssues(settings: PricingSettings, market: MarketSnapshot | null): PriceIssue[] {
    if (market?.aktUsd == null && settings.aktUsdOverride === null) {
      return [{ severity: 'warn', key: 'aktUsd', message: 'No AKT price known: orders paid in AKT (uakt) get no bid. Refresh the market or set a manual AKT price; ACT/USDC orders still get bids.' }];
    }
    const age = (this.now().getTime() - this.rateAtMs(settings, market)) / 3_600_000;
    if (age > settings.aktRateMaxAgeHours) {
      return [{ severity: 'warn', key: 'aktUsd', message: `The AKT price is ${Math.round(age)} h old (limit ${settings.aktRateMaxAgeHours} h): orders paid in AKT get no bid until the market is refreshed.` }];
    }
    return [];
  }

  /** Another process (the CLI, an earlier run) may have written the table: its record is beside it. */
  private async loadLastDelivery(): Promise<void> {
    const text = await readFile(path.join(this.deps.bidDir, DELIVERY_FILE), 'utf8').catch(() => null);
    if (text === null) return;
    try {
      const rec = DeliveryRecord.parse(JSON.parse(text));
      this.writtenAt ??= rec.writtenAt;
      if (this.delivery.state === 'not-yet') this.delivery = rec.delivery;
    } catch {
      // A damaged record only loses the "last written" line; the next write replaces it.
    }
  }

  private async resolve(settings: PricingSettings): Promise<Resolution> {
    const [market, local] = await Promise.all([this.deps.market.view(), this.localGpus()]);
    return { settings, market, local, resolved: resolvePrices(settings, market.snapshot, local, { present: market.snapshot !== null, ageSeconds: market.ageSeconds }) };
  }

  private async publishNow(given?: Resolution): Promise<BidConfigDelivery> {
    const { settings, market: view, local, resolved } = given ?? (await this.resolve(await this.settings()));
    const market = view.snapshot;
    const bidding = this.bidding ?? { paused: false, reason: '' };
    const now = this.now();
    const files = bidScriptFiles({
      settings,
      market,
      rateAtMs: this.rateAtMs(settings, market),
      local,
      resolved,
      paused: bidding.paused,
      ...(bidding.paused ? { pausedReason: scriptReason(bidding) } : {}),
      now,
    });
    await mkdir(this.deps.bidDir, { recursive: true });
    await atomicWrite(path.join(this.deps.bidDir, BID_SCRIPT_NAME), files.script, 0o755);
    await atomicWrite(path.join(this.deps.bidDir, BID_CONFIG_NAME), files.config, 0o644);
    this.writtenAt = now.toISOString();
    this.lastConfig = files.config;
    if (!this.deps.sink) {
      this.delivery = { state: 'no-stack', at: null, message: 'This host does not run the provider.' };
    } else {
      try {
        const r = await this.deps.sink.write(files.config);
        this.delivery = { state: r.delivered ? 'delivered' : 'no-stack', at: r.delivered ? now.toISOString() : this.delivery.at, message: r.message };
      } catch (err) {
        this.delivery = { state: 'failed', at: this.delivery.at, message: `The price table could not be written to the provider: ${err instanceof Error ? err.message : String(err)}. The running app retries every minute.` };
        this.deps.logger.warn('price table not delivered', { err: String(err) });
      }
    }
    await atomicWrite(path.join(this.deps.bidDir, DELIVERY_FILE), `${JSON.stringify({ writtenAt: this.writtenAt, delivery: this.delivery })}\n`, 0o644);
    return this.delivery;
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

export function localGpus(report: HardwareReport | null): LocalGpu[] {
  return (report?.gpus ?? []).map((g) => ({ name: g.name, akash: g.akash, powerDrawW: g.powerDrawW, powerLimitW: g.powerLimitW, powerMaxLimitW: g.powerMaxLimitW }));
}

/** What the script (and quote) say when not bidding: `no bid: paused: <why>` in the provider log. */
function scriptReason(b: Bidding): string {
  return `paused: ${b.reason}`;
}

async function atomicWrite(file: string, body: string, mode: number): Promise<void> {
  const current = await readFile(file, 'utf8').catch(() => null);
  if (current === body) return;
  await writeFileAtomic(file, body, { mode });
}
