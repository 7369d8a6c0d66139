import path from 'node:path';
import { repoRoot } from './capture.js';
import { expect, test } from './fixtures.js';
import { DashboardPage } from './pages/dashboard.page.js';

const SCREENSHOTS = path.join(repoRoot, 'test-results', 'screenshots');

// The dashboard of the demo rig: the real RTX 3090 capture, the demo chain's three leases.
test.use({ serverArgs: ['--demo'] });

test.describe('Dashboard (demo rig)', () => {
  test('lands on the dashboard: status line, live GPU, leases, earnings 24 h / 7 d / 30 d', { tag: '@smoke' }, async ({ rig, shell, page }) => {
    const dash = new DashboardPage(page);
    await shell.signIn(rig.loginUrl);
    // The dashboard is the first screen, so the bare URL opens it.
    await expect(page).toHaveURL(/#\/dashboard$/);
    await dash.waitForSummary();
    // In place of the bare URL, not after it: Back leaves the app instead of landing here again.
    expect(await page.evaluate(() => window.history.length)).toBe(2);

    // Status first, in plain words; the status line at the top of the shell says the same.
    await expect(dash.status).toHaveAttribute('data-state', 'earning');
    await expect(dash.statusText).toHaveText(/^Earning: 3 active leases \(1 on rtx3090 24Gi\)/);
    await expect(shell.statusText).toHaveText(await dash.statusText.innerText());

    // GPUs live: the card streams samples from the fake nvidia-smi replaying the capture.
    await expect(dash.gpuCards).toHaveCount(1);
    await expect(dash.gpuCards.first().locator('h3')).toHaveText('NVIDIA GeForce RTX 3090');
    await expect.poll(async () => Number(await dash.gpuCards.first().getAttribute('data-samples')), { timeout: 15_000 }).toBeGreaterThan(1);

    // Active leases: tenant, GPU, price, since, earned so far.
    await expect(dash.leaseRows).toHaveCount(3);
    const gpuRow = dash.leaseRows.filter({ hasText: 'rtx3090 24Gi' });
    await expect(gpuRow).toHaveCount(1);
    await expect(gpuRow.locator('td').nth(0)).toHaveText(/^akash1.+…/);
    await expect(gpuRow.locator('td').nth(2)).toHaveText(/^\$0\.\d\d\/h$/);
    await expect(gpuRow.locator('td').nth(3)).toHaveText('12 days');
    // The demo's leases are priced in ACT, as on today's Akash.
    await expect(gpuRow.locator('td').nth(4)).toHaveText(/ACT · \$\d+\.\d\d$/);

    // Earnings: each range redraws the chart with its own buckets and totals.
    await expect(dash.chartCard).toHaveAttribute('data-range', '24h');
    await expect(dash.chart).toHaveAttribute('data-points', '24');
    const dayGross = await dash.total('gross').innerText();
    expect(dayGross).toMatch(/^\$\d+\.\d\d$/);
    await expect(dash.bars().first()).toBeVisible();
    await dash.range('7d').click();
    await expect(dash.chartCard).toHaveAttribute('data-range', '7d');
    await expect(dash.chart).toHaveAttribute('data-points', '28');
    await expect(dash.range('7d')).toHaveAttribute('aria-pressed', 'true');
    const weekGross = await dash.total('gross').innerText();
    await dash.range('30d').click();
    await expect(dash.chart).toHaveAttribute('data-points', '30');
    const monthGross = await dash.total('gross').innerText();
    const usd = (t: string) => Number(t.replace(/[$,]/g, ''));
    expect(usd(weekGross)).toBeGreaterThan(usd(dayGross) * 6);
    expect(usd(monthGross)).toBeGreaterThan(usd(weekGross));
    // Net is gross less the power the leased GPU drew.
    expect(usd(await dash.total('net').innerText())).toBeLessThan(usd(monthGross));

    await expect(dash.alerts).toBeVisible();
    expect(shell.problems).toEqual([]);
  });

  for (const [w, h] of [
    [1024, 640],
    [1280, 800],
  ] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      test(`fits ${w}×${h} in the ${scheme} theme`, async ({ rig, shell, page }) => {
        await page.setViewportSize({ width: w, height: h });
        await page.emulateMedia({ colorScheme: scheme });
        const dash = new DashboardPage(page);
        await shell.signIn(rig.loginUrl);
        await dash.waitForSummary();
        await expect(dash.leaseRows).toHaveCount(3);
        await expect(dash.bars().first()).toBeVisible();
        expect(await shell.hasHorizontalScroll(), 'no sideways scrolling').toBe(false);
        await page.screenshot({ path: path.join(SCREENSHOTS, `dashboard-${w}x${h}-${scheme}.png`) });
        await page.screenshot({ path: path.join(SCREENSHOTS, `dashboard-${w}x${h}-${scheme}-full.png`), fullPage: true });
      });
    }
  }
});

test.describe('Dashboard (real mode with fakes: a fresh install on an RTX 4090)', () => {
  test.use({ serverArgs: [] });

  test('says in plain words what stops the rig from earning, and where to fix it', async ({ rig, shell, page }) => {
    const dash = new DashboardPage(page);
    await shell.signIn(rig.loginUrl);
    // Not set up: the first screen is Set up; the Dashboard still says why.
    await expect(page).toHaveURL(/#\/onboarding$/);
    await shell.navItem('dashboard').click();
    await dash.waitForSummary();
    // No wallet yet comes before the stack that is not installed: the first thing to do.
    await expect(dash.statusText).toHaveText('Not earning: no wallet yet');
    await expect(dash.status).toHaveAttribute('data-state', 'setup');
    await expect(dash.status.getByRole('link', { name: 'Open' })).toHaveAttribute('href', '#/wallet');
    await expect(dash.alerts.getByTestId('dash-alert').filter({ hasText: 'the provider stack is not installed' })).toHaveCount(1);
    await expect(dash.gpuCards.first().locator('h3')).toHaveText('NVIDIA GeForce RTX 4090');
    await expect(page.getByTestId('dash-leases')).toContainText('No active lease yet');
    await expect(page.locator('.demo-banner')).toHaveCount(0);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-fresh-install-1280x800.png'), fullPage: true });
  });
});
