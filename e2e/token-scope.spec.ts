import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from './fixtures.js';

/**
 * Another service on this machine's loopback (a tenant's ingress forwarded to the host, any
 * other local server) must receive nothing of the UI's session: browsers send a cookie to every
 * port of a host, so the session is no cookie at all.
 */
test.describe('The access token stays with the RigLease page', () => {
  test('after the UI has loaded, another port on 127.0.0.1 receives no cookie and no authorization', async ({ rig, shell, page }) => {
    const seen: { url: string; cookie?: string | undefined; authorization?: string | undefined; }[] = [];
    const other = http.createServer((req, res) => {
      seen.push({ url: req.url ?? '', cookie: req.headers.cookie, authorization: req.headers.authorization });
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>tenant</title><p>tenant service</p>');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', () => resolve()));
    const otherPort = (other.address() as AddressInfo).port;
    try {
      await shell.signIn(rig.loginUrl);
      // Signed in: the agent answered, the event socket is open, and the token left the address bar.
      await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/#\/onboarding$/);
      await expect(page.getByTestId('agent-link')).toContainText('Live');
      expect(await page.evaluate(() => document.cookie)).toBe('');
      expect((await page.context().cookies()).map((c) => c.name)).toEqual([]);

      // A top-level visit is what a cookie would ride on (SameSite does not stop it from the address bar).
      for (const host of ['127.0.0.1', 'localhost']) {
        await page.goto(`http://${host}:${otherPort}/visit-${host}`);
        await expect(page.locator('p')).toHaveText('tenant service');
      }
      // A page on that port asking its own server, credentials included: still nothing of ours.
      await page.evaluate(async () => {
        await fetch('/from-tenant', { credentials: 'include' });
      });
      expect(seen.map((r) => r.url).filter((u) => u !== '/favicon.ico')).toEqual(['/visit-127.0.0.1', '/visit-localhost', '/from-tenant']);
      for (const r of seen) {
        expect(r.cookie, r.url).toBeUndefined();
        expect(r.authorization, r.url).toBeUndefined();
      }

      // Back on RigLease in the same tab, the session is still there without any cookie.
      await page.goto(`${rig.origin}/#/readiness`);
      await expect(page.getByTestId('readiness-page')).toBeVisible();
      await expect(page.getByTestId('refused')).toHaveCount(0);
      await expect(page.getByTestId('agent-link')).toContainText('Live');
      expect(shell.problems).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => other.close(() => resolve()));
    }
  });
});
