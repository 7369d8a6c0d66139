import { createSocket, type Socket } from 'node:dgram';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { PortMapResult } from '../api/schemas/bench.js';
import { Settings } from '../api/schemas/settings.js';
import { localNetwork } from '../hardware/bench/network-info.js';
import { silentLogger, type Logger } from '../util/logger.js';
import { natPmpTestRouter } from '../../test/net/nat-pmp-router.js';
import { upnpStandInIgd, type StandInIgd } from '../../test/net/upnp-igd-router.js';
import { BenchService } from './bench-service.js';

/**
 * "Ask the router" end to end in the bench service: NAT-PMP first, UPnP IGD when NAT-PMP does not
 * answer, renewal while mappings exist, removal on request. Both routers are loopback stand-ins
 * (test/net); nothing goes to the real LAN because both addresses are overridden.
 */
const local = await localNetwork(process.platform);
let home: string;
const open: { close: () => unknown }[] = [];
beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'riglease-ports-'));
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});
afterEach(async () => {
  vi.useRealTimers();
  for (const o of open.splice(0)) await o.close();
});

function service(env: NodeJS.ProcessEnv, settings: unknown = {}, logger: Logger = silentLogger): BenchService {
  return new BenchService({
    settings: async () => Settings.parse(settings),
    scan: async () => {
      throw new Error('the port mapper does not scan hardware');
    },
    historyDir: home,
    env,
    platform: process.platform,
    homeDir: home,
    docker: () => {
      throw new Error('the port mapper does not use Docker');
    },
    logger,
  });
}

async function silentUdp(): Promise<Socket> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  open.push(s);
  return s;
}

describe.skipIf(!local.localAddress)('bench.mapPorts: NAT-PMP, then UPnP IGD', () => {
  it('NAT-PMP silent, UPnP present: maps the four ports through UPnP, reports the outside address, removes them on request', async () => {
    const natPmp = await silentUdp();
    const igd: StandInIgd = await upnpStandInIgd({ externalIp: '198.51.100.77' });
    open.push(igd);
    const bench = service({ RIGLEASE_NAT_PMP_GATEWAY: `127.0.0.1:${natPmp.address().port}`, RIGLEASE_UPNP_SSDP: `127.0.0.1:${igd.ssdpPort}` }, { stack: { ports: { gateway: 18443 } } });
    const r = PortMapResult.parse(await bench.mapPorts(3600));
    expect(r.method).toBe('upnp');
    expect(r.externalAddress).toBe('198.51.100.77');
    expect(r.attempts[0]).toMatch(/^NAT-PMP: .*did not answer/);
    expect(r.attempts[1]).toMatch(/^UPnP: Ubuntu router at 127\.0\.0\.1 \(WANIPConnection:2\)/);
    expect(r.mappings.map((m) => [m.port, m.internalPort, m.ok])).toEqual([[80, 80, true], [443, 443, true], [8443, 18443, true], [8444, 8444, true]]);
    // The router was told to forward to this machine's LAN address, with the lease asked for.
    expect(igd.mappings.get(8443)).toMatchObject({ internalPort: 18443, internalClient: local.localAddress, lease: 3600 });
    expect(Date.parse(r.renewsAt!) - Date.now()).toBeGreaterThan(1_700_000);
    expect(Date.parse(r.renewsAt!) - Date.now()).toBeLessThanOrEqual(1_800_000);

    const removed = await bench.unmapPorts();
    expect(removed.method).toBe('upnp');
    expect(removed.mappings.every((m) => m.ok && /no longer forwards/.test(m.message))).toBe(true);
    expect(igd.mappings.size).toBe(0);
    expect(igd.actions.filter((a) => a.endsWith('#DeletePortMapping"'))).toHaveLength(4);
    // Nothing left to remove, and nothing renews any more.
    expect((await bench.unmapPorts()).advice[0]).toMatch(/Nothing to remove/);
  });

  it('one port held by another device (718): the others are mapped, that one is listed to forward by hand', async () => {
    const natPmp = await silentUdp();
    const igd = await upnpStandInIgd({ taken: [443] });
    open.push(igd);
    const bench = service({ RIGLEASE_NAT_PMP_GATEWAY: `127.0.0.1:${natPmp.address().port}`, RIGLEASE_UPNP_SSDP: `127.0.0.1:${igd.ssdpPort}` });
    const r = await bench.mapPorts(7200);
    await bench.stop({ list: () => [] } as never);
    expect(r.method).toBe('upnp');
    expect(r.mappings.find((m) => m.port === 443)).toMatchObject({ ok: false, message: expect.stringMatching(/another device already uses/) });
    expect(r.advice[0]).toBe(`Forward by hand in the router\u2019s settings ("port forwarding"): TCP 443 \u2192 ${local.localAddress}:443.`);
  });

  it('neither NAT-PMP nor UPnP: nothing mapped, and every port listed with where to forward it', async () => {
    const natPmp = await silentUdp();
    const ssdp = await silentUdp();
    const bench = service({ RIGLEASE_NAT_PMP_GATEWAY: `127.0.0.1:${natPmp.address().port}`, RIGLEASE_UPNP_SSDP: `127.0.0.1:${ssdp.address().port}` });
    const t0 = Date.now();
    const r = await bench.mapPorts(7200);
    expect(Date.now() - t0).toBeLessThan(8000);
    expect(r).toMatchObject({ method: null, externalAddress: null, renewsAt: null });
    expect(r.attempts[1]).toMatch(/^UPnP: No router answered UPnP discovery/);
    expect(r.advice[0]).toMatch(/^Neither NAT-PMP nor UPnP mapped the ports\. Forward them by hand/);
    for (const p of [80, 443, 8443, 8444]) expect(r.advice[0]).toContain(`TCP ${p} \u2192 ${local.localAddress}:${p}`);
  });

  it('NAT-PMP mappings are asked for again at half their lifetime, and no longer after removal', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const router = await natPmpTestRouter({});
    open.push(router.socket);
    const bench = service({ RIGLEASE_NAT_PMP_GATEWAY: `127.0.0.1:${router.port}` });
    const r = await bench.mapPorts(600);
    expect(r.method).toBe('nat-pmp');
    expect(r.externalAddress).toBe('203.0.113.7');
    const mapRequests = () => router.received.filter((b) => b.readUInt8(1) === 2);
    expect(mapRequests()).toHaveLength(4);
    vi.advanceTimersByTime(299_000);
    expect(mapRequests()).toHaveLength(4);
    vi.advanceTimersByTime(1_000);
    await vi.waitFor(() => expect(mapRequests()).toHaveLength(8));
    const removed = await bench.unmapPorts();
    expect(removed.method).toBe('nat-pmp');
    // RFC 6886 §3.4: removal is a mapping request with outside port 0 and lifetime 0.
    expect(mapRequests().slice(8).map((b) => [b.readUInt16BE(6), b.readUInt32BE(8)])).toEqual([[0, 0], [0, 0], [0, 0], [0, 0]]);
    vi.advanceTimersByTime(3_600_000);
    expect(mapRequests()).toHaveLength(12);
  });

  it('mappings survive a restart: a fresh service (the app started again) removes what the last one mapped; renewal stops when another process removed them', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const router = await natPmpTestRouter({});
    open.push(router.socket);
    const env = { RIGLEASE_NAT_PMP_GATEWAY: `127.0.0.1:${router.port}` };
    const logged: string[] = [];
    const logger: Logger = { ...silentLogger, info: (msg) => void logged.push(msg), child: () => logger };
    const first = service(env, { stack: { ports: { https: 10443 } } }, logger);
    expect((await first.mapPorts(600)).method).toBe('nat-pmp');
    const mapRequests = () => router.received.filter((b) => b.readUInt8(1) === 2);
    expect(mapRequests()).toHaveLength(4);

    // Another process (`riglease ports unmap`, or the app after a restart) removes them.
    const second = service(env);
    const status = await second.portsStatus();
    expect(status.held?.mappings.map((m) => [m.port, m.internalPort])).toEqual([[80, 80], [443, 10443], [8443, 8443], [8444, 8444]]);
    const removed = await second.unmapPorts();
    expect(removed.mappings.map((m) => [m.port, m.ok])).toEqual([[80, true], [443, true], [8443, true], [8444, true]]);
    expect(mapRequests().slice(4).map((b) => [b.readUInt16BE(4), b.readUInt16BE(6), b.readUInt32BE(8)])).toEqual([[80, 0, 0], [10443, 0, 0], [8443, 0, 0], [8444, 0, 0]]);

    // The first process's renewal comes due: it sees the mappings were removed and does not map them again.
    vi.advanceTimersByTime(300_000);
    await vi.waitFor(() => expect(logged).toContain('bench.ports.not_renewed'));
    expect(mapRequests()).toHaveLength(8);
    expect((await first.portsStatus()).held).toBeNull();
  });
});
