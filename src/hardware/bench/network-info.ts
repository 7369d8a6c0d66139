import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { isIPv4 } from 'node:net';

export type AddressKind = 'public' | 'private' | 'cgnat' | 'loopback' | 'link_local' | 'unknown';

/** RFC 1918 private, RFC 6598 shared (carrier-grade NAT), loopback, link-local, else public. */
export function classifyIPv4(ip: string | null): AddressKind {
  if (!ip || !isIPv4(ip)) return 'unknown';
  const [a, b] = ip.split('.').map(Number) as [number, number];
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
  if (a === 100 && b >= 64 && b <= 127) return 'cgnat';
  if (a === 127) return 'loopback';
  if (a === 169 && b === 254) return 'link_local';
  return 'public';
}

export interface DefaultRoute {
  iface: string;
  gateway: string;
}

/**
 * Linux `/proc/net/route`: the row whose Destination is 00000000 is the default route;
 * Gateway is a little-endian hex IPv4. The lowest Metric wins when there are several.
 */
export function parseProcNetRoute(text: string): DefaultRoute | null {
  let best: (DefaultRoute & { metric: number }) | null = null;
  for (const line of text.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 8 || cols[1] !== '00000000') continue;
    const flags = Number.parseInt(cols[3]!, 16);
    if ((flags & 0x1) === 0) continue; // RTF_UP
    const g = cols[2]!;
    if (!/^[0-9A-Fa-f]{8}$/.test(g)) continue;
    const gateway = [3, 2, 1, 0].map((i) => Number.parseInt(g.slice(i * 2, i * 2 + 2), 16)).join('.');
    const metric = Number(cols[6]);
    if (!best || metric < best.metric) best = { iface: cols[0]!, gateway, metric };
  }
  return best ? { iface: best.iface, gateway: best.gateway } : null;
}

export interface LocalNetwork {
  interfaceName: string | null;
  localAddress: string | null;
  gateway: string | null;
}

/**
 * The default interface, its IPv4 address and the router. On Linux from the routing table; on
 * other systems the first non-internal IPv4 interface, with the router unknown (we do not
 * guess it).
 */
export async function localNetwork(platform: NodeJS.Platform, interfaces = os.networkInterfaces(), readRoutes = () => readFile('/proc/net/route', 'utf8')): Promise<LocalNetwork> {
  let route: DefaultRoute | null = null;
  if (platform === 'linux') route = parseProcNetRoute(await readRoutes().catch(() => ''));
  const v4 = (name: string) => interfaces[name]?.find((a) => a.family === 'IPv4' && !a.internal)?.address ?? null;
  if (route && v4(route.iface)) return { interfaceName: route.iface, localAddress: v4(route.iface), gateway: route.gateway };
  for (const name of Object.keys(interfaces)) {
    const a = v4(name);
    if (a) return { interfaceName: name, localAddress: a, gateway: route?.gateway ?? null };
  }
  return { interfaceName: null, localAddress: null, gateway: route?.gateway ?? null };
}
