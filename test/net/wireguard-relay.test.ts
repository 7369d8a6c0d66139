/**
 * The relay end to end in network namespaces: a rig behind carrier-grade NAT and a home router,
 * reachable only through the user's own server. The server runs the setup script the rig
 * printed (install step skipped); the rig runs its side through the relay.* API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RelayStatus } from '../../src/api/schemas/relay.js';
import { ADDR, wireguardTopologySupport } from './wireguard-topology.js';
import { ENDPOINT, PORTS, setUpRelayRig, type RelayRig } from './wireguard-relay-fixture.js';

const support = wireguardTopologySupport();
// In CI a missing capability is a failure, not a skip (.ci/run installs the tools and runs as root).
const skip = !support.ok && process.env['CI'] !== 'true';

describe.skipIf(skip)('relay through the user\u2019s own server (namespaces, wireguard-go on both ends)', () => {
  let r: RelayRig;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    if (!support.ok) throw new Error(`cannot build the namespace topology: ${support.reason}`);
    const t0 = performance.now();
    r = await setUpRelayRig({ healthIntervalMs: 5_000 });
    timings['topology + setup script'] = Math.round(performance.now() - t0);
  }, 60_000);

  afterAll(async () => {
    await r?.rig.request('exit').catch(() => undefined);
    r?.topo.teardown();
    console.log('relay timings (ms):', JSON.stringify(timings));
  });

  it('the rig cannot be reached from outside without the relay (two NATs, nothing forwarded)', async () => {
    await expect(r.tenant.request('tcp', { host: ADDR.home, port: PORTS.gateway, timeoutMs: 1_000 })).rejects.toThrow();
    await expect(r.tenant.request('tcp', { host: ADDR.cgnatPublic, port: PORTS.gateway, timeoutMs: 1_000 })).rejects.toThrow();
  });

  it('relay.up brings the tunnel up and the status says so', async () => {
    const t0 = performance.now();
    const up = await r.call<RelayStatus>('relay.up');
    expect(up.enabled).toBe(true);
    expect(up.tunnel.mode).toBe('userspace');
    const { status } = await r.waitFor((s) => s.state === 'up', 10_000);
    timings['relay.up → up'] = Math.round(performance.now() - t0);
    expect(status.text).toContain(ADDR.cloud);
    expect(status.fix).toBeNull();
    expect(status.tunnel.handshakeAgeSec).not.toBeNull();
    expect(status.publicAddress).toBe(ADDR.cloud);
    expect(status.endpoint).toBe(ENDPOINT);
  });

  it('a tenant reaches the provider gateway (8443) and gRPC (8444) at the relay\u2019s address', async () => {
    // The rig sees the relay's tunnel address as the source: replies must go back through the tunnel.
    expect(await r.tenant.request('tcp', { host: ADDR.cloud, port: 8443 })).toBe('gateway from 100.88.13.1');
    expect(await r.tenant.request('tcp', { host: ADDR.cloud, port: 8444 })).toBe('grpc from 100.88.13.1');
  });

  it('ingress: HTTP on 80 and TLS on 443 land on the stack\u2019s host ports, the TLS name (SNI) untouched', async () => {
    expect(await r.tenant.request('tcp', { host: ADDR.cloud, port: 80 })).toBe('ingress-http from 100.88.13.1');
    const tls = await r.tenant.request<string>('tls', { host: ADDR.cloud, port: 443, servername: 'web-7f3a.ingress.example.org' });
    expect(tls).toBe('ingress-https from 100.88.13.1 sni=web-7f3a.ingress.example.org');
  });

  it('a lease\u2019s TCP NodePort and UDP NodePort are reachable', async () => {
    expect(await r.tenant.request('tcp', { host: ADDR.cloud, port: 30003 })).toBe('lease-tcp from 100.88.13.1');
    expect(await r.tenant.request('udp', { host: ADDR.cloud, port: 30007, text: 'ping' })).toBe('lease-udp got ping from 100.88.13.1');
  });

  it('the outside check from the rig, over its home connection to the relay\u2019s public address, sees the ports open', async () => {
    const t0 = performance.now();
    const s = await r.call<RelayStatus>('relay.status', { checkPorts: true });
    timings['status with port check'] = Math.round(performance.now() - t0);
    expect(s.ports?.map((p) => `${p.port}:${p.state}`)).toEqual(['80:open', '443:open', '8443:open', '8444:open']);
  });

  it('ports the relay does not forward stay closed on the server (SSH-style port 22, the NodePort range\u2019s neighbour)', async () => {
    await expect(r.tenant.request('tcp', { host: ADDR.cloud, port: 22, timeoutMs: 1_000 })).rejects.toThrow(/ECONNREFUSED/);
    await expect(r.tenant.request('tcp', { host: ADDR.cloud, port: PORTS.nodePortStart + PORTS.nodePortCount, timeoutMs: 1_000 })).rejects.toThrow(/ECONNREFUSED/);
  });

  it('the forwarding hook run again leaves one copy of every rule, and traffic still flows', async () => {
    const rules = () => r.topo.run(r.topo.ns.cloud, ['iptables-save']).stdout.split('\n').filter((l) => l.includes('RIGLEASE') && !l.startsWith('#') && !l.startsWith(':')).sort();
    const before = rules();
    expect(before.filter((l) => l.startsWith('-A PREROUTING'))).toHaveLength(1);
    const again = r.topo.run(r.topo.ns.cloud, ['bash', `${r.topo.dir}/relay/etc/wireguard/riglease-relay-forward`, 'up']);
    expect(again.code).toBe(0);
    expect(rules()).toEqual(before);
    expect(await r.tenant.request('tcp', { host: ADDR.cloud, port: 8443 })).toBe('gateway from 100.88.13.1');
  });
});
