// The CRDs a RigLease provider cluster serves, loaded from the unmodified upstream copies in
// ../shared/upstream (versions as the provider playbook pins them), plus k3s's HelmChart.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { UPSTREAM, splitDocuments, type K8sObject } from '../helm/render.js';
import { HELMCHART_CRD } from './helmchart-schema.js';

const SOURCES: { dir: string; only?: string }[] = [
  { dir: 'akash-provider@afc4dd7/pkg/apis/akash.network', only: 'crd.yaml' },
  { dir: 'gateway-api@v1.5.1/config/crd/experimental' },
  { dir: 'nginx-gateway-fabric@v2.5.1/config/crd/bases' },
  { dir: 'cert-manager@v1.19.1/deploy/crds' },
];

let cached: K8sObject[] | undefined;

/** Every CustomResourceDefinition of the sources above (other kinds in those folders are skipped). */
export function upstreamCrds(): K8sObject[] {
  cached ??= [
    ...SOURCES.flatMap(({ dir, only }) => {
      const abs = join(UPSTREAM, dir);
      return readdirSync(abs)
        .filter((f) => (only ? f === only : f.endsWith('.yaml') && f !== 'kustomization.yaml'))
        .sort()
        .flatMap((f) => splitDocuments(readFileSync(join(abs, f), 'utf8'), `${dir}/${f}`));
    }).filter((o) => o.kind === 'CustomResourceDefinition'),
    HELMCHART_CRD,
  ];
  return cached;
}
