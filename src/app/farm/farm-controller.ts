import os from 'node:os';
import { RigError } from '../../api/errors.js';
import type { FarmActionResult, FarmToken, FleetMachine } from '../../api/schemas/farm.js';
import { encodeJoinCode } from '../../provider/farm/join-code.js';
import { keyHash, keyMatchesHash, newSecret, type HeartbeatRequest, type RegisterRequest } from '../../provider/farm/fleet-protocol.js';
import { kubectlFor, removalCommands } from '../../provider/farm/kube-commands.js';
import { drainWarning, LEASE_PODS_COMMAND, parseLeaseNodes } from '../../provider/farm/lease-nodes.js';
import { farmNodeName } from '../../provider/farm/agent-spec.js';
import { findContainer } from '../../provider/stack/docker-objects.js';
import { execIn } from '../../provider/stack/exec.js';
import { K3S_VERSION } from '../../provider/stack/images.js';
import { stackNames } from '../../provider/stack/names.js';
import { readNodeFileState } from '../../provider/stack/node-file.js';
import { rememberSecretValue } from '../../util/redact.js';
import type { FleetBackend } from './fleet-server.js';
import type { FarmDeps } from './farm-deps.js';
import { machineNameOf } from './farm-deps.js';
import { SECRET_K3S_TOKEN, SECRET_PAIRING, type FarmState, type MemberRecord } from './farm-state.js';

/** Where k3s writes the token agents join with (k3s docs: "Cluster Options", node-token). */
export const NODE_TOKEN_FILE = '/var/lib/rancher/k3s/server/node-token';
const KUBECTL_TIMEOUT_MS = 20_000;

/** The first private IPv4 of this machine, for the addresses in a join code. */
export function firstPrivateIPv4(): string | null {
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.family === 'IPv4' && !a.internal && /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.)/.test(a.address)) return a.address;
    }
  }
  return null;
}

export interface CommandOutcome {
  command: string[];
  applied: boolean;
  note: string | null;
}

/** The controller's half of the farm: join codes, the fleet API backend, node intents, removal. */
export class FarmController implements FleetBackend {
  /** The port the fleet API really listens on (set by the service when it is open). */
  listeningPort: number | null = null;

  constructor(private readonly d: FarmDeps) {}

  async token(validMinutes: number): Promise<FarmToken> {
    const s = await this.d.settings();
    const state = await this.d.store.read();
    if (state.role === 'member') {
      throw new RigError('conflict', `This machine is already a member of the farm of ${state.member?.controller ?? 'another controller'}, so it cannot be a controller too.`, 'Make the code on the controller instead, or remove this machine from its farm first (`riglease farm remove` there).');
    }
    const prefix = s.stack.namePrefix;
    const file = await readNodeFileState(this.d.docker(), prefix, NODE_TOKEN_FILE);
    if (!file.container) {
      throw new RigError('precondition_failed', 'The farm\'s cluster is this machine\'s provider stack, and it is not installed yet.', 'Start providing on this machine first (`riglease stack up` or Start providing), then add machines.');
    }
    const k3sToken = file.body?.trim() ?? '';
    if (!k3sToken) {
      throw new RigError('precondition_failed', 'k3s on this machine has not finished starting: it has no join token yet.', 'Wait until `riglease stack status` shows k3s ready, then try again.');
    }
    const address = s.farm.advertiseAddress || firstPrivateIPv4() || '127.0.0.1';
    const pairing = newSecret();
    const expiresAt = Math.floor(this.d.now() / 1000) + validMinutes * 60;
    const port = this.listeningPort ?? s.farm.fleetPort;
    const api = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
    const k3sUrl = `https://${address.includes(':') ? `[${address}]` : address}:${s.farm.k3sPort}`;
    const hostname = machineNameOf(s, this.d.hostname());
    // Secrets first: a code is only handed out once its secrets are safely stored.
    await this.d.secrets.set(SECRET_PAIRING, pairing);
    await this.d.secrets.set(SECRET_K3S_TOKEN, k3sToken);
    await this.d.store.update((st) => {
      const nowS = this.d.now() / 1000;
      st.role = 'controller';
      st.controller ??= { createdAt: new Date(this.d.now()).toISOString(), pairings: [], members: [], selfIntent: null };
      st.controller.pairings = [...st.controller.pairings.filter((p) => p.expiresAt > nowS), { hash: keyHash(pairing), expiresAt }];
    });
    const code = encodeJoinCode({ k3sUrl, k3sToken, api, pairingSecret: pairing, expiresAt, k3sVersion: K3S_VERSION, controller: hostname });
    for (const v of [code, pairing, k3sToken]) rememberSecretValue(v);
    const notes: string[] = [];
    if (!s.farm.advertiseAddress && address === '127.0.0.1') notes.push('No network address found: the code points at 127.0.0.1, which only this machine reaches. Set farm.advertiseAddress to this machine\'s LAN address.');
    if (this.listeningPort === null) notes.push(`The fleet API (port ${port}) opens while RigLease runs here (the app or \`riglease serve\`): keep it running while machines join.`);
    notes.push(`Other machines must reach this one on TCP ${s.farm.k3sPort} (k3s) and ${port} (fleet API), and UDP 8472 (pod network).`);
    if (!(await this.publishesFarmPorts(prefix))) {
      // The stack publishes the farm's ports only on a controller, and this machine just became one.
      notes.push(`The provider stack was set up before this machine was a farm controller, so it does not accept machines yet: run \`riglease stack up\` (or Upgrade on the Provider stack screen) once to publish TCP ${s.farm.k3sPort} and 10250 and UDP 8472. k3s restarts, and so do the leases running on this machine.`);
    }
    return { code, expiresAt: new Date(expiresAt * 1000).toISOString(), k3sUrl, api, notes };
  }

  /** Whether the running k3s container already publishes the k3s API port a joining agent needs. */
  private async publishesFarmPorts(prefix: string): Promise<boolean> {
    const info = await this.d.docker().getContainer(stackNames(prefix).container).inspect().catch(() => null);
    const bindings = info?.HostConfig.PortBindings as Record<string, unknown> | undefined;
    return bindings !== undefined && Object.keys(bindings).some((p) => p === '6443/tcp');
  }

  // ---- fleet API backend (every check constant-time) ----

  async pairingValid(secret: string): Promise<boolean> {
    const st = await this.d.store.read();
    if (st.role !== 'controller' || !st.controller) return false;
    const nowS = this.d.now() / 1000;
    let ok = false;
    // Compare against every live pairing, without stopping at the first match.
    for (const p of st.controller.pairings) if (keyMatchesHash(secret, p.hash) && p.expiresAt > nowS) ok = true;
    return ok;
  }

  async machineValid(machineId: string, key: string): Promise<boolean> {
    const st = await this.d.store.read();
    const m = st.controller?.members.find((x) => x.machineId === machineId);
    // A hash of a random key is compared even for unknown machines, so timing says nothing.
    return keyMatchesHash(key, m?.keyHash ?? keyHash(newSecret())) && !!m;
  }

  async hello(): Promise<{ serverTime: number; k3sVersion: string; controller: string }> {
    const s = await this.d.settings();
    return { serverTime: this.d.now(), k3sVersion: K3S_VERSION, controller: machineNameOf(s, this.d.hostname()) };
  }

  async register(req: RegisterRequest): Promise<{ machineKey: string; serverTime: number; rejoined: boolean }> {
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
      if (existing) {
        existing.keyHash = keyHash(key);
        existing.hostname = req.hostname;
        existing.nodeName = req.nodeName;
        existing.k3sVersion = req.k3sVersion;
        existing.rigleaseVersion = req.rigleaseVersion;
        existing.gpus = req.gpus;
        existing.lastSeen = now;
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
        gpus: req.gpus,
        availability: null,
        agentContainer: 'unknown',
        bench: null,
        intent: { manual: false, state: 'schedulable', reason: null, command: kubectlFor('uncordon', req.nodeName), applied: false, note: null },
      });
      return false;
    });
    this.d.logger.info('farm machine registered', { machine: req.hostname, node: req.nodeName, rejoined });
    return { machineKey: key, serverTime: this.d.now(), rejoined };
  }

  async heartbeat(req: HeartbeatRequest): Promise<{ serverTime: number; intent: 'schedulable' | 'cordoned' }> {
    let changed: MemberRecord | null = null;
    const intent = await this.d.store.update((st) => {
      const m = st.controller?.members.find((x) => x.machineId === req.machineId);
      if (!m) throw new RigError('unauthorized', 'This machine was removed from the farm.');
      m.lastSeen = new Date(this.d.now()).toISOString();
      m.gpus = req.gpus;
      m.availability = req.availability;
      m.agentContainer = req.agentContainer;
      m.bench = req.bench ?? null;
      const ownPause = req.availability !== null && req.availability !== 'online';
      const want = m.intent.manual || ownPause ? 'cordoned' : 'schedulable';
      if (want !== m.intent.state) {
        m.intent = { ...m.intent, state: want, reason: m.intent.manual ? 'paused from the fleet view' : ownPause ? `the machine itself is ${req.availability}` : null, applied: false, note: null, command: kubectlFor(want === 'cordoned' ? 'cordon' : 'uncordon', m.nodeName) };
        changed = m;
      }
      return m.intent.state;
    });
    if (changed) await this.applyIntent((changed as MemberRecord).machineId);
    return { serverTime: this.d.now(), intent };
  }

  async leave(req: { machineId: string }): Promise<{ left: boolean }> {
    const left = await this.d.store.update((st) => {
      const before = st.controller?.members.length ?? 0;
      if (st.controller) st.controller.members = st.controller.members.filter((m) => m.machineId !== req.machineId);
      return (st.controller?.members.length ?? 0) < before;
    });
    return { left };
  }

  // ---- pause / resume / remove ----

  async setManual(machine: string, pause: boolean): Promise<FarmActionResult> {
    const st = await this.requireController();
    const s = await this.d.settings();
    const selfName = machineNameOf(s, this.d.hostname());
    const selfNode = stackNames(s.stack.namePrefix).hostname;
    const isSelf = [selfName, selfNode, 'controller', st.machineId].some((n) => n.toLowerCase() === machine.toLowerCase());
    if (isSelf) {
      const cmd = kubectlFor(pause ? 'cordon' : 'uncordon', selfNode);
      const out = await this.runKubectl(cmd);
      await this.d.store.update((x) => {
        if (x.controller) x.controller.selfIntent = { manual: pause, state: pause ? 'cordoned' : 'schedulable', reason: pause ? 'paused from the fleet view' : null, command: cmd, applied: out.applied, note: out.note };
      });
      return { machine: selfName, nodeName: selfNode, commands: [out], message: this.intentMessage(selfName, pause, out) };
    }
    const m = this.find(st, machine);
    await this.d.store.update((x) => {
      const r = x.controller?.members.find((y) => y.machineId === m.machineId);
      if (!r) return;
      const ownPause = r.availability !== null && r.availability !== 'online';
      const state = pause || ownPause ? 'cordoned' : 'schedulable';
      r.intent = { manual: pause, state, reason: pause ? 'paused from the fleet view' : ownPause ? `the machine itself is ${r.availability}` : null, command: kubectlFor(state === 'cordoned' ? 'cordon' : 'uncordon', r.nodeName), applied: false, note: null };
    });
    const out = await this.applyIntent(m.machineId);
    return { machine: m.hostname, nodeName: m.nodeName, commands: [out], message: this.intentMessage(m.hostname, pause, out) };
  }

  private intentMessage(name: string, pause: boolean, out: CommandOutcome): string {
    const what = pause ? `${name} is paused: no new lease will land on it; its running leases continue.` : `${name} takes new leases again.`;
    return out.applied ? what : `${what} Recorded; the node is updated when k3s answers (${out.note ?? 'not applied yet'}).`;
  }

  async remove(machine: string, confirm: boolean): Promise<FarmActionResult> {
    const st = await this.requireController();
    const m = this.find(st, machine);
    const cmds = removalCommands(m.nodeName);
    if (!confirm) {
      const [{ outcome, byLease }, leases] = await Promise.all([this.leaseNodes(), this.d.leases ? this.d.leases().catch(() => null) : Promise.resolve(null)]);
      const warning = drainWarning(m.hostname, m.nodeName, leases, byLease, outcome.note);
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
    if ([selfName, stackNames(s.stack.namePrefix).hostname, 'controller', st.machineId].some((n) => n.toLowerCase() === machine.toLowerCase())) {
      throw new RigError('precondition_failed', `${selfName} is the controller: its node runs the provider itself, so it is not drained from the fleet view.`, 'Pause it (`riglease farm pause controller`) or stop the provider on it (`riglease stack down`).');
    }
    const m = this.find(st, machine);
    const [{ outcome, byLease }, leases] = await Promise.all([this.leaseNodes(), this.d.leases ? this.d.leases().catch(() => null) : Promise.resolve(null)]);
    const warning = drainWarning(m.hostname, m.nodeName, leases, byLease, outcome.note);
    if (!confirm) {
      throw new RigError('precondition_failed', warning.message, `Confirm with \`riglease farm offline ${m.hostname} --yes\` (API: confirm: true); \`riglease farm resume ${m.hostname}\` brings it back.`);
    }
    const cordon = kubectlFor('cordon', m.nodeName);
    await this.d.store.update((x) => {
      const r = x.controller?.members.find((y) => y.machineId === m.machineId);
      if (r) r.intent = { manual: true, state: 'cordoned', reason: 'taken offline from the fleet view (drained)', command: cordon, applied: false, note: null };
    });
    const outcomes = [await this.applyIntent(m.machineId), await this.runKubectl(kubectlFor('drain', m.nodeName))];
    this.d.logger.info('farm machine offline', { machine: m.hostname, node: m.nodeName, applied: outcomes.every((o) => o.applied) });
    const ended = warning.known ? (warning.leases.length ? ` Leases ended there: ${warning.leases.join(', ')}.` : ' No lease ran there.') : ' Any lease that ran on it ended there.';
    return {
      machine: m.hostname,
      nodeName: m.nodeName,
      commands: outcomes,
      message: outcomes.every((o) => o.applied)
        ? `${m.hostname} is offline: its node is drained and takes no new lease.${ended}`
        : `${m.hostname} is marked offline; k3s did not carry it out yet (${outcomes.find((o) => !o.applied)?.note ?? 'no answer'}). Run the commands shown on the controller, or try again when k3s answers.`,
    };
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
      const r = await execIn(docker.getContainer(info.Id), command, { timeoutMs: KUBECTL_TIMEOUT_MS });
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

  private async requireController(): Promise<FarmState> {
    const st = await this.d.store.read();
    if (st.role !== 'controller' || !st.controller) {
      throw new RigError('precondition_failed', st.role === 'member' ? 'Machines are paused and removed from the controller\'s fleet view, not from a member.' : 'This machine is not a farm controller.', st.role === 'member' ? 'Run the command on the controller.' : 'Make it one with `riglease farm token`.');
    }
    return st;
  }

  private find(st: FarmState, machine: string): MemberRecord {
    const q = machine.toLowerCase();
    const m = st.controller?.members.find((x) => [x.machineId, x.hostname, x.nodeName].some((n) => n.toLowerCase() === q));
    if (!m) {
      const known = st.controller?.members.map((x) => x.hostname).join(', ') || 'none';
      throw new RigError('not_found', `No machine called ${machine} in this farm (machines: ${known}).`, 'Use a name from `riglease farm status`.');
    }
    return m;
  }

  /** The fleet rows: the controller first, then every member with reachability from its last heartbeat. */
  async machines(): Promise<FleetMachine[]> {
    const st = await this.d.store.read();
    const s = await this.d.settings();
    const now = this.d.now();
    const selfNode = stackNames(s.stack.namePrefix).hostname;
    const self = st.controller?.selfIntent;
    const avail = await this.d.availability().catch(() => null);
    const rows: FleetMachine[] = [
      {
        machineId: st.machineId,
        hostname: machineNameOf(s, this.d.hostname()),
        role: 'controller',
        nodeName: selfNode,
        reachability: 'self',
        lastSeen: new Date(now).toISOString(),
        joinedAt: st.controller?.createdAt ?? new Date(now).toISOString(),
        node: self
          ? { intent: self.state, reason: self.reason, command: self.command, applied: self.applied, note: self.note }
          : { intent: 'schedulable', reason: null, command: kubectlFor('uncordon', selfNode), applied: false, note: null },
        availability: avail?.activity ?? null,
        agentContainer: 'not-applicable',
        k3sVersion: K3S_VERSION,
        gpus: await this.d.liveGpus().catch(() => []),
        bench: await this.d.latestBench().catch(() => null),
      },
    ];
    for (const m of st.controller?.members ?? []) {
      const seen = m.lastSeen ? Date.parse(m.lastSeen) : 0;
      rows.push({
        machineId: m.machineId,
        hostname: m.hostname,
        role: 'agent',
        nodeName: m.nodeName,
        reachability: now - seen <= s.farm.unreachableAfterSec * 1000 ? 'online' : 'unreachable',
        lastSeen: m.lastSeen,
        joinedAt: m.joinedAt,
        node: { intent: m.intent.state, reason: m.intent.reason, command: m.intent.command, applied: m.intent.applied, note: m.intent.note },
        availability: m.availability,
        agentContainer: m.agentContainer,
        k3sVersion: m.k3sVersion,
        gpus: m.gpus,
        bench: m.bench,
      });
    }
    return rows;
  }
}
