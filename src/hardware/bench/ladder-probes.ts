import { randomBytes } from 'node:crypto';
import https from 'node:https';
import type Docker from 'dockerode';
import { z } from 'zod';
import type { HardwareReport } from '../../api/schemas/hardware.js';
import { RigError } from '../../api/errors.js';
import { messageOf, runBenchContainer, sleep } from './container-run.js';
import { dockerExec } from './docker-exec.js';
import type { RungOutcome } from './ladder.js';
import { lastLines } from './nbody-parse.js';

/** Rung 1: nvidia-smi (through the hardware scan) sees the GPU. */
export function driverRung(report: HardwareReport, gpuUuid: string | null): RungOutcome {
  if (report.nvidia.state !== 'ok') {
    const check = report.checks.find((c) => c.status === 'block' && /nvidia|driver|gpu/i.test(`${c.id} ${c.title}`));
    return { state: 'red', reason: report.nvidia.message, fix: check?.fix ?? 'Install or repair the NVIDIA driver, then run `nvidia-smi`.' };
  }
  if (report.gpus.length === 0) return { state: 'red', reason: 'nvidia-smi runs but lists no GPU.', fix: 'Check that the card is seated and powered, and that Above 4G decoding / Resizable BAR are on in the BIOS.' };
  const chosen = gpuUuid ? report.gpus.filter((g) => g.uuid === gpuUuid) : report.gpus;
  if (chosen.length === 0) return { state: 'red', reason: `No GPU with id ${gpuUuid} is listed by nvidia-smi.`, fix: 'Run the hardware scan again and pick one of the GPUs it lists.' };
  const names = chosen.map((g) => g.name).join(', ');
  return { state: 'green', reason: `nvidia-smi sees ${names} (driver ${report.nvidia.driverVersion ?? 'unknown'}).`, fix: null };
}

/** Rung 2: a container given the GPU through DeviceRequests can run nvidia-smi. */
export async function dockerRung(
  docker: Docker,
  image: string,
  gpuUuid: string | null,
  signal: AbortSignal,
  timeoutMs = 5 * 60_000,
  /** `engine-default`: ask Docker for no GPU (the engine's default runtime hands them in; see bench.gpuAccess). */
  gpuAccess: 'device-requests' | 'engine-default' = 'device-requests',
): Promise<RungOutcome> {
  const gpus = gpuAccess === 'engine-default' ? null : gpuUuid ? [gpuUuid] : 'all';
  try {
    const r = await runBenchContainer(docker, { image, cmd: ['nvidia-smi', '-L'], gpus, timeoutMs, signal }, `ladder-${randomBytes(3).toString('hex')}`);
    // `nvidia-smi -L` prints one `GPU <n>: <name> (UUID: …)` line per GPU the container was given.
    const seen = r.output.split(/\r?\n/).map((l) => l.trim()).filter((l) => /^GPU \d+:/.test(l));
    if (r.exitCode === 0 && seen.length > 0) return { state: 'green', reason: `A container sees ${seen.length} GPU${seen.length === 1 ? '' : 's'}: ${seen.join(' | ').slice(0, 600)}`, fix: null };
    return { state: 'red', reason: `nvidia-smi in a container failed (exit ${r.exitCode}): ${lastLines(r.output, 3) || 'no output'}`, fix: 'Reinstall the NVIDIA Container Toolkit and restart Docker.' };
  } catch (err) {
    if (err instanceof RigError && err.code === 'cancelled') throw err;
    if (err instanceof RigError) return { state: err.code === 'unavailable' && /download/i.test(err.message) ? 'unknown' : 'red', reason: err.message, fix: err.fix ?? null };
    return { state: 'red', reason: messageOf(err), fix: null };
  }
}

/** The k3s node container: labelled by the stack (`io.riglease.component=k3s`; the brief's `k3s-server` is accepted too). */
export async function findK3sContainer(docker: Docker, stackPrefix?: string): Promise<Docker.Container | null> {
  // The stack labels its objects with its name prefix (stack.namePrefix), so two stacks on one engine never mix.
  const labels = ['io.riglease.managed=true', ...(stackPrefix ? [`io.riglease.stack=${stackPrefix}`] : [])];
  const list = await docker.listContainers({ filters: { label: labels, status: ['running'] } });
  const hit = list.find((c) => ['k3s', 'k3s-server'].includes(c.Labels?.['io.riglease.component'] ?? ''));
  return hit ? docker.getContainer(hit.Id) : null;
}

/**
 * The parts of `kubectl get nodes -o json` the rung reads: a v1 List of Node objects
 * (https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/node-v1/): `status.capacity`,
 * `status.allocatable` (quantities as strings) and `status.conditions` (`Ready` True/False/Unknown).
 */
const NodeList = z.object({
  items: z
    .array(
      z.object({
        metadata: z.object({ name: z.string() }).partial().optional(),
        status: z
          .object({
            capacity: z.record(z.string(), z.string()).optional(),
            allocatable: z.record(z.string(), z.string()).optional(),
            conditions: z.array(z.object({ type: z.string(), status: z.string(), reason: z.string().optional(), message: z.string().optional() })).optional(),
          })
          .optional(),
      }),
    )
    .default([]),
});

/** The parts of `kubectl get pod NAME -o json` the rung reads (https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#PodStatus). */
const PodDoc = z.object({
  status: z
    .object({
      phase: z.string().optional(),
      conditions: z.array(z.object({ type: z.string(), status: z.string(), reason: z.string().optional(), message: z.string().optional() })).optional(),
      containerStatuses: z
        .array(
          z.object({
            state: z
              .object({
                waiting: z.object({ reason: z.string().optional(), message: z.string().optional() }).optional(),
                terminated: z.object({ exitCode: z.number().optional(), reason: z.string().optional(), message: z.string().optional() }).optional(),
              })
              .optional(),
          }),
        )
        .optional(),
    })
    .optional(),
});
type PodDoc = z.infer<typeof PodDoc>;

/** Sum of `nvidia.com/gpu` allocatable over the nodes of `kubectl get nodes -o json`. */
export function allocatableGpus(nodesJson: string): number {
  return NodeList.parse(JSON.parse(nodesJson)).items.reduce((sum, n) => sum + (Number(n.status?.allocatable?.['nvidia.com/gpu'] ?? 0) || 0), 0);
}

/** The one-off pod: one GPU, the `nvidia` runtime class, `nvidia-smi -L`, never restarted. */
export function gpuPodOverrides(name: string, image: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    spec: {
      runtimeClassName: 'nvidia',
      restartPolicy: 'Never',
      containers: [{ name, image, command: ['nvidia-smi', '-L'], resources: { limits: { 'nvidia.com/gpu': '1' } } }],
    },
  });
}

/** Waiting reasons that never resolve by waiting (https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-state-waiting). */
const STUCK = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'CreateContainerConfigError', 'CreateContainerError', 'RunContainerError']);

/** Why a pod is still Pending, in the scheduler's or the kubelet's words; `stuck` when waiting longer will not help. */
export function pendingReason(pod: PodDoc): { text: string; unschedulable: boolean; stuck: boolean } | null {
  const sched = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  if (sched) return { text: `not scheduled (${sched.reason ?? 'Unschedulable'}): ${sched.message ?? 'no reason given'}`, unschedulable: true, stuck: false };
  const waiting = pod.status?.containerStatuses?.map((c) => c.state?.waiting).find((w) => w?.reason);
  if (waiting?.reason) return { text: `container waiting (${waiting.reason})${waiting.message ? `: ${waiting.message}` : ''}`, unschedulable: false, stuck: STUCK.has(waiting.reason) };
  return null;
}

export interface KubernetesRungOptions {
  /** How long the test pod may take to finish. */
  podTimeoutMs?: number;
  /** The stack's name prefix (stack.namePrefix): only this stack's k3s node is probed. */
  stackPrefix?: string;
  /** Between pod status reads. */
  pollMs?: number;
  /** A pod the scheduler cannot place for this long is red (a lease may hold the GPU; waiting longer rarely helps). */
  unschedulableMs?: number;
}

const PLUGIN_FIX = 'Check the NVIDIA device plugin: `riglease stack logs` (kube-system / nvidia-device-plugin). It needs the NVIDIA Container Toolkit in the k3s node and RuntimeClass "nvidia"; restart the stack after fixing the driver or toolkit.';

/** Rung 3: k3s offers `nvidia.com/gpu` and a pod asking for one GPU completes. Runs `kubectl` inside the stack's k3s container. */
export async function kubernetesRung(docker: Docker, image: string, signal: AbortSignal, o: KubernetesRungOptions = {}): Promise<RungOutcome> {
  const podTimeoutMs = o.podTimeoutMs ?? 5 * 60_000;
  const pollMs = o.pollMs ?? 2000;
  const unschedulableMs = Math.min(o.unschedulableMs ?? 30_000, podTimeoutMs);
  const node = await findK3sContainer(docker, o.stackPrefix);
  if (!node) return { state: 'red', reason: 'The provider stack (k3s) is not running, so no pod can use the GPU yet.', fix: 'Start the provider stack, then run the ladder again.' };
  const kubectl = (args: string[], ms = 30_000) => dockerExec(node, ['kubectl', ...args], ms, signal);
  const nodes = await kubectl(['get', 'nodes', '-o', 'json']);
  if (nodes.exitCode !== 0) return { state: 'red', reason: `k3s does not answer: ${lastLines(nodes.stderr, 2)}`, fix: 'Wait a minute after starting the stack; if it persists, restart it.' };
  let list: z.infer<typeof NodeList>;
  try {
    list = NodeList.parse(JSON.parse(nodes.stdout));
  } catch {
    return { state: 'red', reason: `k3s answered \`kubectl get nodes\` with something that is not a node list: ${lastLines(nodes.stdout, 1).slice(0, 200)}`, fix: 'Restart the stack.' };
  }
  if (list.items.length === 0) return { state: 'red', reason: 'k3s has no node registered yet.', fix: 'Wait a minute after starting the stack; if it persists, restart it.' };
  const notReady = list.items.filter((n) => n.status?.conditions?.find((c) => c.type === 'Ready')?.status !== 'True');
  if (notReady.length === list.items.length) {
    const c = notReady[0]?.status?.conditions?.find((x) => x.type === 'Ready');
    const why = c ? ` (${[c.reason ?? `Ready ${c.status}`, c.message].filter(Boolean).join(': ')})` : '';
    return { state: 'red', reason: `The k3s node ${notReady[0]?.metadata?.name ?? ''} is not Ready${why}.`, fix: 'Wait a minute after starting the stack; if it persists, look at `riglease stack logs k3s`.' };
  }
  const gpus = list.items.reduce((sum, n) => sum + (Number(n.status?.allocatable?.['nvidia.com/gpu'] ?? 0) || 0), 0);
  if (gpus === 0) {
    const capacity = list.items.reduce((sum, n) => sum + (Number(n.status?.capacity?.['nvidia.com/gpu'] ?? 0) || 0), 0);
    const names = list.items.map((n) => n.metadata?.name ?? '?').join(', ');
    const why = capacity > 0 ? `the node${list.items.length === 1 ? '' : 's'} (${names}) report nvidia.com/gpu capacity ${capacity} but allocatable 0` : `no node (${names}) reports nvidia.com/gpu at all`;
    return { state: 'red', reason: `The NVIDIA device plugin is not advertising GPUs to Kubernetes: ${why}.`, fix: PLUGIN_FIX };
  }
  const name = `riglease-gpu-check-${randomBytes(3).toString('hex')}`;
  try {
    const run = await kubectl(['run', name, `--image=${image}`, '--restart=Never', `--overrides=${gpuPodOverrides(name, image)}`]);
    if (run.exitCode !== 0) return { state: 'red', reason: `The test pod was refused: ${lastLines(run.stderr, 2)}`, fix: null };
    const t0 = Date.now();
    let phase = '';
    let pending: ReturnType<typeof pendingReason> = null;
    let unschedulableSince: number | null = null;
    let pod: PodDoc = {};
    while (Date.now() - t0 < podTimeoutMs) {
      const r = await kubectl(['get', 'pod', name, '-o', 'json']);
      try {
        pod = PodDoc.parse(JSON.parse(r.stdout));
      } catch {
        pod = {};
      }
      phase = pod.status?.phase ?? '';
      if (phase === 'Succeeded' || phase === 'Failed') break;
      pending = pendingReason(pod);
      if (pending?.stuck) break;
      unschedulableSince = pending?.unschedulable ? (unschedulableSince ?? Date.now()) : null;
      if (unschedulableSince !== null && Date.now() - unschedulableSince >= unschedulableMs) break;
      await sleep(pollMs);
      if (signal.aborted) throw new RigError('cancelled', 'Cancelled.');
    }
    if (phase === 'Succeeded') {
      const logs = (await kubectl(['logs', name])).stdout;
      return { state: 'green', reason: `${gpus} GPU(s) allocatable; a pod with nvidia.com/gpu: 1 saw: ${lastLines(logs, 1)}`, fix: null };
    }
    if (phase === 'Failed') {
      const logs = (await kubectl(['logs', name])).stdout;
      const term = pod.status?.containerStatuses?.map((c) => c.state?.terminated).find((t) => t);
      const how = term ? ` (exit ${term.exitCode ?? '?'}${term.reason ? `, ${term.reason}` : ''})` : '';
      return { state: 'red', reason: `The GPU test pod failed${how}: ${lastLines(logs, 3) || term?.message || 'no output'}`, fix: 'Check that RuntimeClass "nvidia" exists and the k3s image has the NVIDIA toolkit.' };
    }
    if (pending?.unschedulable) {
      return { state: 'red', reason: `The GPU test pod stayed Pending: ${pending.text}`, fix: /Insufficient nvidia\.com\/gpu/.test(pending.text) ? 'Every GPU Kubernetes offers is in use (a running lease holds it) or the device plugin advertises fewer than expected. Run the ladder again when no lease runs, or check `kubectl describe node`.' : 'Read the scheduler\u2019s reason above; `riglease stack logs k3s` has more.' };
    }
    if (pending?.stuck) return { state: 'red', reason: `The GPU test pod cannot start: ${pending.text}`, fix: /Pull/.test(pending.text) ? 'The k3s node could not download the test image (bench.images.smi); check its internet access or the image name.' : null };
    return { state: 'red', reason: `The GPU test pod did not finish within ${Math.round(podTimeoutMs / 1000)} s (last phase: ${phase || 'unknown'}${pending ? `; ${pending.text}` : ''}).`, fix: 'It may still be downloading its image; run the ladder again in a few minutes.' };
  } finally {
    await kubectl(['delete', 'pod', name, '--wait=false', '--ignore-not-found']).catch(() => undefined);
  }
}

/**
 * GPUs the provider reports in its inventory. The status document's exact shape differs
 * between provider versions, so every numeric `gpu`-named field under an `inventory` key is
 * counted; none found means the bid engine would not offer the GPU.
 */
export function inventoryGpus(status: unknown): number {
  let total = 0;
  const walk = (v: unknown, inInventory: boolean) => {
    if (Array.isArray(v)) v.forEach((x) => walk(x, inInventory));
    else if (typeof v === 'object' && v !== null) {
      for (const [k, x] of Object.entries(v)) {
        const inv = inInventory || /inventory/i.test(k);
        if (inv && /^gpus?$/i.test(k) && typeof x === 'number') total += x;
        else if (inv && /^gpus?$/i.test(k) && typeof x === 'object' && x !== null && typeof (x as { units?: unknown }).units === 'number') total += (x as { units: number }).units;
        else walk(x, inv);
      }
    }
  };
  walk(status, false);
  return total;
}

/** GET https://127.0.0.1:<gateway>/status. The provider's certificate is its own (self-signed), hence no CA check on loopback only. */
export function fetchProviderStatus(port: number, timeoutMs = 10_000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = https.get({ host: '127.0.0.1', port, path: '/status', rejectUnauthorized: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString('utf8')));
      res.on('end', () => {
        try {
          resolve(JSON.parse(body));
        } catch {
          reject(new Error(`the provider answered HTTP ${res.statusCode} without JSON`));
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error('no answer in time')));
    req.on('error', reject);
  });
}

/** Rung 4: the running provider lists the GPU in its inventory, so its bid engine can offer it. */
export async function bidEngineRung(status: () => Promise<unknown>): Promise<RungOutcome> {
  let doc: unknown;
  try {
    doc = await status();
  } catch (err) {
    return { state: 'unknown', reason: `The provider's status did not answer (${messageOf(err)}); it may not be started or registered yet.`, fix: 'Finish onboarding (start the stack and register the provider), then run the ladder again.' };
  }
  const gpus = inventoryGpus(doc);
  if (gpus > 0) return { state: 'green', reason: `The provider's inventory lists ${gpus} GPU(s); the bid engine can offer them.`, fix: null };
  return { state: 'red', reason: 'The provider runs but its inventory lists no GPU, so it will not bid on GPU orders.', fix: 'Check that the inventory operator labelled the node (board-partner cards: akash-network/support#298) and that the GPU model is in provider-configs gpus.json.' };
}
