import { spawn } from 'node:child_process';
import { childEnv } from './child-env.js';

/** How a finished child ended. `timedOut` is set when we killed it, not when it failed on its own. */
export interface SpawnResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** True when the output was longer than `maxOutputBytes` and the rest was dropped. */
  truncated: boolean;
  durationMs: number;
}

export type SpawnErrorKind = 'absent' | 'permission_denied' | 'aborted' | 'failed';

/** The child never ran (or was cancelled): the caller tells the user which of these it was. */
export class SpawnError extends Error {
  constructor(
    readonly kind: SpawnErrorKind,
    readonly file: string,
    message: string,
    readonly errno: string | null,
  ) {
    super(message);
    this.name = 'SpawnError';
  }
}

export interface SpawnOptions {
  timeoutMs: number;
  /** Per stream; nvidia-smi -q -x of 8 GPUs is well under 2 MB. */
  maxOutputBytes?: number;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Windows needs no process group; elsewhere we kill the group so grandchildren die too. */
  platform?: NodeJS.Platform;
}

const DEFAULT_MAX_OUTPUT = 4 * 1024 * 1024;

/**
 * Runs one executable (never through a shell) and always comes back: after `timeoutMs` the whole
 * process tree is SIGKILLed and the result says `timedOut`. Spawn failures become a typed
 * SpawnError so callers can tell "not installed" from "not allowed".
 */
export function spawnWithTimeout(file: string, args: readonly string[], opts: SpawnOptions): Promise<SpawnResult> {
  const platform = opts.platform ?? process.platform;
  const max = opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  const started = performance.now();
  return new Promise<SpawnResult>((resolve, reject) => {
    if (opts.signal?.aborted) {
      reject(new SpawnError('aborted', file, 'Cancelled before it started.', null));
      return;
    }
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(file, [...args], {
        env: childEnv(opts.env ?? process.env),
        cwd: opts.cwd,
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
        // Own process group on POSIX so a timeout can kill grandchildren (a wrapper script's child).
        detached: platform !== 'win32',
      });
    } catch (err) {
      reject(toSpawnError(file, err));
      return;
    }
    const out = new Collector(max);
    const errOut = new Collector(max);
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => errOut.push(b));

    let timedOut = false;
    let aborted = false;
    let settled = false;
    const kill = () => killTree(child.pid, platform, () => child.kill('SIGKILL'));
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, opts.timeoutMs);
    const onAbort = () => {
      aborted = true;
      kill();
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const cleanup = () => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
    };

    child.once('error', (err) => {
      if (settled) return;
      settled = true;
      cleanup();
      reject(toSpawnError(file, err));
    });
    // 'close' (not 'exit') so all output has been read.
    child.once('close', (code, signal) => {
      if (settled) return;
      settled = true;
      cleanup();
      if (aborted && !timedOut) {
        reject(new SpawnError('aborted', file, 'Cancelled.', null));
        return;
      }
      resolve({
        code,
        signal,
        stdout: out.text(),
        stderr: errOut.text(),
        timedOut,
        truncated: out.truncated || errOut.truncated,
        durationMs: performance.now() - started,
      });
    });
  });
}

/**
 * Kills the child's process group (POSIX) or its tree (`taskkill /T /F` on Windows) so a hung
 * wrapper's children go too; falls back to killing the child alone.
 */
export function killTree(pid: number | undefined, platform: NodeJS.Platform, fallback: () => void): void {
  if (pid !== undefined && platform !== 'win32') {
    try {
      process.kill(-pid, 'SIGKILL');
      return;
    } catch {
      // Group already gone or not ours: kill the child itself below.
    }
  }
  if (pid !== undefined && platform === 'win32') {
    try {
      spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true }).on('error', () => undefined);
    } catch {
      // taskkill missing: the direct kill below still ends the child itself.
    }
  }
  try {
    fallback();
  } catch {
    // Already dead.
  }
}

export function toSpawnError(file: string, err: unknown): SpawnError {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : null;
  if (code === 'ENOENT') return new SpawnError('absent', file, `${file} was not found.`, code);
  if (code === 'EACCES' || code === 'EPERM') {
    return new SpawnError('permission_denied', file, `${file} exists but may not be run by this user.`, code);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new SpawnError('failed', file, `${file} could not be started: ${message}`, code);
}

/** Keeps at most `max` bytes; the rest is counted as dropped, never buffered. */
class Collector {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  truncated = false;

  constructor(private readonly max: number) {}

  push(b: Buffer): void {
    if (this.size >= this.max) {
      this.truncated = true;
      return;
    }
    const room = this.max - this.size;
    const part = b.length > room ? b.subarray(0, room) : b;
    if (part.length < b.length) this.truncated = true;
    this.chunks.push(part);
    this.size += part.length;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}
