import type { Locator, Page } from '@playwright/test';

/**
 * The app shell around every screen: nav, status line, theme. It also records what the
 * browser complained about (CSP refusals, uncaught errors) so a spec can insist on none.
 */
export class ShellPage {
  readonly nav: Locator;
  readonly statusLine: Locator;
  readonly statusText: Locator;
  readonly themeSelect: Locator;
  readonly problems: string[] = [];

  constructor(readonly page: Page) {
    this.nav = page.getByRole('navigation', { name: 'Screens' });
    this.statusLine = page.getByTestId('status-line');
    this.statusText = page.getByTestId('status-text');
    this.themeSelect = page.getByTestId('theme-select');
    page.on('console', (msg) => {
      // Tests that run the stack create and delete Docker bridge networks on this same host;
      // Chromium treats each as a network change and aborts the requests in flight with
      // ERR_NETWORK_CHANGED. That is the test host, not the page; the UI's own recovery is still
      // asserted by each spec (what is on screen afterwards).
      if (/net::ERR_NETWORK_CHANGED/.test(msg.text())) return;
      if (msg.type() === 'error' || /Content Security Policy/i.test(msg.text())) this.problems.push(`console: ${msg.text()} (${msg.location().url})`);
    });
    page.on('pageerror', (err) => this.problems.push(`page error: ${err.message}`));
  }

  /** Opens the login URL: the server moves the token into the fragment, the page into this tab's storage. */
  async signIn(loginUrl: string): Promise<void> {
    const response = await this.page.goto(loginUrl);
    if (!response?.ok()) throw new Error(`Opening the login URL answered ${response?.status()}`);
  }

  navItem(id: string): Locator {
    return this.page.getByTestId(`nav-${id}`);
  }

  /**
   * Whether the page scrolls sideways once layout has settled. Charts (their
   * ResizeObserver) re-measure a few frames after a resize, so a reading taken at once can
   * see the old width: ask again for up to 2 s and report the last answer.
   */
  async hasHorizontalScroll(): Promise<boolean> {
    const overflows = () => this.page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
    const until = Date.now() + 2000;
    let wide = await overflows();
    while (wide && Date.now() < until) {
      await this.page.waitForTimeout(100);
      wide = await overflows();
    }
    return wide;
  }
}
