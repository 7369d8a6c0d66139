import { afterEach, describe, expect, it } from 'vitest';
import { RigError } from '../../api/errors.js';
import { Settings } from '../../api/schemas/settings.js';
import { cloudflareStandIn, type CloudflareStandIn } from '../../../test/net/cloudflare-standin.js';
import { dnsStandIn } from '../../../test/net/dns-standin.js';
import { memorySecrets, recordingLogger, settingsWith, whoamiStandIn } from '../../../test/net/network-kit.js';
import { CLOUDFLARE_TOKEN_SECRET, createNetwork, type NetworkService } from './index.js';

const TOKEN = 'Sn3lZJTBX6kkg7OdcBUAxOO963GEIyGQqnFTOFYY-test';
const ZONE = 'example.com';

/**
 * The DNS half against two local stand-ins that share one record set: the Cloudflare API
 * (documented envelope and record shapes) and an authoritative DNS server for example.com that
 * answers from what the API holds, so "verify by resolving" really resolves over UDP.
 */
describe('DNS records on the public address (Cloudflare stand-in + authoritative DNS stand-in)', () => {
  const closers: (() => Promise<void>)[] = [];
  const services: NetworkService[] = [];
  afterEach(async () => {
    for (const s of services.splice(0)) s.stop();
    for (const c of closers.splice(0).reverse()) await c();
  });

  async function world(o: { token?: string | null; maxPerPage?: number; ingress?: 'cname' | 'a'; records?: { name: string; type: string; content: string; ttl: number; proxied: boolean }[]; pollMs?: number } = {}) {
    const cf = await cloudflareStandIn({ token: TOKEN, zone: ZONE, ...(o.maxPerPage ? { maxPerPage: o.maxPerPage } : {}), ...(o.records ? { records: o.records } : {}) });
    const dns = await dnsStandIn({ zone: ZONE, records: () => cf.records });
    const who = await whoamiStandIn('203.0.113.7');
    closers.push(cf.close, dns.close, who.close);
    const secrets = memorySecrets();
    if (o.token !== null) await secrets.set(CLOUDFLARE_TOKEN_SECRET, o.token ?? TOKEN);
    const logger = recordingLogger();
    let settings: Settings = settingsWith({ domain: ZONE, whoamiUrl: who.url, dns: { cloudflareApiUrl: cf.url, resolver: dns.server, ingress: o.ingress ?? 'cname' } });
    const net = createNetwork({ settings: async () => settings, secrets, platform: 'linux', env: {}, logger, ...(o.pollMs ? { pollMs: o.pollMs } : {}) });
    services.push(net);
    return { cf, dns, who, net, logger, secrets, setSettings: (s: Settings) => (settings = s) };
  }

  const writes = (cf: CloudflareStandIn) => cf.requests.filter((r) => r.startsWith('POST') || r.startsWith('PUT'));

  it('without a token: shows exactly the records to create, asks Cloudflare nothing, and resolving says they are not there', async () => {
    const { cf, net, dns } = await world({ token: null });
    const s = await net.dnsStatus();
    expect(s.tokenSet).toBe(false);
    expect(cf.requests).toEqual([]);
    expect(s.records.map((r) => [r.name, r.type, r.content, r.ttl, r.state])).toEqual([
      ['provider.example.com', 'A', '203.0.113.7', 300, 'unknown'],
      ['*.ingress.example.com', 'CNAME', 'provider.example.com', 300, 'unknown'],
    ]);
    expect(s.records[0]!.detail).toContain('Create provider.example.com as A 203.0.113.7 (TTL 300, not proxied)');
    expect(s.records[0]!.detail).toContain('the name does not exist');
    expect(s.verified).toBe(false);
    expect(dns.questions).toEqual(['provider.example.com A', 'riglease-check.ingress.example.com A']);
  });

  it('records made by hand as shown are verified by resolving, still without a token', async () => {
    const { cf, net } = await world({ token: null });
    cf.records.push({ id: 'a1', zone_id: cf.zone.id, name: 'provider.example.com', type: 'A', content: '203.0.113.7', ttl: 300, proxied: false }, { id: 'c1', zone_id: cf.zone.id, name: '*.ingress.example.com', type: 'CNAME', content: 'provider.example.com', ttl: 300, proxied: false });
    const s = await net.dnsStatus();
    expect(s.records.map((r) => [r.resolved, r.verified])).toEqual([
      [['203.0.113.7'], true],
      [['203.0.113.7'], true],
    ]);
    expect(s.verified).toBe(true);
  });

  it('with a token: finds the zone, creates A then CNAME (not proxied), and resolving confirms both', async () => {
    const { cf, net, logger } = await world();
    const s = await net.dnsSync();
    expect(s.zone).toBe(ZONE);
    expect(s.records.map((r) => r.state)).toEqual(['created', 'created']);
    expect(s.verified).toBe(true);
    expect(cf.requests.map((r) => r.replace(cf.zone.id, 'Z'))).toEqual([
      'GET /zones?name=example.com&page=1&per_page=100',
      'GET /zones/Z/dns_records?name=provider.example.com&page=1&per_page=100',
      'POST /zones/Z/dns_records',
      'GET /zones/Z/dns_records?name=*.ingress.example.com&page=1&per_page=100',
      'POST /zones/Z/dns_records',
    ]);
    expect(cf.records.map((r) => [r.name, r.type, r.content, r.ttl, r.proxied])).toEqual([
      ['provider.example.com', 'A', '203.0.113.7', 300, false],
      ['*.ingress.example.com', 'CNAME', 'provider.example.com', 300, false],
    ]);
    expect(JSON.stringify(logger.lines)).not.toContain(TOKEN);
  });

  it('a second sync on the same address writes nothing; a new address changes only provider.<domain>, and the wildcard follows', async () => {
    const { cf, net, who } = await world();
    await net.dnsSync();
    const before = writes(cf).length;
    const again = await net.dnsSync();
    expect(again.records.map((r) => r.state)).toEqual(['ok', 'ok']);
    expect(writes(cf).length).toBe(before);
    who.address.value = '198.51.100.23';
    const moved = await net.dnsSync();
    expect(moved.records.map((r) => r.state)).toEqual(['updated', 'ok']);
    expect(writes(cf).slice(before)).toEqual([`PUT /zones/${cf.zone.id}/dns_records/${cf.records[0]!.id}`]);
    expect(moved.records.map((r) => r.resolved)).toEqual([['198.51.100.23'], ['198.51.100.23']]);
    expect(moved.verified).toBe(true);
  });

  it('an A record where the CNAME belongs is overwritten with the right type (the two cannot share a name)', async () => {
    const { cf, net } = await world({ records: [{ name: '*.ingress.example.com', type: 'A', content: '192.0.2.99', ttl: 120, proxied: false }] });
    const s = await net.dnsSync();
    expect(s.records[1]).toMatchObject({ state: 'updated', current: 'CNAME provider.example.com', verified: true });
    expect(s.records[1]!.detail).toContain('from A 192.0.2.99 to CNAME provider.example.com');
    expect(cf.records.filter((r) => r.name === '*.ingress.example.com')).toHaveLength(1);
  });

  it('with network.dns.ingress=a both names are A records on the address', async () => {
    const { cf, net } = await world({ ingress: 'a' });
    expect((await net.dnsSync()).verified).toBe(true);
    expect(cf.records.map((r) => `${r.name} ${r.type} ${r.content}`)).toEqual(['provider.example.com A 203.0.113.7', '*.ingress.example.com A 203.0.113.7']);
  });

  it('follows result_info pages: a stray second A record on page 2 is found and reported, not left to send tenants elsewhere', async () => {
    const { cf, net } = await world({
      maxPerPage: 1,
      records: [
        { name: 'provider.example.com', type: 'A', content: '203.0.113.7', ttl: 300, proxied: false },
        { name: 'provider.example.com', type: 'A', content: '192.0.2.50', ttl: 300, proxied: false },
      ],
    });
    const s = await net.dnsStatus();
    expect(cf.requests.filter((r) => r.includes('provider.example.com'))).toHaveLength(2);
    expect(s.records[0]).toMatchObject({ state: 'wrong', current: 'A 203.0.113.7, A 192.0.2.50' });
    expect(s.records[0]!.detail).toContain('remove it in the Cloudflare dashboard');
    expect(s.records[0]!.verified).toBe(false);
  });

  it('a refused token is an error a person can act on, and the token appears nowhere in it', async () => {
    const { net, cf } = await world({ token: 'wrong-token-value-123' });
    const err = await net.dnsSync().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RigError);
    expect((err as RigError).code).toBe('unauthorized');
    expect((err as RigError).message).toContain('Authentication error (10000)');
    expect((err as RigError).fix).toContain('DNS \u2192 Edit');
    expect(JSON.stringify(err) + String((err as RigError).message)).not.toContain('wrong-token-value-123');
    expect(cf.refused).toBe(1);
  });

  it('the dynamic-DNS loop writes only when the address changed, and checks again each round', async () => {
    const { cf, net, who } = await world({ pollMs: 150 });
    net.startDynamicDns();
    await expect.poll(() => cf.records.length, { timeout: 5000 }).toBe(2);
    const afterFirst = writes(cf).length;
    const hits = who.hits.count;
    await expect.poll(() => who.hits.count, { timeout: 5000 }).toBeGreaterThan(hits + 2);
    expect(writes(cf).length).toBe(afterFirst);
    who.address.value = '198.51.100.77';
    await expect.poll(() => cf.records[0]?.content, { timeout: 5000 }).toBe('198.51.100.77');
    expect(writes(cf).length).toBe(afterFirst + 1);
    await expect.poll(() => net.lastDns()?.verified && net.lastDns()?.publicAddress, { timeout: 5000 }).toBe('198.51.100.77');
  });

  it('while the relay is on, the records point at the relay server\u2019s public address, not the home connection\u2019s', async () => {
    const { cf, net, setSettings, who, dns } = await world();
    setSettings(Settings.parse({ ...settingsWith({ domain: ZONE, whoamiUrl: who.url, dns: { cloudflareApiUrl: cf.url, resolver: dns.server } }), network: { whoamiUrl: who.url, dns: { cloudflareApiUrl: cf.url, resolver: dns.server }, relay: { enabled: true, endpoint: '198.51.100.200:51820' } } }));
    const s = await net.dnsSync();
    expect(s.publicAddress).toBe('198.51.100.200');
    expect(cf.records[0]).toMatchObject({ name: 'provider.example.com', type: 'A', content: '198.51.100.200' });
    expect(s.verified).toBe(true);
  });

  it('without a domain there is nothing to keep: an error that says which setting to set', async () => {
    const { net, setSettings, cf } = await world();
    setSettings(settingsWith({ whoamiUrl: 'http://127.0.0.1:9/' }));
    await expect(net.dnsStatus()).rejects.toMatchObject({ code: 'precondition_failed', fix: expect.stringContaining('stack.domain') });
    expect(cf.requests).toEqual([]);
  });
});
