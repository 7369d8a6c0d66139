// k3s's own HelmChart CRD (helm.cattle.io/v1), which is in no shared upstream copy. k3s
// v1.32.4+k3s1 (April 2025) embeds k3s-io/helm-controller v0.16.10 (2025-03-25), the last tag
// before it; k3s's go.mod at that tag could not be read offline, but types.go is byte-identical
// from v0.16.7 (2025-03-20) to v0.16.11 (2025-06-16), so any pin in that window gives this schema.
// Field names and types written from HelmChartSpec/HelmChartStatus in
//   github.com/k3s-io/helm-controller pkg/apis/helm.cattle.io/v1/types.go @ 6b8d528d9b6f6b25bda64418370d26b2ba832174 (v0.16.10)
// k3s registers it with wrangler's WithSchemaFromStruct (pkg/crd/crds.go at the same commit), which
// yields a structural schema without preserve-unknown-fields: unknown fields are errors.
import type { K8sObject } from '../helm/render.js';
import type { Schema } from './structural.js';

const str: Schema = { type: 'string' };
const bool: Schema = { type: 'boolean' };
const localObjectReference: Schema = { 'x-riglease-model': 'V1LocalObjectReference' };
const secretSpec: Schema = {
  type: 'object',
  properties: { name: str, keys: { type: 'array', items: str }, ignoreUpdates: bool },
};

export const HELMCHART_SCHEMA: Schema = {
  type: 'object',
  properties: {
    apiVersion: str,
    kind: str,
    metadata: { type: 'object' },
    spec: {
      type: 'object',
      properties: {
        targetNamespace: str,
        createNamespace: bool,
        chart: str,
        version: str,
        repo: str,
        repoCA: str,
        repoCAConfigMap: localObjectReference,
        set: { type: 'object', additionalProperties: { 'x-kubernetes-int-or-string': true } },
        valuesContent: str,
        valuesSecrets: { type: 'array', items: secretSpec },
        helmVersion: str,
        bootstrap: bool,
        chartContent: str,
        jobImage: str,
        backOffLimit: { type: 'integer', format: 'int32' },
        timeout: str, // metav1.Duration serialises as a Go duration string ("5m0s")
        failurePolicy: str,
        authSecret: localObjectReference,
        authPassCredentials: bool,
        insecureSkipTLSVerify: bool,
        plainHTTP: bool,
        dockerRegistrySecret: localObjectReference,
        podSecurityContext: { 'x-riglease-model': 'V1PodSecurityContext' },
        securityContext: { 'x-riglease-model': 'V1SecurityContext' },
      },
    },
    status: {
      type: 'object',
      properties: {
        jobName: str,
        conditions: {
          type: 'array',
          items: { type: 'object', required: ['type', 'status'], properties: { type: str, status: str, reason: str, message: str } },
        },
      },
    },
  },
};

/** The HelmChart CRD as k3s installs it, so validateObject finds it like any other CRD. */
export const HELMCHART_CRD: K8sObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'helmcharts.helm.cattle.io' },
  spec: {
    group: 'helm.cattle.io',
    scope: 'Namespaced',
    names: { kind: 'HelmChart', plural: 'helmcharts', singular: 'helmchart', listKind: 'HelmChartList' },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: HELMCHART_SCHEMA }, subresources: { status: {} } }],
  },
};
