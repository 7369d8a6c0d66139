import { execFileSync } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleCli } from '../../../test/cli-bundle.js';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FarmActionResult, FarmJoinResult, FarmStatus, FarmToken } from '../../api/schemas/farm.js';
import { decodeJoinCode, encodeJoinCode } from '../../provider/farm/join-code.js';
import { makeTar, readTar } from '../../provider/stack/tar.js';
import { testDockerEngine } from '../../../test/docker/engine.js';
import { buildBenchStandIns } from '../../../test/docker/bench-stand-ins.js';
import { FarmMachine } from '../../../test/farm/farm-machine.js';
import { cleanup, freePortRun, objectsOf, stackEnv, stackStandIn, type StackEnv } from '../../../test/stack/stack-env.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const BUNDLE_DIR = path.join(ROOT, 'node_modules', '.cache', `riglease-farm-test-${process.pid}`);
const MAIN = path.join(BUNDLE_DIR, 'cli.js');
// The form of k3s's node-token: K10<sha256 of the cluster CA>::server:<password>.
const NODE_TOKEN = 'K10d2f1c0ffee0123456789abcdef0123456789abcdef0123456789abcdef012345::server:5e0c2b9d8f7a6e5d4c3b2a1908f7e6d5';

const engine = await testDockerEngine();
const d = engine.ok ? describe : describe.skip;
if (!engine.ok) console.warn(`farm tests skipped: ${engine.reason}`);

async function readFrom(docker: Docker, container: string, file: string): Promise<string | null> {
  try {
    const stream = await docker.getContainer(container).getArchive({ path: file });
    const chunks: Buffer[] = [];
    for await (const c of stream as AsyncIterable<Buffer>) chunks.push(c);
    return [...readTar(Buffer.concat(chunks)).values()][0]?.toString('utf8') ?? null;
  } catch {
    return null;
  }
}

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

d('farm mode: a controller and joining machines, each a riglease serve on the real engine', () => {
  const docker = engine.ok ? engine.docker : (null as unknown as Docker);
  let ctl: StackEnv;
  let a: FarmMachine; // controller, RTX 3090
  let b: FarmMachine; // RTX 4090
  let c: FarmMachine; // 2 × RTX 2080
  let dup: FarmMachine; // refusals
  let standIn: string;
  let code = '';
  const prefixes: string[] = [];
  const statusOf = async (m: FarmMachine) => FarmStatus.parse(await m.ok('farm.status'));

  beforeAll(async () => {
    await bundleCli(path.dirname(MAIN));
    standIn = await stackStandIn(docker);
    // The controller's provider stack (k3s server stand-in), brought up by the real stack service.
    ctl = await stackEnv(docker, { gpus: [] });
    const up = await ctl.tasks.wait(ctl.service.up().id);
    expect(up.state, up.error?.message).toBe('succeeded');
    // k3s writes its node-token when it starts; the stand-in does not, so the test does what k3s would.
    const info = await docker.getContainer(`${ctl.prefix}-k3s`).inspect();
    await docker.getContainer(info.Id).putArchive(makeTar([{ name: 'var/lib/rancher/k3s/server/node-token', body: Buffer.from(`${NODE_TOKEN}\n`), mode: 0o600 }]), { path: '/' });

    const host = engine.ok ? engine.host : '';
    [a, b, c, dup] = await Promise.all([
      FarmMachine.create('a', MAIN, { xml: 'rtx3090_590.44.01_1gpu.xml' }, host),
      FarmMachine.create('b', MAIN, { xml: 'rtx4090_535.86.05_1gpu.xml' }, host),
      FarmMachine.create('c', MAIN, { xml: 'rtx2080_590.44.01_2gpu.xml' }, host),
      FarmMachine.create('d', MAIN, { xml: 'rtx4090_535.86.05_1gpu.xml' }, host),
    ]);
    await Promise.all([a.start(), b.start(), c.start(), dup.start()]);
    const fleetPort = await freePortRun(1);
    await a.set({ 'stack.namePrefix': ctl.prefix, 'farm.machineName': 'rig-a', 'farm.fleetPort': fleetPort, 'farm.listenHost': '127.0.0.1', 'farm.advertiseAddress': '127.0.0.1', 'farm.unreachableAfterSec': 4 });
    for (const [m, name] of [[b, 'rig-b'], [c, 'rig-c'], [dup, 'rig-b']] as const) {
      const prefix = `rlf${name.slice(-1)}${m === dup ? 'd' : ''}-${process.pid.toString(36)}`;
      prefixes.push(prefix);
      const [kubelet, vxlan] = [await freePortRun(1), await freePortRun(1)];
      await m.set({ 'stack.namePrefix': prefix, 'stack.images.k3s': standIn, 'farm.machineName': name, 'farm.heartbeatSec': 1, 'farm.kubeletPort': kubelet, 'farm.vxlanPort': vxlan });
    }
  }, 180_000);

  afterAll(async () => {
    await Promise.all([a, b, c, dup].filter(Boolean).map((m) => m.dispose()));
    if (engine.ok) {
      if (ctl) await cleanup(docker, ctl.prefix);
      for (const p of prefixes) await cleanup(docker, p);
    }
    await rm(BUNDLE_DIR, { recursive: true, force: true });
  });

  it('the controller makes a join code from its k3s node-token; the fleet port opens only then', async () => {
    const settings = (await a.ok<{ farm: { fleetPort: number } }>('settings.all')).farm;
    // Before any code: nothing listens on the fleet port.
    await expect(fetch(`http://127.0.0.1:${settings.fleetPort}/fleet/v1/hello`)).rejects.toThrow();
    const t = FarmToken.parse(await a.ok('farm.token', { validMinutes: 30 }));
    code = t.code;
    const p = decodeJoinCode(t.code, Date.now());
    expect(p.k3sToken).toBe(NODE_TOKEN);
    expect(p.k3sUrl).toBe('https://127.0.0.1:6443');
    expect(p.api).toBe(`http://127.0.0.1:${settings.fleetPort}`);
    expect(p.controller).toBe('rig-a');
    // The stack came up before this machine was a controller: the code says the stack needs one more up.
    expect(t.notes.join(' ')).toMatch(/run `riglease stack up`.*publish TCP 6443/);
    // Open now, and it refuses anything without the pairing secret.
    const anon = await fetch(`${p.api}/fleet/v1/hello`);
    expect(anon.status).toBe(401);
    const wrong = await fetch(`${p.api}/fleet/v1/hello`, { headers: { authorization: `RigLease-Fleet ${'x'.repeat(43)}` } });
    expect(wrong.status).toBe(401);
    const right = await fetch(`${p.api}/fleet/v1/hello`, { headers: { authorization: `RigLease-Fleet ${p.pairingSecret}` } });
    expect(right.status).toBe(200);
  });

  it('a machine joins: readiness scan, agent container with K3S_URL, the token from a read-only file, GPUs and labels', async () => {
    const r = FarmJoinResult.parse(await b.ok('farm.join', { code }));
    expect(r.nodeName).toBe('rl-rig-b');
    expect(r.gpus.map((g) => g.name)).toEqual(['NVIDIA GeForce RTX 4090']);
    const info = await docker.getContainer(r.container.id).inspect();
    expect(info.Name).toBe(`/${prefixes[0]}-k3s-agent`);
    expect(info.State.Running).toBe(true);
    expect(info.Config.Env).toContain('K3S_URL=https://127.0.0.1:6443');
    expect(JSON.stringify(info.Config.Env)).not.toContain(NODE_TOKEN);
    expect(JSON.stringify(info.Config.Cmd)).not.toContain(NODE_TOKEN);
    expect(info.Config.Cmd).toContain('--token-file=/var/lib/riglease-farm/token');
    expect(info.Config.Cmd).toContain('--node-label=akash.network/capabilities.gpu.vendor.nvidia.model.rtx4090=1');
    expect(info.HostConfig.RestartPolicy?.Name).toBe('unless-stopped');
    const tokenMount = info.Mounts.find((m) => m.Destination === '/var/lib/riglease-farm');
    expect(tokenMount?.RW).toBe(false);
    expect(await readFrom(docker, r.container.id, '/var/lib/riglease-farm/token')).toBe(`${NODE_TOKEN}\n`);
    // The planned spec carries the GPU request (this engine has no NVIDIA runtime to start it with).
    const planned = r.plannedSpec as { HostConfig: { DeviceRequests: { DeviceIDs: string[] }[] } };
    expect(planned.HostConfig.DeviceRequests[0]!.DeviceIDs).toEqual([r.gpus[0]!.uuid]);
    // k3s (the stand-in) was started as an agent of the controller.
    await until('agent args in the log', async () => {
      const logs = (await docker.getContainer(r.container.id).logs({ stdout: true, stderr: true })).toString();
      return logs.includes('stand-in k3s agent --server=https://127.0.0.1:6443') && logs;
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
    expect(snap.log.join('\n')).toMatch(/readiness scan[\s\S]*Registering[\s\S]*k3s agent container/);
    expect(JSON.stringify(snap)).not.toContain(NODE_TOKEN.slice(-20));
    const again = FarmJoinResult.parse(snap.result);
    expect(again.changed).toBe(false);
    expect(again.notes.join(' ')).toMatch(/rejoined as the same node/);
    expect(await sorted()).toEqual(before);
    expect((await statusOf(a)).machines.filter((m) => m.nodeName === 'rl-rig-b')).toHaveLength(1);
  });

  it('the fleet view aggregates three machines\' GPUs with live figures from heartbeats, and the farm\'s attributes', async () => {
    const cli = await c.cli(['farm', 'join', '-', '--json'], `${code}\n`);
    expect(cli.code, cli.stderr).toBe(0);
    expect(FarmJoinResult.parse(JSON.parse(cli.stdout)).gpus).toHaveLength(2);
    // Joined by a one-shot CLI process; the machine's running daemon picks the membership up and beats.
    const s = await until('three machines answering with heartbeats', async () => {
      const x = await statusOf(a);
      return x.machines.length === 3 && x.machines.every((m) => m.reachability !== 'unreachable' && m.lastSeen && m.agentContainer !== 'unknown') && x;
    });
    expect(s.machines.map((m) => [m.hostname, m.role])).toEqual([['rig-a', 'controller'], ['rig-b', 'agent'], ['rig-c', 'agent']]);
    expect(s.totals.gpus).toBe(4);
    expect(s.machines.flatMap((m) => m.gpus.map((g) => g.name))).toEqual(['NVIDIA GeForce RTX 3090', 'NVIDIA GeForce RTX 4090', 'NVIDIA GeForce RTX 2080', 'NVIDIA GeForce RTX 2080']);
    for (const g of s.machines.flatMap((m) => m.gpus)) expect(g.temperatureC).not.toBeNull();
    const keys = s.attributes.map((x) => x.key);
    for (const m of ['rtx3090', 'rtx4090', 'rtx2080']) expect(keys).toContain(`capabilities/gpu/vendor/nvidia/model/${m}`);
    expect(s.machines.find((m) => m.hostname === 'rig-c')!.agentContainer).toBe('running');
    // rig-b runs its GPU benchmark (the n-body stand-in replays a real RTX 4090 run); the fleet shows its figure.
    const bench = await buildBenchStandIns(docker, 'riglease-test/farm-bench', 0);
    await b.set({ 'bench.images.nbody': bench.nbody, 'bench.images.smi': bench.smi, 'bench.gpuAccess': 'engine-default' });
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
    expect(await readFrom(docker, back.Id, '/var/lib/riglease-farm/token')).toBe(`${NODE_TOKEN}\n`);
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

  it('removal: refused without confirmation; then forgotten; the machine removes its own agent on its next heartbeat', async () => {
    const no = await a.call('farm.remove', { machine: 'rig-c' });
    expect(no.ok).toBe(false);
    expect(no.error?.message).toMatch(/drains its node/);
    const rm = FarmActionResult.parse(await a.ok('farm.remove', { machine: 'rig-c', confirm: true }));
    expect(rm.commands.map((x) => x.command.slice(0, 2).join(' '))).toEqual(['kubectl cordon', 'kubectl drain', 'kubectl delete']);
    expect((await statusOf(a)).machines.map((m) => m.hostname)).toEqual(['rig-a', 'rig-b']);
    // Its next heartbeat is refused: it stops and removes its own agent and forgets the pairing.
    await until('rig-c left the farm', async () => (await statusOf(c)).role === 'none', 20_000);
    expect((await objectsOf(docker, prefixes[1]!)).containers).toEqual([]);
  }, 40_000);

  it('refusals leave nothing behind: wrong code, expired, unreachable controller, k3s mismatch, same name, no GPU', async () => {
    const p = decodeJoinCode(code, Date.now());
    const before = (await statusOf(a)).machines.length;
    const cases: [string, string, RegExp][] = [
      ['garbled', code.slice(0, 30) + 'x' + code.slice(31), /damaged|incomplete/],
      ['expired', encodeJoinCode({ ...p, expiresAt: Math.floor(Date.now() / 1000) - 60 }), /expired at/],
      ['unreachable', encodeJoinCode({ ...p, api: `http://127.0.0.1:${await freePortRun(1)}` }), /Cannot reach the farm controller/],
      ['k3s mismatch', encodeJoinCode({ ...p, k3sVersion: 'v1.31.0-k3s1' }), /runs k3s v1\.31\.0-k3s1/],
      ['duplicate name', code, /already called rig-b/],
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
    const late = await dup.call('farm.join', { code });
    expect(late.ok).toBe(false);
    expect(late.error?.message).toMatch(/riglease-test\/no-such-image:1 is not on this computer and could not be downloaded/);
    expect(await objectsOf(docker, prefixes[2]!)).toEqual({ containers: [], volumes: [], networks: [] });
    expect((await statusOf(dup)).role).toBe('none');
    expect((await statusOf(a)).machines.map((m) => m.hostname)).not.toContain('rig-d');
    expect((await statusOf(a)).machines.length).toBe(before);
    // A machine whose driver is not loaded is refused by its readiness scan, with the reason (CLI, exit 1).
    const noGpu = await FarmMachine.create('e', MAIN, { error: 'error_driver-not-loaded.txt' }, engine.ok ? engine.host : '');
    try {
      const run = await noGpu.cli(['farm', 'join', code, '--json']);
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
