import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './capture.js';
import { expect, test } from './fixtures.js';
import { PricingScreen } from './pages/pricing.page.js';
import { startMarketApi } from '../src/simulation/market-api/server.js';

const SCREENSHOTS = path.join(repoRoot, 'test-results', 'screenshots');
const LOCAL_KEY = 'rtx4090.24Gi.pcie';
// The Console API stand-in (src/simulation/market-api) for the whole file: the screen shows its medians.
const market = await startMarketApi();
test.afterAll(async () => {
  await market.close();
});
test.use({ serverEnv: { RIGLEASE_MARKET_URL: market.url } });

/** The generated bid script, run for real on the table the agent wrote (as the provider pod does). */
function runBidScript(home: string, order: unknown): { code: number | null; stdout: string; stderr: string } {
  const dir = path.join(home, 'state', 'bid-script');
  const r = spawnSync('sh', [path.join(dir, 'riglease-price.sh')], { input: JSON.stringify(order), env: { PATH: process.env.PATH ?? '/usr/bin:/bin', AKASH_DENOM: 'uact' }, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test.describe('Pricing and availability (one RTX 4090, real 535.86.05 capture)', () => {
  test('a price set in the UI is what the quote and the bid script use; absurd input is refused', { tag: '@smoke' }, async ({ rig, shell, page }) => {
    const pricing = new PricingScreen(page);
    await shell.signIn(rig.loginUrl);
    await pricing.goto(rig.origin);
    // The market beside each price, with its age.
    await pricing.refreshMarket.click();
    await expect(pricing.marketAge).toContainText(/Market \d+ s old/);
    const listed = (market.gpuPrices as { models: Array<{ model: string; ram: string; interface: string; availability: { available: number; total: number }; price: { med: number } | null }> }).models.find((m) => m.model === 'rtx4090' && m.ram === '24Gi')!;
    await expect(pricing.gpuMarket(LOCAL_KEY)).toContainText(`$${listed.price!.med.toFixed(3)}`);
    await expect(page.getByTestId(`gpu-supply-${LOCAL_KEY}`)).toHaveText(`${listed.availability.available} of ${listed.availability.total} free on Akash`);

    // A typo (100× the market) is refused before anything is applied.
    await pricing.gpuPrice(LOCAL_KEY).fill('45');
    await expect(pricing.issues.locator('[data-severity="refuse"]')).toContainText('typo');
    await expect(pricing.apply).toBeDisabled();
    // Not a number / negative: marked at the field.
    await pricing.gpuPrice(LOCAL_KEY).fill('-1');
    await expect(page.getByText('A price cannot be negative.')).toBeVisible();
    await expect(pricing.apply).toBeDisabled();

    // A sane price: the effect is previewed before it is applied.
    await pricing.gpuPrice(LOCAL_KEY).fill('0.55');
    await expect(pricing.proposed).toBeVisible();
    await expect(pricing.proposed).toContainText('+');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'pricing-preview.png'), fullPage: true });
    await pricing.apply.click();
    await expect(pricing.applied).toContainText('Applied');
    await expect(pricing.gpuBid(LOCAL_KEY)).toContainText('$0.550');

    // The quote uses it, with the arithmetic…
    await pricing.quoteRun.click();
    await expect(pricing.quoteSteps).toContainText('1 GPUs × $0.5500/h');
    const shown = (await pricing.quotePrice.textContent()) ?? '';
    const price = /Bid ([0-9.]+) uact per block/.exec(shown)?.[1];
    expect(price, shown).toBeDefined();
    // …and the generated script, run on the table the agent wrote, prints the same number.
    const order = JSON.parse(await page.getByTestId('quote-order').inputValue()) as unknown;
    const run = runBidScript(rig.home, order);
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe(price);
    const table = JSON.parse(readFileSync(path.join(rig.home, 'state', 'bid-script', 'riglease-pricing.json'), 'utf8')) as { gpu: Record<string, string> };
    expect(table.gpu[LOCAL_KEY]).toBe('550000000000');
    expect(shell.problems, 'no CSP refusals or page errors').toEqual([]);
  });

  test('pause → the state is shown, the script stops bidding, and resuming brings it back', async ({ rig, shell, page }) => {
    const pricing = new PricingScreen(page);
    await shell.signIn(rig.loginUrl);
    await pricing.goto(rig.origin);
    await expect(pricing.availabilityState).toHaveText('Online');
    await pricing.button('availability-pause-1h').click();
    await expect(pricing.availabilityState).toHaveText('Paused');
    await expect(pricing.availabilityReason).toContainText('no new bids, running leases continue');
    await expect(page.getByTestId('bid-script-state')).toContainText('not bidding');
    await pricing.quoteRun.click();
    await expect(pricing.quotePrice).toContainText('No bid: paused');
    const order = JSON.parse(await page.getByTestId('quote-order').inputValue()) as unknown;
    const paused = runBidScript(rig.home, order);
    expect(paused.code).not.toBe(0);
    expect(paused.stderr).toMatch(/^no bid: paused/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'pricing-paused.png'), fullPage: true });

    // The Availability screen logs the change with its reason; going offline asks first.
    await shell.navItem('availability').click();
    await expect(page.getByTestId('availability-history')).toContainText('Paused by the user until');
    await page.getByTestId('availability-offline').click();
    await expect(page.getByTestId('offline-confirm')).toContainText('Going offline stops the provider');
    await expect(page.getByTestId('availability-state')).toHaveText('Paused');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'availability-offline-confirm.png'), fullPage: true });
    await page.getByRole('button', { name: 'Keep running' }).click();
    await page.getByTestId('availability-online').click();
    await expect(page.getByTestId('availability-state')).toHaveText('Online');
    expect(runBidScript(rig.home, order).code).toBe(0);

    // A weekly schedule that excludes today: the rig stops bidding by itself and says why.
    const names = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
    const otherDay = names[(new Date().getDay() + 3) % 7]!;
    for (const d of names) {
      const box = page.getByTestId('schedule').getByRole('checkbox', { name: d, exact: true });
      if (d === otherDay) await box.check();
      else await box.uncheck();
    }
    await page.getByTestId('schedule-start').fill('00:00');
    await page.getByTestId('schedule-end').fill('00:00');
    await page.getByTestId('schedule-add').click();
    await expect(page.getByTestId('schedule-window')).toContainText(`${otherDay} 00:00–00:00 (all day)`);
    // The box shows the stored setting, so it flips when the agent has saved it.
    await page.getByTestId('schedule-enabled').click();
    await expect(page.getByTestId('schedule-enabled')).toBeChecked();
    await expect(page.getByTestId('availability-state')).toHaveText('Outside schedule');
    await expect(page.getByTestId('availability-history')).toContainText('Outside the weekly bidding schedule');
    await expect.poll(() => runBidScript(rig.home, order).stderr).toMatch(/no bid: paused: Outside the weekly bidding schedule/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'availability-schedule.png'), fullPage: true });
    await page.getByTestId('schedule-enabled').click();
    await expect(page.getByTestId('schedule-enabled')).not.toBeChecked();
    await expect(page.getByTestId('availability-state')).toHaveText('Online');
    expect(shell.problems, 'no CSP refusals or page errors').toEqual([]);
  });
});
