import type { ChartName } from './images.js';

/**
 * The value keys RigLease may set, per chart, as they appear in each chart's own values.yaml
 * (or, marked "template", read by its templates without a default) at the pinned version —
 * checked by hand against the sources named in images.ts CHARTS. The planner refuses to emit a
 * key not listed here, so a typo or a renamed key fails a unit test instead of being silently
 * ignored by Helm on a user's machine. A map key (e.g. ingress-nginx `tcp`) allows any child.
 */
export const CHART_VALUE_KEYS: Record<ChartName, { keys: readonly string[]; maps: readonly string[] }> = {
  provider: {
    keys: [
      'image.repository', 'image.tag', 'image.pullPolicy', 'from', 'chainid', 'domain', 'node', 'email', 'website',
      'attributes', 'deploymentnetworkpoliciesenabled', 'cluster_node_port_quantity', 'gatewayApi.enabled',
      'ingress.className', 'letsEncrypt.enabled', 'bidmindeposit', 'withdrawalperiod', 'reclamationWindow',
      // template: statefulset.yaml reads these (helm-charts @f3d8d46), values.yaml only comments on them
      'bidpricescript', 'whitelist_url', 'debug_bid_script', 'price_target_cpu', 'price_target_memory',
      'price_target_hd_ephemeral', 'price_target_hd_pers_hdd', 'price_target_hd_pers_ssd', 'price_target_hd_pers_nvme',
      'price_target_endpoint', 'price_target_ip', 'price_target_gpu_mappings',
    ],
    maps: [],
  },
  hostnameOperator: { keys: ['image.repository', 'image.tag', 'gatewayApi.enabled', 'ingress.className'], maps: [] },
  inventoryOperator: { keys: ['image.repository', 'image.tag', 'inventoryConfig.cluster_storage'], maps: [] },
  devicePlugin: { keys: ['runtimeClassName', 'deviceListStrategy', 'image.repository', 'image.tag'], maps: [] },
  ingressNginx: {
    keys: [
      'controller.hostNetwork', 'controller.kind', 'controller.service.type', 'controller.ingressClassResource.name',
      'controller.ingressClassResource.controllerValue', 'controller.ingressClassResource.default', 'controller.ingressClass',
      'controller.image.repository', 'controller.image.registry', 'controller.image.image', 'controller.image.tag',
      'controller.image.digest', 'controller.admissionWebhooks.enabled', 'controller.dnsPolicy',
    ],
    maps: ['tcp'],
  },
};

/** Dotted leaf paths of a values object (arrays are leaves: charts take them whole). */
export function leafPaths(values: Record<string, unknown>, prefix = ''): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(values)) {
    const p = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v)) out.push(...leafPaths(v as Record<string, unknown>, p));
    else out.push(p);
  }
  return out;
}

/** Paths in `values` the chart does not know; empty when all are known. */
export function unknownValueKeys(chart: ChartName, values: Record<string, unknown>): string[] {
  const { keys, maps } = CHART_VALUE_KEYS[chart];
  return leafPaths(values).filter((p) => !keys.includes(p) && !maps.some((m) => p === m || p.startsWith(`${m}.`)));
}
