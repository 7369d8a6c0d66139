import path from 'node:path';
import type { APIRequestContext } from '@playwright/test';
import { dockerFor, testDockerEngine } from '../test/docker/engine.js';
import { cleanup, freePortRun, objectsOf, stackStandIn } from '../test/stack/stack-env.js';
import { fixtureGpus } from '../test/stack/fixture-gpus.js';
import { gpuNodeLabels } from '../src/provider/stack/gpu-labels.js';
import { gpuInventory } from '../src/provider/stack/status-model.js';
import { readCapture, repoRoot } from './capture.js';
import { expect, test } from './fixtures.js';
import { StackScreen } from './pages/stack.page.js';

const SCREENSHOTS = path.join(repoRoot, 'test-results', 'screenshots');
const CAPTURE = 'rtx4090_535.86.05_1gpu.xml';

async function setSetting(request: APIRequestContext, origin: string, key: string, value: unknown): Promise<void> {
  const res = await request.post(`${origin}/api/rpc`, { data: { method: 'settings.set', input: { key, value } } });
  const body = (await res.json()) as { ok: boolean; error?: { message: string } };
  expect(body.ok, body.error?.message).toBe(true);
}

const engine = await testDockerEngine();
const docker = engine.ok ? engine.docker : dockerFor('unix:///nonexistent');

test.describe('Provider stack against the real Docker engine (stand-in k3s image)', () => {
  test.skip(!engine.ok, engine.ok ? '' : `no test Docker engine: ${engine.reason}`);
  // Every stack test here runs up/down against Docker: more time than a page check.
  test.setTimeout(120_000);

  let prefix = '';
  test.beforeEach(async ({ rig, shell, page }) => {
    prefix = `rle-${Date.now().toString(36)}`;
    const image = await stackStandIn(docker);
    const base = await freePortRun(6);
    await shell.signIn(rig.loginUrl);
    const req = page.request;
    await setSetting(req, rig.origin, 'stack.namePrefix', prefix);
    await setSetting(req, rig.origin, 'stack.images.k3s', image);
    await setSetting(req, rig.origin, 'stack.ports', { http: base, https: base + 1, gateway: base + 2, grpc: base + 3, nodePortStart: base + 4, nodePortCount: 2 });
    await setSetting(req, rig.origin, 'stack.readyTimeoutSec', 0);
    await setSetting(req, rig.origin, 'stack.minFreeDiskGiB', 0);
  });
  test.afterEach(async () => {
    if (prefix) await cleanup(docker, prefix);
  });

  test('GPU selected on an engine without a GPU runtime: a clear error and nothing half-built', { tag: '@smoke' }, async ({ shell, page }) => {
    const [gpu] = readCapture(CAPTURE);
    if (!gpu) throw new Error('the capture has no GPU');
    const stack = new StackScreen(page);
    await stack.goto();
    await expect(stack.overall).toHaveAttribute('data-overall', 'not_installed');
    // The scanned GPU is listed, honestly "unknown" while no cluster runs.
    await expect(stack.gpus).toHaveCount(1);
    await expect(stack.gpus.first()).toContainText(gpu.name);
    await expect(stack.gpus.first()).toHaveAttribute('data-state', 'unknown');
    // The plan shows the egress fence before anything is created.
    await stack.plan.locator('summary').click();
    await expect(stack.plan.locator('[data-action="drop"]', { hasText: '192.168.0.0/16' })).toBeVisible();
    await expect(stack.plan.locator('[data-action="drop"]', { hasText: '169.254.0.0/16' })).toBeVisible();

    await stack.startProviding.click();
    await expect(stack.progress).toHaveAttribute('data-state', 'failed', { timeout: 60_000 });
    await expect(stack.progress).toContainText('no GPU runtime');
    await expect(stack.progress).toContainText('nvidia-ctk runtime configure');
    expect(await objectsOf(docker, prefix)).toEqual({ containers: [], volumes: [], networks: [] });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'stack-no-gpu-runtime.png'), fullPage: true });
    expect(shell.problems).toEqual([]);
  });

  test('Start providing, the true state after an agent restart, stop/start/restart, uninstall and purge', async ({ rig, shell, page }) => {
    const stack = new StackScreen(page);
    await stack.goto();
    await expect(stack.overall).toHaveAttribute('data-overall', 'not_installed');
    await expect(stack.action('stop')).toBeDisabled();
    // This engine has no GPU runtime: offer CPU only, and set the provider domain, on screen.
    await page.getByTestId('gpus-all').uncheck();
    await page.getByTestId('gpu-pick').first().uncheck();
    await page.getByTestId('stack-domain').fill('provider-e2e.example.org');
    await page.getByTestId('setup-save').click();
    await expect(page.getByTestId('setup-saved')).toBeVisible();
    const saved = await page.request.post(`${rig.origin}/api/rpc`, { data: { method: 'settings.get', input: { key: 'stack' } } });
    expect(((await saved.json()) as { value: { value: { gpus: unknown; domain: string } } }).value.value).toMatchObject({ gpus: [], domain: 'provider-e2e.example.org' });
    await stack.plan.locator('summary').click();
    await expect(stack.plan).toContainText('CPU only');
    await expect(stack.plan).not.toContainText('No provider domain set');

    await stack.startProviding.click();
    await expect(stack.progress).toBeVisible();
    await expect(stack.progress).toHaveAttribute('data-state', 'succeeded', { timeout: 90_000 });
    await expect(stack.progressBar).toHaveAttribute('aria-valuenow', '100');
    await expect(stack.liveLog).toContainText('Creating the k3s container');
    await expect(stack.liveLog).toContainText("Wrote riglease-akash-inventory-operator.yaml into k3s's auto-deploy folder.");
    await expect(stack.overall).toHaveAttribute('data-overall', 'starting');
    await expect(stack.component('container')).toHaveAttribute('data-state', 'running');
    // The stand-in has no kubectl: the screen says it cannot tell, it does not pretend "ready".
    await expect(stack.component('k3s-api')).toHaveAttribute('data-state', 'unknown');
    await expect(stack.component('k3s-api').getByTestId('why-not-ready')).toContainText('k3s not answering');
    await expect(stack.component('nginx-gateway-fabric')).toHaveAttribute('data-state', 'unknown');
    const info = await docker.getContainer(`${prefix}-k3s`).inspect();
    expect(info.State.Running).toBe(true);
    await expect(stack.logs).toContainText('egress block applied');
    // Follow streams the k3s log live (a task the agent cancels when the screen stops following).
    await page.getByTestId('logs-follow').click();
    await expect(page.getByTestId('logs-live')).toContainText('stand-in k3s server');
    await page.getByTestId('logs-follow').click();
    await expect(stack.logs).toBeVisible();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'stack-started.png'), fullPage: true });
    // The smallest window the app supports still fits without sideways scrolling.
    await page.setViewportSize({ width: 1024, height: 640 });
    expect(await shell.hasHorizontalScroll()).toBe(false);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'stack-started-1024.png') });
    await page.setViewportSize({ width: 1280, height: 800 });

    // The agent restarts (app quit and reopened): the screen shows what Docker really has.
    await rig.stop();
    await rig.start();
    await page.reload();
    await stack.overall.waitFor({ state: 'visible', timeout: 30_000 });
    await expect(stack.overall).toHaveAttribute('data-overall', 'starting');
    await expect(stack.component('container')).toHaveAttribute('data-state', 'running');
    expect((await docker.getContainer(`${prefix}-k3s`).inspect()).Id).toBe(info.Id);

    // Stop asks first and says what happens to running leases.
    await stack.action('stop').click();
    await expect(stack.confirmText).toContainText('leases stay open on chain');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'stack-confirm-stop.png'), fullPage: true });
    await stack.confirmYes();
    await expect(stack.overall).toHaveAttribute('data-overall', 'stopped');
    await expect(stack.notice).toContainText('Data volumes are kept');
    expect((await docker.getContainer(`${prefix}-k3s`).inspect()).State.Running).toBe(false);

    await stack.action('start').click();
    await expect(stack.overall).toHaveAttribute('data-overall', 'starting');
    await stack.action('restart').click();
    await expect(stack.confirmText).toContainText('tenant workload');
    await stack.confirmYes();
    await expect(stack.notice).toContainText('Restarted');

    // Uninstall keeps the data volumes and names them before doing anything.
    await stack.action('uninstall').click();
    await expect(stack.confirmText).toContainText(`${prefix}-k3s`);
    await expect(stack.confirmText).toContainText('are kept');
    await stack.confirmYes();
    await expect(stack.notice).toContainText('Data volumes kept');
    await expect(stack.overall).toHaveAttribute('data-overall', 'not_installed');
    let left = await objectsOf(docker, prefix);
    expect(left.containers).toEqual([]);
    expect(left.volumes).toHaveLength(4);

    // Purge says what is lost, then erases it.
    await stack.action('purge').click();
    await expect(stack.confirmText).toContainText('ERASES');
    await expect(stack.confirmText).toContainText('every running lease');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'stack-confirm-purge.png'), fullPage: true });
    await stack.confirmYes();
    await expect(stack.notice).toContainText(`volume ${prefix}-k3s`);
    left = await objectsOf(docker, prefix);
    expect(left).toEqual({ containers: [], volumes: [], networks: [] });
    expect(shell.problems.filter((p) => !/WebSocket|ERR_CONNECTION_REFUSED/.test(p)), 'only the expected connection errors while the agent was down').toEqual([]);
  });

  // This engine cannot run k3s, so no real node ever exists here: the status answer is the real
  // agent's, with its GPU rows replaced by what the status code computes for a node that lacks
  // the capture's GPU labels (a board-partner RTX 4090 the inventory missed).
  test('a GPU the cluster inventory does not list is named on screen, with what the user can check', async ({ shell, page }) => {
    const rows = gpuInventory(gpuNodeLabels(fixtureGpus(CAPTURE)).perGpu, { 'akash.network': 'true' });
    expect(rows.map((r) => r.state)).toEqual(['missing']);
    await page.route('**/api/rpc', async (route) => {
      const body = route.request().postDataJSON() as { method?: string };
      if (body.method !== 'stack.status') return route.continue();
      const res = await route.fetch();
      const env = (await res.json()) as { ok: boolean; value: Record<string, unknown> };
      return route.fulfill({ response: res, json: { ...env, value: { ...env.value, gpus: rows } } });
    });
    const stack = new StackScreen(page);
    await stack.goto();
    const notice = page.getByTestId('gpu-mismatch');
    await expect(notice).toContainText("The cluster does not list a GPU that this computer's scan sees");
    await expect(notice).toContainText('NVIDIA GeForce RTX 4090');
    await expect(notice).toContainText('the provider does not bid with it');
    await expect(stack.gpus.first()).toHaveAttribute('data-state', 'missing');
    await expect(stack.gpus.first()).toContainText('sudo modprobe nvidia_drm');
    await expect(stack.gpus.first()).toContainText('https://github.com/akash-network/support/issues/298');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'stack-gpu-not-in-inventory.png'), fullPage: true });
    expect(shell.problems).toEqual([]);
  });
});
