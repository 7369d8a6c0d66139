import type Docker from 'dockerode';
import type { StackPlan } from '../../api/schemas/stack.js';
import { T, withTimeout } from './docker-client.js';
import { readManifests } from './manifest-sync.js';
import { MANIFEST_DIR, NAMESPACES_FILE, componentFile } from './names.js';
import { makeTar } from './tar.js';

/** The NVIDIA device plugin's manifest (`buildManifests`, planned when any node of the cluster has GPUs). */
export const DEVICE_PLUGIN_FILE = componentFile('nvidia-device-plugin');
/** What a GPU anywhere in the cluster needs from the server: the plugin's namespace, the `nvidia` RuntimeClass, the plugin. */
const CLUSTER_GPU_FILES = new Set([NAMESPACES_FILE, componentFile('nvidia-runtimeclass'), DEVICE_PLUGIN_FILE]);

/**
 * A farm member with GPUs joined a controller whose own stack has none: the plan now holds the
 * device plugin (its DaemonSet selects the GPU nodes), and k3s applies whatever appears in its
 * auto-deploy folder, so only those files are written into the running server, the same way
 * `up` writes them (only when their content differs). Nothing else of the plan is touched (the
 * wallet Secret, for one, is redacted in a plan). Removing the plugin when the last GPU member
 * leaves needs kubectl and is left to the next `up`. Returns the files written.
 */
export async function writeClusterGpuManifests(container: Docker.Container, plan: StackPlan): Promise<string[]> {
  if (!plan.manifests.some((m) => m.file === DEVICE_PLUGIN_FILE)) return [];
  const wanted = plan.manifests.filter((m) => CLUSTER_GPU_FILES.has(m.file));
  const existing = await readManifests(container);
  const changed = wanted.filter((m) => existing.get(m.file) !== m.yaml);
  if (changed.length === 0) return [];
  const rel = MANIFEST_DIR.replace(/^\//, '');
  await withTimeout('write manifests', T.create, container.putArchive(makeTar(changed.map((m) => ({ name: `${rel}/${m.file}`, body: Buffer.from(m.yaml, 'utf8'), mode: 0o600 }))), { path: '/' }));
  return changed.map((m) => m.file);
}
