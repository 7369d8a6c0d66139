import { RigError } from '../../api/errors.js';
import type { StackPlan } from '../../api/schemas/stack.js';
import type { StackSettings } from '../../api/schemas/settings/stack.js';
import { k3sArgs, k3sContainerSpec, plannedPorts, type FarmExposure } from './container-spec.js';
import { egressRules } from './egress.js';
import { gpuAttributes, gpuNodeLabels, type PlanGpu } from './gpu-labels.js';
import { specHash } from './hash.js';
import { resolveImage } from './images.js';
import { HELM_NAMESPACE, WALLET_SECRET, buildManifests, hasProviderEmail, type PricingPassthrough } from './manifests.js';
import { plannedRemoteManifests } from './remote-manifests.js';
import { RAM_ATTRIBUTES } from './storage.js';
import { DATA_MOUNTS, managedLabels, stackNames } from './names.js';

/** What the planner needs from the hardware scan. */
export interface HardwareFacts {
  gpus: PlanGpu[];
}

/** References to secrets the stack needs; the planner only learns whether they exist. */
export interface SecretRefs {
  /** The provider wallet's public address, when the wallet exists (chain engineer's store). */
  walletAddress: string | null;
  /** Whether the key export + passphrase are available to hand to k3s as a Secret. */
  walletKeyPresent: boolean;
}

export interface PlanInput {
  settings: StackSettings;
  hardware: HardwareFacts;
  secrets: SecretRefs;
  pricing: PricingPassthrough;
  /** Farm controller mode (publish the k3s API, VXLAN and kubelet; advertise the address); null = single machine. */
  farm?: FarmExposure | null;
}

/**
 * Why a subset of GPUs cannot be offered: the k3s container is privileged, so it sees every GPU
 * of the host whatever DeviceRequests names (/dev/nvidia*, and /sys, from which Akash's
 * inventory reads the PCI devices), and the device plugin and inventory would advertise and
 * hand out the GPU kept back (README "GPU selection").
 */
export const GPU_SUBSET_REFUSED =
  'RigLease cannot keep one GPU for gaming yet: the provider runs in a privileged container that sees every GPU of this computer, so Akash would rent out the one kept back too.';
const GPU_SUBSET_FIX = 'Offer every GPU (stack.gpus = "all") or none (stack.gpus = [], CPU only). To play, pause providing or turn on gaming mode: both stop new bids.';

/**
 * Which scanned GPUs the settings select: all of them, or none. A list naming every scanned GPU
 * is "all"; one naming fewer is refused with the reason, as are UUIDs this machine does not have.
 */
export function selectGpus(settings: StackSettings, scanned: PlanGpu[]): PlanGpu[] {
  if (settings.gpus === 'all') return scanned;
  if (settings.gpus.length === 0) return [];
  const byUuid = new Map(scanned.filter((g) => g.uuid).map((g) => [g.uuid!, g]));
  const missing = settings.gpus.filter((u) => !byUuid.has(u));
  if (missing.length) {
    throw new RigError('invalid_input', `Selected GPU(s) not found on this machine: ${missing.join(', ')}.`, 'Run a hardware scan and choose again: every GPU, or none (stack.gpus).');
  }
  if (new Set(settings.gpus).size < scanned.length) throw new RigError('invalid_input', GPU_SUBSET_REFUSED, GPU_SUBSET_FIX);
  return scanned;
}

/**
 * Pure: settings + hardware + secret refs + pricing → everything `up` would create. No I/O, so
 * the CLI's `stack plan`, the tests and `up` all see the same thing.
 */
export function plan(input: PlanInput): StackPlan {
  const s = input.settings;
  const names = stackNames(s.namePrefix);
  const gpus = selectGpus(s, input.hardware.gpus);
  const labels = gpuNodeLabels(gpus);
  const egress = egressRules(s.allowPrivateEgress);
  const farm = input.farm ?? null;
  const ports = plannedPorts(s, farm);
  const image = resolveImage('k3s', s.images);
  // Always every GPU (Count -1): naming UUIDs would suggest a fence the privileged container does not have.
  const allGpus = gpus.length > 0;
  const deviceIds = gpus.map((g) => g.uuid).filter((u): u is string => !!u);
  const { spec, hash } = k3sContainerSpec({
    settings: s,
    image,
    args: k3sArgs({ settings: s, gpus: gpus.length > 0, farm }),
    ports,
    egress,
    gpuDeviceIds: gpus.length ? deviceIds : null,
    allGpus,
  });

  const userKeys = new Set(s.attributes.map((a) => a.key));
  const gpuAttrs = gpuAttributes(gpus);
  // `ram` (shared memory) is offered on a GPU host Akash recognises, as the playbook and the
  // on-chain registration (chain/attributes.ts) do, so the chart never disagrees with the chain.
  const ramAttrs = gpuAttrs.length ? RAM_ATTRIBUTES : [];
  const attributes = [...s.attributes, ...[...gpuAttrs, ...ramAttrs].filter((a) => !userKeys.has(a.key))];
  const manifests = buildManifests({
    settings: s,
    gpuCount: gpus.length,
    memberGpuCount: farm?.memberGpus ?? 0,
    attributes,
    pricing: input.pricing,
    walletAddress: input.secrets.walletAddress,
    walletKeyPresent: input.secrets.walletKeyPresent,
    nodePortCount: s.ports.nodePortCount,
  }).map(({ file, component, kind, hash: h, yaml }) => ({ file, component, kind, hash: h, yaml }));
  const remoteManifests = plannedRemoteManifests(manifests.map((m) => m.component));
  const applyOrder = [
    ...remoteManifests.map((r) => ({ file: r.file, kind: 'crd' as const, component: `crd-${r.name}` })),
    ...manifests.map((m) => ({ file: m.file, kind: m.kind, component: m.component })),
  ].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));

  const notes: string[] = [];
  if (!gpus.length) notes.push('No GPU selected: the node offers CPU only and no NVIDIA runtime is configured.');
  if (!s.domain) notes.push('No provider domain set (stack.domain): the Akash provider chart is left out until one is.');
  if (!input.secrets.walletAddress) notes.push('No provider wallet yet: the Akash provider chart is left out until one exists.');
  else if (s.domain && !input.secrets.walletKeyPresent) notes.push('The wallet key cannot be exported yet: the provider chart waits for its key Secret.');
  if (input.secrets.walletAddress && s.domain && !hasProviderEmail(s.email)) {
    notes.push('No contact email yet (chain.provider.email): the Akash provider chart is left out until one is set, because the provider cannot start without it.');
  }
  if (s.ports.gateway !== 8443 || s.ports.grpc !== 8444) {
    // The provider chart registers https://provider.<domain>:8443 on chain at every start (create_provider.sh).
    notes.push(`Tenants always connect to ports 8443 and 8444 (Akash's provider chart registers :8443 on chain): your router must send public 8443 to port ${s.ports.gateway} and 8444 to port ${s.ports.grpc} of this computer ("Ask the router" does).`);
  }
  if (s.ports.nodePortCount < 100) notes.push(`Only ${s.ports.nodePortCount} NodePorts are published; tenants asking for more ports than that cannot be served.`);
  for (const g of labels.perGpu) if (g.note) notes.push(g.note);
  if (farm) notes.push(`Farm controller: k3s API on TCP ${farm.apiPort}, kubelet on TCP ${farm.kubeletPort}, the pod network on UDP ${farm.wireguardPort ?? 51820} (WireGuard, encrypted) or, where this computer's kernel has no WireGuard, UDP ${farm.vxlanPort} (VXLAN, unencrypted; k3s's log says which) are published for the other machines${farm.address ? `, advertised as ${farm.address} and published only there` : ' on every network this computer is on'}.`);
  if (farm && !farm.address) notes.push('Farm controller without an address other machines can use: set farm.advertiseAddress to this machine\'s LAN address, then Start providing again.');

  const volumes = DATA_MOUNTS.map((m) => ({ name: names.volume(m.key), mountPath: m.path, labels: managedLabels(s.namePrefix, `volume-${m.key}`) }));
  const networks = [{ name: names.network, driver: 'bridge', labels: managedLabels(s.namePrefix, 'network') }];
  const containers = [{ name: names.container, component: 'k3s' as const, image, specHash: hash, create: spec as unknown as Record<string, unknown> }];
  return {
    prefix: s.namePrefix,
    hash: specHash({ c: hash, m: manifests.map((m) => m.hash), r: remoteManifests.map((r) => r.sha256), v: volumes, n: networks }),
    containers,
    volumes,
    networks,
    ports,
    manifests,
    remoteManifests,
    applyOrder,
    egressRules: egress,
    gpus: { deviceIds, all: allGpus },
    gpuLabels: labels.perGpu,
    secretRefs: [
      { name: WALLET_SECRET, namespace: HELM_NAMESPACE, purpose: 'provider key export + passphrase (chart values key/keysecret)', present: input.secrets.walletKeyPresent },
    ],
    notes,
  };
}
