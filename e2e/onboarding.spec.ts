import net from 'node:net';
import path from 'node:path';
import type { APIRequestContext } from '@playwright/test';
import { repoRoot } from './capture.js';
import { expect, test as base } from './fixtures.js';
import { OnboardingScreen } from './pages/onboarding.page.js';
import { startTestChainNode } from '../src/simulation/chain-node/server.js';
import { natPmpTestRouter } from '../test/net/nat-pmp-router.js';
import { dockerFor, testDockerEngine } from '../test/docker/engine.js';
import { cleanup, freePortRun, stackStandIn } from '../test/stack/stack-env.js';
import { generateMnemonic, addressOf } from '../src/provider/chain/mnemonic.js';
import type { OnboardingState } from '../src/api/schemas/onboarding.js';

const SCREENSHOTS = path.join(repoRoot, 'test-results', 'screenshots');
const CHAIN_ID = 'riglease-testnode-1';
const PASSPHRASE = 'e2e onboarding passphrase';
const engine = await testDockerEngine();
const docker = engine.ok ? engine.docker : dockerFor('unix:///nonexistent');

type Node = Awaited<ReturnType<typeof startTestChainNode>>;

/** The headless server with fakes: a real capture, the private engine + stand-in k3s, the chain test node. */
const test = base.extend<{ chain: Node; router: Awaited<ReturnType<typeof natPmpTestRouter>> }>({
  // A loopback NAT-PMP router (RFC 6886 wire format): the network step's "ask the router" talks to it.
  router: async ({}, use) => {
    const router = await natPmpTestRouter({});
    try {
      await use(router);
    } finally {
      router.socket.close();
    }
  },
  chain: async ({}, use) => {
    const node = await startTestChainNode({ chainId: CHAIN_ID });
    try {
      await use(node);
    } finally {
      await node.stop();
    }
  },
  serverEnv: async ({ chain, router }, use) => {
    await use({ RIGLEASE_CHAIN_RPC: chain.url, RIGLEASE_CHAIN_ID: CHAIN_ID, RIGLEASE_PASSPHRASE: PASSPHRASE, RIGLEASE_NAT_PMP_GATEWAY: `127.0.0.1:${router.port}` });
  },
});

async function rpc<T>(request: APIRequestContext, origin: string, method: string, input: unknown): Promise<T> {
  const res = await request.post(`${origin}/api/rpc`, { data: { method, input } });
  const body = (await res.json()) as { ok: boolean; value?: T; error?: { message: string } };
  expect(body.ok, body.error?.message).toBe(true);
  return body.value as T;
}

const shot = (name: string) => path.join(SCREENSHOTS, `onboarding-${name}.png`);

test.describe('Onboarding wizard, the whole walk with fakes', () => {
  test.skip(!engine.ok, engine.ok ? '' : `no test Docker engine: ${engine.reason}`);
  test.setTimeout(240_000);
  let prefix = '';
  test.afterEach(async () => {
    if (prefix) await cleanup(docker, prefix);
  });

  test('readiness → fixes → wallet → prices → network → review → start providing; a failure retried; the agent killed mid-way resumes', async ({ rig, shell, page, chain }) => {
    prefix = `rlob-${Date.now().toString(36)}`;
    const base = await freePortRun(6);
    await shell.signIn(rig.loginUrl);
    const req = page.request;
    const set = (key: string, value: unknown) => rpc(req, rig.origin, 'settings.set', { key, value });
    await set('stack.namePrefix', prefix);
    await set('stack.images.k3s', await stackStandIn(docker));
    await set('stack.ports', { http: base, https: base + 1, gateway: base + 2, grpc: base + 3, nodePortStart: base + 4, nodePortCount: 2 });
    // Long enough to stop the agent while "Start providing" waits for k3s (the stand-in never answers).
    await set('stack.readyTimeoutSec', 10);
    await set('stack.minFreeDiskGiB', 0);

    const w = new OnboardingScreen(page);
    await w.goto();

    // Readiness ran by itself; this engine has no GPU runtime and this machine few cores: "fixes".
    await expect(w.current).toHaveAttribute('data-step', 'fixes', { timeout: 30_000 });
    await expect(w.step('readiness')).toHaveAttribute('data-status', 'done');
    await expect(w.reason).toContainText('still block');
    await expect(w.reason).toContainText('Or continue anyway');
    await expect(page.locator('.check').first()).toBeVisible();
    await page.screenshot({ path: shot('1-fixes'), fullPage: true });
    await w.id('continue-anyway').click();

    // Wallet: import (the wallet screen's own form), then the exact shortfall, then funded.
    await expect(w.current).toHaveAttribute('data-step', 'wallet');
    await expect(w.reason).toContainText('No wallet yet');
    await page.screenshot({ path: shot('2-wallet-none'), fullPage: true });
    const mnemonic = generateMnemonic();
    const address = await addressOf(mnemonic);
    await w.id('import-wallet-button').click();
    await w.id('import-phrase').fill(mnemonic);
    await w.id('import-submit').click();
    await expect(w.reason).toContainText('Add 1.5225 AKT');
    await expect(w.reason).toContainText(address);
    await expect(w.id('shortfall')).toBeVisible();
    await page.screenshot({ path: shot('3-wallet-shortfall'), fullPage: true });
    chain.chain.fund(address, 'uakt', 5_000_000n);
    await w.checkAgain.click();

    // Prices: this rig's price, its power floor and the monthly estimate; the pricing form itself below.
    await expect(w.current).toHaveAttribute('data-step', 'pricing');
    await expect(w.reason).toContainText('power floor $0.0795/h');
    await expect(w.reason).toContainText('a month after electricity');
    await expect(w.id('gpu-prices')).toBeVisible();
    await page.screenshot({ path: shot('4-pricing'), fullPage: true });
    await w.id('confirm-prices').click();

    // Network: what to offer (CPU only on this engine) and the domain; ports not tested → accepted.
    await expect(w.current).toHaveAttribute('data-step', 'network');
    await expect(w.reason).toContainText("Set the provider's domain");
    await w.id('gpus-all').uncheck();
    await w.id('gpu-pick').first().uncheck();
    await w.id('stack-domain').fill('rig-e2e.example.org');
    await w.id('setup-save').click();
    // The provider's contact email: Let's Encrypt and the chain need one before the provider can start.
    await w.id('provider-email-input').fill('ops@rig-e2e.example.org');
    await w.id('provider-email-save').click();
    await expect(w.id('provider-email-save')).toBeDisabled();
    await expect(w.reason).toContainText('not tested: no outside probe configured');
    await w.id('port-map').click();
    await expect(w.id('port-map-result')).toContainText('8443');
    await expect(w.id('port-map-result').locator('.badge-ok').first()).toHaveText('mapped');
    await page.screenshot({ path: shot('5-network-untested'), fullPage: true });
    await w.id('accept-untested').click();

    // Review: the summary of what happens next, with the chain fee.
    await expect(w.current).toHaveAttribute('data-step', 'review');
    await expect(w.id('review-summary')).toContainText('https://provider.rig-e2e.example.org:8443');
    await expect(w.id('review-summary')).toContainText('none (CPU only)');
    await expect(w.id('review-summary')).toContainText('register + certificate, fee');
    await page.screenshot({ path: shot('6-review'), fullPage: true });

    // Something else holds the gateway port: Start providing fails, says why, and nothing is sent.
    const squatter = net.createServer();
    await new Promise<void>((r) => squatter.listen(base + 2, '0.0.0.0', r));
    await w.id('confirm-review').click();
    await expect(w.current).toHaveAttribute('data-status', 'failed', { timeout: 60_000 });
    await expect(w.failed).toContainText(`${base + 2}`);
    await expect(w.failed).toContainText('already in use');
    await expect(w.progress).toHaveAttribute('data-state', 'failed');
    await page.screenshot({ path: shot('7-start-failed'), fullPage: true });
    expect(chain.chain.acceptedTxs).toBe(0);
    await new Promise((r) => squatter.close(r));

    // Try again; while it waits for k3s the agent is stopped (app quit / crash) and started again.
    await w.checkAgain.click();
    await expect(w.liveLog).toContainText('Waiting for the k3s API', { timeout: 60_000 });
    await expect(w.progress).toHaveAttribute('data-state', 'running');
    await page.screenshot({ path: shot('8-start-running'), fullPage: true });
    const before = await rpc<OnboardingState>(req, rig.origin, 'onboarding.state', {});
    const containerId = (await docker.getContainer(`${prefix}-k3s`).inspect()).Id;
    await rig.stop();
    await rig.start();
    await page.reload();
    await expect(w.root).toBeVisible({ timeout: 30_000 });
    // Opening the screen resumed the interrupted step: it finishes without asking anything again.
    await expect(w.finished).toBeVisible({ timeout: 90_000 });
    await page.screenshot({ path: shot('9-finished'), fullPage: true });

    const after = await rpc<OnboardingState>(req, rig.origin, 'onboarding.state', {});
    const attempts = (s: OnboardingState) => Object.fromEntries(s.steps.map((x) => [x.id, `${x.status}/${x.attempts}`]));
    const was = attempts(before);
    const now = attempts(after);
    for (const id of ['readiness', 'fixes', 'wallet', 'pricing', 'network', 'review']) expect(now[id], id).toBe(was[id]);
    expect(before.steps.find((s) => s.id === 'start-providing')).toMatchObject({ status: 'running', attempts: 2 });
    expect(after.steps.find((s) => s.id === 'start-providing')).toMatchObject({ status: 'done', attempts: 3 });
    expect(after.finished).toBe(true);
    // One container (the same one), one registration with its certificate.
    expect((await docker.getContainer(`${prefix}-k3s`).inspect()).Id).toBe(containerId);
    expect(chain.chain.acceptedTxs).toBe(1);
    expect(chain.chain.state.providers.get(address)?.hostUri).toBe('https://provider.rig-e2e.example.org:8443');
    expect(chain.chain.state.certificates.filter((c) => c.owner === address)).toHaveLength(1);

    // The smallest window the app supports still fits.
    await page.setViewportSize({ width: 1024, height: 640 });
    expect(await shell.hasHorizontalScroll()).toBe(false);
    await page.screenshot({ path: shot('9-finished-1024') });
    await shell.themeSelect.selectOption('dark');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: shot('9-finished-dark'), fullPage: true });
    expect(shell.problems.filter((p) => !/WebSocket|ERR_CONNECTION_REFUSED|Failed to load resource/.test(p)), 'only the expected connection errors while the agent was down').toEqual([]);
  });
});
