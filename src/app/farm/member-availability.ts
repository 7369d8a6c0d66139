import { RigError } from '../../api/errors.js';
import type { LeaseSummary } from '../../api/methods/availability.js';
import type { FarmMemberNode } from '../../api/schemas/farm.js';
import type { MemberAvailabilityResponse } from '../../provider/farm/fleet-protocol.js';
import type { FarmMemberHooks } from '../availability/availability-service.js';
import type { FarmDeps } from './farm-deps.js';
import { SECRET_MACHINE_KEY, type FarmState } from './farm-state.js';
import { FleetClient } from './fleet-client.js';

type Member = NonNullable<FarmState['member']>;

/**
 * A member's own availability switch (its tray, app or `riglease availability`) reaching its
 * controller: a pause, gaming or online is told at once (the heartbeat repeats it), so the node
 * is cordoned or uncordoned within the second; offline first asks the controller which leases
 * draining this node would end, and only after the confirmation has it drained. What the
 * controller made of it is shown in this machine's availability (`status.farm`) and tray.
 */
export class MemberAvailability implements FarmMemberHooks {
  constructor(private readonly d: FarmDeps) {}

  async isMember(): Promise<boolean> {
    const st = await this.d.store.read();
    return st.role === 'member' && !!st.member;
  }

  async offlineConfirmation(): Promise<{ leases: LeaseSummary[]; message: string }> {
    const { member, res } = await this.call({ availability: null, offline: 'ask' });
    const c = res.confirmation;
    if (!c) throw new RigError('unavailable', `The controller ${member.controller} did not say which leases run on this machine.`, 'Update RigLease on the controller, or pause instead.');
    const leases = c.leases.map((key) => ({ id: key, description: `Lease ${key}, running on this machine (node ${member.nodeName})` }));
    const ends = c.known
      ? leases.length === 0
        ? 'No lease runs on it, so none ends.'
        : `It ends ${leases.length} running lease${leases.length === 1 ? '' : 's'} for their tenants.`
      : 'Where leases run is unknown, so every lease on this machine could end.';
    return { leases, message: `Going offline drains this machine's node ${member.nodeName} on the farm's controller ${member.controller}. ${ends} Pause instead to keep them and take no new lease. Confirm to go on.` };
  }

  async goOffline(): Promise<void> {
    const { res } = await this.call({ availability: 'offline', availabilitySince: new Date(this.d.now()).toISOString(), offline: 'confirm' });
    const failed = res.commands.find((c) => !c.applied);
    this.d.logger.info('farm: this machine went offline (node drained by the controller)', { applied: !failed, note: failed?.note ?? null });
  }

  /** This machine's node as the controller last said; with `push`, tells it `activity` first. */
  async node(status: { activity: string; since: string }, push: boolean): Promise<FarmMemberNode | null> {
    const activity = status.activity;
    let st = await this.d.store.read();
    if (st.role !== 'member' || !st.member) return null;
    if (push) {
      await this.call({ availability: activity, availabilitySince: status.since, offline: null }).catch(async (err: unknown) => {
        const why = err instanceof Error ? err.message : String(err);
        if (err instanceof RigError && err.code === 'unauthorized') return; // removed: the next heartbeat leaves
        await this.d.store.update((x) => {
          if (x.member) x.member.lastError = why;
        });
      });
      st = await this.d.store.read();
      if (st.role !== 'member' || !st.member) return null;
    }
    const m = st.member;
    return {
      controller: m.controller,
      nodeName: m.nodeName,
      intent: m.intent,
      reason: m.intentReason,
      applied: m.intentApplied,
      told: m.toldAvailability === activity,
      lastContact: m.lastHeartbeat,
      error: m.lastError,
    };
  }

  /** One call on the fleet API with this machine's key; the answer is recorded as the node's state. */
  private async call(body: { availability: string | null; availabilitySince?: string; offline: 'ask' | 'confirm' | null }): Promise<{ member: Member; res: MemberAvailabilityResponse }> {
    const st = await this.d.store.read();
    if (st.role !== 'member' || !st.member) throw new RigError('precondition_failed', 'This machine is not a member of a farm.');
    const key = await this.d.secrets.get(SECRET_MACHINE_KEY);
    if (!key) throw new RigError('precondition_failed', 'This machine\'s farm key is not in its secret store.', 'Join the farm again with a new code from the controller.');
    const res = await new FleetClient(st.member.api, st.member.apiFingerprint).availability(key, { machineId: st.machineId, ...body });
    if (body.offline !== 'ask') {
      await this.d.store.update((x) => {
        if (!x.member) return;
        x.member.intent = res.node.intent;
        x.member.intentReason = res.node.reason;
        x.member.intentApplied = res.node.applied;
        x.member.toldAvailability = body.availability;
        x.member.lastHeartbeat = new Date(this.d.now()).toISOString();
        x.member.lastError = null;
      });
    }
    return { member: st.member, res };
  }
}

/** The hooks for the availability service, reaching the farm (built lazily by the agent) only when called. */
export function memberAvailabilityHooks(get: () => FarmMemberHooks): FarmMemberHooks {
  return {
    isMember: () => get().isMember(),
    offlineConfirmation: () => get().offlineConfirmation(),
    goOffline: () => get().goOffline(),
    node: (status, push) => get().node(status, push),
  };
}
