import type { z } from 'zod';
import type { ComponentStatus, GpuInventoryStatus, GpuNodeLabels, StackStatus } from '../../api/schemas/stack.js';
import { type DrmCards, notRecognisedAdvice } from './gpu-labels.js';

type GpuRow = z.infer<typeof GpuInventoryStatus>;
type GpuPlan = z.infer<typeof GpuNodeLabels>;

/** What `kubectl get jobs -n kube-system -o json` returns, as far as we read it. */
export interface HelmJob {
  metadata?: { name?: string };
  status?: { succeeded?: number; failed?: number; active?: number; startTime?: string; completionTime?: string; conditions?: { type?: string; message?: string }[] };
}

/** What `kubectl get statefulset akash-provider -o json` returns, as far as we read it. */
export interface StatefulSetJson {
  spec?: { replicas?: number };
  status?: { readyReplicas?: number; replicas?: number };
  metadata?: { creationTimestamp?: string };
}

export function ageOf(iso: string | null | undefined, now = Date.now()): number | null {
  if (!iso || iso.startsWith('0001')) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : Math.max(0, Math.round((now - t) / 1000));
}

/** One chart's state from its k3s Helm install job (`helm-install-<release>`). */
export function chartComponent(name: string, job: HelmJob | undefined, now = Date.now()): ComponentStatus {
  const st = job?.status;
  if (!job) return { name, state: 'pending', since: null, ageSec: null, detail: 'waiting for k3s to pick up the manifest', whyNotReady: 'The Helm install job has not started yet.' };
  if (st?.succeeded) {
    const since = st.completionTime ?? st.startTime ?? null;
    return { name, state: 'ready', since, ageSec: ageOf(since, now), detail: 'chart installed', whyNotReady: null };
  }
  const since = st?.startTime ?? null;
  if (st?.failed) {
    const msg = st.conditions?.find((x) => x.type === 'Failed')?.message;
    return { name, state: 'failed', since, ageSec: ageOf(since, now), detail: 'chart install failed', whyNotReady: msg ?? `Install failed; see "riglease stack logs ${name}".` };
  }
  return { name, state: 'pending', since, ageSec: ageOf(since, now), detail: 'installing', whyNotReady: 'The chart is still installing (downloading images can take minutes).' };
}

/** The Akash provider process itself: its StatefulSet has a ready pod. */
export function providerServiceComponent(sts: StatefulSetJson | null, now = Date.now()): ComponentStatus {
  const name = 'provider-service';
  if (!sts) return { name, state: 'pending', since: null, ageSec: null, detail: 'no provider StatefulSet yet', whyNotReady: 'Waiting for the akash-provider chart to create the provider.' };
  const want = sts.spec?.replicas ?? 1;
  const ready = sts.status?.readyReplicas ?? 0;
  const since = sts.metadata?.creationTimestamp ?? null;
  return ready >= want && want > 0
    ? { name, state: 'ready', since, ageSec: ageOf(since, now), detail: `${ready} of ${want} provider pod(s) ready`, whyNotReady: null }
    : {
        name,
        state: 'pending',
        since,
        ageSec: ageOf(since, now),
        detail: `${ready} of ${want} provider pod(s) ready`,
        whyNotReady: 'The provider is starting or restarting (it checks its wallet, certificate and chain connection first); see "riglease stack logs akash-provider".',
      };
}

/**
 * For each planned GPU: has Akash's inventory operator recognised it, i.e. does the node carry
 * the labels the operator sets for that model? Read only: RigLease never sets these labels,
 * because the operator replaces every `akash.network*` label with its own (gpu-labels.ts).
 * A count lower than the scan's (two cards, one listed) also counts as missing for the rest.
 * `drm` (the host's /sys/class/drm, read in the k3s container) lets the advice name the cause.
 */
export function gpuInventory(gpus: GpuPlan[], nodeLabels: Record<string, string>, drm: DrmCards | null = null): GpuRow[] {
  const seen = new Map<string, number>();
  return gpus.map((g) => {
    const want = Object.keys(g.labels);
    if (want.length === 0) return { uuid: g.uuid, name: g.name, state: 'missing', detail: g.note ?? notRecognisedAdvice(g, drm) };
    // The n-th GPU of a model is listed when the node's count for every key reaches n.
    const listed = want.every((k) => {
      const n = (seen.get(k) ?? 0) + 1;
      seen.set(k, n);
      return Number(nodeLabels[k] ?? '0') >= n;
    });
    if (!listed) return { uuid: g.uuid, name: g.name, state: 'missing', detail: notRecognisedAdvice(g, drm) };
    return {
      uuid: g.uuid,
      name: g.name,
      state: 'labelled',
      detail: g.boardPartner ? "Recognised by Akash's inventory (a board-partner card, identified by its NVIDIA device id)." : "Recognised by Akash's inventory.",
    };
  });
}

/** Overall state from the rows: any failure degrades it; everything ready (container running) = running. */
export function overallOf(components: ComponentStatus[]): StackStatus['overall'] {
  const container = components.find((c) => c.name === 'container');
  if (!container || container.state === 'missing') return 'not_installed';
  if (container.state === 'stopped') return 'stopped';
  if (components.some((c) => c.state === 'failed')) return 'degraded';
  return components.every((c) => c === container || c.state === 'ready') ? 'running' : 'starting';
}
