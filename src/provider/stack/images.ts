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
  /**
   * `sha256:…` of the chart archive (a repository chart) or of its OCI manifest (an `oci://` chart),
   * written at release by scripts/pin-digests.mjs; absent until then.
   */
  digest?: string;
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
    digestSource: 'no digest: RigLease builds this image itself (.github/workflows/k3s-image.yml from resources/stack/k3s-cuda/Dockerfile); the pushed digest goes into K3S_PUBLISHED_DIGEST, which `up` pulls by (null: not published yet)',
  },
  /** Akash provider / hostname operator / inventory operator all run this image (chart appVersion 0.16.2). */
  provider: {
    ref: 'ghcr.io/akash-network/provider:0.16.2',
    digestSource: 'no digest: none in the chart (tag = appVersion of akash-network/helm-charts charts/akash-provider/Chart.yaml @f3d8d46, v19.0.2) and ghcr.io cannot be read from where this was pinned',
  },
  devicePlugin: {
    ref: 'nvcr.io/nvidia/k8s-device-plugin:v0.16.2',
    digestSource: 'no digest: none in the chart (tag = appVersion of NVIDIA/k8s-device-plugin deployments/helm/nvidia-device-plugin/Chart.yaml @v0.16.2) and nvcr.io cannot be read from where this was pinned',
  },
  /** NGINX Gateway Fabric control plane (chart 2.5.1 `nginxGateway.image`). */
  gatewayController: {
    ref: 'ghcr.io/nginx/nginx-gateway-fabric:2.5.1',
    digestSource: 'no digest: none in the chart (tag = nginxGateway.image.tag of nginx/nginx-gateway-fabric charts/nginx-gateway-fabric/values.yaml @v2.5.1) and ghcr.io cannot be read from where this was pinned',
  },
  /** NGINX Gateway Fabric data plane: the nginx that listens on 80/443/8443/8444 (chart 2.5.1 `nginx.image`). */
  gatewayNginx: {
    ref: 'ghcr.io/nginx/nginx-gateway-fabric/nginx:2.5.1',
    digestSource: 'no digest: none in the chart (tag = nginx.image.tag of nginx/nginx-gateway-fabric charts/nginx-gateway-fabric/values.yaml @v2.5.1) and ghcr.io cannot be read from where this was pinned',
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

/**
 * A Kubernetes manifest that no chart ships but a chart needs applied first (CRDs). `up` downloads
 * the exact bytes from `url`, refuses them unless their SHA-256 is `sha256`, keeps them in the data
 * folder's cache and writes them into k3s's auto-deploy folder ahead of the charts
 * (remote-manifests.ts). Nothing from upstream is copied into RigLease itself.
 */
export interface RemoteManifestPin {
  /** Short name, unique; the file in k3s's folder is named after it (names.ts `crdFile`). */
  name: string;
  /** The upstream URL at an exact commit or tag. */
  url: string;
  /** The same file under a mirror (`RIGLEASE_ARTIFACT_MIRROR`): `<repo>@<commit or tag>/<path>`. */
  mirrorPath: string;
  /** SHA-256 (hex) of the exact upstream bytes. */
  sha256: string;
  /** The planned components that need it applied before them. */
  before: readonly string[];
}

/** Pins of one upstream folder: each file → a pin named `<prefix>-<kind>`. */
function pinFolder(o: { prefix: string; raw: string; mirror: string; dir: string; before: readonly string[]; files: readonly (readonly [string, string])[] }): RemoteManifestPin[] {
  return o.files.map(([file, sha256]) => ({
    name: `${o.prefix}-${file.replace(/^.*_/, '').replace(/\.yaml$/, '')}`.replace(/[^a-z0-9-]/g, '-'),
    url: `${o.raw}/${o.dir}/${file}`,
    mirrorPath: `${o.mirror}/${o.dir}/${file}`,
    sha256,
    before: o.before,
  }));
}

const AKASH_PROVIDER_COMMIT = 'afc4dd7c30a2ba3bb79d471e6dc5fa6ee14018ff';

export const REMOTE_MANIFESTS: readonly RemoteManifestPin[] = [
  // Manifests, ProviderHosts, ProviderLeasedIPs: the provider lists them at start and exits without
  // them. The playbook applies this file from the provider's own repo (install.yml "Apply Akash CRD
  // from URL"); pinned here to the commit the chart 19.0.2 copy was checked against.
  {
    name: 'akash',
    url: `https://raw.githubusercontent.com/akash-network/provider/${AKASH_PROVIDER_COMMIT}/pkg/apis/akash.network/crd.yaml`,
    mirrorPath: 'akash-provider@afc4dd7/pkg/apis/akash.network/crd.yaml',
    sha256: '2a18d79a29f8438bbf9f1b983e8c6aa78cbd90ee70df3d7182f92ee3ceedbccd',
    before: ['akash-hostname-operator', 'akash-inventory-operator', 'akash-provider'],
  },
  // Gateway API experimental channel v1.5.1 (TCPRoute is experimental): what NGF v2.5.1's
  // config/crd/gateway-api/experimental kustomization applies; every file of its kustomization.yaml.
  ...pinFolder({
    prefix: 'gateway-api',
    raw: 'https://raw.githubusercontent.com/kubernetes-sigs/gateway-api/v1.5.1',
    mirror: 'gateway-api@v1.5.1',
    dir: 'config/crd/experimental',
    before: ['nginx-gateway-fabric', 'akash-gateway', 'akash-hostname-operator', 'akash-provider'],
    files: [
      ['gateway.networking.k8s.io_backendtlspolicies.yaml', '84ce6da8f5041c93212ac3cec5954076abae05e73f82100351a68aefbd49a535'],
      ['gateway.networking.k8s.io_gatewayclasses.yaml', 'b0da5c35c796ca21566bbca2964e97b3d9d1b020fa77b4b62001f4aea0bc22c7'],
      ['gateway.networking.k8s.io_gateways.yaml', 'ecb21e3a23757108e74399c49365864f5e0d87c694679d63e4c34c7ccf579e2a'],
      ['gateway.networking.k8s.io_grpcroutes.yaml', '0810b89144989fd7dc7a1a19af513f44b72a16ac55bfdd71672f89bba2238465'],
      ['gateway.networking.k8s.io_httproutes.yaml', '9012253cf248583189ff74426140556fafa38b66dc57553fd79f9ae34b2eee9f'],
      ['gateway.networking.k8s.io_listenersets.yaml', '2d56eb06f1bf20e153255c2fcca614022e6b3120d1ac2d080c83a865863157e5'],
      ['gateway.networking.k8s.io_referencegrants.yaml', 'aebb91539c82a18b0b79bba4209eb1f0b7b61eccc69da8f450260d9ad47b2a9a'],
      ['gateway.networking.k8s.io_tcproutes.yaml', 'b7e8dde43172272e5b006ff849aedad464b2a5688f34305ae55d0faf61378030'],
      ['gateway.networking.k8s.io_tlsroutes.yaml', '6a74bbe019916d1b53ec270634185aec2eeee1a4e100d6029a53f63ae448f77c'],
      ['gateway.networking.k8s.io_udproutes.yaml', '37b81ef54569cd18bcdf90e83fbaf572edecb6b4795bc47b0b18ca2a9d61b5c6'],
      ['gateway.networking.k8s.io_vap_safeupgrades.yaml', '981a4da92706cb567c051e006ff229429947f054b90cd0719c297abe14f958a1'],
      ['gateway.networking.x-k8s.io_xbackendtrafficpolicies.yaml', '55f496a32c84ff3dceafb8379113b4afb667d0fe805a7238353b719f5daeeece'],
      ['gateway.networking.x-k8s.io_xmeshes.yaml', 'a8ae165ddf5724f06edd021979dd5256b405309bc2d6faca5f65a8b161d1c109'],
    ],
  }),
  // NGINX Gateway Fabric's own CRDs (NginxProxy, ClientSettingsPolicy, ProxySettingsPolicy… which
  // the nginx-gateway-fabric and akash-gateway charts create objects of).
  ...pinFolder({
    prefix: 'ngf',
    raw: 'https://raw.githubusercontent.com/nginx/nginx-gateway-fabric/v2.5.1',
    mirror: 'nginx-gateway-fabric@v2.5.1',
    dir: 'config/crd/bases',
    before: ['nginx-gateway-fabric', 'akash-gateway'],
    files: [
      ['gateway.nginx.org_authenticationfilters.yaml', '3efb71374fad5d24ade4b0f4407929a1a190cb328ba969ca8ca7eba32f9e53c3'],
      ['gateway.nginx.org_clientsettingspolicies.yaml', '1d7af4f028270db026efea568469b57ec08bc853f3d89346903a5282d965139c'],
      ['gateway.nginx.org_nginxgateways.yaml', '52c095daac8053c35d2bebc6be8bd345d027777ede429dd5191f098e38117f14'],
      ['gateway.nginx.org_nginxproxies.yaml', '026c8c720cb5d0ad81d64acacbbd61e279afa07c11971333ec75313c0fb52ffa'],
      ['gateway.nginx.org_observabilitypolicies.yaml', 'bb95fd20d29c801da1c2d4f940a7bdc6362d9fb15e920cbca41b87b31fa1211c'],
      ['gateway.nginx.org_proxysettingspolicies.yaml', '35d9ee50c994d076970cd2284fbffae135c9e08f0b16789041551bdfc2fd4f8d'],
      ['gateway.nginx.org_ratelimitpolicies.yaml', 'dcb6b28415c54631140415530f33288b3f8151225fc36a2b0b5ef4331964f2ee'],
      ['gateway.nginx.org_snippetsfilters.yaml', '64df468463ac91b890c74bf6fe315e715b4df2d6d7786cc1ccfe6ac756910fc1'],
      ['gateway.nginx.org_snippetspolicies.yaml', 'e39d0bf75de3b8bb31c329ddc0a8b54386c77e034dd0ee4dcca3f27bbc49a66a'],
      ['gateway.nginx.org_upstreamsettingspolicies.yaml', '6bf89b19dc24205d1d1ffa4115d917ef55deb63267ed0369fc03eed414810713'],
    ],
  }),
];
