import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as base, expect, type APIRequestContext } from '@playwright/test';
import { capturesDir, repoRoot } from './capture.js';
import { ReadinessPage } from './pages/readiness.page.js';
import { ShellPage } from './pages/shell.page.js';

/** One running `riglease serve`: its login URL (token included) and what it said on stderr. */
export interface RigServer {
  /** `http://127.0.0.1:PORT/?token=…`, line 1 of stdout. */
  loginUrl: string;
  /** `http://127.0.0.1:PORT` */
  origin: string;
  home: string;
  stderr: () => string;
  /** Stops the agent (SIGTERM), as a crash or a restart would. */
  stop: () => Promise<void>;
  /** Starts it again on the same port with the same token and home, so the page's token still works. */
  start: () => Promise<void>;
}

const CLI = path.join(repoRoot, 'dist', 'cli.js');
const FAKE_NVIDIA_SMI = path.join(repoRoot, 'test', 'fake-nvidia-smi', 'nvidia-smi');
const START_TIMEOUT_MS = 30_000;

/** Every running server's token by origin, for `page.request` (see the `page` fixture). */
const serverTokens = new Map<string, string>();

/**
 * `page.request` with the server's token added for a RigLease origin. The page itself keeps its
 * token in sessionStorage and sends it as a header; the API requests a spec makes beside it
 * (settings, checks of what the agent says) share no storage with the page, and there is no
 * cookie any more to carry it. Only requests to a server's own origin get it, and only when
 * the spec sent no Authorization of its own; the page's own requests are left untouched.
 */
function withServerToken(request: APIRequestContext): APIRequestContext {
  const verbs = new Set(['fetch', 'get', 'post', 'put', 'patch', 'delete', 'head']);
  return new Proxy(request, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof prop !== 'string' || !verbs.has(prop) || typeof value !== 'function') return value;
      return (url: unknown, options: { headers?: Record<string, string> } = {}) => {
        const token = typeof url === 'string' && URL.canParse(url) ? serverTokens.get(new URL(url).origin) : undefined;
        const hasAuth = Object.keys(options.headers ?? {}).some((h) => h.toLowerCase() === 'authorization');
        const headers = token === undefined || hasAuth ? options.headers : { ...options.headers, authorization: `Bearer ${token}` };
        return (value as (u: unknown, o: unknown) => unknown).call(target, url, { ...options, headers });
      };
    },
  });
}

/**
 * Starts the real headless server as a child process, the way a farm operator would, with a
 * throwaway RIGLEASE_HOME, the fake nvidia-smi replaying `capture`, and the test Docker engine.
 */
async function spawnServer(capture: string, home: string, args: string[], log: (text: string) => void, extraEnv: Record<string, string> = {}): Promise<{ loginUrl: string; child: ChildProcess }> {
  if (!existsSync(CLI)) throw new Error(`${CLI} does not exist: run \`npm run build\` before the e2e tests.`);
  const xml = path.join(capturesDir, capture);
  if (!existsSync(xml)) throw new Error(`No capture ${xml}: shared/ must sit beside the repository (or set RIGLEASE_SHARED_DIR).`);
  const child = spawn(process.execPath, [CLI, 'serve', ...args], {
    cwd: repoRoot,
    env: {
      ...process.env,
      RIGLEASE_HOME: home,
      RIGLEASE_NVIDIA_SMI: FAKE_NVIDIA_SMI,
      FAKE_NVIDIA_SMI_XML: xml,
      DOCKER_HOST: process.env.RIGLEASE_TEST_DOCKER_HOST ?? 'unix:///tmp/riglease-docker.sock',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    stderr = (stderr + d).slice(-20_000);
    log(d);
  });

  const loginUrl = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => fail(new Error(`riglease serve printed no URL within ${START_TIMEOUT_MS} ms.\n${stderr}`)), START_TIMEOUT_MS);
    const onExit = (code: number | null, signal: string | null): void => fail(new Error(`riglease serve exited (${code ?? signal}) before printing its URL.\n${stderr}`));
    function fail(err: Error): void {
      clearTimeout(timer);
      child.off('exit', onExit);
      reject(err);
    }
    child.once('exit', onExit);
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      const nl = stdout.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve(stdout.slice(0, nl).trim());
    });
  }).catch((err: unknown) => {
    child.kill('SIGKILL');
    throw err;
  });

  expect(loginUrl, 'line 1 of `riglease serve` is the login URL').toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w.~-]+$/);
  return { loginUrl, child };
}

async function startServer(capture: string, extraEnv: Record<string, string> = {}, extraArgs: string[] = []): Promise<{ server: RigServer; stopNow: () => Promise<void> }> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'riglease-e2e-'));
  let stderr = '';
  const log = (text: string): void => {
    stderr = (stderr + text).slice(-40_000);
  };
  let child: ChildProcess | null = null;
  let first: { loginUrl: string; child: ChildProcess };
  try {
    first = await spawnServer(capture, home, ['--port', '0', ...extraArgs], log, extraEnv);
  } catch (err) {
    rmSync(home, { recursive: true, force: true });
    throw err;
  }
  child = first.child;
  const url = new URL(first.loginUrl);
  const token = url.searchParams.get('token') ?? '';
  serverTokens.set(url.origin, token);
  const stop = async (): Promise<void> => {
    if (child) await stopServer(child);
    child = null;
  };
  const forget = (): void => {
    serverTokens.delete(url.origin);
  };
  const server: RigServer = {
    loginUrl: first.loginUrl,
    origin: url.origin,
    home,
    stderr: () => stderr,
    stop,
    start: async () => {
      if (child) throw new Error('the server is already running');
      child = (await spawnServer(capture, home, ['--port', url.port, `--token=${token}`, ...extraArgs], log, extraEnv)).child;
    },
  };
  return {
    server,
    stopNow: async () => {
      await stop();
      forget();
    },
  };
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

export interface Fixtures {
  /** Which capture from shared/fixtures/nvidia-smi the fake nvidia-smi replays. */
  capture: string;
  /** Extra environment for `riglease serve` (e.g. RIGLEASE_CHAIN_RPC of a chain test node). */
  serverEnv: Record<string, string>;
  /** Extra `riglease serve` arguments (e.g. `--demo`). */
  serverArgs: string[];
  rig: RigServer;
  shell: ShellPage;
  readiness: ReadinessPage;
}

export const test = base.extend<Fixtures>({
  capture: ['rtx4090_535.86.05_1gpu.xml', { option: true }],
  serverEnv: [{}, { option: true }],
  serverArgs: [[], { option: true }],
  rig: async ({ capture, serverEnv, serverArgs }, use, testInfo) => {
    const { server, stopNow } = await startServer(capture, serverEnv, serverArgs);
    try {
      await use(server);
    } finally {
      await stopNow();
      if (testInfo.status !== testInfo.expectedStatus) {
        await testInfo.attach('riglease-serve.stderr', { body: server.stderr(), contentType: 'text/plain' });
      }
      rmSync(server.home, { recursive: true, force: true });
    }
  },
  page: async ({ page }, use) => {
    Object.defineProperty(page, 'request', { value: withServerToken(page.request), configurable: true });
    await use(page);
  },
  shell: async ({ page }, use) => {
    await use(new ShellPage(page));
  },
  readiness: async ({ page }, use) => {
    await use(new ReadinessPage(page));
  },
});

export { expect };
