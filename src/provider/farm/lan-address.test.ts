import { describe, expect, it } from 'vitest';
import { chooseLanAddress, hostOfUrl, lanAddressNote } from './lan-address.js';

const v4 = (address: string, netmask = '255.255.255.0') => ({ address, netmask, family: 'IPv4', internal: false });
// A machine as Docker leaves it: loopback, the LAN card, Docker's and a compose network's bridges.
const machine = {
  lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', internal: true }],
  docker0: [v4('172.17.0.1', '255.255.0.0')],
  'br-6588a0cbd5cc': [v4('172.27.0.1', '255.255.0.0')],
  enp3s0: [v4('192.168.1.23'), { address: 'fe80::1', netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', internal: false }],
};

describe("a member's LAN address (k3s --node-external-ip)", () => {
  it("is the interface on the controller's network, never a Docker bridge", () => {
    expect(chooseLanAddress(machine, '192.168.1.10', '')).toEqual({ address: '192.168.1.23', how: 'controller-subnet' });
    // Controller elsewhere: the first private address that is not a bridge.
    expect(chooseLanAddress(machine, '10.8.0.1', '')).toEqual({ address: '192.168.1.23', how: 'private' });
    // No controller yet (the controller's own join code): the same rule, docker0 skipped.
    expect(chooseLanAddress(machine, '', '')).toEqual({ address: '192.168.1.23', how: 'private' });
  });
  it('takes what the person set, and the loopback when the controller is this machine', () => {
    expect(chooseLanAddress(machine, '192.168.1.10', ' 192.168.1.99 ')).toEqual({ address: '192.168.1.99', how: 'set' });
    expect(chooseLanAddress(machine, '127.0.0.1', '')).toEqual({ address: '127.0.0.1', how: 'same-machine' });
  });
  it('finds none on a machine with only bridges (the join is refused), and reads documentation ranges on the same subnet', () => {
    expect(chooseLanAddress({ lo: machine.lo, docker0: machine.docker0 }, '192.168.1.10', '')).toBeNull();
    expect(chooseLanAddress({ eth0: [v4('198.51.100.20')] }, '198.51.100.10', '')).toEqual({ address: '198.51.100.20', how: 'controller-subnet' });
  });
  it('reads the host of a k3s URL and says how to change the address', () => {
    expect(hostOfUrl('https://192.0.2.10:6443')).toBe('192.0.2.10');
    expect(hostOfUrl('not a url')).toBe('');
    expect(lanAddressNote({ address: '192.168.1.23', how: 'controller-subnet' })).toMatch(/192\.168\.1\.23.*farm\.advertiseAddress/);
  });
});
