import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type Docker from 'dockerode';
import { gpuHookLines, testDockerEngine, testGpuDockerEngine } from '../../../test/docker/engine.js';
import { buildStandInImage } from '../../../test/docker/stand-in-image.js';
import { RigError } from '../../api/errors.js';
import { benchContainerBody, runBenchContainer } from './container-run.js';
import { runGpuBenchmark } from './gpu-bench.js';

const CAPTURE = readFileSync(new URL('../../../test/bench-fixtures/nbody/docker-desktop-gpu_rtx2060-maxq.txt', import.meta.url), 'utf8');
const IMAGE = 'riglease-test/bench-standin:nbody';
const engine = await testDockerEngine();
// A machine with the NVIDIA Container Toolkit: GPU requests reach its (stand-in) runtime hook.
const gpuEngine = await testGpuDockerEngine();
const GPU_UUID = 'GPU-5b8e6f3a-0c1d-4e2f-9a7b-000000002060';

async function benchContainers(docker: Docker, runId: string) {
  return docker.listContainers({ all: true, filters: { label: ['io.riglease.component=bench', `io.riglease.bench.run=${runId}`] } });
}

describe.skipIf(!engine.ok || !gpuEngine.ok)('benchmark container runner (real Docker engine)', () => {
  let docker: Docker;
  let gpuDocker: Docker;
  beforeAll(async () => {
    if (!engine.ok || !gpuEngine.ok) return;
    docker = engine.docker;
    gpuDocker = gpuEngine.docker;
    // An interrupted earlier run may have left its containers behind; they would be counted here.
    // Only this file's runs: other test files run their benchmarks on the same engine at the same time.
    const mine = ['ok-run', 'cancel-run', 'timeout-run', 'fail-run', 'gpu-run'].map((r) => `io.riglease.bench.run=${r}`);
    for (const d of [docker, gpuDocker]) {
      for (const label of mine) {
        for (const c of await d.listContainers({ all: true, filters: { label: [label] } })) await d.getContainer(c.Id).remove({ force: true });
      }
      // The stand-in "nbody" prints the real captured output of NVIDIA's sample, from a file.
      await buildStandInImage(d, IMAGE, { files: { '/bin/nbody': '#!/bin/sh\ncat /capture/nbody.txt\n', '/capture/nbody.txt': CAPTURE } });
    }
  });

  it('hands the chosen GPU to the container, streams the output, reads the figures and removes the container', async () => {
    const lines: string[] = [];
    const ac = new AbortController();
    const seenBefore = gpuHookLines().length;
    const result = await runGpuBenchmark({ docker: gpuDocker, image: IMAGE, gpuUuid: GPU_UUID, gpuAccess: 'device-requests', bodies: 30720, timeoutMs: 30_000, signal: ac.signal, runId: 'ok-run', onLine: (l) => lines.push(l) });
    // The engine asked its NVIDIA runtime hook for exactly that GPU, by UUID.
    expect(gpuHookLines().slice(seenBefore).map((l) => l.split(' ')[1])).toContain(GPU_UUID);
    const gflopLine = CAPTURE.split('\n').find((l) => l.includes('GFLOP/s'))!;
    expect(result.gflops).toBe(Number(/=\s*([\d.]+)/.exec(gflopLine)![1]));
    expect(result.device).toBe('GeForce RTX 2060 with Max-Q Design');
    expect(lines).toContain(gflopLine);
    expect(await benchContainers(gpuDocker, 'ok-run')).toHaveLength(0);
  });

  it('cancel mid-run stops and removes the container', async () => {
    const ac = new AbortController();
    const run = runBenchContainer(docker, { image: IMAGE, cmd: ['sh', '-c', 'echo started; sleep 60'], gpus: null, timeoutMs: 60_000, signal: ac.signal, onLine: (l) => l === 'started' && ac.abort() }, 'cancel-run');
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(await benchContainers(docker, 'cancel-run')).toHaveLength(0);
  });

  it('a container that runs too long is killed, reported as a timeout, and removed', async () => {
    const t0 = Date.now();
    const run = runBenchContainer(docker, { image: IMAGE, cmd: ['sleep', '60'], gpus: null, timeoutMs: 1500, signal: new AbortController().signal }, 'timeout-run');
    await expect(run).rejects.toMatchObject({ code: 'timeout' });
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(await benchContainers(docker, 'timeout-run')).toHaveLength(0);
  });

  it('a failing benchmark says why, with its last lines, and leaves nothing behind', async () => {
    const run = runGpuBenchmark({ docker: gpuDocker, image: IMAGE, gpuUuid: null, gpuAccess: 'device-requests', bodies: 1024, timeoutMs: 30_000, signal: new AbortController().signal, runId: 'fail-run' }, ['sh', '-c', 'echo "CUDA error: no CUDA-capable device is detected"; exit 3']);
    await expect(run).rejects.toThrow(/exit code 3: CUDA error: no CUDA-capable device is detected/);
    expect(await benchContainers(gpuDocker, 'fail-run')).toHaveLength(0);
  });

  it('asking for a GPU on an engine without the NVIDIA runtime fails clearly and removes the container', async () => {
    const run = runBenchContainer(docker, { image: IMAGE, cmd: ['nbody'], gpus: ['GPU-00000000-0000-0000-0000-000000000000'], timeoutMs: 30_000, signal: new AbortController().signal }, 'gpu-run');
    const err = (await run.catch((e: unknown) => e)) as RigError;
    expect(err).toBeInstanceOf(RigError);
    expect(err.code).toBe('precondition_failed');
    expect(err.message).toMatch(/Docker cannot hand the GPU to containers: .*nvidia/);
    expect(err.fix).toMatch(/NVIDIA Container Toolkit/);
    expect(await benchContainers(docker, 'gpu-run')).toHaveLength(0);
  });
});

describe('benchmark container body', () => {
  it('asks for exactly the chosen GPU the way `docker run --gpus device=<uuid>` does', () => {
    const body = benchContainerBody({ image: 'x', cmd: ['nbody'], gpus: ['GPU-abc'] }, 'r1');
    expect(body.HostConfig?.DeviceRequests).toEqual([{ Driver: 'nvidia', DeviceIDs: ['GPU-abc'], Capabilities: [['gpu']] }]);
    expect(body.Labels).toMatchObject({ 'io.riglease.managed': 'true', 'io.riglease.component': 'bench', 'io.riglease.bench.run': 'r1' });
    expect(benchContainerBody({ image: 'x', cmd: [], gpus: null }, 'r2').HostConfig?.DeviceRequests).toBeUndefined();
    expect(benchContainerBody({ image: 'x', cmd: [], gpus: 'all' }, 'r3').HostConfig?.DeviceRequests).toEqual([{ Driver: 'nvidia', Count: -1, Capabilities: [['gpu']] }]);
  });
});
