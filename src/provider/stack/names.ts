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
