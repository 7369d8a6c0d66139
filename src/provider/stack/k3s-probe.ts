import type Docker from 'dockerode';
import { T } from './docker-client.js';
import { execIn } from './exec.js';
import { DRM_PROBE, type DrmCards, parseDrmProbe } from './gpu-labels.js';

export type K3sAnswer = { ok: true } | { ok: false; reason: string };

/** Asks the API server inside the container whether it is ready (kubectl is a k3s link there). */
export async function k3sReady(container: Docker.Container): Promise<K3sAnswer> {
  try {
    const r = await execIn(container, ['kubectl', 'get', '--raw', '/readyz'], { timeoutMs: T.exec });
    if (r.exitCode === 0 && r.stdout.trim() === 'ok') return { ok: true };
    const why = (r.stderr || r.stdout).trim().split('\n')[0] ?? '';
    return { ok: false, reason: why ? `k3s not answering: ${why}` : `k3s not answering (kubectl exit ${r.exitCode ?? '?'})` };
  } catch (err) {
    return { ok: false, reason: `k3s not answering: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** Polls until ready or the deadline; `0` seconds = ask once. */
export async function waitK3s(container: Docker.Container, timeoutSec: number, signal: AbortSignal, onWait: (sec: number) => void): Promise<K3sAnswer> {
  const deadline = Date.now() + timeoutSec * 1000;
  for (;;) {
    const a = await k3sReady(container);
    if (a.ok || Date.now() >= deadline || signal.aborted) return a;
    onWait(Math.round((deadline - Date.now()) / 1000));
    // Wakes at once on cancel, so a cancelled "up" ends now, not at the next poll.
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, 3000);
      signal.addEventListener('abort', done, { once: true });
    });
  }
}

/** `kubectl get … -o json` parsed, or null when k3s does not answer. */
export async function kubectlJson(container: Docker.Container, args: string[]): Promise<unknown> {
  try {
    const r = await execIn(container, ['kubectl', ...args, '-o', 'json'], { timeoutMs: T.exec });
    if (r.exitCode !== 0) return null;
    return JSON.parse(r.stdout) as unknown;
  } catch {
    return null;
  }
}

/**
 * The host's DRM cards as seen from the (privileged) k3s container, whose /sys is the host's —
 * what the inventory's hardware discovery pod sees too. Null when it could not be read.
 */
export async function readDrmCards(container: Docker.Container): Promise<DrmCards | null> {
  try {
    const r = await execIn(container, DRM_PROBE, { timeoutMs: T.exec });
    return parseDrmProbe(r.exitCode, r.stdout);
  } catch {
    return null;
  }
}
