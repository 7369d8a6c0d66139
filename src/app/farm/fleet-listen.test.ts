import { describe, expect, it } from 'vitest';
import { Settings } from '../../api/schemas/settings.js';
import { fleetListenHost } from './fleet-listen.js';

describe('where the fleet API listens', () => {
  const farm = (over: Record<string, unknown> = {}) => Settings.parse({ farm: over }).farm;

  it('by default on the LAN address the code names, not on every interface', () => {
    expect(farm().listenHost).toBe('');
    expect(fleetListenHost(farm({ advertiseAddress: '192.168.1.20' }), () => '10.0.0.5')).toBe('192.168.1.20');
    expect(fleetListenHost(farm(), () => '192.168.1.21')).toBe('192.168.1.21');
    // A host name cannot be listened on: the first private address then.
    expect(fleetListenHost(farm({ advertiseAddress: 'rig-a.lan' }), () => '192.168.1.21')).toBe('192.168.1.21');
  });

  it('every interface only when asked, or when this machine has no private address', () => {
    expect(fleetListenHost(farm({ listenHost: '0.0.0.0' }), () => '192.168.1.21')).toBe('0.0.0.0');
    expect(fleetListenHost(farm(), () => null)).toBe('0.0.0.0');
  });
});
