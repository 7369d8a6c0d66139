// The NetworkPolicies Akash's provider creates for a lease, built the way its own builder does:
// akash-network/provider cluster/kube/builder/netpol.go `(*netPol).Create` at commit
// 0a3f81a0dd537d4404734b16ac09d13f00028f2e (names from builder.go: `akashDeploymentPolicyName`
// "akash-deployment-restrictions", `akashNetworkNamespace` "akash.network/namespace"). Only the
// ingress side is followed, and only what decides who may talk to a lease's pods; plus a small
// evaluator of Kubernetes' NetworkPolicy ingress semantics for pod-to-pod traffic.

export interface LabelSelector {
  matchLabels?: Record<string, string>;
}

export interface PolicyPeer {
  namespaceSelector?: LabelSelector;
  podSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}

export interface NetworkPolicy {
  metadata: { name: string; namespace: string };
  spec: {
    podSelector: LabelSelector;
    policyTypes: ('Ingress' | 'Egress')[];
    ingress: { from?: PolicyPeer[]; ports?: { port: number; protocol: 'TCP' | 'UDP' }[] }[];
  };
}

export interface LeaseService {
  name: string;
  expose: { port: number; proto: 'TCP' | 'UDP'; global: boolean; /** HTTP on 80 with global: served by the ingress (manifest `IsIngress`). */ ingress: boolean }[];
}

export interface ProviderNetpolSettings {
  /** DEPLOYMENT_NETWORK_POLICIES_ENABLED */
  enabled: boolean;
  /** AP_INGRESS_MODE */
  ingressMode: string;
  /** AP_GATEWAY_NAMESPACE */
  gatewayNamespace: string;
}

const INGRESS_LABEL = 'app.kubernetes.io/name';
const INGRESS_VALUE = 'ingress-nginx';
export const AKASH_NETWORK_NAMESPACE = 'akash.network/namespace';
/** The label the API server itself puts on every namespace (Kubernetes ≥ 1.22, NamespaceDefaultLabelName). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** netpol.go `Create`, ingress side: the lease-wide policy and one per service with global non-ingress ports. */
export function leaseNetworkPolicies(s: ProviderNetpolSettings, leaseNs: string, services: LeaseService[]): NetworkPolicy[] {
  if (!s.enabled) return [];
  const ingress: NetworkPolicy['spec']['ingress'] = [
    // "Allow Network Connections from same Namespace"
    { from: [{ namespaceSelector: { matchLabels: { [AKASH_NETWORK_NAMESPACE]: leaseNs } } }] },
    // "Allow Network Connections from NGINX ingress controller"
    { from: [{ namespaceSelector: { matchLabels: { [INGRESS_LABEL]: INGRESS_VALUE } }, podSelector: { matchLabels: { [INGRESS_LABEL]: INGRESS_VALUE } } }] },
  ];
  // "Add Gateway API ingress rule if gateway-api mode is enabled"
  if (s.ingressMode === 'gateway-api' && s.gatewayNamespace !== '') {
    ingress.push({ from: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: s.gatewayNamespace } } }] });
  }
  const out: NetworkPolicy[] = [
    { metadata: { name: 'akash-deployment-restrictions', namespace: leaseNs }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress } },
  ];
  for (const svc of services) {
    const ports = svc.expose.filter((e) => e.global && !e.ingress).map((e) => ({ port: e.port, protocol: e.proto }));
    if (ports.length) {
      out.push({
        metadata: { name: `akash-${svc.name}-np`, namespace: leaseNs },
        spec: { podSelector: { matchLabels: { 'akash.network/manifest-service': svc.name } }, policyTypes: ['Ingress'], ingress: [{ ports }] },
      });
    }
  }
  return out;
}

export interface PodRef {
  namespace: string;
  /** The namespace's labels, including the API server's `kubernetes.io/metadata.name`. */
  namespaceLabels: Record<string, string>;
  labels: Record<string, string>;
  node: string;
}

const matches = (sel: LabelSelector | undefined, labels: Record<string, string>): boolean =>
  Object.entries(sel?.matchLabels ?? {}).every(([k, v]) => labels[k] === v);

/**
 * Kubernetes' ingress semantics for pod → pod on one port: the destination is isolated when any
 * policy selects it; then some rule of a selecting policy must admit the source (a peer with only
 * a namespaceSelector = every pod there; with both = pods matching both; none = any source) and
 * the port. Nodes play no part: a policy names pods, wherever they run.
 */
export function admits(policies: NetworkPolicy[], from: PodRef, to: PodRef, port: { port: number; protocol: 'TCP' | 'UDP' }): boolean {
  const selecting = policies.filter((p) => p.metadata.namespace === to.namespace && p.spec.policyTypes.includes('Ingress') && matches(p.spec.podSelector, to.labels));
  if (!selecting.length) return true;
  return selecting.some((p) =>
    p.spec.ingress.some((rule) => {
      const portOk = !rule.ports || rule.ports.some((x) => x.port === port.port && x.protocol === port.protocol);
      const peerOk =
        !rule.from ||
        rule.from.some((peer) => {
          if (peer.ipBlock) return false; // only the leased-IP policy has one; it is not built here
          const nsOk = peer.namespaceSelector ? matches(peer.namespaceSelector, from.namespaceLabels) : from.namespace === p.metadata.namespace;
          const podOk = peer.podSelector ? matches(peer.podSelector, from.labels) : true;
          return nsOk && podOk;
        });
      return portOk && peerOk;
    }),
  );
}
