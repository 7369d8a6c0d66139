import { isIP } from 'node:net';

/** One address of a network interface, as `os.networkInterfaces()` reports it. */
export interface InterfaceAddress {
  address: string;
  netmask: string;
  family: string;
  internal: boolean;
}

export interface LanAddressChoice {
  address: string;
  /** How it was found, in words the join result shows. */
  how: 'set' | 'same-machine' | 'controller-subnet' | 'private';
}

/**
 * Interfaces that are never this machine's LAN: Docker's and k3s's own bridges, veth ends,
 * flannel and WireGuard tunnels. A member that advertised one of them (say docker0's 172.17.0.1)
 * would give the other machines an address that only exists inside this computer.
 */
const NOT_LAN = /^(docker\d*|br-|veth|cni|flannel|kube-|vxlan|wg|tailscale|virbr|lo$)/;

const PRIVATE = /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.)/;

function ipv4ToInt(a: string): number {
  return a.split('.').reduce((n, p) => ((n << 8) | Number(p)) >>> 0, 0);
}

function sameSubnet(a: string, b: string, mask: string): boolean {
  const m = ipv4ToInt(mask);
  return (ipv4ToInt(a) & m) === (ipv4ToInt(b) & m);
}

/**
 * The address this machine's k3s agent advertises to the farm (`--node-external-ip`, and the host
 * address its kubelet and pod-network ports are published on). k3s's distributed-cluster setup
 * needs it on every agent (docs.k3s.io/networking/distributed-multicloud): without it flannel
 * sends this node's pod traffic to the agent container's Docker-bridge address, which no other
 * machine can reach. Chosen in this order: the one the person set (`farm.advertiseAddress`); the
 * loopback when the controller is on this very machine; the interface on the controller's subnet;
 * the first private IPv4 that is not a container bridge. null = none (the join is refused).
 */
export function chooseLanAddress(
  interfaces: Record<string, InterfaceAddress[] | undefined>,
  controllerHost: string,
  advertise: string,
): LanAddressChoice | null {
  if (advertise.trim()) return { address: advertise.trim(), how: 'set' };
  if (/^127\./.test(controllerHost) || controllerHost === 'localhost') return { address: '127.0.0.1', how: 'same-machine' };
  const candidates = Object.entries(interfaces)
    .filter(([name]) => !NOT_LAN.test(name))
    .flatMap(([, list]) => list ?? [])
    .filter((a) => a.family === 'IPv4' && !a.internal && isIP(a.address) === 4);
  if (isIP(controllerHost) === 4) {
    const onSubnet = candidates.find((a) => sameSubnet(a.address, controllerHost, a.netmask));
    if (onSubnet) return { address: onSubnet.address, how: 'controller-subnet' };
  }
  const priv = candidates.find((a) => PRIVATE.test(a.address));
  return priv ? { address: priv.address, how: 'private' } : null;
}

/** The host of a join code's `https://host:port` k3s URL. */
export function hostOfUrl(url: string): string {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return '';
  }
}

/** The join result's line saying which address was chosen and how to change it. */
export function lanAddressNote(c: LanAddressChoice): string {
  const why = {
    set: 'as set in farm.advertiseAddress',
    'same-machine': 'the controller runs on this same machine',
    'controller-subnet': "found on the controller's network",
    private: "the first private address found; it is not on the controller's network, so check that the controller reaches it",
  }[c.how];
  return `This machine's k3s tells the farm to reach it at ${c.address} (${why}). To use another address: riglease settings set farm.advertiseAddress <address>, then join again.`;
}
