import { z } from 'zod';

export const StackComponentName = z.enum([
  'k3s',
  'nginx-gateway-fabric',
  'cert-manager',
  'akash-gateway',
  'nvidia-device-plugin',
  'akash-hostname-operator',
  'akash-inventory-operator',
  'akash-provider',
]);
export type StackComponentName = z.infer<typeof StackComponentName>;

export const PlannedPort = z.object({
  host: z.number().int(),
  container: z.number().int(),
  protocol: z.enum(['tcp', 'udp']),
  purpose: z.string(),
  /** The host address it is published on; absent = every interface. */
  hostIp: z.string().optional(),
});

export const PlannedVolume = z.object({ name: z.string(), mountPath: z.string(), labels: z.record(z.string(), z.string()) });
export const PlannedNetwork = z.object({ name: z.string(), driver: z.string(), labels: z.record(z.string(), z.string()) });

export const PlannedContainer = z.object({
  name: z.string(),
  component: z.literal('k3s'),
  image: z.string(),
  specHash: z.string(),
  /** The Docker Engine API ContainerCreate body, exactly as `up` sends it. */
  create: z.record(z.string(), z.unknown()),
});

/** What a file in k3s's auto-deploy folder holds: status treats only `chart` files as Helm releases. */
export const ManifestKind = z.enum(['namespace', 'crd', 'chart', 'manifest']);
export type ManifestKind = z.infer<typeof ManifestKind>;

export const PlannedManifest = z.object({
  /** File name inside k3s's auto-deploy folder (k3s applies the folder in file-name order). */
  file: z.string(),
  component: z.string(),
  kind: ManifestKind,
  hash: z.string(),
  yaml: z.string(),
});

/**
 * A manifest no chart ships (CRDs), downloaded from upstream at `up`, verified against its pinned
 * SHA-256, cached in the data folder, and written into k3s's folder so it sorts before `before`.
 */
export const PlannedRemoteManifest = z.object({
  name: z.string(),
  file: z.string(),
  url: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Components (chart files) that need it applied first. */
  before: z.array(z.string()),
});

/** One line of the apply order: every file `up` writes, in the order k3s applies them. */
export const ApplyStep = z.object({ file: z.string(), kind: ManifestKind, component: z.string() });

export const EgressRule = z.object({
  cidr: z.string(),
  action: z.enum(['allow', 'drop']),
  why: z.string(),
});

export const GpuNodeLabels = z.object({
  uuid: z.string().nullable(),
  name: z.string(),
  /** nvidia-smi's PCI bus id; status checks the host has a DRM device for it (Akash's inventory needs one). */
  pciBusId: z.string().nullable(),
  model: z.string().nullable(),
  /** True when the card's PCI sub-vendor is not NVIDIA (support#298); Akash's inventory itself looks cards up by device id. */
  boardPartner: z.boolean(),
  labels: z.record(z.string(), z.string()),
  note: z.string().nullable(),
});

export const SecretRefPlan = z.object({ name: z.string(), namespace: z.string(), purpose: z.string(), present: z.boolean() });

export const StackPlan = z.object({
  prefix: z.string(),
  hash: z.string(),
  containers: z.array(PlannedContainer),
  volumes: z.array(PlannedVolume),
  networks: z.array(PlannedNetwork),
  ports: z.array(PlannedPort),
  manifests: z.array(PlannedManifest),
  remoteManifests: z.array(PlannedRemoteManifest),
  /** Namespaces, CRDs, charts and the rest, in the order k3s applies them (file-name order). */
  applyOrder: z.array(ApplyStep),
  egressRules: z.array(EgressRule),
  gpus: z.object({ deviceIds: z.array(z.string()), all: z.boolean() }),
  gpuLabels: z.array(GpuNodeLabels),
  secretRefs: z.array(SecretRefPlan),
  notes: z.array(z.string()),
});
export type StackPlan = z.infer<typeof StackPlan>;

export const ComponentState = z.enum(['running', 'ready', 'stopped', 'missing', 'pending', 'failed', 'unknown']);

export const ComponentStatus = z.object({
  name: z.string(),
  state: ComponentState,
  /** ISO time the component (container) was started, when known. */
  since: z.string().nullable(),
  ageSec: z.number().nullable(),
  detail: z.string(),
  /** Why it is not ready, in words a person can act on; null when ready. */
  whyNotReady: z.string().nullable(),
});
export type ComponentStatus = z.infer<typeof ComponentStatus>;

export const GpuInventoryStatus = z.object({
  uuid: z.string().nullable(),
  name: z.string(),
  state: z.enum(['labelled', 'missing', 'unknown']),
  detail: z.string(),
});

export const StackStatus = z.object({
  prefix: z.string(),
  checkedAt: z.string(),
  /** Overall: not installed, stopped, starting (container up, cluster not ready) or running. */
  overall: z.enum(['not_installed', 'stopped', 'starting', 'running', 'degraded']),
  components: z.array(ComponentStatus),
  gpus: z.array(GpuInventoryStatus),
  /** True when the container runs the spec the current settings would create. */
  upToDate: z.boolean(),
  volumes: z.array(z.string()),
});
export type StackStatus = z.infer<typeof StackStatus>;

export const StackActionResult = z.object({ changed: z.boolean(), message: z.string() });
export type StackActionResult = z.infer<typeof StackActionResult>;

export const StackLogLine = z.object({ component: z.string(), stream: z.enum(['stdout', 'stderr']), line: z.string() });
export const StackLogs = z.object({ component: z.string(), lines: z.array(StackLogLine), truncated: z.boolean() });
export type StackLogs = z.infer<typeof StackLogs>;

export const StackUninstallInput = z
  .object({
    purge: z.boolean().default(false),
    /** Must be true: the API refuses to uninstall without an explicit confirmation. */
    confirm: z.boolean().default(false),
  })
  .strict();

/** What uninstall would remove, said before it does. */
export function uninstallWarning(purge: boolean, volumes: string[]): string {
  const list = volumes.length ? volumes.join(', ') : 'none exist yet';
  return purge
    ? `This removes the provider stack and ERASES its data volumes (${list}): the cluster, every running lease's pods and data, and the provider's local state are lost. Running leases stop and tenants lose their workloads.`
    : `This removes the provider stack's container and network. Its data volumes (${list}) are kept, so a later "up" brings the cluster back; running leases stop until then.`;
}

export const StackLogsInput = z
  .object({
    component: StackComponentName.default('k3s'),
    /** How many of the last lines to return. */
    tail: z.number().int().min(1).max(2000).default(200),
  })
  .strict();

/** Said before stop, in the UI's confirmation and the CLI's help: what happens to running leases. */
export const STOP_WARNING =
  'Stopping pauses the provider: data volumes are kept, leases stay open on chain, but tenants\' workloads are unreachable and no new bids are made until you start again. If it stays down, tenants are likely to close their leases.';
/** Said before restart. */
export const RESTART_WARNING = 'Restarting stops k3s and every tenant workload for a minute or two; leases stay open and their data is kept.';
/** Said before upgrade. */
export const UPGRADE_WARNING =
  'Upgrading applies the versions pinned in this RigLease release (and any changed settings). When the k3s container must be replaced, tenant workloads pause for a minute or two; data volumes and leases are kept.';
