import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AvailabilitySetResult, type AvailabilityStatus } from '../../api/methods/availability.js';
import { FarmActionResult, FarmJoinResult, FarmStatus, FarmToken } from '../../api/schemas/farm.js';
import { leaseKey } from '../../provider/farm/lease-nodes.js';
import { trayView } from '../tray-model.js';
import { decodeJoinCode, encodeJoinCode } from '../../provider/farm/join-code.js';
import { makeTar } from '../../provider/stack/tar.js';
import { gpusGivenTo, testGpuDockerEngine } from '../../../test/docker/engine.js';
import { buildBenchStandIns } from '../../../test/docker/bench-stand-ins.js';
import { fleetFetch } from '../../../test/farm/fleet-https.js';
import { readFrom, until } from '../../../test/farm/container-wait.js';
import { FarmMachine } from '../../../test/farm/farm-machine.js';
import { FARM_NODE_TOKEN, startFleetFarm, type FleetFarm } from '../../../test/farm/fleet-farm.js';
import { kubeList, OWNER } from '../../../test/farm/kube-list.js';
import { freePortRun, objectsOf } from '../../../test/stack/stack-env.js';

const NODE_TOKEN = FARM_NODE_TOKEN;

const engine = await testGpuDockerEngine();
const d = engine.ok ? describe : describe.skip;
if (!engine.ok) console.warn(`farm tests skipped: ${engine.reason}`);

d('farm mode: a controller and joining machines, each a riglease serve on the real engine', () => {
  const docker = engine.ok ? engine.docker : (null as unknown as Docker);
  // One farm for the whole scenario (test/farm/fleet-farm.ts): the tests below run in order on it.
  let farm: FleetFarm | null = null;
  let a: FarmMachine; // controller, RTX 3090
  let b: FarmMachine; // RTX 4090
  let c: FarmMachine; // 2 × RTX 2080
  let dup: FarmMachine; // refusals
  let ctlPrefix = '';
  let k3sPort = 0;
  let prefixes: string[] = [];
  let MAIN = '';
  let code = '';
  const statusOf = (m: FarmMachine) => farm!.statusOf(m);
  const freshCode = () => farm!.freshCode();
  const revokedCode = () => farm!.revokedCode();

  beforeAll(async () => {
    farm = await startFleetFarm(docker, engine.ok ? engine.host : '');
    ({ a, b, c, dup, ctlPrefix, k3sPort, prefixes, main: MAIN } = farm);
  }, 180_000);

  afterAll(async () => {
    await farm?.dispose();
  });

  it('the controller makes a join code from its k3s node-token, re-creating its stack for the farm (no lease runs); the fleet port opens only then', async () => {
    const settings = (await a.ok<{ farm: { fleetPort: number } }>('settings.all')).farm;
    // Before any code: nothing listens on the fleet port.
    await expect(fetch(`http://127.0.0.1:${settings.fleetPort}/fleet/v1/hello`)).rejects.toThrow();
    // --recreate restarts leases: it is refused without --yes, and nothing happens.
    const half = await a.cli(['farm', 'token', '--recreate']);
    expect(half.code).not.toBe(0);
    expect(half.stderr).toMatch(/together with --yes/);
    const before = await docker.getContainer(`${ctlPrefix}-k3s`).inspect();
    expect(before.HostConfig.PortBindings?.['6443/tcp']).toBeUndefined();
    const t = FarmToken.parse(await a.ok('farm.token', { validMinutes: 30 }));
    code = t.code;
    const p = decodeJoinCode(t.code, Date.now());
    // Never k3s's server token (the whole cluster): a bootstrap token made in k3s for this code alone.
    expect(p.k3sToken).not.toBe(NODE_TOKEN);
    expect(p.k3sToken).toMatch(/^K10[0-9a-f]{64}::[a-z0-9]{6}\.[a-z0-9]{16}$/);
    expect(p.k3sUrl).toBe(`https://127.0.0.1:${k3sPort}`);
    expect(p.api).toBe(`https://127.0.0.1:${settings.fleetPort}`);
    expect(p.apiFingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(p.controller).toBe('rig-a');
    // The stack came up before this machine was a controller, and no lease runs (no wallet here):
    // it is re-created at once as a stack.up task, and the code says so.
    expect(t.stack).toMatchObject({ action: 'recreating', leases: [], leasesKnown: true, task: { kind: 'stack.up' } });
    expect(t.notes.join(' ')).toMatch(new RegExp(`Re-creating it now to publish TCP ${k3sPort}.*no lease was running`));
    const task = await until('the re-creation', async () => {
      const x = await a.ok<{ state: string; log: string[]; error?: { message: string } }>('task.get', { id: t.stack!.task!.id });
      return x.state !== 'running' && x;
    }, 60_000);
    expect(task.state, task.error?.message).toBe('succeeded');
    const after = await docker.getContainer(`${ctlPrefix}-k3s`).inspect();
    expect(after.Id).not.toBe(before.Id);
    expect(after.HostConfig.PortBindings?.['6443/tcp']).toEqual([{ HostIp: '127.0.0.1', HostPort: String(k3sPort) }]);
    expect(after.Config.Cmd).toContain('--tls-san=127.0.0.1');
    // k3s's data volume (and with it the node-token in the code) stayed.
    expect(await readFrom(docker, after.Id, '/var/lib/rancher/k3s/server/node-token')).toBe(`${NODE_TOKEN}\n`);
    // A second code finds the stack ready and leaves it alone.
    const again = FarmToken.parse(await a.ok('farm.token', { validMinutes: 30 }));
    expect(again.stack).toMatchObject({ action: 'ready', task: null });
    expect((await docker.getContainer(`${ctlPrefix}-k3s`).inspect()).Id).toBe(after.Id);
    // The CLI with --recreate --yes on a stack that already accepts machines: one JSON object, nothing re-created.
    const cli = await a.cli(['farm', 'token', '--recreate', '--yes', '--json']);
    expect(cli.code, cli.stderr).toBe(0);
    expect(FarmToken.parse(JSON.parse(cli.stdout)).stack).toMatchObject({ action: 'ready', task: null });
    expect((await docker.getContainer(`${ctlPrefix}-k3s`).inspect()).Id).toBe(after.Id);
    // Open now, and it refuses anything without the pairing secret.
    const anon = await fleetFetch(`${p.api}/fleet/v1/hello`, p.apiFingerprint);
    expect(anon.status).toBe(401);
    const wrong = await fleetFetch(`${p.api}/fleet/v1/hello`, p.apiFingerprint, { headers: { authorization: `RigLease-Fleet ${'x'.repeat(43)}` } });
    expect(wrong.status).toBe(401);
    const right = await fleetFetch(`${p.api}/fleet/v1/hello`, p.apiFingerprint, { headers: { authorization: `RigLease-Fleet ${p.pairingSecret}` } });
    expect(right.status).toBe(200);
  }, 90_000);

  it('a machine joins: readiness scan, agent container with K3S_URL, the token from a read-only file, GPUs and labels', async () => {
    const r = FarmJoinResult.parse(await b.ok('farm.join', { code }));
    expect(r.nodeName).toBe('rl-rig-b');
    expect(r.gpus.map((g) => g.name)).toEqual(['NVIDIA GeForce RTX 4090']);
    const info = await docker.getContainer(r.container.id).inspect();
    expect(info.Name).toBe(`/${prefixes[0]}-k3s-agent`);
    expect(info.State.Running).toBe(true);
    expect(info.Config.Env).toContain(`K3S_URL=https://127.0.0.1:${k3sPort}`);
    expect(JSON.stringify(info.Config.Env)).not.toContain(NODE_TOKEN);
    expect(JSON.stringify(info.Config.Cmd)).not.toContain(NODE_TOKEN);
    expect(JSON.stringify(info.Config.Env) + JSON.stringify(info.Config.Cmd)).not.toContain(decodeJoinCode(code, null).k3sToken.slice(-16));
    expect(info.Config.Cmd).toContain('--token-file=/var/lib/riglease-farm/token');
    expect(info.Config.Cmd).toContain('--node-label=riglease.io/farm-role=agent');
    expect(info.Config.Cmd?.some((a) => a.startsWith('--node-label=akash.network'))).toBe(false);
    expect(info.HostConfig.RestartPolicy?.Name).toBe('unless-stopped');
    const tokenMount = info.Mounts.find((m) => m.Destination === '/var/lib/riglease-farm');
    expect(tokenMount?.RW).toBe(false);
    expect(await readFrom(docker, r.container.id, '/var/lib/riglease-farm/token')).toBe(`${decodeJoinCode(code, null).k3sToken}\n`);
    // The container was created with its GPU, by UUID, and the engine handed it to the NVIDIA runtime hook.
    expect(info.HostConfig.DeviceRequests).toMatchObject([{ Driver: 'nvidia', Count: 0, DeviceIDs: [r.gpus[0]!.uuid], Capabilities: [['gpu']] }]);
    expect(gpusGivenTo(r.container.id)).toBe(r.gpus[0]!.uuid);
    // k3s (the stand-in) was started as an agent of the controller.
    await until('agent args in the log', async () => {
      const logs = (await docker.getContainer(r.container.id).logs({ stdout: true, stderr: true })).toString();
      return logs.includes(`stand-in k3s agent --server=https://127.0.0.1:${k3sPort}`) && logs;
    });
  });

  it('joining twice creates no second node or container', async () => {
    const sorted = async () => {
      const o = await objectsOf(docker, prefixes[0]!);
      return { containers: o.containers.sort(), volumes: o.volumes.sort(), networks: o.networks.sort() };
    };
    const before = await sorted();
    // This time as the UI does it: a task with steps, the join result as its result.
    const ref = await b.ok<{ id: string }>('farm.joinStart', { code });
    const snap = await until('the join task', async () => {
      const t = await b.ok<{ state: string; step: number; of: number; result?: unknown; log: string[] }>('task.get', { id: ref.id });
      return t.state !== 'running' && t;
    });
    expect(snap.state).toBe('succeeded');
    expect(snap.step).toBe(snap.of);
    expect(snap.log.join('\n')).toMatch(/readiness scan[\s\S]*Already registered with the controller[\s\S]*k3s agent container/);
    expect(JSON.stringify(snap)).not.toContain(decodeJoinCode(code, null).k3sToken.slice(-16));
    const again = FarmJoinResult.parse(snap.result);
    expect(again.changed).toBe(false);
    expect(again.notes.join(' ')).toMatch(/rejoined as the same node/);
    expect(await sorted()).toEqual(before);
    expect((await statusOf(a)).machines.filter((m) => m.nodeName === 'rl-rig-b')).toHaveLength(1);
  });

  it('the fleet view aggregates three machines\' GPUs with live figures from heartbeats, and the farm\'s attributes', async () => {
    // rig-b spent the first code: a code lets one machine in, once.
    const spent = await c.cli(['farm', 'join', '-', '--json'], `${code}\n`);
    expect(spent.code).not.toBe(0);
    expect(spent.stderr).toMatch(/already used/);
    const cli = await c.cli(['farm', 'join', '-', '--json'], `${await freshCode()}\n`);
    expect(cli.code, cli.stderr).toBe(0);
    const joinedByCli = performance.now();
    expect(FarmJoinResult.parse(JSON.parse(cli.stdout)).gpus).toHaveLength(2);
    // Joined by a one-shot CLI process; the machine's running daemon, resting in no farm, is woken
    // by the farm file's change (farm-service.ts) and beats at once, not at the end of its 30 s rest.
    const s = await until('three machines answering with heartbeats', async () => {
      const x = await statusOf(a);
      return x.machines.length === 3 && x.machines.every((m) => m.reachability !== 'unreachable' && m.lastSeen && m.agentContainer !== 'unknown') && x;
    }, 15_000);
    console.log(`CLI join → rig-c's daemon beating on the controller: ${((performance.now() - joinedByCli) / 1000).toFixed(1)} s`);
    expect(s.machines.map((m) => [m.hostname, m.role])).toEqual([['rig-a', 'controller'], ['rig-b', 'agent'], ['rig-c', 'agent']]);
    expect(s.totals.gpus).toBe(4);
    expect(s.machines.flatMap((m) => m.gpus.map((g) => g.name))).toEqual(['NVIDIA GeForce RTX 3090', 'NVIDIA GeForce RTX 4090', 'NVIDIA GeForce RTX 2080', 'NVIDIA GeForce RTX 2080']);
    for (const g of s.machines.flatMap((m) => m.gpus)) expect(g.temperatureC).not.toBeNull();
    const keys = s.attributes.map((x) => x.key);
    for (const m of ['rtx3090', 'rtx4090', 'rtx2080']) expect(keys).toContain(`capabilities/gpu/vendor/nvidia/model/${m}`);
    expect(s.machines.find((m) => m.hostname === 'rig-c')!.agentContainer).toBe('running');
    // rig-b runs its GPU benchmark (the n-body stand-in replays a real RTX 4090 run); the fleet shows its figure.
    const bench = await buildBenchStandIns(docker, 'riglease-test/farm-bench', 0);
    await b.set({ 'bench.images.nbody': bench.nbody, 'bench.images.smi': bench.smi });
    const ref = await b.ok<{ id: string }>('bench.run', { kind: 'gpu' });
    await until('the benchmark run', async () => (await b.ok<{ state: string }>('task.get', { id: ref.id })).state === 'succeeded', 30_000);
    const captured = Number(/^= ([\d.]+) single-precision GFLOP\/s/m.exec(bench.nbodyText)![1]);
    const withBench = await until('rig-b\'s benchmark in the fleet', async () => (await statusOf(a)).machines.find((m) => m.hostname === 'rig-b')?.bench);
    expect(withBench.gflops).toBeCloseTo(captured, 1);
    expect(s.machines.find((m) => m.hostname === 'rig-c')!.bench).toBeNull();
    // Heartbeats keep arriving: last seen moves on.
    const seen = s.machines[1]!.lastSeen!;
    await until('a newer heartbeat', async () => (await statusOf(a)).machines[1]!.lastSeen! > seen);
    // Someone removes rig-b's agent container by hand: the next heartbeat puts the same one back.
    const agent = `${prefixes[0]}-k3s-agent`;
    const oldId = (await docker.getContainer(agent).inspect()).Id;
    await docker.getContainer(agent).remove({ force: true });
    const back = await until('the agent container back', async () => {
      const i = await docker.getContainer(agent).inspect().catch(() => null);
      return i?.State.Running && i;
    });
    expect(back.Id).not.toBe(oldId);
    expect(back.Config.Cmd).toContain('--node-name=rl-rig-b');
    expect(await readFrom(docker, back.Id, '/var/lib/riglease-farm/token')).toBe(`${decodeJoinCode(code, null).k3sToken}\n`);
    // The CLI prints the same view as one JSON object.
    const out = await a.cli(['farm', 'status', '--json']);
    expect(out.code, out.stderr).toBe(0);
    const json = FarmStatus.parse(JSON.parse(out.stdout));
    expect(json.totals.gpus).toBe(4);
    // Leases per machine: the stand-in k3s has no kubectl, so where leases run is unknown — said, never guessed.
    expect(json.machines.every((m) => m.leases?.known === false && m.leases.sharePct === null)).toBe(true);
    expect(json.leases?.query).toMatchObject({ command: ['kubectl', 'get', 'namespaces,pods', '--all-namespaces', '-l', 'akash.network=true', '-o', 'json'], applied: false });
    // The controller's pricing follows the farm: every model of the three machines is in its bid table.
    const pricing = await a.ok<{ resolved: { gpus: { key: string }[] } }>('pricing.get');
    for (const m of ['rtx3090', 'rtx4090', 'rtx2080']) expect(pricing.resolved.gpus.map((g) => g.key)).toContainEqual(expect.stringMatching(new RegExp(`^${m}\\.`)));
    const alone = await b.ok<{ resolved: { gpus: { key: string }[] } }>('pricing.get');
    expect(alone.resolved.gpus.map((g) => g.key.split('.')[0])).toEqual(['rtx4090']);
  }, 60_000);

  it('pause records the cordon intent and the kubectl command; resume reverses it', async () => {
    const p = FarmActionResult.parse(await a.ok('farm.pause', { machine: 'rig-b' }));
    expect(p.commands[0]!.command).toEqual(['kubectl', 'cordon', 'rl-rig-b']);
    // The stand-in has no kubectl: recorded, not applied, and said so.
    expect(p.commands[0]!.applied).toBe(false);
    expect(p.commands[0]!.note).toBeTruthy();
    let row = (await statusOf(a)).machines.find((m) => m.hostname === 'rig-b')!;
    expect(row.node).toMatchObject({ intent: 'cordoned', reason: 'paused from the fleet view' });
    const r = FarmActionResult.parse(await a.ok('farm.resume', { machine: 'rl-rig-b' }));
    expect(r.commands[0]!.command).toEqual(['kubectl', 'uncordon', 'rl-rig-b']);
    row = (await statusOf(a)).machines.find((m) => m.hostname === 'rig-b')!;
    expect(row.node.intent).toBe('schedulable');
  });

  it('a member pauses itself from its own API: its node is cordoned at once; online uncordons; offline first lists its leases (its CLI), then drains only it', async () => {
    // kubectl in the controller's k3s stand-in: answers where leases run, records every other call.
    const answer = kubeList([{ ns: 'lease-b', dseq: '201', node: 'rl-rig-b' }, { ns: 'lease-c', dseq: '202', node: 'rl-rig-c' }]);
    const kubectl = '#!/bin/sh\nif [ "$1 $2" = "get namespaces,pods" ]; then cat /tmp/kube-answer.json; exit 0; fi\necho "$@" >> /tmp/kubectl-calls\n';
    await docker.getContainer(`${ctlPrefix}-k3s`).putArchive(makeTar([{ name: 'tmp/kube-answer.json', body: Buffer.from(answer), mode: 0o644 }, { name: 'bin/kubectl', body: Buffer.from(kubectl), mode: 0o755 }]), { path: '/' });
    const calls = async () => (await readFrom(docker, `${ctlPrefix}-k3s`, '/tmp/kubectl-calls'))?.trim().split('\n') ?? [];
    const rowB = async () => (await statusOf(a)).machines.find((m) => m.hostname === 'rig-b')!;
    const trayOf = (status: AvailabilityStatus) => trayView({ availability: status, stack: 'not_installed', running: [], errors: [] }, new Date());
    const [onB, onC] = [leaseKey({ owner: OWNER, dseq: '201', gseq: 1, oseq: 1 }), leaseKey({ owner: OWNER, dseq: '202', gseq: 1, oseq: 1 })];
    // Heartbeats far apart: what follows reaches the controller by the switch itself, not by a heartbeat.
    await b.set({ 'farm.heartbeatSec': 300 });
    try {
      const paused = AvailabilitySetResult.parse(await b.ok('availability.set', { mode: 'pause', reason: 'from the tray' }));
      expect(paused.status.farm).toMatchObject({ controller: 'rig-a', nodeName: 'rl-rig-b', intent: 'cordoned', reason: 'the machine itself is paused', applied: true, told: true });
      expect(await rowB()).toMatchObject({ availability: 'paused', node: { intent: 'cordoned', reason: 'the machine itself is paused', command: ['kubectl', 'cordon', 'rl-rig-b'], applied: true } });
      expect(await calls()).toEqual(['cordon rl-rig-b']);
      // The member's own tray (the pure model over its real status) shows its node, not "finish setup".
      expect(trayOf(paused.status)).toMatchObject({ icon: 'paused', items: expect.arrayContaining([{ id: 'state', label: 'Paused — node cordoned by rig-a, leases continue', enabled: false }]) });

      const online = AvailabilitySetResult.parse(await b.ok('availability.set', { mode: 'online' }));
      expect(online.status.farm).toMatchObject({ intent: 'schedulable', told: true, applied: true });
      expect((await rowB()).node).toMatchObject({ intent: 'schedulable', command: ['kubectl', 'uncordon', 'rl-rig-b'], applied: true });
      expect((await calls()).at(-1)).toBe('uncordon rl-rig-b');
      expect(trayOf(online.status).items[0]).toMatchObject({ label: 'Online — taking leases in rig-a\'s farm' });

      // Offline from the member's own CLI: refused with the leases on its node, which it asked the controller for. Nothing changes.
      const ask = await b.cli(['availability', 'offline']);
      expect(ask.code, ask.stderr).toBe(1);
      expect(ask.stdout).toMatch(/drains this machine's node rl-rig-b on the farm's controller rig-a\. It ends 1 running lease/);
      expect(ask.stdout).toContain(onB);
      expect(ask.stdout).not.toContain(onC);
      expect(ask.stdout).toMatch(/Nothing changed/);
      expect((await calls()).some((c) => c.startsWith('drain'))).toBe(false);
      expect((await b.ok<AvailabilityStatus>('availability.get')).mode).toBe('online');
      expect((await rowB()).node.intent).toBe('schedulable');

      // Confirmed: the controller cordons and drains this node only; the agent container keeps running.
      const off = AvailabilitySetResult.parse(await b.ok('availability.set', { mode: 'offline', confirm: true }));
      expect(off.status).toMatchObject({ mode: 'offline', farm: { intent: 'cordoned', reason: 'the machine itself went offline (drained)', applied: true, told: true } });
      expect((await calls()).slice(-2)).toEqual(['cordon rl-rig-b', 'drain rl-rig-b --ignore-daemonsets --delete-emptydir-data --grace-period=60 --timeout=180s']);
      expect((await rowB()).node).toMatchObject({ intent: 'cordoned', reason: 'the machine itself went offline (drained)' });
      expect(trayOf(off.status)).toMatchObject({ icon: 'offline', items: expect.arrayContaining([{ id: 'state', label: 'Offline — node drained by rig-a', enabled: false }]) });
      expect((await docker.getContainer(`${prefixes[0]}-k3s-agent`).inspect()).State.Running).toBe(true);

      await b.ok('availability.set', { mode: 'online' });
      expect((await rowB()).node).toMatchObject({ intent: 'schedulable', applied: true });
      expect((await calls()).at(-1)).toBe('uncordon rl-rig-b');
    } finally {
      await b.set({ 'farm.heartbeatSec': 1 });
    }
  }, 60_000);

  it('a machine that stops answering is shown unreachable, with when it was last seen; its agent keeps running; back on, it answers again by itself', async () => {
    await c.kill('SIGKILL');
    const s = await until('rig-c unreachable', async () => {
      const x = await statusOf(a);
      return x.machines.find((m) => m.hostname === 'rig-c')?.reachability === 'unreachable' && x;
    });
    const row = s.machines.find((m) => m.hostname === 'rig-c')!;
    expect(Date.now() - Date.parse(row.lastSeen!)).toBeLessThan(60_000);
    expect(s.totals.reachable).toBe(2);
    expect(s.notes.join(' ')).toMatch(/rig-c has not answered since/);
    expect((await docker.getContainer(`${prefixes[1]}-k3s-agent`).inspect()).State.Running).toBe(true);
    // Back on: it answers again by itself, as the same machine and node, without a new join.
    await c.start();
    const back = await until('rig-c answering again', async () => {
      const x = await statusOf(a);
      const row = x.machines.find((m) => m.hostname === 'rig-c');
      return row?.reachability === 'online' && row;
    });
    expect(back.machineId).toBe(row.machineId);
    expect(back.nodeName).toBe('rl-rig-c');
  }, 40_000);

  it('a member that loses its controller keeps its agent container and its pairing; a pause meanwhile waits; when the controller is back the member rejoins by itself', async () => {
    const agentName = `${prefixes[0]}-k3s-agent`;
    const agentBefore = await docker.getContainer(agentName).inspect();
    expect(agentBefore.HostConfig.RestartPolicy?.Name).toBe('unless-stopped');
    await a.kill('SIGKILL');
    // rig-b's heartbeats (every second) now fail: it says so, and changes nothing else.
    const lost = await until('rig-b noticing', async () => {
      const x = await statusOf(b);
      return x.notes.some((n) => /Last heartbeat failed: Cannot reach the farm controller/.test(n)) && x;
    });
    expect(lost.role).toBe('member');
    // Paused meanwhile from its own tray/API: kept here, shown as not told yet.
    const paused = AvailabilitySetResult.parse(await b.ok('availability.set', { mode: 'pause' }));
    expect(paused.status.farm).toMatchObject({ told: false, error: expect.stringMatching(/Cannot reach the farm controller/) });
    expect(trayView({ availability: paused.status, stack: null, running: [], errors: [] }, new Date()).items[0]).toMatchObject({ label: 'Paused — rig-a not told yet (unreachable)' });
    const during = await docker.getContainer(agentName).inspect();
    expect([during.Id, during.State.Running, during.State.StartedAt]).toEqual([agentBefore.Id, true, agentBefore.State.StartedAt]);

    // The controller is back (same home, same fleet port): the next heartbeat gets through and carries the pause.
    await a.start();
    const row = await until('rig-b answering again, paused', async () => {
      const r = (await statusOf(a)).machines.find((m) => m.hostname === 'rig-b');
      return r?.reachability === 'online' && r.availability === 'paused' && r;
    });
    expect(row.node).toMatchObject({ intent: 'cordoned', reason: 'the machine itself is paused' });
    const told = await until('rig-b told', async () => {
      const st = await b.ok<AvailabilityStatus>('availability.get');
      return st.farm?.told && st;
    });
    expect(told.farm?.error).toBeNull();
    expect((await statusOf(b)).notes.join(' ')).not.toMatch(/Last heartbeat failed/);
    expect((await docker.getContainer(agentName).inspect()).Id).toBe(agentBefore.Id);
    await b.ok('availability.set', { mode: 'online' });
    expect((await statusOf(a)).machines.find((m) => m.hostname === 'rig-b')?.node.intent).toBe('schedulable');
  }, 60_000);

  it('removal: refused without confirmation; then forgotten; the machine is refused, keeps its agent until its person runs `farm leave --yes`', async () => {
    const no = await a.call('farm.remove', { machine: 'rig-c' });
    expect(no.ok).toBe(false);
    expect(no.error?.message).toMatch(/drains its node/);
    const rm = FarmActionResult.parse(await a.ok('farm.remove', { machine: 'rig-c', confirm: true }));
    expect(rm.commands.map((x) => x.command.slice(0, 2).join(' '))).toEqual(['kubectl cordon', 'kubectl drain', 'kubectl delete']);
    expect((await statusOf(a)).machines.map((m) => m.hostname)).toEqual(['rig-a', 'rig-b']);
    // Its next heartbeat is refused: it says so and what to run, and removes nothing on that word alone.
    const refused = await until('rig-c says it is refused', async () => (await statusOf(c)).notes.find((n) => n.includes('refuses this machine')), 20_000);
    expect(refused).toContain('riglease farm leave --yes');
    expect((await statusOf(c)).role).toBe('member');
    expect((await objectsOf(docker, prefixes[1]!)).containers).not.toEqual([]);
    const ask = await c.cli(['farm', 'leave']);
    expect(ask.code).not.toBe(0);
    expect(ask.stderr).toMatch(/removes this machine's k3s agent/);
    const yes = await c.cli(['farm', 'leave', '--yes']);
    expect(yes.code, yes.stderr).toBe(0);
    await until('rig-c left the farm', async () => (await statusOf(c)).role === 'none', 20_000);
    expect((await objectsOf(docker, prefixes[1]!)).containers).toEqual([]);
  }, 40_000);

  it('refusals leave nothing behind: wrong code, expired, unreachable controller, k3s mismatch, same name, no GPU', async () => {
    const p = decodeJoinCode(await freshCode(), Date.now());
    const before = (await statusOf(a)).machines.length;
    const cases: [string, string, RegExp][] = [
      ['garbled', code.slice(0, 30) + 'x' + code.slice(31), /damaged|incomplete/],
      ['expired', encodeJoinCode({ ...p, expiresAt: Math.floor(Date.now() / 1000) - 60 }), /expired at/],
      ['unreachable', encodeJoinCode({ ...p, api: `https://127.0.0.1:${await freePortRun(1)}` }), /Cannot reach the farm controller/],
      ['k3s mismatch', encodeJoinCode({ ...p, k3sVersion: 'v1.31.0-k3s1' }), /runs k3s v1\.31\.0-k3s1/],
      ['duplicate name', await freshCode(), /already called rig-b/],
      ['revoked', await revokedCode(), /already used, expired, or was never made here/],
    ];
    for (const [name, bad, why] of cases) {
      const r = await dup.call('farm.join', { code: bad });
      expect(r.ok, name).toBe(false);
      expect(r.error?.message, name).toMatch(why);
      expect(r.error?.fix, name).toBeTruthy();
      expect(await objectsOf(docker, prefixes[2]!), name).toEqual({ containers: [], volumes: [], networks: [] });
      expect((await statusOf(dup)).role, name).toBe('none');
    }
    // The hardest place to fail: after the controller registered the machine, when its container
    // cannot be created (here: an image that does not exist). The registration is taken back too.
    await dup.set({ 'farm.machineName': 'rig-d', 'stack.images.k3s': 'riglease-test/no-such-image:1' });
    const late = await dup.call('farm.join', { code: await freshCode() });
    expect(late.ok).toBe(false);
    expect(late.error?.message).toMatch(/riglease-test\/no-such-image:1 is not on this computer and could not be downloaded/);
    expect(await objectsOf(docker, prefixes[2]!)).toEqual({ containers: [], volumes: [], networks: [] });
    expect((await statusOf(dup)).role).toBe('none');
    expect((await statusOf(a)).machines.map((m) => m.hostname)).not.toContain('rig-d');
    expect((await statusOf(a)).machines.length).toBe(before);
    // A machine whose driver is not loaded is refused by its readiness scan, with the reason (CLI, exit 1).
    const noGpu = await FarmMachine.create('e', MAIN, { error: 'error_driver-not-loaded.txt' }, engine.ok ? engine.host : '');
    try {
      const run = await noGpu.cli(['farm', 'join', '-', '--json'], `${await freshCode()}\n`);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toMatch(/cannot serve GPUs/);
    } finally {
      await noGpu.dispose();
    }
  }, 60_000);

  it('the join code, k3s token and pairing secret never reach a log file', async () => {
    for (const m of [a, b, c, dup]) {
      const logsDir = path.join(m.home, 'logs');
      const files = await import('node:fs/promises').then((fs) => fs.readdir(logsDir).catch(() => [] as string[]));
      for (const f of files) {
        const text = await readFile(path.join(logsDir, f), 'utf8');
        expect(text).not.toContain(NODE_TOKEN.slice(-20));
        expect(text).not.toContain(code.slice(5, 45));
        expect(text).not.toContain(decodeJoinCode(code, null).pairingSecret);
      }
      expect(m.stderr).not.toContain(NODE_TOKEN.slice(-20));
    }
    // Nor the diagnostics bundle of the controller or of a member (a real unzip of the real export).
    for (const m of [a, b]) {
      const target = path.join(m.home, 'bundle.zip');
      await m.ok('diagnostics.export', { path: target });
      const out = path.join(m.home, 'unzipped');
      execFileSync('python3', ['-m', 'zipfile', '-e', target, out]);
      const all = execFileSync('sh', ['-c', `cat $(find '${out}' -type f)`], { encoding: 'latin1' }) + (await readFile(target)).toString('latin1');
      expect(all).toContain('farm');
      expect(all).not.toContain(NODE_TOKEN.slice(-20));
      expect(all).not.toContain(code.slice(5, 45));
      expect(all).not.toContain(decodeJoinCode(code, null).pairingSecret);
    }
  }, 30_000);
});
