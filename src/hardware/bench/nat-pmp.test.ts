import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { natPmpExternalAddress, natPmpMapTcp } from './nat-pmp.js';
import { natPmpTestRouter as gateway } from '../../../test/net/nat-pmp-router.js';

const open: Socket[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

describe('NAT-PMP (RFC 6886) against a loopback gateway', () => {
  it('reads the router\u2019s outside address from a 12-byte answer', async () => {
    const gw = await gateway({ ip: [198, 51, 100, 23] });
    open.push(gw.socket);
    const r = await natPmpExternalAddress({ gateway: '127.0.0.1', port: gw.port });
    expect(r).toMatchObject({ state: 'ok', externalAddress: '198.51.100.23', gateway: '127.0.0.1' });
    expect([...gw.received[0]!]).toEqual([0, 0]);
  });

  it('retransmits when the first request is lost (250 ms, doubling)', async () => {
    const gw = await gateway({ silentFor: 1 });
    open.push(gw.socket);
    const r = await natPmpExternalAddress({ gateway: '127.0.0.1', port: gw.port, tries: 3 });
    expect(r.state).toBe('ok');
    expect(gw.received.length).toBe(2);
  });

  it('says what a refusal means', async () => {
    const gw = await gateway({ result: 2 });
    open.push(gw.socket);
    const r = await natPmpExternalAddress({ gateway: '127.0.0.1', port: gw.port });
    expect(r.state).toBe('refused');
    expect(r.message).toMatch(/refused/);
  });

  it('gives up after the tries with a plain explanation when nothing answers', async () => {
    const silent = createSocket('udp4');
    await new Promise<void>((r) => silent.bind(0, '127.0.0.1', () => r()));
    open.push(silent);
    const t0 = Date.now();
    const r = await natPmpExternalAddress({ gateway: '127.0.0.1', port: silent.address().port, tries: 2 });
    expect(r.state).toBe('no_response');
    expect(r.message).toMatch(/Forward the ports by hand/);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('does not send anything without a router address', async () => {
    expect((await natPmpExternalAddress({ gateway: '' })).state).toBe('no_gateway');
  });

  it('maps a TCP port and reports the port the router chose', async () => {
    const gw = await gateway({});
    open.push(gw.socket);
    const m = await natPmpMapTcp({ gateway: '127.0.0.1', port: gw.port }, 8443, 8443, 3600);
    expect(m).toMatchObject({ ok: true, externalPort: 8444, lifetimeSec: 3600 });
    const req = gw.received[0]!;
    expect([req.readUInt8(1), req.readUInt16BE(4), req.readUInt16BE(6), req.readUInt32BE(8)]).toEqual([2, 8443, 8443, 3600]);
  });
});
