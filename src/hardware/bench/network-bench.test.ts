import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { BenchNetwork } from '../../api/schemas/settings/bench.js';
import { runNetworkBenchmark, runPortsCheck } from './network-bench.js';
import { classifyIPv4, localNetwork, parseProcNetRoute } from './network-info.js';

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/** A loopback stand-in for the download/upload/address/probe services (no traffic leaves 127.0.0.1). */
async function loopback(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const a = server.address();
  return `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
}

const off = BenchNetwork.parse({ downloadUrl: '', uploadUrl: '', publicIpUrl: '', portProbeUrl: '' });

describe('address classification', () => {
  it.each([
    ['192.168.1.23', 'private'],
    ['10.0.0.5', 'private'],
    ['172.20.1.1', 'private'],
    ['172.32.0.1', 'public'],
    ['100.72.3.4', 'cgnat'],
    ['203.0.113.9', 'public'],
    ['169.254.10.1', 'link_local'],
    ['nope', 'unknown'],
  ])('%s is %s', (ip, kind) => expect(classifyIPv4(ip)).toBe(kind));
});

describe('default route', () => {
  it('reads this machine\u2019s real /proc/net/route', () => {
    let text: string;
    try {
      text = readFileSync('/proc/net/route', 'utf8');
    } catch {
      return; // not Linux
    }
    const r = parseProcNetRoute(text);
    if (text.split('\n').some((l) => l.split(/\s+/)[1] === '00000000')) expect(r?.gateway).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  });

  it('uses the default route\u2019s interface, not the first one listed', async () => {
    const table = 'Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\tMTU\tWindow\tIRTT\n' + 'eth1\t0000A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n' + 'eth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n';
    const ifs = {
      eth1: [{ address: '10.9.9.9', family: 'IPv4', internal: false }],
      eth0: [{ address: '192.168.1.50', family: 'IPv4', internal: false }],
    } as unknown as NodeJS.Dict<import('node:os').NetworkInterfaceInfo[]>;
    expect(await localNetwork('linux', ifs, async () => table)).toEqual({ interfaceName: 'eth0', localAddress: '192.168.1.50', gateway: '192.168.1.1' });
  });
});

describe('network check', () => {
  it('behind NAT without any service configured: says NAT and lists what was not tested', async () => {
    const r = await runNetworkBenchmark({ local: { interfaceName: 'eth0', localAddress: '192.168.1.50', gateway: null }, settings: off, signal: new AbortController().signal });
    expect(r.behindNat).toBe(true);
    expect(r.natPmp).toBeNull();
    expect(r.explanation[0]).toMatch(/private address \(192\.168\.1\.50\).*forwards the provider ports/);
    expect(r.notTested.join('\n')).toMatch(/download and latency: not tested/);
    expect(r.downloadMbps).toBeNull();
  });

  it('measures download, upload, latency and the public address against a loopback server', async () => {
    const base = await loopback((req, res) => {
      if (req.url?.startsWith('/down')) {
        const n = Number(new URL(req.url, 'http://x').searchParams.get('bytes'));
        res.end(Buffer.alloc(n));
      } else if (req.url === '/up') {
        req.resume();
        req.on('end', () => res.end('ok'));
      } else if (req.url === '/ip') res.end(JSON.stringify({ ip: '198.51.100.4' }));
      else res.end();
    });
    const settings = BenchNetwork.parse({ downloadUrl: `${base}/down?bytes={bytes}`, uploadUrl: `${base}/up`, publicIpUrl: `${base}/ip`, portProbeUrl: '', transferBytes: 2_000_000 });
    const r = await runNetworkBenchmark({ local: { interfaceName: 'eth0', localAddress: '203.0.113.9', gateway: null }, settings, signal: new AbortController().signal });
    expect(r.publicAddress).toBe('198.51.100.4');
    expect(r.behindNat).toBe(false);
    expect(r.downloadMbps).toBeGreaterThan(0);
    expect(r.uploadMbps).toBeGreaterThan(0);
    expect(r.latencyMs).toBeGreaterThan(0);
    expect(r.notTested).toEqual([]);
  });
});

describe('ports check', () => {
  it('with no probe configured, every port is "not tested" and the advice names the forwarding', async () => {
    const r = await runPortsCheck({ local: { interfaceName: 'eth0', localAddress: '192.168.1.50', gateway: '192.168.1.1' }, settings: off, signal: new AbortController().signal });
    expect(r.tested).toBe(false);
    expect(r.ports.map((p) => [p.port, p.state])).toEqual([[80, 'not_tested'], [443, 'not_tested'], [8443, 'not_tested'], [8444, 'not_tested']]);
    expect(r.advice[0]).toMatch(/forward TCP 80, 443, 8443, 8444 to 192\.168\.1\.50/);
  });

  it('an unreachable probe is reported as "not tested: no outside probe reachable"', async () => {
    const base = await loopback((_req, res) => {
      res.statusCode = 503;
      res.end();
    });
    const r = await runPortsCheck({ local: { interfaceName: null, localAddress: '203.0.113.9', gateway: null }, settings: { ...off, portProbeUrl: `${base}/probe` }, signal: new AbortController().signal });
    expect(r.reason).toMatch(/^not tested: no outside probe reachable \(the probe answered HTTP 503\)/);
  });

  it('reads open and closed ports from the probe\u2019s answer', async () => {
    let asked: unknown;
    const base = await loopback((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        asked = JSON.parse(body);
        res.end(JSON.stringify({ ip: '203.0.113.9', results: [{ port: 80, open: true }, { port: 443, open: true }, { port: 8443, open: false }] }));
      });
    });
    const r = await runPortsCheck({ local: { interfaceName: null, localAddress: '203.0.113.9', gateway: null }, settings: { ...off, portProbeUrl: `${base}/probe` }, signal: new AbortController().signal });
    expect(asked).toEqual({ ports: [80, 443, 8443, 8444] });
    expect(r.ports.map((p) => p.state)).toEqual(['open', 'open', 'closed', 'not_tested']);
  });
});
