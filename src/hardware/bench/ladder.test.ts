import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { gpuHookLines, testDockerEngine, testGpuDockerEngine } from '../../../test/docker/engine.js';
import { buildStandInImage } from '../../../test/docker/stand-in-image.js';
import type { RungId } from '../../api/schemas/bench.js';
import { assembleLadder, runLadder, type RungOutcome } from './ladder.js';
import { allocatableGpus, bidEngineRung, dockerRung, gpuPodOverrides, inventoryGpus, kubernetesRung } from './ladder-probes.js';

const G: RungOutcome = { state: 'green', reason: 'ok', fix: null };
const R: RungOutcome = { state: 'red', reason: 'broken', fix: 'fix it' };
const U: RungOutcome = { state: 'unknown', reason: 'could not tell', fix: null };
const AT = '2026-11-25T12:00:00.000Z';

describe('ladder assembly (pure)', () => {
  it.each<[string, Partial<Record<RungId, RungOutcome>>, string[], RungId | null]>([
    ['all green', { driver: G, docker: G, kubernetes: G, bid_engine: G }, ['green', 'green', 'green', 'green'], null],
    ['driver red', { driver: R }, ['red', 'skipped', 'skipped', 'skipped'], 'driver'],
    ['docker red', { driver: G, docker: R }, ['green', 'red', 'skipped', 'skipped'], 'docker'],
    ['red ignores later outcomes', { driver: G, docker: R, kubernetes: G, bid_engine: G }, ['green', 'red', 'skipped', 'skipped'], 'docker'],
    ['unknown does not skip', { driver: G, docker: U, kubernetes: G }, ['green', 'unknown', 'green', 'unknown'], 'docker'],
    ['nothing checked', {}, ['unknown', 'unknown', 'unknown', 'unknown'], 'driver'],
    ['bid engine red', { driver: G, docker: G, kubernetes: G, bid_engine: R }, ['green', 'green', 'green', 'red'], 'bid_engine'],
  ])('%s', (_name, outcomes, states, stopsAt) => {
    const ladder = assembleLadder(outcomes, AT);
    expect(ladder.rungs.map((r) => r.state)).toEqual(states);
    expect(ladder.stopsAt).toBe(stopsAt);
    for (const r of ladder.rungs.filter((x) => x.state === 'skipped')) expect(r.reason).toMatch(/^skipped: earlier rung failed \(/);
  });

  it('keeps the failing rung\u2019s reason and fix', () => {
    const rung = assembleLadder({ driver: G, docker: R }, AT).rungs[1]!;
    expect(rung).toMatchObject({ id: 'docker', reason: 'broken', fix: 'fix it' });
  });

  it('runs probes bottom-up and never runs the ones above a red rung', async () => {
    const ran: string[] = [];
    const probe = (id: string, o: RungOutcome) => async () => (ran.push(id), o);
    const ladder = await runLadder({ driver: probe('driver', G), docker: probe('docker', R), kubernetes: probe('kubernetes', G), bid_engine: probe('bid_engine', G) }, new AbortController().signal);
    expect(ran).toEqual(['driver', 'docker']);
    expect(ladder.stopsAt).toBe('docker');
  });

  it('a probe that throws is unknown with its message, and the ladder goes on', async () => {
    const boom = async () => {
      throw new Error('docker socket vanished');
    };
    const ladder = await runLadder({ driver: async () => G, docker: boom, kubernetes: async () => G, bid_engine: async () => G }, new AbortController().signal);
    expect(ladder.rungs[1]).toMatchObject({ state: 'unknown', reason: 'docker socket vanished' });
    expect(ladder.rungs[2]!.state).toBe('green');
  });
});

describe('Kubernetes and bid engine rung helpers', () => {
  it('the test pod asks for one GPU with the nvidia runtime class and never restarts', () => {
    const o = JSON.parse(gpuPodOverrides('p', 'img'));
    expect(o.spec.runtimeClassName).toBe('nvidia');
    expect(o.spec.restartPolicy).toBe('Never');
    expect(o.spec.containers[0].resources.limits).toEqual({ 'nvidia.com/gpu': '1' });
  });

  it('sums nvidia.com/gpu allocatable over nodes; a node without the device plugin counts 0', () => {
    const doc = { items: [{ status: { allocatable: { cpu: '16', 'nvidia.com/gpu': '2' } } }, { status: { allocatable: { cpu: '8' } } }] };
    expect(allocatableGpus(JSON.stringify(doc))).toBe(2);
  });

  it('counts GPUs only under an inventory key', () => {
    expect(inventoryGpus({ cluster: { inventory: { available: { nodes: [{ allocatable: { gpu: 1 } }, { allocatable: { gpu: 2 } }] } } }, bidengine: { gpu: 9 } })).toBe(3);
    expect(inventoryGpus({ cluster: { inventory: { available: { nodes: [{ allocatable: { gpu: 0 } }] } } } })).toBe(0);
  });

  it('bid engine: unreachable provider is unknown, an inventory without GPUs is red', async () => {
    expect((await bidEngineRung(async () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:8443')))).state).toBe('unknown');
    const red = await bidEngineRung(async () => ({ cluster: { inventory: { available: { nodes: [] } } } }));
    expect(red.state).toBe('red');
    expect(red.fix).toMatch(/support#298/);
  });
});

const engine = await testDockerEngine();
describe.skipIf(!engine.ok)('Docker and Kubernetes rungs against a real engine without the NVIDIA runtime', () => {
  const IMAGE = 'riglease-test/bench-standin:smi';
  beforeAll(async () => {
    if (engine.ok) await buildStandInImage(engine.docker, IMAGE, { files: { '/bin/nvidia-smi': '#!/bin/sh\necho "stand-in: the real nvidia-smi is mounted in by the NVIDIA toolkit"\nexit 9\n' } });
  });

  it('Docker rung is red with Docker\u2019s own reason and the toolkit fix', async () => {
    if (!engine.ok) return;
    const rung = await dockerRung(engine.docker, IMAGE, 'GPU-00000000-0000-0000-0000-000000000000', new AbortController().signal);
    expect(rung.state).toBe('red');
    expect(rung.reason).toMatch(/^Docker cannot hand the GPU to containers: .*could not select device driver "nvidia"/);
    expect(rung.fix).toMatch(/nvidia-ctk runtime configure --runtime=docker/);
    const left = await engine.docker.listContainers({ all: true, filters: { label: ['io.riglease.component=bench'] } });
    // This file's image only: other test files run ladders on the same engine at the same time.
    expect(left.filter((c) => c.Labels['io.riglease.bench.run']?.startsWith('ladder-') && c.Image === IMAGE)).toHaveLength(0);
  });

  it('Kubernetes rung is red when no working k3s node is there', async () => {
    if (!engine.ok) return;
    // Our own stack prefix: a k3s stand-in another test runs on the same engine is not ours to probe.
    const rung = await kubernetesRung(engine.docker, IMAGE, new AbortController().signal, { podTimeoutMs: 60_000, stackPrefix: `ladder-test-${process.pid}` });
    expect(rung.state).toBe('red');
    expect(rung.reason).toMatch(/provider stack \(k3s\) is not running/);
  });
});

// A machine with the NVIDIA Container Toolkit: GPU requests reach its (stand-in) runtime hook.
const gpuEngine = await testGpuDockerEngine();
describe.skipIf(!gpuEngine.ok)('Docker rung against a real engine with the NVIDIA runtime', () => {
  it('Docker rung is green when a container lists the GPUs, and counts every one (real 4-GPU `nvidia-smi -L`)', async () => {
    if (!gpuEngine.ok) return;
    const capture = readFileSync(new URL('../../../test/bench-fixtures/nvidia-smi-L/gpu-hot-issue64_4x-rtx3090.txt', import.meta.url), 'utf8');
    const image = 'riglease-test/bench-standin:smi-4gpu';
    await buildStandInImage(gpuEngine.docker, image, { files: { '/bin/nvidia-smi': '#!/bin/sh\ncat /capture.txt\n', '/capture.txt': capture } });
    const before = gpuHookLines().length;
    // No GPU chosen: the container asks for every GPU, as `docker run --gpus all` does.
    const rung = await dockerRung(gpuEngine.docker, image, null, new AbortController().signal, 60_000);
    expect(gpuHookLines().slice(before).map((l) => l.split(' ')[1])).toContain('all');
    expect(rung.state).toBe('green');
    expect(rung.reason).toMatch(/^A container sees 4 GPUs: /);
    for (const line of capture.trim().split('\n')) expect(rung.reason).toContain(line);
  });
});
