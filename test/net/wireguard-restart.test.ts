/**
 * The tunnel comes back after either end restarts. The rig's wireguard-go is killed: its
 * supervisor starts a new one and configures it again. The relay's is killed: its "ensure"
 * script (what the server's systemd watch runs every minute) brings it up with a fresh state
 * that has forgotten where the rig is; the rig's health knocks are data the relay does not
 * answer, so WireGuard re-handshakes within 15 s (the WireGuard paper's timers, §6.6), and the
 * relay learns the rig's new NAT address from it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDR, wireguardTopologySupport } from './wireguard-topology.js';
import { reachableAfter, relayWireguardPid, setUpRelayRig, type RelayRig } from './wireguard-relay-fixture.js';

const support = wireguardTopologySupport();
const skip = !support.ok && process.env['CI'] !== 'true';
const KEEPALIVE_MS = 25_000;

describe.skipIf(skip)('relay tunnel restarts (namespaces, wireguard-go on both ends)', () => {
  let r: RelayRig;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    if (!support.ok) throw new Error(`cannot build the namespace topology: ${support.reason}`);
    r = await setUpRelayRig({ healthIntervalMs: 10_000 });
    await r.call('relay.up');
    await r.waitFor((s) => s.state === 'up', 10_000);
    await reachableAfter(r.tenant, ADDR.cloud, 8443, 'gateway from 100.88.13.1', 5_000);
  }, 60_000);

  afterAll(async () => {
    await r?.rig.request('exit').catch(() => undefined);
    r?.topo.teardown();
    console.log('restart timings (ms):', JSON.stringify(timings));
  });

  it('the rig\u2019s wireguard-go is killed: the supervisor restarts and reconfigures it, traffic flows again', async () => {
    const pid = await r.rig.request<number>('pid');
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, 'SIGKILL');
    timings['rig restart → tenant reaches 8443'] = await reachableAfter(r.tenant, ADDR.cloud, 8443, 'gateway from 100.88.13.1', KEEPALIVE_MS);
    const again = await r.rig.request<number>('pid');
    expect(again).not.toBe(pid);
    expect(timings['rig restart → tenant reaches 8443']).toBeLessThan(KEEPALIVE_MS);
  }, 30_000);

  it('the relay\u2019s wireguard-go is killed and brought back: traffic flows again within the keepalive', async () => {
    process.kill(relayWireguardPid(r.topo), 'SIGKILL');
    await expect(r.tenant.request('tcp', { host: ADDR.cloud, port: 8443, timeoutMs: 1_000 })).rejects.toThrow();
    r.relayEnsure();
    timings['relay restart → tenant reaches 8443'] = await reachableAfter(r.tenant, ADDR.cloud, 8443, 'gateway from 100.88.13.1', KEEPALIVE_MS);
    expect(timings['relay restart → tenant reaches 8443']).toBeLessThan(KEEPALIVE_MS);
    // The next knock answers again: the miss the outage caused is cleared.
    const { status } = await r.waitFor((s) => s.state === 'up' && s.failingSince === null, 15_000);
    expect(status.lastAnswerAt).not.toBeNull();
  }, 40_000);
});
