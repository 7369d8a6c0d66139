import { stringify } from '../../util/lazy-yaml.js';

/**
 * Storage the Akash charts ask of k3s.
 *
 * - The inventory operator's `cluster_storage` (what it may report): `default` always, a
 *   persistent class when the provider offers one, `ram` only on a GPU host — the list Akash's
 *   playbook builds (provider-playbooks @4e78f28 roles/provider/tasks/install.yml "Build inventory
 *   operator storage classes list").
 * - Non-persistent storage needs no StorageClass: the provider bids `ram` from node memory and
 *   ephemeral storage from the node's disk (akash-network/provider @afc4dd7
 *   cluster/kube/operators/clients/inventory/inventory.go). The operator drops from its list every
 *   name that is not a StorageClass (operator/inventory/config.go `FilterOutStorageClasses`), so
 *   `default`/`ram` just do not become node labels; bids are not affected.
 * - A persistent class (`capabilities/storage/N/persistent: "true"` + `…/N/class`) must exist as a
 *   StorageClass, or tenants' volumes stay Pending — and the provider chart puts its own home volume
 *   on that class too (helm-charts @f3d8d46 charts/akash-provider/templates/_helpers.tpl
 *   `provider.storageClass`). On one PC RigLease creates it on k3s's built-in local-path
 *   provisioner (`rancher.io/local-path`, which the inventory operator measures:
 *   operator/inventory/rancher.go), labelled `akash.network: "true"` as the playbook detects one.
 */

/** k3s's built-in StorageClass (k3s local-storage addon). */
export const K3S_LOCAL_PATH = 'local-path';
const LOCAL_PATH_PROVISIONER = 'rancher.io/local-path';

/** The persistent class the attributes advertise, found the way the provider chart's helper finds it. */
export function persistentClass(attributes: readonly { key: string; value: string }[]): string | null {
  let found: string | null = null;
  for (const a of attributes) {
    const m = /^capabilities\/storage\/([^/]+)\/persistent$/.exec(a.key);
    if (!m || a.value !== 'true') continue;
    const cls = attributes.find((b) => b.key === `capabilities/storage/${m[1]}/class`)?.value;
    if (cls) found = cls;
  }
  return found;
}

export function clusterStorage(gpuCount: number, persistent: string | null): string[] {
  return ['default', ...(persistent ? [persistent] : []), ...(gpuCount > 0 ? ['ram'] : [])];
}

/** The `ram` (shared memory) class Akash's playbook advertises on GPU hosts (templates/provider.yaml.j2). */
export const RAM_ATTRIBUTES = [
  { key: 'capabilities/storage/2/class', value: 'ram' },
  { key: 'capabilities/storage/2/persistent', value: 'false' },
] as const;

/** A StorageClass for the advertised persistent class on k3s's local-path provisioner; null when none is needed. */
export function persistentStorageClassYaml(name: string | null): string | null {
  if (!name || name === K3S_LOCAL_PATH) return null;
  return stringify({
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name, labels: { 'akash.network': 'true', 'app.kubernetes.io/managed-by': 'riglease' } },
    provisioner: LOCAL_PATH_PROVISIONER,
    // Bound where the pod runs (one node here), as k3s's own local-path class does.
    volumeBindingMode: 'WaitForFirstConsumer',
    reclaimPolicy: 'Delete',
  });
}
