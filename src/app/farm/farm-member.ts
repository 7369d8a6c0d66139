import type Docker from 'dockerode';
import { networkInterfaces } from 'node:os';
import { RigError } from '../../api/errors.js';
import type { FarmJoinResult, FleetGpu } from '../../api/schemas/farm.js';
import type { HardwareReport } from '../../api/schemas/hardware.js';
import { agentContainerSpec, agentNames, agentNodeLabels, farmNodeName, type AgentSpecInput } from '../../provider/farm/agent-spec.js';
import { agentState, convergeAgent, removeAgent } from '../../provider/farm/agent-converge.js';
import { checkClockSkew, checkK3sVersion } from '../../provider/farm/clock.js';
import { checkExpiry, decodeJoinCode } from '../../provider/farm/join-code.js';
import { chooseLanAddress, hostOfUrl, lanAddressNote } from '../../provider/farm/lan-address.js';
import { joinGate } from '../../provider/farm/readiness-gate.js';
import type { HostFence } from '../../provider/stack/host-fence.js';
import { dockerError } from '../../provider/stack/stack-service.js';
import { K3S_VERSION, resolveImage } from '../../provider/stack/images.js';
import { rememberSecretValue } from '../../util/redact.js';
import { fleetGpuOf } from './farm-attributes.js';
import type { FarmDeps } from './farm-deps.js';
import { machineNameOf } from './farm-deps.js';
import { SECRET_K3S_TOKEN, SECRET_MACHINE_KEY } from './farm-state.js';
import { FleetClient } from './fleet-client.js';

/** Where a join reports its steps (a task's progress, or nothing). */
export interface JoinProgress {
  step(step: number, message: string): void;
  log(line: string): void;
}
const NO_PROGRESS: JoinProgress = { step: () => undefined, log: () => undefined };
export const JOIN_STEPS = 5;

/** A joining machine's half of the farm: join, heartbeats, and leaving when the controller removed it. */
export class FarmMember {
  constructor(private readonly d: FarmDeps) {}

  /**
   * Joins this machine: decode → readiness scan → controller reachable, clocks and k3s versions
   * agree, code not expired → register → agent container. Any failure undoes what was done
   * (registration, container, volumes, secrets): nothing is left half-joined.
   */
  async join(codeText: string, p: JoinProgress = NO_PROGRESS): Promise<FarmJoinResult> {
    p.step(1, 'Reading the join code…');
    const code = decodeJoinCode(codeText, null);
    for (const v of [codeText.trim(), code.k3sToken, code.pairingSecret]) rememberSecretValue(v);
    const st0 = await this.d.store.update((st) => ({ role: st.role, api: st.member?.api ?? null, machineId: st.machineId, hostFence: st.member?.hostFence ?? null }));
    if (st0.role === 'controller') {
      throw new RigError('conflict', 'This machine is a farm controller; it cannot join another farm.', 'Join from a machine that is not a controller.');
    }
    if (st0.role === 'member' && st0.api !== code.api) {
      throw new RigError('conflict', `This machine already belongs to the farm at ${st0.api}.`, 'Remove it there first (`riglease farm remove` on that controller), then join again.');
    }
    p.step(2, 'Checking that this machine can serve GPUs (readiness scan)…');
    const report = await this.d.scan(0);
    const gate = joinGate(report);
    const client = new FleetClient(code.api, code.apiFingerprint);
    p.step(3, `Asking the controller ${code.controller}: reachable, same clock, same k3s…`);
    // Already a member of this farm with a key the controller still takes: nothing to register
    // (a code is single-use, and the key is what proves this machine is this machine).
    const heldKey = st0.role === 'member' ? await this.d.secrets.get(SECRET_MACHINE_KEY) : null;
    const known = heldKey ? await client.hello(heldKey, st0.machineId).catch((err: unknown) => (err instanceof RigError && err.code === 'unauthorized' ? null : Promise.reject(err))) : null;
    const stillKnown = known !== null;
    const hello = known ?? (await client.hello(code.pairingSecret));
    checkClockSkew(this.d.now(), hello.serverTime);
    if (!stillKnown) checkExpiry(code, hello.serverTime);
    checkK3sVersion(K3S_VERSION, code.k3sVersion);

    const s = await this.d.settings();
    const hostname = machineNameOf(s, this.d.hostname());
    const nodeName = farmNodeName(hostname);
    const gpus: FleetGpu[] = report.gpus.map((g) => fleetGpuOf(g, undefined));
    // Before registering: a machine the others cannot reach would join as a node nobody can talk to.
    const lan = chooseLanAddress(networkInterfaces(), hostOfUrl(code.k3sUrl), s.farm.advertiseAddress);
    if (!lan) {
      throw new RigError(
        'precondition_failed',
        `This machine has no network address ${code.controller} can reach it on: the other machines of the farm must reach its k3s (kubelet, pod network), and Docker's own addresses only exist inside this computer.`,
        "Connect it to the same network as the controller, or set this machine's LAN address: riglease settings set farm.advertiseAddress 192.168.1.23 (your address), then join again.",
      );
    }
    // Secrets before anything else: a locked secret store fails here, with nothing to undo.
    const previousToken = await this.d.secrets.get(SECRET_K3S_TOKEN);
    await this.d.secrets.set(SECRET_K3S_TOKEN, code.k3sToken);
    let key: string | null = null;
    try {
      p.step(4, stillKnown ? 'Already registered with the controller: checking the agent container…' : 'Registering this machine with the controller…');
      const reg = stillKnown && heldKey
        ? { machineKey: heldKey, rejoined: true }
        : await client.register(code.pairingSecret, { machineId: st0.machineId, hostname, nodeName, k3sVersion: K3S_VERSION, rigleaseVersion: this.d.version, gpus, advertisedAddress: lan.address, ...(heldKey ? { currentKey: heldKey } : {}) });
      if (!stillKnown) key = reg.machineKey;
      rememberSecretValue(reg.machineKey);
      await this.d.secrets.set(SECRET_MACHINE_KEY, reg.machineKey);
      // The controller's public-address fence; an older controller does not send it, so keep what was known.
      const hostFence = hello.hostFence === undefined ? st0.hostFence : hello.hostFence;
      const input = this.specInput(s, code.k3sUrl, nodeName, report.gpus, st0.machineId, lan.address, hostFence);
      const planned = agentContainerSpec(input);
      const docker = this.d.docker();
      const logs: string[] = [];
      p.step(5, 'Starting the k3s agent container…');
      const result = await convergeAgent(docker, s.stack.namePrefix, planned.spec, planned.hash, code.k3sToken, (l) => {
        logs.push(l);
        p.log(l);
      }).catch((err: unknown) => {
        throw dockerError(err);
      });
      await this.d.store.update((st) => {
        st.role = 'member';
        st.member = { api: code.api, controller: code.controller, k3sUrl: code.k3sUrl, nodeName, joinedAt: st.member?.joinedAt ?? new Date(this.d.now()).toISOString(), lastHeartbeat: null, lastError: null, intent: 'schedulable', intentReason: null, intentApplied: false, toldAvailability: null, refused: null, apiFingerprint: code.apiFingerprint, hostFence, advertisedAddress: lan.address };
      });
      this.d.logger.info('joined farm', { controller: code.controller, node: nodeName, changed: result.changed, rejoined: reg.rejoined });
      const notes = [lanAddressNote(lan), ...gate.notes.map((n) => `Not blocking the join, but the controller should know: ${n}`), ...logs];
      if (reg.rejoined) notes.push('This machine was already part of the farm: it rejoined as the same node.');
      return {
        machineId: st0.machineId,
        nodeName,
        controller: code.controller,
        changed: result.changed,
        container: { name: agentNames(s.stack.namePrefix).container, id: result.id, started: result.started, specHash: planned.hash },
        gpus,
        plannedSpec: planned.spec as unknown as Record<string, unknown>,
        notes,
      };
    } catch (err) {
      if (stillKnown) {
        // A member rejoining keeps what it had: its key still works, its old token still runs its agent.
        if (previousToken) await this.d.secrets.set(SECRET_K3S_TOKEN, previousToken).catch(() => undefined);
        throw err;
      }
      if (key) await client.leave(key, st0.machineId).catch(() => undefined);
      await this.d.secrets.delete(SECRET_MACHINE_KEY).catch(() => undefined);
      await this.d.secrets.delete(SECRET_K3S_TOKEN).catch(() => undefined);
      throw err;
    }
  }

  private specInput(s: Awaited<ReturnType<FarmDeps['settings']>>, serverUrl: string, nodeName: string, gpus: HardwareReport['gpus'], machineId: string, address: string | null, hostFence: HostFence | null): AgentSpecInput {
    const selected = s.stack.gpus === 'all' ? gpus : gpus.filter((g) => g.uuid && (s.stack.gpus as string[]).includes(g.uuid));
    const allGpus = s.stack.gpus === 'all' && selected.some((g) => !g.uuid);
    return {
      prefix: s.stack.namePrefix,
      image: resolveImage('k3s', s.stack.images),
      serverUrl,
      nodeName,
      nodeLabels: agentNodeLabels(machineId, selected.length > 0),
      gpuDeviceIds: selected.length ? selected.map((g) => g.uuid).filter((u): u is string => !!u) : null,
      allGpus,
      restartPolicy: s.stack.restartPolicy,
      allowPrivateEgress: s.stack.allowPrivateEgress,
      dnsServers: s.stack.dnsServers,
      nodeExternalIp: address,
      kubeletPort: s.farm.kubeletPort,
      vxlanPort: s.farm.vxlanPort,
      wireguardPort: s.farm.wireguardPort,
      hostFence,
    };
  }

  /**
   * One heartbeat: GPUs with live telemetry, own availability, the agent container's state. A
   * controller that no longer takes this machine's key is recorded (`member.refused`) and shown,
   * and nothing is destroyed on that word alone: anything answering on the controller's address
   * could say it. The person removes the agent with `riglease farm leave --yes`. A controller that
   * does not answer changes nothing: the agent keeps running and the next beat tries again.
   */
  async heartbeat(): Promise<'sent' | 'refused' | 'failed' | 'not-member'> {
    const st = await this.d.store.read();
    if (st.role !== 'member' || !st.member) return 'not-member';
    const key = await this.d.secrets.get(SECRET_MACHINE_KEY);
    const s = await this.d.settings();
    if (!key) return 'failed';
    let container: 'running' | 'stopped' | 'missing' | 'unknown' = 'unknown';
    let docker: Docker | null = null;
    try {
      docker = this.d.docker();
      container = await agentState(docker, s.stack.namePrefix);
      // Someone removed the agent container (not stopped it: a stop is respected): put it back,
      // the same node with the same token, so the machine rejoins by itself.
      if (container === 'missing') container = await this.restoreAgent(docker, st.machineId, st.member.k3sUrl, st.member.nodeName, st.member.hostFence ?? null);
    } catch (err) {
      this.d.logger.warn('farm agent check failed', { err: err instanceof Error ? err.message : String(err) });
      container = 'unknown';
    }
    const avail = await this.d.availability().catch(() => null);
    const client = new FleetClient(st.member.api, st.member.apiFingerprint);
    try {
      const availability = avail ? avail.activity : null;
      const res = await client.heartbeat(key, { machineId: st.machineId, gpus: await this.d.liveGpus(), availability, availabilitySince: avail?.since ?? null, agentContainer: container, bench: await this.d.latestBench().catch(() => null), ...(st.member.advertisedAddress ? { advertisedAddress: st.member.advertisedAddress } : {}) });
      await this.d.store.update((x) => {
        if (x.member) {
          x.member.lastHeartbeat = new Date(this.d.now()).toISOString();
          x.member.lastError = null;
          x.member.intent = res.intent;
          if (res.reason !== undefined) x.member.intentReason = res.reason;
          if (res.applied !== undefined) x.member.intentApplied = res.applied;
          x.member.toldAvailability = res.availability !== undefined ? res.availability : availability;
          x.member.refused = null;
        }
      });
      return 'sent';
    } catch (err) {
      // Refused by the controller — unless this machine re-registered meanwhile (a join running
      // now got a new key): then the refusal was for the old key, and the next beat uses the new one.
      if (err instanceof RigError && err.code === 'unauthorized' && (await this.d.secrets.get(SECRET_MACHINE_KEY)) === key) {
        const first = st.member.refused === null;
        await this.d.store.update((x) => {
          if (x.member) x.member.refused ??= { since: new Date(this.d.now()).toISOString(), message: err.message };
        });
        if (first) this.d.logger.warn('the farm controller refused this machine; its agent is left running until the person decides', { controller: st.member.controller });
        return 'refused';
      }
      const msg = err instanceof Error ? err.message : String(err);
      await this.d.store.update((x) => {
        if (x.member) x.member.lastError = msg;
      });
      return 'failed';
    }
  }

  private async restoreAgent(docker: Docker, machineId: string, k3sUrl: string, nodeName: string, hostFence: HostFence | null): Promise<'running' | 'missing'> {
    const token = await this.d.secrets.get(SECRET_K3S_TOKEN);
    if (!token) return 'missing';
    const s = await this.d.settings();
    const report = this.d.lastReport() ?? (await this.d.scan(5 * 60_000));
    const input = this.specInput(s, k3sUrl, nodeName, report.gpus, machineId, chooseLanAddress(networkInterfaces(), hostOfUrl(k3sUrl), s.farm.advertiseAddress)?.address ?? null, hostFence);
    const actual = agentContainerSpec(input);
    await convergeAgent(docker, s.stack.namePrefix, actual.spec, actual.hash, token, () => undefined);
    this.d.logger.info('farm agent container was missing and has been re-created', { node: nodeName });
    return 'running';
  }

  /**
   * `riglease farm leave --yes` / Fleet → Leave the farm: the person's decision to remove this
   * machine's k3s agent (its containers and data) and forget its pairing. Refused without
   * confirmation, saying what goes. The controller is told when it answers (best effort).
   */
  async leave(confirm: boolean): Promise<{ removed: string[]; message: string }> {
    const st = await this.d.store.read();
    if (st.role !== 'member' || !st.member) throw new RigError('precondition_failed', 'This machine is not a member of a farm.', 'Nothing to leave.');
    if (!confirm) {
      throw new RigError(
        'precondition_failed',
        `Leaving the farm of ${st.member.controller} removes this machine's k3s agent (node ${st.member.nodeName}): tenants' containers running here stop, and its pairing is forgotten.${st.member.refused ? ` The controller refused this machine since ${st.member.refused.since} (${st.member.refused.message}).` : ''}`,
        'If that is what you want: `riglease farm leave --yes` (API: farm.leave with confirm: true).',
      );
    }
    const key = await this.d.secrets.get(SECRET_MACHINE_KEY);
    if (key && !st.member.refused) await new FleetClient(st.member.api, st.member.apiFingerprint).leave(key, st.machineId).catch(() => undefined);
    const s = await this.d.settings();
    let docker: Docker | null = null;
    try {
      docker = this.d.docker();
    } catch {
      docker = null;
    }
    const removed = await this.leaveLocally(docker, s.stack.namePrefix);
    return { removed, message: `Left the farm of ${st.member.controller}.${removed.length ? ` Removed: ${removed.join(', ')}.` : ''}` };
  }

  /** Stop and remove the agent (its data too), forget the pairing. */
  async leaveLocally(docker: Docker | null, prefix: string): Promise<string[]> {
    const removed = docker ? await removeAgent(docker, prefix, false) : [];
    await this.d.secrets.delete(SECRET_MACHINE_KEY);
    await this.d.secrets.delete(SECRET_K3S_TOKEN);
    await this.d.store.update((x) => {
      x.role = 'none';
      x.member = null;
    });
    this.d.logger.info('left the farm', { removed: removed.join(', ') });
    return removed;
  }
}
