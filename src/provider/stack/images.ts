/**
 * Every external artifact the stack runs, pinned in ONE place (STYLE.md lesson 14): a reviewer
 * sees every upgrade in one diff. Each image can be overridden by `stack.images.*` (private
 * mirrors, tests). Where a digest was read in the upstream source it is pinned by tag+digest;
 * where it was not, the tag alone is pinned and `digestSource` says so — never an invented digest.
 *
 * Bumping a version here is what `stack.upgrade` picks up: the planner hashes these values into
 * the container/manifest spec hashes, so only what depends on a bumped pin changes.
 */

export interface ImagePin {
  /** `repo:tag` or `repo:tag@sha256:…`. */
  ref: string;
  /** Where the tag/digest was read, or why there is no digest. */
  digestSource: string;
}

export interface ChartPin {
  /** HelmChart `spec.repo`; absent for an `oci://` chart, which names its registry itself. */
  repo?: string;
  /** HelmChart `spec.chart` (the chart's name in that repo, or an `oci://` reference). */
  chart: string;
  version: string;
  /** Where the version and the values keys we set were checked. */
  source: string;
}

/** k3s release inside the RigLease k3s image. v1.32.4+ is needed: HelmChart `valuesSecrets` (k3s-io/helm-controller#64). */
export const K3S_VERSION = 'v1.32.4-k3s1';
/**
 * Base of the RigLease k3s image: plain Ubuntu (what Akash documents for providers), NOT a CUDA
 * image. A CUDA base sets NVIDIA_REQUIRE_CUDA, and the NVIDIA hook then refuses to start the k3s
 * container on drivers older than that CUDA needs, although k3s uses no CUDA at all
 * (src/hardware/requirements.ts `driverBlockBelow` is the real minimum). Tag only: no digest read.
 */
export const BASE_IMAGE = 'ubuntu:24.04';
/** NVIDIA container toolkit (apt version) installed in the k3s image (NVIDIA/nvidia-container-toolkit CHANGELOG v1.17.8). */
export const NVIDIA_CTK_VERSION = '1.17.8-1';
/**
 * The digest CI recorded when it pushed IMAGES.k3s.ref (.github/workflows/k3s-image.yml prints
 * the line to put here); null until the first publish. When set, `up` pulls by this digest, so a
 * registry cannot hand out other bytes under the tag. The container still runs by tag, so an
 * image built on the user's own engine (no registry reachable) runs the same way.
 */
export const K3S_PUBLISHED_DIGEST: string | null = null;

export const IMAGES = {
  /**
   * k3s + NVIDIA container toolkit. The stock rancher/k3s image is Alpine-based and cannot run the
   * NVIDIA runtime, so RigLease builds its own from resources/stack/k3s-cuda/Dockerfile (CI
   * publishes it; where it cannot be pulled, `up` builds it on the user's engine). The tag names
   * every input, so a local build and the published image are built from the same recipe.
   */
  k3s: {
    ref: `ghcr.io/riglease/k3s-cuda:${K3S_VERSION}-${BASE_IMAGE.replace(':', '')}-ctk${NVIDIA_CTK_VERSION.split('-')[0]!}`,
    digestSource: 'built by .github/workflows/k3s-image.yml from resources/stack/k3s-cuda/Dockerfile; the pushed digest goes into K3S_PUBLISHED_DIGEST (null: not published yet)',
  },
  /** Akash provider / hostname operator / inventory operator all run this image (chart appVersion 0.16.2). */
  provider: {
    ref: 'ghcr.io/akash-network/provider:0.16.2',
    digestSource: 'tag = appVersion of akash-network/helm-charts charts/akash-provider/Chart.yaml @f3d8d46 (v19.0.2); no digest in the chart',
  },
  devicePlugin: {
    ref: 'nvcr.io/nvidia/k8s-device-plugin:v0.16.2',
    digestSource: 'tag = appVersion of NVIDIA/k8s-device-plugin deployments/helm/nvidia-device-plugin/Chart.yaml @v0.16.2; no digest in the chart',
  },
  /** NGINX Gateway Fabric control plane (chart 2.5.1 `nginxGateway.image`). */
  gatewayController: {
    ref: 'ghcr.io/nginx/nginx-gateway-fabric:2.5.1',
    digestSource: 'tag = nginxGateway.image.tag of nginx/nginx-gateway-fabric charts/nginx-gateway-fabric/values.yaml @v2.5.1; no digest in the chart',
  },
  /** NGINX Gateway Fabric data plane: the nginx that listens on 80/443/8443/8444 (chart 2.5.1 `nginx.image`). */
  gatewayNginx: {
    ref: 'ghcr.io/nginx/nginx-gateway-fabric/nginx:2.5.1',
    digestSource: 'tag = nginx.image.tag of nginx/nginx-gateway-fabric charts/nginx-gateway-fabric/values.yaml @v2.5.1; no digest in the chart',
  },
} as const satisfies Record<string, ImagePin>;

export type ImageName = keyof typeof IMAGES;

export const CHARTS = {
  provider: {
    repo: 'https://akash-network.github.io/helm-charts',
    chart: 'provider',
    version: '19.0.2',
    source: 'akash-network/helm-charts charts/akash-provider @f3d8d46',
  },
  hostnameOperator: {
    repo: 'https://akash-network.github.io/helm-charts',
    chart: 'akash-hostname-operator',
    version: '19.0.2',
    source: 'akash-network/helm-charts charts/akash-hostname-operator @f3d8d46',
  },
  inventoryOperator: {
    repo: 'https://akash-network.github.io/helm-charts',
    chart: 'akash-inventory-operator',
    version: '19.0.2',
    source: 'akash-network/helm-charts charts/akash-inventory-operator @f3d8d46',
  },
  devicePlugin: {
    repo: 'https://nvidia.github.io/k8s-device-plugin',
    chart: 'nvidia-device-plugin',
    version: '0.16.2',
    source: 'NVIDIA/k8s-device-plugin deployments/helm/nvidia-device-plugin @v0.16.2 (AKASH.md §7 GPU doc pins 0.16.2)',
  },
  /** Gateway API data plane (Akash playbook `ngf_git_ref: v2.5.1`), from its OCI registry: no `repo`. */
  nginxGatewayFabric: {
    chart: 'oci://ghcr.io/nginx/charts/nginx-gateway-fabric',
    version: '2.5.1',
    source: 'nginx/nginx-gateway-fabric charts/nginx-gateway-fabric @v2.5.1; playbook roles/provider/defaults/main.yml ngf_git_ref @4e78f28',
  },
  /** Issues the gateway's self-signed placeholder certificates (tls-manifests.ts); the playbook installs it too. */
  certManager: {
    repo: 'https://charts.jetstack.io',
    chart: 'cert-manager',
    version: 'v1.19.1',
    source: 'cert-manager/cert-manager deploy/charts/cert-manager @v1.19.1; playbook cert_manager_chart_version @4e78f28',
  },
  /** The Gateway (listeners 80, 443, 8443, 8444) and the TCPRoutes to the provider. */
  akashGateway: {
    repo: 'https://akash-network.github.io/helm-charts',
    chart: 'akash-gateway',
    version: '1.2.1',
    source: 'akash-network/helm-charts charts/akash-gateway/Chart.yaml @f3d8d46',
  },
} as const satisfies Record<string, ChartPin>;

export type ChartName = keyof typeof CHARTS;

/** `repo:tag@digest` → `{repository, tag, digest}` as Helm image values want them. */
export function splitImageRef(ref: string): { repository: string; tag: string | null; digest: string | null } {
  const [nameTag, digest] = ref.split('@') as [string, string | undefined];
  const slash = nameTag.lastIndexOf('/');
  const colon = nameTag.lastIndexOf(':');
  const hasTag = colon > slash;
  return {
    repository: hasTag ? nameTag.slice(0, colon) : nameTag,
    tag: hasTag ? nameTag.slice(colon + 1) : null,
    digest: digest ?? null,
  };
}

/** The image to run: the user's override when set, else the pin. */
export function resolveImage(name: ImageName, overrides: Partial<Record<ImageName, string>>): string {
  const o = overrides[name];
  return o && o.trim() !== '' ? o.trim() : IMAGES[name].ref;
}
