import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../api/dispatch.js';
import { RigError } from '../api/errors.js';
import { Ladder } from '../api/schemas/bench.js';
import { passphraseSecretStore } from '../store/passphrase-secret-store.js';
import { pathsUnder } from '../store/paths.js';
import { silentLogger } from '../util/logger.js';
import { buildBenchStandIns, type BenchStandIns } from '../../test/docker/bench-stand-ins.js';
import { gpuHookLines, testGpuDockerEngine } from '../../test/docker/engine.js';
import { capturedGpuUuids, fakeNvidiaSmiEnv } from '../../test/fake-nvidia-smi/index.js';
import { node, nodeList, pod, useKubectlScenario } from '../../test/stack/kubectl-standin.js';
import { cleanup, freePortRun, stackEnv } from '../../test/stack/stack-env.js';
import { Agent } from './agent.js';

/**
 * The whole pre-flight ladder through the API with the provider stack up: driver (fake
 * nvidia-smi on a real capture) → Docker (stand-in CUDA base on the real engine with the NVIDIA
 * runtime, the GPU asked for by UUID) → Kubernetes
 * (`kubectl` exec'd into the stack's k3s container, a stand-in answering kubectl's documented
 * JSON) → bid engine (nothing answers on the gateway port, so "unknown").
 */
const engine = await testGpuDockerEngine();
const CAPTURE = 'rtx4090_535.86.05_1gpu.xml';
const GPU_UUID = capturedGpuUuids(CAPTURE)[0]!;
const SMI_L = readFileSync(new URL('../../test/bench-fixtures/nvidia-smi-L/server-setup-notes_1x-rtx4090.txt', import.meta.url), 'utf8');

describe.skipIf(!engine.ok)('pre-flight ladder with the stack running (real engine with the NVIDIA runtime)', () => {
  let home: string;
  let agent: Agent;
  let docker: Docker;
  let prefix: string;
  let images: BenchStandIns;
  let k3s: Docker.Container;

  const ladder = async (input: { gpuUuid?: string } = {}): Promise<Ladder> => {
    const env = await dispatch(agent.handlers, 'bench.ladder', input, { via: 'internal' });
    if (!env.ok) throw RigError.fromShape(env.error);
    const done = await agent.tasks.wait((env.value as { id: string }).id);
    expect(done.state, done.error?.message).toBe('succeeded');
    return Ladder.parse(done.result);
  };

  beforeAll(async () => {
    if (!engine.ok) return;
    docker = engine.docker;
    images = await buildBenchStandIns(docker, 'riglease-test/ladder-k8s', 1);
    const e = await stackEnv(docker);
    prefix = e.prefix;
    expect((await e.tasks.wait(e.service.up().id)).state).toBe('succeeded');
    k3s = docker.getContainer(`${prefix}-k3s`);
    home = await mkdtemp(path.join(os.tmpdir(), 'riglease-ladder-'));
    agent = new Agent({
      host: 'headless',
      paths: pathsUnder(home),
      secrets: passphraseSecretStore(path.join(home, 'secrets'), async () => 'test passphrase'),
      logger: silentLogger,
      version: '0.0.0-test',
      env: { ...fakeNvidiaSmiEnv({ xml: CAPTURE }), RIGLEASE_HOME: home, DOCKER_HOST: engine.host },
    });
    const free = await freePortRun(1);
    await agent.settings.update((s) => {
      s.bench.images.smi = images.smi;
      s.stack.namePrefix = prefix;
      s.stack.ports.gateway = free;
    });
  }, 180_000);
  afterAll(async () => {
    await agent?.stop();
    if (engine.ok && prefix) await cleanup(docker, prefix);
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('device plugin advertises the GPU and the pod succeeds: Kubernetes green, and the ladder goes on to the bid engine', async () => {
    await useKubectlScenario(k3s, { nodes: nodeList(node(`${prefix}-node`, { gpuCapacity: '1', gpuAllocatable: '1' })), pods: [pod('Succeeded')], logs: SMI_L });
    const before = gpuHookLines().length;
    const l = await ladder({ gpuUuid: GPU_UUID });
    // The Docker rung asked the engine for the chosen GPU, by UUID.
    expect(gpuHookLines().slice(before).map((line) => line.split(' ')[1])).toContain(GPU_UUID);
    expect(l.rungs.map((r) => [r.id, r.state])).toEqual([['driver', 'green'], ['docker', 'green'], ['kubernetes', 'green'], ['bid_engine', 'unknown']]);
    expect(l.rungs[2]!.reason).toContain(SMI_L.trim());
    expect(l.stopsAt).toBe('bid_engine');
  }, 60_000);

  it('device plugin not advertising: Kubernetes is the failing rung with that reason, and the bid engine is skipped', async () => {
    await useKubectlScenario(k3s, { nodes: nodeList(node(`${prefix}-node`, { gpuCapacity: '1', gpuAllocatable: '0' })) });
    const l = await ladder();
    expect(l.stopsAt).toBe('kubernetes');
    expect(l.rungs[2]!.reason).toMatch(/^The NVIDIA device plugin is not advertising GPUs to Kubernetes/);
    expect(l.rungs[3]!.state).toBe('skipped');
  }, 60_000);
});
