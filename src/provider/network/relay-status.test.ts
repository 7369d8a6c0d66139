import { describe, expect, it } from 'vitest';
import { RelaySettings } from '../../api/schemas/settings/network-relay.js';
import { relayPublicAddress } from './relay-address.js';
import { relayStatusView, type StatusFacts } from './relay-status.js';

const relay = RelaySettings.parse({ enabled: true, endpoint: '203.0.113.7:51820' });
const facts = (over: Partial<StatusFacts> = {}): StatusFacts => ({
  relay,
  configured: true,
  held: true,
  present: true,
  answered: null,
  mode: 'userspace',
  tunnelError: null,
  startError: null,
  handshakeAgeSec: 5,
  health: { startedAt: '2026-12-06T01:00:00.000Z', lastAnswerAt: '2026-12-06T01:00:10.000Z', failingSince: null, misses: 0 },
  intervalMs: 10_000,
  publicAddress: '203.0.113.7',
  ports: null,
  now: Date.parse('2026-12-06T01:01:00.000Z'),
  ...over,
});

describe('relay status in words', () => {
  it('not set up, off, starting, up', () => {
    expect(relayStatusView(facts({ configured: false })).state).toBe('not_set_up');
    expect(relayStatusView(facts({ relay: { ...relay, enabled: false } })).state).toBe('off');
    expect(relayStatusView(facts({ health: { startedAt: 'x', lastAnswerAt: null, failingSince: null, misses: 0 } })).state).toBe('starting');
    const up = relayStatusView(facts());
    expect(up.state).toBe('up');
    expect(up.text).toBe('Tenants reach this rig through your relay server at 203.0.113.7.');
    expect(up.fix).toBeNull();
  });

  it('one missed knock is not an outage; two are, with the time and what to check on the server', () => {
    expect(relayStatusView(facts({ health: { startedAt: 'x', lastAnswerAt: 'y', failingSince: '2026-12-06T01:00:20.000Z', misses: 1 } })).state).toBe('up');
    const down = relayStatusView(facts({ health: { startedAt: 'x', lastAnswerAt: 'y', failingSince: '2026-12-06T01:00:20.000Z', misses: 2 } }));
    expect(down.state).toBe('down');
    expect(down.text).toBe('Not reachable by tenants: your relay server at 203.0.113.7 has not answered through the tunnel since 01:00 UTC.');
    expect(down.fix).toContain('lets UDP 51820 in');
    expect(down.fix).toContain('sudo wg show riglease0');
  });

  it('the tunnel process gone says so; another process holding the tunnel is asked directly', () => {
    const gone = relayStatusView(facts({ present: false, tunnelError: 'wireguard-go is not installed.' }));
    expect(gone.state).toBe('error');
    expect(gone.text).toContain('wireguard-go is not installed.');
    expect(relayStatusView(facts({ held: false, present: true, answered: true })).state).toBe('up');
    expect(relayStatusView(facts({ held: false, present: true, answered: false })).state).toBe('down');
    expect(relayStatusView(facts({ held: false, present: false })).fix).toContain('riglease serve');
    // This process tried and failed: its own reason, not "nobody holds it".
    const failed = relayStatusView(facts({ held: false, present: false, startError: { message: 'The relay tunnel needs the right to create network interfaces.', fix: 'Run RigLease as root.' } }));
    expect([failed.state, failed.text, failed.fix]).toEqual(['error', 'The relay tunnel needs the right to create network interfaces.', 'Run RigLease as root.']);
  });
});

describe('relayPublicAddress (for the DNS records and the provider\u2019s host URI)', () => {
  it('is the endpoint\u2019s address, or the one given, only while the relay is on', () => {
    expect(relayPublicAddress(relay)).toBe('203.0.113.7');
    expect(relayPublicAddress({ ...relay, enabled: false })).toBeNull();
    expect(relayPublicAddress({ ...relay, endpoint: 'relay.example.org:51820' })).toBeNull();
    expect(relayPublicAddress({ ...relay, endpoint: 'relay.example.org:51820', publicAddress: '198.51.100.9' })).toBe('198.51.100.9');
  });

  it('settings refuse what WireGuard or Linux would', () => {
    expect(RelaySettings.safeParse({ endpoint: '203.0.113.7' }).success).toBe(false);
    expect(RelaySettings.safeParse({ endpoint: '203.0.113.7:70000' }).success).toBe(false);
    expect(RelaySettings.safeParse({ interfaceName: 'a-name-longer-than-15' }).success).toBe(false);
    expect(RelaySettings.safeParse({ rigPublicKey: 'not-a-key' }).success).toBe(false);
    expect(RelaySettings.parse({}).relayAddress).toBe('100.88.13.1');
  });
});
