import type { LeaseSummary } from '../../api/methods/availability.js';
import type { DesktopSettings } from '../../api/schemas/settings/desktop.js';
import type { Logger } from '../../util/logger.js';
import type { EventHub } from '../../core/event-hub.js';
import { applyNotificationPolicy, initialPolicyState, type NotificationSignal, type PolicyState } from './notification-policy.js';

/** What the lease and balance watch asks; each call may touch the chain, so it runs every few minutes only. */
export interface ChainWatch {
  /** Never asks the chain: no wallet, nothing to watch. */
  walletExists(): Promise<boolean>;
  activeLeases(): Promise<LeaseSummary[]>;
  balance(): Promise<{ ok: boolean; akt: string; message: string }>;
}

export interface NotificationCenterDeps {
  hub: EventHub;
  settings: () => Promise<DesktopSettings>;
  watch: ChainWatch;
  logger: Logger;
  now?: () => Date;
  /** Delay before the first lease look after start (the app is busy starting). */
  firstLookMs?: number;
}

/**
 * Runs the notification policy against the agent's events and a slow lease/balance watch, and
 * publishes what it decides as `app.notification`: Electron shows the native ones, the headless
 * server forwards every one over its event socket for the renderer's toasts.
 */
export class NotificationCenter {
  private state: PolicyState = initialPolicyState();
  private queue: Promise<void> = Promise.resolve();
  private offs: Array<() => void> = [];
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private readonly now: () => Date;

  constructor(private readonly deps: NotificationCenterDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** One signal through the policy; notifications are published in the order signals arrive. */
  submit(signal: NotificationSignal): Promise<void> {
    this.queue = this.queue.then(async () => {
      try {
        const settings = await this.deps.settings();
        const r = applyNotificationPolicy(this.state, signal, settings.notifications, this.now());
        this.state = r.state;
        for (const n of r.notifications) {
          this.deps.logger.info('notification', { title: n.title, category: n.category, native: n.native });
          this.deps.hub.publish('app.notification', n);
        }
      } catch (err) {
        this.deps.logger.warn('a notification could not be decided', { error: err instanceof Error ? err.message : String(err) });
      }
    });
    return this.queue;
  }

  /** Active leases at the last look; null before the first one (or without a wallet). */
  activeLeaseCount(): number | null {
    return this.state.leases?.length ?? null;
  }

  /** Listens to availability and task events and starts the lease/balance watch. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.offs.push(
      this.deps.hub.subscribe('availability.changed', (status) => void this.submit({ kind: 'availability', status })),
      this.deps.hub.subscribe('task.progress', (task) => {
        if (task.state === 'failed') void this.submit({ kind: 'task', task });
      }),
    );
    this.schedule(this.deps.firstLookMs ?? 20_000);
  }

  stop(): void {
    this.running = false;
    for (const off of this.offs.splice(0)) off();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** One look at leases and the balance (the timer calls it; tests call it directly). */
  async look(): Promise<void> {
    const w = this.deps.watch;
    if (!(await w.walletExists().catch(() => false))) return;
    try {
      await this.submit({ kind: 'leases', active: await w.activeLeases() });
    } catch (err) {
      this.deps.logger.debug('lease watch: leases not read', { error: err instanceof Error ? err.message : String(err) });
    }
    try {
      await this.submit({ kind: 'balance', ...(await w.balance()) });
    } catch (err) {
      this.deps.logger.debug('lease watch: balance not read', { error: err instanceof Error ? err.message : String(err) });
    }
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      void this.look()
        .then(() => this.deps.settings())
        .then((s) => this.schedule(s.leaseWatchMinutes * 60_000))
        .catch(() => this.schedule(5 * 60_000));
    }, ms);
    this.timer.unref();
  }
}
