import type { StackSettings } from '../../api/schemas/settings/stack.js';

/** One port (or a range) the relay forwards from its public address to this rig through the tunnel. */
export interface RelayForward {
  protocol: 'tcp' | 'udp';
  /** The public port (first of a range). */
  publicPort: number;
  /** How many consecutive ports; 1 for a single one. */
  count: number;
  /** Where it lands on the rig: the host port the stack publishes it on (first of a range). */
  rigPort: number;
  purpose: string;
}

/**
 * The provider's ports as the stack publishes them (container-spec.ts): 80, 443, 8443, 8444 to
 * their host ports, and the tenant NodePort range 1:1 — for both TCP and UDP, because a lease may
 * expose a UDP port and Kubernetes gives it a NodePort from the same range.
 */
export function relayForwards(ports: StackSettings['ports']): RelayForward[] {
  const list: RelayForward[] = [
    { protocol: 'tcp', publicPort: 80, count: 1, rigPort: ports.http, purpose: 'tenant HTTP ingress' },
    { protocol: 'tcp', publicPort: 443, count: 1, rigPort: ports.https, purpose: 'tenant HTTPS ingress (TLS passes through untouched)' },
    { protocol: 'tcp', publicPort: 8443, count: 1, rigPort: ports.gateway, purpose: 'provider gateway (manifests, lease status)' },
    { protocol: 'tcp', publicPort: 8444, count: 1, rigPort: ports.grpc, purpose: 'provider gRPC' },
  ];
  if (ports.nodePortCount > 0) {
    for (const protocol of ['tcp', 'udp'] as const) {
      list.push({ protocol, publicPort: ports.nodePortStart, count: ports.nodePortCount, rigPort: ports.nodePortStart, purpose: `tenant NodePorts (${protocol.toUpperCase()})` });
    }
  }
  return list;
}

/** Whether a public port is taken by a forward (the server's own SSH and WireGuard port must never be). */
export function forwardsCover(forwards: readonly RelayForward[], protocol: 'tcp' | 'udp', port: number): boolean {
  return forwards.some((f) => f.protocol === protocol && port >= f.publicPort && port < f.publicPort + f.count);
}
