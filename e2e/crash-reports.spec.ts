import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './capture.js';
import { expect, test } from './fixtures.js';
import { DiagnosticsScreen } from './pages/diagnostics.page.js';

const SCREENSHOTS = path.join(repoRoot, 'test-results', 'screenshots');

test.describe('Crash reports on the Diagnostics screen', () => {
  test('a crash in the last 7 days shows as a warning with its one-line reason; Check again clears nothing', async ({ rig, shell, page }) => {
    const screen = new DiagnosticsScreen(page);
    await shell.signIn(rig.loginUrl);
    await shell.navItem('diagnostics').click();
    await expect(screen.check('app.crashes')).toHaveAttribute('data-status', 'ok');
    await expect(screen.check('app.crashes')).toContainText('RigLease has not crashed.');

    // A report as src/app/crash-reports.ts writes it (one hour ago), in the server's data folder.
    const time = new Date(Date.now() - 3_600_000).toISOString();
    mkdirSync(path.join(rig.home, 'crash-reports'), { recursive: true });
    writeFileSync(
      path.join(rig.home, 'crash-reports', `crash-${time.replace(/[:.]/g, '-')}-4242.json`),
      JSON.stringify({ kind: 'riglease.crash-report', time, version: '0.0.0', host: 'headless', platform: 'linux', arch: 'x64', node: '20', pid: 4242, origin: 'uncaughtException', error: { name: 'TypeError', message: "Cannot read properties of undefined (reading 'leases')\n    more detail", stack: null, code: null }, logTail: [] }),
    );
    await screen.checkAgain.click();
    const row = screen.check('app.crashes');
    await expect(row).toHaveAttribute('data-status', 'warn');
    await expect(row).toContainText("RigLease stopped unexpectedly once in the last 7 days; the latest");
    await expect(row).toContainText("TypeError: Cannot read properties of undefined (reading 'leases')");
    await expect(row).not.toContainText('more detail');
    await expect(row.getByTestId('diagnostic-fix')).toContainText('Export diagnostics');
    await row.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'diagnostics-crash.png'), fullPage: true });
    expect(shell.problems, 'no CSP refusals or page errors').toEqual([]);
  });
});
