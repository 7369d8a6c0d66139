import { z } from 'zod';

/**
 * One exception to the tenants' egress fence (`stack.allowPrivateEgress`): an IPv4 range on the
 * home network that pods may reach. The fence drops 10/8, 172.16/12, 192.168/16, 100.64/10 and
 * 169.254/16; an exception as wide as a whole LAN (or `0.0.0.0/0`) would quietly switch it off,
 * so only ranges narrower than /16 are accepted, written exactly (no host bits).
 */
export const WIDEST_EGRESS_PREFIX = 17;

export interface Ipv4Cidr {
  /** The range as 32-bit unsigned network address. */
  network: number;
  prefix: number;
}

function ipv4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255) return null;
    n = n * 256 + Number(p);
  }
  return n;
}

export function formatIpv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/** The mask's network part of `addr` for `prefix` (unsigned arithmetic: JS bit operators are signed). */
export function networkOf(addr: number, prefix: number): number {
  const size = 2 ** (32 - prefix);
  return Math.floor(addr / size) * size;
}

/** Why `text` is not an acceptable exception, or null when it is. */
export function privateEgressProblem(text: string): string | null {
  const m = /^([0-9.]+)\/(\d{1,2})$/.exec(text);
  const addr = m ? ipv4(m[1]!) : null;
  const prefix = m ? Number(m[2]) : NaN;
  if (!m || addr === null || !(prefix >= 0 && prefix <= 32)) {
    return `${JSON.stringify(text)} is not an IPv4 range: write it as address/prefix, e.g. 192.168.1.10/32 for one machine`;
  }
  if (prefix < WIDEST_EGRESS_PREFIX) {
    return `${text} is as wide as a whole network (/${prefix}): allowing it would let every tenant's containers reach all of your home or office network, which switches the fence off. Allow only the machines they need, e.g. 192.168.1.10/32, or a small range such as /24 or narrower`;
  }
  const net = networkOf(addr, prefix);
  if (net !== addr) return `${text} has host bits set: the range /${prefix} that holds it is ${formatIpv4(net)}/${prefix}; write that, or ${m[1]}/32 for that one address`;
  return null;
}

export const PrivateEgressCidr = z.string().superRefine((v, ctx) => {
  const problem = privateEgressProblem(v);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
