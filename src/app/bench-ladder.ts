import type Docker from 'dockerode';
import { RigError } from '../api/errors.js';
import type { Ladder } from '../api/schemas/bench.js';
import type { HardwareReport } from '../api/schemas/hardware.js';
import type { Settings } from '../api/schemas/settings.js';
import { resolveBenchImage } from '../hardware/bench/images.js';
import { runLadder } from '../hardware/bench/ladder.js';
import { bidEngineRung, dockerRung, driverRung, fetchProviderStatus, findK3sContainer, kubernetesRung } from '../hardware/bench/ladder-probes.js';
import type { TaskProgress } from '../core/task-registry.js';

export interface LadderInputs {
  settings: Settings;
  /** A fresh hardware scan (the ladder is a proof, so never a cached one). */
  report: HardwareReport;
  /** The engine the scan found; only called when `report.docker.reachable`. */
  docker: () => Docker;
}

const DOCKER_DOWN_FIX = 'Start Docker (Docker Desktop or the docker service), then check again.';

/** Driver → Docker → Kubernetes → bid engine, bottom-up; stops at the first red rung. */
export async function preflightLadder(inputs: LadderInputs, gpuUuid: string | undefined, p: TaskProgress): Promise<Ladder> {
  const { settings, report } = inputs;
  const b = settings.bench;
  const smiImage = resolveBenchImage('smi', b.images);
  const podTimeoutMs = Math.min(b.containerTimeoutSec, 300) * 1000;
  let docker: Docker | null = null;
  const needDocker = (): Docker => {
    if (!report.docker.reachable) throw new RigError('unavailable', `Docker is not reachable: ${report.docker.message}`, DOCKER_DOWN_FIX);
    docker ??= inputs.docker();
    return docker;
  };
  const ladder = await runLadder(
    {
      driver: async () => driverRung(report, gpuUuid ?? null),
      docker: async (signal) => {
        if (!report.docker.reachable) return { state: 'red', reason: `Docker is not reachable: ${report.docker.message}`, fix: DOCKER_DOWN_FIX };
        return dockerRung(needDocker(), smiImage, gpuUuid ?? null, signal, b.containerTimeoutSec * 1000, b.gpuAccess);
      },
      kubernetes: async (signal) => kubernetesRung(needDocker(), smiImage, signal, { podTimeoutMs, stackPrefix: settings.stack.namePrefix }),
      bid_engine: async () => bidEngineRung(() => fetchProviderStatus(settings.stack.ports.gateway)),
    },
    p.signal,
    (index, title) => p.step(index + 1, `Checking: ${title}…`),
  );
  if (p.signal.aborted) throw new RigError('cancelled', 'Cancelled.');
  // A skipped Kubernetes rung still says whether the stack runs, so the person knows what comes next.
  const k8s = ladder.rungs.find((r) => r.id === 'kubernetes');
  if (k8s?.state === 'skipped' && report.docker.reachable) {
    const node = await findK3sContainer(needDocker(), settings.stack.namePrefix).catch(() => null);
    k8s.reason = `${k8s.reason}; the provider stack (k3s) is ${node ? 'running' : 'not running'}.`;
  }
  return ladder;
}
