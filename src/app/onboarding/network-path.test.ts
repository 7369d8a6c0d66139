import { describe, expect, it } from 'vitest';
import { withNetworkPath } from './onboarding-checks.js';
import { done, failed, todo } from './step.js';

describe('the Network step names the relay when detection says forwarding cannot work', () => {
  const cgnat = { path: 'relay' as const, headline: 'Your internet provider shares one public address among many homes (carrier-grade NAT), so no port can be opened to this PC.' };

  it('CGNAT or double NAT: the reason starts with what was detected and points at riglease relay', () => {
    const r = withNetworkPath(failed('Ports 8443, 8444 are not reachable from the internet.'), cgnat);
    expect(r).toEqual({ state: 'failed', reason: expect.stringMatching(/^Your internet provider shares one public address among many homes \(carrier-grade NAT\), so no port can be opened to this PC\. Tenants can only reach this PC through the relay: set it up with `riglease relay`, then check again\. Ports 8443/) });
  });

  it('port forwarding, direct, no detection yet, or a passed check: unchanged', () => {
    const t = todo('Ports not tested.');
    expect(withNetworkPath(t, { path: 'port_forwarding', headline: 'x' })).toBe(t);
    expect(withNetworkPath(t, null)).toBe(t);
    expect(withNetworkPath(done(), cgnat)).toEqual(done());
  });
});
