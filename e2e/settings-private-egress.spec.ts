import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './capture.js';
import { expect, test } from './fixtures.js';

const CLI = path.join(repoRoot, 'dist', 'cli.js');

/** `riglease settings get stack.allowPrivateEgress --json` against the rig's data folder. */
function allowed(home: string): unknown {
  const out = execFileSync(process.execPath, [CLI, 'settings', 'get', 'stack.allowPrivateEgress', '--json'], { env: { ...process.env, RIGLEASE_HOME: home }, encoding: 'utf8' });
  return (JSON.parse(out) as { value: unknown }).value;
}

// One agent for both widths (each start costs seconds of a shared budget): refusals at 1280 px,
// the question and the save at 390 px.
test('Settings at 1280 and 390 px: a range the fence refuses shows why and changes nothing; a good one is saved only after the question naming it', async ({ rig, shell, page }) => {
  await shell.signIn(rig.loginUrl);
  await page.goto(`${rig.origin}/#/settings`);
  const section = page.getByTestId('settings-private-egress');
  await expect(section.getByTestId('egress-none')).toBeVisible();
  const field = section.getByTestId('setting-stack.allowPrivateEgress');
  const input = field.getByTestId('setting-input');

  // Too wide: the agent's schema refuses it with these words (asked through the API, as the CLI would).
  await input.fill('0.0.0.0/0');
  await field.getByTestId('setting-save').click();
  const refused = (await (await page.request.post(`${rig.origin}/api/rpc`, { data: { method: 'settings.set', input: { key: 'stack.allowPrivateEgress', value: ['0.0.0.0/0'], confirm: true } } })).json()) as { ok: boolean; error?: { message: string } };
  expect(refused.ok).toBe(false);
  const words = (refused.error?.message ?? '<none>').split('stack.allowPrivateEgress.0: ').at(-1)!;
  expect(words).toContain('as wide as a whole network');
  await expect(field.getByTestId('setting-error')).toHaveText(words);
  await expect(input).toHaveAttribute('aria-invalid', 'true');
  await expect(section.getByTestId('confirm')).toHaveCount(0);
  // Host bits set: the schema's own suggestion.
  await input.fill('192.168.1.77/24');
  await field.getByTestId('setting-save').click();
  await expect(field.getByTestId('setting-error')).toContainText('has host bits set: the range /24 that holds it is 192.168.1.0/24');
  expect(allowed(rig.home)).toEqual([]);

  // A good range: first a question naming it and what opens; Cancel changes nothing.
  await input.fill('192.168.1.0/28');
  await field.getByTestId('setting-save').click();
  const confirm = section.getByTestId('confirm');
  await expect(confirm.getByTestId('confirm-text')).toContainText('192.168.1.0/28 (16 addresses, 192.168.1.0 to 192.168.1.15)');
  await expect(confirm.getByTestId('confirm-text')).toContainText("router's admin page");
  await confirm.getByTestId('confirm-no').click();
  await expect(confirm).toHaveCount(0);
  expect(allowed(rig.home)).toEqual([]);
  expect(await shell.hasHorizontalScroll(), 'no horizontal scroll at 1280 px').toBe(false);

  await page.setViewportSize({ width: 390, height: 800 });

  await field.getByTestId('setting-save').click();
  await expect(confirm.getByTestId('confirm-yes')).toHaveText('Open 192.168.1.0/28');
  await confirm.getByTestId('confirm-yes').click();
  await expect.poll(() => allowed(rig.home)).toEqual(['192.168.1.0/28']);
  await expect(section.getByTestId('egress-range')).toHaveAttribute('data-range', '192.168.1.0/28');
  await expect(input).toHaveValue('');
  expect(await shell.hasHorizontalScroll(), 'no horizontal scroll at 390 px').toBe(false);

  // Closing it again needs no question.
  await section.getByTestId('egress-remove').click();
  await expect.poll(() => allowed(rig.home)).toEqual([]);
  await expect(section.getByTestId('egress-none')).toBeVisible();
  expect(shell.problems).toEqual([]);
});
