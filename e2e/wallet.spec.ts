import path from 'node:path';
import { repoRoot } from './capture.js';
import { CHAIN_ID, chainTest, TENANT } from './chain-fixture.js';
import { expect } from './fixtures.js';
import { LeasesScreen, WalletScreen } from './pages/wallet.page.js';
import { formatTokens } from '../src/api/money-format.js';
import { generateMnemonic } from '../src/provider/chain/mnemonic.js';

const SCREENSHOTS = path.join(repoRoot, 'test-results', 'screenshots');
const PASSPHRASE = 'e2e wallet passphrase';
/** Micro AKT as a screen's figure shows it ("18.5 AKT"), and exactly ("18.497789 AKT", its hover title). */
const akt = (micro: bigint): string => formatTokens(micro, 'AKT', { group: true, precision: 'summary' });
const exactAkt = (micro: bigint): string => formatTokens(micro, 'AKT', { group: true });

/** The headless server pointed at a chain test node of its own (RIGLEASE_CHAIN_RPC). */
const test = chainTest(PASSPHRASE);

test.describe('Wallet and leases against the chain test node', () => {
  test('create shows 24 words once, checks three, then receive QR, shortfall, send with confirmation, reveal', async ({ rig, shell, page, chain }) => {
    const wallet = new WalletScreen(page);
    await shell.signIn(rig.loginUrl);
    await wallet.open();
    await expect(wallet.id('no-wallet')).toBeVisible();
    await wallet.id('create-wallet-button').click();

    const words = await wallet.shownWords();
    expect(words).toHaveLength(24);
    await expect(wallet.id('shown-once')).toContainText('only this once');
    await expect(wallet.id('to-confirm')).toBeDisabled();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'wallet-create-words.png'), fullPage: true });
    await wallet.id('wrote-it-down').check();
    await wallet.id('to-confirm').click();

    const positions = await wallet.askedPositions();
    expect(positions).toHaveLength(3);
    // One wrong word: refused, nothing saved.
    for (const [i, p] of positions.entries()) await wallet.id(`confirm-word-${p}`).fill(i === 0 ? (words[p - 1] === 'zoo' ? 'abandon' : 'zoo') : words[p - 1]!);
    await wallet.id('confirm-backup').click();
    await expect(wallet.id('error-view')).toContainText(`Word ${positions[0]} does not match`);
    await wallet.id(`confirm-word-${positions[0]}`).fill(words[positions[0]! - 1]!);
    await wallet.id('confirm-backup').click();

    // Saved: the words are gone from the page (the renderer keeps no copy once confirmed).
    await expect(wallet.id('create-wallet')).toHaveCount(0);
    const html = await page.content();
    expect(words.filter((w) => html.includes(`<span class="mono">${w}</span>`))).toEqual([]);
    // Saved: the address, its QR, and the exact shortfall of an empty wallet.
    const addressEl = wallet.id('wallet-address');
    await expect(addressEl).toBeVisible();
    const address = (await addressEl.getAttribute('data-address')) ?? '';
    expect(address).toMatch(/^akash1/);
    await expect(wallet.id('receive-qr')).toHaveAttribute('aria-label', `QR code of ${address}`);
    expect(await wallet.id('receive-qr').locator('path').getAttribute('d')).toMatch(/^M\d/);
    await expect(wallet.id('balance-akt')).toHaveText('0 AKT');
    await expect(wallet.id('shortfall')).toContainText('Add 1.5225 AKT to run a provider');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'wallet-empty-shortfall.png'), fullPage: true });

    chain.chain.fund(address, 'uakt', 20_000_000n);
    await wallet.id('balance-card').getByRole('button', { name: 'Refresh' }).click();
    await expect(wallet.id('balance-akt')).toHaveText('20 AKT');
    await expect(wallet.id('shortfall-ok')).toBeVisible();

    // Send: a confirmation screen with the simulated fee before anything is signed.
    await wallet.id('send-to').fill(TENANT);
    await wallet.id('send-amount').fill('1.5');
    await wallet.id('send-preview').click();
    await expect(wallet.id('send-summary')).toContainText(TENANT);
    await expect(wallet.id('send-summary')).toContainText('1.5 AKT');
    const accepted = chain.chain.acceptedTxs;
    await page.screenshot({ path: path.join(SCREENSHOTS, 'wallet-send-confirm.png'), fullPage: true });
    expect(chain.chain.acceptedTxs).toBe(accepted);
    await wallet.id('send-confirm-button').click();
    await expect(wallet.id('send-result')).toHaveAttribute('data-state', 'succeeded');
    await expect(wallet.id('send-hash')).toHaveText(/^[0-9A-F]{64}$/);
    expect(chain.chain.state.balances.get(TENANT)?.get('uakt')).toBe(1_500_000n);
    await wallet.id('send-card').getByRole('button', { name: 'Done' }).click();
    const left = chain.chain.state.balances.get(address)?.get('uakt') ?? 0n;
    await expect(wallet.id('balance-akt')).toHaveText(akt(left));
    await expect(wallet.id('balance-akt').locator('[data-amount]')).toHaveAttribute('title', exactAkt(left));

    // Registration: reviewed (messages, attributes from the scan, simulated fee) before signing.
    for (const [key, value] of [
      ['chain.provider.hostUri', 'https://provider.rig.example.com:8443'],
      ['chain.provider.locationRegion', 'eu-central'],
      ['chain.provider.memoryType', 'ddr5'],
    ]) {
      const res = await page.request.post(`${rig.origin}/api/rpc`, { data: { method: 'settings.set', input: { key, value } } });
      expect(((await res.json()) as { ok: boolean }).ok).toBe(true);
    }
    await expect(wallet.id('provider-registered')).toHaveText('not registered');
    await wallet.id('provider-review').click();
    await expect(wallet.id('provider-plan')).toHaveAttribute('data-action', 'create');
    await expect(wallet.id('provider-messages').locator('li')).toHaveText(['/akash.provider.v1beta4.MsgCreateProvider', '/akash.cert.v1.MsgCreateCertificate']);
    await expect(wallet.id('provider-attributes')).toContainText('capabilities/gpu/vendor/nvidia/model/rtx4090/ram/24Gi/interface/pcie = true');
    await expect(wallet.id('provider-plan')).toContainText(/Fee \(simulated\)\s*0\.\d+ AKT \(gas \d+\)/);
    expect(chain.chain.state.providers.has(address)).toBe(false);
    await wallet.id('provider-card').locator('details summary').click();
    await wallet.id('provider-card').screenshot({ path: path.join(SCREENSHOTS, 'wallet-provider-review.png') });
    await wallet.id('provider-sign').click();
    await expect(wallet.id('provider-result')).toHaveAttribute('data-state', 'succeeded');
    await expect(wallet.id('provider-hash')).toHaveText(/^[0-9A-F]{64}$/);
    expect(chain.chain.state.providers.get(address)?.hostUri).toBe('https://provider.rig.example.com:8443');
    await wallet.id('provider-result').getByRole('button', { name: 'Done' }).click();
    await expect(wallet.id('provider-registered')).toHaveText('registered');
    // The registered certificate's expiry, from provider.show (renewal is due only 30 days before it).
    await expect(wallet.id('provider-certificate')).toContainText(/valid until \d{4}-\d{2}-\d{2}; it is renewed 30 days before/);
    await expect(wallet.id('provider-certificate')).toHaveAttribute('data-renew-due', 'false');

    // Reveal: refused with a wrong passphrase, shown with the right one, hidden again.
    await wallet.id('reveal-passphrase').fill('not the passphrase');
    await wallet.id('reveal-submit').click();
    await expect(wallet.id('reveal-card').getByTestId('error-view')).toContainText('Wrong passphrase');
    await wallet.id('reveal-passphrase').fill(PASSPHRASE);
    await wallet.id('reveal-submit').click();
    expect(await wallet.shownWords('revealed-words')).toEqual(words);
    await wallet.id('reveal-hide').click();
    await expect(wallet.id('revealed-words')).toHaveCount(0);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(SCREENSHOTS, 'wallet.png'), fullPage: true });
    expect(shell.problems, 'no CSP refusals or page errors').toEqual([]);
  });

  test('import, then leases with escrow, earnings per day/week/month/lifetime, paging, withdraw', async ({ rig, shell, page, chain }) => {
    const wallet = new WalletScreen(page);
    const leases = new LeasesScreen(page);
    await shell.signIn(rig.loginUrl);
    await wallet.open();
    await wallet.id('import-wallet-button').click();
    const phrase = generateMnemonic();
    const w = phrase.split(' ');
    await wallet.id('import-phrase').fill([w[1], w[0], ...w.slice(2)].join(' '));
    await wallet.id('import-submit').click();
    await expect(wallet.id('import-wallet').getByTestId('error-view')).toContainText(/checksum|does not add up/);
    await expect(wallet.id('import-phrase')).toHaveValue('');
    await wallet.id('import-phrase').fill(phrase);
    await wallet.id('import-submit').click();
    const address = (await wallet.id('wallet-address').getAttribute('data-address')) ?? '';
    expect(address).toMatch(/^akash1/);

    chain.chain.fund(address, 'uakt', 10_000_000n);
    const h = chain.chain.state.height;
    chain.chain.seed({
      leases: [
        ...Array.from({ length: 60 }, (_, i) => ({ owner: TENANT, dseq: 100 + i, provider: address, pricePerBlock: '2.5', createdAt: h })),
        { owner: TENANT, dseq: 999, provider: address, pricePerBlock: '7', createdAt: h, state: 'closed' as const, withdrawn: '1234' },
      ],
      groups: [{ owner: TENANT, dseq: 100, resources: [{ cpuMilli: 8000, memoryBytes: 32 * 2 ** 30, gpuUnits: 1, gpuAttributes: [{ key: 'vendor/nvidia/model/rtx4090/ram/24Gi', value: 'true' }] }] }],
    });
    chain.chain.advance(30);

    await leases.open();
    // Accrued: 60 leases × 2.5 uakt × the 30 blocks since they began (the closed one closed where it began).
    const blocks = chain.chain.state.height - h;
    await expect(leases.id('earn-month')).toContainText(akt(BigInt(60 * 2.5 * blocks)));
    await expect(leases.id('earn-earned')).toContainText(akt(BigInt(60 * 2.5 * blocks)));
    await expect(leases.id('earn-withdrawn')).toContainText(akt(1234n));
    await expect(leases.id('earn-withdrawn').locator('[data-amount]')).toHaveAttribute('title', exactAkt(1234n));
    // Pending: what a withdrawal in the next block pays, 2.5 × (blocks + 1) a lease, truncated by the escrow keeper.
    await expect(leases.id('earn-pending')).toContainText(akt(BigInt(60 * Math.floor(2.5 * (blocks + 1)))));
    await expect(leases.id('earn-day')).toBeVisible();
    await expect(leases.id('earn-week')).toBeVisible();
    await expect(leases.id('lease-row')).toHaveCount(25);
    await expect(leases.id('lease-row').filter({ hasText: '100 / 1 / 1' }).getByTestId('lease-resources')).toHaveText('1 × GPU (rtx4090 24Gi) · 8 CPU · 32 GiB RAM');
    await expect(leases.id('leases-card')).toContainText('Leases (60)');
    await expect(leases.id('lease-range')).toHaveText('1–25');
    await leases.id('lease-next').click();
    await expect(leases.id('lease-range')).toHaveText('26–50');
    await leases.id('lease-next').click();
    await expect(leases.id('lease-row')).toHaveCount(10);
    await leases.id('lease-state').selectOption('closed');
    await expect(leases.id('lease-row')).toHaveCount(1);
    await expect(leases.id('lease-row')).toContainText('999 / 1 / 1');
    await leases.id('lease-state').selectOption('active');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'leases.png'), fullPage: true });

    const before = chain.chain.acceptedTxs;
    await leases.id('withdraw-button').click();
    await expect(leases.id('withdraw-result')).toHaveText('Withdrew from 60 leases in 2 transactions.');
    expect(chain.chain.acceptedTxs).toBe(before + 2);
    await expect(leases.id('earn-withdrawn').locator('[data-amount]')).not.toHaveAttribute('title', exactAkt(1234n));
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(SCREENSHOTS, 'leases-withdrawn.png'), fullPage: true });
    expect(shell.problems, 'no CSP refusals or page errors').toEqual([]);
  });
});

test.describe('Wallet with the chain unreachable', () => {
  test.use({ serverEnv: { RIGLEASE_CHAIN_RPC: 'http://127.0.0.1:9', RIGLEASE_CHAIN_ID: CHAIN_ID, RIGLEASE_PASSPHRASE: PASSPHRASE } });

  test('still shows the address and QR, and says why the balance is missing', async ({ rig, shell, page }) => {
    const wallet = new WalletScreen(page);
    await shell.signIn(rig.loginUrl);
    await wallet.open();
    await wallet.id('import-wallet-button').click();
    await wallet.id('import-phrase').fill(generateMnemonic());
    await wallet.id('import-submit').click();
    await expect(wallet.id('receive-qr')).toBeVisible();
    await expect(wallet.id('balance-card').getByTestId('error-view')).toContainText('could not be reached');
    await expect(wallet.id('balance-card').getByTestId('error-view')).toContainText('add a working RPC node');
    await expect(wallet.id('rpc-list')).toContainText('http://127.0.0.1:9');
    await expect(wallet.id('rpc-list')).toContainText('failed');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'wallet-offline.png'), fullPage: true });
    expect(shell.problems, 'no CSP refusals or page errors').toEqual([]);
  });
});
