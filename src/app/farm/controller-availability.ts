import { RigError } from '../../api/errors.js';
import type { FarmBidding } from '../../api/schemas/farm.js';
import type { FarmDeps } from './farm-deps.js';
import type { FarmNodes } from './farm-nodes.js';
import type { FarmState } from './farm-state.js';

/** What the provider's bid table says: its one paused flag stops bids for every GPU of the cluster. */
export interface BidTable {
  paused: boolean;
  reason: string;
}

/**
 * The controller machine's own availability, and the whole farm's pause.
 *
 * The provider's bid table has one paused flag, and on a controller it speaks for every machine
 * of the farm. So "gaming mode on one machine pauses only that machine": once the farm has a
 * member, the controller's own gaming, pause or schedule cordons the controller's node (no new
 * lease lands there; the Akash inventory drops a cordoned node, so nothing is bid on its GPUs)
 * and the table keeps bidding for the others. Without members it is today's single-machine
 * behaviour: the table's paused flag. Pausing the whole farm is its own explicit switch
 * (`riglease farm pause --all`, Fleet → Pause the whole farm), which is the table's flag.
 */
export class ControllerAvailability {
  /** The table as last handed to the pricing (this process), so the loop only writes changes. */
  private pushed: string | null = null;
  /** Whether the farm had members at the last reconcile (null: not looked yet, or not a controller). */
  private hadMembers: boolean | null = null;

  constructor(
    private readonly d: FarmDeps,
    private readonly nodes: FarmNodes,
  ) {}

  /**
   * The availability service's word on this machine (every change of whether it bids). On a
   * controller it is recorded and carried out on its node when the farm has members; the
   * answer is what the bid table must say. Elsewhere it is the table's flag, as always.
   */
  async own(bidding: boolean, reason: string): Promise<BidTable> {
    const st = await this.d.store.read();
    if (st.role !== 'controller' || !st.controller) return { paused: !bidding, reason };
    const was = st.controller.ownAvailability;
    if (!was || was.bidding !== bidding || was.reason !== reason) {
      await this.d.store.update((x) => {
        if (x.controller) x.controller.ownAvailability = { bidding, reason };
      });
    }
    await this.nodes.settleSelf();
    const t = await this.table(bidding, reason);
    this.pushed = key(t);
    return t;
  }

  /** Machines that joined this controller (0 when it is not one): its own pause then covers only itself. */
  async members(): Promise<number> {
    const st = await this.d.store.read();
    return st.role === 'controller' ? (st.controller?.members.length ?? 0) : 0;
  }

  /** What the bid table says for this machine's availability, without changing anything. */
  async table(bidding: boolean, reason: string): Promise<BidTable> {
    const st = await this.d.store.read();
    return tableOf(st, { bidding, reason });
  }

  /**
   * The loop (app, daemon): membership changed (first member joined, last one left) or another
   * process paused the farm: the controller's node and the table follow. Null when nothing is to
   * be written (not a controller, own availability not known yet, or unchanged).
   */
  async reconcile(): Promise<BidTable | null> {
    const st = await this.d.store.read();
    if (st.role !== 'controller' || !st.controller) {
      this.hadMembers = null;
      return null;
    }
    const hasMembers = st.controller.members.length > 0;
    let own = st.controller.ownAvailability;
    // The first member joined or the last one left: from now on this machine's own pause is its
    // node's cordon (or the table again). Its last decision may be stale (background checks skip
    // the GPU while no provider holds the table, and come every `checkIntervalSeconds`), so it is
    // decided afresh now. Likewise when this machine became a controller after its availability
    // last changed: the availability service decides at start and then only on changes.
    if (!own || hasMembers !== this.hadMembers) {
      const a = await (this.d.checkAvailability ?? this.d.availability)().catch(() => null);
      if (!a) return null;
      this.hadMembers = hasMembers;
      // A change of bidding already reached `own` through the availability hook; this covers "unchanged".
      const fresh = { bidding: a.bidding, reason: a.reason };
      const now = (await this.d.store.read()).controller?.ownAvailability;
      if (!now || now.bidding !== fresh.bidding || now.reason !== fresh.reason) {
        await this.d.store.update((x) => {
          if (x.controller) x.controller.ownAvailability = fresh;
        });
      }
      own = fresh;
    }
    await this.nodes.settleSelf();
    const t = tableOf(await this.d.store.read(), own);
    if (key(t) === this.pushed) return null;
    this.pushed = key(t);
    return t;
  }

  /** Pauses (or resumes) bidding for every machine of the farm: the bid table's paused flag. */
  async setFarmPause(pause: boolean, reason: string | null): Promise<FarmBidding> {
    const s = await this.d.settings();
    const st = await this.nodes.requireController();
    const since = new Date(this.d.now()).toISOString();
    await this.d.store.update((x) => {
      if (!x.controller) throw new RigError('precondition_failed', 'This machine is no longer a farm controller.');
      x.controller.farmPause = pause ? { reason: reason?.trim() || 'paused from the fleet view', since } : null;
    });
    const own = st.controller?.ownAvailability ?? { bidding: true, reason: '' };
    const t = tableOf(await this.d.store.read(), own);
    if (this.d.bidTable) {
      await this.d.bidTable(t);
      this.pushed = key(t);
    }
    const machines = (st.controller?.members.length ?? 0) + 1;
    this.d.logger.info(pause ? 'farm paused (bid table)' : 'farm resumed (bid table)', { machines, tablePaused: t.paused });
    const view = await this.view();
    const name = s.farm.machineName || this.d.hostname();
    const message = pause
      ? `The whole farm is paused: the provider bids for none of its ${machines} machine${machines === 1 ? '' : 's'}; running leases continue. Resume it with \`riglease farm resume --all\`.`
      : t.paused
        ? `The whole-farm pause is lifted, but the bid table stays paused: ${t.reason}`
        : `The whole farm bids again${view.selfCordoned ? ` (except ${name}, whose own node stays cordoned)` : ''}.`;
    return { paused: view.paused, reason: view.reason, since: view.since, tablePaused: t.paused, message };
  }

  /** The farm's bidding for the fleet view (`farm.status`). */
  async view(): Promise<{ paused: boolean; reason: string | null; since: string | null; selfCordoned: boolean }> {
    const st = await this.d.store.read();
    const p = st.controller?.farmPause ?? null;
    return { paused: p !== null, reason: p?.reason ?? null, since: p?.since ?? null, selfCordoned: st.controller?.selfIntent?.state === 'cordoned' };
  }
}

function tableOf(st: FarmState, own: { bidding: boolean; reason: string }): BidTable {
  const c = st.role === 'controller' ? st.controller : null;
  if (!c) return { paused: !own.bidding, reason: own.reason };
  if (c.farmPause) return { paused: true, reason: `the whole farm is paused (${c.farmPause.reason})` };
  // With members the controller's own pause is its node's cordon; the table keeps bidding for the farm.
  if (c.members.length > 0) return { paused: false, reason: own.bidding ? own.reason : `the farm bids; ${own.reason}` };
  return { paused: !own.bidding, reason: own.reason };
}

function key(t: BidTable): string {
  return `${t.paused}:${t.paused ? t.reason : ''}`;
}
