import type { Locator, Page } from '@playwright/test';

/** The Diagnostics screen (`#/diagnostics`), by what a person sees on it. */
export class DiagnosticsScreen {
  readonly root: Locator;
  readonly checksCard: Locator;
  readonly checks: Locator;
  readonly overall: Locator;
  readonly checkAgain: Locator;
  readonly exportButton: Locator;
  readonly exportResult: Locator;
  readonly exportLeftOut: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('diagnostics-page');
    this.checksCard = page.getByTestId('diagnostic-checks');
    this.checks = page.getByTestId('diagnostic-check');
    this.overall = page.getByTestId('diagnostics-overall');
    this.checkAgain = page.getByTestId('check-again');
    this.exportButton = page.getByTestId('export-diagnostics');
    this.exportResult = page.getByTestId('export-result');
    this.exportLeftOut = page.getByTestId('export-left-out');
  }

  check(id: string): Locator {
    return this.page.locator(`[data-testid="diagnostic-check"][data-check-id="${id}"]`);
  }

  /** The path the export card shows (the copyable code). */
  async exportedPath(): Promise<string> {
    return (await this.exportResult.locator('code').innerText()).trim();
  }
}
