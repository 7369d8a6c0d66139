import type { ChartName } from './images.js';

/**
 * The value keys RigLease may set, per chart, as they appear in each chart's own values.yaml
 * (or, marked "template", read by its templates without a default) at the pinned version —
 * checked by hand against the sources named in images.ts CHARTS. The planner refuses to emit a
 * key not listed here, so a typo or a renamed key fails a unit test instead of being silently
 * ignored by Helm on a user's machine. A map key (e.g. the device plugin's `affinity`) allows any child.
 */
const GATEWAY_API = ['gatewayApi.enabled', 'gatewayApi.gatewayName', 'gatewayApi.gatewayNamespace', 'gatewayApi.implementation'];

export const CHART_VALUE_KEYS: Record<ChartName, { keys: readonly string[]; maps: readonly string[] }> = {
  provider: {
    keys: [
      'image.repository', 'image.tag', 'image.pullPolicy', 'from', 'chainid', 'domain', 'node', 'email', 'website',
      'attributes', 'deploymentnetworkpoliciesenabled', 'cluster_node_port_quantity', ...GATEWAY_API,
      'letsEncrypt.enabled', 'letsEncrypt.acme.email', 'letsEncrypt.storage.storageClass',
      'bidmindeposit', 'withdrawalperiod', 'reclamationWindow',
      // template: statefulset.yaml reads these (helm-charts @f3d8d46), values.yaml only comments on them
      'bidpricescript', 'whitelist_url', 'debug_bid_script', 'price_target_cpu', 'price_target_memory',
      'price_target_hd_ephemeral', 'price_target_hd_pers_hdd', 'price_target_hd_pers_ssd', 'price_target_hd_pers_nvme',
      'price_target_endpoint', 'price_target_ip', 'price_target_gpu_mappings',
    ],
    // values.yaml `nodeSelector: {}` (statefulset.yaml `toYaml`)
    maps: ['nodeSelector'],
  },
  hostnameOperator: { keys: ['image.repository', 'image.tag', ...GATEWAY_API], maps: ['nodeSelector'] },
  inventoryOperator: { keys: ['image.repository', 'image.tag', 'inventoryConfig.cluster_storage'], maps: ['nodeSelector'] },
  // `affinity` is handed to the DaemonSet whole (templates/daemonset-device-plugin.yml `toYaml`).
  devicePlugin: { keys: ['runtimeClassName', 'deviceListStrategy', 'image.repository', 'image.tag'], maps: ['affinity'] },
  // nginx-gateway-fabric @v2.5.1 charts/nginx-gateway-fabric/values.yaml (and values.schema.json);
  // the resources blocks and `nginx.patches` are passed through whole.
  nginxGatewayFabric: {
    keys: [
      'nginxGateway.gatewayClassName', 'nginxGateway.gwAPIExperimentalFeatures.enable', 'nginxGateway.leaderElection.enable',
      'nginxGateway.config.logging.level', 'nginxGateway.image.repository', 'nginxGateway.image.tag',
      'nginxGateway.productTelemetry.enable', 'nginx.kind', 'nginx.service.type', 'nginx.image.repository', 'nginx.image.tag',
      'nginx.container.hostPorts', 'nginx.patches',
    ],
    // nodeSelectors: values.yaml `nginxGateway.nodeSelector`, `certGenerator.nodeSelector`, and
    // `nginx.pod` (commented keys, handed whole to the NginxProxy: templates/nginxproxy.yaml).
    maps: ['nginxGateway.resources', 'nginx.container.resources', 'nginxGateway.nodeSelector', 'nginx.pod', 'certGenerator.nodeSelector'],
  },
  // cert-manager @v1.19.1 deploy/charts/cert-manager/values.yaml
  certManager: { keys: ['crds.enabled'], maps: ['nodeSelector', 'webhook.nodeSelector', 'cainjector.nodeSelector', 'startupapicheck.nodeSelector'] },
  // helm-charts @f3d8d46 charts/akash-gateway/values.yaml
  akashGateway: { keys: ['domain'], maps: [] },
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
