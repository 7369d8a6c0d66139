// The validator must be able to fail: each rule the API server enforces is shown rejecting a
// deliberately wrong object, next to a correct one that passes.
import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../helm/render.js';
import { upstreamCrds } from './crds.js';
import { HELMCHART_CRD } from './helmchart-schema.js';
import { validateObject } from './validate.js';

const crds = upstreamCrds();
const check = (obj: K8sObject): string[] => validateObject(obj, { crds });

function deployment(container: Record<string, unknown>, spec: Record<string, unknown> = {}): K8sObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'ns', labels: { app: 'web' }, creationTimestamp: null },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', ...container }] } },
      ...spec,
    },
  };
}

describe('built-in kinds (Kubernetes v1.32 schema)', () => {
  it('accepts a correct Deployment, with quantities as numbers or strings and int-or-string ports', () => {
    expect(check(deployment({
      resources: { limits: { cpu: 2, memory: '512Mi', 'nvidia.com/gpu': 1 }, requests: { cpu: '500m' } },
      ports: [{ containerPort: 80, name: 'http' }],
      readinessProbe: { httpGet: { path: '/', port: 'http' } },
      livenessProbe: { tcpSocket: { port: 80 } },
      env: [{ name: 'A', value: '1' }, { name: 'B', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
      envFrom: [{ configMapRef: { name: 'cfg' } }],
    }))).toEqual([]);
  });

  it('rejects env items rendered inside envFrom (unknown fields)', () => {
    expect(check(deployment({ envFrom: [{ name: 'AP_INGRESS_MODE', value: 'gateway' }] }))).toEqual([
      'spec.template.spec.containers[0].envFrom[0]: unknown field "name" (V1EnvFromSource)',
      'spec.template.spec.containers[0].envFrom[0]: unknown field "value" (V1EnvFromSource)',
    ]);
  });

  it('rejects wrong types: a string for an int32, a number in a string map, a bad quantity, a bool port', () => {
    const obj = deployment({ resources: { limits: { cpu: '2 cores' } }, ports: [{ containerPort: 'eighty' }] }, { replicas: '2' });
    (obj.metadata as { labels: Record<string, unknown> }).labels.tier = 1;
    (obj.spec as { template: { spec: Record<string, unknown> } }).template.spec.volumes = [{ name: 'v', emptyDir: { sizeLimit: true } }];
    expect(check(obj)).toEqual([
      'metadata.labels["tier"]: expected string, got number 1',
      'spec.replicas: expected int32, got string "2"',
      'spec.template.spec.containers[0].resources.limits["cpu"]: expected quantity, got string "2 cores"',
      'spec.template.spec.containers[0].ports[0].containerPort: expected int32, got string "eighty"',
      'spec.template.spec.volumes[0].emptyDir.sizeLimit: expected quantity, got boolean true',
    ]);
  });

  it('rejects missing required fields', () => {
    const obj = deployment({});
    (obj.spec as { template: { spec: Record<string, unknown> } }).template.spec = { restartPolicy: 'Always' };
    expect(check(obj)).toEqual(['spec.template.spec: missing required field "containers" (V1PodSpec)']);
    expect(check({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ targetPort: 80 }] } })).toEqual([
      'spec.ports[0]: missing required field "port" (V1ServicePort)',
    ]);
  });

  it('rejects a non-base64 Secret data value, an unknown kind and a kind in the wrong group', () => {
    expect(check({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { key: 'not base64!' } })).toEqual(['data["key"]: expected base64 data']);
    expect(check({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { key: 'plain' } })).toEqual([]);
    expect(check({ apiVersion: 'apps/v1', kind: 'Widget' })).toEqual(['no kind "Widget" is registered for version "apps/v1"']);
    expect(check({ apiVersion: 'v1', kind: 'Deployment' })).toEqual(['no kind "Deployment" is registered for version "v1"']);
    expect(check({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: 'ns' } })).toEqual(['metadata.name: Required value: name or generateName is required']);
    expect(check({ apiVersion: 'example.com/v1', kind: 'Widget' })).toEqual(['no matches for kind "Widget" in version "example.com/v1" (no CRD)']);
  });

  it('knows the groups RigLease meets: RuntimeClass, StorageClass, PriorityClass, RBAC, Ingress, PDB', () => {
    expect(check({ apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'nvidia' }, handler: 'nvidia' })).toEqual([]);
    expect(check({ apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'nvidia' } })).toEqual(['missing required field "handler" (V1RuntimeClass)']);
    expect(check({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'beta2' }, provisioner: 'rancher.io/local-path', volumeBindingMode: 'WaitForFirstConsumer' })).toEqual([]);
    expect(check({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'p' }, value: 1000 })).toEqual([]);
    expect(check({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'b' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'r' }, subjects: [{ kind: 'ServiceAccount', name: 'sa', namespace: 'ns' }] })).toEqual([]);
    expect(check({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i' }, spec: { ingressClassName: 'akash-ingress-class' } })).toEqual([]);
    expect(check({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'p' }, spec: { maxUnavailable: '50%' } })).toEqual([]);
  });
});

describe('custom resources (their CRD as a structural schema, strict)', () => {
  const gateway: K8sObject = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: 'akash-gateway', namespace: 'akash-gateway' },
    spec: { gatewayClassName: 'nginx', listeners: [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } }] },
  };
  const route: K8sObject = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'r', namespace: 'lease' },
    spec: {
      parentRefs: [{ name: 'akash-gateway', namespace: 'akash-gateway' }],
      hostnames: ['app.provider.example.com'],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'web', port: 80 }] }],
    },
  };

  it('accepts a valid Gateway and HTTPRoute', () => {
    expect(check(gateway)).toEqual([]);
    expect(check(route)).toEqual([]);
  });

  it('rejects an unknown spec field, a missing required field, a wrong type and a value outside the enum', () => {
    expect(check({ ...route, spec: { ...(route.spec as object), timeout: '5s' } })).toEqual(['spec: unknown field "timeout"']);
    expect(check({ ...gateway, spec: { listeners: (gateway.spec as { listeners: unknown }).listeners } })).toEqual(['spec: missing required field "gatewayClassName"']);
    expect(check({ ...gateway, spec: { ...(gateway.spec as object), listeners: [{ name: 'http', port: '80', protocol: 'HTTP' }] } })).toEqual([
      'spec.listeners[0].port: expected integer, got string "80"',
    ]);
    const badPath = { ...route, spec: { ...(route.spec as object), rules: [{ matches: [{ path: { type: 'Glob', value: '/' } }] }] } };
    expect(check(badPath)).toEqual(['spec.rules[0].matches[0].path.type: unsupported value "Glob": supported values: "Exact", "PathPrefix", "RegularExpression"']);
  });

  it("rejects an unknown field in Akash's Manifest and an unknown metadata field", () => {
    const manifest: K8sObject = { apiVersion: 'akash.network/v2beta2', kind: 'Manifest', metadata: { name: 'm', namespace: 'lease' }, spec: { bogus: 1 } };
    expect(check(manifest)).toContain('spec: unknown field "bogus"');
    expect(check({ ...gateway, metadata: { name: 'g', labelz: {} } })).toEqual(['metadata: unknown field "labelz" (V1ObjectMeta)']);
  });

  it('rejects a version the CRD does not serve', () => {
    expect(check({ ...gateway, apiVersion: 'gateway.networking.k8s.io/v9' })).toEqual(['version "v9" of Gateway is not served by its CRD']);
  });

  it('validates every upstream CRD itself against the CustomResourceDefinition schema', () => {
    const upstream = crds.filter((c) => c !== HELMCHART_CRD);
    expect(upstream.length).toBeGreaterThan(25);
    expect(upstream.flatMap((c) => check(c))).toEqual([]);
  });
});

describe("k3s's HelmChart (helm.cattle.io/v1, helm-controller v0.16.10)", () => {
  const chart: K8sObject = {
    apiVersion: 'helm.cattle.io/v1',
    kind: 'HelmChart',
    metadata: { name: 'akash-provider', namespace: 'kube-system' },
    spec: {
      repo: 'https://akash-network.github.io/helm-charts', chart: 'provider', version: '19.0.2', targetNamespace: 'akash-services',
      createNamespace: true, valuesContent: 'from: akash1x\n', valuesSecrets: [{ name: 'provider-values', keys: ['values.yaml'], ignoreUpdates: false }],
      set: { replicas: 1, 'image.tag': '0.10.0' }, jobImage: 'rancher/klipper-helm:v0.9.4', helmVersion: 'v3', bootstrap: false, timeout: '10m0s',
      failurePolicy: 'abort', backOffLimit: 3, authSecret: { name: 'auth' }, repoCAConfigMap: { name: 'ca' }, dockerRegistrySecret: { name: 'reg' },
      plainHTTP: false, insecureSkipTLSVerify: false, podSecurityContext: { runAsNonRoot: true }, securityContext: { allowPrivilegeEscalation: false },
    },
  };

  it('accepts every field of the real type', () => {
    expect(check(chart)).toEqual([]);
  });

  it('rejects unknown fields, a bool in set and a bad security context', () => {
    const spec = chart.spec as Record<string, unknown>;
    expect(check({ ...chart, spec: { ...spec, values: { a: 1 } } })).toEqual(['spec: unknown field "values"']);
    expect(check({ ...chart, spec: { ...spec, set: { enabled: true } } })).toEqual(['spec.set.enabled: expected integer or string, got boolean true']);
    expect(check({ ...chart, spec: { ...spec, securityContext: { privileged: 'yes' } } })).toEqual(['spec.securityContext.privileged: expected boolean, got string "yes"']);
  });
});
