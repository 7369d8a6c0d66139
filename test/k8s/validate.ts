// One entry point for "would the API server of RigLease's cluster accept this object?":
// built-in kinds against the v1.32 OpenAPI schema, custom resources against their CRD. Strict
// like `kubectl apply --validate=strict`; returns errors with JSON paths ([] = valid).
import type { K8sObject } from '../helm/render.js';
import { isBuiltinGroupVersion, modelFor } from './builtin-schema.js';
import { validateRoot, type Schema } from './structural.js';
import { isPlainObject, validateModel } from './validate-builtin.js';

export interface ValidateOptions {
  /** CustomResourceDefinition objects the cluster serves (see upstreamCrds()). */
  crds: readonly K8sObject[];
}

export function validateObject(obj: K8sObject, { crds }: ValidateOptions): string[] {
  const { apiVersion, kind } = obj;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return ['apiVersion and kind must be strings'];
  if (isBuiltinGroupVersion(apiVersion)) {
    const m = modelFor(apiVersion, kind);
    if (m === null) return [`no kind "${kind}" is registered for version "${apiVersion}"`];
    const errors: string[] = [];
    validateModel(obj, m.name, '', errors);
    return [...errors, ...nameErrors(obj)];
  }
  const errors = validateCustomResource(obj, crds);
  return errors.length > 0 && errors[0]?.startsWith('no matches') ? errors : [...errors, ...nameErrors(obj)];
}

/** The API server needs a name (or generateName) though ObjectMeta's schema requires none. */
function nameErrors(obj: K8sObject): string[] {
  const meta = isPlainObject(obj.metadata) ? obj.metadata : {};
  const named = (typeof meta.name === 'string' && meta.name !== '') || (typeof meta.generateName === 'string' && meta.generateName !== '');
  return named ? [] : ['metadata.name: Required value: name or generateName is required'];
}

/** Validates a custom resource against the schema of the served CRD version its apiVersion names. */
export function validateCustomResource(obj: K8sObject, crds: readonly K8sObject[]): string[] {
  const apiVersion = String(obj.apiVersion);
  const slash = apiVersion.lastIndexOf('/');
  const group = apiVersion.slice(0, Math.max(slash, 0));
  const version = apiVersion.slice(slash + 1);
  const crd = crds.find((c) => {
    const spec = c.spec;
    return isPlainObject(spec) && spec.group === group && isPlainObject(spec.names) && spec.names.kind === obj.kind;
  });
  if (crd === undefined) return [`no matches for kind "${String(obj.kind)}" in version "${apiVersion}" (no CRD)`];
  const versions = (crd.spec as { versions?: unknown }).versions;
  const v = Array.isArray(versions) ? versions.find((x: unknown) => isPlainObject(x) && x.name === version && x.served === true) : undefined;
  if (!isPlainObject(v)) return [`version "${version}" of ${String(obj.kind)} is not served by its CRD`];
  const schema = isPlainObject(v.schema) ? v.schema.openAPIV3Schema : undefined;
  if (!isPlainObject(schema)) return [`the CRD of ${String(obj.kind)} ${version} has no openAPIV3Schema`];
  const errors: string[] = [];
  validateRoot(obj, schema as Schema, errors);
  return errors;
}
