import type Docker from 'dockerode';
import type { z } from 'zod';
import type { ComponentStatus, GpuInventoryStatus, StackPlan, StackStatus } from '../../api/schemas/stack.js';
import { findContainer, listOurVolumes } from './docker-objects.js';
import { k3sReady, kubectlJson, readDrmCards } from './k3s-probe.js';
import { AKASH_NAMESPACE, WALLET_COMPONENT, manifestHeader } from './manifests.js';
import { readManifests } from './manifest-sync.js';
import { remoteHeader } from './remote-manifests.js';
import { LABEL_SPEC_HASH } from './names.js';
import { ageOf, chartComponent, gpuInventory, overallOf, providerServiceComponent, type HelmJob, type StatefulSetJson } from './status-model.js';

interface NodeJson {
  metadata?: { labels?: Record<string, string> };
}

/**
 * The true state of every component, read from Docker and (when it answers) from k3s itself,
 * never from what RigLease remembers: after the app, Docker or the machine restarts, this is
 * what the screen shows. Rows: the container, the k3s API, each chart, the provider service.
 */
export async function stackStatus(docker: Docker, plan: StackPlan): Promise<StackStatus> {
  const want = plan.containers[0]!;
  const info = await findContainer(docker, want.name, plan.prefix);
  const volumes = await listOurVolumes(docker, plan.prefix);
  const charts = plan.manifests.filter((m) => m.kind === 'chart').map((m) => m.component);
  const withProvider = charts.includes('akash-provider');
  const later = [...charts, ...(withProvider ? ['provider-service'] : [])];
  const base = { checkedAt: new Date().toISOString(), prefix: plan.prefix, volumes };
  const gpuRows = (why: string): z.infer<typeof GpuInventoryStatus>[] => plan.gpuLabels.map((g) => ({ uuid: g.uuid, name: g.name, state: 'unknown', detail: why }));
  const components: ComponentStatus[] = [];

  if (!info) {
    components.push({ name: 'container', state: 'missing', since: null, ageSec: null, detail: volumes.length ? 'container missing; data volumes kept' : 'not installed', whyNotReady: 'The k3s container does not exist. Start providing ("riglease stack up") creates it.' });
    components.push({ name: 'k3s-api', state: 'missing', since: null, ageSec: null, detail: 'not running', whyNotReady: 'The cluster is not running.' });
    for (const c of later) components.push({ name: c, state: 'missing', since: null, ageSec: null, detail: 'not installed', whyNotReady: 'The cluster is not running.' });
    return { ...base, overall: overallOf(components), components, gpus: gpuRows('The cluster is not running.'), upToDate: false };
  }

  const container = docker.getContainer(info.Id);
  // Up to date = the container AND every manifest in the auto-deploy folder are what the current
  // settings and pins plan (read from the volume, so it works while stopped; no exec needed).
  const written = await readManifests(container).catch(() => null);
  // The wallet Secret is planned redacted: its file matches when its header (hash of the redacted form) does.
  const same = (m: StackPlan['manifests'][number], w: string | undefined) => (m.component === WALLET_COMPONENT ? w !== undefined && manifestHeader(w) === manifestHeader(m.yaml) : w === m.yaml);
  // Remote CRDs are the pinned bytes under a header that names their SHA-256: the header says it all.
  const remoteMatch = (r: StackPlan['remoteManifests'][number], w: string | undefined) => w !== undefined && manifestHeader(w) === remoteHeader(r);
  const manifestsMatch =
    written !== null &&
    written.size === plan.manifests.length + plan.remoteManifests.length &&
    plan.manifests.every((m) => same(m, written.get(m.file))) &&
    plan.remoteManifests.every((r) => remoteMatch(r, written.get(r.file)));
  const upToDate = info.Config.Labels?.[LABEL_SPEC_HASH] === want.specHash && manifestsMatch;
  const running = info.State.Running;
  const since = (running ? info.State.StartedAt : info.State.FinishedAt) ?? null;
  const restarts = info.RestartCount ? `, restarted ${info.RestartCount}× by Docker` : '';
  components.push({
    name: 'container',
    state: running ? 'running' : 'stopped',
    since,
    ageSec: ageOf(since),
    detail: `${info.State.Status}${restarts}${upToDate ? '' : '; settings or pinned versions changed since it was set up (Start providing or Upgrade applies them)'}`,
    whyNotReady: running ? null : 'The stack is stopped. Start (or Start providing) brings it back.',
  });
  if (!running) {
    components.push({ name: 'k3s-api', state: 'stopped', since: null, ageSec: null, detail: 'container stopped', whyNotReady: 'The stack is stopped.' });
    for (const c of later) components.push({ name: c, state: 'stopped', since: null, ageSec: null, detail: 'container stopped', whyNotReady: 'The stack is stopped.' });
    return { ...base, overall: overallOf(components), components, gpus: gpuRows('The stack is stopped.'), upToDate };
  }

  const k3s = await k3sReady(container);
  components.push({
    name: 'k3s-api',
    state: k3s.ok ? 'ready' : 'unknown',
    since: k3s.ok ? since : null,
    ageSec: k3s.ok ? ageOf(since) : null,
    detail: k3s.ok ? 'the Kubernetes API answers /readyz' : 'not answering yet (it takes a minute or two after a start)',
    whyNotReady: k3s.ok ? null : `unknown: ${k3s.reason}`,
  });
  if (!k3s.ok) {
    const why = 'unknown: the k3s API is not answering, so this cannot be read yet.';
    for (const c of later) components.push({ name: c, state: 'unknown', since: null, ageSec: null, detail: 'waiting for the k3s API', whyNotReady: why });
    return { ...base, overall: overallOf(components), components, gpus: gpuRows(why), upToDate };
  }

  const jobs = (await kubectlJson(container, ['get', 'jobs', '-n', 'kube-system'])) as { items?: HelmJob[] } | null;
  for (const c of charts) {
    components.push(
      jobs
        ? chartComponent(c, jobs.items?.find((j) => j.metadata?.name === `helm-install-${c}`))
        : { name: c, state: 'unknown', since: null, ageSec: null, detail: 'chart state unknown', whyNotReady: 'unknown: could not read the Helm install jobs.' },
    );
  }
  if (withProvider) {
    const sts = (await kubectlJson(container, ['get', 'statefulset', 'akash-provider', '-n', AKASH_NAMESPACE])) as StatefulSetJson | null;
    components.push(providerServiceComponent(sts));
  }
  const node = (await kubectlJson(container, ['get', 'node', info.Config.Hostname])) as NodeJson | null;
  const drm = plan.gpuLabels.length ? await readDrmCards(container) : null;
  const gpuStates = node ? gpuInventory(plan.gpuLabels, node.metadata?.labels ?? {}, drm) : gpuRows('unknown: could not read the node.');
  return { ...base, overall: overallOf(components), components, gpus: gpuStates, upToDate };
}
