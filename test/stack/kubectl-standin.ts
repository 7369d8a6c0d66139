import type Docker from 'dockerode';
import { makeTar } from '../../src/provider/stack/tar.js';

/**
 * A `kubectl` stand-in for the k3s stand-in container (test/stack/stack-env.ts), for the commands
 * the pre-flight ladder's Kubernetes rung runs with `docker exec` (src/hardware/bench/ladder-probes.ts):
 *   get nodes -o json | run NAME --image=… --restart=Never --overrides=… | get pod NAME -o json |
 *   logs NAME | delete pod NAME --wait=false --ignore-not-found
 * It prints what a scenario put in /standin/<scenario>/ and records every call in calls.log.
 * `get pod` answers pod-1.json, pod-2.json, … one per call, then repeats the last one, so a
 * scenario can walk a pod through its phases. It invents nothing: the scenario files are written
 * by the test in the shapes below.
 *
 * The shapes are Kubernetes' documented ones:
 * - `kubectl get … -o json` prints the API object; for several objects a `{"apiVersion":"v1",
 *   "kind":"List","items":[…]}` (https://kubernetes.io/docs/reference/kubectl/#output-options).
 * - Node: `status.capacity` / `status.allocatable` map resource names to quantity strings, an
 *   extended resource such as `nvidia.com/gpu` included once a device plugin advertises it
 *   (https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/node-v1/#NodeStatus,
 *   https://kubernetes.io/docs/tasks/manage-gpus/scheduling-gpus/); `status.conditions[]` with
 *   type `Ready`, status "True"/"False"/"Unknown", reason `KubeletReady` and message "kubelet is
 *   posting ready status" (https://kubernetes.io/docs/reference/node/node-status/#condition).
 * - Pod: `status.phase` Pending/Running/Succeeded/Failed/Unknown; `status.conditions[]` with type
 *   `PodScheduled` status "False" reason `Unschedulable` when the scheduler cannot place it;
 *   `status.containerStatuses[].state` one of `waiting {reason, message}`, `running {startedAt}`,
 *   `terminated {exitCode, reason, …}` (https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#PodStatus,
 *   https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/). The scheduler's
 *   message has the form "0/1 nodes are available: 1 Insufficient nvidia.com/gpu." (kube-scheduler
 *   FailedScheduling, as `kubectl describe pod` shows it).
 * - `kubectl run` prints `pod/NAME created`; `kubectl delete` prints `pod "NAME" deleted`.
 */
export const KUBECTL_STANDIN = `#!/bin/sh
d=/standin/$(cat /standin/scenario)
echo "$*" >> "$d/calls.log"
case "$1 $2" in
  "get nodes")
    if [ -f "$d/nodes.err" ]; then cat "$d/nodes.err" >&2; exit 1; fi
    cat "$d/nodes.json" ;;
  "run "*) echo "pod/$2 created" ;;
  "get pod")
    n=$(cat "$d/n" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "$d/n"
    f="$d/pod-$n.json"; [ -f "$f" ] || f=$(ls "$d"/pod-*.json | tail -n 1)
    cat "$f" ;;
  "logs "*) cat "$d/logs.txt" 2>/dev/null ;;
  "delete pod") echo "pod \\"$3\\" deleted" ;;
  *) echo "stand-in kubectl: not a command the ladder runs: $*" >&2; exit 1 ;;
esac
`;

export interface KubectlScenario {
  /** `kubectl get nodes -o json`, or null to make it fail with `nodesError` on stderr. */
  nodes: unknown;
  nodesError?: string;
  /** What `kubectl get pod NAME -o json` prints, call after call. */
  pods?: unknown[];
  logs?: string;
}

/** A v1 Node as `kubectl get nodes -o json` lists it (the fields the rung reads, plus name and kind). */
export function node(name: string, o: { ready?: 'True' | 'False' | 'Unknown'; gpuCapacity?: string; gpuAllocatable?: string; readyReason?: string; readyMessage?: string }): unknown {
  const gpu = (v: string | undefined) => (v === undefined ? {} : { 'nvidia.com/gpu': v });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name } },
    status: {
      capacity: { cpu: '16', memory: '65750120Ki', pods: '110', ...gpu(o.gpuCapacity) },
      allocatable: { cpu: '16', memory: '65750120Ki', pods: '110', ...gpu(o.gpuAllocatable) },
      conditions: [
        {
          type: 'Ready',
          status: o.ready ?? 'True',
          reason: o.readyReason ?? (o.ready === undefined || o.ready === 'True' ? 'KubeletReady' : 'KubeletNotReady'),
          message: o.readyMessage ?? (o.ready === undefined || o.ready === 'True' ? 'kubelet is posting ready status' : 'container runtime network not ready'),
        },
      ],
    },
  };
}

export const nodeList = (...items: unknown[]) => ({ apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } });

/** A v1 Pod in `phase`, with the condition or container state a test names. */
export function pod(phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed', o: { unschedulable?: string; waiting?: { reason: string; message?: string }; terminated?: { exitCode: number; reason: string } } = {}): unknown {
  const state = o.waiting ? { waiting: o.waiting } : o.terminated ? { terminated: o.terminated } : phase === 'Running' ? { running: { startedAt: '2026-11-30T12:00:01Z' } } : phase === 'Succeeded' ? { terminated: { exitCode: 0, reason: 'Completed' } } : null;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'riglease-gpu-check', namespace: 'default' },
    status: {
      phase,
      conditions: o.unschedulable ? [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: o.unschedulable }] : [{ type: 'PodScheduled', status: 'True' }],
      ...(state ? { containerStatuses: [{ name: 'riglease-gpu-check', ready: false, restartCount: 0, state }] } : {}),
    },
  };
}

let seq = 0;
/** Puts the stand-in kubectl and a scenario into the running k3s container; returns the scenario's calls.log reader. */
export async function useKubectlScenario(container: Docker.Container, s: KubectlScenario): Promise<{ calls: () => Promise<string[]> }> {
  const id = `s${++seq}`;
  const files = [
    { name: 'bin/kubectl', body: Buffer.from(KUBECTL_STANDIN), mode: 0o755 },
    { name: `standin/${id}/nodes.json`, body: Buffer.from(JSON.stringify(s.nodes)) },
    ...(s.nodesError ? [{ name: `standin/${id}/nodes.err`, body: Buffer.from(s.nodesError) }] : []),
    ...(s.pods ?? []).map((p, i) => ({ name: `standin/${id}/pod-${i + 1}.json`, body: Buffer.from(JSON.stringify(p)) })),
    ...(s.logs === undefined ? [] : [{ name: `standin/${id}/logs.txt`, body: Buffer.from(s.logs) }]),
    { name: `standin/${id}/calls.log`, body: Buffer.from('') },
    { name: 'standin/scenario', body: Buffer.from(id) },
  ];
  await container.putArchive(makeTar(files), { path: '/' });
  return {
    calls: async () => {
      const exec = await container.exec({ Cmd: ['cat', `/standin/${id}/calls.log`], AttachStdout: true, AttachStderr: true });
      const stream = await exec.start({ hijack: true, stdin: false });
      const chunks: Buffer[] = [];
      await new Promise<void>((resolve) => {
        stream.on('data', (b: Buffer) => chunks.push(b));
        stream.on('end', resolve);
        stream.on('close', resolve);
      });
      // Multiplexed stream: 8-byte frame headers before each stdout chunk.
      const all = Buffer.concat(chunks);
      let out = '';
      for (let i = 0; i + 8 <= all.length; ) {
        const len = all.readUInt32BE(i + 4);
        if (all[i] === 1) out += all.subarray(i + 8, i + 8 + len).toString('utf8');
        i += 8 + len;
      }
      return out.split('\n').filter(Boolean);
    },
  };
}
