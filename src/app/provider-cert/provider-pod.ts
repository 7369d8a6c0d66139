import type Docker from 'dockerode';
import { findContainer } from '../../provider/stack/docker-objects.js';
import { execIn } from '../../provider/stack/exec.js';
import { AKASH_NAMESPACE } from '../../provider/stack/manifests.js';
import { stackNames } from '../../provider/stack/names.js';
import { PROVIDER_CONFIG_NODE_DIR } from '../../provider/stack/node-file.js';
import { PROVIDER_PEM_NAME, PROVIDER_POD, type ProviderCertSyncDeps } from './provider-cert-sync.js';

/**
 * The provider pod as kubectl inside the stack's k3s container sees it: when it started, when
 * its /config/provider.pem was written, and a restart (its StatefulSet starts it again).
 */
export function providerPod(docker: () => Docker, namePrefix: () => Promise<string>): Pick<ProviderCertSyncDeps, 'providerStartedAt' | 'fileWrittenAt' | 'restartProvider'> {
  const k3s = async (): Promise<Docker.Container | null> => {
    const prefix = await namePrefix();
    const info = await findContainer(docker(), stackNames(prefix).container, prefix);
    return info ? docker().getContainer(info.Id) : null;
  };
  return {
    providerStartedAt: async () => {
      const c = await k3s();
      if (!c) return null;
      const r = await execIn(c, ['kubectl', 'get', 'pod', PROVIDER_POD, '-n', AKASH_NAMESPACE, '-o', 'json'], { timeoutMs: 15_000 }).catch(() => null);
      if (!r) return 'unknown';
      if (r.exitCode !== 0) return /Error from server \(NotFound\)/.test(r.stderr) ? null : 'unknown';
      let pod: { status?: { containerStatuses?: { state?: { running?: { startedAt?: string } } }[] } };
      try {
        pod = JSON.parse(r.stdout) as typeof pod;
      } catch {
        return 'unknown';
      }
      const times = (pod.status?.containerStatuses ?? []).map((st) => Date.parse(st.state?.running?.startedAt ?? '')).filter((t) => !Number.isNaN(t));
      // Not running (pending, crash-looping): it reads the file when it starts.
      return times.length === 0 ? null : new Date(Math.min(...times));
    },
    fileWrittenAt: async () => {
      const c = await k3s();
      if (!c) return null;
      const file = `${PROVIDER_CONFIG_NODE_DIR}/${PROVIDER_PEM_NAME}`;
      for (const cmd of [['stat', '-c', '%Y', file], ['busybox', 'stat', '-c', '%Y', file]]) {
        const r = await execIn(c, cmd, { timeoutMs: 10_000 }).catch(() => null);
        if (r?.exitCode === 0 && /^\d+\s*$/.test(r.stdout)) return new Date(Number(r.stdout.trim()) * 1000);
      }
      return null;
    },
    restartProvider: async () => {
      const c = await k3s();
      if (!c) return { ok: false, why: 'the provider stack is not installed' };
      const r = await execIn(c, ['kubectl', 'delete', 'pod', PROVIDER_POD, '-n', AKASH_NAMESPACE, '--wait=false', '--ignore-not-found'], { timeoutMs: 15_000 });
      return r.exitCode === 0 ? { ok: true } : { ok: false, why: (r.stderr || r.stdout).trim().slice(0, 300) };
    },
  };
}
