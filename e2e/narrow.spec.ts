import path from 'node:path';
import { repoRoot } from './capture.js';
import { expect, test } from './fixtures.js';

/** Usable from 360 px wide: the sidebar folds behind one button and no screen scrolls sideways. */
const DOCS = path.join(repoRoot, 'docs', 'screenshots');
const SCREENS = ['dashboard', 'onboarding', 'readiness', 'pricing', 'availability', 'wallet', 'leases', 'benchmarks', 'stack', 'diagnostics', 'settings', 'fleet'];
test.use({ serverArgs: ['--demo'] });

test.describe('A phone-sized window (360 px)', () => {
  test.use({ viewport: { width: 360, height: 780 } });

  test('every screen fits without sideways scrolling; the sidebar folds behind "Screens"', async ({ rig, shell, page }) => {
    test.setTimeout(90_000);
    await shell.signIn(rig.loginUrl);
    await expect(page).toHaveURL(/#\/dashboard$/);
    const menu = page.getByTestId('menu-button');
    await expect(menu).toBeVisible();
    await expect(shell.navItem('pricing')).toBeHidden();
    await menu.click();
    await expect(shell.navItem('pricing')).toBeVisible();
    await shell.navItem('pricing').click();
    await expect(page).toHaveURL(/#\/pricing$/);
    // Choosing a screen folds the menu again.
    await expect(shell.navItem('pricing')).toBeHidden();

    const wide: string[] = [];
    for (const id of SCREENS) {
      await page.goto(`${rig.origin}/#/${id}`);
      await expect(page.locator('main .page').first(), id).toBeVisible();
      if (await shell.hasHorizontalScroll()) wide.push(id);
    }
    expect(wide, 'screens that scroll sideways at 360 px').toEqual([]);
    await page.goto(`${rig.origin}/#/leases`);
    await page.screenshot({ path: path.join(DOCS, 'leases-360.png') });
    expect(shell.problems).toEqual([]);
  });
});

test.describe('A desktop window (1280 px)', () => {
  test('the sidebar stays open and no menu button shows', async ({ rig, shell, page }) => {
    await shell.signIn(rig.loginUrl);
    await expect(page.getByTestId('menu-button')).toBeHidden();
    await expect(shell.navItem('pricing')).toBeVisible();
  });
});
