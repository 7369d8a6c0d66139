import type { z } from 'zod';
import type { ComponentStatus, GpuInventoryStatus, GpuNodeLabels, StackStatus } from '../../api/schemas/stack.js';

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

/** For each planned GPU: does the node carry every label the Akash inventory expects for it? */
export function gpuInventory(gpus: GpuPlan[], nodeLabels: Record<string, string>): GpuRow[] {
  return gpus.map((g) => {
    const want = Object.keys(g.labels);
    const missing = want.filter((k) => !(k in nodeLabels));
    if (want.length === 0) return { uuid: g.uuid, name: g.name, state: 'missing', detail: g.note ?? 'No Akash model is known for this GPU, so it cannot be offered.' };
    if (missing.length) {
      return {
        uuid: g.uuid,
        name: g.name,
        state: 'missing',
        detail: `The cluster inventory does not list this GPU (node labels missing: ${missing.join(', ')}). Start providing applies them from RigLease's own scan.`,
      };
    }
    return {
      uuid: g.uuid,
      name: g.name,
      state: 'labelled',
      detail: g.boardPartner
        ? "Listed. It is a board-partner card, which Akash's inventory is known to miss: the labels come from RigLease's own scan."
        : 'Listed in the cluster inventory.',
    };
  });
}

export interface LabelPlan {
  /** `key=value` arguments for `kubectl label node … --overwrite`; empty when nothing is missing. */
  args: string[];
  /** Per GPU the inventory did not list, the labels RigLease adds for it: what the user is told. */
  added: { name: string; uuid: string | null; keys: string[] }[];
}

/**
 * The node labels to apply from RigLease's scan: only those missing or with a different value
 * (a value counts the GPUs of that model), so a node the inventory labelled right is left alone.
 */
export function labelsToApply(gpus: GpuPlan[], nodeLabels: Record<string, string>): LabelPlan {
  const counts = new Map<string, number>();
  for (const g of gpus) for (const k of Object.keys(g.labels)) counts.set(k, (counts.get(k) ?? 0) + 1);
  const wrong = new Set([...counts].filter(([k, n]) => nodeLabels[k] !== String(n)).map(([k]) => k));
  const args = [...wrong].sort().map((k) => `${k}=${counts.get(k)!}`);
  const added = gpus
    .map((g) => ({ name: g.name, uuid: g.uuid, keys: Object.keys(g.labels).filter((k) => wrong.has(k)) }))
    .filter((g) => g.keys.length > 0);
  return { args, added };
}

/** Overall state from the rows: any failure degrades it; everything ready (container running) = running. */
export function overallOf(components: ComponentStatus[]): StackStatus['overall'] {
  const container = components.find((c) => c.name === 'container');
  if (!container || container.state === 'missing') return 'not_installed';
  if (container.state === 'stopped') return 'stopped';
  if (components.some((c) => c.state === 'failed')) return 'degraded';
  return components.every((c) => c === container || c.state === 'ready') ? 'running' : 'starting';
}
