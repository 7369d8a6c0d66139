import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './capture.js';
import { expect, test } from './fixtures.js';
import { DashboardPage } from './pages/dashboard.page.js';

const SCREENSHOTS = path.join(repoRoot, 'test-results', 'screenshots');

/**
 * The installed app's layout, rebuilt from the build output only: `<root>/resources/app` holds
 * package.json, dist/ and the production node_modules (as app.asar would), `<root>/resources/demo`
 * is electron-builder's extraResources copy. No test/ folder, no shared/ captures, and PATH is an
 * empty folder: no `node`, no fake nvidia-smi — what a gamer's machine has.
 */
function packagedLayout(): { root: string; cli: string; emptyPath: string } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'riglease-packaged-'));
  const app = path.join(root, 'resources', 'app');
  mkdirSync(app, { recursive: true });
  for (const part of ['cli.js', 'chunks', 'renderer']) cpSync(path.join(repoRoot, 'dist', part), path.join(app, 'dist', part), { recursive: true });
  cpSync(path.join(repoRoot, 'package.json'), path.join(app, 'package.json'));
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(app, 'node_modules'), 'dir');
  cpSync(path.join(repoRoot, 'resources', 'demo'), path.join(root, 'resources', 'demo'), { recursive: true });
  const emptyPath = path.join(root, 'empty-path');
  mkdirSync(emptyPath);
  return { root, cli: path.join(app, 'dist', 'cli.js'), emptyPath };
}

async function startPackagedDemo(layout: { root: string; cli: string; emptyPath: string }): Promise<{ loginUrl: string; child: ChildProcess; stderr: () => string }> {
  const env: NodeJS.ProcessEnv = { HOME: layout.root, PATH: layout.emptyPath, LANG: 'C.UTF-8' };
  const child = spawn(process.execPath, [layout.cli, 'serve', '--demo', '--port', '0'], { cwd: layout.root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-20_000)));
  const loginUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no URL within 30 s\n${stderr}`)), 30_000);
    child.once('exit', (code) => reject(new Error(`exited (${code}) before printing its URL\n${stderr}`)));
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (!out.includes('\n')) return;
      clearTimeout(timer);
      resolve(out.slice(0, out.indexOf('\n')).trim());
    });
  });
  return { loginUrl, child, stderr: () => stderr };
}

test.describe('Demo mode from the packaged layout (no test/ folder, no node on PATH)', () => {
  test('the dashboard shows the replayed RTX 3090, live telemetry and the seeded leases', async ({ shell, page }) => {
    // Every spec needs the build (npm test builds before e2e): a missing one is a failure, not a skip.
    if (!existsSync(path.join(repoRoot, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` first');
    const layout = packagedLayout();
    expect(readdirSync(path.join(layout.root, 'resources')).sort()).toEqual(['app', 'demo']);
    const demo = await startPackagedDemo(layout);
    try {
      await shell.signIn(demo.loginUrl);
      const dash = new DashboardPage(page);
      await dash.waitForSummary();
      await expect(page.locator('.demo-banner')).toBeVisible();
      await expect(dash.gpuCards).toHaveCount(1);
      await expect(dash.gpuCards.first()).toContainText('RTX 3090');
      // The -lms stream replayed in-process: live samples of the capture's readings arrive.
      await expect(dash.gpuCards.first()).toContainText(/[1-9]\d* samples?/, { timeout: 20_000 });
      await expect(dash.gpuCards.first()).toContainText('27.2 W / 200 W');
      await expect(dash.leaseRows).toHaveCount(3);
      await expect(dash.statusText).toContainText('Earning: 3 active leases');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'demo-packaged-dashboard.png'), fullPage: true });
      expect(demo.stderr()).not.toMatch(/ENOENT|nvidia-smi was not found|EACCES/);
      expect(shell.problems).toEqual([]);
    } finally {
      const exited = new Promise((r) => demo.child.once('exit', r));
      demo.child.kill('SIGTERM');
      await exited;
      rmSync(layout.root, { recursive: true, force: true });
    }
  });
});
