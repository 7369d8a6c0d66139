import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import type { DockerStatus } from '../../api/schemas/hardware.js';
import { dockerClient, type DockerConnection, type DockerEndpoint } from '../../core/docker-connection.js';
import { TimeoutError, withTimeout } from '../with-timeout.js';
import { DockerInfoShape, DockerVersionShape } from './docker-shapes.js';

export type DockerProblem = NonNullable<DockerStatus['problem']>;

export interface DockerProbeInput {
  /** The agent's one connection: the scan reports the very endpoint the stack will use. */
  connection: Pick<DockerConnection, 'resolve'>;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  timeoutMs: number;
}

/**
 * Finds the engine (DOCKER_HOST or the platform default), asks `info` and `version` within
 * `timeoutMs`, and says what it can do with GPUs. Never throws for a machine problem: an
 * unreachable engine is a DockerStatus with `problem` set.
 */
export async function probeDocker(input: DockerProbeInput): Promise<DockerStatus> {
  const { endpoint, present, invalid } = await input.connection.resolve();
  if (invalid !== null) {
    return base(invalid, { problem: 'error', message: `DOCKER_HOST is set to "${invalid}", which is not a unix://, npipe:// or tcp:// address.` });
  }
  if (!endpoint) return base('unix:///var/run/docker.sock', { problem: 'absent', message: describe('absent') });
  if (!present) {
    return base(endpoint.uri, { problem: 'absent', message: `${describe('absent')} (no socket at ${endpoint.socketPath ?? endpoint.uri})` });
  }
  const docker = dockerClient(endpoint, { timeoutMs: input.timeoutMs });
  let infoRaw: unknown;
  let versionRaw: unknown;
  try {
    [infoRaw, versionRaw] = await withTimeout(Promise.all([docker.info() as Promise<unknown>, docker.version() as Promise<unknown>]), input.timeoutMs);
  } catch (err) {
    const problem = classifyDockerError(err);
    return base(endpoint.uri, { found: problem !== 'absent', problem, message: describe(problem, endpoint) });
  }
  const info = DockerInfoShape.safeParse(infoRaw);
  const version = DockerVersionShape.safeParse(versionRaw);
  if (!info.success || !version.success) {
    return base(endpoint.uri, { found: true, reachable: true, problem: 'error', message: 'The Docker engine answered with something that is not a Docker info/version reply.' });
  }
  const i = info.data;
  const runtimes = Object.keys(i.Runtimes ?? {}).sort();
  const cdiSpecDirs = i.CDISpecDirs ?? [];
  const cdiNvidia = (i.DiscoveredDevices ?? []).some((d) => /nvidia\.com\/gpu/i.test(d.ID ?? ''));
  const hasNvidiaRuntime = runtimes.includes('nvidia');
  const toolkit = hasNvidiaRuntime
    ? { present: true, how: 'nvidia runtime registered in Docker' }
    : await findToolkitOnPath(input.env, input.platform);
  return {
    ...base(endpoint.uri, { found: true, reachable: true, problem: null, message: `Docker ${version.data.Version ?? i.ServerVersion ?? ''} answered.`.replace('  ', ' ') }),
    version: version.data.Version ?? i.ServerVersion ?? null,
    apiVersion: version.data.ApiVersion ?? null,
    os: i.OSType ?? version.data.Os ?? null,
    operatingSystem: i.OperatingSystem ?? null,
    rootDir: i.DockerRootDir ?? null,
    runtimes,
    defaultRuntime: i.DefaultRuntime ?? null,
    cdiSpecDirs,
    // CDI spec dirs alone only mean CDI is on; with the toolkit present, `nvidia-ctk cdi generate` fills them.
    gpuCapable: hasNvidiaRuntime || cdiNvidia || (cdiSpecDirs.length > 0 && toolkit.present),
    nvidiaToolkit: toolkit,
  };
}

/** Maps what dockerode/node threw to what the user should do about it. */
export function classifyDockerError(err: unknown): DockerProblem {
  if (err instanceof TimeoutError) return 'timeout';
  const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : '';
  if (code === 'ENOENT') return 'absent';
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EPIPE') return 'not_running';
  if (code === 'EACCES' || code === 'EPERM') return 'permission_denied';
  if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') return 'timeout';
  if (err instanceof Error && /timeout/i.test(err.message)) return 'timeout';
  return 'error';
}

function describe(problem: DockerProblem, endpoint?: DockerEndpoint): string {
  const where = endpoint ? ` (${endpoint.uri})` : '';
  switch (problem) {
    case 'absent':
      return 'No Docker engine was found on this machine.';
    case 'not_running':
      return `Docker is installed but its engine is not running${where}.`;
    case 'permission_denied':
      return `This user may not talk to the Docker engine${where}.`;
    case 'timeout':
      return `The Docker engine did not answer in time${where}.`;
    case 'error':
      return `The Docker engine could not be asked${where}.`;
  }
}

function base(endpoint: string, over: Partial<DockerStatus>): DockerStatus {
  return {
    endpoint,
    found: false,
    reachable: false,
    problem: null,
    message: '',
    version: null,
    apiVersion: null,
    os: null,
    operatingSystem: null,
    rootDir: null,
    runtimes: [],
    defaultRuntime: null,
    cdiSpecDirs: [],
    gpuCapable: false,
    nvidiaToolkit: { present: false, how: null },
    ...over,
  };
}

async function findToolkitOnPath(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): Promise<{ present: boolean; how: string | null }> {
  // The toolkit is a Linux package; on Windows/macOS it lives inside Docker Desktop's VM, if anywhere.
  if (platform !== 'linux') return { present: false, how: null };
  for (const dir of (env['PATH'] ?? '').split(':')) {
    if (!dir) continue;
    for (const exe of ['nvidia-ctk', 'nvidia-container-runtime']) {
      const file = path.posix.join(dir, exe);
      try {
        await access(file, constants.X_OK);
        return { present: true, how: file };
      } catch {
        // keep looking
      }
    }
  }
  return { present: false, how: null };
}
