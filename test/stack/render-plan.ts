// Renders every chart a stack plan installs from its upstream copy, with exactly the values the
// plan writes into its HelmChart — what k3s's helm-controller would hand to Helm on a real node.
import { parse } from 'yaml';
import type { StackPlan } from '../../src/api/schemas/stack.js';
import { BUILTIN_API_VERSIONS, renderChart, type K8sObject, type RenderedChart } from '../helm/render.js';
import { upstreamChartFor } from './upstream-chart-index.js';

/**
 * The API groups the cluster serves once the planned CRDs and cert-manager are applied: charts
 * that check `.Capabilities.APIVersions` see them, as they would after the CRD files went in first.
 */
export const PLANNED_API_VERSIONS: readonly string[] = [
  ...BUILTIN_API_VERSIONS,
  'gateway.networking.k8s.io/v1',
  'gateway.networking.k8s.io/v1alpha2',
  'gateway.nginx.org/v1alpha1',
  'gateway.nginx.org/v1alpha2',
  'cert-manager.io/v1',
  'akash.network/v2beta2',
];

interface HelmChartDoc {
  metadata: { name: string };
  spec: { chart: string; version: string; targetNamespace: string; valuesContent?: string };
}

export interface RenderedPlanChart extends RenderedChart {
  release: string;
  namespace: string;
  /** The values the plan gives the chart (HelmChart valuesContent). */
  values: Record<string, unknown>;
}

/** component → its rendered chart, for every HelmChart manifest of the plan. */
export async function renderPlanCharts(plan: StackPlan): Promise<Map<string, RenderedPlanChart>> {
  const out = new Map<string, RenderedPlanChart>();
  for (const m of plan.manifests.filter((x) => x.kind === 'chart')) {
    const doc = parse(m.yaml) as HelmChartDoc;
    const chart = upstreamChartFor(doc.spec.chart, doc.spec.version);
    const values = (doc.spec.valuesContent ? parse(doc.spec.valuesContent) : {}) as Record<string, unknown>;
    const rendered = await renderChart({
      chartDir: chart.dir,
      values,
      releaseName: doc.metadata.name,
      namespace: doc.spec.targetNamespace,
      apiVersions: PLANNED_API_VERSIONS,
      ...(chart.chartVersion ? { chartVersion: chart.chartVersion } : {}),
    });
    out.set(m.component, { ...rendered, release: doc.metadata.name, namespace: doc.spec.targetNamespace, values });
  }
  return out;
}

/** Objects of one rendered chart of the given kind (and name, when given). */
export function renderedObjects(charts: Map<string, RenderedPlanChart>, component: string, kind: string, name?: string): K8sObject[] {
  const chart = charts.get(component);
  if (!chart) throw new Error(`the plan installs no chart "${component}" (it has: ${[...charts.keys()].join(', ')})`);
  return chart.objects
    .map((o) => o.object)
    .filter((o) => o['kind'] === kind && (name === undefined || (o['metadata'] as { name?: string } | undefined)?.name === name));
}
