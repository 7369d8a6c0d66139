import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { memorySecrets, settingsWith } from '../../../test/net/network-kit.js';
import { silentLogger } from '../../util/logger.js';
import { createNetwork } from './index.js';

/**
 * RIGLEASE_PUBLIC_IP_URL and RIGLEASE_DNS_RESOLVER move the two outside services the app asks by
 * itself, whatever the settings say (the settings keep their defaults), so a test suite or a
 * person on a closed network keeps every packet local.
 */
describe('env overrides of the outside services', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0)) await c();
  });

  async function addressService(ip: string): Promise<{ url: string; hits: () => number }> {
    let hits = 0;
    const srv = http.createServer((_req, res) => {
      hits += 1;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ ip }));
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    closers.push(() => new Promise<void>((r) => srv.close(() => r())));
    return { url: `http://127.0.0.1:${(srv.address() as { port: number }).port}/`, hits: () => hits };
  }

  const local = async () => ({ interfaceName: 'lo', localAddress: '198.51.100.7', gateway: null });

  it('the public address comes from RIGLEASE_PUBLIC_IP_URL and records are verified at RIGLEASE_DNS_RESOLVER', async () => {
    const svc = await addressService('198.51.100.7');
    const settings = settingsWith({ domain: 'example.com', portProbeUrl: '' });
    // The setting names loopback's discard port: only the override can answer 198.51.100.7.
    settings.bench.network.publicIpUrl = 'http://127.0.0.1:9/';
    const net = createNetwork({ settings: async () => settings, secrets: memorySecrets(), platform: 'linux', env: { RIGLEASE_PUBLIC_IP_URL: svc.url, RIGLEASE_DNS_RESOLVER: '127.0.0.1:9' }, logger: silentLogger, localNetwork: local });
    const report = await net.detect();
    expect(report.public.address).toBe('198.51.100.7');
    expect(svc.hits()).toBeGreaterThan(0);
    const dns = await net.dnsStatus();
    expect(dns.resolver).toBe('127.0.0.1:9');
    expect(dns.verified).toBe(false);
  });

  it('a malformed override is refused with its name, not silently ignored', async () => {
    const net = createNetwork({ settings: async () => settingsWith({ domain: 'example.com', portProbeUrl: '' }), secrets: memorySecrets(), platform: 'linux', env: { RIGLEASE_PUBLIC_IP_URL: 'ftp://nope' }, logger: silentLogger, localNetwork: local });
    await expect(net.detect()).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('RIGLEASE_PUBLIC_IP_URL') });
  });
});
