import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { toSpawnError, type SpawnError } from './spawn-with-timeout.js';
import { childEnv } from './child-env.js';

export interface SupervisorOptions {
  /** Shown in logs and errors. */
  name: string;
  file: string;
  args: readonly string[];
  env?: NodeJS.ProcessEnv;
  /** One stdout line at a time; the child's output is never buffered whole. */
  onLine: (line: string) => void;
  /** A run ended (crash, exit, spawn failure); `willRestart` says whether another comes. */
  onExit?: (info: { code: number | null; signal: NodeJS.Signals | null; error: SpawnError | null; stderr: string; willRestart: boolean; restartInMs: number }) => void;
  onStart?: (pid: number | undefined) => void;
  /** First restart delay; doubles per quick failure up to `maxBackoffMs`. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** A run that lasted this long resets the backoff: it was healthy, not crash-looping. */
  healthyAfterMs?: number;
  /** Give up after this many failed starts in a row (a missing binary will not appear by retrying). */
  maxConsecutiveFailures?: number;
}

const STDERR_KEEP = 4096;

/**
 * Keeps one long-lived child running while wanted: spawn, restart with backoff when it dies,
 * stop on request (Rancher's backgroundProcess shape). Used for the `nvidia-smi -lms` stream.
 */
export class Supervisor {
  private child: ChildProcess | null = null;
  private wanted = false;
  private restartTimer: NodeJS.Timeout | null = null;
  private backoff: number;
  private failures = 0;
  private startedAt = 0;
  private exited: Promise<void> = Promise.resolve();
  /** How many times a child was spawned (for tests and diagnostics). */
  spawnCount = 0;

  constructor(private readonly opts: SupervisorOptions) {
    this.backoff = opts.initialBackoffMs ?? 500;
  }

  get running(): boolean {
    return this.child !== null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    if (this.wanted) return;
    this.wanted = true;
    this.failures = 0;
    this.backoff = this.opts.initialBackoffMs ?? 500;
    this.spawnOnce();
  }

  /** Stops the child (SIGKILL: nvidia-smi holds no state worth a graceful exit) and waits for it. */
  async stop(): Promise<void> {
    this.wanted = false;
    if (this.restartTimer) {
      clearTimeout(this.restartTimer);
      this.restartTimer = null;
    }
    const child = this.child;
    if (child) {
      // Not a process group: nvidia-smi -lms is a single process with no children.
      child.kill('SIGKILL');
    }
    await this.exited;
  }

  private spawnOnce(): void {
    if (!this.wanted || this.child) return;
    let child: ChildProcess;
    let resolveExited!: () => void;
    this.exited = new Promise<void>((r) => (resolveExited = r));
    try {
      child = spawn(this.opts.file, [...this.opts.args], {
        env: childEnv(this.opts.env ?? process.env),
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
      });
    } catch (err) {
      resolveExited();
      this.afterExit(null, null, toSpawnError(this.opts.file, err), '');
      return;
    }
    this.child = child;
    this.spawnCount++;
    this.startedAt = Date.now();
    let stderr = '';
    let spawnError: SpawnError | null = null;
    child.stderr?.on('data', (b: Buffer) => {
      stderr = (stderr + b.toString('utf8')).slice(-STDERR_KEEP);
    });
    if (child.stdout) {
      const rl = createInterface({ input: child.stdout, crlfDelay: Infinity });
      rl.on('line', (line) => {
        try {
          this.opts.onLine(line);
        } catch {
          // A bad line handler must not kill the stream.
        }
      });
    }
    child.once('spawn', () => this.opts.onStart?.(child.pid));
    child.once('error', (err) => {
      spawnError = toSpawnError(this.opts.file, err);
    });
    child.once('close', (code, signal) => {
      this.child = null;
      resolveExited();
      this.afterExit(code, signal, spawnError, stderr);
    });
  }

  private afterExit(code: number | null, signal: NodeJS.Signals | null, error: SpawnError | null, stderr: string): void {
    const ranFor = Date.now() - this.startedAt;
    if (error || ranFor < (this.opts.healthyAfterMs ?? 10_000)) {
      this.failures++;
    } else {
      this.failures = 0;
      this.backoff = this.opts.initialBackoffMs ?? 500;
    }
    const gaveUp = this.failures >= (this.opts.maxConsecutiveFailures ?? Number.POSITIVE_INFINITY);
    const willRestart = this.wanted && !gaveUp;
    const restartInMs = willRestart ? this.backoff : 0;
    this.opts.onExit?.({ code, signal, error, stderr, willRestart, restartInMs });
    if (!willRestart) {
      if (gaveUp) this.wanted = false;
      return;
    }
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      this.spawnOnce();
    }, restartInMs);
    this.backoff = Math.min(this.backoff * 2, this.opts.maxBackoffMs ?? 30_000);
  }
}
