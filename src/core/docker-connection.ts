import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type Docker from 'dockerode';
import { RigError } from '../api/errors.js';
import { dockerEndpointCandidates, type DockerEndpoint } from './docker-endpoint/index.js';

export type { DockerEndpoint } from './docker-endpoint/index.js';

/** Where the engine is, as every part of the agent sees it. */
export interface DockerResolution {
  /** The endpoint to use; null only when DOCKER_HOST is set to something unusable. */
  endpoint: DockerEndpoint | null;
  /** Its socket exists now (always true for tcp and Windows pipes, which cannot be checked up front). */
  present: boolean;
  /** DOCKER_HOST chose it. */
  fromEnv: boolean;
  /** DOCKER_HOST's value when it is not a unix://, npipe:// or tcp:// address. */
  invalid: string | null;
}

/**
 * The one Docker engine of the agent. The readiness scan, the stack, the price sink, the
 * certificate sync, the farm and benchmarks all go through it, so Readiness can never show an
 * engine the stack then fails to find.
 */
export interface DockerConnection {
  resolve(): Promise<DockerResolution>;
  /** The shared client, created on first use; it connects to whatever `resolve()` says at its first request. Throws when DOCKER_HOST is unusable. */
  client(): Docker;
}

export interface DockerConnectionInput {
  env: NodeJS.ProcessEnv;
  /** Passed in so Linux CI covers the macOS and Windows candidate lists. */
  platform: NodeJS.Platform;
  homeDir: string;
}

export function createDockerConnection(input: DockerConnectionInput): DockerConnection {
  let kept: DockerResolution | null = null;
  let client: Docker | null = null;

  async function resolve(): Promise<DockerResolution> {
    // A found socket is kept while it exists: one stat per call instead of walking the list.
    if (kept?.endpoint && (await socketPresent(kept.endpoint, input.platform))) return kept;
    kept = null;
    const found = await findEndpoint(input);
    if (found.present) kept = found;
    return found;
  }

  function build(): Docker {
    const { candidates, fromEnv, invalid } = dockerEndpointCandidates(input);
    if (invalid !== null) throw new RigError('invalid_input', `DOCKER_HOST=${invalid} is not a form RigLease understands.`, 'Use unix://…, npipe://… or tcp://host:port, or unset it.');
    const only = candidates[0];
    // With DOCKER_HOST (or on Windows, one pipe) there is nothing to look for.
    if (only && (fromEnv || candidates.length === 1)) return dockerClient(only);
    // Otherwise the socket is chosen at the first request. docker-modem accepts a socketPath
    // function returning a promise (its own default-socket lookup uses it) and keeps the answer,
    // so a client that found nothing is dropped and the next caller looks again.
    const lazySocket = async (): Promise<string> => {
      const r = await resolve().catch((): DockerResolution => ({ endpoint: null, present: false, fromEnv, invalid: null }));
      if (!r.present) client = null;
      return r.endpoint?.socketPath ?? only?.socketPath ?? '/var/run/docker.sock';
    };
    const Client = loadDockerode();
    return new Client({ socketPath: lazySocket as unknown as string });
  }

  return {
    resolve,
    client: () => (client ??= build()),
  };
}

/** The only place a dockerode client is made: the endpoint the connection resolved, with an optional request timeout. */
export function dockerClient(endpoint: DockerEndpoint, opts: { timeoutMs?: number } = {}): Docker {
  const Client = loadDockerode();
  const timeout = opts.timeoutMs !== undefined ? { timeout: opts.timeoutMs } : {};
  if (endpoint.socketPath) return new Client({ socketPath: endpoint.socketPath, ...timeout });
  return new Client({ host: endpoint.host ?? 'localhost', port: endpoint.port ?? 2375, protocol: endpoint.protocol ?? 'http', ...timeout });
}

/**
 * dockerode (with docker-modem, ssh2 and their crypto: ~10 MiB resident, ~26 MiB with the
 * module loader's share) is loaded at the first client, not at start: an idle agent that never
 * talks to the engine never pays for it. It is CommonJS, so a synchronous require keeps
 * `client()` synchronous for every caller.
 */
let dockerode: typeof Docker | null = null;
function loadDockerode(): typeof Docker {
  dockerode ??= createRequire(import.meta.url)('dockerode') as typeof Docker;
  return dockerode;
}

/** DOCKER_HOST alone when set; else the first platform candidate whose socket exists, else the first (so "absent" names the usual place). */
async function findEndpoint(input: DockerConnectionInput): Promise<DockerResolution> {
  const { candidates, fromEnv, invalid } = dockerEndpointCandidates(input);
  if (invalid !== null) return { endpoint: null, present: false, fromEnv, invalid };
  if (fromEnv) {
    const e = candidates[0] ?? null;
    return { endpoint: e, present: e !== null && (await socketPresent(e, input.platform)), fromEnv, invalid: null };
  }
  for (const c of candidates) if (await socketPresent(c, input.platform)) return { endpoint: c, present: true, fromEnv, invalid: null };
  return { endpoint: candidates[0] ?? null, present: false, fromEnv, invalid: null };
}

async function socketPresent(e: DockerEndpoint, platform: NodeJS.Platform): Promise<boolean> {
  if (e.socketPath === null || platform === 'win32' || e.socketPath.startsWith('//')) return true;
  try {
    await stat(e.socketPath);
    return true;
  } catch {
    return false;
  }
}

/** The Docker socket is absent or refuses: no engine answers, so nothing of the stack runs. */
export function isNoEngine(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ECONNREFUSED';
}
