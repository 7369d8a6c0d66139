import { parseAllDocumentsToJs } from '../../util/lazy-yaml.js';

/**
 * What a working cluster must hold, read from the stack plan (the manifests `up` writes), so the
 * field test follows the plan when charts are added or swapped instead of a list of its own.
 */
export interface FieldExpectations {
  crds: string[];
  /** Namespaces, and whether Akash needs them labelled `akash.network=true`. */
  namespaces: { name: string; akashLabel: boolean }[];
  /** Each HelmChart: k3s runs it as the Job `helm-install-<release>` in kube-system. */
  charts: { release: string; namespace: string }[];
  /** Namespaces whose pods must all be Ready: every chart's target namespace. */
  podNamespaces: string[];
  /** Whether the Akash provider chart is planned (it needs a wallet and a domain). */
  provider: boolean;
}

/**
 * The provider's own CRDs: no chart ships them and the provider exits without them (upstream
 * akash-network/provider pkg/apis/akash.network/crd.yaml; Akash's install guide applies it by hand).
 */
export const AKASH_CRDS = ['manifests.akash.network', 'providerhosts.akash.network', 'providerleasedips.akash.network'];
/** The Gateway API kinds the akash-gateway chart creates (Gateway + HTTPRoute + TCPRoute, gateway-api v1.5.1 experimental). */
export const GATEWAY_CRDS = ['gateways.gateway.networking.k8s.io', 'httproutes.gateway.networking.k8s.io', 'tcproutes.gateway.networking.k8s.io'];
/**
 * Akash's k3s playbook (provider-playbooks roles/provider) creates these, each labelled
 * `akash.network: "true"`; akash-gateway only where the gateway is used.
 */
export const AKASH_NAMESPACES = ['akash-services', 'lease'];
export const GATEWAY_NAMESPACE = 'akash-gateway';
export const AKASH_LABEL = 'akash.network';

interface Doc {
  kind?: unknown;
  metadata?: { name?: unknown; labels?: Record<string, unknown> };
  spec?: { targetNamespace?: unknown };
}

function docsOf(yaml: string): Doc[] {
  try {
    return parseAllDocumentsToJs(yaml).filter((d): d is Doc => typeof d === 'object' && d !== null);
  } catch {
    return [];
  }
}

/** Only the manifests' YAML is read, so the plan's other fields may change freely. */
export function expectationsFromPlan(plan: { manifests: readonly { yaml: string }[] }): FieldExpectations {
  const charts: FieldExpectations['charts'] = [];
  const crds = new Set(AKASH_CRDS);
  const planned = new Map<string, boolean>();
  for (const m of plan.manifests) {
    for (const d of docsOf(m.yaml)) {
      const name = typeof d.metadata?.name === 'string' ? d.metadata.name : null;
      if (!name) continue;
      if (d.kind === 'HelmChart' && typeof d.spec?.targetNamespace === 'string') charts.push({ release: name, namespace: d.spec.targetNamespace });
      if (d.kind === 'CustomResourceDefinition') crds.add(name);
      if (d.kind === 'Namespace') planned.set(name, String(d.metadata?.labels?.[AKASH_LABEL]) === 'true');
    }
  }
  const podNamespaces = [...new Set(charts.map((c) => c.namespace))];
  const gateway = charts.some((c) => c.namespace === GATEWAY_NAMESPACE || /gateway/.test(c.release));
  if (gateway) for (const c of GATEWAY_CRDS) crds.add(c);
  const akash = [...AKASH_NAMESPACES, ...(gateway ? [GATEWAY_NAMESPACE] : [])];
  const namespaces = [...akash.map((name) => ({ name, akashLabel: true })), ...[...planned].filter(([n]) => !akash.includes(n)).map(([name, akashLabel]) => ({ name, akashLabel }))];
  return { crds: [...crds], namespaces, charts, podNamespaces, provider: charts.some((c) => c.release === 'akash-provider') };
}
