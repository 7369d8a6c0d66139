import { statfs } from 'node:fs/promises';
import dgram from 'node:dgram';
import net from 'node:net';
import type Docker from 'dockerode';
import { RigError } from '../../api/errors.js';
import { T, withTimeout } from './docker-client.js';

export interface HostPort {
  host: number;
  protocol: 'tcp' | 'udp';
}

/** Tries to bind each port on the host; a port Docker or anyone else holds fails to bind. */
export async function portsInUse(ports: readonly HostPort[], skip: ReadonlySet<string>): Promise<HostPort[]> {
  const busy: HostPort[] = [];
  const done = (port: HostPort, resolve: () => void) => (err: NodeJS.ErrnoException) => {
    // EACCES = a privileged port we may not bind as a user; Docker can, so it says nothing.
    if (err.code === 'EADDRINUSE') busy.push(port);
    resolve();
  };
  const check = (port: HostPort) =>
    new Promise<void>((resolve) => {
      if (port.protocol === 'udp') {
        const sock = dgram.createSocket({ type: 'udp4', reuseAddr: false });
        sock.once('error', (err) => {
          sock.close();
          done(port, resolve)(err);
        });
        sock.bind({ port: port.host, address: '0.0.0.0', exclusive: true }, () => sock.close(() => resolve()));
        return;
      }
      const srv = net.createServer();
      srv.once('error', done(port, resolve));
      srv.listen({ port: port.host, host: '0.0.0.0', exclusive: true }, () => srv.close(() => resolve()));
    });
  const todo = ports.filter((p) => !skip.has(portKey(p)));
  for (let i = 0; i < todo.length; i += 50) await Promise.all(todo.slice(i, i + 50).map(check));
  return busy.sort((a, b) => a.host - b.host || a.protocol.localeCompare(b.protocol));
}

/** `30000/udp`: Docker's own key for a published port. */
export function portKey(p: HostPort): string {
  return `${p.host}/${p.protocol}`;
}

export async function checkPorts(ports: readonly HostPort[], skip: ReadonlySet<string>): Promise<void> {
  const busy = (await portsInUse(ports, skip)).map((p) => (p.protocol === 'udp' ? `${p.host}/UDP` : String(p.host)));
  if (busy.length) {
    const list = busy.length > 8 ? `${busy.slice(0, 8).join(', ')} and ${busy.length - 8} more` : busy.join(', ');
    throw new RigError(
      'conflict',
      `Port${busy.length > 1 ? 's' : ''} ${list} ${busy.length > 1 ? 'are' : 'is'} already in use on this computer, so the provider cannot publish ${busy.length > 1 ? 'them' : 'it'}.`,
      'Stop the program using the port, or choose other ports in Settings → Stack → Ports (stack.ports.*).',
    );
  }
}

/** Free space under Docker's data root, when the engine runs on this machine; null when we cannot see it. */
export async function dockerFreeGiB(info: { DockerRootDir?: string }): Promise<{ path: string; freeGiB: number } | null> {
  const root = info.DockerRootDir;
  if (!root) return null;
  try {
    const s = await statfs(root);
    return { path: root, freeGiB: (s.bavail * s.bsize) / 1024 ** 3 };
  } catch {
    // Docker Desktop / remote engine: the data root lives in a VM we cannot stat.
    return null;
  }
}

export async function checkDisk(info: { DockerRootDir?: string }, minGiB: number): Promise<string> {
  const free = await dockerFreeGiB(info);
  if (!free) return 'Docker disk space could not be measured from here (engine in a VM or remote); continuing.';
  if (free.freeGiB < minGiB) {
    throw new RigError(
      'precondition_failed',
      `Docker has only ${free.freeGiB.toFixed(1)} GiB free at ${free.path}; the provider stack needs at least ${minGiB} GiB (images, the cluster and tenants' data).`,
      'Free disk space (docker system prune removes unused images), or move Docker\'s data to a bigger disk.',
    );
  }
  return `Docker has ${free.freeGiB.toFixed(1)} GiB free at ${free.path}.`;
}

export function checkGpuRuntime(info: { Runtimes?: Record<string, unknown> }, gpuCount: number): void {
  if (gpuCount === 0) return;
  if (info.Runtimes && Object.hasOwn(info.Runtimes, 'nvidia')) return;
  throw new RigError(
    'precondition_failed',
    'GPUs are selected but Docker has no GPU runtime (the NVIDIA Container Toolkit is not set up), so no GPU can reach the provider.',
    'Install the NVIDIA Container Toolkit and run `sudo nvidia-ctk runtime configure --runtime=docker`, then restart Docker; or offer CPU only (untick the GPUs under "What to offer", or set stack.gpus to []).',
  );
}

/** Makes sure the image is on the engine; pulls it with throttled progress when it is not (the k3s image: k3s-image.ts also builds it). */
export async function ensureImage(docker: Docker, ref: string, onProgress: (percent: number, message: string) => void, signal?: AbortSignal): Promise<'present' | 'pulled'> {
  try {
    await withTimeout('image inspect', T.quick, docker.getImage(ref).inspect());
    return 'present';
  } catch (err) {
    if (err instanceof RigError) throw err;
  }
  await pullImage(docker, ref, onProgress, signal);
  return 'pulled';
}

/** Pulls `ref` with throttled progress; a failure says what to do. */
export async function pullImage(docker: Docker, ref: string, onProgress: (percent: number, message: string) => void, signal?: AbortSignal): Promise<void> {
  let stream: NodeJS.ReadableStream;
  try {
    stream = await withTimeout(`pull ${ref}`, T.create, docker.pull(ref) as Promise<NodeJS.ReadableStream>, signal);
  } catch (err) {
    throw pullError(ref, err);
  }
  const layers = new Map<string, { current: number; total: number }>();
  await withTimeout(
    `pull ${ref}`,
    T.pull,
    new Promise<void>((resolve, reject) => {
      docker.modem.followProgress(
        stream,
        (err: Error | null) => (err ? reject(pullError(ref, err)) : resolve()),
        (ev: { id?: string; status?: string; progressDetail?: { current?: number; total?: number } }) => {
          if (ev.id && ev.progressDetail?.total) layers.set(ev.id, { current: ev.progressDetail.current ?? 0, total: ev.progressDetail.total });
          const tot = [...layers.values()].reduce((a, l) => a + l.total, 0);
          const cur = [...layers.values()].reduce((a, l) => a + l.current, 0);
          // The task registry throttles events to ~4/s, so calling on every chunk is fine.
          if (tot > 0) onProgress((cur / tot) * 100, `Downloading ${ref}: ${(cur / 1e6).toFixed(0)} of ${(tot / 1e6).toFixed(0)} MB`);
        },
      );
    }),
    signal,
  );
}

function pullError(ref: string, err: unknown): RigError {
  if (err instanceof RigError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  return new RigError(
    'unavailable',
    `The image ${ref} is not on this computer and could not be downloaded: ${msg.split('\n')[0]}`,
    'Check the internet connection (or that the registry is reachable), or point stack.images.k3s at a mirror you can reach.',
  );
}
