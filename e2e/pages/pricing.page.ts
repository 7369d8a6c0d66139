import type { Locator, Page } from '@playwright/test';

/** The Pricing screen (`#/pricing`) and its availability control, by what a person sees. */
export class PricingScreen {
  readonly root: Locator;
  readonly marketAge: Locator;
  readonly refreshMarket: Locator;
  readonly apply: Locator;
  readonly applied: Locator;
  readonly issues: Locator;
  readonly proposed: Locator;
  readonly availabilityState: Locator;
  readonly availabilityReason: Locator;
  readonly quoteRun: Locator;
  readonly quotePrice: Locator;
  readonly quoteSteps: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('pricing-page');
    this.marketAge = page.getByTestId('market-age');
    this.refreshMarket = page.getByTestId('market-refresh');
    this.apply = page.getByTestId('apply-prices');
    this.applied = page.getByTestId('applied');
    this.issues = page.getByTestId('price-issues');
    this.proposed = page.getByTestId('earnings-proposed');
    this.availabilityState = page.getByTestId('availability-state');
    this.availabilityReason = page.getByTestId('availability-reason');
    this.quoteRun = page.getByTestId('quote-run');
    this.quotePrice = page.getByTestId('quote-price');
    this.quoteSteps = page.getByTestId('quote-steps');
  }

  async goto(origin: string): Promise<void> {
    await this.page.goto(`${origin}/#/pricing`);
    await this.root.waitFor();
    await this.page.getByTestId('gpu-prices').waitFor();
  }

  gpuPrice(key: string): Locator {
    return this.page.getByTestId(`gpu-price-${key}`);
  }

  /** The bid price alone ("$0.550"), without the "(market)" note or the win-chance label beside it. */
  gpuBid(key: string): Locator {
    return this.page.getByTestId(`gpu-bid-${key}`);
  }

  gpuMarket(key: string): Locator {
    return this.page.getByTestId(`gpu-market-${key}`);
  }

  button(id: string): Locator {
    return this.page.getByTestId(id);
  }
}
