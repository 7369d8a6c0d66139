import { isIP } from 'node:net';
import type { FarmSettings } from '../../api/schemas/settings/farm.js';

/**
 * Where the fleet API listens: `farm.listenHost` when set; else the LAN address the join code
 * names (an IP `advertiseAddress`, else the first private IPv4), so the port is not offered on a
 * VPN, a Docker bridge or a public address; every interface only when no such address exists.
 */
export function fleetListenHost(f: Pick<FarmSettings, 'listenHost' | 'advertiseAddress'>, firstPrivate: () => string | null): string {
  if (f.listenHost) return f.listenHost;
  if (f.advertiseAddress && isIP(f.advertiseAddress)) return f.advertiseAddress;
  return firstPrivate() ?? '0.0.0.0';
}
