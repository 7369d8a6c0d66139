import { expect, type Locator, type Page } from '@playwright/test';

/** The Wallet and Leases screens, by the test ids they expose. */
export class WalletScreen {
  readonly root: Locator;
  constructor(readonly page: Page) {
    this.root = page.getByTestId('wallet-page');
  }
  async open(): Promise<void> {
    await this.page.getByTestId('nav-wallet').click();
    await this.root.waitFor();
  }
  id(testId: string): Locator {
    return this.page.getByTestId(testId);
  }
  /** The 24 words as shown (the page is the only place a person sees them). */
  async shownWords(testId = 'mnemonic-words'): Promise<string[]> {
    await expect(this.id(testId).locator('li')).toHaveCount(24);
    return (await this.id(testId).locator('li .mono').allTextContents()).map((w) => w.trim());
  }
  /** Positions the confirmation asks for, read from the inputs' test ids. */
  async askedPositions(): Promise<number[]> {
    await expect(this.page.locator('[data-testid^="confirm-word-"]')).toHaveCount(3);
    const ids = await this.page.locator('[data-testid^="confirm-word-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid') ?? ''));
    return ids.map((id) => Number(id.replace('confirm-word-', '')));
  }
}

export class LeasesScreen {
  readonly root: Locator;
  constructor(readonly page: Page) {
    this.root = page.getByTestId('leases-page');
  }
  async open(): Promise<void> {
    await this.page.getByTestId('nav-leases').click();
    await this.root.waitFor();
  }
  id(testId: string): Locator {
    return this.page.getByTestId(testId);
  }
}
