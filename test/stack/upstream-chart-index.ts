// Which upstream chart copy a planned HelmChart is rendered from. The copy is found by the chart
// name and version the HelmChart pins, never by a table of folders: a pin moved to a version with
// no upstream copy here fails the tests until someone adds that copy and re-checks the rendering.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { UPSTREAM } from '../helm/render.js';

export interface UpstreamChart {
  name: string;
  version: string;
  appVersion: string | null;
  dir: string;
  /** For a chart shipping only Chart.template.yaml: the version to render it as (from its folder's tag). */
  chartVersion?: string;
}

/** Folders of ../shared/upstream that hold charts, relative to the `<repo>@<ref>` folder. */
const CHART_ROOTS: readonly { repo: string; under: string }[] = [
  { repo: 'akash-helm-charts', under: 'charts' },
  { repo: 'nvidia-k8s-device-plugin', under: 'deployments/helm' },
  { repo: 'nginx-gateway-fabric', under: 'charts' },
  { repo: 'cert-manager', under: 'deploy/charts' },
];

function readChart(dir: string, ref: string): UpstreamChart | null {
  const plain = join(dir, 'Chart.yaml');
  const template = join(dir, 'Chart.template.yaml');
  if (existsSync(plain)) {
    const c = parse(readFileSync(plain, 'utf8')) as { name: string; version: string | number; appVersion?: string | number };
    return { name: c.name, version: String(c.version), appVersion: c.appVersion === undefined ? null : String(c.appVersion), dir };
  }
  if (existsSync(template)) {
    // cert-manager stamps version and appVersion at release time: the folder's tag is that version.
    const c = parse(readFileSync(template, 'utf8')) as { name: string };
    return { name: c.name, version: ref, appVersion: ref, dir, chartVersion: ref };
  }
  return null;
}

/** Every chart copy under ../shared/upstream. */
export function upstreamCharts(): UpstreamChart[] {
  const out: UpstreamChart[] = [];
  for (const top of readdirSync(UPSTREAM)) {
    const at = top.indexOf('@');
    if (at < 0) continue;
    const root = CHART_ROOTS.find((r) => r.repo === top.slice(0, at));
    if (!root) continue;
    const base = join(UPSTREAM, top, root.under);
    if (!existsSync(base)) continue;
    for (const name of readdirSync(base)) {
      const chart = readChart(join(base, name), top.slice(at + 1));
      if (chart) out.push(chart);
    }
  }
  return out;
}

/** `oci://ghcr.io/nginx/charts/nginx-gateway-fabric` → `nginx-gateway-fabric`; a repo chart name as is. */
export function chartNameOf(chartRef: string): string {
  return chartRef.startsWith('oci://') ? chartRef.slice(chartRef.lastIndexOf('/') + 1) : chartRef;
}

/** The upstream copy of exactly this chart and version, or an error saying the pin was not re-checked. */
export function upstreamChartFor(chartRef: string, version: string): UpstreamChart {
  const name = chartNameOf(chartRef);
  const all = upstreamCharts();
  const hit = all.find((c) => c.name === name && c.version === version);
  if (hit) return hit;
  const have = all.filter((c) => c.name === name).map((c) => c.version);
  throw new Error(
    `chart ${name} is pinned at ${version}, but ../shared/upstream holds ${have.length ? have.join(', ') : 'no copy of it'}: ` +
      'add the upstream copy of the pinned version and re-check its rendering before changing the pin',
  );
}
