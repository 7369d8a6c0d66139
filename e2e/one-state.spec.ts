import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { APIRequestContext, Page } from '@playwright/test';
import { capturesDir, repoRoot } from './capture.js';
import { expect, test } from './fixtures.js';
import { DashboardPage } from './pages/dashboard.page.js';
import type { ShellPage } from './pages/shell.page.js';

/**
 * One state, derived once in the agent: the top bar, the Dashboard card and `riglease status`
 * say the same words on every screen. Each case is one seen contradiction:
 *  - the top bar said "Blocked · Not ready" while the card said "Earning";
 *  - a bare machine (no Docker, no wallet, no provider) showed a green "Online: bidding on new orders";
 *  - while paused, the card still blamed the price;
 *  - a paused rig with a running lease said "paused" though the tenant keeps the GPU.
 * Failing first: built at be944e3^ (the parent of the commit that derived the state once) and
 * asserted as below, the demo's top bar read "Blocked · Not ready: CPU threads" on every screen
 * while the card said "Earning" (the readiness screen's own verdict about the host), and the
 * paused card still said "Not bidding: price above market for RTX 3090" — both cases fail there.
 * The bare machine's green "Online: bidding on new orders" did not show at be944e3^ on the
 * 2-thread test host, because the host's own CPU block outranked it there; that case is held
 * by the unit cases in src/app/dashboard/status-model.test.ts instead.
 */
const WIDTHS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 800 },
] as const;
const SCREENS = ['onboarding', 'readiness', 'pricing', 'availability', 'wallet', 'leases', 'dashboard'];
const DOCS = path.join(repoRoot, 'docs', 'screenshots');

async function rpc<T>(request: APIRequestContext, origin: string, method: string, input: unknown): Promise<T> {
  const res = await request.post(`${origin}/api/rpc`, { data: { method, input } });
  const body = (await res.json()) as { ok: boolean; value?: T; error?: { message: string } };
  expect(body.ok, body.error?.message).toBe(true);
  return body.value as T;
}

/** Every screen in turn: the top bar keeps the agent's words, never a screen's own. */
async function sameOnEveryScreen(page: Page, shell: ShellPage, text: string | RegExp): Promise<void> {
  for (const id of SCREENS) {
    await page.goto(`${new URL(page.url()).origin}/#/${id}`);
    await expect(shell.statusText, `top bar on ${id}`).toHaveText(text);
    await expect(shell.statusText, `top bar on ${id}`).not.toHaveText(/bidding on new orders/);
  }
}

for (const size of WIDTHS) {
  test.describe(`One state at ${size.width} px`, () => {
    test.use({ viewport: { width: size.width, height: size.height } });

    test.describe('a bare machine: no Docker, no wallet, no provider', () => {
      let home = '';
      test.beforeAll(() => {
        home = mkdtempSync(path.join(os.tmpdir(), 'riglease-bare-'));
      });
      test.afterAll(() => rmSync(home, { recursive: true, force: true }));
      // Docker's socket points nowhere: the machine has no engine at all.
      test.use({ serverEnv: { DOCKER_HOST: 'unix:///nonexistent/riglease-no-docker.sock' } });

      test('lands on Set up; the top bar, the Dashboard and `riglease status` name Docker first, never "Online"', async ({ rig, shell, page }) => {
        await shell.signIn(rig.loginUrl);
        await expect(page).toHaveURL(/#\/onboarding$/);
        const first = /^Not ready: no Docker engine was found on this machine/;
        await expect(shell.statusText).toHaveText(first);
        await expect(shell.statusLine.getByTestId('status-badge')).toHaveText('Not ready');
        await sameOnEveryScreen(page, shell, first);

        const dash = new DashboardPage(page);
        await dash.waitForSummary();
        await expect(dash.statusText).toHaveText(await shell.statusText.innerText());
        await expect(dash.status).toHaveAttribute('data-state', 'not_ready');
        await expect(page.getByTestId('dash-status-badge')).toHaveText('Not ready');
        expect(await shell.hasHorizontalScroll(), 'no sideways scrolling').toBe(false);
        if (size.width === 390) await page.screenshot({ path: path.join(DOCS, 'bare-machine-390.png') });

        // The CLI on an equally bare machine says the same first line.
        const cliHome = mkdtempSync(path.join(home, 'cli-'));
        const run = await promisify(execFile)(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), 'status'], {
          env: { ...process.env, RIGLEASE_HOME: cliHome, RIGLEASE_NVIDIA_SMI: path.join(repoRoot, 'test', 'fake-nvidia-smi', 'nvidia-smi'), FAKE_NVIDIA_SMI_XML: path.join(capturesDir, 'rtx4090_535.86.05_1gpu.xml'), DOCKER_HOST: 'unix:///nonexistent/riglease-no-docker.sock' },
        }).then(
          () => ({ code: 0, stdout: '' }),
          (err: { code: number; stdout: string }) => ({ code: err.code, stdout: err.stdout }),
        );
        expect(run.code, 'something blocks: exit 1').toBe(1);
        expect(run.stdout.split('\n')[0]).toBe(`BLOCKED  ${await shell.statusText.innerText()}`);
        expect(shell.problems).toEqual([]);
      });
    });

    test.describe('the demo rig', () => {
      test.use({ serverArgs: ['--demo'] });

      test('earning: top bar and card agree on every screen; paused with leases says the GPU stays rented, not the price', async ({ rig, shell, page }) => {
        await shell.signIn(rig.loginUrl);
        // The demo rig is set up and earning: the first screen is the Dashboard.
        await expect(page).toHaveURL(/#\/dashboard$/);
        const dash = new DashboardPage(page);
        await dash.waitForSummary();
        await expect(dash.statusText).toHaveText(/^Earning: 3 active leases/);
        const earning = await dash.statusText.innerText();
        await expect(shell.statusText).toHaveText(earning);
        await expect(shell.statusLine.getByTestId('status-badge')).toHaveText('Earning');
        // The README shows the whole Dashboard: the earnings chart loads after the numbers.
        await expect(page.getByTestId('earnings-chart-card')).toBeVisible();
        if (size.width === 1280) await page.screenshot({ path: path.join(DOCS, 'dashboard-1280.png') });
        else await page.screenshot({ path: path.join(DOCS, 'dashboard-390.png') });
        await sameOnEveryScreen(page, shell, earning);
        expect(await shell.hasHorizontalScroll(), 'no sideways scrolling').toBe(false);

        // Pause: new bids stop, the leases run on. Neither the price nor "paused" is the story.
        await rpc(page.request, rig.origin, 'availability.set', { mode: 'pause', reason: 'from the test' });
        await page.reload();
        await dash.waitForSummary();
        await expect(dash.statusText).toHaveText(/GPU 0 rented until you reclaim it \(the pause only stops new bids\)/);
        await expect(dash.statusText).not.toHaveText(/price/);
        await expect(shell.statusText).toHaveText(await dash.statusText.innerText());
        await expect(dash.status.getByRole('link', { name: 'Open' })).toHaveAttribute('href', '#/leases');
        const status = await rpc<{ status: { text: string } }>(page.request, rig.origin, 'rig.status', {});
        expect(status.status.text).toBe(await dash.statusText.innerText());
        if (size.width === 1280) await page.screenshot({ path: path.join(DOCS, 'dashboard-paused-with-lease-1280.png') });
        expect(shell.problems).toEqual([]);
      });
    });
  });
}
