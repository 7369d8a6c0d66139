import type Docker from 'dockerode';
import { RigError } from '../../api/errors.js';
import type { StackPlan } from '../../api/schemas/stack.js';
import type { TaskProgress } from '../../core/task-registry.js';
import { T, withTimeout } from './docker-client.js';
import { ensureNetwork, ensureVolume, findContainer } from './docker-objects.js';
import { syncManifests, type SyncResult } from './manifest-sync.js';
import { LABEL_SPEC_HASH } from './names.js';
import { writeNodeFile } from './node-file.js';
import { ensureStackImage, type K3sImageSource } from './k3s-image.js';
import { checkDisk, checkGpuRuntime, checkPorts, portKey } from './preflight.js';

export interface ConvergeOptions {
  minFreeDiskGiB: number;
  /**
   * Files the provider pod reads from its /config volume that must be there before the chart
   * starts it (the provider certificate: without it the chart publishes one of its own).
   * Written after k3s starts, before the manifests; a failure is logged, never fails `up`.
   */
  nodeFiles?: () => Promise<NodeFileSpec[]>;
  /** How to make the pinned k3s image when it cannot be pulled (the recipe the app ships); absent/null = pull only. */
  k3sImage?: K3sImageSource | null;
}

export interface NodeFileSpec {
  dir: string;
  name: string;
  body: string;
  mode: number;
}

export interface ConvergeResult {
  changed: boolean;
  containerId: string;
  created: string[];
  replaced: boolean;
  started: boolean;
  manifests: SyncResult;
}

/** What this run created, so a failure removes exactly that and nothing else. */
interface Undo {
  volumes: string[];
  network: string | null;
  container: string | null;
  /** The container this run set aside to replace it: renamed back on failure. */
  previous: { id: string; name: string; wasRunning: boolean } | null;
}

/** Steps 2–6 of `up`: pre-flight, volumes + network, container (only when its hash differs), start, manifests. */
export async function converge(docker: Docker, plan: StackPlan, opts: ConvergeOptions, p: TaskProgress): Promise<ConvergeResult> {
  const want = plan.containers[0]!;
  const create = want.create as unknown as Docker.ContainerCreateOptions;
  const undo: Undo = { volumes: [], network: null, container: null, previous: null };
  const createdNames: string[] = [];
  try {
    p.step(2, 'Checking this computer: Docker, disk space, GPU runtime, ports, image…');
    const info = await withTimeout('docker info', T.quick, docker.info() as Promise<{ DockerRootDir?: string; Runtimes?: Record<string, unknown> }>, p.signal);
    checkGpuRuntime(info, (create.HostConfig?.DeviceRequests ?? []).length);
    p.log(await checkDisk(info, opts.minFreeDiskGiB));
    const existing = await findContainer(docker, want.name, plan.prefix);
    const sameSpec = existing?.Config.Labels?.[LABEL_SPEC_HASH] === want.specHash;
    if (!sameSpec) {
      // The old container (ours) holds its own published ports; those are not "in use" for us.
      const own = new Set<string>();
      if (existing?.State.Running) {
        for (const [key, b] of Object.entries(existing.HostConfig.PortBindings ?? {}) as [string, { HostPort?: string }[] | null][]) {
          const protocol = key.endsWith('/udp') ? 'udp' : 'tcp';
          for (const x of b ?? []) if (x.HostPort) own.add(portKey({ host: Number(x.HostPort), protocol }));
        }
      }
      await checkPorts(plan.ports, own);
      const how = await ensureStackImage(docker, want.image, opts.k3sImage ?? null, { percent: (pct, msg) => p.percent(pct, msg), log: (l) => p.log(l), signal: p.signal });
      p.log(how === 'pulled' ? `Downloaded ${want.image}.` : how === 'built' ? `Built ${want.image} on this computer.` : `Image ${want.image} is present.`);
    }

    p.step(3, 'Creating the network and data volumes…');
    for (const n of plan.networks) {
      if (await ensureNetwork(docker, n.name, plan.prefix, n.labels)) {
        undo.network = n.name;
        createdNames.push(`network ${n.name}`);
      }
    }
    for (const v of plan.volumes) {
      if (await ensureVolume(docker, v.name, plan.prefix, v.labels)) {
        undo.volumes.push(v.name);
        createdNames.push(`volume ${v.name}`);
      }
    }

    p.step(4, sameSpec ? 'The k3s container is up to date.' : existing ? 'Settings changed: replacing the k3s container (data volumes are kept)…' : 'Creating the k3s container…');
    let container: Docker.Container;
    let replaced = false;
    if (existing && sameSpec) {
      container = docker.getContainer(existing.Id);
    } else {
      if (existing) {
        // Set the old one aside instead of deleting it, so a failure can put it back.
        const aside = `${want.name}-previous`;
        const old = docker.getContainer(existing.Id);
        const leftover = await findContainer(docker, aside, plan.prefix);
        if (leftover) await withTimeout('remove leftover container', T.stop, docker.getContainer(leftover.Id).remove({ force: true }));
        if (existing.State.Running) await withTimeout('stop old container', T.stop, old.stop({ t: 30 }), p.signal);
        await withTimeout('rename old container', T.quick, old.rename({ name: aside }));
        undo.previous = { id: existing.Id, name: want.name, wasRunning: existing.State.Running };
        replaced = true;
      }
      container = await withTimeout('create container', T.create, docker.createContainer(create), p.signal);
      undo.container = container.id;
      createdNames.push(`container ${want.name}`);
    }

    p.step(5, 'Starting k3s…');
    const state = await withTimeout('inspect container', T.quick, container.inspect());
    let started = false;
    if (!state.State.Running) {
      await withTimeout('start container', T.create, container.start(), p.signal);
      started = true;
    }

    if (opts.nodeFiles) {
      try {
        for (const f of await opts.nodeFiles()) {
          const r = await writeNodeFile(docker, plan.prefix, f.dir, f.name, f.body, { mode: f.mode });
          p.log(r.written ? `Wrote ${f.name} to the provider's /config volume.` : `${f.name} not written: ${r.reason}`);
        }
      } catch (err) {
        p.log(`Files for the provider's /config volume were not written (checked again every minute): ${err instanceof Error ? err.message : String(err)}`);
      }
    }

    p.step(6, 'Writing the Helm chart manifests into k3s…');
    const manifests = await syncManifests(container, plan, (l) => p.log(l));

    if (undo.previous) {
      await withTimeout('remove old container', T.stop, docker.getContainer(undo.previous.id).remove({ force: true }));
      p.log('Removed the previous k3s container (its data volumes are kept).');
    }
    const changed = createdNames.length > 0 || started || replaced || manifests.written.length > 0 || manifests.removed.length > 0;
    return { changed, containerId: container.id, created: createdNames, replaced, started, manifests };
  } catch (err) {
    await rollback(docker, undo, (l) => p.log(l));
    throw err;
  }
}

async function rollback(docker: Docker, undo: Undo, log: (line: string) => void): Promise<void> {
  const quiet = async (what: string, work: () => Promise<unknown>) => {
    try {
      await withTimeout(what, T.stop, work());
      log(`Rolled back: ${what}.`);
    } catch (e) {
      log(`Rollback step failed (${what}): ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  if (undo.container) await quiet('removed the new container', () => docker.getContainer(undo.container!).remove({ force: true }));
  if (undo.previous) {
    const prev = undo.previous;
    await quiet('restored the previous container', async () => {
      const c = docker.getContainer(prev.id);
      await c.rename({ name: prev.name });
      if (prev.wasRunning) await c.start();
    });
  }
  for (const v of undo.volumes) await quiet(`removed volume ${v}`, () => docker.getVolume(v).remove());
  if (undo.network) await quiet(`removed network ${undo.network}`, () => docker.getNetwork(undo.network!).remove());
}

export function notInstalled(): RigError {
  return new RigError('not_found', 'The provider stack is not installed yet.', 'Run "riglease stack up" (or press Start providing).');
}
