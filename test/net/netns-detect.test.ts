import { afterEach, expect, it } from 'vitest';
import type { NetworkReport } from '../../src/api/schemas/network.js';
import { describeNetns, NetnsLab } from './netns.js';

/**
 * Network detection inside real network namespaces: a "home" namespace behind one or two NAT
 * routers (iptables MASQUERADE) and a "public" namespace holding the outside probe on
 * 198.51.100.10. Addresses come only from the RFC 5737 documentation ranges and 100.64.0.0/10;
 * the public namespace has no default route and no namespace links to the host, so nothing
 * leaves. 192.0.2.0/24 plays the private home LAN (detection is told to read it as RFC 1918).
 */
const PROBE = '198.51.100.10';
const PROBE_URL = `http://${PROBE}:8485/probe`;

describeNetns('network detection in namespaces (home → NAT routers → public)', () => {
  let lab: NetnsLab;
  afterEach(async () => {
    await lab.teardown();
  });

  async function build(nodes: string[], links: [string, string][]): Promise<void> {
    lab = new NetnsLab();
    await lab.chain(nodes, links);
    const pub = nodes[nodes.length - 1]!;
    await lab.exec(pub, ['ip', 'addr', 'add', `${PROBE}/32`, 'dev', 'lo']);
    await lab.start(pub, { role: 'probe', host: PROBE, port: 8485 });
  }

  const detect = () => lab.runJob<NetworkReport & { ms: number }>('home', { role: 'detect', portProbeUrl: PROBE_URL, extraPrivate: ['192.0.2.0/24'] });

  it('direct: home holds the public address itself', async () => {
    await build(['home', 'pub'], [['203.0.113.10/24', '203.0.113.1/24']]);
    const r = await detect();
    expect(r).toMatchObject({ kind: 'direct', path: 'direct', local: { address: '203.0.113.10' }, public: { address: '203.0.113.10', via: 'probe' }, router: { wanAddress: null } });
    expect(r.headline).toBe('This computer has the public address 203.0.113.10 itself.');
    expect(r.unread).toEqual([]);
    console.log(`direct: detect ${r.ms} ms`);
  });

  it('NAT: one router whose outside address is the public one; it says so over NAT-PMP', async () => {
    await build(['home', 'rtr', 'pub'], [['192.0.2.10/26', '192.0.2.1/26'], ['203.0.113.20/24', '203.0.113.1/24']]);
    await lab.start('rtr', { role: 'router', lan: '192.0.2.1', wan: '203.0.113.20', natPmp: true, upnp: true });
    const r = await detect();
    expect(r).toMatchObject({ kind: 'nat', path: 'port_forwarding', local: { address: '192.0.2.10', range: 'private' }, router: { gateway: '192.0.2.1', wanAddress: '203.0.113.20', via: 'nat-pmp' }, public: { address: '203.0.113.20' } });
    expect(r.headline).toContain('ports can be forwarded');
    console.log(`nat (NAT-PMP): detect ${r.ms} ms`);
  });

  it('NAT: a router with UPnP only is asked GetExternalIPAddress after SSDP multicast discovery', async () => {
    await build(['home', 'rtr', 'pub'], [['192.0.2.10/26', '192.0.2.1/26'], ['203.0.113.20/24', '203.0.113.1/24']]);
    await lab.start('rtr', { role: 'router', lan: '192.0.2.1', wan: '203.0.113.20', natPmp: false, upnp: true });
    const r = await detect();
    expect(r).toMatchObject({ kind: 'nat', router: { wanAddress: '203.0.113.20', via: 'upnp' }, public: { address: '203.0.113.20' } });
    console.log(`nat (UPnP): detect ${r.ms} ms`);
  });

  it('double NAT: the home router\u2019s outside address is private; a second router translates to the public one', async () => {
    await build(['home', 'rtr', 'modem', 'pub'], [['192.0.2.10/26', '192.0.2.1/26'], ['192.0.2.66/26', '192.0.2.65/26'], ['203.0.113.30/24', '203.0.113.1/24']]);
    await lab.start('rtr', { role: 'router', lan: '192.0.2.1', wan: '192.0.2.66', natPmp: true, upnp: true });
    const r = await detect();
    expect(r).toMatchObject({ kind: 'double_nat', path: 'relay', router: { wanAddress: '192.0.2.66', range: 'private' }, public: { address: '203.0.113.30' } });
    expect(r.explanation.join(' ')).toContain('bridge mode');
    console.log(`double nat: detect ${r.ms} ms`);
  });

  it('CGNAT: the router\u2019s outside address is in 100.64.0.0/10 and the provider\u2019s NAT shows another', async () => {
    await build(['home', 'rtr', 'isp', 'pub'], [['192.0.2.10/26', '192.0.2.1/26'], ['100.64.0.2/24', '100.64.0.1/24'], ['203.0.113.40/24', '203.0.113.1/24']]);
    await lab.start('rtr', { role: 'router', lan: '192.0.2.1', wan: '100.64.0.2', natPmp: true, upnp: true });
    const r = await detect();
    expect(r).toMatchObject({ kind: 'cgnat', path: 'relay', router: { wanAddress: '100.64.0.2', range: 'cgnat' }, public: { address: '203.0.113.40' } });
    expect(r.headline).toBe('Your internet provider shares one public address among many homes (carrier-grade NAT), so no port can be opened to this PC.');
    console.log(`cgnat (100.64/10): detect ${r.ms} ms`);
  });

  it('CGNAT: a public-looking router address that is not what the internet sees', async () => {
    await build(['home', 'rtr', 'isp', 'pub'], [['192.0.2.10/26', '192.0.2.1/26'], ['198.51.100.66/26', '198.51.100.65/26'], ['203.0.113.50/24', '203.0.113.1/24']]);
    await lab.start('rtr', { role: 'router', lan: '192.0.2.1', wan: '198.51.100.66', natPmp: true, upnp: false });
    const r = await detect();
    expect(r).toMatchObject({ kind: 'cgnat', router: { wanAddress: '198.51.100.66', range: 'public' }, public: { address: '203.0.113.50' } });
    expect(r.explanation[0]).toContain('the internet sees 203.0.113.50');
    console.log(`cgnat (WAN ≠ public): detect ${r.ms} ms`);
  });

  it('unknown: a router that answers neither NAT-PMP nor UPnP; says what could not be read', async () => {
    await build(['home', 'rtr', 'pub'], [['192.0.2.10/26', '192.0.2.1/26'], ['203.0.113.60/24', '203.0.113.1/24']]);
    const r = await detect();
    expect(r).toMatchObject({ kind: 'unknown', path: 'unknown', public: { address: '203.0.113.60' }, router: { wanAddress: null } });
    expect(r.unread.join(' ')).toMatch(/NAT-PMP: The router \(192\.0\.2\.1\) did not answer NAT-PMP/);
    expect(r.unread.join(' ')).toContain('UPnP: No router answered UPnP discovery');
    console.log(`unknown: detect ${r.ms} ms`);
  });
});
