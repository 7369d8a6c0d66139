// Where the scheduler may put the pods of rendered charts: every pod template (and the NGINX data
// plane from its NginxProxy) with Kubernetes' nodeSelector and required node affinity, against the
// labels a node really carries (its k3s `--node-label`s, kubelet's well-known labels and, on a k3s
// server, the control-plane labels k3s's server sets: pkg/server/server.go setNodeLabelsAndAnnotations).
import type { RenderedPlanChart } from './render-plan.js';

export type Labels = Record<string, string>;
interface Expr { key: string; operator: string; values?: string[] }
export interface PodSpec {
  nodeSelector?: Labels;
  affinity?: { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms: { matchExpressions?: Expr[] }[] } } };
}

export const labelsFromArgs = (argv: readonly string[]): Labels =>
  Object.fromEntries(argv.filter((a) => a.startsWith('--node-label=')).map((a) => a.slice('--node-label='.length).split('=') as [string, string]));

const kubelet = (name: string): Labels => ({ 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': name });

/** A k3s node's labels from its argv: a server (`server …`) gets the control-plane labels too. */
export function nodeLabels(name: string, argv: readonly string[]): Labels {
  const server: Labels = argv[0] === 'server' ? { 'node-role.kubernetes.io/control-plane': 'true', 'node-role.kubernetes.io/master': 'true' } : {};
  return { ...kubelet(name), ...server, ...labelsFromArgs(argv) };
}

/** Whether the scheduler may put this pod on a node with these labels (nodeSelector and required node affinity). */
export function schedulable(pod: PodSpec, labels: Labels): boolean {
  const sel = Object.entries(pod.nodeSelector ?? {}).every(([k, v]) => labels[k] === v);
  const terms = pod.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  const aff = !terms || terms.some((t) => (t.matchExpressions ?? []).every((e) => {
    const v = labels[e.key];
    if (e.operator === 'In') return v !== undefined && (e.values ?? []).includes(v);
    if (e.operator === 'Exists') return v !== undefined;
    if (e.operator === 'DoesNotExist') return v === undefined;
    if (e.operator === 'NotIn') return v === undefined || !(e.values ?? []).includes(v);
    return false;
  }));
  return sel && aff;
}

/** Every pod template of every rendered chart, and the NGINX data plane's from its NginxProxy. */
export function podTemplates(charts: Map<string, RenderedPlanChart>): { what: string; pod: PodSpec }[] {
  const out: { what: string; pod: PodSpec }[] = [];
  for (const [component, chart] of charts) {
    for (const { object: o } of chart.objects) {
      const kind = o['kind'] as string;
      const meta = o['metadata'] as { name: string };
      const spec = o['spec'] as Record<string, unknown> | undefined;
      const what = `${component} ${kind}/${meta.name}`;
      if (['Deployment', 'StatefulSet', 'DaemonSet', 'Job'].includes(kind)) out.push({ what, pod: (spec!['template'] as { spec: PodSpec }).spec });
      if (kind === 'CronJob') out.push({ what, pod: (spec!['jobTemplate'] as { spec: { template: { spec: PodSpec } } }).spec.template.spec });
      if (kind === 'NginxProxy') {
        const k = (spec!['kubernetes'] ?? {}) as { daemonSet?: { pod?: PodSpec }; deployment?: { pod?: PodSpec } };
        out.push({ what: `${what} (data plane)`, pod: k.daemonSet?.pod ?? k.deployment?.pod ?? {} });
      }
    }
  }
  return out;
}
