import net from 'node:net';
import path from 'node:path';
import type { APIRequestContext } from '@playwright/test';
import { buildBenchStandIns, type BenchStandIns } from '../test/docker/bench-stand-ins.js';
import { dockerFor, gpuHookLines, gpusGivenTo, testGpuDockerEngine } from '../test/docker/engine.js';
import { startProbeServer } from '../src/hardware/bench/probe-server.js';
import { droppingPort } from '../test/net/dropping-port.js';
import { readCapture, repoRoot } from './capture.js';
import { expect, test } from './fixtures.js';
import { BenchmarksScreen } from './pages/benchmarks.page.js';

const SCREENSHOTS = path.join(repoRoot, 'test-results', 'screenshots');
const CAPTURE = 'rtx4090_535.86.05_1gpu.xml';

async function setSetting(request: APIRequestContext, origin: string, key: string, value: unknown): Promise<void> {
  const res = await request.post(`${origin}/api/rpc`, { data: { method: 'settings.set', input: { key, value } } });
  const body = (await res.json()) as { ok: boolean; error?: { message: string } };
  expect(body.ok, body.error?.message).toBe(true);
}

// A machine with the NVIDIA Container Toolkit: the GPU is asked for by UUID and reaches its (stand-in) runtime hook.
const engine = await testGpuDockerEngine();
const docker = engine.ok ? engine.docker : dockerFor('unix:///nonexistent');
/** The GPUs the engine's hook was asked for since `from` (other tests' containers may be among them). */
const gpusAskedSince = (from: number) => gpuHookLines().slice(from).map((l) => l.split(' ')[1] ?? '');
/** Benchmark containers still on the engine (any run): a cancel must leave none. */
const benchContainers = async () => (await docker.listContainers({ all: true, filters: { label: ['io.riglease.component=bench'] } })).filter((c) => c.Labels['io.riglease.bench.run'] !== undefined && c.Image.startsWith('riglease-e2e/bench'));

test.describe('Benchmarks against the real Docker engine (stand-in images replaying real captures)', () => {
  test.skip(!engine.ok, engine.ok ? '' : `no test GPU Docker engine: ${engine.reason}`);
  test.setTimeout(90_000);
  test.use({ serverEnv: engine.ok ? { DOCKER_HOST: engine.host } : {} });

  let images: BenchStandIns;
  /** What the captured nbody run printed, shown the way the page formats it (en-US in these tests). */
  let shownGflops = '';

  test.beforeAll(async () => {
    // A pause of 3 s where the real nbody computes, so the progress is on screen long enough to see.
    images = await buildBenchStandIns(docker, 'riglease-e2e/bench', 3);
    const gflops = Number(/^= ([\d.]+) single-precision GFLOP\/s/m.exec(images.nbodyText)![1]);
    shownGflops = gflops.toLocaleString('en-US', { maximumFractionDigits: 1 });
  });

  test.beforeEach(async ({ rig, shell, page }) => {
    await shell.signIn(rig.loginUrl);
    const set = (key: string, value: unknown) => setSetting(page.request, rig.origin, key, value);
    await set('bench.images.nbody', images.nbody);
    await set('bench.images.smi', images.smi);
    await set('bench.diskTestMiB', 8);
    for (const key of ['downloadUrl', 'uploadUrl', 'publicIpUrl', 'portProbeUrl']) await set(`bench.network.${key}`, '');
    await set('stack.namePrefix', `rlb-${Date.now().toString(36)}`);
  });

  test('Run benchmarks: progress, then the GFLOP/s, the reference comparison and the history', { tag: '@smoke' }, async ({ shell, page }) => {
    const [gpu] = readCapture(CAPTURE);
    if (!gpu) throw new Error('the capture has no GPU');
    const bench = new BenchmarksScreen(page);
    await bench.goto();
    await expect(bench.rerun).toContainText('No benchmark has been run on this machine yet.');

    const hookLinesBefore = gpuHookLines().length;
    await bench.run('gpu');
    await expect(bench.progress).toHaveAttribute('data-state', 'running');
    await expect(bench.progressMessage).toContainText(`CUDA n-body on ${gpu.name}`);
    await expect(bench.cancelButton).toBeVisible();
    // The benchmark's own lines stream into the log while it runs.
    await expect(bench.log).toContainText(`CUDA device: [${gpu.name}]`);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'benchmarks-running.png'), fullPage: true });

    await expect(bench.progress).toHaveAttribute('data-state', 'succeeded', { timeout: 60_000 });
    // Docker was asked for the GPU the machine has, by UUID, and handed it to the benchmark.
    expect(gpusAskedSince(hookLinesBefore)).toContain(gpu.uuid);
    await expect(bench.gflops).toHaveText(shownGflops);
    await expect(bench.gpuCard).toContainText(gpu.name);
    await expect(bench.reference).toContainText('100% of reference');
    await expect(bench.reference).toContainText(`for ${gpu.name}`);
    await expect(bench.historyCount).toHaveText('1 run stored');
    await expect(bench.historyChart.getByTestId('bench-history-line')).toHaveCount(1);
    await expect(bench.rerun).toHaveCount(0);
    expect(await benchContainers()).toHaveLength(0);

    // All quick checks: disk, network and ports next to the GPU, the outside checks honestly "not tested".
    await bench.run('all');
    await expect(bench.progress).toHaveAttribute('data-state', 'succeeded', { timeout: 60_000 });
    await expect(bench.diskCard).toContainText('MB/s');
    await expect(bench.networkCard).toContainText('download and latency: not tested');
    await expect(bench.ports).toHaveCount(4);
    for (const port of ['80', '443', '8443', '8444']) await expect(page.locator(`[data-testid="bench-port"][data-port="${port}"]`)).toHaveAttribute('data-state', 'not_tested');
    await expect(bench.historyCount).toHaveText('2 runs stored');
    await expect(bench.historyChart.getByTestId('bench-history-dot')).toHaveCount(2);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'benchmarks-results.png'), fullPage: true });
    // The smallest window the app supports still fits without sideways scrolling.
    await page.setViewportSize({ width: 1024, height: 640 });
    expect(await shell.hasHorizontalScroll()).toBe(false);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'benchmarks-results-1024.png') });
    expect(shell.problems, 'no CSP refusals or page errors').toEqual([]);
  });

  test('Cancel stops the run and leaves no container behind', async ({ rig, shell, page }) => {
    await setSetting(page.request, rig.origin, 'bench.images.nbody', images.nbodySlow);
    const bench = new BenchmarksScreen(page);
    await bench.goto();
    await bench.run('gpu');
    // Really running inside its container: the device line is in the log.
    await expect(bench.log).toContainText('CUDA device: [', { timeout: 30_000 });
    const running = await benchContainers();
    expect(running).toHaveLength(1);
    // The running benchmark was given the machine's GPU, and only that one.
    expect(gpusGivenTo(running[0]!.Id)).toBe(readCapture(CAPTURE)[0]?.uuid);
    await bench.cancelButton.click();
    await expect(bench.progress).toHaveAttribute('data-state', 'cancelled', { timeout: 30_000 });
    await expect(bench.progressMessage).toHaveText('Cancelled.');
    await expect(page.getByTestId('bench-cancelled-note')).toContainText('container was removed');
    expect(await benchContainers()).toHaveLength(0);
    // Nothing half-measured is stored.
    await expect(bench.historyChart).toHaveCount(0);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'benchmarks-cancelled.png'), fullPage: true });
    expect(shell.problems).toEqual([]);
  });

  test('The ladder says exactly which rung fails, and why', async ({ shell, page }) => {
    const [gpu] = readCapture(CAPTURE);
    if (!gpu) throw new Error('the capture has no GPU');
    const bench = new BenchmarksScreen(page);
    await bench.goto();
    await bench.ladderButton.click();
    await expect(bench.ladder).toHaveAttribute('data-stops-at', 'kubernetes', { timeout: 60_000 });
    await expect(bench.rungs).toHaveCount(4);
    await expect(bench.rung('driver')).toHaveAttribute('data-state', 'green');
    await expect(bench.rung('driver')).toContainText(`${gpu.name} (driver ${gpu.driverVersion})`);
    await expect(bench.rung('docker')).toHaveAttribute('data-state', 'green');
    await expect(bench.rung('docker')).toContainText(images.smiText.trim());
    await expect(bench.rung('kubernetes')).toHaveAttribute('data-state', 'red');
    await expect(bench.rung('kubernetes')).toContainText('The provider stack (k3s) is not running');
    await expect(bench.rung('kubernetes')).toContainText('Start the provider stack, then run the ladder again.');
    await expect(bench.rung('bid_engine')).toHaveAttribute('data-state', 'skipped');
    await expect(page.getByTestId('ladder-summary')).toHaveText('It stops at: Usable by a Kubernetes pod (k3s).');
    await page.getByTestId('ladder-card').screenshot({ path: path.join(SCREENSHOTS, 'benchmarks-ladder.png') });
    expect(await benchContainers()).toHaveLength(0);
    expect(shell.problems).toEqual([]);
  });

  test('Ports from outside: a RigLease probe server connects back; open, refused and dropped ports each say what to forward', async ({ rig, shell, page }) => {
    // The probe runs here, as someone with a public address would run `riglease probe-server`. It
    // connects back to the agent's own address (127.0.0.1); tests cannot listen on 80 and 443, so
    // the asked ports are dialled on test listeners (a web and a TLS port open, 8443 refused, 8444 dropped).
    const listeners: net.Server[] = [];
    const listen = async () => {
      const s = net.createServer((c) => c.destroy());
      await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
      listeners.push(s);
      return (s.address() as net.AddressInfo).port;
    };
    const refused = await listen();
    await new Promise((r) => listeners.pop()!.close(r));
    const dropper = await droppingPort();
    const dropped = dropper.port;
    const dial: Record<number, number> = { 80: await listen(), 443: await listen(), 8443: refused, 8444: dropped };
    const probe = await startProbeServer({ host: '127.0.0.1', port: 0, connectTimeoutMs: 500, dialPort: (p) => dial[p]! });
    try {
      await setSetting(page.request, rig.origin, 'bench.network.portProbeUrl', probe.url);
      const bench = new BenchmarksScreen(page);
      await bench.goto();
      await bench.run('ports');
      await expect(bench.progress).toHaveAttribute('data-state', 'succeeded', { timeout: 30_000 });
      const row = (port: number) => page.locator(`[data-testid="bench-port"][data-port="${port}"]`);
      await expect(row(80)).toHaveAttribute('data-state', 'open');
      await expect(row(443)).toHaveAttribute('data-state', 'open');
      await expect(row(8443)).toHaveAttribute('data-probe', 'closed');
      await expect(row(8443)).toContainText('refused');
      await expect(row(8443)).toContainText('refused at 127.0.0.1:8443');
      await expect(row(8444)).toHaveAttribute('data-probe', 'filtered');
      await expect(row(8444)).toContainText('no answer');
      await expect(row(8444)).toContainText('a router or firewall drops it');
      await expect(page.getByTestId('bench-ports-card')).toContainText('checked from outside against 127.0.0.1');
      await expect(page.getByTestId('bench-ports-card')).toContainText('What to do');
      await page.getByTestId('bench-ports-card').screenshot({ path: path.join(SCREENSHOTS, 'benchmarks-ports-probe.png') });
      expect(shell.problems).toEqual([]);
    } finally {
      await probe.close();
      dropper.close();
      await Promise.all(listeners.map((s) => new Promise((r) => s.close(r))));
    }
  });
});
