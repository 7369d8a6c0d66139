import path from 'node:path';
import { repoRoot } from './capture.js';
import { chainTest, TENANT } from './chain-fixture.js';
import { expect } from './fixtures.js';
import { DashboardPage } from './pages/dashboard.page.js';
import { LeasesScreen, WalletScreen } from './pages/wallet.page.js';
import { generateMnemonic } from '../src/provider/chain/mnemonic.js';

const SCREENSHOTS = path.join(repoRoot, 'test-results', 'screenshots');

const test = chainTest('e2e reclaim passphrase');

test.describe('AEP-82 on the Leases screen', () => {
  test('Take GPU back (notice): preview, confirm, deadline countdown, dashboard, End lease after the deadline; no window says why', async ({ rig, shell, page, chain }) => {
    const wallet = new WalletScreen(page);
    const leases = new LeasesScreen(page);
    await shell.signIn(rig.loginUrl);
    await wallet.open();
    await wallet.id('import-wallet-button').click();
    await wallet.id('import-phrase').fill(generateMnemonic());
    await wallet.id('import-submit').click();
    const address = (await wallet.id('wallet-address').getAttribute('data-address')) ?? '';
    expect(address).toMatch(/^akash1/);
    chain.chain.fund(address, 'uakt', 10_000_000n);
    const h = chain.chain.state.height;
    chain.chain.seed({
      leases: [
        { owner: TENANT, dseq: 300, provider: address, pricePerBlock: '4', createdAt: h, reclamationWindowSeconds: 24 * 3600 },
        { owner: TENANT, dseq: 301, provider: address, pricePerBlock: '4', createdAt: h },
      ],
    });
    chain.chain.advance(3);

    await leases.open();
    const withWindow = leases.id('lease-row').filter({ hasText: '300 / 1 / 1' });
    const noWindow = leases.id('lease-row').filter({ hasText: '301 / 1 / 1' });
    await expect(withWindow.getByTestId('notice-cell')).toContainText('Notice window 24 h');
    await noWindow.getByTestId('reclaim-unavailable').click();
    await expect(leases.id('reclaim-why')).toContainText('bid without a notice window');
    await expect(leases.id('notice-window-setting')).toContainText('promise to every tenant');
    // The window for new bids: bounds refused in words, a valid one saved (the chart gets "24h" at the next stack update).
    await leases.id('notice-window-input').fill('721');
    await leases.id('notice-window-save').click();
    await expect(leases.id('notice-window-error')).toContainText('at most 720 hours');
    await leases.id('notice-window-input').fill('24');
    await leases.id('notice-window-save').click();
    await expect(leases.id('notice-window-saved')).toBeVisible();
    await wallet.open();
    await leases.open();
    await expect(leases.id('notice-window-input')).toHaveValue('24'); // read back from the agent's settings

    await withWindow.getByTestId('reclaim-start').click();
    const preview = leases.id('reclaim-preview');
    await expect(preview).toContainText('keeps running and paying for the whole notice window of 1 d');
    await expect(preview.getByTestId('reclaim-estimated-deadline')).toBeVisible();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'reclaim-preview.png'), fullPage: true });
    // Nothing is sent by the preview.
    expect([...chain.chain.state.leases.values()].map((l) => l.state)).toEqual(['active', 'active']);
    await preview.getByTestId('reclaim-confirm').click();

    await expect(withWindow.getByTestId('notice-countdown')).toContainText(/in 2[34] h/);
    const lease = [...chain.chain.state.leases.values()].find((l) => l.dseq === 300n)!;
    expect(lease.state).toBe('reclaiming');
    await expect(withWindow.getByTestId('notice-deadline')).toContainText(new Date(Number(lease.reclamation!.deadline) * 1000).toLocaleString('en-US').split(',')[0]!.trim());
    await page.screenshot({ path: path.join(SCREENSHOTS, 'reclaim-notice-given.png'), fullPage: true });

    await page.getByTestId('nav-dashboard').click();
    const dash = new DashboardPage(page);
    await dash.waitForSummary();
    await expect(page.getByTestId('dash-lease-notice')).toContainText('Notice given');
    await expect(page.getByTestId('dash-lease-notice').getByTestId('notice-countdown')).toContainText(/in 2[34] h/);

    // A day passes: the chain's block time (the test node's clock) and the browser's clock both pass the deadline.
    const deadline = Number(lease.reclamation!.deadline);
    const last = chain.chain.state.blocks.at(-1)!.time.getTime();
    chain.chain.advance(1, { blockSeconds: deadline - Math.floor(last / 1000) + 1 });
    await page.clock.setFixedTime(new Date((deadline + 5) * 1000));
    await leases.open();
    await expect(withWindow.getByTestId('notice-countdown')).toContainText('The notice has run out');
    await withWindow.getByTestId('reclaim-close').click();
    await expect(leases.id('reclaim-close-detail')).toContainText('Its notice has run out');
    await leases.id('reclaim-close-confirm').click();
    await expect(leases.id('lease-row').filter({ hasText: '300 / 1 / 1' })).toHaveCount(0); // gone from the Active list
    expect([...chain.chain.state.leases.values()].find((l) => l.dseq === 300n)?.state).toBe('closed');
    await leases.id('lease-state').selectOption('closed');
    await expect(leases.id('lease-row').filter({ hasText: '300 / 1 / 1' })).toContainText('closed');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'reclaim-closed.png'), fullPage: true });
  });
});
