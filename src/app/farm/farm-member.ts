import type Docker from 'dockerode';
import { RigError } from '../../api/errors.js';
import type { FarmJoinResult, FleetGpu } from '../../api/schemas/farm.js';
import type { HardwareReport } from '../../api/schemas/hardware.js';
import { agentContainerSpec, agentNames, agentNodeLabels, farmNodeName, type AgentSpecInput } from '../../provider/farm/agent-spec.js';
import { agentState, convergeAgent, removeAgent } from '../../provider/farm/agent-converge.js';
import { checkClockSkew, checkK3sVersion } from '../../provider/farm/clock.js';
import { checkExpiry, decodeJoinCode } from '../../provider/farm/join-code.js';
import { joinGate } from '../../provider/farm/readiness-gate.js';
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
    const st0 = await this.d.store.update((st) => ({ role: st.role, api: st.member?.api ?? null, machineId: st.machineId }));
    if (st0.role === 'controller') {
      throw new RigError('conflict', 'This machine is a farm controller; it cannot join another farm.', 'Join from a machine that is not a controller.');
    }
    if (st0.role === 'member' && st0.api !== code.api) {
      throw new RigError('conflict', `This machine already belongs to the farm at ${st0.api}.`, 'Remove it there first (`riglease farm remove` on that controller), then join again.');
    }
    p.step(2, 'Checking that this machine can serve GPUs (readiness scan)…');
    const report = await this.d.scan(0);
    const gate = joinGate(report, { skipRuntimeChecks: this.d.engineWithoutGpus });
    const client = new FleetClient(code.api);
    p.step(3, `Asking the controller ${code.controller}: reachable, same clock, same k3s…`);
    const hello = await client.hello(code.pairingSecret);
    checkClockSkew(this.d.now(), hello.serverTime);
    checkExpiry(code, hello.serverTime);
    checkK3sVersion(K3S_VERSION, code.k3sVersion);

    const s = await this.d.settings();
    const hostname = machineNameOf(s, this.d.hostname());
    const nodeName = farmNodeName(hostname);
    const gpus: FleetGpu[] = report.gpus.map((g) => fleetGpuOf(g, undefined));
    // Secrets before anything else: a locked secret store fails here, with nothing to undo.
    await this.d.secrets.set(SECRET_K3S_TOKEN, code.k3sToken);
    let key: string | null = null;
    try {
      p.step(4, 'Registering this machine with the controller…');
      const reg = await client.register(code.pairingSecret, { machineId: st0.machineId, hostname, nodeName, k3sVersion: K3S_VERSION, rigleaseVersion: this.d.version, gpus });
      key = reg.machineKey;
      rememberSecretValue(key);
      await this.d.secrets.set(SECRET_MACHINE_KEY, key);
      const input = this.specInput(s, code.k3sUrl, nodeName, report.gpus, st0.machineId);
      const planned = agentContainerSpec(input);
      const actual = this.d.engineWithoutGpus ? agentContainerSpec({ ...input, gpuDeviceIds: null }) : planned;
      const docker = this.d.docker();
      const logs: string[] = [];
      p.step(5, 'Starting the k3s agent container…');
      const result = await convergeAgent(docker, s.stack.namePrefix, actual.spec, actual.hash, code.k3sToken, (l) => {
        logs.push(l);
        p.log(l);
      }).catch((err: unknown) => {
        throw dockerError(err);
      });
      await this.d.store.update((st) => {
        st.role = 'member';
        st.member = { api: code.api, controller: code.controller, k3sUrl: code.k3sUrl, nodeName, joinedAt: st.member?.joinedAt ?? new Date(this.d.now()).toISOString(), lastHeartbeat: null, lastError: null, intent: 'schedulable', intentReason: null, intentApplied: false, toldAvailability: null };
      });
      this.d.logger.info('joined farm', { controller: code.controller, node: nodeName, changed: result.changed, rejoined: reg.rejoined });
      const notes = [...gate.notes.map((n) => `Not blocking the join, but the controller should know: ${n}`), ...logs];
      if (this.d.engineWithoutGpus) notes.push('Test engine without the NVIDIA runtime: the container was created without its DeviceRequests (plannedSpec has them).');
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
      if (key) await client.leave(key, st0.machineId).catch(() => undefined);
      await this.d.secrets.delete(SECRET_MACHINE_KEY).catch(() => undefined);
      await this.d.secrets.delete(SECRET_K3S_TOKEN).catch(() => undefined);
      throw err;
    }
  }

  private specInput(s: Awaited<ReturnType<FarmDeps['settings']>>, serverUrl: string, nodeName: string, gpus: HardwareReport['gpus'], machineId: string): AgentSpecInput {
    const selected = s.stack.gpus === 'all' ? gpus : gpus.filter((g) => g.uuid && (s.stack.gpus as string[]).includes(g.uuid));
    const allGpus = s.stack.gpus === 'all' && selected.some((g) => !g.uuid);
    return {
      prefix: s.stack.namePrefix,
      image: resolveImage('k3s', s.stack.images),
      serverUrl,
      nodeName,
      nodeLabels: agentNodeLabels(machineId),
      gpuDeviceIds: selected.length ? selected.map((g) => g.uuid).filter((u): u is string => !!u) : null,
      allGpus,
      restartPolicy: s.stack.restartPolicy,
      allowPrivateEgress: s.stack.allowPrivateEgress,
      dnsServers: s.stack.dnsServers,
      nodeExternalIp: s.farm.advertiseAddress || null,
      kubeletPort: s.farm.kubeletPort,
      vxlanPort: s.farm.vxlanPort,
      wireguardPort: s.farm.wireguardPort,
    };
  }

  /**
   * One heartbeat: GPUs with live telemetry, own availability, the agent container's state. A
   * controller that no longer knows this machine (removed) makes it leave: agent stopped and
   * removed, pairing forgotten. A controller that does not answer changes nothing: the agent keeps
   * running and the next beat tries again (rejoining by itself when the network is back).
   */
  async heartbeat(): Promise<'sent' | 'removed' | 'failed' | 'not-member'> {
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
      if (container === 'missing') container = await this.restoreAgent(docker, st.machineId, st.member.k3sUrl, st.member.nodeName);
    } catch (err) {
      this.d.logger.warn('farm agent check failed', { err: err instanceof Error ? err.message : String(err) });
      container = 'unknown';
    }
    const avail = await this.d.availability().catch(() => null);
    const client = new FleetClient(st.member.api);
    try {
      const availability = avail ? avail.activity : null;
      const res = await client.heartbeat(key, { machineId: st.machineId, gpus: await this.d.liveGpus(), availability, availabilitySince: avail?.since ?? null, agentContainer: container, bench: await this.d.latestBench().catch(() => null) });
      await this.d.store.update((x) => {
        if (x.member) {
          x.member.lastHeartbeat = new Date(this.d.now()).toISOString();
          x.member.lastError = null;
          x.member.intent = res.intent;
          if (res.reason !== undefined) x.member.intentReason = res.reason;
          if (res.applied !== undefined) x.member.intentApplied = res.applied;
          x.member.toldAvailability = res.availability !== undefined ? res.availability : availability;
        }
      });
      return 'sent';
    } catch (err) {
      // Removed by the controller — unless this machine re-registered meanwhile (a join running
      // now got a new key): then the refusal was for the old key, and the next beat uses the new one.
      if (err instanceof RigError && err.code === 'unauthorized' && (await this.d.secrets.get(SECRET_MACHINE_KEY)) === key) {
        await this.leaveLocally(docker, s.stack.namePrefix);
        return 'removed';
      }
      const msg = err instanceof Error ? err.message : String(err);
      await this.d.store.update((x) => {
        if (x.member) x.member.lastError = msg;
      });
      return 'failed';
    }
  }

  private async restoreAgent(docker: Docker, machineId: string, k3sUrl: string, nodeName: string): Promise<'running' | 'missing'> {
    const token = await this.d.secrets.get(SECRET_K3S_TOKEN);
    if (!token) return 'missing';
    const s = await this.d.settings();
    const report = this.d.lastReport() ?? (await this.d.scan(5 * 60_000));
    const input = this.specInput(s, k3sUrl, nodeName, report.gpus, machineId);
    const actual = agentContainerSpec(this.d.engineWithoutGpus ? { ...input, gpuDeviceIds: null } : input);
    await convergeAgent(docker, s.stack.namePrefix, actual.spec, actual.hash, token, () => undefined);
    this.d.logger.info('farm agent container was missing and has been re-created', { node: nodeName });
    return 'running';
  }

  /** The controller removed this machine: stop and remove the agent (its data too), forget the pairing. */
  async leaveLocally(docker: Docker | null, prefix: string): Promise<string[]> {
    const removed = docker ? await removeAgent(docker, prefix, false) : [];
    await this.d.secrets.delete(SECRET_MACHINE_KEY);
    await this.d.secrets.delete(SECRET_K3S_TOKEN);
    await this.d.store.update((x) => {
      x.role = 'none';
      x.member = null;
    });
    this.d.logger.info('left the farm (removed by the controller)', { removed: removed.join(', ') });
    return removed;
  }
}
