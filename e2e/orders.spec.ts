import path from 'node:path';
import { repoRoot } from './capture.js';
import { expect, test } from './fixtures.js';

/**
 * Why an order got no bid, in demo mode (the demo chain's orders of the last day, priced by the
 * same quote the bid script agrees with): the Dashboard's one line, then the Orders screen's log
 * and open orders, at a desktop and a phone width.
 */
test.use({ serverArgs: ['--demo'] });

const SUMMARY = '12 GPU orders today: bid on 9, 3 below your price';

test('Orders: the Dashboard line, the log with reasons and the open orders, at 1280 and 390 px', async ({ rig, shell, page }) => {
  test.setTimeout(90_000);
  await shell.signIn(rig.loginUrl);
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 800 });
    await page.goto(`${rig.origin}/#/dashboard`);
    await expect(page.getByTestId('dash-orders-line'), `dashboard at ${width}`).toHaveText(SUMMARY);
    await page.getByTestId('dash-orders').getByRole('link', { name: 'Why not?' }).click();
    await expect(page).toHaveURL(/#\/orders$/);
    await expect(page.getByTestId('orders-summary')).toHaveText(SUMMARY);
    const rows = page.getByTestId('order-row');
    // 12 GPU orders and 2 without a GPU reached the script; the A100 order never did.
    await expect(rows).toHaveCount(14);
    await expect(page.locator('[data-testid="order-row"][data-code="price_too_low"]')).toHaveCount(4);
    await expect(rows.filter({ hasText: 'not bid: the order pays at most 150, your price is' })).toHaveCount(1);
    await expect(page.getByTestId('orders-not-seen')).toContainText('never reach the bid script');
    const open = page.getByTestId('open-order-row');
    await expect(open).toHaveCount(12);
    await expect(page.locator('[data-testid="open-order-row"][data-would-bid="no"]')).toHaveCount(3);
    await expect(open.filter({ hasText: 'would not bid: the order pays at most 220' })).toHaveCount(1);
    await expect(open.filter({ hasText: /would bid \d+\.\d+ uact per block/ })).toHaveCount(9);
    // Each offer also in dollars an hour: uact per block × 3600 / 6.117 s ÷ 1e6 (1 ACT = $1).
    const first = open.first();
    const max = Number(((await first.locator('td').nth(2).innerText()).match(/^([\d.]+) uact/) ?? [])[1]);
    await expect(first.getByTestId('order-max-per-hour')).toHaveText(`≈ $${((max * 3600) / 6.117 / 1e6).toFixed(3)}/h`);
    expect(await shell.hasHorizontalScroll(), `no sideways scroll at ${width} px`).toBe(false);
    await page.screenshot({ path: path.join(repoRoot, 'test-results', 'screenshots', `orders-${width}.png`), fullPage: true });
  }
  expect(shell.problems).toEqual([]);
});
