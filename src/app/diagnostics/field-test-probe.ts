import https from 'node:https';
import type Docker from 'dockerode';
import { T, statusOf, withTimeout } from '../../provider/stack/docker-client.js';
import { execIn } from '../../provider/stack/exec.js';
import type { DrmCards } from '../../provider/stack/gpu-labels.js';
import { readDrmCards } from '../../provider/stack/k3s-probe.js';

/** One command the field test ran, as a person would type it, and how it ended. */
export interface CommandRun {
  command: string;
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

export interface ContainerFacts {
  exists: boolean;
  running: boolean;
  status: string;
  image: string | null;
  restarts: number;
  hostname: string | null;
}

/** Everything the steps ask of the machine; thin, so the steps stay testable without Docker. */
export interface FieldProbe {
  readonly container: string;
  inspect(): Promise<ContainerFacts>;
  imagePresent(ref: string): Promise<{ present: boolean; id: string | null; error: string | null }>;
  kubectl(args: string[], signal: AbortSignal, stdin?: string): Promise<CommandRun>;
  drm(): Promise<DrmCards | null>;
  httpsGet(url: string, timeoutMs: number, signal: AbortSignal): Promise<CommandRun & { status: number | null }>;
}

/** The probe over the real Docker engine: kubectl runs inside the k3s container, as k3s-probe.ts does. */
export function dockerFieldProbe(docker: Docker, container: string): FieldProbe {
  const c = docker.getContainer(container);
  return {
    container,
    async inspect() {
      try {
        const i = await withTimeout('inspect', T.quick, c.inspect());
        return { exists: true, running: i.State.Running, status: i.State.Status, image: i.Config.Image ?? null, restarts: i.RestartCount ?? 0, hostname: i.Config.Hostname ?? null };
      } catch (err) {
        if (statusOf(err) === 404) return { exists: false, running: false, status: 'missing', image: null, restarts: 0, hostname: null };
        throw err;
      }
    },
    async imagePresent(ref) {
      try {
        const i = await withTimeout('image inspect', T.quick, docker.getImage(ref).inspect());
        return { present: true, id: i.Id, error: null };
      } catch (err) {
        return { present: false, id: null, error: statusOf(err) === 404 ? null : err instanceof Error ? err.message : String(err) };
      }
    },
    async kubectl(args, signal, stdin) {
      const command = `docker exec ${stdin !== undefined ? '-i ' : ''}${container} kubectl ${args.join(' ')}`;
      try {
        const r = await execIn(c, ['kubectl', ...args], { timeoutMs: T.exec, signal, ...(stdin !== undefined ? { stdin } : {}) });
        return { command, ...r };
      } catch (err) {
        // Docker refused the exec itself (container gone, binary missing): that is the answer.
        return { command, exitCode: null, stdout: '', stderr: err instanceof Error ? err.message : String(err) };
      }
    },
    drm: () => readDrmCards(c),
    httpsGet,
  };
}

/**
 * GET over HTTPS without checking the certificate: the provider serves its own (self-signed or
 * on-chain) certificate on 8443, and here we only ask whether it answers at all.
 */
export function httpsGet(url: string, timeoutMs: number, signal: AbortSignal): Promise<CommandRun & { status: number | null }> {
  const command = `curl -k --max-time ${Math.ceil(timeoutMs / 1000)} ${url}`;
  return new Promise((resolve) => {
    const req = https.get(url, { rejectUnauthorized: false, timeout: timeoutMs, signal }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        if (body.length < 64 * 1024) body += d;
      });
      res.on('end', () => resolve({ command, status: res.statusCode ?? null, exitCode: null, stdout: body, stderr: '' }));
      res.on('error', (err) => resolve({ command, status: res.statusCode ?? null, exitCode: null, stdout: body, stderr: err.message }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${Math.ceil(timeoutMs / 1000)} s`)));
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ command, status: null, exitCode: null, stdout: '', stderr: err.code ? `${err.code}: ${err.message}` : err.message }));
  });
}
