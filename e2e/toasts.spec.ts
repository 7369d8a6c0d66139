import path from 'node:path';
import type { APIRequestContext } from '@playwright/test';
import { dockerFor, testDockerEngine } from '../test/docker/engine.js';
import { cleanup, freePortRun, stackStandIn } from '../test/stack/stack-env.js';
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

test.describe('Toasts', () => {
  test.skip(!engine.ok, engine.ok ? '' : `no test Docker engine: ${engine.reason}`);
  let prefix = '';
  test.afterEach(async () => {
    if (prefix) await cleanup(docker, prefix);
  });

  test('a failed task is an error toast that stays until dismissed (role=alert)', async ({ rig, shell, page }) => {
    prefix = `rlt-${Date.now().toString(36)}`;
    const base = await freePortRun(6);
    await shell.signIn(rig.loginUrl);
    await shell.navItem('readiness').click();
    const req = page.request;
    // The scanned GPU selected on an engine without a GPU runtime: "up" fails in its pre-flight.
    for (const [key, value] of Object.entries({
      'stack.namePrefix': prefix,
      'stack.images.k3s': await stackStandIn(docker),
      'stack.ports': { http: base, https: base + 1, gateway: base + 2, grpc: base + 3, nodePortStart: base + 4, nodePortCount: 2 },
      'stack.minFreeDiskGiB': 0,
    })) {
      await rpc(req, rig.origin, 'settings.set', { key, value });
    }
    const up = await rpc<{ id: string }>(req, rig.origin, 'stack.up', {});
    await expect.poll(async () => (await rpc<{ state: string }>(req, rig.origin, 'task.get', { id: up.id })).state, { timeout: 60_000 }).toBe('failed');

    const toast = page.getByTestId('toast').filter({ hasText: 'Starting the provider failed' });
    await expect(toast).toHaveCount(1);
    await expect(toast).toHaveAttribute('role', 'alert');
    await expect(toast).toHaveAttribute('data-level', 'error');
    await expect(toast).toContainText('no GPU runtime');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'toast-error-light.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'toast-error-dark.png') });
    // Info toasts leave after 6 s; an error is still there well after that.
    await page.waitForTimeout(7000);
    await expect(toast).toHaveCount(1);
    await toast.getByRole('button', { name: /Dismiss/ }).click();
    await expect(toast).toHaveCount(0);
    expect(shell.problems, 'no CSP refusals or page errors').toEqual([]);
  });
});
