import { expect, test } from './fixtures.js';
import { WalletScreen } from './pages/wallet.page.js';

/**
 * Creating a wallet in the browser, end to end, on an agent started without RIGLEASE_PASSPHRASE:
 * the page asks for the passphrase before any word is shown, refuses a weak one with no word on
 * screen, and the words it then shows are the ones saved.
 */
// No chain is needed to make and save a wallet; an unreachable one keeps the test offline.
test.use({ serverEnv: { RIGLEASE_CHAIN_RPC: 'http://127.0.0.1:9' } });

for (const size of [
  { width: 390, height: 844 },
  { width: 1280, height: 800 },
] as const) {
  test(`the passphrase is asked in the page before any word is shown, then the wallet is saved at ${size.width} px`, async ({ rig, shell, page }) => {
    await page.setViewportSize(size);
    const wallet = new WalletScreen(page);
    await shell.signIn(rig.loginUrl);
    await page.goto(`${rig.origin}/#/wallet`);
    await wallet.id('create-wallet-button').click();

    const gate = page.getByTestId('passphrase-gate');
    await expect(gate).toContainText('Choose a passphrase first');
    await expect(wallet.id('mnemonic-words')).toHaveCount(0);
    // Weak: refused with the reason, and still no word on screen.
    await wallet.id('passphrase-input').fill('password');
    await wallet.id('passphrase-again').fill('password');
    await wallet.id('passphrase-submit').click();
    await expect(gate.getByTestId('error-view')).toBeVisible();
    await expect(wallet.id('mnemonic-words')).toHaveCount(0);

    const strong = 'copper lantern orbit meadow seventy quilt';
    await wallet.id('passphrase-input').fill(strong);
    await wallet.id('passphrase-again').fill(strong);
    await wallet.id('passphrase-submit').click();
    const words = await wallet.shownWords();
    expect(words).toHaveLength(24);
    await wallet.id('wrote-it-down').check();
    await wallet.id('to-confirm').click();
    for (const p of await wallet.askedPositions()) await wallet.id(`confirm-word-${p}`).fill(words[p - 1]!);
    await wallet.id('confirm-backup').click();
    await expect(wallet.id('create-wallet')).toHaveCount(0);
    await expect(wallet.id('wallet-address')).toBeVisible();
    expect(await shell.hasHorizontalScroll(), 'no sideways scrolling').toBe(false);
    expect(shell.problems.filter((p) => !/status of 4\d\d|Failed to load resource/.test(p))).toEqual([]);
  });
}
