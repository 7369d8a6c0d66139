import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { findElectronBinary } from './electron-binary.js';
import { capturesDir, readCapture, repoRoot } from './capture.js';

/**
 * The desktop shell: the same UI over IPC instead of HTTP, plus what only the shell has — the
 * tray, closing to the tray, single instance. It needs a real Electron binary. We look for it
 * the way the electron package would, without requiring `electron` itself: its index.js starts
 * a download when the binary is missing, and tests never download.
 */
const binary = findElectronBinary(repoRoot, process.env);
const SKIP_REASON = `No Electron binary installed here (ELECTRON_SKIP_BINARY_DOWNLOAD); the Electron shell cannot be launched${binary.found ? '' : ` — ${binary.reason}`}`;
// Loud in the list reporter too, not only in the JSON report's annotations.
if (!binary.found) console.log(`[electron] every Electron test is skipped: ${SKIP_REASON}`);

const CAPTURE = 'rtx4090_535.86.05_1gpu.xml';

/** The main process's test hooks (electron/e2e-hooks.ts), only there with RIGLEASE_E2E_HOOKS=1. */
type Item = { id?: string; label: string; enabled?: boolean; separator?: true; submenu?: Item[] };
type View = { icon: string; tooltip: string; items: Item[] };
interface Hooks {
  trayView(): View | null;
  clickTray(id: string): void;
  windowCount(): number;
}

function launchArgs(userData: string): { args: string[]; env: Record<string, string> } {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  Object.assign(env, {
    RIGLEASE_HOME: userData,
    RIGLEASE_E2E_HOOKS: '1',
    RIGLEASE_NVIDIA_SMI: path.join(repoRoot, 'test', 'fake-nvidia-smi', 'nvidia-smi'),
    FAKE_NVIDIA_SMI_XML: path.join(capturesDir, CAPTURE),
    DOCKER_HOST: process.env.RIGLEASE_TEST_DOCKER_HOST ?? 'unix:///tmp/riglease-docker.sock',
  });
  return { args: [repoRoot, `--user-data-dir=${userData}`, '--no-sandbox', '--disable-gpu'], env };
}

const trayView = (app: ElectronApplication) => app.evaluate(() => (globalThis as unknown as { __rigleaseE2e: Hooks }).__rigleaseE2e.trayView());
const clickTray = (app: ElectronApplication, id: string) => app.evaluate((_e, itemId) => (globalThis as unknown as { __rigleaseE2e: Hooks }).__rigleaseE2e.clickTray(itemId), id);
const windowCount = (app: ElectronApplication) => app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length);
const ids = (items: Item[]): string[] => items.flatMap((i) => (i.submenu ? ids(i.submenu) : i.id ? [i.id] : []));

test.describe('Electron shell', () => {
  test.skip(!binary.found, SKIP_REASON);
  test.describe.configure({ mode: 'serial' });

  let app: ElectronApplication;
  let window: Page;
  let userData: string;

  test.beforeAll(async () => {
    if (!binary.found) return;
    userData = mkdtempSync(path.join(os.tmpdir(), 'riglease-electron-'));
    const { args, env } = launchArgs(userData);
    app = await electron.launch({ executablePath: binary.path, args, env });
    window = await app.firstWindow();
  });

  test.afterAll(async () => {
    await app?.close();
    if (userData) rmSync(userData, { recursive: true, force: true });
  });

  test('opens a sandboxed window whose Readiness screen talks to the agent over IPC', async () => {
    const [gpu] = readCapture(CAPTURE);
    await expect(window).toHaveTitle(/RigLease/);
    // The preload exposes exactly one object; Node stays out of the page.
    expect(await window.evaluate(() => typeof (globalThis as { riglease?: unknown }).riglease)).toBe('object');
    expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    expect(await window.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
    await expect(window.getByTestId('gpu-name').first()).toHaveText(gpu?.name ?? 'missing capture', { timeout: 30_000 });
    await window.screenshot({ path: path.join(repoRoot, 'test-results', 'screenshots', 'electron-readiness.png') });
  });

  test('IPC: typed calls answer as envelopes, bad input and unknown names are refused', async () => {
    type Bridge = { call(m: string, i: unknown): Promise<{ ok: boolean; value?: { host?: string }; error?: { code: string } }> };
    const info = await window.evaluate(() => (globalThis as unknown as { riglease: Bridge }).riglease.call('app.info', {}));
    expect(info).toMatchObject({ ok: true, value: { host: 'electron', name: 'RigLease' } });
    const bad = await window.evaluate(() => (globalThis as unknown as { riglease: Bridge }).riglease.call('availability.set', { mode: 'pause', forMinutes: -5 }));
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const unknown = await window.evaluate(() => (globalThis as unknown as { riglease: Bridge }).riglease.call('shell.exec', {}).then(() => 'answered', (e: Error) => e.message));
    expect(unknown).toBe('There is no API method called shell.exec.');
  });

  test('tray: state first, "Pause for…", and a click pauses bidding, which the page hears as an event', async () => {
    await expect.poll(async () => (await trayView(app))?.items[0]?.label ?? '', { timeout: 20_000 }).not.toBe('Starting…');
    const before = await trayView(app);
    expect(['online', 'paused', 'gaming', 'offline', 'error', 'working']).toContain(before?.icon);
    expect(before?.items[0]).toMatchObject({ id: 'state', enabled: false });
    expect(before?.items.find((i) => i.submenu)?.label).toBe('Pause for…');
    expect(ids(before?.items ?? [])).toEqual(expect.arrayContaining(['pause-15m', 'pause-1h', 'pause-4h', 'pause-tomorrow', 'open', 'quit']));

    // The page subscribes over IPC; the tray click goes through the same handlers.
    await window.evaluate(() => {
      const w = globalThis as unknown as { riglease: { on(e: string, cb: (p: unknown) => void): () => void }; heard: unknown[] };
      w.heard = [];
      w.riglease.on('availability.changed', (p) => w.heard.push(p));
    });
    await clickTray(app, 'pause-1h');
    await expect.poll(() => window.evaluate(() => ((globalThis as unknown as { heard: Array<{ mode: string }> }).heard.at(-1)?.mode ?? null))).toBe('paused');
    await expect.poll(async () => ids((await trayView(app))?.items ?? [])[1]).toBe('online');
    await clickTray(app, 'online');
    await expect.poll(async () => ids((await trayView(app))?.items ?? [])[1]).toBe('pause');
  });

  test('closing the window keeps the app in the tray and frees the renderer; "Open" builds a new window', async () => {
    const firstId = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.webContents.id ?? -1);
    await window.close();
    await expect.poll(() => windowCount(app)).toBe(0);
    // Still running: the tray answers.
    expect((await trayView(app))?.items.at(-1)).toMatchObject({ id: 'quit' });
    const reopened = app.waitForEvent('window');
    await clickTray(app, 'open');
    window = await reopened;
    await expect(window).toHaveTitle(/RigLease/);
    const secondId = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.webContents.id ?? -1);
    expect(secondId).not.toBe(firstId);
  });

  test('"Try the demo" in the tray opens the demo in its own window, off the real agent; closing it ends the demo', async () => {
    expect(ids((await trayView(app))?.items ?? [])).toContain('demo-start');
    const demoWindow = app.waitForEvent('window');
    await clickTray(app, 'demo-start');
    const demo = await demoWindow;
    await expect(demo.locator('.demo-banner')).toHaveText('Demo mode: a simulated rig. Nothing here touches real Docker or the chain.', { timeout: 30_000 });
    // No preload: the demo page speaks HTTP to the demo's own server, never IPC to the real agent.
    expect(await demo.evaluate(() => typeof (globalThis as { riglease?: unknown }).riglease)).toBe('undefined');
    expect(new URL(demo.url()).hostname).toBe('127.0.0.1');
    await expect(demo.getByTestId('dash-gpus').getByTestId('gpu-live-card').first()).toContainText('RTX 3090', { timeout: 30_000 });
    await expect(demo.getByTestId('dash-lease-row')).toHaveCount(3);
    await demo.screenshot({ path: path.join(repoRoot, 'test-results', 'screenshots', 'electron-demo.png') });
    await expect.poll(async () => ids((await trayView(app))?.items ?? [])).toEqual(expect.arrayContaining(['demo-open', 'demo-stop']));
    await demo.close();
    await expect.poll(async () => ids((await trayView(app))?.items ?? [])).toContain('demo-start');
  });

  test('single instance: a second launch exits and the running app shows its window', async () => {
    if (!binary.found) return;
    await window.close();
    await expect.poll(() => windowCount(app)).toBe(0);
    const { args, env } = launchArgs(userData);
    const second = spawn(binary.path, args, { env, stdio: 'ignore' });
    const code = await new Promise<number | null>((resolve) => second.once('exit', resolve));
    expect(code).toBe(0);
    await expect.poll(() => windowCount(app), { timeout: 20_000 }).toBe(1);
  });
});
