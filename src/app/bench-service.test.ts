import { createSocket } from 'node:dgram';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { In, Method, Out } from '../api/contract.js';
import { dispatch } from '../api/dispatch.js';
import { RigError } from '../api/errors.js';
import { BenchRun, Ladder } from '../api/schemas/bench.js';
import type { TaskSnapshot } from '../api/schemas/task.js';
import { passphraseSecretStore } from '../store/passphrase-secret-store.js';
import { pathsUnder } from '../store/paths.js';
import { silentLogger } from '../util/logger.js';
import { buildBenchStandIns, type BenchStandIns } from '../../test/docker/bench-stand-ins.js';
import { gpuHookLines, gpusGivenTo, testDockerEngine, testGpuDockerEngine } from '../../test/docker/engine.js';
import { capturedGpuUuids, fakeNvidiaSmiEnv, nvidiaFixture } from '../../test/fake-nvidia-smi/index.js';
import { natPmpTestRouter } from '../../test/net/nat-pmp-router.js';
import { Agent } from './agent.js';

// A machine without the NVIDIA Container Toolkit: GPU requests are refused.
const engine = await testDockerEngine();
// A machine with it: GPU requests reach its (stand-in) runtime hook, which records what it was given.
const gpuEngine = await testGpuDockerEngine();
const CAPTURE = 'rtx4090_535.86.05_1gpu.xml';
/** The GPU the capture lists: the one a benchmark must ask Docker for. */
const GPU_UUID = capturedGpuUuids(CAPTURE)[0]!;

async function call<M extends Method>(agent: Agent, method: M, input: In<M>): Promise<Out<M>> {
  const env = await dispatch(agent.handlers, method, input, { via: 'internal' });
  if (!env.ok) throw RigError.fromShape(env.error);
  return env.value as Out<M>;
}

/** A headless agent on the given engine, with the stand-in images and no outside checks. */
async function benchAgent(home: string, dockerHost: string, images: BenchStandIns): Promise<Agent> {
  const agent = new Agent({
    host: 'headless',
    paths: pathsUnder(home),
    secrets: passphraseSecretStore(path.join(home, 'secrets'), async () => 'test passphrase'),
    logger: silentLogger,
    version: '0.0.0-test',
    env: { ...fakeNvidiaSmiEnv({ xml: CAPTURE }), RIGLEASE_HOME: home, DOCKER_HOST: dockerHost },
  });
  const set = (key: string, value: unknown) => call(agent, 'settings.set', { key, value });
  await set('bench.images.nbody', images.nbody);
  await set('bench.images.smi', images.smi);
  await set('bench.diskTestMiB', 8);
  // Nothing here may reach the internet: every outside check is turned off and must say so.
  for (const key of ['downloadUrl', 'uploadUrl', 'publicIpUrl', 'portProbeUrl']) await set(`bench.network.${key}`, '');
  // A prefix no other test's stack uses, so the Kubernetes rung looks for our stack only.
  await set('stack.namePrefix', `benchtest${process.pid}`);
  return agent;
}

/** This file's benchmark containers on an engine (other files run benchmarks there at the same time). */
const benchContainersOn = async (docker: Docker) => (await docker.listContainers({ all: true, filters: { label: ['io.riglease.component=bench'] } })).filter((c) => c.Labels['io.riglease.bench.run'] !== undefined && c.Image.startsWith('riglease-test/app-bench'));

/** The GPUs the GPU engine's hook was asked for while `action` ran (other files' containers may be among them). */
async function gpusAskedDuring<T>(action: () => Promise<T>): Promise<{ result: T; asked: string[] }> {
  const before = gpuHookLines().length;
  const result = await action();
  return { result, asked: gpuHookLines().slice(before).map((l) => l.split(' ')[1] ?? '') };
}

describe.skipIf(!gpuEngine.ok)('benchmarks through the API (real Docker engine with the NVIDIA runtime, stand-in images)', () => {
  let home: string;
  let agent: Agent;
  let docker: Docker;
  let images: BenchStandIns;
  const events: TaskSnapshot[] = [];

  const set = (key: string, value: unknown) => call(agent, 'settings.set', { key, value });
  const benchContainers = () => benchContainersOn(docker);
  /** The figure the capture printed, read from the capture itself. */
  const capturedGflops = () => Number(/^= ([\d.]+) single-precision GFLOP\/s/m.exec(images.nbodyText)![1]);

  beforeAll(async () => {
    if (!gpuEngine.ok) return;
    docker = gpuEngine.docker;
    images = await buildBenchStandIns(docker, 'riglease-test/app-bench', 1);
    home = await mkdtemp(path.join(os.tmpdir(), 'riglease-bench-'));
    // The product's default GPU access (`device-requests`): each benchmark container asks for the GPU by UUID.
    agent = await benchAgent(home, gpuEngine.host, images);
    agent.hub.subscribe('task.progress', (s) => events.push(s));
  });

  afterAll(async () => {
    await agent?.stop();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('bench.run gpu: a task with progress whose result is the stored run, with the captured GFLOP/s and the reference', async () => {
    const { result: [ref, done], asked } = await gpusAskedDuring(async () => {
      const r = await call(agent, 'bench.run', { kind: 'gpu' });
      return [r, await agent.tasks.wait(r.id)] as const;
    });
    expect(ref.kind).toBe('bench.run');
    // Docker was asked for exactly the GPU nvidia-smi lists, by UUID, and handed it to the container.
    expect(asked).toContain(GPU_UUID);
    expect(done.state, done.error?.message).toBe('succeeded');
    const run = BenchRun.parse(done.result);
    expect(run.gpu?.gflops).toBe(capturedGflops());
    expect(run.gpu?.device).toBe('NVIDIA GeForce RTX 4090');
    expect(run.driverVersion).toBe('535.86.05');
    expect(run.gpus.map((g) => g.name)).toEqual(['NVIDIA GeForce RTX 4090']);
    expect(run.reference).toMatchObject({ gpuName: 'NVIDIA GeForce RTX 4090', ratio: 1 });
    expect(run.errors).toEqual([]);
    // Progress: running snapshots that name the GPU step, and the benchmark's own lines in the log.
    const mine = events.filter((e) => e.task === ref.id);
    expect(mine.some((e) => e.state === 'running' && /CUDA n-body on NVIDIA GeForce RTX 4090/.test(e.message))).toBe(true);
    expect(done.log.some((l) => l.includes('GFLOP/s'))).toBe(true);
    expect(await benchContainers()).toHaveLength(0);

    const history = await call(agent, 'bench.history', { limit: 10 });
    expect(history.runs[0]?.id).toBe(run.id);
    expect(history.rerun.suggested).toBe(false);
  });

  it('cancel mid-run: the task ends cancelled, no container is left and nothing is stored', async () => {
    await set('bench.images.nbody', images.nbodySlow);
    try {
      const before = (await call(agent, 'bench.history', { limit: 50 })).runs.length;
      const ref = await call(agent, 'bench.run', { kind: 'gpu' });
      // Wait until the benchmark is really running inside its container (its first lines are in the log).
      await expect.poll(() => agent.tasks.get(ref.id).log.some((l) => l.includes('> Compute')), { timeout: 30_000 }).toBe(true);
      const running = await benchContainers();
      expect(running).toHaveLength(1);
      // The running benchmark was given the chosen GPU and only that one.
      expect(gpusGivenTo(running[0]!.Id)).toBe(GPU_UUID);
      await expect(call(agent, 'bench.run', { kind: 'disk' })).rejects.toMatchObject({ code: 'conflict' });
      await call(agent, 'task.cancel', { id: ref.id });
      const done = await agent.tasks.wait(ref.id);
      expect(done.state).toBe('cancelled');
      expect(await benchContainers()).toHaveLength(0);
      expect((await call(agent, 'bench.history', { limit: 50 })).runs).toHaveLength(before);
    } finally {
      await set('bench.images.nbody', images.nbody);
    }
  });

  it('bench.run all: every quick section, with the outside checks reported as not tested rather than invented', async () => {
    const ref = await call(agent, 'bench.run', { kind: 'all' });
    const done = await agent.tasks.wait(ref.id);
    expect(done.state, done.error?.message).toBe('succeeded');
    expect(done.of).toBe(6);
    const run = BenchRun.parse(done.result);
    expect(run.kinds).toEqual(['gpu', 'disk', 'network', 'ports']);
    expect(run.gpu?.gflops).toBe(capturedGflops());
    expect(run.disk?.method).toBe('builtin');
    expect(run.disk?.seqWriteMBps).toBeGreaterThan(0);
    expect(run.disk?.path).toBe((await agent.hardware.scan({ maxAgeMs: 600_000 })).docker.rootDir);
    expect(run.network?.downloadMbps).toBeNull();
    expect(run.network?.notTested.join(' ')).toMatch(/download and latency: not tested/);
    expect(run.ports?.tested).toBe(false);
    expect(run.ports?.ports.map((p) => [p.port, p.state])).toEqual([[80, 'not_tested'], [443, 'not_tested'], [8443, 'not_tested'], [8444, 'not_tested']]);
    expect(await benchContainers()).toHaveLength(0);
  });

  it('bench.run stability: the load runs for the chosen minutes while nvidia-smi is sampled, then the load is removed', async () => {
    await set('bench.stabilitySampleSec', 1);
    const ref = await call(agent, 'bench.run', { kind: 'stability', minutes: 0.1 });
    await expect.poll(async () => (await benchContainers()).length, { timeout: 10_000 }).toBe(1);
    // The load runs on the GPU that is being watched (the hook runs as the container starts).
    await expect.poll(async () => gpusGivenTo((await benchContainers())[0]?.Id ?? 'none'), { timeout: 10_000 }).toBe(GPU_UUID);
    const done = await agent.tasks.wait(ref.id);
    expect(done.state, done.error?.message).toBe('succeeded');
    const s = BenchRun.parse(done.result).stability!;
    expect(s.minutes).toBe(0.1);
    expect(s.loadRan).toBe(true);
    expect(s.loadImage).toBe(images.nbody);
    expect(s.gpus).toHaveLength(1);
    expect(s.gpus[0]?.name).toBe('NVIDIA GeForce RTX 4090');
    expect(s.gpus[0]?.samples).toBeGreaterThanOrEqual(3);
    expect(s.flags.filter((f) => f.severity === 'block')).toEqual([]);
    expect(await benchContainers()).toHaveLength(0);
  });

  it('ladder: driver and Docker green, Kubernetes red because the stack is not running, bid engine skipped', async () => {
    const { result: done, asked } = await gpusAskedDuring(async () => agent.tasks.wait((await call(agent, 'bench.ladder', {})).id));
    expect(done.state, done.error?.message).toBe('succeeded');
    // No GPU chosen: the Docker rung's container asks for every GPU, as `docker run --gpus all` does.
    expect(asked).toContain('all');
    const ladder = Ladder.parse(done.result);
    const byId = Object.fromEntries(ladder.rungs.map((r) => [r.id, r]));
    expect(byId['driver']).toMatchObject({ state: 'green', reason: expect.stringMatching(/NVIDIA GeForce RTX 4090 \(driver 535\.86\.05\)/) });
    expect(byId['docker']).toMatchObject({ state: 'green', reason: expect.stringContaining(images.smiText.trim()) });
    expect(byId['kubernetes']).toMatchObject({ state: 'red', reason: expect.stringMatching(/provider stack \(k3s\) is not running/), fix: expect.stringMatching(/Start the provider stack/) });
    expect(byId['bid_engine']?.state).toBe('skipped');
    expect(ladder.stopsAt).toBe('kubernetes');
    expect(await benchContainers()).toHaveLength(0);
  });

  it('bench.mapPorts asks the router (NAT-PMP) for 80, 443, 8443, 8444 to the host ports the stack publishes', async () => {
    const router = await natPmpTestRouter({});
    agent.env['RIGLEASE_NAT_PMP_GATEWAY'] = `127.0.0.1:${router.port}`;
    try {
      await set('stack.ports.gateway', 18443);
      const r = await call(agent, 'bench.mapPorts', { lifetimeSec: 600 });
      expect(r.gateway).toBe('127.0.0.1');
      expect(r.method).toBe('nat-pmp');
      expect(r.mappings.map((m) => [m.port, m.internalPort, m.ok])).toEqual([[80, 80, true], [443, 443, true], [8443, 18443, true], [8444, 8444, true]]);
      // What went over the wire: opcode 2 (TCP), this machine's port, the outside port, the lifetime.
      const sent = router.received.filter((b) => b.readUInt8(1) === 2).map((b) => [b.readUInt8(1), b.readUInt16BE(4), b.readUInt16BE(6), b.readUInt32BE(8)]);
      expect(sent[2]).toEqual([2, 18443, 8443, 600]);
      // This router hands out other outside ports than asked: the answer says so instead of pretending.
      expect(r.mappings[0]?.externalPort).toBe(81);
      expect(r.advice.join(' ')).toMatch(/chose different outside ports/);
      expect(r.renewsAt).not.toBeNull();
      // On request the mappings go away again: RFC 6886 deletion (outside port 0, lifetime 0) per port.
      const removed = await call(agent, 'bench.mapPorts', { remove: true });
      expect(removed.mappings.map((m) => [m.port, m.ok])).toEqual([[80, true], [443, true], [8443, true], [8444, true]]);
      expect(router.received.filter((b) => b.readUInt8(1) === 2).slice(4).map((b) => [b.readUInt16BE(4), b.readUInt16BE(6), b.readUInt32BE(8)])).toEqual([[80, 0, 0], [443, 0, 0], [18443, 0, 0], [8444, 0, 0]]);
    } finally {
      delete agent.env['RIGLEASE_NAT_PMP_GATEWAY'];
      router.socket.close();
      await set('stack.ports.gateway', 8443);
    }
  });

  it('bench.mapPorts with a router that answers neither NAT-PMP nor UPnP: one try per port at most, and the advice to forward by hand', async () => {
    const router = await natPmpTestRouter({ silentFor: 1000 });
    // UPnP discovery goes to a silent loopback socket instead of the LAN's multicast group.
    const ssdp = createSocket('udp4');
    await new Promise<void>((r) => ssdp.bind(0, '127.0.0.1', () => r()));
    agent.env['RIGLEASE_NAT_PMP_GATEWAY'] = `127.0.0.1:${router.port}`;
    agent.env['RIGLEASE_UPNP_SSDP'] = `127.0.0.1:${ssdp.address().port}`;
    try {
      const r = await call(agent, 'bench.mapPorts', {});
      expect(r.method).toBeNull();
      expect(r.mappings).toHaveLength(1);
      expect(r.mappings[0]).toMatchObject({ ok: false, message: expect.stringMatching(/did not answer NAT-PMP/) });
      expect(r.attempts.map((a) => a.split(':')[0])).toEqual(['NAT-PMP', 'UPnP']);
      expect(r.advice.join(' ')).toMatch(/by hand/);
    } finally {
      delete agent.env['RIGLEASE_NAT_PMP_GATEWAY'];
      delete agent.env['RIGLEASE_UPNP_SSDP'];
      router.socket.close();
      ssdp.close();
    }
  });

  it('after a driver change the history suggests a re-run and says why', async () => {
    // The same machine after a driver update: the fake nvidia-smi now replays another real capture.
    agent.env['FAKE_NVIDIA_SMI_XML'] = nvidiaFixture('rtx3090_590.44.01_1gpu.xml');
    try {
      await agent.hardware.scan({ maxAgeMs: 0 });
      const history = await call(agent, 'bench.history', { limit: 5 });
      expect(history.rerun.suggested).toBe(true);
      expect(history.rerun.reasons.join(' ')).toMatch(/driver changed from 535\.86\.05 to 590\.44\.01/);
    } finally {
      agent.env['FAKE_NVIDIA_SMI_XML'] = nvidiaFixture(CAPTURE);
      await agent.hardware.scan({ maxAgeMs: 0 });
    }
  });

  // Last: it stops the agent.
  it('quitting the app mid-benchmark cancels the run and removes its container before the agent is gone', async () => {
    await set('bench.images.nbody', images.nbodySlow);
    const ref = await call(agent, 'bench.run', { kind: 'gpu' });
    await expect.poll(() => agent.tasks.get(ref.id).log.some((l) => l.includes('> Compute')), { timeout: 30_000 }).toBe(true);
    expect(await benchContainers()).toHaveLength(1);
    await agent.stop();
    expect(agent.tasks.get(ref.id).state).toBe('cancelled');
    expect(await benchContainers()).toHaveLength(0);
  });
});

describe.skipIf(!engine.ok)('benchmarks through the API on an engine that cannot hand out GPUs (no NVIDIA Container Toolkit)', () => {
  let home: string;
  let agent: Agent;
  let docker: Docker;
  const benchContainers = () => benchContainersOn(docker);

  beforeAll(async () => {
    if (!engine.ok) return;
    docker = engine.docker;
    const images = await buildBenchStandIns(docker, 'riglease-test/app-bench', 1);
    home = await mkdtemp(path.join(os.tmpdir(), 'riglease-bench-plain-'));
    agent = await benchAgent(home, engine.host, images);
  });

  afterAll(async () => {
    await agent?.stop();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('a section that cannot run is recorded with its reason and fix; the others still run', async () => {
    const ref = await call(agent, 'bench.run', { kind: 'all' });
    const done = await agent.tasks.wait(ref.id);
    expect(done.state).toBe('succeeded');
    const run = BenchRun.parse(done.result);
    expect(run.gpu).toBeNull();
    expect(run.disk?.seqWriteMBps).toBeGreaterThan(0);
    expect(run.ports?.ports).toHaveLength(4);
    expect(run.errors).toEqual([{ section: 'gpu', error: expect.objectContaining({ code: 'precondition_failed', fix: expect.stringMatching(/NVIDIA Container Toolkit/) }) }]);
    expect(await benchContainers()).toHaveLength(0);
  });

  // Tests the setting itself: bench.gpuAccess = engine-default is for engines whose default
  // runtime hands every container the GPUs, so the benchmark must ask Docker for none. Here any GPU
  // request is refused, so a run that succeeds asked for none.
  it('with bench.gpuAccess engine-default the benchmark asks Docker for no GPU and runs', async () => {
    await call(agent, 'settings.set', { key: 'bench.gpuAccess', value: 'engine-default' });
    try {
      const ref = await call(agent, 'bench.run', { kind: 'gpu' });
      const done = await agent.tasks.wait(ref.id);
      const run = BenchRun.parse(done.result);
      expect(run.errors).toEqual([]);
      expect(run.gpu?.gflops).toBeGreaterThan(0);
      expect(await benchContainers()).toHaveLength(0);
    } finally {
      await call(agent, 'settings.set', { key: 'bench.gpuAccess', value: 'device-requests' });
    }
  });

  it('ladder: Docker is the failing rung, and the skipped Kubernetes rung still says the stack is not running', async () => {
    const ref = await call(agent, 'bench.ladder', {});
    const ladder = Ladder.parse((await agent.tasks.wait(ref.id)).result);
    expect(ladder.stopsAt).toBe('docker');
    const rung = ladder.rungs.find((r) => r.id === 'docker')!;
    expect(rung.reason).toMatch(/Docker cannot hand the GPU to containers/);
    expect(rung.fix).toMatch(/nvidia-ctk runtime configure/);
    expect(ladder.rungs.find((r) => r.id === 'kubernetes')?.reason).toMatch(/^skipped: .*; the provider stack \(k3s\) is not running\.$/);
  });
});
