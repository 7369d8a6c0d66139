import type { Locator, Page } from '@playwright/test';

/** The onboarding wizard (`#/onboarding`), by what a person sees on it. */
export class OnboardingScreen {
  readonly root: Locator;
  readonly current: Locator;
  readonly reason: Locator;
  readonly failed: Locator;
  readonly checkAgain: Locator;
  readonly progress: Locator;
  readonly liveLog: Locator;
  readonly finished: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('onboarding-page');
    this.current = page.getByTestId('current-step');
    this.reason = page.getByTestId('step-reason');
    this.failed = page.getByTestId('step-failed');
    this.checkAgain = page.getByTestId('check-again');
    this.progress = page.getByTestId('up-progress');
    this.liveLog = page.getByTestId('up-log');
    this.finished = page.getByTestId('onboarding-finished');
  }

  async goto(): Promise<void> {
    await this.page.getByTestId('nav-onboarding').click();
    await this.root.waitFor({ state: 'visible', timeout: 30_000 });
  }

  step(id: string): Locator {
    return this.page.getByTestId(`step-${id}`);
  }

  id(testId: string): Locator {
    return this.page.getByTestId(testId);
  }
}
