import type Docker from 'dockerode';
import { RigError } from '../../api/errors.js';
import { T, statusOf, withTimeout } from './docker-client.js';
import { LABEL_MANAGED, LABEL_STACK } from './names.js';

/** Label filter that matches only this stack's objects. */
export function stackFilter(prefix: string, extra: Record<string, string[]> = {}): string {
  return JSON.stringify({ label: [`${LABEL_MANAGED}=true`, `${LABEL_STACK}=${prefix}`], ...extra });
}

function isOurs(labels: Record<string, string> | undefined | null, prefix: string): boolean {
  return labels?.[LABEL_MANAGED] === 'true' && labels[LABEL_STACK] === prefix;
}

/** The named container if it exists; refuses (never touches) one that is not RigLease's. */
export async function findContainer(docker: Docker, name: string, prefix: string): Promise<Docker.ContainerInspectInfo | null> {
  try {
    const info = await withTimeout('inspect container', T.quick, docker.getContainer(name).inspect());
    if (!isOurs(info.Config.Labels, prefix)) {
      throw new RigError('conflict', `A container called ${name} exists but was not created by RigLease, so RigLease will not touch it.`, `Rename or remove that container yourself, or change stack.namePrefix.`);
    }
    return info;
  } catch (err) {
    if (statusOf(err) === 404) return null;
    throw err;
  }
}

export async function ensureNetwork(docker: Docker, name: string, prefix: string, labels: Record<string, string>): Promise<boolean> {
  try {
    const info = await withTimeout('inspect network', T.quick, docker.getNetwork(name).inspect());
    if (!isOurs(info.Labels, prefix)) throw new RigError('conflict', `A Docker network called ${name} exists but is not RigLease's.`, 'Remove it yourself or change stack.namePrefix.');
    return false;
  } catch (err) {
    if (statusOf(err) !== 404) throw err;
  }
  await withTimeout('create network', T.create, docker.createNetwork({ Name: name, Driver: 'bridge', Labels: labels, CheckDuplicate: true, EnableIPv6: false }));
  return true;
}

export async function ensureVolume(docker: Docker, name: string, prefix: string, labels: Record<string, string>): Promise<boolean> {
  try {
    const info = await withTimeout('inspect volume', T.quick, docker.getVolume(name).inspect());
    if (!isOurs(info.Labels, prefix)) throw new RigError('conflict', `A Docker volume called ${name} exists but is not RigLease's, so RigLease will not use it.`, 'Remove or rename it yourself, or change stack.namePrefix.');
    return false;
  } catch (err) {
    if (statusOf(err) !== 404) throw err;
  }
  await withTimeout('create volume', T.create, docker.createVolume({ Name: name, Labels: labels }));
  return true;
}

export async function listOurContainers(docker: Docker, prefix: string): Promise<Docker.ContainerInfo[]> {
  return withTimeout('list containers', T.quick, docker.listContainers({ all: true, filters: stackFilter(prefix) }));
}

export async function listOurVolumes(docker: Docker, prefix: string): Promise<string[]> {
  const res = await withTimeout('list volumes', T.quick, docker.listVolumes({ filters: stackFilter(prefix) }));
  return (res.Volumes ?? []).filter((v) => isOurs(v.Labels, prefix)).map((v) => v.Name).sort();
}

export async function listOurNetworks(docker: Docker, prefix: string): Promise<string[]> {
  const res = await withTimeout('list networks', T.quick, docker.listNetworks({ filters: stackFilter(prefix) }));
  return res.filter((n) => isOurs(n.Labels, prefix)).map((n) => n.Name);
}
