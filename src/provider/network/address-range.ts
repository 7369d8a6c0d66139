import { isIPv4 } from 'node:net';
import { classifyIPv4 } from '../../hardware/bench/network-info.js';
import type { AddressRange } from '../../api/schemas/network.js';

/** `a.b.c.d/n` as a 32-bit network and mask. */
function parseCidr(cidr: string): { net: number; mask: number } | null {
  const [ip, bits] = cidr.split('/');
  const n = Number(bits);
  if (!ip || !isIPv4(ip) || !Number.isInteger(n) || n < 0 || n > 32) return null;
  const mask = n === 0 ? 0 : (~0 << (32 - n)) >>> 0;
  return { net: (toInt(ip) & mask) >>> 0, mask };
}

function toInt(ip: string): number {
  return ip.split('.').reduce((acc, o) => ((acc << 8) | Number(o)) >>> 0, 0);
}

export function inCidr(ip: string, cidr: string): boolean {
  const c = parseCidr(cidr);
  return c !== null && isIPv4(ip) && ((toInt(ip) & c.mask) >>> 0) === c.net;
}

/**
 * RFC 1918 private, RFC 6598 shared address space (100.64.0.0/10, carrier-grade NAT), loopback,
 * link-local, else public. `extraPrivate` lists further ranges to read as private: the namespace
 * tests may only use RFC 5737 documentation ranges, so one of those plays the home LAN there.
 */
export function addressRange(ip: string | null, extraPrivate: readonly string[] = []): AddressRange {
  if (ip && extraPrivate.some((c) => inCidr(ip, c))) return 'private';
  return classifyIPv4(ip);
}
