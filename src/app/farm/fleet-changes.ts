import type { FarmChanged } from '../../api/schemas/farm.js';
import type { OnDemandSource } from '../../core/event-hub.js';
import type { FarmDeps } from './farm-deps.js';
import type { FarmState } from './farm-state.js';

/** At most one announcement per this long: 50 members beating every 15 s write farm.json ~3 times a second. */
export const FLEET_CHANGE_GAP_MS = 1_000;

/**
 * `farm.changed` for a Fleet screen that shows one page of the farm: announced when farm.json is
 * written (by this process, or by another one: the CLI), and when a member crosses
 * `farm.unreachableAfterSec` without any write (a timer set for the next such moment, not a poll).
 * Folded to one per `FLEET_CHANGE_GAP_MS`. It runs only while someone listens (the event hub's
 * on-demand source): nobody watching costs nothing.
 */
export class FleetChanges implements OnDemandSource {
  private revision = 0;
  private lastAt = 0;
  private pending: NodeJS.Timeout | null = null;
  private pendingReason: FarmChanged['reason'] = 'reachability';
  private reachability: NodeJS.Timeout | null = null;
  private offs: (() => void)[] = [];

  constructor(
    private readonly d: Pick<FarmDeps, 'store' | 'settings' | 'now'>,
    private readonly emit: (change: FarmChanged) => void,
    private readonly gapMs = FLEET_CHANGE_GAP_MS,
  ) {}

  start(): void {
    if (this.offs.length > 0) return;
    this.offs = [
      this.d.store.onWrite((st) => {
        this.changed('state');
        void this.planReachability(st);
      }),
      this.d.store.watchFile(() => this.changed('state')),
    ];
    void this.planReachability();
  }

  stop(): void {
    for (const off of this.offs) off();
    this.offs = [];
    if (this.pending) clearTimeout(this.pending);
    if (this.reachability) clearTimeout(this.reachability);
    this.pending = null;
    this.reachability = null;
  }

  private changed(reason: FarmChanged['reason']): void {
    if (this.offs.length === 0) return;
    if (reason === 'state') this.pendingReason = 'state';
    if (this.pending) return;
    const wait = Math.max(0, this.lastAt + this.gapMs - this.d.now());
    this.pending = setTimeout(() => this.flush(), wait);
    this.pending.unref();
  }

  private flush(): void {
    this.pending = null;
    this.lastAt = this.d.now();
    this.revision += 1;
    const reason = this.pendingReason;
    this.pendingReason = 'reachability';
    this.emit({ revision: this.revision, at: new Date(this.lastAt).toISOString(), reason });
    // Another process may have written: the next reachability moment is read from the file.
    if (reason === 'state') void this.planReachability();
  }

  /** One timer for the next moment a member that answers would count as not answering. */
  private async planReachability(known?: FarmState): Promise<void> {
    try {
      const st = known ?? (await this.d.store.read());
      const afterMs = (await this.d.settings()).farm.unreachableAfterSec * 1000;
      const now = this.d.now();
      let next = Infinity;
      for (const m of st.controller?.members ?? []) {
        const at = (m.lastSeen ? Date.parse(m.lastSeen) : 0) + afterMs;
        if (at > now && at < next) next = at;
      }
      if (this.reachability) clearTimeout(this.reachability);
      this.reachability = null;
      if (next === Infinity || this.offs.length === 0) return;
      // Just past the moment, so the fleet rows read it as crossed.
      this.reachability = setTimeout(() => {
        this.reachability = null;
        this.changed('reachability');
        void this.planReachability();
      }, next - now + 50);
      this.reachability.unref();
    } catch {
      // A farm file that cannot be read now is read again at the next write.
    }
  }
}
