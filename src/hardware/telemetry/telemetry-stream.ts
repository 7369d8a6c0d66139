import type { TelemetryEvent } from '../../api/schemas/hardware.js';
import type { OnDemandSource } from '../../core/event-hub.js';
import type { Logger } from '../../util/logger.js';
import { spawnedNvidiaSmi, type NvidiaSmiRunner, type SupervisedRun } from '../nvidia/nvidia-smi-runner.js';
import { TelemetryBatcher, telemetryArgs } from './parse-telemetry.js';

export interface TelemetryStreamOptions {
  /** Where nvidia-smi is (null: not installed) and how often to sample, read at each start. */
  resolve: () => Promise<{ path: string | null; intervalMs: number }>;
  env: NodeJS.ProcessEnv;
  publish: (event: TelemetryEvent) => void;
  logger: Logger;
  /** Restart backoff; tests shorten it. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** How the long-lived nvidia-smi runs; default: a spawned child behind a Supervisor. */
  runner?: NvidiaSmiRunner;
}

/**
 * Live GPU telemetry: ONE long-lived `nvidia-smi --query-gpu … -lms <ms>` process behind a
 * Supervisor (restarted with backoff when it dies), run only while someone listens — the
 * EventHub calls start() on the first `gpu.telemetry` subscriber and stop() after the last.
 */
export class TelemetryStream implements OnDemandSource {
  private supervisor: SupervisedRun | null = null;
  /** Bumped on every start/stop so a slow `resolve` cannot start a stream nobody wants any more. */
  private generation = 0;
  private stopping: Promise<void> = Promise.resolve();

  constructor(private readonly opts: TelemetryStreamOptions) {}

  get running(): boolean {
    return this.supervisor?.running ?? false;
  }

  get pid(): number | undefined {
    return this.supervisor?.pid;
  }

  /** How many nvidia-smi processes this stream has started (restarts included). */
  get spawnCount(): number {
    return this.supervisor?.spawnCount ?? 0;
  }

  start(): void {
    const gen = ++this.generation;
    void this.begin(gen).catch((err: unknown) => {
      this.opts.logger.warn('telemetry could not start', { error: err instanceof Error ? err.message : String(err) });
    });
  }

  stop(): void {
    this.generation++;
    const sup = this.supervisor;
    this.supervisor = null;
    if (sup) this.stopping = sup.stop();
  }

  /** Resolves once the child is gone; the agent awaits it on quit. */
  async stopped(): Promise<void> {
    this.stop();
    await this.stopping;
  }

  private async begin(gen: number): Promise<void> {
    await this.stopping;
    const { path, intervalMs } = await this.opts.resolve();
    if (gen !== this.generation) return;
    if (!path) {
      this.emitError('nvidia-smi was not found, so there is no live GPU data.');
      return;
    }
    const batcher = new TelemetryBatcher((samples) => this.opts.publish({ at: Date.now(), samples, error: null }));
    const sup = (this.opts.runner ?? spawnedNvidiaSmi).supervise({
      name: 'gpu-telemetry',
      file: path,
      args: telemetryArgs(intervalMs),
      env: this.opts.env,
      onLine: (line) => batcher.push(line),
      onStart: (pid) => this.opts.logger.debug('telemetry stream started', { pid, intervalMs }),
      onExit: ({ code, signal, error, stderr, willRestart, restartInMs }) => {
        batcher.flush();
        if (gen !== this.generation) return;
        const why = error ? error.message : `nvidia-smi stopped (code ${code ?? 'none'}, signal ${signal ?? 'none'})`;
        this.opts.logger.warn('telemetry stream ended', { why, stderr: stderr.slice(0, 500), willRestart, restartInMs });
        this.emitError(willRestart ? `${why}; restarting in ${Math.round(restartInMs / 100) / 10} s.` : `${why}; gave up restarting.`);
      },
      initialBackoffMs: this.opts.initialBackoffMs ?? 1000,
      maxBackoffMs: this.opts.maxBackoffMs ?? 60_000,
      healthyAfterMs: Math.max(5000, intervalMs * 3),
      // A binary that cannot start will not start on the 6th try either.
      maxConsecutiveFailures: 6,
    });
    this.supervisor = sup;
    sup.start();
  }

  private emitError(message: string): void {
    this.opts.publish({ at: Date.now(), samples: [], error: message });
  }
}
