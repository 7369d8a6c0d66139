// Validates everything a chart rendered, keyed so a failing test names the object at fault.
import type { K8sObject, RenderedChart } from '../helm/render.js';
import { upstreamCrds } from './crds.js';
import { validateObject } from './validate.js';

/**
 * Errors of every invalid object (and crds/ document) of a rendered chart, keyed
 * "<template> <Kind>/<name>" (or the CRD file); {} when the API server would accept them all.
 * The chart's own CRDs join `crds` (default: upstreamCrds()), as Helm applies them first.
 */
export function invalidObjects(rendered: RenderedChart, crds: readonly K8sObject[] = upstreamCrds()): Record<string, string[]> {
  const known: K8sObject[] = [...crds, ...rendered.crds.map((c) => c.object)];
  const out: Record<string, string[]> = {};
  for (const { template, object } of rendered.objects) {
    const errors = validateObject(object, { crds: known });
    const name = (object.metadata as { name?: string } | undefined)?.name ?? '';
    if (errors.length > 0) out[`${template} ${String(object.kind)}/${name}`] = errors;
  }
  for (const { file, object } of rendered.crds) {
    const errors = validateObject(object, { crds: known });
    if (errors.length > 0) out[file] = errors;
  }
  return out;
}
