import Docker from 'dockerode';
import { RigError } from '../../api/errors.js';

/**
 * The Docker engine the stack talks to: DOCKER_HOST when set, else the platform default
 * (unix socket, or the named pipe on Windows). The hardware scan has its own resolver for
 * reporting; this one only needs to connect.
 */
export function dockerFromEnv(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): { docker: Docker; endpoint: string } {
  const host = env['DOCKER_HOST']?.trim();
  if (host) {
    if (host.startsWith('unix://')) return { docker: new Docker({ socketPath: host.slice(7) }), endpoint: host };
    if (host.startsWith('npipe://')) return { docker: new Docker({ socketPath: host.slice(8) }), endpoint: host };
    if (host.startsWith('tcp://')) {
      const u = new URL(host);
      return { docker: new Docker({ host: u.hostname, port: Number(u.port || 2375) }), endpoint: host };
    }
    throw new RigError('invalid_input', `DOCKER_HOST=${host} is not a form RigLease understands.`, 'Use unix://…, npipe://… or tcp://host:port.');
  }
  if (platform === 'win32') return { docker: new Docker({ socketPath: '//./pipe/docker_engine' }), endpoint: 'npipe:////./pipe/docker_engine' };
  return { docker: new Docker({ socketPath: '/var/run/docker.sock' }), endpoint: 'unix:///var/run/docker.sock' };
}

/** Every Docker call gets a deadline: a hung engine must not hang the app. */
export async function withTimeout<T>(what: string, ms: number, work: Promise<T>, signal?: AbortSignal): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new RigError('timeout', `Docker did not answer in time (${what}, ${Math.round(ms / 1000)} s).`, 'Check that Docker is running and not overloaded, then try again.')), ms);
      }),
      new Promise<never>((_, reject) => {
        if (!signal) return;
        onAbort = () => reject(new RigError('cancelled', 'Cancelled.'));
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
      }),
    ]);
  } finally {
    if (timer) clearTimeout(timer);
    if (signal && onAbort) signal.removeEventListener('abort', onAbort);
  }
}

/** HTTP status of a dockerode error, when it has one. */
export function statusOf(err: unknown): number | null {
  const code = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : null;
}

export const T = { quick: 10_000, create: 60_000, stop: 60_000, exec: 30_000, pull: 30 * 60_000 } as const;
