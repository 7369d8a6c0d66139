import type { Locator, Page } from '@playwright/test';

/** The Fleet screen: machines of the farm, Add a machine, Join a farm. */
export class FleetScreen {
  readonly root: Locator;
  readonly totals: Locator;
  readonly makeCode: Locator;
  readonly qr: Locator;
  readonly joinCode: Locator;
  readonly joinButton: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('fleet-page');
    this.totals = page.getByTestId('fleet-totals');
    this.makeCode = page.getByTestId('fleet-make-code');
    this.qr = page.getByTestId('join-qr');
    this.joinCode = page.getByTestId('fleet-join-code');
    this.joinButton = page.getByTestId('fleet-join-button');
  }

  async goto(): Promise<void> {
    await this.page.getByTestId('nav-fleet').click();
    await this.root.waitFor();
  }

  machine(hostname: string): Locator {
    return this.page.getByTestId(`fleet-machine-${hostname}`);
  }

  /** The join code as shown (the copyable block next to the QR). */
  async shownCode(): Promise<string> {
    return (await this.page.getByTestId('fleet-add').locator('.copy-code code').first().innerText()).trim();
  }
}
