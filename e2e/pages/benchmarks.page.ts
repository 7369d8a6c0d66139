import type { Locator, Page } from '@playwright/test';

/** The Benchmarks screen (`#/benchmarks`), by what a person sees on it. */
export class BenchmarksScreen {
  readonly root: Locator;
  readonly kind: Locator;
  readonly runButton: Locator;
  readonly progress: Locator;
  readonly progressMessage: Locator;
  readonly log: Locator;
  readonly cancelButton: Locator;
  readonly rerun: Locator;
  readonly gflops: Locator;
  readonly reference: Locator;
  readonly gpuCard: Locator;
  readonly diskCard: Locator;
  readonly networkCard: Locator;
  readonly ports: Locator;
  readonly sectionErrors: Locator;
  readonly historyCount: Locator;
  readonly historyChart: Locator;
  readonly historyRows: Locator;
  readonly ladderButton: Locator;
  readonly ladder: Locator;
  readonly rungs: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('benchmarks-page');
    this.kind = page.getByTestId('bench-kind');
    this.runButton = page.getByTestId('bench-run');
    this.progress = page.getByTestId('bench-progress');
    this.progressMessage = page.getByTestId('bench-progress-message');
    this.log = page.getByTestId('bench-log');
    this.cancelButton = page.getByTestId('bench-cancel');
    this.rerun = page.getByTestId('bench-rerun');
    this.gflops = page.getByTestId('bench-gflops');
    this.reference = page.getByTestId('bench-reference');
    this.gpuCard = page.getByTestId('bench-gpu-card');
    this.diskCard = page.getByTestId('bench-disk-card');
    this.networkCard = page.getByTestId('bench-network-card');
    this.ports = page.getByTestId('bench-port');
    this.sectionErrors = page.getByTestId('bench-section-error');
    this.historyCount = page.getByTestId('bench-history-count');
    this.historyChart = page.getByTestId('bench-history-chart');
    this.historyRows = page.getByTestId('bench-history-row');
    this.ladderButton = page.getByTestId('ladder-check');
    this.ladder = page.getByTestId('ladder');
    this.rungs = page.getByTestId('ladder-rung');
  }

  async goto(): Promise<void> {
    // Through the nav, as a person would (the page is already signed in on the server's origin).
    await this.page.getByTestId('nav-benchmarks').click();
    await this.root.waitFor({ state: 'visible', timeout: 30_000 });
  }

  rung(id: string): Locator {
    return this.page.locator(`[data-testid="ladder-rung"][data-rung="${id}"]`);
  }

  async run(kind: string): Promise<void> {
    await this.kind.selectOption(kind);
    await this.runButton.click();
  }
}
