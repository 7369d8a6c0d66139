import { describe, expect, it } from 'vitest';
import { Settings } from '../settings.js';

const egress = (list: unknown) => Settings.safeParse({ stack: { allowPrivateEgress: list } });

describe('stack.allowPrivateEgress: an exception to the tenants\' fence, never its removal', () => {
  it('refuses ranges that would open a whole network, with the reason', () => {
    for (const wide of ['0.0.0.0/0', '192.168.0.0/16', '10.0.0.0/8', '172.16.0.0/12']) {
      const r = egress([wide]);
      expect(r.success, wide).toBe(false);
      expect(JSON.stringify(r.error?.issues), wide).toMatch(/whole network|switches the fence off/);
    }
  });

  it('refuses what is not an IPv4 range at all', () => {
    for (const bad of ['0.0.0.0/999', '192.168.1.10', '192.168.1.300/32', '::/0', 'fc00::/7', '192.168.01.1/32', '1.2.3/24']) {
      expect(egress([bad]).success, bad).toBe(false);
    }
  });

  it('refuses host bits and names the range that holds the address', () => {
    const r = egress(['192.168.1.10/24']);
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toContain('192.168.1.0/24');
  });

  it('accepts single machines and small ranges', () => {
    expect(egress(['192.168.1.10/32', '10.1.2.0/24', '172.20.0.0/17']).success).toBe(true);
  });
});
