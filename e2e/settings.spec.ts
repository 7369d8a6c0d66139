import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { repoRoot } from './capture.js';
import { expect, test } from './fixtures.js';

const SCREENSHOTS = path.join(repoRoot, 'test-results', 'screenshots');
const CLI = path.join(repoRoot, 'dist', 'cli.js');

/** `riglease settings get KEY --json` against the rig's data folder, as a user would run it. */
function cliGet(home: string, key: string): unknown {
  const out = execFileSync(process.execPath, [CLI, 'settings', 'get', key, '--json'], { env: { ...process.env, RIGLEASE_HOME: home }, encoding: 'utf8' });
  return (JSON.parse(out) as { value: unknown }).value;
}

async function rpc(page: Page, origin: string, method: string, input: unknown): Promise<{ ok: boolean; value?: unknown; error?: { message: string } }> {
  const res = await page.request.post(`${origin}/api/rpc`, { data: { method, input } });
  return (await res.json()) as { ok: boolean; value?: unknown; error?: { message: string } };
}

test.describe('Settings', () => {
  test('a change in the screen reaches `riglease settings get`; a bad value shows the schema message and changes nothing', async ({ rig, shell, page }) => {
    await shell.signIn(rig.loginUrl);
    await shell.navItem('settings').click();
    await expect(page).toHaveURL(/#\/settings$/);
    const telemetry = page.getByTestId('setting-hardware.telemetryIntervalMs');
    await expect(telemetry.getByTestId('setting-input')).toHaveValue('1000');

    // A good value: saved, and the CLI reading the same data folder sees it.
    await telemetry.getByTestId('setting-input').fill('2500');
    await telemetry.getByTestId('setting-save').click();
    await expect(telemetry.getByTestId('setting-save')).toBeDisabled();
    await expect.poll(() => cliGet(rig.home, 'hardware.telemetryIntervalMs')).toBe(2500);

    // A toggle saves at once.
    const lowBalance = page.getByTestId('setting-desktop.notifications.lowBalance').getByRole('checkbox');
    await expect(lowBalance).toBeChecked();
    await lowBalance.uncheck();
    await expect.poll(() => cliGet(rig.home, 'desktop.notifications.lowBalance')).toBe(false);
    await expect(lowBalance).not.toBeChecked();

    // The network select.
    await page.getByTestId('setting-general.network').getByRole('combobox').selectOption('sandbox');
    await expect.poll(() => cliGet(rig.home, 'general.network')).toBe('sandbox');

    // The bid deposit token: AKT by default (as upstream), ACT on choice.
    const deposit = page.getByTestId('setting-stack.bidDepositDenom').getByRole('combobox');
    await expect(deposit).toHaveValue('uakt');
    await deposit.selectOption('uact');
    await expect.poll(() => cliGet(rig.home, 'stack.bidDepositDenom')).toBe('uact');

    // A bad value: below the schema's minimum. The agent's own message shows; nothing is written.
    await telemetry.getByTestId('setting-input').fill('10');
    await telemetry.getByTestId('setting-save').click();
    const err = telemetry.getByTestId('setting-error');
    await expect(err).toBeVisible();
    const refused = await rpc(page, rig.origin, 'settings.set', { key: 'hardware.telemetryIntervalMs', value: 10 });
    expect(refused.ok).toBe(false);
    // The schema's own words (the agent prefixes the key, which the field already shows).
    const schemaWords = (refused.error?.message ?? '<no message>').split('hardware.telemetryIntervalMs: ').at(-1) ?? '';
    expect(schemaWords).toMatch(/250/);
    await expect(err).toHaveText(schemaWords);
    await expect(telemetry.getByTestId('setting-input')).toHaveAttribute('aria-invalid', 'true');
    expect(cliGet(rig.home, 'hardware.telemetryIntervalMs')).toBe(2500);

    // A path that is an empty string is refused too; an emptied field means "search PATH" (null).
    const smi = page.getByTestId('setting-hardware.nvidiaSmiPath');
    await smi.getByTestId('setting-input').fill('/opt/nvidia/bin/nvidia-smi');
    await smi.getByTestId('setting-save').click();
    await expect.poll(() => cliGet(rig.home, 'hardware.nvidiaSmiPath')).toBe('/opt/nvidia/bin/nvidia-smi');
    await smi.getByTestId('setting-input').fill('');
    await smi.getByTestId('setting-save').click();
    await expect.poll(() => cliGet(rig.home, 'hardware.nvidiaSmiPath')).toBe(null);

    // Changed elsewhere (API): the screen follows.
    expect((await rpc(page, rig.origin, 'settings.set', { key: 'desktop.updates.checkEveryHours', value: 12 })).ok).toBe(true);
    await expect(page.getByTestId('setting-desktop.updates.checkEveryHours').getByTestId('setting-input')).toHaveValue('12');

    await page.setViewportSize({ width: 1024, height: 640 });
    expect(await shell.hasHorizontalScroll(), 'no horizontal scroll at 1024×640').toBe(false);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'settings.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'settings-dark.png'), fullPage: true });
    expect(shell.problems, 'no CSP refusals or page errors').toEqual([]);
  });

  test('an automatic pause and resume by the weekly schedule show as toasts that go away by themselves', async ({ rig, shell, page }) => {
    await shell.signIn(rig.loginUrl);
    await shell.navItem('settings').click();
    await expect(page.getByTestId('settings-page')).toBeVisible();
    const toasts = page.getByTestId('toast');
    await expect(toasts).toHaveCount(0);

    // A weekly schedule that excludes today: the availability service stops bidding by itself,
    // and the notification policy says so (an automatic change, not one the user clicked).
    const otherDay = (new Date().getDay() + 3) % 7;
    const schedule = { enabled: true, windows: [{ days: [otherDay], start: '00:00', end: '00:00' }] };
    expect((await rpc(page, rig.origin, 'settings.set', { key: 'availability.schedule', value: schedule })).ok).toBe(true);
    // As the Availability screen does: reading the state re-evaluates it against the new settings.
    expect((await rpc(page, rig.origin, 'availability.get', {})).ok).toBe(true);
    const paused = toasts.filter({ hasText: 'RigLease paused bidding' });
    await expect(paused).toHaveCount(1, { timeout: 15_000 });
    await expect(paused).toHaveAttribute('role', 'status');
    await expect(paused).toHaveAttribute('data-level', 'info');
    await expect(paused).toContainText('Outside the weekly bidding schedule');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'toast-light.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'toast-dark.png') });

    // Back on: "bidding again", and the info toasts leave on their own (6 s).
    expect((await rpc(page, rig.origin, 'settings.set', { key: 'availability.schedule', value: { ...schedule, enabled: false } })).ok).toBe(true);
    expect((await rpc(page, rig.origin, 'availability.get', {})).ok).toBe(true);
    await expect(toasts.filter({ hasText: 'RigLease is bidding again' })).toHaveCount(1, { timeout: 15_000 });
    await expect(toasts).toHaveCount(0, { timeout: 12_000 });
    expect(shell.problems, 'no CSP refusals or page errors').toEqual([]);
  });
});
