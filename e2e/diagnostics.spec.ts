import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Bip39 } from '@cosmjs/crypto';
import type { Page } from '@playwright/test';
import { repoRoot } from './capture.js';
import { expect, test } from './fixtures.js';
import { DiagnosticsScreen } from './pages/diagnostics.page.js';

const SCREENSHOTS = path.join(repoRoot, 'test-results', 'screenshots');

async function agentChecks(page: Page, origin: string): Promise<{ overall: string; checks: { id: string; status: string; what: string }[] }> {
  const res = await page.request.post(`${origin}/api/rpc`, { data: { method: 'diagnostics.checks', input: {} } });
  const body = (await res.json()) as { ok: boolean; value: { overall: string; checks: { id: string; status: string; what: string }[] } };
  expect(body.ok).toBe(true);
  return body.value;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

test.describe('Diagnostics', () => {
  test('shows every check with why and fix, worst first', { tag: '@smoke' }, async ({ rig, shell, page }) => {
    const screen = new DiagnosticsScreen(page);
    await shell.signIn(rig.loginUrl);
    await shell.navItem('diagnostics').click();
    await expect(page).toHaveURL(/#\/diagnostics$/);
    await expect(screen.checksCard).toBeVisible();

    // The screen shows exactly the agent's checks.
    const report = await agentChecks(page, rig.origin);
    await expect(screen.checks).toHaveCount(report.checks.length);
    const shown = await screen.checks.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-check-id')}:${e.getAttribute('data-status')}`));
    expect(new Set(shown)).toEqual(new Set(report.checks.map((c) => `${c.id}:${c.status}`)));
    const rank: Record<string, number> = { fail: 0, warn: 1, ok: 2 };
    const ranks = shown.map((s) => rank[s.split(':')[1] ?? ''] ?? -1);
    expect(ranks, 'worst first').toEqual([...ranks].sort((a, b) => a - b));
    // The core checks are there; the test engine has no NVIDIA runtime, so a Docker GPU check fails with a fix.
    for (const id of ['files.settings', 'files.logs', 'files.disk', 'hardware.docker.engine']) await expect(screen.check(id)).toHaveCount(1);
    await expect(screen.check('hardware.docker.engine')).toHaveAttribute('data-status', 'ok');
    const failed = report.checks.filter((c) => c.status === 'fail');
    expect(failed.length).toBeGreaterThan(0);
    for (const c of failed) {
      await expect(screen.check(c.id).locator('.check-title')).toContainText(c.what);
      await expect(screen.check(c.id).getByTestId('diagnostic-fix')).toBeVisible();
    }
    await expect(screen.checksCard).toHaveAttribute('data-overall', report.overall);

    await page.setViewportSize({ width: 1024, height: 640 });
    expect(await shell.hasHorizontalScroll(), 'no horizontal scroll at 1024×640').toBe(false);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'diagnostics-1024x640.png') });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'diagnostics.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'diagnostics-dark.png') });
    expect(shell.problems, 'no CSP refusals or page errors').toEqual([]);
  });

  test('Export diagnostics writes a zip without the secrets seeded in the data folder', async ({ rig, shell, page }) => {
    // Secrets where a careless log line or an old version could have left them.
    const mnemonic = Bip39.encode(randomBytes(32)).toString();
    const key = randomBytes(32).toString('hex');
    const join = `K10${randomBytes(32).toString('hex')}::server:${randomBytes(16).toString('hex')}`;
    const serverToken = new URL(rig.loginUrl).searchParams.get('token') ?? '';
    expect(serverToken.length).toBeGreaterThan(20);
    mkdirSync(path.join(rig.home, 'logs'), { recursive: true });
    writeFileSync(path.join(rig.home, 'logs', 'old-version.log'), `restore ${mnemonic}\nkey=${key}\njoin ${join}\nlogin ${rig.origin}/?token=${serverToken}\nbare ${serverToken}\n`);
    mkdirSync(path.join(rig.home, 'secrets'), { recursive: true });
    writeFileSync(path.join(rig.home, 'secrets', 'wallet-mnemonic.secret'), mnemonic);

    const screen = new DiagnosticsScreen(page);
    await shell.signIn(rig.loginUrl);
    await shell.navItem('diagnostics').click();
    await screen.exportButton.click();
    await expect(screen.exportResult).toBeVisible();
    const zip = await screen.exportedPath();
    expect(path.dirname(zip)).toBe(path.join(rig.home, 'diagnostics'));
    expect(statSync(zip).size).toBeGreaterThan(0);
    await expect(screen.exportLeftOut).toContainText('secrets');
    await screen.exportResult.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'diagnostics-exported.png') });

    const out = mkdtempSync(path.join(os.tmpdir(), 'riglease-e2e-zip-'));
    try {
      expect(execFileSync('python3', ['-m', 'zipfile', '-t', zip], { encoding: 'utf8' })).toContain('Done testing');
      execFileSync('python3', ['-m', 'zipfile', '-e', zip, out]);
      const files = filesUnder(out).map((f) => path.relative(out, f));
      expect(files).toContain(path.join('logs', 'old-version.log'));
      expect(files).toContain('hardware-report.json');
      expect(files.some((f) => f.includes('secret'))).toBe(false);
      const words = mnemonic.split(' ');
      for (const f of filesUnder(out)) {
        const text = readFileSync(f, 'utf8');
        for (const s of [mnemonic, key, join, serverToken]) expect(text.includes(s), `${path.relative(out, f)} holds a secret`).toBe(false);
        expect(text.toLowerCase().replace(/[^a-z]+/g, ' ')).not.toContain(words.slice(0, 3).join(' '));
      }
      expect(readFileSync(path.join(out, 'logs', 'old-version.log'), 'utf8')).toContain('[redacted]');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
    expect(existsSync(zip)).toBe(true);
    expect(shell.problems, 'no CSP refusals or page errors').toEqual([]);
  });
});
