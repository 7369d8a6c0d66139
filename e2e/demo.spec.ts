import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { repoRoot } from './capture.js';
import { expect, test as base } from './fixtures.js';

const SCREENSHOTS = path.join(repoRoot, 'test-results', 'screenshots');
const BANNER = 'Demo mode: a simulated rig. Nothing here touches real Docker or the chain.';

/** Stand-ins for the real world that count every connection the demo makes to them (it must make none). */
interface Recorder {
  dockerHost: string;
  httpUrl: string;
  dockerConnections: () => number;
  httpRequests: () => string[];
}

const test = base.extend<{ serverEnv: Record<string, string> }, { recorder: Recorder }>({
  recorder: [
    async ({}, use) => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'riglease-demo-rec-'));
      let docker = 0;
      const requests: string[] = [];
      const sock = path.join(dir, 'docker.sock');
      const dockerServer = net.createServer((s) => {
        docker++;
        s.destroy();
      });
      await new Promise<void>((resolve) => dockerServer.listen(sock, resolve));
      const web = http.createServer((req, res) => {
        requests.push(`${req.method} ${req.url}`);
        res.writeHead(500).end();
      });
      await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
      const port = (web.address() as net.AddressInfo).port;
      await use({ dockerHost: `unix://${sock}`, httpUrl: `http://127.0.0.1:${port}`, dockerConnections: () => docker, httpRequests: () => [...requests] });
      web.closeAllConnections();
      await Promise.all([new Promise((r) => dockerServer.close(r)), new Promise((r) => web.close(r))]);
      rmSync(dir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
  // The shell the demo is started from points Docker, the chain and the market at the recorder.
  serverEnv: async ({ recorder }, use) => {
    await use({ DOCKER_HOST: recorder.dockerHost, RIGLEASE_CHAIN_RPC: recorder.httpUrl, RIGLEASE_MARKET_URL: recorder.httpUrl });
  },
});
test.use({ serverArgs: ['--demo'] });

async function navIds(page: Page): Promise<string[]> {
  // The shell renders after boot.ts has sent the first calls and loaded it: wait for the nav, then read it.
  const links = page.getByRole('navigation', { name: 'Screens' }).locator('a[data-testid^="nav-"]');
  await expect(links.first()).toBeAttached();
  const ids = await links.evaluateAll((as) => as.map((a) => a.getAttribute('data-testid') ?? ''));
  return ids.map((id) => id.replace(/^nav-/, ''));
}

/** Opens a screen and gives it a moment to load its data (no spinner left). */
async function openScreen(page: Page, id: string): Promise<void> {
  await page.getByTestId(`nav-${id}`).click();
  await expect(page).toHaveURL(new RegExp(`#/${id}`));
  await expect(page.locator('.skeleton')).toHaveCount(0, { timeout: 20_000 });
}

test.describe('Demo mode (riglease serve --demo)', () => {
  test('the banner is on every screen, and nothing reaches DOCKER_HOST, the chain endpoints or the market', { tag: '@smoke' }, async ({ rig, shell, page, recorder }) => {
    await shell.signIn(rig.loginUrl);
    const ids = await navIds(page);
    expect(ids[0], 'the dashboard is the first screen').toBe('dashboard');
    expect(ids.length).toBeGreaterThanOrEqual(8);
    for (const id of ids) {
      await openScreen(page, id);
      await expect(page.locator('.demo-banner'), `banner on ${id}`).toHaveText(BANNER);
    }
    // What the simulated stack cannot do is refused in the banner's words instead of reaching for Docker.
    const res = await page.request.post(`${rig.origin}/api/rpc`, { data: { method: 'stack.uninstall', input: { purge: true, confirm: true } } });
    const body = (await res.json()) as { ok: boolean; error?: { code: string; message: string; fix?: string } };
    expect(body.ok).toBe(false);
    expect(body.error?.message.startsWith(BANNER)).toBe(true);
    expect(body.error?.fix).toMatch(/without --demo/);

    expect(recorder.dockerConnections(), 'connections to DOCKER_HOST').toBe(0);
    expect(recorder.httpRequests(), 'requests to RIGLEASE_CHAIN_RPC / RIGLEASE_MARKET_URL').toEqual([]);
    expect(shell.problems).toEqual([]);
  });

  for (const [w, h] of [
    [1024, 640],
    [1280, 800],
  ] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      test(`every screen at ${w}×${h}, ${scheme}: screenshots, no sideways scroll`, async ({ rig, shell, page }) => {
        test.setTimeout(120_000);
        await page.setViewportSize({ width: w, height: h });
        await page.emulateMedia({ colorScheme: scheme });
        await shell.signIn(rig.loginUrl);
        const wide: string[] = [];
        for (const id of await navIds(page)) {
          await openScreen(page, id);
          await expect(page.locator('.demo-banner')).toBeVisible();
          if (await shell.hasHorizontalScroll()) wide.push(id);
          await page.screenshot({ path: path.join(SCREENSHOTS, `demo-${id}-${w}x${h}-${scheme}.png`) });
        }
        expect(wide, 'screens that scroll sideways').toEqual([]);
      });
    }
  }
});
