import path from 'node:path';
import { repoRoot } from './capture.js';
import { expect, test as base } from './fixtures.js';
import { OnboardingScreen } from './pages/onboarding.page.js';
import { startTestChainNode } from '../src/simulation/chain-node/server.js';
import { marketFixture, startMarketApi } from '../src/simulation/market-api/server.js';
import { testDockerEngine } from '../test/docker/engine.js';
import { generateMnemonic, addressOf } from '../src/provider/chain/mnemonic.js';

/**
 * The wizard's price step: beside this rig's price, whether it is likely to win (from the
 * market's bids), and a plain "can't tell" when the market has no data for the model; read at a
 * desktop width (1280 px) and a phone width (390 px).
 */
const CHAIN_ID = 'riglease-testnode-1';
const shot = (name: string) => path.join(repoRoot, 'test-results', 'screenshots', `price-step-${name}.png`);
const KEY = 'rtx4090.24Gi.pcie';
const engine = await testDockerEngine();
const market = await startMarketApi();
const withData = marketFixture('test-data-gpu-prices') as { models: Array<{ model: string }> };
type Node = Awaited<ReturnType<typeof startTestChainNode>>;
const test = base.extend<{ chain: Node }>({
  chain: async ({}, use) => {
    const node = await startTestChainNode({ chainId: CHAIN_ID });
    try {
      await use(node);
    } finally {
      await node.stop();
    }
  },
  serverEnv: async ({ chain }, use) => {
    await use({ RIGLEASE_CHAIN_RPC: chain.url, RIGLEASE_CHAIN_ID: CHAIN_ID, RIGLEASE_PASSPHRASE: 'e2e price step', RIGLEASE_MARKET_URL: market.url });
  },
});

test.afterAll(async () => {
  await market.close();
});

test.describe("Onboarding's price step says whether the price wins", () => {
  test.skip(!engine.ok, engine.ok ? '' : `no test Docker engine: ${engine.reason}`);
  test.setTimeout(120_000);

  test('likely to win at the market median; no market data for the model says so; readable at 1280 and 390 px', async ({ rig, shell, page, chain }) => {
    market.gpuPrices = withData;
    await shell.signIn(rig.loginUrl);
    const w = new OnboardingScreen(page);
    await w.goto();
    // To the price step: accept what blocks on this engine, then a funded wallet.
    await expect(w.current).toHaveAttribute('data-step', 'fixes', { timeout: 30_000 });
    await w.id('continue-anyway').click();
    await expect(w.current).toHaveAttribute('data-step', 'wallet');
    const mnemonic = generateMnemonic();
    await w.id('import-wallet-button').click();
    await w.id('import-phrase').fill(mnemonic);
    await w.id('import-submit').click();
    await expect(w.id('shortfall')).toBeVisible();
    chain.chain.fund(await addressOf(mnemonic), 'uakt', 5_000_000n);
    await w.checkAgain.click();
    await expect(w.current).toHaveAttribute('data-step', 'pricing');

    // The market fetched: the 4090 asks the median ($0.37/h) and is likely to win.
    await page.getByTestId('market-refresh').click();
    const label = page.getByTestId(`gpu-win-${KEY}`);
    await expect(label).toHaveAttribute('data-verdict', 'likely');
    await expect(label).toContainText('Likely to win');
    await expect(label).toContainText('at or below the market median ($0.37/h): cheaper than at least half of the providers bidding on RTX 4090 24Gi');
    await expect(page.getByTestId(`gpu-bid-${KEY}`)).toContainText('$0.370');
    await w.checkAgain.click();
    await expect(w.reason).toContainText('Likely to win: $0.37/h is at or below the market median');
    await expect(page.getByTestId('market-position')).toHaveValue('median');
    await label.scrollIntoViewIfNeeded();
    await page.screenshot({ path: shot('1280-likely') });
    // Asking above the median is the person's choice, and the label then says it is unlikely to win.
    await page.getByTestId('market-position').selectOption('above-median');
    await page.getByTestId('apply-prices').click();
    await expect(page.getByTestId(`gpu-bid-${KEY}`)).toContainText('$0.555');
    await expect(label).toHaveAttribute('data-verdict', 'unlikely');
    await expect(label).toContainText('Unlikely to win');
    await page.getByTestId('market-position').selectOption('median');
    await page.getByTestId('apply-prices').click();
    await expect(label).toHaveAttribute('data-verdict', 'likely');

    // At 390 px the label and its reason still show, and nothing scrolls sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    await label.scrollIntoViewIfNeeded();
    await expect(label.getByText('Likely to win')).toBeVisible();
    expect(await shell.hasHorizontalScroll()).toBe(false);
    await page.screenshot({ path: shot('390-likely') });

    // The market stops listing the 4090: the step says it cannot tell instead of guessing.
    market.gpuPrices = { ...withData, models: withData.models.filter((m) => m.model !== 'rtx4090') };
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByTestId('market-refresh').click();
    await expect(label).toHaveAttribute('data-verdict', 'unknown');
    await expect(label).toContainText("Can't tell");
    await expect(label).toContainText("No market data for RTX 4090 24Gi: we can't tell if this price wins.");
    await page.setViewportSize({ width: 390, height: 844 });
    await label.scrollIntoViewIfNeeded();
    await expect(label.getByText("No market data for RTX 4090 24Gi")).toBeVisible();
    await page.screenshot({ path: shot('390-no-data') });
    expect(await shell.hasHorizontalScroll()).toBe(false);
    expect(shell.problems).toEqual([]);
  });
});
