/**
 * kubectl's List shape for `kubectl get namespaces,pods -A -l akash.network=true -o json` as the
 * Akash provider labels lease namespaces and pods. No cluster runs here to capture a real answer,
 * so this is built from the documented shape (kind List, items with metadata.labels, spec.nodeName).
 */
export const OWNER = 'akash1tenant0000000000000000000000000000000';
const lease = (dseq: string) => ({ 'akash.network': 'true', 'akash.network/lease.id.owner': OWNER, 'akash.network/lease.id.dseq': dseq, 'akash.network/lease.id.gseq': '1', 'akash.network/lease.id.oseq': '1' });

/** kubectl's List shape for `get namespaces,pods -o json` (no cluster runs here to capture one). */
export function kubeList(pods: { ns: string; dseq: string; node: string | null; podLabels?: boolean }[]): string {
  const namespaces = [...new Set(pods.map((p) => `${p.ns}|${p.dseq}`))].map((x) => {
    const [ns, dseq] = x.split('|') as [string, string];
    return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: lease(dseq) } };
  });
  const items = pods.map((p, i) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `web-${i}`, namespace: p.ns, labels: p.podLabels ? lease(p.dseq) : { 'akash.network': 'true', 'akash.network/manifest-service': 'web' } },
    spec: p.node ? { nodeName: p.node, containers: [] } : { containers: [] },
  }));
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [...namespaces, ...items] });
}

