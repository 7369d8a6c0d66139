import { chainTest } from './chain-fixture.js';
import { expect } from './fixtures.js';
import { WalletScreen } from './pages/wallet.page.js';
import { generateMnemonic } from '../src/provider/chain/mnemonic.js';

const test = chainTest('e2e convert passphrase');

test.describe('Wallet: ACT beside AKT, and Convert ACT to AKT', () => {
  test('shows ACT and AKT with USD, previews the conversion (price, spread, epoch), converts, and says when the oracle holds it', async ({ rig, shell, page, chain }) => {
    const wallet = new WalletScreen(page);
    await shell.signIn(rig.loginUrl);
    await wallet.open();
    await wallet.id('import-wallet-button').click();
    await wallet.id('import-phrase').fill(generateMnemonic());
    await wallet.id('import-submit').click();
    const address = (await wallet.id('wallet-address').getAttribute('data-address')) ?? '';
    expect(address).toMatch(/^akash1/);
    chain.chain.fund(address, 'uakt', 4_000_000n);
    chain.chain.fund(address, 'uact', 25_000_000n);
    chain.chain.setBme({ aktUsd: '1.25', settleSpreadBps: 100, minEpochBlocks: 4 });
    await page.reload();

    await expect(wallet.id('balance-act')).toHaveText('25 ACT');
    await expect(wallet.id('balance-card')).toContainText('≈ $25.00 · what leases pay you');
    await expect(wallet.id('balance-card')).toContainText('≈ $5.00 at $1.25/AKT');

    await wallet.id('convert-amount').fill('10');
    await wallet.id('convert-preview').click();
    // 10 ACT ÷ $1.25 = 8 AKT; 1 % spread = 0.08 AKT.
    await expect(wallet.id('convert-preview-result')).toContainText('≈ 7.92 AKT');
    await expect(wallet.id('convert-preview-result')).toContainText('at most 4 blocks');
    await expect(wallet.id('convert-preview-result')).toContainText('settle spread of 1.00%');
    const before = chain.chain.acceptedTxs;
    await wallet.id('convert-confirm').click();
    await expect(wallet.id('convert-result')).toContainText(/Queued in block \d+; AKT arrives by block \d+/);
    expect(chain.chain.acceptedTxs).toBe(before + 1);
    chain.chain.advance(5);
    expect(chain.chain.state.balances.get(address)?.get('uact')).toBe(15_000_000n);

    chain.chain.setBme({ oracleHealthy: false });
    await wallet.id('convert-amount').fill('1');
    await wallet.id('convert-preview').click();
    await expect(wallet.id('convert-held')).toContainText('price oracle is halted');
    await expect(wallet.id('convert-confirm')).toHaveCount(0);
    expect(shell.problems, 'no CSP refusals or page errors').toEqual([]);
  });
});
