import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';

/** The private engine tests use; `.ci/run` starts the same one. */
export const TEST_DOCKER_SOCKET = '/tmp/riglease-docker.sock';
export const TEST_DOCKER_HOST = `unix://${TEST_DOCKER_SOCKET}`;
/** The private engine with the NVIDIA runtime and the toolkit's hook (a stand-in that records the GPUs asked for). */
export const TEST_GPU_DOCKER_SOCKET = '/tmp/riglease-docker-gpu.sock';
export const TEST_GPU_DOCKER_HOST = `unix://${TEST_GPU_DOCKER_SOCKET}`;
/** Where the GPU engine's stand-in hook writes "<container id> <NVIDIA_VISIBLE_DEVICES>" for each container it starts. */
export const TEST_GPU_HOOK_LOG = '/tmp/riglease-docker-gpu/nvidia-hook.log';

export type TestEngine = { ok: true; host: string; docker: Docker } | { ok: false; reason: string };

interface EngineKind {
  mode: 'plain' | 'gpu';
  socket: string;
  host: string;
  /** The variable that points tests at an engine started elsewhere. */
  override: string;
}
const PLAIN: EngineKind = { mode: 'plain', socket: TEST_DOCKER_SOCKET, host: TEST_DOCKER_HOST, override: 'RIGLEASE_TEST_DOCKER_HOST' };
const GPU: EngineKind = { mode: 'gpu', socket: TEST_GPU_DOCKER_SOCKET, host: TEST_GPU_DOCKER_HOST, override: 'RIGLEASE_TEST_GPU_DOCKER_HOST' };

let cached: Promise<TestEngine> | null = null;
let cachedGpu: Promise<TestEngine> | null = null;

/**
 * A real Docker engine for integration tests: DOCKER_HOST if it answers, else our private
 * dockerd (started here when we are root and it is installed). In CI a missing engine is a
 * failure, never a skip (ARCHITECTURE.md).
 */
export function testDockerEngine(): Promise<TestEngine> {
  cached ??= locate(PLAIN);
  return cached;
}

/**
 * The engine a machine with the NVIDIA Container Toolkit has: `nvidia` among its runtimes, and
 * GPU DeviceRequests accepted and turned into the toolkit's prestart hook by dockerd itself.
 * The hook here is a stand-in (no GPU on this machine): it records which GPUs each container was
 * given (TEST_GPU_HOOK_LOG; read with `gpusGivenTo`) instead of mounting them.
 */
export function testGpuDockerEngine(): Promise<TestEngine> {
  cachedGpu ??= locate(GPU);
  return cachedGpu;
}

/** The GPUs the GPU engine handed the container (its NVIDIA_VISIBLE_DEVICES), or null if the hook never ran for it. */
export function gpusGivenTo(containerId: string): string | null {
  const line = gpuHookLines().reverse().find((l) => l.startsWith(`${containerId} `));
  return line ? line.slice(containerId.length + 1) : null;
}

/** Every "<container id> <NVIDIA_VISIBLE_DEVICES>" line the GPU engine's hook wrote, oldest first. */
export function gpuHookLines(): string[] {
  return existsSync(TEST_GPU_HOOK_LOG) ? readFileSync(TEST_GPU_HOOK_LOG, 'utf8').split('\n').filter(Boolean) : [];
}

async function locate(kind: EngineKind): Promise<TestEngine> {
  const candidates = [process.env[kind.override], kind.host].filter((h): h is string => !!h);
  for (const host of candidates) {
    const docker = dockerFor(host);
    if (await answers(docker)) return { ok: true, host, docker };
  }
  const reason = await startPrivateDockerd(kind);
  if (reason === null) {
    const docker = dockerFor(kind.host);
    if (await answers(docker)) return { ok: true, host: kind.host, docker };
  }
  const why = reason ?? 'dockerd started but did not answer';
  if (process.env['CI'] === 'true') throw new Error(`CI needs a Docker engine and none could be reached: ${why}`);
  return { ok: false, reason: why };
}

export function dockerFor(host: string): Docker {
  if (host.startsWith('unix://')) return new Docker({ socketPath: host.slice('unix://'.length) });
  const url = new URL(host);
  return new Docker({ host: url.hostname, port: Number(url.port) });
}

async function answers(docker: Docker): Promise<boolean> {
  try {
    await withTimeout(docker.ping(), 3000);
    return true;
  } catch {
    return false;
  }
}

async function startPrivateDockerd(kind: EngineKind): Promise<string | null> {
  if (process.getuid?.() !== 0) return 'not root, so a private dockerd cannot be started (set RIGLEASE_TEST_DOCKER_HOST)';
  try {
    execFileSync('sh', ['-c', 'command -v dockerd'], { stdio: 'ignore' });
  } catch {
    return 'dockerd is not installed (apt-get install docker.io)';
  }
  // The same script .ci/run uses, so a local run and CI get the same engine.
  try {
    execFileSync(fileURLToPath(new URL('./start-test-dockerd.sh', import.meta.url)), [kind.mode], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 90_000 });
  } catch (err) {
    return `the private dockerd did not start: ${String((err as { stderr?: unknown }).stderr ?? err)}`;
  }
  return existsSync(kind.socket) ? null : `dockerd started but made no socket (see ${kind.mode === 'gpu' ? '/tmp/riglease-dockerd-gpu.log' : '/tmp/riglease-dockerd.log'})`;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('timeout')), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
