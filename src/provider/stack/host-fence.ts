import { z } from 'zod';
import type { StackSettings } from '../../api/schemas/settings/stack.js';

/**
 * This computer's own public address, as seen from a tenant's pod. The fence drops private
 * ranges, but a pod can still go out to the home's public address and be sent back in by the
 * router (hairpin NAT): to the router's own WAN-side services (remote admin, TR-069 on 7547) and
 * to every port the person forwards to other machines (a NAS, a game server). The entry script
 * resolves `provider.<domain>` (kept on the public address by the network room) at start and every
 * 5 minutes (a home's address changes), and drops pod traffic to it except the ports tenants
 * legitimately reach there: the provider's own 80/443/8443/8444 and its NodePorts.
 */
export const HOST_CHAIN = 'RIGLEASE-HOST';
const REFRESH_S = 300;

/** Private, loopback, link-local and CGNAT answers are skipped: the fence already drops those ranges. */
const SKIP = '10.*|127.*|169.254.*|192.168.*|172.1[6-9].*|172.2[0-9].*|172.3[01].*|100.6[4-9].*|100.[7-9][0-9].*|100.1[01][0-9].*|100.12[0-7].*';

export interface HostFence {
  /** The provider's public name (`provider.<domain>`). */
  name: string;
  /** NodePort range `start:end`, or null when none is published. */
  nodePorts: string | null;
}

/**
 * The fence as it travels to a farm's members (the fleet API's hello): they run tenants too, behind
 * the same router, so they fence the same address and leave the same ports open. The name ends up
 * inside a shell script, so only a DNS name and a port range pass.
 */
export const HostFenceSchema = z
  .object({
    name: z.string().max(253).regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/i, 'a DNS name such as provider.example.com'),
    nodePorts: z.string().regex(/^\d{1,5}:\d{1,5}$/, 'a port range such as 30000:30099').nullable(),
  })
  .strict();

/** This machine's fence from its stack settings: none until a provider domain is set. */
export function providerHostFence(s: Pick<StackSettings, 'domain' | 'ports'>): HostFence | null {
  if (!s.domain) return null;
  const nodePorts = s.ports.nodePortCount > 0 ? `${s.ports.nodePortStart}:${s.ports.nodePortStart + s.ports.nodePortCount - 1}` : null;
  return { name: `provider.${s.domain}`, nodePorts };
}

export function hostFenceLines(f: HostFence, egressChain: string): string[] {
  const tcp = ['80', '443', '8443', '8444', ...(f.nodePorts ? [f.nodePorts] : [])].join(',');
  const m = `iptables -t mangle`;
  return [
    'riglease_host_fence() {',
    `  ${m} -N ${HOST_CHAIN} 2>/dev/null || true`,
    `  ${m} -F ${HOST_CHAIN} || return 1`,
    `  addrs=$(getent ahostsv4 '${f.name}' 2>/dev/null | awk '{print $1}' | sort -u)`,
    '  fenced=""',
    '  for a in $addrs; do',
    `    case "$a" in ${SKIP}) continue ;; esac`,
    `    ${m} -A ${HOST_CHAIN} -d "$a/32" -p tcp -m multiport --dports ${tcp} -j RETURN || return 1`,
    ...(f.nodePorts ? [`    ${m} -A ${HOST_CHAIN} -d "$a/32" -p udp -m multiport --dports ${f.nodePorts} -j RETURN || return 1`] : []),
    `    ${m} -A ${HOST_CHAIN} -d "$a/32" -j DROP || return 1`,
    '    fenced="$fenced $a"',
    '  done',
    '  echo "$fenced"',
    '}',
    'host_addrs=$(riglease_host_fence) || fail "cannot fence this computer\'s public address"',
    `${m} -C ${egressChain} -j ${HOST_CHAIN} 2>/dev/null || ${m} -A ${egressChain} -j ${HOST_CHAIN} || fail "cannot hook ${HOST_CHAIN}"`,
    `if [ -n "$host_addrs" ]; then echo "riglease-entry: pods cannot reach this computer's public address ($(echo $host_addrs)) except the provider's own ports"; else echo "riglease-entry: warning: ${f.name} does not resolve yet, so pods can still reach this computer's public address through the router; checked again every ${REFRESH_S / 60} minutes" >&2; fi`,
    `( while sleep ${REFRESH_S}; do riglease_host_fence >/dev/null 2>&1; done ) &`,
  ];
}
