/** Labels that mark every Docker object as RigLease's: nothing without them is ever touched. */
export const LABEL_MANAGED = 'io.riglease.managed';
export const LABEL_COMPONENT = 'io.riglease.component';
export const LABEL_SPEC_HASH = 'io.riglease.spec-hash';
/** Which stack (name prefix) an object belongs to, so two stacks on one engine never mix. */
export const LABEL_STACK = 'io.riglease.stack';

/** Where k3s auto-deploys manifests from (k3s docs: Auto-Deploying Manifests). */
export const MANIFEST_DIR = '/var/lib/rancher/k3s/server/manifests';
/** Our files there start with this, so we never overwrite k3s's own (coredns, local-storage…). */
export const MANIFEST_PREFIX = 'riglease-';

/*
 * k3s applies that folder in file-name order (k3s pkg/deploy/controller.go sorts the paths) and
 * retries a file that fails every 15 s. So what others need sorts first: namespaces and storage
 * `riglease-0-…`, CRDs `riglease-1-…`, then the charts and the rest `riglease-<component>` (a
 * letter sorts after a digit). Chart files keep the names they always had, so an upgrade never
 * renames (= uninstalls and reinstalls) a chart. k3s names each file's Addon after the text before
 * its FIRST dot, so a name here must have no dot but the `.yaml`.
 */
/** The file holding every Namespace RigLease creates. */
export const NAMESPACES_FILE = `${MANIFEST_PREFIX}0-namespaces.yaml`;
/** The StorageClass of an advertised persistent class (storage.ts): before the charts whose volumes use it. */
export const STORAGECLASS_FILE = `${MANIFEST_PREFIX}0-storageclass.yaml`;
/** The file of one remote CRD manifest (images.ts REMOTE_MANIFESTS `name`). */
export const crdFile = (name: string): string => `${MANIFEST_PREFIX}1-crd-${name}.yaml`;
/** The file of a chart or other component. */
export const componentFile = (component: string): string => `${MANIFEST_PREFIX}${component}.yaml`;

/**
 * Node label that marks a node whose containerd has the `nvidia` runtime (the k3s node of a
 * machine whose GPUs RigLease passes in): the label Akash's playbook puts on GPU nodes for the
 * device plugin (provider-playbooks @4e78f28 roles/gpu/tasks/nvdp.yml "Label GPU nodes", chart
 * value `nodeSelector.allow-nvdp`). Not an `akash.network*` label, so Akash's inventory operator
 * leaves it alone (gpu-labels.ts). Every node with the nvidia runtime sets it with k3s `--node-label`:
 * the stack's own k3s with GPUs (container-spec.ts k3sArgs), a farm member with GPUs (farm agent-spec.ts).
 */
export const NODE_LABEL_NVDP = { key: 'allow-nvdp', value: 'true' } as const;

/**
 * Node label of the machine that holds the provider's price table and certificate (its `/config`
 * hostPath, node-file.ts) and receives tenants on 80/443/8443/8444: the k3s server of the stack,
 * set with k3s `--node-label` (container-spec.ts). k3s re-applies `--node-label` at every start
 * (k3s-io/k3s pkg/agent/run.go `configureNode` → `updateMutableLabels`), so a stack set up before
 * gains it when its container is re-created.
 */
export const NODE_LABEL_CONTROLLER = { key: 'riglease.io/farm-role', value: 'controller' } as const;

/**
 * The label only a k3s server carries: k3s's server writes it (pkg/server `setNodeLabelsAndAnnotations`)
 * and a member's kubelet cannot set it on itself (the NodeRestriction admission plugin refuses
 * `node-role.kubernetes.io/*` from kubelets), while any `riglease.io/*` label can be claimed by a
 * member's own `--node-label`. Pinning requires both, so a member cannot attract the provider.
 */
export const NODE_LABEL_CONTROL_PLANE = { key: 'node-role.kubernetes.io/control-plane', value: 'true' } as const;

/** The nodeSelector of everything that must run beside the price table, the certificate and the host ports. */
export function controllerNodeSelector(): Record<string, string> {
  return { [NODE_LABEL_CONTROLLER.key]: NODE_LABEL_CONTROLLER.value, [NODE_LABEL_CONTROL_PLANE.key]: NODE_LABEL_CONTROL_PLANE.value };
}

export const POD_CIDR = '10.42.0.0/16';
export const SERVICE_CIDR = '10.43.0.0/16';

/** Data that must survive container replacement: one named volume each (k3d CUDA guide). */
export const DATA_MOUNTS = [
  { key: 'k3s', path: '/var/lib/rancher/k3s' },
  { key: 'kubelet', path: '/var/lib/kubelet' },
  { key: 'cni', path: '/var/lib/cni' },
  { key: 'log', path: '/var/log' },
] as const;

export interface StackNames {
  container: string;
  hostname: string;
  network: string;
  volume: (key: (typeof DATA_MOUNTS)[number]['key']) => string;
}

export function stackNames(prefix: string): StackNames {
  return {
    container: `${prefix}-k3s`,
    hostname: `${prefix}-node`,
    network: `${prefix}-net`,
    volume: (key) => `${prefix}-${key}`,
  };
}

export function managedLabels(prefix: string, component: string, hash?: string): Record<string, string> {
  return {
    [LABEL_MANAGED]: 'true',
    [LABEL_STACK]: prefix,
    [LABEL_COMPONENT]: component,
    ...(hash ? { [LABEL_SPEC_HASH]: hash } : {}),
  };
}
