/**
 * With the relay's server gone, the rig says so within a minute: relay.status turns "down" with
 * what to check, and the Dashboard's alert list (rigStatus, the source of dashboard.summary's
 * alerts and status line) carries it. The production knock interval is used (10 s).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rigStatus, type StatusInputs } from '../../src/app/dashboard/status-model.js';
import { ADDR, wireguardTopologySupport } from './wireguard-topology.js';
import { relayWireguardPid, setUpRelayRig, type RelayRig } from './wireguard-relay-fixture.js';

const support = wireguardTopologySupport();
const skip = !support.ok && process.env['CI'] !== 'true';

const healthy: StatusInputs = {
  gpus: [{ name: 'NVIDIA GeForce RTX 4090' }],
  availability: { mode: 'online', activity: 'idle', bidding: true, reason: '', pausedUntil: null, gamingProcesses: [] },
  prices: [],
  stack: { overall: 'running' },
  ports: null,
  wallet: { exists: true, balanceUakt: 10_000_000n, bidDepositUakt: 500_000n },
  activeLeases: 0,
  certificate: null,
  leasedGpus: [],
};

describe.skipIf(skip)('relay down (namespaces, wireguard-go on both ends)', () => {
  let r: RelayRig;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    if (!support.ok) throw new Error(`cannot build the namespace topology: ${support.reason}`);
    // No interval given: the service's default, as in the app.
    r = await setUpRelayRig({ listeners: false });
    await r.call('relay.up');
    await r.waitFor((s) => s.state === 'up', 10_000);
  }, 60_000);

  afterAll(async () => {
    await r?.rig.request('exit').catch(() => undefined);
    r?.topo.teardown();
    console.log('relay-down timings (ms):', JSON.stringify(timings));
  });

  it('while the relay answers, the dashboard has no relay alert', async () => {
    const { status } = await r.waitFor((s) => s.state === 'up', 1_000);
    expect(rigStatus({ ...healthy, relay: status }).alerts.find((a) => a.id === 'relay')).toBeUndefined();
  });

  it('the server stops answering: status says "down" within a minute, with what to check, and the dashboard blocks on it', async () => {
    process.kill(relayWireguardPid(r.topo), 'SIGKILL');
    const { status, ms } = await r.waitFor((s) => s.state === 'down', 60_000);
    timings['relay killed → status down'] = ms;
    expect(ms).toBeLessThan(60_000);
    expect(status.text).toContain(`Not reachable by tenants: your relay server at ${ADDR.cloud} has not answered`);
    expect(status.fix).toContain('UDP 51820');
    expect(status.failingSince).not.toBeNull();
    const dash = rigStatus({ ...healthy, relay: status });
    const alert = dash.alerts.find((a) => a.id === 'relay');
    expect(alert?.level).toBe('block');
    expect(dash.status.state).toBe('not_bidding');
    expect(dash.status.text).toBe(status.text);
  }, 65_000);
});
