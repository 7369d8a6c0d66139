import { stringify } from '../../util/lazy-yaml.js';
import { RigError } from '../../api/errors.js';
import type { StackSettings } from '../../api/schemas/settings/stack.js';
import type { ManifestKind } from '../../api/schemas/stack.js';
import { CHARTS, type ChartName } from './images.js';
import { unknownValueKeys } from './chart-values-keys.js';
import {
  GATEWAY_NAMESPACE,
  akashGatewayValues,
  certManagerValues,
  devicePluginValues,
  gatewayFabricValues,
  hostnameOperatorValues,
  inventoryOperatorValues,
  providerValues,
} from './chart-values.js';
import { AKASH_NAMESPACE, CERT_MANAGER_NAMESPACE, DEVICE_PLUGIN_NAMESPACE, NGF_NAMESPACE, gatewayTlsYaml, namespacesYaml } from './cluster-manifests.js';
import { specHash } from './hash.js';
import { NAMESPACES_FILE, STORAGECLASS_FILE, componentFile } from './names.js';
import { clusterStorage, persistentClass, persistentStorageClassYaml } from './storage.js';

export { AKASH_NAMESPACE } from './cluster-manifests.js';

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

export const HELM_NAMESPACE = 'kube-system';
/** Secret in kube-system holding the provider chart's key/keysecret values (HelmChart valuesSecrets). */
export const WALLET_SECRET = 'riglease-provider-wallet';
/** The manifest that creates WALLET_SECRET: a Secret, not a chart (status and plan treat it so). */
export const WALLET_COMPONENT = 'akash-provider-wallet';
/** What `stack plan` shows instead of the key: the real values exist only in the file written into k3s. */
export const WALLET_REDACTED = '[redacted: armored provider key + passphrase, written only into k3s]';

export interface ManifestInput {
  settings: StackSettings;
  gpuCount: number;
  /** GPUs on the farm's members (0 elsewhere): they need the device plugin and RuntimeClass too. */
  memberGpuCount?: number;
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
  kind: ManifestKind;
  hash: string;
  yaml: string;
  /** Chart values, for tests and `stack plan` readers. */
  values?: Record<string, unknown>;
}

function helmChart(name: ChartName, release: string, targetNamespace: string, values: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  const bad = unknownValueKeys(name, values);
  if (bad.length) throw new RigError('internal', `The ${release} chart has no value(s) ${bad.join(', ')} at version ${CHARTS[name].version}.`);
  const pin = CHARTS[name];
  return stringify({
    apiVersion: 'helm.cattle.io/v1',
    kind: 'HelmChart',
    metadata: { name: release, namespace: HELM_NAMESPACE, labels: { 'app.kubernetes.io/managed-by': 'riglease' } },
    spec: {
      ...('repo' in pin ? { repo: pin.repo } : {}),
      chart: pin.chart,
      version: pin.version,
      targetNamespace,
      createNamespace: true,
      valuesContent: stringify(values),
      ...extra,
    },
  });
}

function file(component: string, kind: ManifestKind, yaml: string, values?: Record<string, unknown>, name = componentFile(component)): BuiltManifest {
  const hash = specHash(yaml);
  const header = `# Written by RigLease (spec ${hash}). Edits are overwritten by the next "riglease stack up".\n`;
  return { file: name, component, kind, hash, yaml: header + yaml, ...(values ? { values } : {}) };
}

function chart(name: ChartName, release: string, namespace: string, values: Record<string, unknown>, extra?: Record<string, unknown>): BuiltManifest {
  return file(release, 'chart', helmChart(name, release, namespace, values, extra), values);
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

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** Whether the provider has the contact email it cannot start without. */
export function hasProviderEmail(email: string): boolean {
  return EMAIL.test(email.trim());
}

/** The provider cannot start without a contact email (Let's Encrypt account; the provider refuses an empty one). */
export function requireProviderEmail(email: string): void {
  if (hasProviderEmail(email)) return;
  throw new RigError(
    'precondition_failed',
    email.trim()
      ? `"${email}" is not an email address; the Akash provider needs a real one for its Let's Encrypt certificate and its on-chain contact.`
      : "The Akash provider needs a contact email: it registers it with Let's Encrypt for the provider's certificate and publishes it on chain.",
    'Enter your email in onboarding or Settings (riglease settings set chain.provider.email you@example.com), then Start providing again.',
  );
}

/**
 * Every manifest k3s auto-deploys except the remote CRDs (remote-manifests.ts), sorted by file
 * name — the order k3s applies them: namespaces first, then the charts and the rest.
 */
export function buildManifests(input: ManifestInput): BuiltManifest[] {
  const { settings: s } = input;
  const img = s.images;
  const gpus = input.gpuCount > 0;
  // Anywhere in the cluster: the plugin's DaemonSet selects the GPU nodes themselves.
  const clusterGpus = gpus || (input.memberGpuCount ?? 0) > 0;
  const out: BuiltManifest[] = [file('namespaces', 'namespace', namespacesYaml(clusterGpus), undefined, NAMESPACES_FILE)];

  if (clusterGpus) {
    out.push(file('nvidia-runtimeclass', 'manifest', stringify({ apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'nvidia' }, handler: 'nvidia' })));
    out.push(chart('devicePlugin', 'nvidia-device-plugin', DEVICE_PLUGIN_NAMESPACE, devicePluginValues(img)));
  }

  out.push(chart('nginxGatewayFabric', 'nginx-gateway-fabric', NGF_NAMESPACE, gatewayFabricValues(img)));
  out.push(chart('certManager', 'cert-manager', CERT_MANAGER_NAMESPACE, certManagerValues()));
  if (s.domain) {
    out.push(chart('akashGateway', 'akash-gateway', GATEWAY_NAMESPACE, akashGatewayValues(s.domain)));
    out.push(file('akash-gateway-tls', 'manifest', gatewayTlsYaml(s.domain)));
  }

  const persistent = persistentClass(input.attributes);
  const sc = persistentStorageClassYaml(persistent);
  if (sc) out.push(file('storageclass', 'manifest', sc, undefined, STORAGECLASS_FILE));

  out.push(chart('hostnameOperator', 'akash-hostname-operator', AKASH_NAMESPACE, hostnameOperatorValues(img)));
  out.push(chart('inventoryOperator', 'akash-inventory-operator', AKASH_NAMESPACE, inventoryOperatorValues(img, clusterStorage(input.gpuCount, persistent))));

  // Without an email the provider cannot start, so it is left out of the plan (a note says why,
  // and `up` refuses with the fix) — status and the Dashboard keep working meanwhile.
  if (input.walletAddress && s.domain && hasProviderEmail(s.email)) {
    const provider = providerValues({ settings: s, walletAddress: input.walletAddress, attributes: input.attributes, nodePortCount: input.nodePortCount, pricing: pricingValues(input.pricing) });
    // key + keysecret come from a Secret, so they are never in the HelmChart or in the plan.
    const extra = { valuesSecrets: [{ name: WALLET_SECRET, keys: ['values.yaml'] }] };
    if (input.walletKeyPresent) out.push(walletSecretManifest(input.walletAddress, null));
    out.push(chart('provider', 'akash-provider', AKASH_NAMESPACE, provider, extra));
  }
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
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
  const redacted = file(WALLET_COMPONENT, 'manifest', secret(WALLET_REDACTED));
  if (!key) return redacted;
  const values = stringify({ key: Buffer.from(key.armored, 'utf8').toString('base64'), keysecret: Buffer.from(key.passphrase, 'utf8').toString('base64') });
  return { ...redacted, yaml: manifestHeader(redacted.yaml) + secret(values) };
}

/** The first line of a manifest we wrote: `# Written by RigLease (spec <hash>)…`. */
export function manifestHeader(yaml: string): string {
  return yaml.slice(0, yaml.indexOf('\n') + 1);
}
