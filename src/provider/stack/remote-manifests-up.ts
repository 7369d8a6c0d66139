import { RigError } from '../../api/errors.js';
import type { StackPlan } from '../../api/schemas/stack.js';
import type { TaskProgress } from '../../core/task-registry.js';
import { ArtifactMirror, fetchRemoteManifests } from './remote-manifests.js';

/** Where `up` gets the remote CRDs: the cache folder, and the mirror env value as the user set it. */
export interface RemoteManifestSource {
  /** A folder in RigLease's data folder. */
  cacheDir: string;
  /** `RIGLEASE_ARTIFACT_MIRROR` as read from the environment (validated here, at use). */
  mirror?: string | undefined;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * The plan `up` writes: the planned manifests plus the remote CRDs (verified bytes), sorted by
 * file name as k3s applies them. Without a source the CRD files already in k3s's folder stay as
 * they are (manifest-sync never treats a planned remote file as stale) and none is written.
 */
export async function withRemoteManifests(plan: StackPlan, src: RemoteManifestSource | undefined, p: Pick<TaskProgress, 'percent' | 'log' | 'signal'>): Promise<StackPlan> {
  if (!src) {
    p.log('This RigLease has no cache folder for Kubernetes definitions: the CRDs are not written this time.');
    return plan;
  }
  let mirror: string | null = null;
  if (src.mirror !== undefined && src.mirror.trim() !== '') {
    const m = ArtifactMirror.safeParse(src.mirror.trim());
    if (!m.success) {
      throw new RigError('invalid_input', `RIGLEASE_ARTIFACT_MIRROR is not an http(s) URL: "${src.mirror}".`, 'Set it to the base URL of a mirror (e.g. https://mirror.example.com/upstream), or unset it to download from upstream.');
    }
    mirror = m.data;
  }
  const fetched = await fetchRemoteManifests({
    cacheDir: src.cacheDir,
    mirror,
    timeoutMs: src.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    signal: p.signal,
    progress: (done, total, message) => p.percent((done / total) * 100, message),
    ...(src.fetchImpl ? { fetchImpl: src.fetchImpl } : {}),
  });
  const manifests = [...fetched, ...plan.manifests].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { ...plan, manifests };
}
