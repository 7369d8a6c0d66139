import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startProbeServer } from '../../hardware/bench/probe-server.js';
import { cloudflareStandIn } from '../../../test/net/cloudflare-standin.js';
import { dnsStandIn } from '../../../test/net/dns-standin.js';
import { memorySecrets, settingsWith } from '../../../test/net/network-kit.js';
import { silentLogger } from '../../util/logger.js';
import { Settings } from '../../api/schemas/settings.js';
import { createNetwork } from './index.js';

/**
 * The outside check the wizard and the dashboard gate "providing" on, on loopback: the real
 * probe server connects back (ports 80/443/8443/8444 dialled as high test ports), and the
 * names resolve at the DNS stand-in.
 */
describe('reachability: ports open from outside + DNS on the public address', () => {
  const closers: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
  });

  async function world(o: { listen: boolean; records: boolean; probe?: boolean; relay?: string }) {
    const dial: Record<number, number> = {};
    for (const p of [80, 443, 8443, 8444]) {
      const srv = net.createServer((s) => s.end());
      await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
      dial[p] = (srv.address() as net.AddressInfo).port;
      if (o.listen) closers.push(() => new Promise<void>((r) => srv.close(() => r())));
      else await new Promise<void>((r) => srv.close(() => r()));
    }
    const probe = await startProbeServer({ host: '127.0.0.1', port: 0, dialPort: (p) => dial[p]!, connectTimeoutMs: 500 });
    closers.push(probe.close);
    const cf = await cloudflareStandIn({ token: 't', zone: 'example.com' });
    const dns = await dnsStandIn({ zone: 'example.com', records: () => cf.records });
    closers.push(cf.close, dns.close);
    if (o.records) {
      cf.records.push({ id: '1', zone_id: cf.zone.id, name: 'provider.example.com', type: 'A', content: '127.0.0.1', ttl: 300, proxied: false });
      cf.records.push({ id: '2', zone_id: cf.zone.id, name: '*.ingress.example.com', type: 'CNAME', content: 'provider.example.com', ttl: 300, proxied: false });
    }
    const base = settingsWith({ domain: 'example.com', portProbeUrl: o.probe === false ? '' : probe.url, dns: { resolver: dns.server } });
    const settings = o.relay ? Settings.parse({ ...base, network: { ...base.network, relay: { enabled: true, endpoint: `${o.relay}:51820` } } }) : base;
    return createNetwork({ settings: async () => settings, secrets: memorySecrets(), platform: 'linux', env: {}, logger: silentLogger, localNetwork: async () => ({ interfaceName: 'lo', localAddress: '127.0.0.1', gateway: null }) });
  }

  it('every port open from outside and both names on the public address: verified', async () => {
    const r = await (await world({ listen: true, records: true })).reachability(true);
    expect(r.ports.ports.map((p) => p.state)).toEqual(['open', 'open', 'open', 'open']);
    expect(r).toMatchObject({ verified: true, state: 'reachable', reasons: [], dns: { verified: true, publicAddress: '127.0.0.1' } });
    expect(r.headline).toContain('provider.example.com resolves to 127.0.0.1');
  });

  it('ports refused from outside: unreachable, with what to do', async () => {
    const r = await (await world({ listen: false, records: true })).reachability(true);
    expect(r).toMatchObject({ verified: false, state: 'unreachable' });
    expect(r.reasons[0]).toMatch(/^Ports 80, 443, 8443, 8444 cannot be reached from the internet\./);
  });

  it('ports open but no records yet: not verified, and the records to create are named', async () => {
    const r = await (await world({ listen: true, records: false })).reachability(true);
    expect(r.verified).toBe(false);
    expect(r.reasons.join(' ')).toContain('Create provider.example.com as A 127.0.0.1');
  });

  it('while the relay is on, the ports are tried at the relay server\u2019s address, not by the outside probe at home', async () => {
    const r = await (await world({ listen: true, records: true, relay: '127.0.0.1' })).reachability(true);
    expect(r.ports.probeUrl).toBeNull();
    expect(r.ports.reason).toBe('checked at the relay server 127.0.0.1, the way tenants come in');
    expect(r.ports.ports.map((p) => p.detail)).toEqual(expect.arrayContaining([expect.stringMatching(/at the relay 127\.0\.0\.1:8443/)]));
  });

  it('no outside probe: unchecked, never counted as passed; refresh false answers the last check', async () => {
    const n = await world({ listen: true, records: true, probe: false });
    const r = await n.reachability(false);
    expect(r).toMatchObject({ verified: false, state: 'unchecked' });
    expect(r.reasons.join(' ')).toContain('were not checked from outside');
    expect(await n.reachability(false)).toBe(r);
  });
});
