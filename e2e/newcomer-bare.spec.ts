import path from 'node:path';
import { repoRoot } from './capture.js';
import { expect, test } from './fixtures.js';

/**
 * A newcomer on a bare machine (a GPU, but no Docker engine, no wallet, no provider) walks from
 * the first screen to the first honest blocker: Set up opens by itself, names Docker, offers no
 * "Continue anyway" for a block that cannot be skipped, and the top bar says the same.
 */
const DOCS = path.join(repoRoot, 'docs', 'screenshots');
test.use({ serverEnv: { DOCKER_HOST: 'unix:///nonexistent/riglease-no-docker.sock' } });

for (const size of [
  { width: 390, height: 844 },
  { width: 1280, height: 800 },
] as const) {
  test(`a bare machine at ${size.width} px: first screen to the first blocker, with its fix and no way around it`, async ({ rig, shell, page }) => {
    await page.setViewportSize(size);
    await shell.signIn(rig.loginUrl);
    await expect(page).toHaveURL(/#\/onboarding$/);
    await expect(page.getByRole('heading', { name: 'Set up this rig' })).toBeVisible();

    // The wizard scans by itself and stops at the fixes, Docker first among them.
    const main = page.getByRole('main');
    await expect(main.getByText(/still block/)).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('cannot-skip')).toContainText('Docker engine cannot be skipped');
    await expect(main).toContainText('curl -fsSL https://get.docker.com | sh');
    // A block that cannot be skipped has no button pretending otherwise.
    await expect(page.getByTestId('continue-anyway')).toHaveCount(0);

    await expect(shell.statusText).toHaveText(/^Not ready: no Docker engine was found on this machine/);
    await expect(shell.statusText).not.toHaveText(/Online|providing/);
    expect(await shell.hasHorizontalScroll(), 'no sideways scrolling').toBe(false);
    await page.screenshot({ path: path.join(DOCS, `newcomer-bare-machine-${size.width}.png`) });
    expect(shell.problems).toEqual([]);
  });
}
