import { afterEach, expect, it } from 'vitest';
import type { DnsStatus, Reachability } from '../../src/api/schemas/network.js';
import { describeNetns, NetnsLab } from './netns.js';

/**
 * Dynamic DNS end to end inside namespaces: the home computer sits behind a NAT router; on the
 * public side one namespace holds the outside probe (198.51.100.10:8485, whose /whoami gives
 * the public address) and the DNS host (198.51.100.53: the Cloudflare API stand-in on :8080 and
 * the zone's authoritative nameserver on :53, sharing one record set). The records are written
 * through the API from inside the home and verified by resolving at 198.51.100.53 across the NAT.
 * Then the router's outside address changes (the ISP hands out a new one) and the next sync
 * moves provider.<domain> only; the wildcard CNAME follows.
 */
const TOKEN = 'netns-test-token-0123456789abcdef';
const env = { RIGLEASE_TEST_CF_TOKEN: TOKEN };

describeNetns('dynamic DNS across a NAT router (Cloudflare and DNS stand-ins on the public side)', () => {
  let lab: NetnsLab;
  afterEach(async () => {
    await lab.teardown();
  });

  it('creates provider.example.com and *.ingress.example.com on the public address, and follows a new address', async () => {
    lab = new NetnsLab();
    const ifaces = await lab.chain(['home', 'rtr', 'pub'], [['192.0.2.10/26', '192.0.2.1/26'], ['203.0.113.20/24', '203.0.113.1/24']]);
    for (const ip of ['198.51.100.10/32', '198.51.100.53/32']) await lab.exec('pub', ['ip', 'addr', 'add', ip, 'dev', 'lo']);
    await lab.start('pub', { role: 'probe', host: '198.51.100.10', port: 8485 });
    await lab.start('pub', { role: 'dnshost', host: '198.51.100.53', zone: 'example.com' }, 20_000, env);
    const job = { role: 'dns', portProbeUrl: 'http://198.51.100.10:8485/probe', domain: 'example.com', cloudflareApiUrl: 'http://198.51.100.53:8080', resolver: '198.51.100.53:53' };

    const first = await lab.runJob<DnsStatus & { ms: number }>('home', job, 30_000, env);
    expect(first.publicAddress).toBe('203.0.113.20');
    expect(first.records.map((r) => [r.name, r.type, r.content, r.state, r.resolved])).toEqual([
      ['provider.example.com', 'A', '203.0.113.20', 'created', ['203.0.113.20']],
      ['*.ingress.example.com', 'CNAME', 'provider.example.com', 'created', ['203.0.113.20']],
    ]);
    expect(first.verified).toBe(true);

    // The ISP hands the router a new outside address: its NAT now leaves as 203.0.113.21.
    const wan = ifaces[1]!.a;
    await lab.exec('rtr', ['ip', 'addr', 'add', '203.0.113.21/24', 'dev', wan]);
    await lab.exec('rtr', ['iptables', '-t', 'nat', '-F', 'POSTROUTING']);
    await lab.exec('rtr', ['iptables', '-t', 'nat', '-A', 'POSTROUTING', '-o', wan, '-j', 'SNAT', '--to-source', '203.0.113.21']);

    const second = await lab.runJob<DnsStatus & { ms: number }>('home', job, 30_000, env);
    expect(second.publicAddress).toBe('203.0.113.21');
    expect(second.records.map((r) => [r.state, r.resolved])).toEqual([
      ['updated', ['203.0.113.21']],
      ['ok', ['203.0.113.21']],
    ]);
    expect(second.verified).toBe(true);
    console.log(`dns sync across NAT: first ${first.ms} ms, after the address change ${second.ms} ms`);
  });
});

/**
 * The port-forwarding path end to end: the home provider listens on 80/443/8443/8444, asks its
 * router over UPnP (the stand-in turns each granted mapping into an iptables DNAT rule, as a real
 * router does), writes its records, then the outside probe connects back through the NAT. Under
 * carrier-grade NAT the same mapping is granted by the home router, yet the outside check fails:
 * the ISP's NAT has no forwarding, which is why detection sends those homes to the relay.
 */
describeNetns('outside check across the NAT (UPnP forwarding that really forwards)', () => {
  let lab: NetnsLab;
  afterEach(async () => {
    await lab.teardown();
  });

  async function publicSide(): Promise<void> {
    for (const ip of ['198.51.100.10/32', '198.51.100.53/32']) await lab.exec('pub', ['ip', 'addr', 'add', ip, 'dev', 'lo']);
    await lab.start('pub', { role: 'probe', host: '198.51.100.10', port: 8485 });
    await lab.start('pub', { role: 'dnshost', host: '198.51.100.53', zone: 'example.com' }, 20_000, env);
  }
  const provider = { role: 'provider', portProbeUrl: 'http://198.51.100.10:8485/probe', domain: 'example.com', cloudflareApiUrl: 'http://198.51.100.53:8080', resolver: '198.51.100.53:53' };
  type ProviderRun = { kind: string; mapped: string[]; reach: Reachability; ms: number };

  it('one router: ports forwarded over UPnP, reachable from outside, DNS verified → verified', async () => {
    lab = new NetnsLab();
    const ifaces = await lab.chain(['home', 'rtr', 'pub'], [['192.0.2.10/26', '192.0.2.1/26'], ['203.0.113.20/24', '203.0.113.1/24']]);
    await publicSide();
    await lab.start('rtr', { role: 'router', lan: '192.0.2.1', wan: '203.0.113.20', natPmp: false, upnp: true, forwardOn: ifaces[1]!.a });
    const r = await lab.runJob<ProviderRun>('home', provider, 60_000, env);
    expect(r.kind).toBe('nat');
    expect(r.mapped).toHaveLength(4);
    expect(r.reach.ports.ports.map((p) => [p.port, p.state])).toEqual([[80, 'open'], [443, 'open'], [8443, 'open'], [8444, 'open']]);
    expect(r.reach).toMatchObject({ verified: true, state: 'reachable', dns: { publicAddress: '203.0.113.20', verified: true } });
    console.log(`port forwarding path verified from outside: ${r.ms} ms`);
  });

  it('CGNAT: the home router grants the mappings, but from outside the ports stay shut → not verified', async () => {
    lab = new NetnsLab();
    const ifaces = await lab.chain(['home', 'rtr', 'isp', 'pub'], [['192.0.2.10/26', '192.0.2.1/26'], ['100.64.0.2/24', '100.64.0.1/24'], ['203.0.113.40/24', '203.0.113.1/24']]);
    await publicSide();
    await lab.start('rtr', { role: 'router', lan: '192.0.2.1', wan: '100.64.0.2', natPmp: false, upnp: true, forwardOn: ifaces[1]!.a });
    const r = await lab.runJob<ProviderRun>('home', provider, 60_000, env);
    expect(r.kind).toBe('cgnat');
    expect(r.mapped.every((m) => m.startsWith('The router forwards outside TCP'))).toBe(true);
    expect(r.reach.ports.ports.map((p) => p.state)).toEqual(['closed', 'closed', 'closed', 'closed']);
    expect(r.reach).toMatchObject({ verified: false, state: 'unreachable' });
    expect(r.reach.reasons[0]).toMatch(/^Ports 80, 443, 8443, 8444 cannot be reached from the internet\./);
    console.log(`cgnat outside check refused: ${r.ms} ms`);
  });
});
