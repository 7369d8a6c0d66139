import type { z } from 'zod';
import type { EgressRule } from '../../api/schemas/stack.js';
import { POD_CIDR, SERVICE_CIDR } from './names.js';

// The public-address part of the fence, for the farm's members, which build their own entry script.
export { HOST_CHAIN, HostFenceSchema, hostFenceLines, type HostFence } from './host-fence.js';

type Rule = z.infer<typeof EgressRule>;

/** Private, shared (CGNAT) and link-local ranges a tenant pod must never reach from a home PC. */
export const BLOCKED_V4 = [
  { cidr: '10.0.0.0/8', why: 'private range (home/office LANs, VPNs)' },
  { cidr: '172.16.0.0/12', why: 'private range: Docker networks, so the Docker host and this node itself' },
  { cidr: '192.168.0.0/16', why: 'private range: the home LAN (router, NAS, other PCs)' },
  { cidr: '100.64.0.0/10', why: 'shared/CGNAT range (Tailscale and ISP-internal addresses)' },
  { cidr: '169.254.0.0/16', why: 'link-local (cloud metadata services, auto-configured devices)' },
] as const;

/**
 * Stands for this node's own address(es) on its Docker network, which the entry script learns
 * at start (Docker hands the address out, so it is not known when planning).
 */
export const NODE_ADDRESSES = 'node-address/32';

/**
 * The stack's own egress block, from the pod network. NetworkPolicies are allow-lists that add
 * up, so another policy (even Akash's own per-lease one) could re-allow a range; a DROP in the
 * mangle table runs before kube-router/flannel ACCEPTs and cannot be overridden from inside
 * the cluster. In-cluster ranges come first so pods still reach each other, CoreDNS and Services.
 */
export function egressRules(allowPrivate: readonly string[]): Rule[] {
  return [
    { cidr: POD_CIDR, action: 'allow', why: 'pod network (pod to pod inside the cluster)' },
    { cidr: SERVICE_CIDR, action: 'allow', why: 'cluster Services, including DNS; the k3s API Service is fenced by Akash per-lease NetworkPolicies' },
    ...allowPrivate.map((cidr): Rule => ({ cidr, action: 'allow', why: 'allowed in settings (stack.allowPrivateEgress)' })),
    {
      cidr: NODE_ADDRESSES,
      action: 'allow',
      why: "this node's own address on its Docker network, learned at start: pods reach the kubelet (metrics-server, logs, exec) and the node's ports; not the Docker gateway, which is this computer",
    },
    ...BLOCKED_V4.map((b): Rule => ({ cidr: b.cidr, action: 'drop', why: b.why })),
  ];
  // No IPv6 rules: the container's Docker network is created without IPv6 (docker-objects.ts), so
  // Docker disables IPv6 in it (disable_ipv6=1, no address, no route: checked on the test engine)
  // and the entry script refuses to start k3s if it ever has a global IPv6 address.
}

/**
 * The interfaces pod traffic arrives on, whatever source address it claims (a pod with NET_RAW
 * can forge one): k3s's flannel CNI puts every pod's veth on the bridge `cni0` (k3s
 * pkg/agent/flannel/setup_osspecific.go: the flannel plugin with its default bridge delegate,
 * flannel-io/cni-plugin: bridge name "cni0"); other nodes' pods come in on `flannel.1` (VXLAN,
 * VNI 1, flannel backend/vxlan) or `flannel-wg` (wireguard-native, flannel backend/wireguard).
 */
export const POD_INTERFACES = ['cni0', 'flannel.1', 'flannel-wg'] as const;

export const EGRESS_CHAIN = 'RIGLEASE-EGRESS';
const CHAIN = EGRESS_CHAIN;

/**
 * The container's entry script: applies the IPv4 rules, writes the DNS file k3s hands to pods,
 * then execs k3s with the planned args. It refuses to start k3s when the rules cannot be applied:
 * running tenants without the fence on a home network is worse than not running.
 * Args reach it as "$@" (`sh -c script riglease-entry server …`); `beforeExec` may add to them
 * (the farm's pod-network backend, pod-network.ts).
 */
export function entryScript(rules: Rule[], dnsServers: readonly string[], beforeExec: readonly string[] = []): string {
  const v4 = rules.filter((r) => !r.cidr.includes(':'));
  const lines = [
    'set -u',
    'fail() { echo "riglease-entry: $*" >&2; exit 1; }',
    'export PATH="$PATH:/bin/aux:/usr/sbin:/sbin"',
    'command -v iptables >/dev/null 2>&1 || fail "iptables not found: refusing to start k3s without the egress block"',
    `iptables -t mangle -N ${CHAIN} 2>/dev/null || true`,
    `iptables -t mangle -F ${CHAIN} || fail "cannot flush ${CHAIN}"`,
    ...v4.flatMap((r) => (r.cidr === NODE_ADDRESSES ? nodeAddressLines() : [`iptables -t mangle -A ${CHAIN} -d ${r.cidr} -j ${r.action === 'allow' ? 'RETURN' : 'DROP'} || fail "cannot add rule for ${r.cidr}"`])),
    `iptables -t mangle -C PREROUTING -s ${POD_CIDR} -j ${CHAIN} 2>/dev/null || iptables -t mangle -I PREROUTING 1 -s ${POD_CIDR} -j ${CHAIN} || fail "cannot hook ${CHAIN}"`,
    // By interface too, so a forged source address does not walk around the fence.
    ...POD_INTERFACES.map((i) => `iptables -t mangle -C PREROUTING -i ${i} -j ${CHAIN} 2>/dev/null || iptables -t mangle -I PREROUTING 1 -i ${i} -j ${CHAIN} || fail "cannot hook ${CHAIN} on ${i}"`),
    ...noIpv6Lines(),
    'mkdir -p /etc/riglease',
    `printf '%s\\n' ${dnsServers.map((d) => `'nameserver ${d}'`).join(' ')} > /etc/riglease/resolv.conf`,
    'echo "riglease-entry: egress block applied, starting k3s"',
    ...beforeExec,
    'exec /bin/k3s "$@"',
  ];
  return lines.join('\n');
}

/**
 * The fence is IPv4 only; Docker gives this container no IPv6 (network created without it). Should
 * a daemon ever hand one out anyway, k3s does not start: pods would have a way out the fence does
 * not cover. /proc/net/if_inet6 lines: address, index, prefix, scope (00 = global), flags, name.
 */
function noIpv6Lines(): string[] {
  return [
    'if [ -r /proc/net/if_inet6 ]; then while read -r addr idx plen scope flags name; do',
    `  if [ "$scope" = "00" ] && [ "$name" != "lo" ]; then fail "this container has the IPv6 address $addr on $name, which the egress block does not cover: refusing to start k3s. Turn IPv6 off for RigLease's Docker network (remove it; RigLease creates it without IPv6)"; fi`,
    'done < /proc/net/if_inet6; fi',
  ];
}

/**
 * This node's IPv4 addresses (not loopback), read from /proc/net/fib_trie with shell builtins only
 * (no `ip` in every image): each "/32 host LOCAL" line follows the line naming the address. The
 * pods' traffic to them is RETURNed before the DROP of 172.16.0.0/12, which holds the node's own
 * Docker-network address. Without an address the fence still stands; only pod → node breaks, so
 * that is a warning, not a refusal to start.
 */
function nodeAddressLines(): string[] {
  return [
    'own=""; prev=""',
    'while read -r a b c rest; do',
    '  if [ "$a $b $c" = "/32 host LOCAL" ]; then case "$prev" in 127.*) ;; *) case " $own " in *" $prev "*) ;; *) own="$own $prev" ;; esac ;; esac; fi',
    '  prev="$b"',
    'done < /proc/net/fib_trie',
    `for a in $own; do iptables -t mangle -A ${CHAIN} -d "$a/32" -j RETURN || fail "cannot add rule for this node's address $a"; done`,
    'if [ -n "$own" ]; then echo "riglease-entry: this node\'s own address(es):$own"; else echo "riglease-entry: warning: could not learn this node\'s address; pods cannot reach the kubelet" >&2; fi',
  ];
}
