import type { DnsStatus } from '../../api/schemas/network.js';
import type { Logger } from '../../util/logger.js';

export interface DynamicDnsDeps {
  /** The address DNS should hold now (null: could not be read this time). */
  currentAddress: () => Promise<string | null>;
  /** Whether a token and a domain are set, so there is something to keep. */
  enabled: () => Promise<boolean>;
  /** Writes the records and resolves them. */
  sync: (address: string) => Promise<DnsStatus>;
  intervalMs: () => Promise<number>;
  logger: Logger;
}

/**
 * The dynamic-DNS loop: every interval (at least 5 minutes outside tests) it reads the public
 * address and writes the records only when the address differs from the one last written and
 * verified, so an unchanged address costs one small request and no Cloudflare write.
 */
export class DynamicDns {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private applied: string | null = null;
  private lastStatus: DnsStatus | null = null;
  private ticks = 0;

  constructor(private readonly deps: DynamicDnsDeps) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.schedule(0);
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The last records status the loop produced (for the dashboard); null before the first. */
  last(): DnsStatus | null {
    return this.lastStatus;
  }

  /** How many times it looked (tests read it). */
  get lookCount(): number {
    return this.ticks;
  }

  /** A manual sync (the person pressed "update DNS") counts as applied. */
  remember(status: DnsStatus): void {
    this.lastStatus = status;
    if (status.verified && status.publicAddress) this.applied = status.publicAddress;
  }

  private async schedule(delayMs: number): Promise<void> {
    if (!this.running) return;
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    this.ticks++;
    try {
      if (await this.deps.enabled()) {
        const address = await this.deps.currentAddress();
        if (address === null) this.deps.logger.warn('dynamic DNS: the public address could not be read; records left as they are');
        else if (address !== this.applied) {
          const status = await this.deps.sync(address);
          this.lastStatus = status;
          const changed = status.records.filter((r) => r.state === 'created' || r.state === 'updated').map((r) => r.name);
          this.deps.logger.info('dynamic DNS: records checked', { address, changed: changed.join(' ') || 'none', verified: status.verified });
          // Keep trying next time until resolving confirms it: a write that did not land is retried.
          if (status.verified) this.applied = address;
        }
      }
    } catch (err) {
      this.deps.logger.warn('dynamic DNS: update failed; trying again next round', { error: err instanceof Error ? err.message : String(err) });
    }
    await this.schedule(await this.deps.intervalMs().catch(() => 300_000));
  }
}
