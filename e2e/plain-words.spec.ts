import { expect, test } from './fixtures.js';

/** Chain words carry their meaning on screen (hover or focus), and sizes counted in 1024s say GiB. */
test.use({ serverArgs: ['--demo'] });

for (const size of [
  { width: 390, height: 844 },
  { width: 1280, height: 800 },
] as const) {
  test(`chain words explained, GiB labelled GiB at ${size.width} px`, async ({ rig, shell, page }) => {
    await page.setViewportSize(size);
    await shell.signIn(rig.loginUrl);

    await page.goto(`${rig.origin}/#/leases`);
    const table = page.getByTestId('lease-table');
    await expect(table).toBeVisible({ timeout: 30_000 });
    for (const k of ['dseq', 'block', 'escrow']) {
      const term = table.locator(`thead abbr.term[data-term="${k}"]`).first();
      await expect(term, k).toBeVisible();
      await expect(term, k).toHaveAttribute('title', /.{20,}/);
    }
    // The price's unit is a denomination with its meaning (1 ACT or AKT is a million of it).
    await expect(table.locator('tbody abbr.term[data-term^="ua"]').first()).toHaveAttribute('title', /1,000,000/);
    expect(await shell.hasHorizontalScroll(), 'no sideways scrolling').toBe(false);

    await page.goto(`${rig.origin}/#/wallet`);
    await expect(page.locator('abbr.term[data-term="hdPath"]')).toHaveAttribute('title', /never need to change it/);

    await page.goto(`${rig.origin}/#/readiness`);
    await expect(page.getByTestId('readiness-page')).toContainText(/\d GiB/, { timeout: 30_000 });
    await expect(page.getByTestId('readiness-page')).not.toContainText(/\d GB\b(?! minimum| Akash| or more| at least| per GPU| SSD| recommended)/);
    expect(shell.problems).toEqual([]);
  });
}
