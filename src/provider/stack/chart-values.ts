import type { StackSettings } from '../../api/schemas/settings/stack.js';
import { resolveImage, splitImageRef, type ImageName } from './images.js';
import { NODE_LABEL_NVDP, controllerNodeSelector } from './names.js';
import { K3S_LOCAL_PATH } from './storage.js';

/**
 * The values each chart gets, one function per chart. Which keys exist is checked against the
 * pinned charts (chart-values-keys.ts); why each value is what it is, is said next to it.
 */

/** Namespace and name of the Gateway the akash-gateway chart creates (its values.yaml `gateway.name`). */
export const GATEWAY_NAMESPACE = 'akash-gateway';
export const GATEWAY_NAME = 'akash-gateway';
/** GatewayClass NGINX Gateway Fabric creates and the akash-gateway chart's Gateway names. */
export const GATEWAY_CLASS = 'nginx';

/** Helm charts take repository + tag; a digest rides on the tag (`tag@sha256:…`), pasted verbatim into `repository:tag`. */
export function imageValues(name: ImageName, images: StackSettings['images']): { repository: string; tag: string } {
  const s = splitImageRef(resolveImage(name, images));
  const tag = s.digest ? `${s.tag ?? 'latest'}@${s.digest}` : (s.tag ?? 'latest');
  return { repository: s.repository, tag };
}

/** Gateway mode for the provider and hostname operator: both read the Gateway's name/namespace/implementation. */
export const gatewayApiValues = { enabled: true, gatewayName: GATEWAY_NAME, gatewayNamespace: GATEWAY_NAMESPACE, implementation: GATEWAY_CLASS } as const;

/**
 * NGINX Gateway Fabric: Akash's playbook values (provider-playbooks @4e78f28
 * roles/provider/files/nginx-gateway-fabric-values.yaml) adapted to one node in Docker.
 */
export function gatewayFabricValues(images: StackSettings['images']): Record<string, unknown> {
  return {
    nginxGateway: {
      gatewayClassName: GATEWAY_CLASS,
      // On the controller, beside the data plane it configures (farm: members hold only tenants).
      nodeSelector: controllerNodeSelector(),
      // TCPRoute (8443/8444 to the provider) is an experimental Gateway API feature.
      gwAPIExperimentalFeatures: { enable: true },
      leaderElection: { enable: true },
      config: { logging: { level: 'info' } },
      image: imageValues('gatewayController', images),
      // A user's PC does not report to F5 unasked (the playbook leaves the chart default, on).
      productTelemetry: { enable: false },
      // The playbook reserves 1 CPU / 1 GiB; on a PC every reserved CPU is one tenants cannot rent,
      // so only the limits are kept.
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1000m', memory: '1Gi' } },
    },
    nginx: {
      // nginx on the node itself: k3s runs in one container whose ports 80/443/8443/8444 Docker publishes.
      kind: 'daemonSet',
      service: { type: 'ClusterIP' },
      image: imageValues('gatewayNginx', images),
      // The data plane holds 80/443/8443/8444 as host ports, and Docker publishes those of the
      // controller's k3s container only: a data-plane pod on a farm member would listen where no
      // tenant comes in. The chart hands `pod` to the NginxProxy, whose DaemonSet NGF creates.
      pod: { nodeSelector: controllerNodeSelector() },
      container: {
        // No 5002: the provider's Let's Encrypt HTTP-01 challenge comes in on 80 (provider chart
        // templates/gateway.yaml HTTPRoute → Service port 80 → container 5002), and the
        // akash-gateway chart 1.2.1 has no 5002 listener for a host port to reach.
        hostPorts: [80, 443, 8443, 8444].map((port) => ({ port, containerPort: port })),
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1000m', memory: '1Gi' } },
      },
      // One node, host ports: a new pod cannot start while the old one holds the ports, so an update
      // must delete the old pod first (maxSurge 0) — what a single-replica Deployment with host ports
      // cannot do (its rolling update waits forever). Said explicitly, not left to the default.
      patches: [{ type: 'StrategicMerge', value: { spec: { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } } } } }],
    },
    // The job that makes the control plane's TLS secrets: placed like the rest, not left to chance.
    certGenerator: { nodeSelector: controllerNodeSelector() },
  };
}

/** cert-manager with its CRDs (the playbook's values), for the gateway's placeholder certificates. */
export const certManagerValues = (): Record<string, unknown> => {
  // Every component on the controller. Each has a nodeSelector of its own (`kubernetes.io/os:
  // linux` by default) and the chart takes it before `global.nodeSelector` (templates: `coalesce`),
  // so each is set; Helm merges the default in beside it.
  const nodeSelector = controllerNodeSelector();
  return { crds: { enabled: true }, nodeSelector, webhook: { nodeSelector }, cainjector: { nodeSelector }, startupapicheck: { nodeSelector } };
};

/** The Gateway and TCPRoutes; `domain` makes the wildcard listener `*.ingress.<domain>`. */
export const akashGatewayValues = (domain: string): Record<string, unknown> => ({ domain });

export function hostnameOperatorValues(images: StackSettings['images']): Record<string, unknown> {
  // Beside the provider it serves; it needs no node of its own, so it is not left to land on a member.
  return { image: imageValues('provider', images), gatewayApi: { ...gatewayApiValues }, nodeSelector: controllerNodeSelector() };
}

export function inventoryOperatorValues(images: StackSettings['images'], storage: string[]): Record<string, unknown> {
  // The operator's Deployment on the controller; it starts its hardware-discovery pods on every
  // node itself (not from this chart), so members' GPUs are still found.
  return { image: imageValues('provider', images), inventoryConfig: { cluster_storage: storage }, nodeSelector: controllerNodeSelector() };
}

/**
 * The device plugin (Akash's GPU guide: runtime class `nvidia`, volume-mounts). The chart's default
 * affinity wants NFD/GFD labels (`feature.node.kubernetes.io/pci-10de.present`…) that nothing sets
 * here, so it would never be scheduled. Accepted instead: the playbook's GPU-node label, which
 * every k3s node with the nvidia runtime carries (the controller's `k3sArgs` with GPUs, a member's
 * `agentNodeLabels` with GPUs). Not the control-plane label: a farm's controller without GPUs
 * would get a plugin pod whose `nvidia` runtime it lacks. `nvidia.com/gpu.present` is not used:
 * Akash's inventory operator owns that label and removes it whenever it does not recognise the GPU.
 */
export function devicePluginValues(images: StackSettings['images']): Record<string, unknown> {
  const term = (key: string, value: string) => ({ matchExpressions: [{ key, operator: 'In', values: [value] }] });
  return {
    runtimeClassName: 'nvidia',
    deviceListStrategy: 'volume-mounts',
    image: imageValues('devicePlugin', images),
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [term(NODE_LABEL_NVDP.key, NODE_LABEL_NVDP.value)],
        },
      },
    },
  };
}

export interface ProviderValuesInput {
  settings: StackSettings;
  walletAddress: string;
  attributes: { key: string; value: string }[];
  nodePortCount: number;
  pricing: Record<string, string>;
}

/** The market's minimum bid deposit in either token, in micro-units (0.5 AKT / 0.5 ACT). */
export const BID_DEPOSIT_MICRO = 500_000n;

/** The provider chart (19.0.2) in gateway mode with Let's Encrypt on. */
export function providerValues(i: ProviderValuesInput): Record<string, unknown> {
  const s = i.settings;
  return {
    image: imageValues('provider', s.images),
    from: i.walletAddress,
    chainid: s.chainId,
    domain: s.domain,
    node: s.rpcNode,
    email: s.email,
    website: s.website,
    attributes: i.attributes,
    // `/config` is a hostPath (the price table, provider.pem: node-file.ts writes them into the
    // controller's k3s container), so the provider must run on the controller, never on a member.
    nodeSelector: controllerNodeSelector(),
    // Per-lease NetworkPolicies (deny other tenants, the LAN and the k3s API) — off in the chart by default.
    deploymentnetworkpoliciesenabled: 'true',
    cluster_node_port_quantity: String(i.nodePortCount),
    gatewayApi: { ...gatewayApiValues },
    // On, because chart 19.0.2 renders the StatefulSet's `env:` only when it is (templates/
    // statefulset.yaml): off, the AP_INGRESS_MODE/AP_GATEWAY_* items land inside `envFrom` and the
    // API server rejects the StatefulSet. The HTTP-01 challenge comes in through the gateway's port
    // 80 (chart templates/gateway.yaml); the provider refuses an empty ACME email.
    letsEncrypt: {
      enabled: true,
      acme: { email: s.email },
      // Where the chart puts the provider's home volume when no persistent class is advertised:
      // k3s's built-in class, which exists before the chart does.
      storage: { storageClass: K3S_LOCAL_PATH },
    },
    // AEP-82: a notice window offered with every bid (a Go duration); unset = none, the chart's default.
    ...(s.reclamationWindowHours !== null ? { reclamationWindow: `${s.reclamationWindowHours}h` } : {}),
    // Each bid's deposit (the chart's env AKASH_BID_DEPOSIT → provider --bid-deposit). AKT is the
    // chart's own default, left to it; ACT is the market's minimum in uact (chain-sdk
    // DefaultBidMinDepositACT), which the chain accepts since BME.
    ...(s.bidDepositDenom === 'uact' ? { bidmindeposit: `${BID_DEPOSIT_MICRO}uact` } : {}),
    ...i.pricing,
  };
}
