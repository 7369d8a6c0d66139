import path from 'node:path';
import type { Page } from '@playwright/test';
import { expectedMiBText, expectedVramText, readCapture, repoRoot } from './capture.js';
import { expect, test } from './fixtures.js';

const SCREENSHOTS = path.join(repoRoot, 'test-results', 'screenshots');

/** The agent's own answer, read with the page's session: what the screen must agree with. */
async function lastReport(page: Page, origin: string): Promise<{ verdict: string; checks: { id: string; status: string; title: string }[] }> {
  const res = await page.request.post(`${origin}/api/rpc`, { data: { method: 'hardware.scan', input: { maxAgeMs: 3_600_000 } } });
  const body = (await res.json()) as { ok: boolean; value: { verdict: string; checks: { id: string; status: string; title: string }[] } };
  expect(body.ok).toBe(true);
  return body.value;
}

test.describe('Readiness with one RTX 4090 (real 535.86.05 capture)', () => {
  test('shows the GPU model, its VRAM, the verdict and every check', { tag: '@smoke' }, async ({ rig, shell, readiness, page }) => {
    const [gpu] = readCapture('rtx4090_535.86.05_1gpu.xml');
    if (!gpu) throw new Error('the capture has no GPU');

    await shell.signIn(rig.loginUrl);
    // The page took the token into this tab's storage: it is gone from the address bar, and a rig not set up yet lands on Set up.
    await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/#\/onboarding$/);
    await shell.navItem('readiness').click();
    await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/#\/readiness$/);
    await readiness.waitForReport();

    await expect(readiness.gpuCards).toHaveCount(1);
    const card = readiness.gpuCard(0);
    await expect(card.name).toHaveText(gpu.name);
    await expect(card.vram).toHaveText(expectedVramText(gpu.vramMiB));
    await expect(card.vramMiB).toHaveText(`(${expectedMiBText(gpu.vramMiB)})`);
    await expect(card.field('Driver')).toHaveText(gpu.driverVersion);
    await expect(card.field('UUID')).toHaveText(gpu.uuid);
    await expect(card.root.getByTestId('gpu-processes-empty')).toBeVisible();

    // The screen shows exactly the agent's checks, worst first, each with its badge.
    const report = await lastReport(page, rig.origin);
    expect(report.checks.length).toBeGreaterThan(0);
    await expect(readiness.verdict).toHaveAttribute('data-verdict', report.verdict);
    await expect(readiness.checks).toHaveCount(report.checks.length);
    const rank: Record<string, number> = { block: 0, warn: 1, ok: 2 };
    const shown = await readiness.checks.evaluateAll((els) => els.map((e) => ({ id: e.getAttribute('data-check-id'), status: e.getAttribute('data-status') })));
    const ranks = shown.map((c) => rank[c.status ?? ''] ?? -1);
    expect(ranks, 'worst first').toEqual([...ranks].sort((a, b) => a - b));
    expect(new Set(shown.map((c) => `${c.id}:${c.status}`))).toEqual(new Set(report.checks.map((c) => `${c.id}:${c.status}`)));
    for (const check of report.checks) {
      await expect(readiness.page.locator(`[data-check-id="${check.id}"] .check-title`)).toHaveText(check.title);
    }

    await expect(readiness.systemCard).toContainText('CPU');
    await expect(readiness.dockerCard).toContainText('Reachable');
    // The status line says the verdict in words, not the placeholder.
    await expect(shell.statusText).not.toHaveText('Checking this machine…');

    await page.screenshot({ path: path.join(SCREENSHOTS, 'readiness-rtx4090.png'), fullPage: true });
    expect(shell.problems, 'no CSP refusals or page errors').toEqual([]);
  });

  test('live telemetry shows the capture values and keeps updating', async ({ rig, shell, readiness }) => {
    const [gpu] = readCapture('rtx4090_535.86.05_1gpu.xml');
    if (!gpu || gpu.utilizationPct === null || gpu.temperatureC === null) throw new Error('the capture lacks utilization/temperature');

    await shell.signIn(rig.loginUrl);
    await shell.navItem('readiness').click();
    await readiness.waitForReport();
    const live = readiness.liveCard(0);
    await expect(live.utilization).toHaveText(`${gpu.utilizationPct} %`);
    await expect(live.temperature).toHaveText(`${gpu.temperatureC} °C`);
    await expect(live.memory).toContainText(`/ ${gpu.vramMiB.toLocaleString('en-US')} MiB`);

    // The fake replays the same numbers, so "updating" is proven by new samples arriving.
    const first = await readiness.liveSampleCount(0);
    expect(first).toBeGreaterThan(0);
    await expect.poll(() => readiness.liveSampleCount(0), { timeout: 10_000 }).toBeGreaterThan(first + 1);
    await expect(live.updated).toHaveText(/^Updated /);
    expect(shell.problems).toEqual([]);
  });

  test('Scan again asks the agent for a fresh scan', async ({ rig, shell, readiness, page }) => {
    await shell.signIn(rig.loginUrl);
    await shell.navItem('readiness').click();
    await readiness.waitForReport();
    const scans: unknown[] = [];
    page.on('request', (req) => {
      if (req.url().endsWith('/api/rpc') && req.postDataJSON()?.method === 'hardware.scan') scans.push(req.postDataJSON());
    });
    await readiness.scanAgain();
    await expect(readiness.scanAgainButton).toHaveText('Scan again');
    await expect(readiness.scanAgainButton).toBeEnabled();
    expect(scans).toEqual([{ method: 'hardware.scan', input: { maxAgeMs: 0 } }]);
    await expect(readiness.gpuCards).toHaveCount(1);
  });

  test('works at 1024×640 and follows the dark/light theme', async ({ rig, shell, readiness, page }) => {
    await page.setViewportSize({ width: 1024, height: 640 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await shell.signIn(rig.loginUrl);
    await shell.navItem('readiness').click();
    await readiness.waitForReport();
    expect(await shell.hasHorizontalScroll(), 'no sideways scrolling at 1024 px').toBe(false);
    const background = (): Promise<string> => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const dark = await background();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'readiness-1024x640-dark.png') });

    // Pinning "Light" in the app wins over the OS preference, and is saved as a setting.
    await shell.themeSelect.selectOption('light');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
    await expect.poll(background).not.toBe(dark);
    // The next start wears it from its first paint, before the setting's answer is in.
    await page.addInitScript(() => {
      document.addEventListener('DOMContentLoaded', () => {
        (window as unknown as { themeAtStart?: string }).themeAtStart = document.documentElement.dataset['theme'] ?? 'system';
      });
    });
    await page.reload();
    expect(await page.evaluate(() => (window as unknown as { themeAtStart?: string }).themeAtStart)).toBe('light');
    await expect(shell.themeSelect).toHaveValue('light');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
    // The browser's copy is only a head start: the setting (changed elsewhere, say) wins.
    await page.evaluate(() => localStorage.setItem('riglease.theme', 'dark'));
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
    await expect(shell.themeSelect).toHaveValue('light');
    expect(shell.problems).toEqual([]);
  });
});

test.describe('Readiness with two GPUs (real GTX 1080 ×2 capture, processes present)', () => {
  test.use({ capture: 'gtx1080_460.27.04_2gpu.xml' });

  test('shows one card per GPU, each with its own VRAM and processes', async ({ rig, shell, readiness, page }) => {
    const gpus = readCapture('gtx1080_460.27.04_2gpu.xml');
    expect(gpus).toHaveLength(2);

    await shell.signIn(rig.loginUrl);
    await shell.navItem('readiness').click();
    await readiness.waitForReport();
    await expect(readiness.gpuCards).toHaveCount(2);
    await expect(readiness.liveCards).toHaveCount(2);
    for (const [index, gpu] of gpus.entries()) {
      const card = readiness.gpuCard(index);
      await expect(card.name).toHaveText(gpu.name);
      await expect(card.vram).toHaveText(expectedVramText(gpu.vramMiB));
      await expect(card.vramMiB).toHaveText(`(${expectedMiBText(gpu.vramMiB)})`);
      await expect(card.field('UUID')).toHaveText(gpu.uuid);
      if (gpu.processCount > 0) await expect(card.processes).toHaveCount(gpu.processCount);
      else await expect(card.root.getByTestId('gpu-processes-empty')).toBeVisible();
      await expect.poll(() => readiness.liveSampleCount(index), { timeout: 10_000 }).toBeGreaterThan(0);
    }
    await page.screenshot({ path: path.join(SCREENSHOTS, 'readiness-gtx1080x2.png'), fullPage: true });
    expect(shell.problems).toEqual([]);
  });
});

test.describe('Without the token', () => {
  test('the page says it is not signed in and the API is refused', { tag: '@smoke' }, async ({ rig, page, request }) => {
    // The UI's files hold no secret and load; without the token the page can do nothing.
    await page.goto(`${rig.origin}/`);
    await expect(page.getByTestId('refused')).toContainText('not signed in');
    await expect(page.getByTestId('refused')).toContainText('token');
    await expect(page.getByTestId('readiness-page')).toHaveCount(0);

    const wrong = await page.goto(`${rig.origin}/?token=not-the-token-at-all`);
    expect(wrong?.status()).toBe(401);
    await expect(page.locator('body')).toContainText('access token');

    // `request` shares nothing with a page that signed in, so it carries no token.
    const api = await request.post(`${rig.origin}/api/rpc`, { data: { method: 'hardware.scan', input: {} } });
    expect(api.status()).toBe(401);
    expect(await api.json()).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });
});
