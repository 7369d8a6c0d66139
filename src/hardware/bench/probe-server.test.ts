import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { droppingPort as droppingPortHelper } from '../../../test/net/dropping-port.js';
import { BenchNetwork } from '../../api/schemas/settings/bench.js';
import { runPortsCheck } from './network-bench.js';
import { probePorts } from './net-probe.js';
import { ProbeAnswer, ProbeError } from './probe-protocol.js';
import { startProbeServer, type ProbeServer } from './probe-server.js';

/**
 * The outside port probe end to end on this host: the server connects back to the address the
 * request came from (127.0.0.1 here) and to nothing else.
 */
const open: Array<{ close: () => unknown }> = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

/** A listener that accepts connections and counts them. */
async function listener(host = '127.0.0.1'): Promise<{ port: number; accepted: () => number }> {
  let n = 0;
  const s = net.createServer((c) => {
    n++;
    c.destroy();
  });
  await new Promise<void>((r) => s.listen(0, host, r));
  open.push({ close: () => new Promise((r) => s.close(r)) });
  return { port: (s.address() as net.AddressInfo).port, accepted: () => n };
}

/** A port nothing listens on: bound, then closed, so a connect is refused. */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** A port that drops SYNs (test/net/dropping-port.ts), closed after the test. */
async function droppingPort(): Promise<number> {
  const d = await droppingPortHelper();
  open.push(d);
  return d.port;
}

async function server(o: Parameters<typeof startProbeServer>[0]): Promise<ProbeServer> {
  const s = await startProbeServer({ host: '127.0.0.1', port: 0, ...o });
  open.push(s);
  return s;
}

const post = (url: string, body: string, headers: Record<string, string> = {}) => fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
const signal = () => new AbortController().signal;

describe('riglease probe-server + the client', () => {
  it('connects back to the requester: a listening port reads open, a port nothing listens on reads closed, each with its time', async () => {
    const up = await listener();
    const down = await closedPort();
    const probe = await server({ allowedPorts: [up.port, down] });
    const answer = await probePorts(probe.url, [up.port, down], { timeoutMs: 5000, signal: signal() });
    expect(answer.ip).toBe('127.0.0.1');
    expect(answer.results.map((r) => [r.port, r.state, r.open])).toEqual([[up.port, 'open', true], [down, 'closed', false]]);
    for (const r of answer.results) expect(r.ms).toBeGreaterThanOrEqual(0);
    expect(answer.results.every((r) => r.ms! < 3000)).toBe(true);
    expect(up.accepted()).toBe(1);
  });

  it('a request naming another address is refused, and nothing connects to that address', async () => {
    // 127.0.0.2 is loopback too, so a connection there would be seen by this listener.
    const other = await listener('127.0.0.2');
    const probe = await server({ allowedPorts: [other.port] });
    const res = await post(probe.url, JSON.stringify({ ports: [other.port], address: '127.0.0.2' }));
    expect(res.status).toBe(403);
    const body = ProbeError.parse(await res.json());
    expect(body.error).toEqual({ code: 'refused', message: 'This probe only connects back to the address the request comes from (127.0.0.1), never to another (127.0.0.2).' });
    await expect(probePorts(probe.url, [other.port], { timeoutMs: 5000, signal: signal() }, '127.0.0.2')).rejects.toThrow(/^the probe answered HTTP 403: This probe only connects back/);
    expect(other.accepted()).toBe(0);
    // Naming its own address is fine.
    const own = await listener();
    const probe2 = await server({ allowedPorts: [own.port] });
    expect((await probePorts(probe2.url, [own.port], { timeoutMs: 5000, signal: signal() }, '127.0.0.1')).results[0]?.state).toBe('open');
  });

  it('only the allowed ports are ever dialled', async () => {
    const up = await listener();
    const probe = await server({});
    const res = await post(probe.url, JSON.stringify({ ports: [up.port] }));
    expect(res.status).toBe(403);
    expect(ProbeError.parse(await res.json()).error.message).toBe(`Port ${up.port} cannot be checked here; this probe checks 80, 443, 8443, 8444.`);
    expect(up.accepted()).toBe(0);
  });

  it('every input goes through one schema: wrong types, unknown fields, too many ports, not JSON, too large', async () => {
    const probe = await server({ perAddress: 100 });
    const cases: Array<[string, number, RegExp]> = [
      ['{"ports":"80"}', 400, /^ports: /],
      ['{"ports":[80],"target":"198.51.100.1"}', 400, /Unrecognized key.*target/i],
      ['{"ports":[80],"address":"example.org"}', 400, /^address: an IPv4 or IPv6 address/],
      [JSON.stringify({ ports: [1, 2, 3, 4, 5, 6, 7, 8, 9] }), 400, /^ports: /],
      ['{"ports":[]}', 400, /^ports: /],
      ['ports=80', 400, /not JSON/],
      [JSON.stringify({ ports: [80], pad: 'x'.repeat(2000) }), 413, /at most 1024 bytes/],
    ];
    for (const [body, status, message] of cases) {
      const res = await post(probe.url, body);
      expect(res.status, body.slice(0, 60)).toBe(status);
      expect(ProbeError.parse(await res.json()).error.message, body.slice(0, 60)).toMatch(message);
    }
    expect((await fetch(probe.url.replace('/probe', '/other'), { method: 'POST', body: '{}' })).status).toBe(404);
    const about = await (await fetch(probe.url.replace('/probe', '/'))).json();
    expect(about).toMatchObject({ service: 'riglease-port-probe', version: 1, ports: [80, 443, 8443, 8444] });
  });

  it('rate-limited per address: past the limit the answer is 429 with Retry-After, and no connection is made', async () => {
    const up = await listener();
    let t = 1_000_000;
    const probe = await server({ allowedPorts: [up.port], perAddress: 2, windowMs: 60_000, now: () => t });
    const ask = () => post(probe.url, JSON.stringify({ ports: [up.port] }));
    expect((await ask()).status).toBe(200);
    t += 10_000;
    expect((await ask()).status).toBe(200);
    const limited = await ask();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('50');
    expect(ProbeError.parse(await limited.json()).error.code).toBe('rate_limited');
    expect(up.accepted()).toBe(2);
    // The window slides: a minute after the first request, one more is admitted.
    t += 50_000;
    expect((await ask()).status).toBe(200);
  });

  it('a port whose SYNs are dropped reads filtered after the timeout', async () => {
    const silent = await droppingPort();
    const probe = await server({ allowedPorts: [silent], connectTimeoutMs: 400 });
    const answer = await probePorts(probe.url, [silent], { timeoutMs: 5000, signal: signal() });
    expect(answer.results[0]).toMatchObject({ port: silent, state: 'filtered', open: false, detail: 'no answer within 400 ms' });
    expect(answer.results[0]!.ms).toBeGreaterThanOrEqual(399);
    expect(answer.results[0]!.ms).toBeLessThan(2000);
  });

  it('the ports check a user runs: open, refused and dropped per port, with NAT explained and what to forward where', async () => {
    // The stack publishes 8443 on host port 18443 here; the probe dials test listeners for 80/443/8443/8444.
    const web = await listener();
    const tls = await listener();
    const dial: Record<number, number> = { 80: web.port, 443: tls.port, 8443: await closedPort(), 8444: await droppingPort() };
    const probe = await server({ dialPort: (p) => dial[p]!, connectTimeoutMs: 400 });
    const settings = BenchNetwork.parse({ downloadUrl: '', uploadUrl: '', publicIpUrl: '', portProbeUrl: probe.url, timeoutMs: 5000 });
    const r = await runPortsCheck({ local: { interfaceName: 'eth0', localAddress: '192.168.1.50', gateway: '192.168.1.1' }, settings, signal: signal(), hostPorts: { 80: 80, 443: 443, 8443: 18443, 8444: 8444 } });
    expect(r.tested).toBe(true);
    expect(r.reason).toBe('checked from outside against 127.0.0.1');
    expect(r.ports.map((p) => [p.port, p.state, p.probe])).toEqual([[80, 'open', 'open'], [443, 'open', 'open'], [8443, 'closed', 'closed'], [8444, 'closed', 'filtered']]);
    expect(r.ports[0]!.detail).toMatch(/^reachable from the internet at 127\.0\.0\.1:80 \(\d+ ms\)$/);
    expect(r.ports[2]!.detail).toMatch(/^refused at 127\.0\.0\.1:8443 \(\d+ ms\): the connection arrived but nothing accepted it — forward TCP 8443 in the router to 192\.168\.1\.50:18443, and check that the provider stack is running$/);
    expect(r.ports[3]!.detail).toMatch(/^no answer at 127\.0\.0\.1:8444 \(\d+ ms\): a router or firewall drops it — forward TCP 8444 in the router to 192\.168\.1\.50:8444, and check that the provider stack is running$/);
    expect(r.advice[0]).toBe('The internet sees this network as 127.0.0.1; this computer is 192.168.1.50 behind the router (NAT). A port only opens when the router forwards it to this computer.');
    // Only the ports that failed are named: 80 and 443 already work.
    expect(r.advice[1]).toBe('In your router\'s settings ("port forwarding" or "virtual server"), forward TCP 8443 \u2192 192.168.1.50:18443, TCP 8444 \u2192 192.168.1.50:8444.');
  });

  it('an answer in the format before version 1 (open only) still reads', () => {
    const a = ProbeAnswer.parse({ ip: '203.0.113.9', results: [{ port: 80, open: true }, { port: 443, open: false }] });
    expect(a.results.map((r) => r.state)).toEqual([undefined, undefined]);
  });
});
