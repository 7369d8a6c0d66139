import { RigError } from '../../api/errors.js';
import { farmNodeName } from '../../provider/farm/agent-spec.js';
import { keyHash, keyMatchesHash, newSecret, type HeartbeatRequest, type MemberAvailabilityResponse, type RegisterRequest } from '../../provider/farm/fleet-protocol.js';
import { MemberAvailabilityRequest } from '../../provider/farm/fleet-protocol.js';
import { providerHostFence, type HostFence } from '../../provider/stack/host-fence.js';
import { K3S_VERSION } from '../../provider/stack/images.js';
import type { FarmDeps } from './farm-deps.js';
import { machineNameOf } from './farm-deps.js';
import { memberIntent, offlineMessage, OWN_OFFLINE, type FarmNodes } from './farm-nodes.js';
import type { MemberRecord } from './farm-state.js';
import type { FleetBackend } from './fleet-server.js';

/** How long a machine's key from before its re-registration still works (its beats in flight). */
const PREVIOUS_KEY_GRACE_MS = 5 * 60_000;

/** The controller's side of the fleet API: credentials (constant-time), registration, heartbeats, a member's own availability. */
export class ControllerFleetBackend implements FleetBackend {
  constructor(
    private readonly d: FarmDeps,
    private readonly nodes: FarmNodes,
  ) {}

  async pairingValid(secret: string): Promise<boolean> {
    const st = await this.d.store.read();
    if (st.role !== 'controller' || !st.controller) return false;
    const nowS = this.d.now() / 1000;
    let ok = false;
    // Compare against every live pairing, without stopping at the first match.
    for (const p of st.controller.pairings) if (keyMatchesHash(secret, p.hash) && p.expiresAt > nowS && p.usedAt === null) ok = true;
    return ok;
  }

  async machineValid(machineId: string, key: string): Promise<boolean> {
    const st = await this.d.store.read();
    const m = st.controller?.members.find((x) => x.machineId === machineId);
    // A hash of a random key is compared even for unknown machines, so timing says nothing;
    // the previous key (within its grace after a re-registration) is compared every time too.
    const current = keyMatchesHash(key, m?.keyHash ?? keyHash(newSecret()));
    const previous = keyMatchesHash(key, m?.previousKeyHash ?? keyHash(newSecret()));
    return !!m && (current || (previous && (m.previousKeyUntil ?? 0) > this.d.now()));
  }

  async hello(): Promise<{ serverTime: number; k3sVersion: string; controller: string; hostFence: HostFence | null }> {
    const s = await this.d.settings();
    return { serverTime: this.d.now(), k3sVersion: K3S_VERSION, controller: machineNameOf(s, this.d.hostname()), hostFence: providerHostFence(s.stack) };
  }

  /**
   * Registers a machine with a join code's pairing secret, which is spent in the same write: a
   * code registers one machine once. A machine the farm already knows keeps its key unless it
   * shows that key (`currentKey`); otherwise the operator removes it first (`farm remove`).
   */
  async register(req: RegisterRequest, pairingSecret: string, from?: string): Promise<{ machineKey: string; serverTime: number; rejoined: boolean }> {
    if (req.k3sVersion !== K3S_VERSION) {
      throw new RigError('precondition_failed', `The controller runs k3s ${K3S_VERSION} but the joining machine brings k3s ${req.k3sVersion}.`, 'Update RigLease on both machines to the same version, then join again.');
    }
    const s = await this.d.settings();
    const selfName = machineNameOf(s, this.d.hostname());
    const key = newSecret();
    const rejoined = await this.d.store.update((st) => {
      if (!st.controller) throw new RigError('precondition_failed', 'This machine is no longer a farm controller.');
      const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase() || farmNodeName(a) === farmNodeName(b);
      if (st.machineId === req.machineId || same(selfName, req.hostname)) {
        throw new RigError('conflict', `The controller is itself called ${selfName}: two machines of a farm cannot share a name.`, 'Rename the joining machine (its host name, or `riglease settings set farm.machineName NAME`) and join again.');
      }
      const clash = st.controller.members.find((m) => m.machineId !== req.machineId && same(m.hostname, req.hostname));
      if (clash) {
        throw new RigError('conflict', `Another machine of this farm is already called ${clash.hostname}; Kubernetes needs one node name per machine.`, 'Rename this machine (its host name, or `riglease settings set farm.machineName NAME`) and join again; or, if it replaces the old one, remove that one first (`riglease farm remove ' + clash.hostname + '` on the controller).');
      }
      const now = new Date(this.d.now()).toISOString();
      const existing = st.controller.members.find((m) => m.machineId === req.machineId);
      if (existing && !keyMatchesHash(req.currentKey, existing.keyHash)) {
        throw new RigError(
          'conflict',
          `This farm already has a machine with this id (${existing.hostname}); a join code cannot take its place.`,
          `If this computer is ${existing.hostname} and was reinstalled, remove it on the controller first (\`riglease farm remove ${existing.hostname} --yes\`), then join again with a new code.`,
        );
      }
      const nowS = this.d.now() / 1000;
      const pairing = st.controller.pairings.find((p) => keyMatchesHash(pairingSecret, p.hash));
      if (!pairing || pairing.expiresAt <= nowS || pairing.usedAt !== null) {
        throw new RigError('unauthorized', pairing?.usedAt ? 'This join code was already used: each code lets one machine in, once.' : 'The controller does not accept this join code: it expired or was never made here.', 'Make a new code on the controller (`riglease farm token`) and join again.');
      }
      pairing.usedAt = now;
      pairing.usedBy = req.hostname;
      if (existing) {
        Object.assign(existing, { previousKeyHash: existing.keyHash, previousKeyUntil: this.d.now() + PREVIOUS_KEY_GRACE_MS, keyHash: keyHash(key), hostname: req.hostname, nodeName: req.nodeName, k3sVersion: req.k3sVersion, rigleaseVersion: req.rigleaseVersion, gpus: req.gpus, lastSeen: now, advertisedAddress: req.advertisedAddress ?? existing.advertisedAddress, seenFrom: from ?? existing.seenFrom });
        return true;
      }
      st.controller.members.push({
        machineId: req.machineId,
        hostname: req.hostname,
        nodeName: req.nodeName,
        k3sVersion: req.k3sVersion,
        rigleaseVersion: req.rigleaseVersion,
        joinedAt: now,
        lastSeen: now,
        keyHash: keyHash(key),
        previousKeyHash: null,
        previousKeyUntil: null,
        gpus: req.gpus,
        availability: null,
        availabilitySince: null,
        agentContainer: 'unknown',
        bench: null,
        intent: memberIntent({ nodeName: req.nodeName, availability: null }, false),
        advertisedAddress: req.advertisedAddress ?? null,
        seenFrom: from ?? null,
      });
      return false;
    });
    this.d.logger.info('farm machine registered', { machine: req.hostname, node: req.nodeName, rejoined });
    return { machineKey: key, serverTime: this.d.now(), rejoined };
  }

  async heartbeat(req: HeartbeatRequest, from?: string): Promise<{ serverTime: number; intent: 'schedulable' | 'cordoned'; reason: string | null; applied: boolean; availability: string | null }> {
    const m = await this.record(req.machineId, { value: req.availability, since: req.availabilitySince ?? null }, (r) => {
      r.gpus = req.gpus;
      if (req.advertisedAddress) r.advertisedAddress = req.advertisedAddress;
      if (from) r.seenFrom = from;
      r.agentContainer = req.agentContainer;
      r.bench = req.bench ?? null;
    });
    return { serverTime: this.d.now(), intent: m.intent.state, reason: m.intent.reason, applied: m.intent.applied, availability: m.availability };
  }

  /**
   * A member switched its own availability (its tray, app or CLI): recorded and carried out at
   * once. Offline first only asks (`ask`: which leases draining its node would end, nothing
   * changes); confirmed, the node is cordoned and drained.
   */
  async memberAvailability(input: unknown): Promise<MemberAvailabilityResponse> {
    const req = MemberAvailabilityRequest.parse(input);
    const s = await this.d.settings();
    const controller = machineNameOf(s, this.d.hostname());
    const answer = (m: MemberRecord, extra: Partial<MemberAvailabilityResponse> = {}): MemberAvailabilityResponse => ({
      serverTime: this.d.now(),
      controller,
      node: { name: m.nodeName, intent: m.intent.state, reason: m.intent.reason, applied: m.intent.applied, note: m.intent.note },
      confirmation: null,
      commands: [],
      ...extra,
    });
    if (req.offline === 'ask') {
      const st = await this.d.store.read();
      const m = st.controller?.members.find((x) => x.machineId === req.machineId);
      if (!m) throw new RigError('unauthorized', 'This machine was removed from the farm.');
      const w = await this.nodes.drainWarningFor(m);
      return answer(m, { confirmation: { leases: w.leases, known: w.known, message: `${w.message} Pause instead to keep them running and take no new lease.` } });
    }
    if (req.offline === 'confirm') {
      const m0 = await this.record(req.machineId, { value: 'offline', since: req.availabilitySince ?? null }, () => undefined, false);
      const warning = await this.nodes.drainWarningFor(m0);
      const commands = await this.nodes.drain(req.machineId, { manual: m0.intent.manual, reason: m0.intent.manual ? (m0.intent.reason ?? 'paused from the fleet view') : OWN_OFFLINE });
      this.d.logger.info('farm machine offline by itself', { machine: m0.hostname, node: m0.nodeName, applied: commands.every((c) => c.applied) });
      const m = await this.member(req.machineId);
      return answer(m, { commands, confirmation: { leases: warning.leases, known: warning.known, message: offlineMessage(m.hostname, warning, commands) } });
    }
    const m = await this.record(req.machineId, { value: req.availability, since: req.availabilitySince ?? null }, () => undefined);
    return answer(m);
  }

  async leave(req: { machineId: string }): Promise<{ left: boolean }> {
    const left = await this.d.store.update((st) => {
      const before = st.controller?.members.length ?? 0;
      if (st.controller) st.controller.members = st.controller.members.filter((m) => m.machineId !== req.machineId);
      return (st.controller?.members.length ?? 0) < before;
    });
    return { left };
  }

  /**
   * Records a member's word (last seen, its availability, `more`) and, when that changes what its
   * node should be, the new intent, which kubectl then carries out (unless `apply` is false).
   */
  private async record(machineId: string, availability: { value: string | null; since: string | null }, more: (m: MemberRecord) => void, apply = true): Promise<MemberRecord> {
    const changed = await this.d.store.update((st) => {
      const m = st.controller?.members.find((x) => x.machineId === machineId);
      if (!m) throw new RigError('unauthorized', 'This machine was removed from the farm.');
      m.lastSeen = new Date(this.d.now()).toISOString();
      // A heartbeat that set out before the machine's latest switch carries its old availability: kept out.
      const older = availability.since !== null && m.availabilitySince !== null && Date.parse(availability.since) < Date.parse(m.availabilitySince);
      if (!older) {
        m.availability = availability.value;
        m.availabilitySince = availability.since;
      }
      more(m);
      // Paused or taken offline from the fleet view: that wins, with its own reason, until resumed there.
      const want = memberIntent(m, m.intent.manual, m.intent.reason ?? undefined);
      if (want.state === m.intent.state) {
        if (!m.intent.manual) m.intent.reason = want.reason;
        return false;
      }
      m.intent = want;
      return true;
    });
    if (changed && apply) await this.nodes.applyIntent(machineId);
    return this.member(machineId);
  }

  private async member(machineId: string): Promise<MemberRecord> {
    const m = (await this.d.store.read()).controller?.members.find((x) => x.machineId === machineId);
    if (!m) throw new RigError('unauthorized', 'This machine was removed from the farm.');
    return m;
  }
}
