import { stringify } from 'yaml';
import { RigError } from '../../api/errors.js';
import type { StackSettings } from '../../api/schemas/settings/stack.js';
import { CHARTS, type ChartName, resolveImage, splitImageRef } from './images.js';
import { unknownValueKeys } from './chart-values-keys.js';
import { specHash } from './hash.js';
import { MANIFEST_PREFIX } from './names.js';

/** The pricing engineer's seam: the bid script and its env come from outside the stack. */
export interface PricingPassthrough {
  /** Contents of the bid price script (bash), or null to use the provider's scale pricing. */
  script: string | null;
  /** Env the script reads, e.g. PRICE_TARGET_GPU_MAPPINGS; only names the chart can carry. */
  env: Record<string, string>;
}

/** Env names the provider chart can pass to the script → its values key (statefulset.yaml). */
const PRICING_ENV_TO_VALUE: Record<string, string> = {
  WHITELIST_URL: 'whitelist_url',
  DEBUG_BID_SCRIPT: 'debug_bid_script',
  PRICE_TARGET_CPU: 'price_target_cpu',
  PRICE_TARGET_MEMORY: 'price_target_memory',
  PRICE_TARGET_HD_EPHEMERAL: 'price_target_hd_ephemeral',
  PRICE_TARGET_HD_PERS_HDD: 'price_target_hd_pers_hdd',
  PRICE_TARGET_HD_PERS_SSD: 'price_target_hd_pers_ssd',
  PRICE_TARGET_HD_PERS_NVME: 'price_target_hd_pers_nvme',
  PRICE_TARGET_ENDPOINT: 'price_target_endpoint',
  PRICE_TARGET_IP: 'price_target_ip',
  PRICE_TARGET_GPU_MAPPINGS: 'price_target_gpu_mappings',
};

export const AKASH_NAMESPACE = 'akash-services';
export const HELM_NAMESPACE = 'kube-system';
/** Secret in kube-system holding the provider chart's key/keysecret values (HelmChart valuesSecrets). */
export const WALLET_SECRET = 'riglease-provider-wallet';
/** The manifest that creates WALLET_SECRET: a Secret, not a chart (status and plan treat it so). */
export const WALLET_COMPONENT = 'akash-provider-wallet';
/** What `stack plan` shows instead of the key: the real values exist only in the file written into k3s. */
export const WALLET_REDACTED = '[redacted: armored provider key + passphrase, written only into k3s]';
export const INGRESS_CLASS = 'akash-ingress-class';

export interface ManifestInput {
  settings: StackSettings;
  gpuCount: number;
  attributes: { key: string; value: string }[];
  pricing: PricingPassthrough;
  /** The provider's account address (public); null until the wallet exists. */
  walletAddress: string | null;
  /** Whether the wallet can export its key: then the Secret manifest is planned (redacted). */
  walletKeyPresent?: boolean;
  nodePortCount: number;
}

export interface BuiltManifest {
  file: string;
  component: string;
  hash: string;
  yaml: string;
  /** Chart values, for tests and `stack plan` readers. */
  values?: Record<string, unknown>;
}

function image(ref: string): { repository: string; tag: string } {
  const s = splitImageRef(ref);
  // Helm charts take repository + tag; a digest rides on the tag (`tag@sha256:…`), which
  // these charts paste verbatim into `repository:tag`.
  const tag = s.digest ? `${s.tag ?? 'latest'}@${s.digest}` : (s.tag ?? 'latest');
  return { repository: s.repository, tag };
}

function helmChart(name: ChartName, release: string, targetNamespace: string, values: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  const bad = unknownValueKeys(name, values);
  if (bad.length) throw new RigError('internal', `The ${release} chart has no value(s) ${bad.join(', ')} at version ${CHARTS[name].version}.`);
  const pin = CHARTS[name];
  return stringify({
    apiVersion: 'helm.cattle.io/v1',
    kind: 'HelmChart',
    metadata: { name: release, namespace: HELM_NAMESPACE, labels: { 'app.kubernetes.io/managed-by': 'riglease' } },
    spec: { repo: pin.repo, chart: pin.chart, version: pin.version, targetNamespace, createNamespace: true, valuesContent: stringify(values), ...extra },
  });
}

function file(component: string, yaml: string, values?: Record<string, unknown>): BuiltManifest {
  const hash = specHash(yaml);
  const header = `# Written by RigLease (spec ${hash}). Edits are overwritten by the next "riglease stack up".\n`;
  return { file: `${MANIFEST_PREFIX}${component}.yaml`, component, hash, yaml: header + yaml, ...(values ? { values } : {}) };
}

export function pricingValues(p: PricingPassthrough): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(p.env)) {
    const key = PRICING_ENV_TO_VALUE[k];
    if (!key) {
      throw new RigError('invalid_input', `The provider chart cannot pass ${k} to the bid script.`, `Use one of ${Object.keys(PRICING_ENV_TO_VALUE).join(', ')}.`);
    }
    out[key] = v;
  }
  if (p.script) out['bidpricescript'] = Buffer.from(p.script, 'utf8').toString('base64');
  return out;
}

/** Every manifest k3s auto-deploys, in install order (file names sort the same way). */
export function buildManifests(input: ManifestInput): BuiltManifest[] {
  const { settings: s } = input;
  const img = s.images;
  const out: BuiltManifest[] = [];

  if (input.gpuCount > 0) {
    out.push(file('nvidia-runtimeclass', stringify({ apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'nvidia' }, handler: 'nvidia' })));
    const dp = { runtimeClassName: 'nvidia', deviceListStrategy: 'volume-mounts', image: image(resolveImage('devicePlugin', img)) };
    out.push(file('nvidia-device-plugin', helmChart('devicePlugin', 'nvidia-device-plugin', 'nvidia-device-plugin', dp), dp));
  }

  const ing = image(resolveImage('ingressController', img));
  const ingress = {
    controller: {
      // k3s runs inside one container whose ports Docker publishes: nginx listens on the node itself.
      hostNetwork: true,
      dnsPolicy: 'ClusterFirstWithHostNet',
      kind: 'Deployment',
      service: { type: 'ClusterIP' },
      ingressClassResource: { name: INGRESS_CLASS, controllerValue: `k8s.io/${INGRESS_CLASS}`, default: false },
      ingressClass: INGRESS_CLASS,
      // `repository` replaces registry+image; digest cleared because it rides on the tag.
      image: { repository: ing.repository, tag: ing.tag, digest: '' },
      // One node, one controller: the webhook would need another (unpinned) image.
      admissionWebhooks: { enabled: false },
    },
    tcp: { '8443': `${AKASH_NAMESPACE}/akash-provider:8443`, '8444': `${AKASH_NAMESPACE}/akash-provider:8444` },
  };
  out.push(file('ingress-nginx', helmChart('ingressNginx', 'ingress-nginx', 'ingress-nginx', ingress), ingress));

  const prov = image(resolveImage('provider', img));
  const hostname = { image: prov, gatewayApi: { enabled: false }, ingress: { className: INGRESS_CLASS } };
  out.push(file('akash-hostname-operator', helmChart('hostnameOperator', 'akash-hostname-operator', AKASH_NAMESPACE, hostname), hostname));

  const inventory = { image: prov, inventoryConfig: { cluster_storage: s.clusterStorage } };
  out.push(file('akash-inventory-operator', helmChart('inventoryOperator', 'akash-inventory-operator', AKASH_NAMESPACE, inventory), inventory));

  if (input.walletAddress && s.domain) {
    const provider: Record<string, unknown> = {
      image: prov,
      from: input.walletAddress,
      chainid: s.chainId,
      domain: s.domain,
      node: s.rpcNode,
      email: s.email,
      website: s.website,
      attributes: input.attributes,
      // Per-lease NetworkPolicies (deny other tenants, the LAN and the k3s API) — off in the chart by default.
      deploymentnetworkpoliciesenabled: 'true',
      cluster_node_port_quantity: String(input.nodePortCount),
      gatewayApi: { enabled: false },
      ingress: { className: INGRESS_CLASS },
      // Tenants verify the gateway with on-chain certificates; Let's Encrypt would also need port 5002.
      letsEncrypt: { enabled: false },
      // AEP-82: a notice window offered with every bid (a Go duration); unset = none, the chart's default.
      ...(s.reclamationWindowHours !== null ? { reclamationWindow: `${s.reclamationWindowHours}h` } : {}),
      ...pricingValues(input.pricing),
    };
    // key + keysecret come from a Secret, so they are never in the HelmChart or in the plan.
    const extra = { valuesSecrets: [{ name: WALLET_SECRET, keys: ['values.yaml'] }] };
    if (input.walletKeyPresent) out.push(walletSecretManifest(input.walletAddress, null));
    out.push(file('akash-provider', helmChart('provider', 'akash-provider', AKASH_NAMESPACE, provider, extra), provider));
  }
  return out;
}

/**
 * The Secret the provider chart reads `key` (base64 of the armored key) and `keysecret` (base64
 * of its passphrase) from. With `key: null` it is the redacted form `stack plan` shows; `up`
 * writes the real one into k3s's auto-deploy folder (0600, on the k3s data volume, where k3s
 * keeps its Secrets anyway). Both carry the same header hash — the hash of the redacted form,
 * which names the wallet address — so status can tell the file is current without the key.
 */
export function walletSecretManifest(address: string, key: { armored: string; passphrase: string } | null): BuiltManifest {
  const secret = (values: string) =>
    stringify({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: { name: WALLET_SECRET, namespace: HELM_NAMESPACE, labels: { 'app.kubernetes.io/managed-by': 'riglease' }, annotations: { 'riglease.io/wallet-address': address } },
      stringData: { 'values.yaml': values },
    });
  const redacted = file(WALLET_COMPONENT, secret(WALLET_REDACTED));
  if (!key) return redacted;
  const values = stringify({ key: Buffer.from(key.armored, 'utf8').toString('base64'), keysecret: Buffer.from(key.passphrase, 'utf8').toString('base64') });
  return { ...redacted, yaml: manifestHeader(redacted.yaml) + secret(values) };
}

/** The first line of a manifest we wrote: `# Written by RigLease (spec <hash>)…`. */
export function manifestHeader(yaml: string): string {
  return yaml.slice(0, yaml.indexOf('\n') + 1);
}
