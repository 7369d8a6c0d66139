import { readFileSync } from 'node:fs';
import path from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDockerEngine } from '../../../test/docker/engine.js';
import { NVIDIA_FIXTURES_DIR } from '../../../test/fake-nvidia-smi/index.js';
import { node, nodeList, pod, useKubectlScenario } from '../../../test/stack/kubectl-standin.js';
import { cleanup, stackEnv } from '../../../test/stack/stack-env.js';
import { kubernetesRung } from './ladder-probes.js';

/**
 * The Kubernetes rung the way it runs for a user: it finds the stack's k3s container by its labels
 * and runs `kubectl` in it with `docker exec`. The container is the k3s stand-in started by the
 * real StackService on the real engine; only `kubectl` inside it is a stand-in, answering in
 * kubectl's documented JSON shapes (test/stack/kubectl-standin.ts cites them).
 */
const engine = await testDockerEngine();
/** A real `nvidia-smi -L` line, as the GPU test pod's log would hold it. */
const SMI_L = readFileSync(new URL('../../../test/bench-fixtures/nvidia-smi-L/server-setup-notes_1x-rtx4090.txt', import.meta.url), 'utf8');
const IMAGE = 'nvidia/cuda:12.4.1-base-ubuntu22.04';
const fast = { podTimeoutMs: 20_000, pollMs: 100, unschedulableMs: 600 };

describe.skipIf(!engine.ok)('Kubernetes rung in the stack\u2019s k3s container (real engine, kubectl stand-in)', () => {
  let docker: Docker;
  let prefix: string;
  let k3s: Docker.Container;
  const signal = new AbortController().signal;
  const rung = (o: Partial<typeof fast> = {}) => kubernetesRung(docker, IMAGE, signal, { ...fast, ...o, stackPrefix: prefix });

  beforeAll(async () => {
    if (!engine.ok) return;
    docker = engine.docker;
    const e = await stackEnv(docker);
    prefix = e.prefix;
    const up = await e.tasks.wait(e.service.up().id);
    expect(up.state, up.error?.message).toBe('succeeded');
    k3s = docker.getContainer(`${prefix}-k3s`);
  }, 120_000);
  afterAll(async () => {
    if (engine.ok && prefix) await cleanup(docker, prefix);
  });

  it('green: one GPU allocatable, the pod goes Pending → Running → Succeeded and printed the GPU; the pod is deleted afterwards', async () => {
    const s = await useKubectlScenario(k3s, {
      nodes: nodeList(node('rig-1', { gpuCapacity: '1', gpuAllocatable: '1' })),
      pods: [pod('Pending', { waiting: { reason: 'ContainerCreating' } }), pod('Running'), pod('Succeeded')],
      logs: SMI_L,
    });
    const r = await rung();
    expect(r.state).toBe('green');
    expect(r.reason).toBe(`1 GPU(s) allocatable; a pod with nvidia.com/gpu: 1 saw: ${SMI_L.trim()}`);
    const calls = await s.calls();
    const run = calls.find((c) => c.startsWith('run '))!;
    const name = run.split(' ')[1]!;
    const overrides = JSON.parse(run.slice(run.indexOf('--overrides=') + '--overrides='.length));
    expect(overrides.spec).toMatchObject({ runtimeClassName: 'nvidia', restartPolicy: 'Never', containers: [{ image: IMAGE, command: ['nvidia-smi', '-L'], resources: { limits: { 'nvidia.com/gpu': '1' } } }] });
    expect(calls.filter((c) => c.startsWith(`get pod ${name} `))).toHaveLength(3);
    expect(calls.at(-1)).toBe(`delete pod ${name} --wait=false --ignore-not-found`);
  }, 30_000);

  it.each([
    ['capacity 1, allocatable 0', node('rig-1', { gpuCapacity: '1', gpuAllocatable: '0' }), /report nvidia\.com\/gpu capacity 1 but allocatable 0/],
    ['no nvidia.com/gpu resource at all', node('rig-1', {}), /no node \(rig-1\) reports nvidia\.com\/gpu at all/],
  ])('red when the device plugin does not advertise GPUs (%s); no pod is started', async (_name, n, detail) => {
    const s = await useKubectlScenario(k3s, { nodes: nodeList(n) });
    const r = await rung();
    expect(r.state).toBe('red');
    expect(r.reason).toMatch(/^The NVIDIA device plugin is not advertising GPUs to Kubernetes: /);
    expect(r.reason).toMatch(detail);
    expect(r.fix).toMatch(/nvidia-device-plugin/);
    expect((await s.calls()).map((c) => c.split(' ').slice(0, 2).join(' '))).toEqual(['get nodes']);
  });

  it('red when the pod stays Pending because the scheduler finds no free GPU, with the scheduler\u2019s words; the pod is deleted', async () => {
    const why = '0/1 nodes are available: 1 Insufficient nvidia.com/gpu.';
    const s = await useKubectlScenario(k3s, { nodes: nodeList(node('rig-1', { gpuCapacity: '1', gpuAllocatable: '1' })), pods: [pod('Pending', { unschedulable: why })] });
    const t0 = Date.now();
    const r = await rung();
    // Given up after the unschedulable grace (0.6 s here), not the 20 s pod timeout.
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(r.state).toBe('red');
    expect(r.reason).toBe(`The GPU test pod stayed Pending: not scheduled (Unschedulable): ${why}`);
    expect(r.fix).toMatch(/a running lease holds it/);
    expect((await s.calls()).at(-1)).toMatch(/^delete pod riglease-gpu-check-[0-9a-f]{6} /);
  });

  it('red at once when the pod\u2019s image cannot be pulled (ImagePullBackOff), not after the timeout', async () => {
    await useKubectlScenario(k3s, {
      nodes: nodeList(node('rig-1', { gpuCapacity: '1', gpuAllocatable: '1' })),
      pods: [pod('Pending', { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${IMAGE}"` } })],
    });
    const t0 = Date.now();
    const r = await rung({ podTimeoutMs: 60_000 });
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(r).toMatchObject({ state: 'red', reason: `The GPU test pod cannot start: container waiting (ImagePullBackOff): Back-off pulling image "${IMAGE}"` });
    expect(r.fix).toMatch(/could not download the test image/);
  });

  it('red when the pod fails, with its exit code and its last output (a real nvidia-smi error in a container)', async () => {
    const log = readFileSync(path.join(NVIDIA_FIXTURES_DIR, 'error_libnvidia-ml-not-found.txt'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).join('\n');
    await useKubectlScenario(k3s, { nodes: nodeList(node('rig-1', { gpuCapacity: '1', gpuAllocatable: '1' })), pods: [pod('Failed', { terminated: { exitCode: 9, reason: 'Error' } })], logs: `${log}\n` });
    const r = await rung();
    expect(r).toMatchObject({ state: 'red', reason: `The GPU test pod failed (exit 9, Error): ${log.split('\n').join(' | ')}` });
    expect(r.fix).toMatch(/RuntimeClass "nvidia"/);
  });

  it('red when the node is not Ready, and when kubectl cannot reach the API server', async () => {
    await useKubectlScenario(k3s, { nodes: nodeList(node('rig-1', { ready: 'False', gpuCapacity: '1', gpuAllocatable: '1' })) });
    expect(await rung()).toMatchObject({ state: 'red', reason: 'The k3s node rig-1 is not Ready (KubeletNotReady: container runtime network not ready).' });
    const refused = 'The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?';
    await useKubectlScenario(k3s, { nodes: null, nodesError: `${refused}\n` });
    expect(await rung()).toMatchObject({ state: 'red', reason: `k3s does not answer: ${refused}` });
  });

  it('a pod still Pending at the deadline is red with its last state', async () => {
    await useKubectlScenario(k3s, { nodes: nodeList(node('rig-1', { gpuCapacity: '1', gpuAllocatable: '1' })), pods: [pod('Pending', { waiting: { reason: 'ContainerCreating' } })] });
    const r = await rung({ podTimeoutMs: 1000 });
    expect(r).toMatchObject({ state: 'red', reason: 'The GPU test pod did not finish within 1 s (last phase: Pending; container waiting (ContainerCreating)).' });
  });
});
