import { z } from 'zod';

/**
 * The parts of `kubectl get … -o json` the field test reads, as Kubernetes documents them
 * (unknown fields are ignored, missing optional ones are fine; anything else is "not what
 * kubectl prints" and reported as such):
 * - lists: `{kind: "List", items: […]}` (kubectl output options);
 * - Node `status.conditions[]` type `Ready` status "True"/"False"/"Unknown" (node-v1 NodeStatus);
 * - CustomResourceDefinition `status.conditions[]` type `Established` (apiextensions.k8s.io/v1);
 * - Namespace `metadata.labels`, `status.phase` Active/Terminating (namespace-v1);
 * - Job `status.succeeded|failed`, `status.conditions[]` type `Complete`/`Failed` (batch/v1);
 * - Pod `status.phase`, `status.conditions[]` type `Ready`, `status.containerStatuses[].state`
 *   `waiting {reason, message}` / `terminated {exitCode, reason}` (pod-v1 PodStatus).
 */

const Condition = z.object({ type: z.string(), status: z.string(), reason: z.string().optional(), message: z.string().optional() });
const Meta = z.object({ name: z.string(), namespace: z.string().optional(), labels: z.record(z.string(), z.string()).optional() });

// `status.addresses[]` {type: InternalIP/ExternalIP/Hostname, address} (node-v1 NodeAddress): the farm steps read ExternalIP.
export const KubeNode = z.object({
  metadata: Meta,
  status: z.object({ conditions: z.array(Condition).optional(), addresses: z.array(z.object({ type: z.string(), address: z.string() })).optional() }).optional(),
});
export const KubeCrd = z.object({ metadata: Meta, status: z.object({ conditions: z.array(Condition).optional() }).optional() });
export const KubeNamespace = z.object({ metadata: Meta, status: z.object({ phase: z.string().optional() }).optional() });
export const KubeJob = z.object({
  metadata: Meta,
  status: z.object({ succeeded: z.number().optional(), failed: z.number().optional(), active: z.number().optional(), conditions: z.array(Condition).optional() }).optional(),
});
const ContainerState = z.object({
  waiting: z.object({ reason: z.string().optional(), message: z.string().optional() }).optional(),
  terminated: z.object({ exitCode: z.number().optional(), reason: z.string().optional() }).optional(),
  running: z.object({}).passthrough().optional(),
});
export const KubePod = z.object({
  metadata: Meta,
  // pod-v1 `spec.nodeName`: where the scheduler put it (absent while pending).
  spec: z.object({ nodeName: z.string().optional() }).optional(),
  status: z
    .object({
      phase: z.string().optional(),
      conditions: z.array(Condition).optional(),
      containerStatuses: z.array(z.object({ name: z.string(), ready: z.boolean().optional(), restartCount: z.number().optional(), state: ContainerState.optional() })).optional(),
    })
    .optional(),
});

export const listOf = <T extends z.ZodTypeAny>(item: T) => z.object({ items: z.array(item) });

export type KubeNode = z.infer<typeof KubeNode>;
export type KubeCrd = z.infer<typeof KubeCrd>;
export type KubeNamespace = z.infer<typeof KubeNamespace>;
export type KubeJob = z.infer<typeof KubeJob>;
export type KubePod = z.infer<typeof KubePod>;
