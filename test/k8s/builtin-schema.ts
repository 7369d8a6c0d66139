// The schema of Kubernetes' built-in kinds at v1.32 (k3s v1.32.4 is pinned), taken from
// @kubernetes/client-node@1.1.2, whose models are generated from the v1.32.0 OpenAPI spec (the raw
// swagger.json is served by no registry reachable here). Each model's attributeTypeMap gives field
// names, types and formats; required fields are the properties its .d.ts declares without `?`.
import * as k8s from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface Attribute {
  name: string;
  /** The JSON field name (e.g. `x-kubernetes-preserve-unknown-fields`). */
  baseName: string;
  type: string;
  format: string;
}

export interface Model {
  name: string;
  attributes: Map<string, Attribute>;
  required: string[];
}

const modelsDir = join(dirname(createRequire(import.meta.url).resolve('@kubernetes/client-node')), 'gen/models');
const exported = k8s as unknown as Record<string, { attributeTypeMap?: Attribute[] } | undefined>;
const cache = new Map<string, Model | null>();

/** The model class named `name` (V1StatefulSet), or null when client-node has none. */
export function model(name: string): Model | null {
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  const attrs = exported[name]?.attributeTypeMap;
  let result: Model | null = null;
  if (Array.isArray(attrs)) {
    const attributes = new Map(attrs.map((a) => [a.baseName, a] as const));
    result = { name, attributes, required: requiredOf(name, attrs) };
  }
  cache.set(name, result);
  return result;
}

/** Properties declared without `?` in the generated class are the spec's required ones. */
function requiredOf(name: string, attrs: Attribute[]): string[] {
  const dts = readFileSync(join(modelsDir, `${name}.d.ts`), 'utf8');
  const byName = new Map(attrs.map((a) => [a.name, a.baseName] as const));
  const required: string[] = [];
  for (const m of dts.matchAll(/^\s+'([^']+)':/gm)) {
    const json = byName.get(m[1] ?? '');
    if (json !== undefined) required.push(json);
  }
  return required;
}

/**
 * Fields of type resource.Quantity. The generator types them as plain strings, but the API
 * accepts a JSON number too ("cpu: 2"), so the validator must know which they are.
 */
export const QUANTITY_FIELDS: ReadonlyMap<string, readonly string[]> = new Map([
  ['V1ResourceRequirements', ['limits', 'requests']],
  ['V1VolumeResourceRequirements', ['limits', 'requests']],
  ['V1EmptyDirVolumeSource', ['sizeLimit']],
  ['V1ResourceFieldSelector', ['divisor']],
  ['V1LimitRangeItem', ['default', 'defaultRequest', 'max', 'maxLimitRequestRatio', 'min']],
  ['V1ResourceQuotaSpec', ['hard']],
  ['V1ResourceQuotaStatus', ['hard', 'used']],
  ['V1PersistentVolumeSpec', ['capacity']],
  ['V1PersistentVolumeClaimStatus', ['capacity', 'allocatedResources']],
  ['V1NodeStatus', ['capacity', 'allocatable']],
  ['V1PodSpec', ['overhead']],
  ['V1Overhead', ['podFixed']],
  ['V1CSIStorageCapacity', ['capacity', 'maximumVolumeSize']],
  ['V1ContainerStatus', ['allocatedResources']],
  ['V2MetricTarget', ['averageValue', 'value']],
  ['V2MetricValueStatus', ['averageValue', 'value']],
]);

/** Built-in group/version → kinds an API server of v1.32 serves (what RigLease's stack can meet). */
const KINDS: Record<string, string[]> = {
  v1: ['ConfigMap', 'Secret', 'Service', 'ServiceAccount', 'Namespace', 'Pod', 'PersistentVolumeClaim', 'PersistentVolume',
    'Endpoints', 'LimitRange', 'ResourceQuota', 'ReplicationController', 'Node', 'PodTemplate', 'Event', 'Binding'],
  'apps/v1': ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ControllerRevision'],
  'batch/v1': ['Job', 'CronJob'],
  'autoscaling/v1': ['HorizontalPodAutoscaler'],
  'autoscaling/v2': ['HorizontalPodAutoscaler'],
  'policy/v1': ['PodDisruptionBudget', 'Eviction'],
  'rbac.authorization.k8s.io/v1': ['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'],
  'networking.k8s.io/v1': ['Ingress', 'IngressClass', 'NetworkPolicy'],
  'storage.k8s.io/v1': ['StorageClass', 'CSIDriver', 'CSINode', 'CSIStorageCapacity', 'VolumeAttachment'],
  'node.k8s.io/v1': ['RuntimeClass'],
  'scheduling.k8s.io/v1': ['PriorityClass'],
  'coordination.k8s.io/v1': ['Lease'],
  'admissionregistration.k8s.io/v1': ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration',
    'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'],
  'apiextensions.k8s.io/v1': ['CustomResourceDefinition'],
  'apiregistration.k8s.io/v1': ['APIService'],
  'certificates.k8s.io/v1': ['CertificateSigningRequest'],
  'discovery.k8s.io/v1': ['EndpointSlice'],
  'events.k8s.io/v1': ['Event'],
  'flowcontrol.apiserver.k8s.io/v1': ['FlowSchema', 'PriorityLevelConfiguration'],
};

/** Models whose class name carries the group because the kind exists in two groups. */
const GROUP_PREFIXED: Record<string, string> = { 'v1/Event': 'CoreV1Event', 'events.k8s.io/v1/Event': 'EventsV1Event' };

/** Whether `apiVersion` is a built-in group/version (so a CRD cannot serve it). */
export function isBuiltinGroupVersion(apiVersion: string): boolean {
  return apiVersion in KINDS;
}

/** The model of a built-in apiVersion+kind, or null when the API server would not know it. */
export function modelFor(apiVersion: string, kind: string): Model | null {
  if (!KINDS[apiVersion]?.includes(kind)) return null;
  const version = apiVersion.split('/').pop() ?? '';
  const name = GROUP_PREFIXED[`${apiVersion}/${kind}`] ?? `${version[0]?.toUpperCase() ?? ''}${version.slice(1)}${kind}`;
  return model(name);
}
