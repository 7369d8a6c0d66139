import { afterEach, describe, expect, it } from 'vitest';
import { startProbeServer, type ProbeServer } from '../../hardware/bench/probe-server.js';
import { publicAddress, readAddressAnswer, whoamiUrlFor } from './public-address.js';

describe('the public address: the outside probe\u2019s /whoami, else a configured URL', () => {
  let probe: ProbeServer | null = null;
  afterEach(async () => {
    await probe?.close();
    probe = null;
  });
  const signal = new AbortController().signal;

  it('GET /whoami on `riglease probe-server` answers the requester\u2019s address, rate-limited like checks', async () => {
    probe = await startProbeServer({ host: '127.0.0.1', port: 0, perAddress: 2 });
    const url = whoamiUrlFor(probe.url)!;
    expect(url).toBe(`http://127.0.0.1:${probe.port}/whoami`);
    const res = await fetch(url);
    expect(await res.json()).toEqual({ version: 1, ip: '127.0.0.1' });
    await fetch(url);
    const third = await fetch(url);
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('asks the probe next to bench.network.portProbeUrl and says where the address came from', async () => {
    probe = await startProbeServer({ host: '127.0.0.1', port: 0 });
    expect(await publicAddress({ whoamiUrl: '', portProbeUrl: probe.url, publicIpUrl: '' }, 2000, signal)).toEqual({ ok: true, address: '127.0.0.1', via: 'probe', source: `http://127.0.0.1:${probe.port}/whoami` });
  });

  it('nothing configured: nothing is asked, and it says which settings would do', async () => {
    const r = await publicAddress({ whoamiUrl: '', portProbeUrl: '', publicIpUrl: '' }, 2000, signal);
    expect(r).toEqual({ ok: false, tried: [expect.stringContaining('network.whoamiUrl, bench.network.portProbeUrl or bench.network.publicIpUrl')] });
  });

  it('an unreachable source is named with the reason, and the next one is tried', async () => {
    probe = await startProbeServer({ host: '127.0.0.1', port: 0 });
    const r = await publicAddress({ whoamiUrl: 'http://127.0.0.1:9/', portProbeUrl: probe.url, publicIpUrl: '' }, 2000, signal);
    expect(r).toMatchObject({ ok: true, via: 'probe' });
  });

  it('reads plain text and {ip}; anything else is not an address', () => {
    expect(readAddressAnswer('203.0.113.7\n')).toBe('203.0.113.7');
    expect(readAddressAnswer('{"ip":"203.0.113.7"}')).toBe('203.0.113.7');
    expect(readAddressAnswer('{"version":1,"ip":"198.51.100.1"}')).toBe('198.51.100.1');
    expect(readAddressAnswer('<html>')).toBeNull();
    expect(readAddressAnswer('{"address":"203.0.113.7"}')).toBeNull();
  });
});
