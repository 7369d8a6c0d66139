import { readFile } from 'node:fs/promises';

/**
 * Decides whether a GPU process is RigLease's own work. Tenant workloads run in containers of
 * the k3s node, so on Linux their cgroup path names kubepods, containerd or docker. Anything
 * else (a game, a browser, a miner) is the user's. On Windows/macOS hosts nvidia-smi does not
 * show container processes of the Docker VM by cgroup, so only the name list applies there.
 */
export function linuxCgroupClassifier(readCgroup: (pid: number) => Promise<string | null> = defaultRead) {
  return async (p: { pid: number; name: string }): Promise<boolean> => {
    const cg = await readCgroup(p.pid);
    if (cg === null) return false;
    return /kubepods|containerd|\/docker[/-]|k3s|libpod/.test(cg);
  };
}

async function defaultRead(pid: number): Promise<string | null> {
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    return await readFile(`/proc/${pid}/cgroup`, 'utf8');
  } catch {
    return null;
  }
}
