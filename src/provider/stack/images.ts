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
  /** HelmChart `spec.repo`. */
  repo: string;
  /** HelmChart `spec.chart` (the chart's name in that repo). */
  chart: string;
  version: string;
  /** Where the version and the values keys we set were checked. */
  source: string;
}

/** k3s release inside the RigLease CUDA image. v1.32.4+ is needed: HelmChart `valuesSecrets` (k3s-io/helm-controller#64). */
export const K3S_VERSION = 'v1.32.4-k3s1';
/** CUDA base of the RigLease k3s image (k3d CUDA guide uses the same base line). */
export const CUDA_BASE = 'nvcr.io/nvidia/cuda:12.9.2-base-ubuntu22.04';

export const IMAGES = {
  /**
   * k3s + NVIDIA container toolkit. The stock rancher/k3s image is Alpine-based and cannot run the
   * NVIDIA runtime, so RigLease builds its own from resources/stack/k3s-cuda/Dockerfile
   * (README.md in this folder explains how). Published under RigLease's registry name.
   */
  k3s: {
    ref: `ghcr.io/riglease/k3s-cuda:${K3S_VERSION}-cuda12.9.2`,
    digestSource: 'built by RigLease CI from resources/stack/k3s-cuda/Dockerfile; digest is recorded at publish time (not available here: no registry)',
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
  ingressController: {
    ref: 'registry.k8s.io/ingress-nginx/controller:v1.15.1@sha256:594ceea76b01c592858f803f9ff4d2cb40542cae2060410b2c95f75907d659e1',
    digestSource: 'kubernetes/ingress-nginx charts/ingress-nginx/values.yaml @dbb11b9 (chart 4.15.1): controller.image.tag + digest',
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
  ingressNginx: {
    repo: 'https://kubernetes.github.io/ingress-nginx',
    chart: 'ingress-nginx',
    version: '4.15.1',
    source: 'kubernetes/ingress-nginx charts/ingress-nginx @dbb11b9',
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
