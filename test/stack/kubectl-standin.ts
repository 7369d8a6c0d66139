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
 *
 * For the field test (src/app/diagnostics/field-test-steps.ts) it also answers, each from its own
 * scenario file and failing like an unreachable server when the scenario has none:
 *   get customresourcedefinitions | get namespaces | get jobs -n kube-system |
 *   get pods --all-namespaces (each -o json) | get node NAME -o json |
 *   exec -i -n NS POD -c C -- CMD… (stdin kept in exec-stdin.json; prints exec.out, exits exec.code)
 * in these documented shapes:
 * - CustomResourceDefinition `status.conditions[]` types `NamesAccepted` and `Established`
 *   (https://kubernetes.io/docs/reference/kubernetes-api/extend-resources/custom-resource-definition-v1/#CustomResourceDefinitionStatus);
 * - Namespace `status.phase` Active and the automatic `kubernetes.io/metadata.name` label
 *   (https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/namespace-v1/,
 *   https://kubernetes.io/docs/reference/labels-annotations-taints/#kubernetes-io-metadata-name);
 * - Job `status.succeeded` and `status.conditions[]` type `Complete`
 *   (https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/job-v1/#JobStatus); k3s's
 *   helm controller names a chart's job `helm-install-<HelmChart name>` in the chart's namespace
 *   (k3s-io/helm-controller pkg/controllers/chart/chart.go);
 * - Pod `status.conditions[]` type `Ready` "True" once every container is ready (PodStatus above);
 * - `kubectl exec -i` hands its stdin to the command and exits with the command's exit code
 *   (https://kubernetes.io/docs/reference/kubectl/generated/kubectl_exec/).
 */
export const KUBECTL_STANDIN = `#!/bin/sh
d=/standin/$(cat /standin/scenario)
echo "$*" >> "$d/calls.log"
# What kubectl prints when the API server does not answer (client-go's connection error).
answer() { if [ -f "$d/$1" ]; then cat "$d/$1"; else echo "The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?" >&2; exit 1; fi; }
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
  "get customresourcedefinitions") answer crds.json ;;
  "get namespaces") answer namespaces.json ;;
  "get jobs") answer jobs.json ;;
  "get pods") answer pods-all.json ;;
  "get node") answer node.json ;;
  "exec -i")
    cat > "$d/exec-stdin.json"
    cat "$d/exec.out" 2>/dev/null; cat "$d/exec.err" >&2 2>/dev/null
    exit "$(cat "$d/exec.code" 2>/dev/null || echo 0)" ;;
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
  /** The field test's reads; each absent one fails as an unreachable API server would. */
  crds?: unknown;
  namespaces?: unknown;
  jobs?: unknown;
  allPods?: unknown;
  /** `kubectl get node NAME -o json`: one Node. */
  node?: unknown;
  /** What the command run by `kubectl exec -i …` prints and how it exits. */
  exec?: { stdout: string; stderr?: string; code?: number };
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

/** A CustomResourceDefinition as `kubectl get customresourcedefinitions -o json` lists it. */
export function crd(name: string, established = true): unknown {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name },
    status: {
      conditions: [
        { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' },
        { type: 'Established', status: established ? 'True' : 'False', reason: established ? 'InitialNamesAccepted' : 'Installing', message: established ? 'the initial names have been accepted' : 'not all names are accepted' },
      ],
    },
  };
}

/** A v1 Namespace (Active), with the label the API server adds to every namespace plus `labels`. */
export function namespace(name: string, labels: Record<string, string> = {}): unknown {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } };
}

/** The Job k3s's helm controller runs for a HelmChart, finished. */
export function helmJob(release: string): unknown {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: `helm-install-${release}`, namespace: 'kube-system' },
    status: { succeeded: 1, startTime: '2026-11-30T12:00:00Z', completionTime: '2026-11-30T12:01:00Z', conditions: [{ type: 'Complete', status: 'True' }] },
  };
}

/** A Running pod whose containers are all ready (Ready condition "True"). */
export function readyPod(ns: string, name: string): unknown {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns },
    status: {
      phase: 'Running',
      conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'Initialized', status: 'True' }, { type: 'ContainersReady', status: 'True' }, { type: 'Ready', status: 'True' }],
      containerStatuses: [{ name: 'main', ready: true, restartCount: 0, state: { running: { startedAt: '2026-11-30T12:00:01Z' } } }],
    },
  };
}

let seq = 0;
/** Puts the stand-in kubectl and a scenario into the running k3s container; returns readers of its calls.log and any scenario file (exec-stdin.json). */
export async function useKubectlScenario(container: Docker.Container, s: KubectlScenario): Promise<{ calls: () => Promise<string[]>; read: (file: string) => Promise<string> }> {
  const id = `s${++seq}`;
  const files = [
    { name: 'bin/kubectl', body: Buffer.from(KUBECTL_STANDIN), mode: 0o755 },
    { name: `standin/${id}/nodes.json`, body: Buffer.from(JSON.stringify(s.nodes)) },
    ...(s.nodesError ? [{ name: `standin/${id}/nodes.err`, body: Buffer.from(s.nodesError) }] : []),
    ...(s.pods ?? []).map((p, i) => ({ name: `standin/${id}/pod-${i + 1}.json`, body: Buffer.from(JSON.stringify(p)) })),
    ...(s.logs === undefined ? [] : [{ name: `standin/${id}/logs.txt`, body: Buffer.from(s.logs) }]),
    ...(
      [
        ['crds.json', s.crds],
        ['namespaces.json', s.namespaces],
        ['jobs.json', s.jobs],
        ['pods-all.json', s.allPods],
        ['node.json', s.node],
      ] as const
    )
      .filter(([, v]) => v !== undefined)
      .map(([f, v]) => ({ name: `standin/${id}/${f}`, body: Buffer.from(JSON.stringify(v)) })),
    ...(s.exec
      ? [
          { name: `standin/${id}/exec.out`, body: Buffer.from(s.exec.stdout) },
          { name: `standin/${id}/exec.err`, body: Buffer.from(s.exec.stderr ?? '') },
          { name: `standin/${id}/exec.code`, body: Buffer.from(String(s.exec.code ?? 0)) },
        ]
      : []),
    { name: `standin/${id}/calls.log`, body: Buffer.from('') },
    { name: 'standin/scenario', body: Buffer.from(id) },
  ];
  await container.putArchive(makeTar(files), { path: '/' });
  const read = async (file: string): Promise<string> => {
    const exec = await container.exec({ Cmd: ['cat', `/standin/${id}/${file}`], AttachStdout: true, AttachStderr: true });
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
    return out;
  };
  return {
    calls: async () => (await read('calls.log')).split('\n').filter(Boolean),
    read,
  };
}
