import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { APIRequestContext } from '@playwright/test';
import { repoRoot } from './capture.js';
import { expect, test } from './fixtures.js';

/** The Akash Console's region codes, recorded verbatim (test/fixtures/akash-console/*.source). */
const upstreamRegions = (JSON.parse(readFileSync(path.join(repoRoot, 'test/fixtures/akash-console/provider-attributes.json'), 'utf8')) as { 'location-region': { values: { key: string }[] } })['location-region'].values.map((v) => v.key);

/**
 * Every attribute Akash needs has a field in Set up, filled from what this computer suggests:
 * the region from the time zone, the country from the browser, and the RAM type asked because
 * the computer cannot tell. Nothing is reachable only through a settings key.
 */
test.use({ serverArgs: ['--demo'], timezoneId: 'Europe/Berlin', locale: 'de-DE' });

async function rpc<T>(request: APIRequestContext, origin: string, method: string, input: unknown): Promise<T> {
  const res = await request.post(`${origin}/api/rpc`, { data: { method, input } });
  const body = (await res.json()) as { ok: boolean; value?: T; error?: { message: string } };
  expect(body.ok, body.error?.message).toBe(true);
  return body.value as T;
}

for (const size of [
  { width: 390, height: 844 },
  { width: 1280, height: 800 },
] as const) {
  test(`Set up's review asks for region and RAM with suggestions, and saves them at ${size.width} px`, async ({ rig, shell, page }) => {
    await page.setViewportSize(size);
    await shell.signIn(rig.loginUrl);
    await page.goto(`${rig.origin}/#/onboarding`);
    const main = page.getByRole('main');
    await main.getByRole('button', { name: 'Confirm these prices' }).click({ timeout: 30_000 });
    await main.getByRole('button', { name: 'Continue without the port test' }).click({ timeout: 30_000 });

    const card = page.getByTestId('provider-profile');
    await expect(card).toBeVisible({ timeout: 30_000 });
    await expect(card.getByTestId('profile-region')).toHaveValue('eu-central');
    await expect(card).toContainText('Suggested from the time zone (Europe/Berlin): eu-central');
    // The field offers exactly the Console's codes, and says so when a typed one is not among them.
    expect(await card.getByTestId('profile-region-codes').locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual(upstreamRegions);
    await card.getByTestId('profile-region').fill('eu-centre');
    await expect(card.getByTestId('profile-region-unknown')).toContainText('not one of Akash');
    await card.getByTestId('profile-region').fill('eu-central');
    await expect(card.getByTestId('profile-region-unknown')).toHaveCount(0);
    await expect(card.getByTestId('profile-country')).toHaveValue('DE');
    // The RAM type cannot be read from the computer: asked, with where to look, and required.
    await expect(card).toContainText('Task Manager → Performance → Memory');
    await expect(card.getByTestId('profile-save')).toBeDisabled();
    await card.getByTestId('profile-memory').selectOption('ddr5');
    await card.getByTestId('profile-save').click();
    await expect(card.getByTestId('profile-saved')).toBeVisible();
    const saved = await rpc<{ value: { locationRegion: string; country: string; memoryType: string; locationType: string } }>(page.request, rig.origin, 'settings.get', { key: 'chain.provider' });
    expect(saved.value).toMatchObject({ locationRegion: 'eu-central', country: 'DE', memoryType: 'ddr5', locationType: 'home' });
    expect(await shell.hasHorizontalScroll(), 'no sideways scrolling').toBe(false);
    expect(shell.problems).toEqual([]);
  });
}
