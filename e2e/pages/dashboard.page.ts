import { expect, type Locator, type Page } from '@playwright/test';

/** The Dashboard screen (renderer/src/pages/dashboard-page.tsx). */
export class DashboardPage {
  readonly root: Locator;
  readonly status: Locator;
  readonly statusText: Locator;
  readonly gpuCards: Locator;
  readonly leaseRows: Locator;
  readonly chartCard: Locator;
  readonly chart: Locator;
  readonly alerts: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('dashboard-page');
    this.status = page.getByTestId('dash-status');
    this.statusText = page.getByTestId('dash-status-text');
    this.gpuCards = page.getByTestId('dash-gpus').getByTestId('gpu-live-card');
    this.leaseRows = page.getByTestId('dash-lease-row');
    this.chartCard = page.getByTestId('earnings-chart-card');
    this.chart = page.getByTestId('earnings-chart');
    this.alerts = page.getByTestId('dash-alerts');
  }

  async waitForSummary(): Promise<void> {
    await expect(this.status).toBeVisible({ timeout: 30_000 });
  }

  range(id: '24h' | '7d' | '30d'): Locator {
    return this.page.getByTestId(`range-${id}`);
  }

  total(which: 'gross' | 'power' | 'net' | 'akt'): Locator {
    return this.page.getByTestId(`total-${which}`).locator('strong');
  }

  /** The chart's gross bars as drawn (one rect per non-zero bar). */
  bars(): Locator {
    return this.chart.locator('.dash-gross rect');
  }
}
