import type { Locator, Page } from '@playwright/test';

/** The Provider stack screen (`#/stack`), by what a person sees on it. */
export class StackScreen {
  readonly root: Locator;
  readonly overall: Locator;
  readonly startProviding: Locator;
  readonly progress: Locator;
  readonly progressBar: Locator;
  readonly liveLog: Locator;
  readonly components: Locator;
  readonly gpus: Locator;
  readonly confirm: Locator;
  readonly confirmText: Locator;
  readonly notice: Locator;
  readonly plan: Locator;
  readonly logs: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('stack-page');
    this.overall = page.getByTestId('stack-overall');
    this.startProviding = page.getByTestId('start-providing');
    this.progress = page.getByTestId('up-progress');
    this.progressBar = page.getByTestId('up-progressbar');
    this.liveLog = page.getByTestId('up-log');
    this.components = page.getByTestId('stack-component');
    this.gpus = page.getByTestId('stack-gpu');
    this.confirm = page.getByTestId('confirm');
    this.confirmText = page.getByTestId('confirm-text');
    this.notice = page.getByTestId('stack-notice');
    this.plan = page.getByTestId('stack-plan');
    this.logs = page.getByTestId('logs-lines');
  }

  /** Opens the screen from the nav, as a person would (the server URL has no fixed base). */
  async goto(): Promise<void> {
    await this.page.getByTestId('nav-stack').click();
    await this.overall.waitFor({ state: 'visible', timeout: 30_000 });
  }

  component(name: string): Locator {
    return this.page.locator(`[data-testid="stack-component"][data-component="${name}"]`);
  }

  action(name: 'start' | 'stop' | 'restart' | 'upgrade' | 'uninstall' | 'purge'): Locator {
    return this.page.getByTestId(`action-${name}`);
  }

  async confirmYes(): Promise<void> {
    await this.page.getByTestId('confirm-yes').click();
  }
}
