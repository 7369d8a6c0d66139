import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { APIRequestContext } from '@playwright/test';
import { dockerFor, testDockerEngine } from '../test/docker/engine.js';
import { cleanup, freePortRun, objectsOf, stackStandIn } from '../test/stack/stack-env.js';
import { repoRoot } from './capture.js';
import { expect, test } from './fixtures.js';

const SCREENSHOTS = path.join(repoRoot, 'test-results', 'screenshots');

async function rpc<T>(request: APIRequestContext, origin: string, method: string, input: unknown): Promise<T> {
  const res = await request.post(`${origin}/api/rpc`, { data: { method, input } });
  const body = (await res.json()) as { ok: boolean; value: T; error?: { message: string } };
  expect(body.ok, body.error?.message).toBe(true);
  return body.value;
}

const engine = await testDockerEngine();
const docker = engine.ok ? engine.docker : dockerFor('unix:///nonexistent');

test.describe('Diagnostics repair against the real Docker engine (stand-in k3s image)', () => {
  test.skip(!engine.ok, engine.ok ? '' : `no test Docker engine: ${engine.reason}`);
  test.setTimeout(120_000);

  let prefix = '';
  test.afterEach(async () => {
    if (prefix) await cleanup(docker, prefix);
  });

  test('reset k3s says what it deletes and makes a fresh cluster; factory reset keeps the wallet; component logs on the page', async ({ rig, shell, page }) => {
    prefix = `rlr-${Date.now().toString(36)}`;
    const image = await stackStandIn(docker);
    const base = await freePortRun(6);
    await shell.signIn(rig.loginUrl);
    const req = page.request;
    for (const [key, value] of Object.entries({
      'stack.namePrefix': prefix,
      'stack.images.k3s': image,
      'stack.ports': { http: base, https: base + 1, gateway: base + 2, grpc: base + 3, nodePortStart: base + 4, nodePortCount: 2 },
      'stack.readyTimeoutSec': 0,
      'stack.minFreeDiskGiB': 0,
      // This engine has no GPU runtime: CPU only, as the stack spec does.
      'stack.gpus': [],
      'stack.domain': 'provider-e2e.example.org',
      'hardware.telemetryIntervalMs': 4000,
    })) {
      await rpc(req, rig.origin, 'settings.set', { key, value });
    }
    const up = await rpc<{ id: string }>(req, rig.origin, 'stack.up', {});
    await expect.poll(async () => (await rpc<{ state: string }>(req, rig.origin, 'task.get', { id: up.id })).state, { timeout: 60_000 }).toBe('succeeded');
    const before = await objectsOf(docker, prefix);
    expect(before.volumes).toHaveLength(4);
    const oldId = (await docker.getContainer(`${prefix}-k3s`).inspect()).Id;

    // The wallet and RigLease data a user has after a while.
    mkdirSync(path.join(rig.home, 'secrets'), { recursive: true });
    writeFileSync(path.join(rig.home, 'secrets', 'wallet.mnemonic.secret'), 'encrypted');
    mkdirSync(path.join(rig.home, 'state'), { recursive: true });
    writeFileSync(path.join(rig.home, 'state', 'wallet.json'), JSON.stringify({ version: 1, data: { address: null, source: null, createdAt: null, pendingTxs: [], certificateSerial: null, certificatePem: null } }));
    writeFileSync(path.join(rig.home, 'state', 'onboarding.json'), '{}');

    await shell.navItem('diagnostics').click();
    // Per-component logs, from the stack's logs API.
    await expect(page.getByTestId('stack-logs')).toBeVisible();
    await expect(page.getByTestId('logs-lines')).toContainText('stand-in k3s server');

    // Reset k3s: the confirmation lists the container, network and every volume by name.
    await page.getByTestId('repair-reset-k3s').click();
    const confirm = page.getByTestId('repair-confirm');
    await expect(confirm).toHaveAttribute('data-action', 'reset-k3s');
    await expect(confirm).toHaveAttribute('role', 'alertdialog');
    const deletes = confirm.getByTestId('repair-deletes');
    await expect(deletes).toContainText(`Docker container ${prefix}-k3s`);
    await expect(deletes).toContainText(`Docker network ${prefix}-net`);
    for (const v of before.volumes) await expect(deletes).toContainText(`Docker volume ${v}`);
    await expect(confirm.getByTestId('repair-keeps')).toContainText('the wallet and the provider key');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'diagnostics-repair-confirm.png'), fullPage: true });
    // Cancel changes nothing.
    await page.getByTestId('repair-cancel').click();
    await expect(confirm).toHaveCount(0);
    expect((await docker.getContainer(`${prefix}-k3s`).inspect()).Id).toBe(oldId);

    await page.getByTestId('repair-reset-k3s').click();
    await page.getByTestId('repair-confirm-run').click();
    const progress = page.getByTestId('repair-progress');
    await expect(progress).toHaveAttribute('data-state', 'succeeded', { timeout: 60_000 });
    await expect(progress).toContainText('step 3 of 3');
    const fresh = await docker.getContainer(`${prefix}-k3s`).inspect();
    expect(fresh.Id).not.toBe(oldId);
    expect((await objectsOf(docker, prefix)).volumes.sort()).toEqual(before.volumes.sort());
    expect(readdirSync(path.join(rig.home, 'state'))).toEqual(expect.arrayContaining(['wallet.json', 'onboarding.json']));

    // Factory reset: ticking "erase the wallet" adds the secrets folder; unticked it is kept.
    await page.getByTestId('repair-factory-reset').click();
    await expect(confirm).toHaveAttribute('data-action', 'factory-reset');
    await expect(deletes).toContainText('state/onboarding.json');
    await expect(deletes).not.toContainText('secrets/');
    await page.getByTestId('repair-wipe-wallet').check();
    await expect(deletes).toContainText("secrets/ (the wallet's recovery phrase");
    await page.getByTestId('repair-wipe-wallet').uncheck();
    await expect(deletes).not.toContainText('secrets/');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'diagnostics-factory-reset-dark.png'), fullPage: true });
    await page.getByTestId('repair-confirm-run').click();
    await expect(progress).toHaveAttribute('data-state', 'succeeded', { timeout: 60_000 });
    await expect(page.getByTestId('repair-message')).toContainText('Wallet kept');
    await expect(page.getByTestId('repair-log')).toContainText('Deleted state/onboarding.json');
    // The logs card follows: no stack any more.
    await expect(page.getByTestId('stack-logs')).toContainText('the stack is not installed');
    expect(await objectsOf(docker, prefix)).toEqual({ containers: [], volumes: [], networks: [] });
    expect(existsSync(path.join(rig.home, 'secrets', 'wallet.mnemonic.secret'))).toBe(true);
    expect(existsSync(path.join(rig.home, 'state', 'wallet.json'))).toBe(true);
    expect(existsSync(path.join(rig.home, 'state', 'onboarding.json'))).toBe(false);
    // Settings are back to their defaults.
    expect((await rpc<{ value: unknown }>(req, rig.origin, 'settings.get', { key: 'hardware.telemetryIntervalMs' })).value).toBe(1000);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'diagnostics-repair-done-dark.png'), fullPage: true });
    expect(shell.problems, 'no CSP refusals or page errors').toEqual([]);
  });
});
