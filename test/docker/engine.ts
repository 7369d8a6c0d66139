import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';

/** The private engine tests use; `.ci/run` starts the same one. */
export const TEST_DOCKER_SOCKET = '/tmp/riglease-docker.sock';
export const TEST_DOCKER_HOST = `unix://${TEST_DOCKER_SOCKET}`;

export type TestEngine = { ok: true; host: string; docker: Docker } | { ok: false; reason: string };

let cached: Promise<TestEngine> | null = null;

/**
 * A real Docker engine for integration tests: DOCKER_HOST if it answers, else our private
 * dockerd (started here when we are root and it is installed). In CI a missing engine is a
 * failure, never a skip (ARCHITECTURE.md).
 */
export function testDockerEngine(): Promise<TestEngine> {
  cached ??= locate();
  return cached;
}

async function locate(): Promise<TestEngine> {
  const candidates = [process.env['RIGLEASE_TEST_DOCKER_HOST'], TEST_DOCKER_HOST].filter((h): h is string => !!h);
  for (const host of candidates) {
    const docker = dockerFor(host);
    if (await answers(docker)) return { ok: true, host, docker };
  }
  const reason = await startPrivateDockerd();
  if (reason === null) {
    const docker = dockerFor(TEST_DOCKER_HOST);
    if (await answers(docker)) return { ok: true, host: TEST_DOCKER_HOST, docker };
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

async function startPrivateDockerd(): Promise<string | null> {
  if (process.getuid?.() !== 0) return 'not root, so a private dockerd cannot be started (set RIGLEASE_TEST_DOCKER_HOST)';
  try {
    execFileSync('sh', ['-c', 'command -v dockerd'], { stdio: 'ignore' });
  } catch {
    return 'dockerd is not installed (apt-get install docker.io)';
  }
  // The same script .ci/run uses, so a local run and CI get the same engine.
  try {
    execFileSync(fileURLToPath(new URL('./start-test-dockerd.sh', import.meta.url)), { stdio: ['ignore', 'ignore', 'pipe'], timeout: 90_000 });
  } catch (err) {
    return `the private dockerd did not start: ${String((err as { stderr?: unknown }).stderr ?? err)}`;
  }
  return existsSync(TEST_DOCKER_SOCKET) ? null : 'dockerd started but made no socket (see /tmp/riglease-dockerd.log)';
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
