import type Docker from 'dockerode';
import type { z } from 'zod';
import type { ComponentStatus, GpuInventoryStatus, StackPlan, StackStatus } from '../../api/schemas/stack.js';
import type { PlanGpu } from './gpu-labels.js';
import { findContainer, listOurVolumes } from './docker-objects.js';
import { k3sReady, kubectlJson } from './k3s-probe.js';
import { LABEL_SPEC_HASH } from './names.js';

interface JobList {
  items?: { metadata?: { name?: string }; status?: { succeeded?: number; failed?: number; active?: number; conditions?: { type?: string; message?: string }[] } }[];
}
interface NodeJson {
  metadata?: { labels?: Record<string, string> };
}

function ageOf(iso: string | null): number | null {
  if (!iso || iso.startsWith('0001')) return null;
  return Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
}

/** The true state of every component, from Docker and (when it answers) from k3s itself. */
export async function stackStatus(docker: Docker, plan: StackPlan, gpus: PlanGpu[]): Promise<StackStatus> {
  const want = plan.containers[0]!;
  const info = await findContainer(docker, want.name, plan.prefix);
  const volumes = await listOurVolumes(docker, plan.prefix);
  const components: ComponentStatus[] = [];
  const charts = plan.manifests.filter((m) => m.component !== 'nvidia-runtimeclass').map((m) => m.component);
  const base = { checkedAt: new Date().toISOString(), prefix: plan.prefix, volumes };
  const gpuUnknown = (why: string): z.infer<typeof GpuInventoryStatus>[] => gpus.map((g) => ({ uuid: g.uuid, name: g.name, state: 'unknown', detail: why }));

  if (!info) {
    components.push({ name: 'k3s', state: 'missing', since: null, ageSec: null, detail: volumes.length ? 'container missing; data volumes kept' : 'not installed', whyNotReady: 'The k3s container does not exist. "up" creates it.' });
    for (const c of charts) components.push({ name: c, state: 'missing', since: null, ageSec: null, detail: 'not installed', whyNotReady: 'The cluster is not running.' });
    return { ...base, overall: 'not_installed', components, gpus: gpuUnknown('The cluster is not running.'), upToDate: false };
  }
  const upToDate = info.Config.Labels?.[LABEL_SPEC_HASH] === want.specHash;
  const running = info.State.Running;
  const since = running ? info.State.StartedAt : info.State.FinishedAt;
  const container = docker.getContainer(info.Id);
  const k3s = running ? await k3sReady(container) : ({ ok: false, reason: 'container stopped' } as const);
  components.push({
    name: 'k3s',
    state: !running ? 'stopped' : k3s.ok ? 'ready' : 'running',
    since: since ?? null,
    ageSec: ageOf(since ?? null),
    detail: `container ${info.State.Status}${info.RestartCount ? `, restarted ${info.RestartCount}×` : ''}${upToDate ? '' : ', settings changed since it was created ("up" applies them)'}`,
    whyNotReady: !running ? 'The stack is stopped. "start" or "up" brings it back.' : k3s.ok ? null : `unknown: ${k3s.reason}`,
  });

  const jobs = k3s.ok ? ((await kubectlJson(container, ['get', 'jobs', '-n', 'kube-system'])) as JobList | null) : null;
  for (const c of charts) {
    if (!jobs) {
      components.push({ name: c, state: running ? 'unknown' : 'stopped', since: null, ageSec: null, detail: 'chart state unknown', whyNotReady: running ? `unknown: ${k3s.ok ? 'could not read Helm install jobs' : k3s.reason}` : 'The stack is stopped.' });
      continue;
    }
    const job = jobs.items?.find((j) => j.metadata?.name === `helm-install-${c}`);
    const st = job?.status;
    const failedMsg = st?.conditions?.find((x) => x.type === 'Failed')?.message;
    components.push(
      !job
        ? { name: c, state: 'pending', since: null, ageSec: null, detail: 'waiting for k3s to pick up the manifest', whyNotReady: 'The Helm install job has not started yet.' }
        : st?.succeeded
          ? { name: c, state: 'ready', since: null, ageSec: null, detail: 'chart installed', whyNotReady: null }
          : st?.failed
            ? { name: c, state: 'failed', since: null, ageSec: null, detail: 'chart install failed', whyNotReady: failedMsg ?? `Install failed; see "riglease stack logs ${c}".` }
            : { name: c, state: 'pending', since: null, ageSec: null, detail: 'installing', whyNotReady: 'The chart is still installing (downloading images can take minutes).' },
    );
  }

  let gpuStates = gpuUnknown(k3s.ok ? 'Could not read the node.' : `unknown: ${running ? k3s.reason : 'stack stopped'}`);
  const node = k3s.ok ? ((await kubectlJson(container, ['get', 'node', info.Config.Hostname])) as NodeJson | null) : null;
  if (node) {
    const labels = node.metadata?.labels ?? {};
    gpuStates = plan.gpuLabels.map((g) => {
      const want = Object.keys(g.labels);
      const missing = want.filter((k) => !(k in labels));
      return want.length === 0
        ? { uuid: g.uuid, name: g.name, state: 'missing' as const, detail: g.note ?? 'No Akash model known for this GPU.' }
        : missing.length
          ? { uuid: g.uuid, name: g.name, state: 'missing' as const, detail: `The cluster does not list this GPU (missing ${missing.join(', ')}); "up" applies the labels from RigLease's scan.` }
          : { uuid: g.uuid, name: g.name, state: 'labelled' as const, detail: g.boardPartner ? 'Listed, with labels RigLease applied from its own scan (board-partner card).' : 'Listed in the cluster inventory.' };
    });
  }

  const bad = components.some((c) => c.state === 'failed');
  const allReady = components.every((c) => c.state === 'ready');
  const overall = !running ? 'stopped' : bad ? 'degraded' : allReady ? 'running' : 'starting';
  return { ...base, overall, components, gpus: gpuStates, upToDate };
}
