import type Docker from 'dockerode';
import type { StackPlan } from '../../api/schemas/stack.js';
import { T, statusOf, withTimeout } from './docker-client.js';
import { execIn } from './exec.js';
import { MANIFEST_DIR, MANIFEST_PREFIX } from './names.js';
import { makeTar, readTar } from './tar.js';

/** Our files currently in k3s's auto-deploy folder (name → contents); empty when it does not exist yet. */
export async function readManifests(container: Docker.Container): Promise<Map<string, string>> {
  let stream: NodeJS.ReadableStream;
  try {
    stream = await withTimeout('read manifests', T.quick, container.getArchive({ path: MANIFEST_DIR }));
  } catch (err) {
    if (statusOf(err) === 404) return new Map();
    throw err;
  }
  const chunks: Buffer[] = [];
  await withTimeout(
    'read manifests',
    T.quick,
    new Promise<void>((resolve, reject) => {
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => resolve());
      stream.on('error', reject);
    }),
  );
  const out = new Map<string, string>();
  for (const [name, body] of readTar(Buffer.concat(chunks))) {
    const base = name.split('/').pop() ?? '';
    if (base.startsWith(MANIFEST_PREFIX)) out.set(base, body.toString('utf8'));
  }
  return out;
}

export interface SyncResult {
  written: string[];
  unchanged: string[];
  removed: string[];
}

/**
 * Writes only the manifests whose content differs (k3s re-applies a file when its mtime changes,
 * so rewriting identical files would churn the cluster). Ours that the plan no longer has are
 * deleted from the cluster and the folder over exec — deleting the file alone would leave the
 * chart installed (k3s docs) — which needs k3s to answer; until then they stay and are reported.
 */
export async function syncManifests(container: Docker.Container, plan: StackPlan, log: (line: string) => void): Promise<SyncResult> {
  const existing = await readManifests(container);
  const changed = plan.manifests.filter((m) => existing.get(m.file) !== m.yaml);
  const result: SyncResult = { written: [], unchanged: plan.manifests.filter((m) => !changed.includes(m)).map((m) => m.file), removed: [] };
  if (changed.length) {
    const rel = MANIFEST_DIR.replace(/^\//, '');
    const tar = makeTar(changed.map((m) => ({ name: `${rel}/${m.file}`, body: Buffer.from(m.yaml, 'utf8'), mode: 0o600 })));
    await withTimeout('write manifests', T.create, container.putArchive(tar, { path: '/' }));
    result.written = changed.map((m) => m.file);
    for (const f of result.written) log(`Wrote ${f} into k3s's auto-deploy folder.`);
  }
  // A planned remote CRD is never stale, even on an `up` that did not fetch it: deleting a CRD deletes every object of its kind.
  const stale = [...existing.keys()].filter((f) => !plan.manifests.some((m) => m.file === f) && !plan.remoteManifests.some((r) => r.file === f));
  for (const f of stale) {
    const path = `${MANIFEST_DIR}/${f}`;
    const r = await execIn(container, ['sh', '-c', `kubectl delete --ignore-not-found -f '${path}' && rm -f '${path}'`], { timeoutMs: T.exec });
    if (r.exitCode === 0) {
      result.removed.push(f);
      log(`Removed ${f}: no longer planned.`);
    } else {
      log(`${f} is no longer planned but could not be removed yet (k3s not answering); the next "up" retries.`);
    }
  }
  return result;
}
