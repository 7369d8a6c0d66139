import type { Locator, Page } from '@playwright/test';

/** The Readiness screen (`#/readiness`), by what a person sees on it. */
export class ReadinessPage {
  readonly root: Locator;
  readonly verdict: Locator;
  readonly checks: Locator;
  readonly gpuCards: Locator;
  readonly liveCards: Locator;
  readonly scanning: Locator;
  readonly scanAgainButton: Locator;
  readonly scannedAt: Locator;
  readonly systemCard: Locator;
  readonly dockerCard: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('readiness-page');
    this.verdict = page.getByTestId('verdict');
    this.checks = page.getByTestId('check');
    this.gpuCards = page.getByTestId('gpu-card');
    this.liveCards = page.getByTestId('gpu-live-card');
    this.scanning = page.getByTestId('scanning');
    this.scanAgainButton = page.getByTestId('scan-again');
    this.scannedAt = page.getByTestId('scanned-at');
    this.systemCard = page.getByTestId('system-card');
    this.dockerCard = page.getByTestId('docker-card');
  }

  async goto(): Promise<void> {
    await this.page.goto('/#/readiness');
  }

  /** Waits until a scan has finished and its verdict is on screen. */
  async waitForReport(): Promise<void> {
    await this.verdict.waitFor({ state: 'visible', timeout: 30_000 });
  }

  gpuCard(index: number): { root: Locator; name: Locator; vram: Locator; vramMiB: Locator; field: (label: string) => Locator; processes: Locator } {
    const root = this.page.locator(`[data-testid="gpu-card"][data-gpu-index="${index}"]`);
    return {
      root,
      name: root.getByTestId('gpu-name'),
      vram: root.getByTestId('gpu-vram'),
      vramMiB: root.getByTestId('gpu-vram-mib'),
      field: (label) => root.locator(`td[data-field="${label}"]`),
      processes: root.getByTestId('gpu-processes').locator('tbody tr'),
    };
  }

  liveCard(index: number): { root: Locator; utilization: Locator; temperature: Locator; power: Locator; memory: Locator; updated: Locator } {
    const root = this.page.locator(`[data-testid="gpu-live-card"][data-gpu-index="${index}"]`);
    return {
      root,
      utilization: root.getByTestId('live-utilization'),
      temperature: root.getByTestId('live-temperature'),
      power: root.getByTestId('live-power'),
      memory: root.getByTestId('live-memory'),
      updated: root.getByTestId('telemetry-updated'),
    };
  }

  /** How many telemetry samples the live card has drawn so far. */
  async liveSampleCount(index: number): Promise<number> {
    return Number(await this.liveCard(index).root.getAttribute('data-samples'));
  }

  async scanAgain(): Promise<void> {
    await this.scanAgainButton.click();
  }
}
