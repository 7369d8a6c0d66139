import type { FarmActionResult, FarmJoinResult, FarmStatus, FarmToken, FleetGpu, FleetMachine } from '../../api/schemas/farm.js';
import { leasesPerNode, type LeaseEarning } from '../../provider/farm/lease-nodes.js';
import type { AttributeBuilder } from '../../provider/chain/provider-service.js';
import type { LocalGpu } from '../../provider/pricing/power-floor.js';
import type { TaskRef } from '../../api/schemas/task.js';
import type { TaskRegistry } from '../../core/task-registry.js';
import { farmAttributes, fleetGpuOf } from './farm-attributes.js';
import { ClusterGpus } from './cluster-gpus.js';
import { ControllerAvailability } from './controller-availability.js';
import { FarmController } from './farm-controller.js';
import type { FarmDeps } from './farm-deps.js';
import { FarmMember, JOIN_STEPS, type JoinProgress } from './farm-member.js';
import { startFleetServer, type RunningFleetServer } from './fleet-server.js';
import { firstPrivateIPv4 } from './farm-token.js';
import { fleetListenHost } from './fleet-listen.js';
import { openJoinCodes } from './farm-state.js';
import { controllerFleetCert } from './fleet-tls.js';
import { MemberAvailability } from './member-availability.js';

/** How often a long-running host looks at the farm state (the CLI may have changed it). */
const TICK_MS = 3_000;
/**
 * In no farm there is nothing to serve or beat: the loop reads the farm file every 30 s instead
 * of every 3 s (the resting agent's budget). A pairing or join through this agent resets it at once.
 */
const NO_FARM_TICK_MS = 30_000;
/** How long farm.status waits for the chain's leases. */
const LEASES_WAIT_MS = 5_000;

/**
 * The farm as the Agent owns it. One-shot CLI processes only read and change state; the app and
 * the daemon also run the loop: the fleet API while this machine is a controller with a pairing
 * or members (no open port otherwise), heartbeats while it is a member.
 */
export class FarmService {
  readonly controller: FarmController;
  readonly member: FarmMember;
  /** A member's own availability switch, told to its controller (the availability service calls it). */
  readonly memberAvailability: MemberAvailability;
  /** The controller's own availability (its node when the farm has members) and the whole farm's pause (the bid table). */
  readonly controllerAvailability: ControllerAvailability;
  private readonly clusterGpus: ClusterGpus;
  private fleet: RunningFleetServer | null = null;
  private fleetOpening: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private unwatch: (() => void) | null = null;
  private lastBeat = 0;
  private ticking = false;
  private quietUntil = 0;
  /** Bumped by every call that makes this machine part of a farm, so a tick already under way cannot put the loop back to sleep. */
  private wakeups = 0;
  /** A tick was asked for while one ran: it runs again right after. */
  private tickAgain = false;
  /** The member count at the last write seen, so a join or a leave runs the loop at once. */
  private knownMembers: number | null = null;

  constructor(
    private readonly d: FarmDeps,
    private readonly tasks: TaskRegistry | null = null,
  ) {
    this.controller = new FarmController(d);
    this.member = new FarmMember(d);
    this.memberAvailability = new MemberAvailability(d);
    this.controllerAvailability = new ControllerAvailability(d, this.controller.nodes);
    this.clusterGpus = new ClusterGpus(d);
    // A machine joined or left through the fleet API: the controller's node and the bid table
    // follow now, not at the next tick.
    d.store.onWrite((st) => {
      const n = st.controller?.members.length ?? 0;
      if (this.knownMembers !== null && n !== this.knownMembers) this.runSoon();
      this.knownMembers = n;
    });
  }

  revokeToken(id: string): Promise<{ id: string; message: string }> {
    return this.controller.revokeToken(id);
  }

  async token(validMinutes: number, opts: { recreate?: boolean } = {}): Promise<FarmToken> {
    this.wake();
    if (this.timer) await this.ensureFleetServer().catch((err: unknown) => this.d.logger.warn('fleet API did not open', { err: String(err) }));
    const t = await this.controller.token(validMinutes, opts);
    if (this.timer) await this.ensureFleetServer();
    return t;
  }

  /** Joining as a task: steps and the image download as progress, the FarmJoinResult as its result. */
  joinTask(code: string): TaskRef {
    if (!this.tasks) throw new Error('no task registry');
    return this.tasks.start('farm.join', JOIN_STEPS, (p) => this.join(code, p));
  }

  async join(code: string, p?: JoinProgress): Promise<FarmJoinResult> {
    this.wake();
    const r = await this.member.join(code, p);
    if (this.timer) {
      this.lastBeat = this.d.now();
      await this.member.heartbeat().catch(() => undefined);
    }
    return r;
  }

  pause(machine: string): Promise<FarmActionResult> {
    return this.controller.setManual(machine, true);
  }

  resume(machine: string): Promise<FarmActionResult> {
    return this.controller.setManual(machine, false);
  }

  offline(machine: string, confirm: boolean): Promise<FarmActionResult> {
    return this.controller.offline(machine, confirm);
  }

  remove(machine: string, confirm: boolean): Promise<FarmActionResult> {
    return this.controller.remove(machine, confirm);
  }

  /** Controller only: the members' GPUs as their last heartbeats said (unreachable ones too: they come back); null elsewhere. */
  async memberGpus(): Promise<FleetGpu[] | null> {
    const st = await this.d.store.read();
    if (st.role !== 'controller' || !st.controller) return null;
    return st.controller.members.flatMap((m) => m.gpus);
  }

  /**
   * The provider registration's attributes: on a farm controller, over the whole farm's GPUs
   * (this machine's scan plus every member's); elsewhere undefined, so the chain's own builder is used.
   */
  async attributeBuilder(): Promise<AttributeBuilder | undefined> {
    const members = await this.memberGpus();
    if (!members) return undefined;
    return (report, profile) => farmAttributes(report, profile, [...(report?.gpus ?? []).map((g) => fleetGpuOf(g, undefined)), ...members]);
  }

  /** The pricing's GPU list: on a controller, this machine's GPUs plus every member's (each with its own power limits); else null. */
  async pricingGpus(own: LocalGpu[]): Promise<LocalGpu[] | null> {
    const members = await this.memberGpus();
    if (!members) return null;
    return [...own, ...members.map((g) => ({ name: g.name, akash: g.akash, powerDrawW: g.powerDrawW, powerLimitW: g.powerLimitW ?? null, powerMaxLimitW: g.powerMaxLimitW ?? null }))];
  }

  /** The farm; with `limit`, one page of its machines (totals, attributes and notes are the whole farm's). */
  async status(page: { offset?: number; limit?: number } = {}): Promise<FarmStatus> {
    const st = await this.d.store.read();
    const s = await this.d.settings();
    if (st.role === 'controller') {
      const all = await this.controller.machines();
      const gpus = all.flatMap((m) => m.gpus);
      const attrs = farmAttributes(this.d.lastReport(), s.chain.provider, gpus);
      const offset = page.offset ?? 0;
      const machines = page.limit === undefined ? all : all.slice(offset, offset + page.limit);
      const leases = await this.leasePlacement(all, machines);
      const notes = [...attrs.warnings];
      if (leases.chainNote) notes.push(leases.chainNote);
      if (leases.unplaced.length > 0) notes.push(`${leases.unplaced.length} of ${leases.total} lease(s) run on an unknown machine${leases.query.applied ? '' : ` (where leases run could not be asked: ${leases.query.note ?? 'no answer'})`}.`);
      if (!this.fleet && this.timer === null) notes.push('The fleet API is closed in this process; it is open while the app or `riglease serve` runs.');
      notes.push(...unreachableNotes(all));
      // Every page's reader learns of a member the others may not reach, not only the page it is on.
      notes.push(...all.flatMap((m) => (m.address?.warning ? [m.address.warning] : [])).slice(0, UNREACHABLE_NAMED));
      const codes = openJoinCodes(st, this.d.now() / 1000);
      return {
        role: 'controller',
        controller: null,
        codes,
        machines,
        ...(page.limit === undefined ? {} : { page: { offset, limit: page.limit, total: all.length } }),
        totals: { machines: all.length, reachable: all.filter((m) => m.reachability !== 'unreachable').length, gpus: gpus.length },
        attributes: attrs.attributes,
        notes,
        leases,
        bidding: await this.controllerAvailability.view().then(({ paused, reason, since }) => ({ paused, reason, since })),
      };
    }
    if (st.role === 'member' && st.member) {
      const notes = ['The fleet view of the whole farm is on the controller.'];
      if (st.member.refused) {
        notes.push(`The controller ${st.member.controller} refuses this machine since ${st.member.refused.since}: ${st.member.refused.message} Its k3s agent keeps running here until you decide: to remove it and leave the farm, run \`riglease farm leave --yes\`; to stay, join again with a new code from the controller.`);
      }
      if (st.member.lastError) notes.push(`Last heartbeat failed: ${st.member.lastError}`);
      // The node's state itself is the availability status's (farm.node): this only says how to switch it.
      notes.push(`Pause or resume this machine's node (${st.member.nodeName}) here, with \`riglease availability pause|online\`, or from its tray.`);
      return { role: 'member', controller: { hostname: st.member.controller, api: st.member.api }, machines: [], totals: { machines: 0, reachable: 0, gpus: 0 }, attributes: [], notes };
    }
    return {
      role: 'none',
      controller: null,
      machines: [],
      totals: { machines: 0, reachable: 0, gpus: 0 },
      attributes: [],
      notes: ['This machine is not part of a farm. Make it the controller with "Add a machine" (`riglease farm token`), or join one with `riglease farm join` (it asks for the code).'],
    };
  }

  /**
   * Leases per machine: the chain's active leases placed on nodes by the cluster's answer
   * (never guessed: without it every machine says "unknown") and each machine's share of the
   * earnings. Fills `shown[].leases` (the page), placing over `machines` (the whole farm).
   */
  private async leasePlacement(machines: FleetMachine[], shown: FleetMachine[]): Promise<NonNullable<FarmStatus['leases']>> {
    let leases: LeaseEarning[] = [];
    let chainNote: string | null = null;
    if (!this.d.leases) chainNote = 'Leases are not read in this process.';
    else {
      try {
        // The fleet view never waits long on the chain: without an answer in time, leases are "unknown".
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${LEASES_WAIT_MS / 1000} s`)), LEASES_WAIT_MS);
        });
        leases = await Promise.race([this.d.leases(), late]).finally(() => clearTimeout(timer));
      } catch (err) {
        chainNote = `The provider's leases could not be read from the chain: ${err instanceof Error ? err.message : String(err)}`;
      }
    }
    const { outcome, byLease } = await this.controller.leaseNodes();
    const { perNode, unplaced } = leasesPerNode(machines.map((m) => m.nodeName), leases, byLease);
    for (const m of shown) {
      const p = perNode.get(m.nodeName);
      if (p) m.leases = p;
    }
    return { query: outcome, chainNote, total: leases.length, unplaced };
  }

  private wake(): void {
    this.wakeups += 1;
    this.quietUntil = 0;
  }

  /** Starts the loop (the app and the daemon only). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), TICK_MS);
    this.timer.unref();
    // Another process (a CLI join or token) changed the farm file while the loop rests: look now,
    // not at the end of the 30 s rest. (A busy loop looks every 3 s anyway.)
    this.unwatch = this.d.store.watchFile(() => {
      if (this.d.now() >= this.quietUntil) return;
      this.wake();
      this.runSoon();
    });
    void this.tick();
  }

  /** One tick now (after the one under way, if any), when the loop runs in this process. */
  private runSoon(): void {
    if (!this.timer) return;
    if (this.ticking) this.tickAgain = true;
    else void this.tick();
  }

  private async tick(): Promise<void> {
    if (this.ticking || this.d.now() < this.quietUntil) return;
    this.ticking = true;
    const generation = this.wakeups;
    try {
      const st = await this.d.store.read();
      this.knownMembers ??= st.controller?.members.length ?? 0;
      // A token or a join that came while this tick read the file keeps the loop awake.
      this.quietUntil = st.role === 'none' && generation === this.wakeups ? this.d.now() + NO_FARM_TICK_MS : 0;
      const s = await this.d.settings();
      const wantFleet = st.role === 'controller' && !!st.controller && (st.controller.pairings.some((p) => p.expiresAt > this.d.now() / 1000 && p.usedAt === null) || st.controller.members.length > 0);
      if (wantFleet) await this.ensureFleetServer();
      else await this.closeFleetServer();
      // A member joined or left, or another process paused the farm: the controller's node and the bid table follow.
      if (st.role === 'controller' && this.d.bidTable) {
        const t = await this.controllerAvailability.reconcile();
        if (t) await this.d.bidTable(t);
      }
      // A GPU machine joined: the device plugin goes into the running k3s now (its failure is the loop's warning, tried again next tick).
      if (st.role === 'controller') await this.clusterGpus.follow(st);
      if (st.role === 'member' && this.d.now() - this.lastBeat >= s.farm.heartbeatSec * 1000) {
        this.lastBeat = this.d.now();
        await this.member.heartbeat();
      }
    } catch (err) {
      this.d.logger.warn('farm loop', { err: err instanceof Error ? err.message : String(err) });
    } finally {
      this.ticking = false;
      if (this.tickAgain) {
        this.tickAgain = false;
        void this.tick();
      }
    }
  }

  private async ensureFleetServer(): Promise<void> {
    if (this.fleet) return;
    this.fleetOpening ??= (async () => {
      const s = await this.d.settings();
      try {
        this.fleet = await startFleetServer({ host: fleetListenHost(s.farm, firstPrivateIPv4), port: s.farm.fleetPort, backend: this.controller, logger: this.d.logger, tls: await controllerFleetCert(this.d) });
        this.controller.listeningPort = this.fleet.port;
      } finally {
        this.fleetOpening = null;
      }
    })();
    await this.fleetOpening;
  }

  private async closeFleetServer(): Promise<void> {
    const f = this.fleet;
    if (!f) return;
    this.fleet = null;
    this.controller.listeningPort = null;
    await f.close();
  }

  /** The fleet port when it is open (tests, status). */
  fleetPort(): number | null {
    return this.fleet?.port ?? null;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.unwatch?.();
    this.unwatch = null;
    await this.closeFleetServer();
  }
}

/** Machines that stopped answering, by name; past a few, how many more (a farm of hundreds stays readable). */
const UNREACHABLE_NAMED = 5;
function unreachableNotes(machines: FleetMachine[]): string[] {
  const gone = machines.filter((m) => m.reachability === 'unreachable');
  const notes = gone.slice(0, UNREACHABLE_NAMED).map((m) => `${m.hostname} has not answered since ${m.lastSeen ?? 'it joined'}; its running containers keep going, and it rejoins by itself when it is back.`);
  if (gone.length > UNREACHABLE_NAMED) notes.push(`${gone.length - UNREACHABLE_NAMED} more machines have not answered either (Fleet lists each with when it was last seen).`);
  return notes;
}
