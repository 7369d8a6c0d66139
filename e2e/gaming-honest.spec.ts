import path from 'node:path';
import { repoRoot } from './capture.js';
import { expect, test } from './fixtures.js';

/**
 * The GPU back for a game, honestly: Akash leases run until closed, so gaming mode and pauses
 * only stop new bids. The Availability screen says what happens to a running lease and offers
 * the polite way back (notice); Set up explains the notice window where it is chosen.
 */
const DOCS = path.join(repoRoot, 'docs', 'screenshots');
test.use({ serverArgs: ['--demo'] });

for (const size of [
  { width: 390, height: 844 },
  { width: 1280, height: 800 },
] as const) {
  test.describe(`Gaming and running leases at ${size.width} px`, () => {
    test.use({ viewport: size });

    test('gaming mode says the tenant keeps the GPU and the game shares it; Set up explains the notice window', async ({ rig, shell, page }) => {
      await shell.signIn(rig.loginUrl);
      await page.goto(`${rig.origin}/#/availability`);
      const card = page.getByTestId('gaming-leases');
      await expect(card).toContainText('stop new bids only');
      await expect(card).toContainText('keeps it until the lease ends or you take it back with notice');
      await expect(card).toContainText('shares the GPU');
      await expect(card).toContainText('every GPU of this machine or none');
      // The demo rents its GPU: said as rented, with the way back (notice) or why there is none.
      await expect(page.getByTestId('gaming-leases-rented')).toContainText(/It stays rented until (you reclaim it|the tenant ends the lease)\./);
      // Never both "until you reclaim it" and "no polite way" about the same leases.
      await expect(page.getByTestId('gaming-leases-rented')).not.toContainText(/until you reclaim it.*no polite way/);
      await expect(page.getByTestId('gaming-leases-none')).toHaveCount(0);
      await expect(page.getByTestId('gaming-notice-window')).toContainText(/notice|without a notice window/);
      const takeBack = page.getByTestId('gaming-take-back');
      if ((await takeBack.count()) > 0) await expect(takeBack).toHaveAttribute('href', '#/leases');
      expect(await shell.hasHorizontalScroll(), 'no sideways scrolling').toBe(false);
      if (size.width === 1280) await page.screenshot({ path: path.join(DOCS, 'availability-gaming-1280.png') });

      // Set up: the prices step carries the notice window with its trade-off.
      await page.goto(`${rig.origin}/#/onboarding`);
      const setup = page.getByTestId('setup-notice-window');
      await expect(setup).toBeVisible({ timeout: 30_000 });
      await expect(setup).toContainText('pausing or gaming mode only stops new bids');
      await expect(setup.getByTestId('notice-window-input')).toBeVisible();
      await expect(setup).toContainText('A notice window is a promise to every tenant');
      expect(await shell.hasHorizontalScroll(), 'no sideways scrolling').toBe(false);
      if (size.width === 390) await page.screenshot({ path: path.join(DOCS, 'setup-390.png') });
      expect(shell.problems).toEqual([]);
    });
  });
}
