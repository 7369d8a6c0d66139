import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type Docker from 'dockerode';
import { bundleCli, type CliRun } from '../../test/cli-bundle.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BenchHistory, BenchRun, Ladder } from '../api/schemas/bench.js';
import { SettingsStore } from '../store/settings-store.js';
import { pathsUnder } from '../store/paths.js';
import { buildBenchStandIns, type BenchStandIns } from '../../test/docker/bench-stand-ins.js';
import { gpuHookLines, testDockerEngine, testGpuDockerEngine } from '../../test/docker/engine.js';
import { capturedGpuUuids, fakeNvidiaSmiEnv } from '../../test/fake-nvidia-smi/index.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The CLI bundled the way `npm run build` does (see cli.test.ts for why not tsx). */
const BUNDLE_DIR = path.join(ROOT, 'node_modules', '.cache', `riglease-bench-cli-test-${process.pid}`);
const MAIN = path.join(BUNDLE_DIR, 'cli.js');
const CAPTURE = 'rtx4090_535.86.05_1gpu.xml';
/** The GPU the capture lists: the one `riglease bench gpu` must ask Docker for. */
const GPU_UUID = capturedGpuUuids(CAPTURE)[0]!;
// A machine with the NVIDIA Container Toolkit (GPU requests reach its stand-in hook), and one without.
const gpuEngine = await testGpuDockerEngine();
const engine = await testDockerEngine();

describe.skipIf(!gpuEngine.ok || !engine.ok)('riglease bench (real CLI, real Docker engine with the NVIDIA runtime, stand-in images)', () => {
  let home: string;
  let docker: Docker;
  let images: BenchStandIns;
  let settings: SettingsStore;

  /** The command on this machine; `dockerHost` another engine than the GPU one. */
  function riglease(args: string[], opts: { onStderr?: (text: string, child: ReturnType<typeof spawn>) => void; dockerHost?: string } = {}): Promise<CliRun> {
    return new Promise((resolve, reject) => {
      const env = { ...fakeNvidiaSmiEnv({ xml: CAPTURE }), RIGLEASE_HOME: home, DOCKER_HOST: opts.dockerHost ?? (gpuEngine.ok ? gpuEngine.host : '') };
      const child = spawn(process.execPath, [MAIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        opts.onStderr?.(stderr, child);
      });
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, stdout, stderr }));
    });
  }
  /** The GPUs the GPU engine's hook was asked for while `action` ran (other files' containers may be among them). */
  const gpusAskedDuring = async <T>(action: () => Promise<T>): Promise<{ result: T; asked: string[] }> => {
    const before = gpuHookLines().length;
    const result = await action();
    return { result, asked: gpuHookLines().slice(before).map((l) => l.split(' ')[1] ?? '') };
  };
  const benchContainers = async () => (await docker.listContainers({ all: true, filters: { label: ['io.riglease.component=bench'] } })).filter((c) => c.Labels['io.riglease.bench.run'] !== undefined && c.Image.startsWith('riglease-test/cli-bench'));
  const capturedGflops = () => Number(/^= ([\d.]+) single-precision GFLOP\/s/m.exec(images.nbodyText)![1]);

  beforeAll(async () => {
    if (!gpuEngine.ok || !engine.ok) return;
    docker = gpuEngine.docker;
    await bundleCli(path.dirname(MAIN));
    images = await buildBenchStandIns(docker, 'riglease-test/cli-bench', 1);
    // The same images on the engine without the toolkit, for the run that cannot get a GPU there.
    await buildBenchStandIns(engine.docker, 'riglease-test/cli-bench', 1);
    home = await mkdtemp(path.join(os.tmpdir(), 'riglease-bench-cli-'));
    // The settings a user would set with `riglease settings set`, written through the same store.
    settings = new SettingsStore(pathsUnder(home).settingsFile);
    await settings.update((s) => {
      s.bench.images.nbody = images.nbody;
      s.bench.images.smi = images.smi;
      s.bench.diskTestMiB = 8;
      s.bench.network.downloadUrl = '';
      s.bench.network.uploadUrl = '';
      s.bench.network.publicIpUrl = '';
      s.bench.network.portProbeUrl = '';
      s.stack.namePrefix = `benchcli${process.pid}`;
    });
  }, 120_000);

  afterAll(async () => {
    await rm(BUNDLE_DIR, { recursive: true, force: true });
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('bench gpu --json prints exactly one stored run with the GFLOP/s the benchmark printed', async () => {
    const { result: run, asked } = await gpusAskedDuring(() => riglease(['bench', 'gpu', '--json']));
    expect(run.code, run.stderr).toBe(0);
    // Docker was asked for the GPU nvidia-smi lists, by UUID (the default, like `docker run --gpus device=<uuid>`).
    expect(asked).toContain(GPU_UUID);
    const parsed = BenchRun.parse(JSON.parse(run.stdout));
    expect(parsed.kinds).toEqual(['gpu']);
    expect(parsed.gpu?.gflops).toBe(capturedGflops());
    expect(parsed.reference?.gpuName).toBe('NVIDIA GeForce RTX 4090');
    expect(parsed.driverVersion).toBe('535.86.05');
    expect(await benchContainers()).toHaveLength(0);
  });

  it('bench all without --json prints readable sections, progress on stderr, and says what was not tested', async () => {
    const run = await riglease(['bench', 'all']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/\[\d\/6\] GPU compute: CUDA n-body on NVIDIA GeForce RTX 4090/);
    expect(run.stdout).toContain(`GPU compute (CUDA n-body, NVIDIA GeForce RTX 4090): ${capturedGflops().toLocaleString('en-US', { maximumFractionDigits: 1 })} GFLOP/s`);
    expect(run.stdout).toMatch(/Disk \(builtin, 8 MiB at /);
    expect(run.stdout).toMatch(/download and latency: not tested/);
    expect(run.stdout).toMatch(/8443 +not_tested/);
  });

  it('bench ladder --json: exit 1 and the Kubernetes rung says the stack is not running', async () => {
    const { result: run, asked } = await gpusAskedDuring(() => riglease(['bench', 'ladder', '--json']));
    expect(run.code).toBe(1);
    // No GPU chosen: the Docker rung's container asks for every GPU, as `docker run --gpus all` does.
    expect(asked).toContain('all');
    const ladder = Ladder.parse(JSON.parse(run.stdout));
    expect(ladder.stopsAt).toBe('kubernetes');
    expect(ladder.rungs.map((r) => r.state)).toEqual(['green', 'green', 'red', 'skipped']);
    expect(ladder.rungs[2]?.reason).toMatch(/not running/);
  });

  it('a GPU the engine cannot hand out: exit 1, the run is still printed with the reason and the fix', async () => {
    // The same machine's settings, on an engine without the NVIDIA Container Toolkit.
    const run = await riglease(['bench', 'gpu', '--json'], { dockerHost: engine.ok ? engine.host : '' });
    expect(run.code).toBe(1);
    const parsed = BenchRun.parse(JSON.parse(run.stdout));
    expect(parsed.gpu).toBeNull();
    expect(parsed.errors[0]?.error.message).toMatch(/Docker cannot hand the GPU to containers/);
    expect(parsed.errors[0]?.error.fix).toMatch(/NVIDIA Container Toolkit/);
  });

  it('Ctrl-C cancels: the benchmark container is removed before the command exits', async () => {
    await settings.set('bench.images.nbody', images.nbodySlow);
    try {
      let sent = false;
      const run = await riglease(['bench', 'gpu'], {
        onStderr: (text, child) => {
          if (!sent && /CUDA n-body on/.test(text)) {
            sent = true;
            // Give the container a moment to start, as a person pressing Ctrl-C would.
            setTimeout(() => child.kill('SIGINT'), 1500);
          }
        },
      });
      expect(sent).toBe(true);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/Cancelling: stopping and removing the benchmark container/);
      expect(run.stderr).toMatch(/error: Cancelled\./);
      expect(await benchContainers()).toHaveLength(0);
    } finally {
      await settings.set('bench.images.nbody', images.nbody);
    }
  });

  it('bench history --json lists the stored runs newest first; a cancelled run is not among them', async () => {
    const run = await riglease(['bench', 'history', '--json']);
    expect(run.code).toBe(0);
    const h = BenchHistory.parse(JSON.parse(run.stdout));
    expect(h.runs.map((r) => r.kinds.join(','))).toEqual(['gpu', 'gpu,disk,network,ports', 'gpu']);
    expect(h.runs[0]?.errors).toHaveLength(1);
  });

  it('an unknown benchmark is a usage error', async () => {
    const run = await riglease(['bench', 'cpu']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown benchmark "cpu"/);
  });
});
