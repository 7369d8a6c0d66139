import { describe, expect, it } from 'vitest';
import { addressRange, inCidr } from './address-range.js';
import { classifyNetwork } from './classify.js';

const facts = (local: string | null, wan: string | null, pub: string | null, extra: string[] = []) => ({
  local: { address: local, range: addressRange(local, extra) },
  router: { wanAddress: wan, range: addressRange(wan, extra) },
  publicAddress: pub,
});

describe('classifyNetwork: from three addresses to direct / NAT / double NAT / CGNAT / unknown', () => {
  it.each([
    ['this computer holds the public address', facts('203.0.113.10', null, '203.0.113.10'), 'direct', 'direct'],
    ['one router, its WAN is the public address', facts('192.168.1.20', '203.0.113.7', '203.0.113.7'), 'nat', 'port_forwarding'],
    ['the router WAN is RFC 1918', facts('192.168.1.20', '10.0.0.2', '203.0.113.7'), 'double_nat', 'relay'],
    ['the router WAN is in 100.64.0.0/10 (RFC 6598)', facts('192.168.1.20', '100.72.3.4', '203.0.113.7'), 'cgnat', 'relay'],
    ['the router WAN is in 100.64.0.0/10 even when the public address is not read', facts('192.168.1.20', '100.127.255.254', null), 'cgnat', 'relay'],
    ['this computer itself has a 100.64/10 address (a hotspot, no router)', facts('100.64.0.9', null, '203.0.113.7'), 'cgnat', 'relay'],
    ['a public-looking WAN that is not what the internet sees', facts('192.168.1.20', '198.51.100.66', '203.0.113.7'), 'cgnat', 'relay'],
    ['no router answer: not guessed', facts('192.168.1.20', null, '203.0.113.7'), 'unknown', 'unknown'],
    ['no public address: not guessed', facts('192.168.1.20', '203.0.113.7', null), 'unknown', 'unknown'],
    ['no local address', facts(null, null, null), 'unknown', 'unknown'],
  ])('%s', (_name, f, kind, path) => {
    const v = classifyNetwork(f);
    expect([v.kind, v.path]).toEqual([kind, path]);
    expect(v.headline.length).toBeGreaterThan(10);
  });

  it('100.64.0.0/10 ends at 100.127.255.255; 100.128.0.1 is public', () => {
    expect(addressRange('100.64.0.0')).toBe('cgnat');
    expect(addressRange('100.127.255.255')).toBe('cgnat');
    expect(addressRange('100.63.255.255')).toBe('public');
    expect(addressRange('100.128.0.1')).toBe('public');
  });

  it('extra private ranges (the namespace tests\u2019 documentation LAN) read as private', () => {
    expect(addressRange('192.0.2.66', ['192.0.2.0/24'])).toBe('private');
    expect(addressRange('192.0.2.66')).toBe('public');
    expect(inCidr('192.0.2.130', '192.0.2.128/26')).toBe(true);
    expect(inCidr('192.0.2.200', '192.0.2.128/26')).toBe(false);
  });

  it('the CGNAT sentence is the plain one the wizard shows', () => {
    expect(classifyNetwork(facts('192.168.1.20', '100.72.3.4', '203.0.113.7')).headline).toBe(
      'Your internet provider shares one public address among many homes (carrier-grade NAT), so no port can be opened to this PC.',
    );
  });
});
