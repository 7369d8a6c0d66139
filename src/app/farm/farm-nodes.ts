import { RigError } from '../../api/errors.js';
import type { FarmActionResult } from '../../api/schemas/farm.js';
import { kubectlFor, removalCommands } from '../../provider/farm/kube-commands.js';
import { drainWarning, LEASE_PODS_COMMAND, parseLeaseNodes } from '../../provider/farm/lease-nodes.js';
import { findContainer } from '../../provider/stack/docker-objects.js';
import { execIn } from '../../provider/stack/exec.js';
import { stackNames } from '../../provider/stack/names.js';
import type { FarmDeps } from './farm-deps.js';
import { machineNameOf } from './farm-deps.js';
import type { FarmState, MemberRecord } from './farm-state.js';

const KUBECTL_TIMEOUT_MS = 20_000;
const DRAIN_TIMEOUT_MS = 200_000;

export interface CommandOutcome {
  command: string[];
  applied: boolean;
  note: string | null;
}

type Intent = MemberRecord['intent'];

/** A member that goes offline itself does so only through the drain (after its confirmation). */
export const OWN_OFFLINE = 'the machine itself went offline (drained)';

/**
 * What a member's node should be, all reasons together: cordoned while it is paused from the
 * fleet view (`manual`) or by its own availability (anything but online: paused, gaming,
 * offline…), schedulable otherwise. The reason names the strongest cause.
 */
export function memberIntent(m: Pick<MemberRecord, 'nodeName' | 'availability'>, manual: boolean, manualReason = 'paused from the fleet view'): Intent {
  const ownPause = m.availability !== null && m.availability !== 'online';
  const state = manual || ownPause ? 'cordoned' : 'schedulable';
  const reason = manual ? manualReason : m.availability === 'offline' ? OWN_OFFLINE : ownPause ? `the machine itself is ${m.availability}` : null;
  return { manual, state, reason, command: kubectlFor(state === 'cordoned' ? 'cordon' : 'uncordon', m.nodeName), applied: false, note: null };
}

/**
 * The controller's node actions: kubectl in its own k3s container (cordon, uncordon, drain,
 * delete, the lease query), pause/resume/offline/remove of one machine, each recorded as the
 * node's intent with whether it ran.
 */
export class FarmNodes {
  constructor(private readonly d: FarmDeps) {}

  async setManual(machine: string, pause: boolean): Promise<FarmActionResult> {
    const st = await this.requireController();
    const s = await this.d.settings();
    const selfName = machineNameOf(s, this.d.hostname());
    const selfNode = stackNames(s.stack.namePrefix).hostname;
    if (await this.isSelf(machine, st)) {
      const out = await this.settleSelf({ manual: pause, force: true });
      const cmd = out ?? { command: kubectlFor(pause ? 'cordon' : 'uncordon', selfNode), applied: false, note: null };
      const self = (await this.d.store.read()).controller?.selfIntent;
      // Resumed from the fleet view while this machine itself still pauses (gaming…): its node stays cordoned.
      const message = !pause && self?.state === 'cordoned' ? `${selfName} is no longer paused from the fleet view, but its node stays cordoned: ${self.reason ?? 'it is paused'}.` : intentMessage(selfName, pause, cmd);
      return { machine: selfName, nodeName: selfNode, commands: [cmd], message };
    }
    const m = this.find(st, machine);
    await this.d.store.update((x) => {
      const r = x.controller?.members.find((y) => y.machineId === m.machineId);
      if (r) r.intent = memberIntent(r, pause);
    });
    const out = await this.applyIntent(m.machineId);
    return { machine: m.hostname, nodeName: m.nodeName, commands: [out], message: intentMessage(m.hostname, pause, out) };
  }

  /**
   * The controller's own node, all reasons together: cordoned while it is paused from the fleet
   * view (`manual`), or, when the farm has members, while this machine's own availability does
   * not bid (gaming, paused, a schedule…: only this machine stops taking leases; the other
   * machines keep bidding). Without members its own availability pauses the bid table instead,
   * so its node is left as it is. kubectl runs when the wanted state changes (or `force`);
   * returns what ran, or null when nothing had to.
   */
  async settleSelf(opts: { manual?: boolean; force?: boolean } = {}): Promise<CommandOutcome | null> {
    const s = await this.d.settings();
    const selfNode = stackNames(s.stack.namePrefix).hostname;
    const settle = (c: NonNullable<FarmState['controller']>): { intent: Intent | null; changed: boolean } => {
      const prev = c.selfIntent;
      const manual = opts.manual ?? prev?.manual ?? false;
      const own = c.ownAvailability ?? null;
      const ownPause = c.members.length > 0 && own !== null && !own.bidding;
      const state = manual || ownPause ? 'cordoned' : 'schedulable';
      const reason = manual ? 'paused from the fleet view' : ownPause ? `this machine itself is not bidding (${own.reason.replace(/\.$/, '')}); the other machines keep bidding` : null;
      const changed = (prev?.state ?? 'schedulable') !== state;
      const next: Intent = { manual, state, reason, command: kubectlFor(state === 'cordoned' ? 'cordon' : 'uncordon', selfNode), applied: changed ? false : (prev?.applied ?? false), note: changed ? null : (prev?.note ?? null) };
      return { intent: prev === null && !manual && state === 'schedulable' ? null : next, changed };
    };
    // The loop calls this every few seconds: farm.json is written only when the intent changes (the CLI writes it too).
    const now = (await this.d.store.read()).controller;
    if (!now) return null;
    const first = settle(now);
    if (!first.changed && !opts.force && JSON.stringify(first.intent) === JSON.stringify(now.selfIntent)) return null;
    let plan: Intent | null = null;
    await this.d.store.update((x) => {
      const c = x.controller;
      if (!c) return;
      const { intent, changed } = settle(c);
      c.selfIntent = intent;
      if ((changed || opts.force) && intent) plan = intent;
      else if ((changed || opts.force) && !intent) plan = { manual: false, state: 'schedulable', reason: null, command: kubectlFor('uncordon', selfNode), applied: false, note: null };
    });
    const todo = plan as Intent | null;
    if (!todo) return null;
    const out = await this.runKubectl(todo.command);
    await this.d.store.update((x) => {
      const self = x.controller?.selfIntent;
      if (self && self.command.join(' ') === out.command.join(' ')) {
        self.applied = out.applied;
        self.note = out.note;
      }
    });
    this.d.logger.info('farm node intent', { node: selfNode, command: out.command.join(' '), applied: out.applied, reason: todo.reason });
    return out;
  }

  /** The leases that draining this member's node would end, as the confirmation words them. */
  async drainWarningFor(m: Pick<MemberRecord, 'hostname' | 'nodeName'>): Promise<ReturnType<typeof drainWarning>> {
    const [{ outcome, byLease }, leases] = await Promise.all([this.leaseNodes(), this.d.leases ? this.d.leases().catch(() => null) : Promise.resolve(null)]);
    return drainWarning(m.hostname, m.nodeName, leases, byLease, outcome.note);
  }

  async remove(machine: string, confirm: boolean): Promise<FarmActionResult> {
    const st = await this.requireController();
    const m = this.find(st, machine);
    const cmds = removalCommands(m.nodeName);
    if (!confirm) {
      const warning = await this.drainWarningFor(m);
      throw new RigError(
        'precondition_failed',
        `Removing ${m.hostname} drains its node (the leases running on it end), deletes the node and forgets its pairing; its agent container stops on its next heartbeat. ${warning.detail}`,
        `Confirm with \`riglease farm remove ${m.hostname} --yes\` (API: confirm: true).`,
      );
    }
    const outcomes: CommandOutcome[] = [];
    for (const c of cmds) outcomes.push(await this.runKubectl(c));
    await this.d.store.update((x) => {
      if (x.controller) x.controller.members = x.controller.members.filter((y) => y.machineId !== m.machineId);
    });
    this.d.logger.info('farm machine removed', { machine: m.hostname, node: m.nodeName });
    const applied = outcomes.every((o) => o.applied);
    return {
      machine: m.hostname,
      nodeName: m.nodeName,
      commands: outcomes,
      message: `${m.hostname} was removed from the farm and its pairing forgotten.${applied ? '' : ' k3s did not answer, so its node is deleted when it does: run the commands shown on the controller if it stays listed.'}`,
    };
  }

  /**
   * Offline for one machine: cordon and drain its node (its leases end there). Refused without
   * confirmation, and the refusal lists the leases that would end (or says all on the node could,
   * when where they run is unknown). `resume` brings it back.
   */
  async offline(machine: string, confirm: boolean): Promise<FarmActionResult> {
    const st = await this.requireController();
    const s = await this.d.settings();
    const selfName = machineNameOf(s, this.d.hostname());
    if (await this.isSelf(machine, st)) {
      throw new RigError('precondition_failed', `${selfName} is the controller: its node runs the provider itself, so it is not drained from the fleet view.`, 'Pause it (`riglease farm pause controller`) or stop the provider on it (`riglease stack down`).');
    }
    const m = this.find(st, machine);
    const warning = await this.drainWarningFor(m);
    if (!confirm) {
      throw new RigError('precondition_failed', warning.message, `Confirm with \`riglease farm offline ${m.hostname} --yes\` (API: confirm: true); \`riglease farm resume ${m.hostname}\` brings it back.`);
    }
    const outcomes = await this.drain(m.machineId, { manual: true, reason: 'taken offline from the fleet view (drained)' });
    this.d.logger.info('farm machine offline', { machine: m.hostname, node: m.nodeName, applied: outcomes.every((o) => o.applied) });
    return { machine: m.hostname, nodeName: m.nodeName, commands: outcomes, message: offlineMessage(m.hostname, warning, outcomes) };
  }

  /** Records the member's node as cordoned for `why`, then cordons and drains it. */
  async drain(machineId: string, why: { manual: boolean; reason: string }): Promise<CommandOutcome[]> {
    let node = '';
    await this.d.store.update((x) => {
      const r = x.controller?.members.find((y) => y.machineId === machineId);
      if (!r) throw new RigError('not_found', 'That machine is not part of this farm.');
      node = r.nodeName;
      r.intent = { manual: why.manual, state: 'cordoned', reason: why.reason, command: kubectlFor('cordon', r.nodeName), applied: false, note: null };
    });
    return [await this.applyIntent(machineId), await this.runKubectl(kubectlFor('drain', node))];
  }

  /** Runs the member's current intent command against k3s and records the outcome. */
  async applyIntent(machineId: string): Promise<CommandOutcome> {
    const st = await this.d.store.read();
    const m = st.controller?.members.find((x) => x.machineId === machineId);
    if (!m) throw new RigError('not_found', 'That machine is not part of this farm.');
    const out = await this.runKubectl(m.intent.command);
    await this.d.store.update((x) => {
      const r = x.controller?.members.find((y) => y.machineId === machineId);
      if (r && r.intent.command.join(' ') === out.command.join(' ')) {
        r.intent.applied = out.applied;
        r.intent.note = out.note;
      }
    });
    this.d.logger.info('farm node intent', { node: m.nodeName, command: out.command.join(' '), applied: out.applied });
    return out;
  }

  /** kubectl in the controller's k3s container; never throws for k3s not answering: that is an outcome. */
  async runKubectl(command: string[]): Promise<CommandOutcome> {
    return (await this.kubectlOutput(command)).outcome;
  }

  /** The same, with what kubectl printed when it succeeded (queries). */
  async kubectlOutput(command: string[]): Promise<{ outcome: CommandOutcome; stdout: string | null }> {
    const s = await this.d.settings();
    const fail = (note: string) => ({ outcome: { command, applied: false, note }, stdout: null });
    try {
      const docker = this.d.docker();
      const info = await findContainer(docker, stackNames(s.stack.namePrefix).container, s.stack.namePrefix);
      if (!info) return fail('the provider stack is not installed on the controller');
      if (!info.State.Running) return fail('the controller\'s k3s container is stopped');
      // A drain waits for evictions up to its own --timeout (180 s); everything else answers at once.
      const r = await execIn(docker.getContainer(info.Id), command, { timeoutMs: command[1] === 'drain' ? DRAIN_TIMEOUT_MS : KUBECTL_TIMEOUT_MS });
      if (r.exitCode === 0) return { outcome: { command, applied: true, note: null }, stdout: r.stdout };
      const why = (r.stderr || r.stdout).trim().split('\n')[0] ?? '';
      return fail(`k3s did not accept it (exit ${r.exitCode ?? '?'}${why ? `: ${why.slice(0, 200)}` : ''})`);
    } catch (err) {
      return fail(`k3s could not be reached: ${err instanceof Error ? err.message.slice(0, 200) : String(err)}`);
    }
  }

  /** Where the provider's leases run: lease key → nodes, or null with why when the cluster did not say. */
  async leaseNodes(): Promise<{ outcome: CommandOutcome; byLease: Map<string, string[]> | null }> {
    const { outcome, stdout } = await this.kubectlOutput(LEASE_PODS_COMMAND);
    if (stdout === null) return { outcome, byLease: null };
    try {
      return { outcome, byLease: parseLeaseNodes(stdout) };
    } catch (err) {
      return { outcome: { command: outcome.command, applied: false, note: `kubectl's answer could not be read: ${err instanceof Error ? err.message.slice(0, 200) : String(err)}` }, byLease: null };
    }
  }

  async requireController(): Promise<FarmState> {
    const st = await this.d.store.read();
    if (st.role !== 'controller' || !st.controller) {
      throw new RigError(
        'precondition_failed',
        st.role === 'member' ? 'Other machines are paused and removed from the controller\'s fleet view, not from a member.' : 'This machine is not a farm controller.',
        st.role === 'member' ? 'Run the command on the controller; this machine pauses itself with `riglease availability pause` (or its tray).' : 'Make it one with `riglease farm token`.',
      );
    }
    return st;
  }

  find(st: FarmState, machine: string): MemberRecord {
    const q = machine.toLowerCase();
    const m = st.controller?.members.find((x) => [x.machineId, x.hostname, x.nodeName].some((n) => n.toLowerCase() === q));
    if (!m) {
      const known = st.controller?.members.map((x) => x.hostname).join(', ') || 'none';
      throw new RigError('not_found', `No machine called ${machine} in this farm (machines: ${known}).`, 'Use a name from `riglease farm status`.');
    }
    return m;
  }

  private async isSelf(machine: string, st: FarmState): Promise<boolean> {
    const s = await this.d.settings();
    const names = [machineNameOf(s, this.d.hostname()), stackNames(s.stack.namePrefix).hostname, 'controller', st.machineId];
    return names.some((n) => n.toLowerCase() === machine.toLowerCase());
  }
}

function intentMessage(name: string, pause: boolean, out: CommandOutcome): string {
  const what = pause ? `${name} is paused: no new lease will land on it; its running leases continue.` : `${name} takes new leases again.`;
  return out.applied ? what : `${what} Recorded; the node is updated when k3s answers (${out.note ?? 'not applied yet'}).`;
}

/** What offline did, with the leases that ended (or that any on the node could have). */
export function offlineMessage(name: string, warning: { known: boolean; leases: string[] }, outcomes: CommandOutcome[]): string {
  const ended = warning.known ? (warning.leases.length ? ` Leases ended there: ${warning.leases.join(', ')}.` : ' No lease ran there.') : ' Any lease that ran on it ended there.';
  return outcomes.every((o) => o.applied)
    ? `${name} is offline: its node is drained and takes no new lease.${ended}`
    : `${name} is marked offline; k3s did not carry it out yet (${outcomes.find((o) => !o.applied)?.note ?? 'no answer'}). Run the commands shown on the controller, or try again when k3s answers.`;
}
