import { writeClusterGpuManifests } from '../../provider/stack/cluster-gpu-manifests.js';
import { findContainer } from '../../provider/stack/docker-objects.js';
import { stackNames } from '../../provider/stack/names.js';
import type { FarmDeps } from './farm-deps.js';
import type { FarmState } from './farm-state.js';

/**
 * The controller's cluster follows its members' GPUs: when the GPU count the members reported
 * changes (a GPU machine joined a controller without GPUs of its own), the device plugin and the
 * `nvidia` RuntimeClass are written into the running k3s server at once, not at the next
 * `stack up`. Looked at by the farm loop; a stack that is not running is left to its own `up`.
 */
export class ClusterGpus {
  /** Member GPUs at the last look that reached the stack (null: not yet, so the first look after a start catches up). */
  private known: number | null = null;

  constructor(private readonly d: FarmDeps) {}

  async follow(st: FarmState): Promise<string[]> {
    if (st.role !== 'controller' || !st.controller || !this.d.stackPlan) return [];
    const gpus = st.controller.members.reduce((n, m) => n + m.gpus.length, 0);
    if (gpus === this.known) return [];
    if (gpus === 0) {
      this.known = 0;
      return [];
    }
    const s = await this.d.settings();
    const docker = this.d.docker();
    const info = await findContainer(docker, stackNames(s.stack.namePrefix).container, s.stack.namePrefix);
    if (!info?.State.Running) return [];
    const written = await writeClusterGpuManifests(docker.getContainer(info.Id), await this.d.stackPlan());
    this.known = gpus;
    if (written.length) this.d.logger.info('farm: members bring GPUs; the device plugin is written into k3s', { memberGpus: gpus, files: written });
    return written;
  }
}
